-- The first schema of the hub. Timestamps are integer microseconds since the
-- Unix epoch (UTC); booleans are 0/1 integers.

CREATE TABLE communities (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	slug               TEXT    NOT NULL UNIQUE,
	title              TEXT    NOT NULL,
	description        TEXT    NOT NULL DEFAULT '',
	sector             TEXT    NOT NULL DEFAULT '',
	identity_id        TEXT    NOT NULL DEFAULT '',
	max_content_length INTEGER NOT NULL DEFAULT 0,
	created_at         INTEGER NOT NULL
);

CREATE TABLE orgs (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	slug         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	identity_id  TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	UNIQUE (community_id, slug)
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id        INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	username      TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL CHECK (role IN ('admin', 'analyst', 'reader')),
	hub_admin     INTEGER NOT NULL DEFAULT 0,
	password_hash TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL DEFAULT '',
	hash         BLOB    NOT NULL UNIQUE,
	anonymous    INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_id);

-- pk is internal (objects refer to it); id is the TAXII collection id.
-- last_date_added is the largest date_added ever assigned in the collection.
CREATE TABLE collections (
	pk              INTEGER PRIMARY KEY AUTOINCREMENT,
	id              TEXT    NOT NULL UNIQUE,
	community_id    INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	title           TEXT    NOT NULL,
	description     TEXT    NOT NULL DEFAULT '',
	alias           TEXT,
	read_all        INTEGER NOT NULL DEFAULT 0,
	write_all       INTEGER NOT NULL DEFAULT 0,
	default_tlp     TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	last_date_added INTEGER NOT NULL DEFAULT 0,
	UNIQUE (community_id, alias)
);
CREATE INDEX collections_community ON collections (community_id, title);

CREATE TABLE collection_readers (
	coll   INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	PRIMARY KEY (coll, org_id)
) WITHOUT ROWID;

CREATE TABLE collection_writers (
	coll   INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	PRIMARY KEY (coll, org_id)
) WITHOUT ROWID;

-- One row per stored version of a STIX object in a collection.
--   vts:  the version timestamp normalised to a sortable string (modified,
--         else created, else date_added), so "latest" is max(vts, date_added).
--   vkey: what identifies the version for duplicate detection: vts for
--         versioned objects, "sha256:<hex of the raw bytes>" for objects
--         without created/modified (SCOs).
--   is_latest, is_first: this is the id's last/first version in the
--         collection; spec_latest: its spec_version is the id's highest.
--   submitter: the submitting organisation (internal). No foreign key: the
--         intelligence outlives the organisation's account.
CREATE TABLE objects (
	pk             INTEGER PRIMARY KEY,
	coll           INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	date_added     INTEGER NOT NULL,
	id             TEXT    NOT NULL,
	type           TEXT    NOT NULL,
	spec_version   TEXT    NOT NULL,
	created        TEXT    NOT NULL DEFAULT '',
	modified       TEXT    NOT NULL DEFAULT '',
	vts            TEXT    NOT NULL,
	vkey           TEXT    NOT NULL,
	revoked        INTEGER NOT NULL DEFAULT 0,
	created_by_ref TEXT    NOT NULL DEFAULT '',
	markings       TEXT    NOT NULL DEFAULT '[]',
	submitter      INTEGER NOT NULL,
	is_latest      INTEGER NOT NULL,
	is_first       INTEGER NOT NULL,
	spec_latest    INTEGER NOT NULL,
	raw            BLOB    NOT NULL
);
CREATE UNIQUE INDEX objects_added ON objects (coll, date_added);
-- (coll, id, vkey) is unique: AddObjects checks it under the single
-- writer, so the index needs only (coll, id).
CREATE INDEX objects_id ON objects (coll, id);
CREATE INDEX objects_type ON objects (coll, type, date_added);

-- Full-text index of the latest version of each object; rowid = objects.pk.
-- '.' is part of a token, so that an IP address or a domain name is one
-- rare token rather than a phrase of common ones (198 51 100 7); the store
-- turns dots that do not join two letters or digits into spaces, in the
-- indexed text and in queries alike.
CREATE VIRTUAL TABLE objects_fts USING fts5 (
	body,
	content = '',
	contentless_delete = 1,
	tokenize = "unicode61 remove_diacritics 2 tokenchars '.'"
);

-- Bulk ingest writes one segment per transaction; merging segments 16 at
-- a time (the maximum) instead of 4 halves the merge work of ingest at the
-- price of a few more segments for a query to read.
INSERT INTO objects_fts (objects_fts, rank) VALUES ('automerge', 16);

CREATE TRIGGER objects_fts_delete AFTER DELETE ON objects
WHEN old.is_latest = 1
BEGIN
	DELETE FROM objects_fts WHERE rowid = old.pk;
END;

CREATE TABLE statuses (
	id                TEXT    PRIMARY KEY,
	community_id      INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	collection_id     TEXT    NOT NULL,
	org_id            INTEGER NOT NULL,
	status            TEXT    NOT NULL,
	request_timestamp INTEGER NOT NULL,
	total_count       INTEGER NOT NULL,
	successes         TEXT    NOT NULL,
	failures          TEXT    NOT NULL,
	pendings          TEXT    NOT NULL
);

CREATE TABLE audit_log (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	at           INTEGER NOT NULL,
	community_id INTEGER NOT NULL DEFAULT 0,
	user_id      INTEGER NOT NULL DEFAULT 0,
	action       TEXT    NOT NULL,
	target       TEXT    NOT NULL DEFAULT '',
	detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_community ON audit_log (community_id, id);

-- The outbox. lease_until > now means a worker holds the job.
CREATE TABLE jobs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	kind        TEXT    NOT NULL,
	payload     BLOB    NOT NULL,
	run_at      INTEGER NOT NULL,
	lease_until INTEGER NOT NULL DEFAULT 0,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (kind, run_at);
