-- Feeds (isachub.Feed): saved filters over a community's collections,
-- owned by one organisation, served as read-only TAXII collections whose
-- id is the feed's (no collection may have it: the store checks).
--   filter: the isachub.FeedFilter as JSON text (encoding/json), stored
--           whole and read back as written.
CREATE TABLE feeds (
	id           text PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_id       bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	title        text NOT NULL,
	description  text NOT NULL DEFAULT '',
	preset       text NOT NULL DEFAULT '',
	filter       text NOT NULL DEFAULT '{}',
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL
);
CREATE INDEX feeds_community ON feeds (community_id, title, id);
CREATE INDEX feeds_org ON feeds (org_id);

-- The rule number of each indicator id (the Suricata and Snort sids of
-- its rules): hub-wide, dense from 0, given the first time it is asked
-- for and never changed. Writers serialise on a transaction advisory lock
-- (see postgres/feed.go), so that the numbers have no gaps.
CREATE TABLE rule_sids (
	indicator_id text PRIMARY KEY,
	n            bigint NOT NULL UNIQUE
);

-- tokens.feed_id binds a token to one feed (isachub.Token.FeedID); NULL
-- for an ordinary token. Deleting the feed deletes its tokens.
ALTER TABLE tokens ADD COLUMN feed_id text REFERENCES feeds (id) ON DELETE CASCADE;
CREATE INDEX tokens_feed ON tokens (feed_id);
