-- Federation (issue 14). A peer (isachub.Peer) is another TAXII 2.1
-- server's API root that a community pulls from or pushes to; what it
-- sends is published by its local organisation org_id. credential is the
-- sealed password or token (package federation), never in clear.
--   created_at and every time below: microseconds since the epoch, 0 for
--   the zero time.
CREATE TABLE peers (
	id           TEXT    PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	url          TEXT    NOT NULL,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	user         TEXT    NOT NULL DEFAULT '',
	credential   BLOB    NOT NULL,
	trusted      INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	UNIQUE (community_id, name)
);

-- A peer's subscriptions (isachub.Subscription): a pull from its
-- collection remote into the local collection local_id, or a push of
-- local_id to remote. checkpoint is where the next run starts.
CREATE TABLE peer_subscriptions (
	id           TEXT    PRIMARY KEY,
	peer_id      TEXT    NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	direction    TEXT    NOT NULL CHECK (direction IN ('pull', 'push')),
	remote       TEXT    NOT NULL,
	local_id     TEXT    NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	interval_us  INTEGER NOT NULL DEFAULT 0,
	checkpoint   TEXT    NOT NULL DEFAULT '',
	next_run     INTEGER NOT NULL DEFAULT 0,
	last_run     INTEGER NOT NULL DEFAULT 0,
	last_success INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT '',
	moved        INTEGER NOT NULL DEFAULT 0,
	refused      INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);
CREATE INDEX peer_subscriptions_peer ON peer_subscriptions (peer_id, created_at);
CREATE INDEX peer_subscriptions_due ON peer_subscriptions (next_run);

-- Where pulled object versions came from (isachub.Origin), written in the
-- transaction that stored them; kept when the peer is removed (peer_id is
-- no foreign key), so that nothing goes back to it if it is added again.
CREATE TABLE object_origins (
	collection_id TEXT    NOT NULL,
	object_id     TEXT    NOT NULL,
	version       TEXT    NOT NULL,
	peer_id       TEXT    NOT NULL,
	received_at   INTEGER NOT NULL,
	PRIMARY KEY (collection_id, object_id, version, peer_id)
);
