-- Joining a community: membership requests from the public page, and
-- one-time invitation links (kept as the SHA-256 hash of their secret).
CREATE TABLE membership_requests (
	id           bigserial PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_name     text    NOT NULL,
	contact      text    NOT NULL,
	email        text    NOT NULL,
	sector       text    NOT NULL,
	reason       text    NOT NULL,
	status       text    NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
	decision     text    NOT NULL DEFAULT '',
	decided_by   bigint REFERENCES users (id) ON DELETE SET NULL,
	org_id       bigint REFERENCES orgs (id) ON DELETE SET NULL,
	created_at   timestamptz NOT NULL,
	decided_at   timestamptz
);
CREATE INDEX membership_requests_community ON membership_requests (community_id, status, id);

CREATE TABLE invitations (
	id         bigserial PRIMARY KEY,
	org_id     bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	role       text    NOT NULL CHECK (role IN ('admin', 'analyst', 'reader')),
	hash       bytea NOT NULL UNIQUE,
	created_by bigint REFERENCES users (id) ON DELETE SET NULL,
	note       text    NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	used_at    timestamptz,
	user_id    bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_org ON invitations (org_id, id);
