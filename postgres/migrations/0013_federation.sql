-- Federation (issue 14). A peer (isachub.Peer) is another TAXII 2.1
-- server's API root that a community pulls from or pushes to; what it
-- sends is published by its local organisation org_id. credential is the
-- sealed password or token (package federation), never in clear.
--   Times: the zero time (year 1) for none.
CREATE TABLE peers (
	id           text PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	name         text NOT NULL,
	url          text NOT NULL,
	org_id       bigint NOT NULL REFERENCES orgs (id),
	username     text NOT NULL DEFAULT '',
	credential   bytea NOT NULL,
	trusted      boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL,
	UNIQUE (community_id, name)
);

-- A peer's subscriptions (isachub.Subscription): a pull from its
-- collection remote into the local collection local_id, or a push of
-- local_id to remote. checkpoint is where the next run starts.
CREATE TABLE peer_subscriptions (
	id           text PRIMARY KEY,
	peer_id      text NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	direction    text NOT NULL CHECK (direction IN ('pull', 'push')),
	remote       text NOT NULL,
	local_id     text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	interval_us  bigint NOT NULL DEFAULT 0,
	checkpoint   text NOT NULL DEFAULT '',
	next_run     timestamptz NOT NULL,
	last_run     timestamptz NOT NULL,
	last_success timestamptz NOT NULL,
	last_error   text NOT NULL DEFAULT '',
	moved        bigint NOT NULL DEFAULT 0,
	refused      bigint NOT NULL DEFAULT 0,
	created_at   timestamptz NOT NULL
);
CREATE INDEX peer_subscriptions_peer ON peer_subscriptions (peer_id, created_at);
CREATE INDEX peer_subscriptions_due ON peer_subscriptions (next_run);

-- Where pulled object versions came from (isachub.Origin), written in the
-- transaction that stored them; kept when the peer is removed (peer_id is
-- no foreign key), so that nothing goes back to it if it is added again.
CREATE TABLE object_origins (
	collection_id text NOT NULL,
	object_id     text NOT NULL,
	version       text NOT NULL,
	peer_id       text NOT NULL,
	received_at   timestamptz NOT NULL,
	PRIMARY KEY (collection_id, object_id, version, peer_id)
);
