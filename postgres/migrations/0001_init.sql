-- 0001_init: the whole isachub schema on PostgreSQL.

CREATE TABLE communities (
	id                 bigserial PRIMARY KEY,
	slug               text NOT NULL UNIQUE,
	title              text NOT NULL,
	description        text NOT NULL DEFAULT '',
	sector             text NOT NULL DEFAULT '',
	identity_id        text NOT NULL DEFAULT '',
	max_content_length bigint NOT NULL DEFAULT 0,
	created_at         timestamptz NOT NULL
);

CREATE TABLE orgs (
	id           bigserial PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	slug         text NOT NULL,
	name         text NOT NULL,
	identity_id  text NOT NULL DEFAULT '',
	created_at   timestamptz NOT NULL,
	UNIQUE (community_id, slug)
);

CREATE TABLE users (
	id            bigserial PRIMARY KEY,
	org_id        bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	username      text NOT NULL UNIQUE,
	role          text NOT NULL CHECK (role IN ('admin', 'analyst', 'reader')),
	hub_admin     boolean NOT NULL DEFAULT false,
	password_hash text NOT NULL DEFAULT '',
	created_at    timestamptz NOT NULL
);

CREATE TABLE tokens (
	id           bigserial PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         text NOT NULL DEFAULT '',
	hash         bytea NOT NULL UNIQUE,
	anonymous    boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_id, id);

-- readers and writers are sorted organisation ids of the same community.
-- last_date_added is the newest date_added (microseconds since the epoch)
-- given out in the collection. Writers lock the row (SELECT ... FOR UPDATE)
-- and assign date_added under that lock: see the package documentation.
CREATE TABLE collections (
	id              text PRIMARY KEY,
	community_id    bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	title           text NOT NULL,
	description     text NOT NULL DEFAULT '',
	alias           text,
	read_all        boolean NOT NULL DEFAULT false,
	readers         bigint[] NOT NULL DEFAULT '{}',
	write_all       boolean NOT NULL DEFAULT false,
	writers         bigint[] NOT NULL DEFAULT '{}',
	default_tlp     text NOT NULL DEFAULT '',
	created_at      timestamptz NOT NULL,
	last_date_added bigint NOT NULL DEFAULT 0,
	UNIQUE (community_id, alias)
);
CREATE INDEX collections_community ON collections (community_id, title);

-- object_versions holds every stored version exactly as received (raw) with
-- the fields queries need. version_ts is the version as a timestamp:
-- modified, else created, else (SCOs) date_added. vkey identifies a version
-- for duplicate detection: version_ts in a fixed format for versioned
-- objects (so "...:00Z" and "...:00.000Z" are one version), and
-- "sha256:<hex of raw>" for objects without created/modified. is_first,
-- is_latest and spec_latest are maintained under the collection lock.
-- submitter_org_id has no foreign key: intelligence outlives accounts. Only
-- the organisation that first published an id adds versions of it, so every
-- version of an id has the same submitter: the id's owner.
-- search holds the words of the searchable properties, computed by the
-- application (see postgres/search.go), for full-text search.
CREATE TABLE object_versions (
	collection_id    text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	date_added       bigint NOT NULL,
	id               text NOT NULL,
	type             text NOT NULL,
	spec_version     text NOT NULL,
	created          text NOT NULL,
	modified         text NOT NULL,
	version_ts       timestamptz NOT NULL,
	vkey             text NOT NULL,
	revoked          boolean NOT NULL,
	created_by_ref   text NOT NULL,
	markings         text[] NOT NULL,
	submitter_org_id bigint NOT NULL,
	is_first         boolean NOT NULL,
	is_latest        boolean NOT NULL,
	spec_latest      boolean NOT NULL,
	raw              bytea NOT NULL,
	search           tsvector NOT NULL,
	PRIMARY KEY (collection_id, date_added),
	UNIQUE (collection_id, id, vkey)
);
CREATE INDEX object_versions_type ON object_versions (collection_id, type, date_added);
CREATE INDEX object_versions_search ON object_versions USING gin (search);

CREATE TABLE statuses (
	id                text PRIMARY KEY,
	community_id      bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	collection_id     text NOT NULL,
	org_id            bigint NOT NULL,
	status            text NOT NULL,
	request_timestamp timestamptz NOT NULL,
	total_count       integer NOT NULL,
	successes         jsonb NOT NULL,
	failures          jsonb NOT NULL,
	pendings          jsonb NOT NULL
);

CREATE TABLE audit_log (
	id           bigserial PRIMARY KEY,
	at           timestamptz NOT NULL,
	community_id bigint NOT NULL DEFAULT 0,
	user_id      bigint NOT NULL DEFAULT 0,
	action       text NOT NULL,
	target       text NOT NULL DEFAULT '',
	detail       text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_community ON audit_log (community_id, id);

CREATE TABLE jobs (
	id         bigserial PRIMARY KEY,
	kind       text NOT NULL,
	payload    bytea NOT NULL,
	run_at     timestamptz NOT NULL,
	-- lease_until later than now means a worker holds the job.
	lease_until timestamptz NOT NULL DEFAULT '-infinity',
	attempts   integer NOT NULL DEFAULT 0,
	last_error text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL
);
CREATE INDEX jobs_due ON jobs (kind, run_at);
