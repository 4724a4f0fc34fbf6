-- Joining a community: membership requests from the public page, and
-- one-time invitation links (kept as the SHA-256 hash of their secret).
CREATE TABLE membership_requests (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_name     TEXT    NOT NULL,
	contact      TEXT    NOT NULL,
	email        TEXT    NOT NULL,
	sector       TEXT    NOT NULL,
	reason       TEXT    NOT NULL,
	status       TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
	decision     TEXT    NOT NULL DEFAULT '',
	decided_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
	org_id       INTEGER REFERENCES orgs (id) ON DELETE SET NULL,
	created_at   INTEGER NOT NULL,
	decided_at   INTEGER
);
CREATE INDEX membership_requests_community ON membership_requests (community_id, status, id);

CREATE TABLE invitations (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id     INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	role       TEXT    NOT NULL CHECK (role IN ('admin', 'analyst', 'reader')),
	hash       BLOB    NOT NULL UNIQUE,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	note       TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER,
	user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_org ON invitations (org_id, id);
