-- Web UI sessions: the cookie's secret is kept as its SHA-256 hash.
CREATE TABLE sessions (
	id           bigserial PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash         bytea NOT NULL UNIQUE,
	csrf_token   text NOT NULL,
	created_at   timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
