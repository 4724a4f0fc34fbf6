-- Feeds (isachub.Feed): saved filters over a community's collections,
-- owned by one organisation, served as read-only TAXII collections whose
-- id is the feed's (no collection may have it: the store checks).
--   filter: the isachub.FeedFilter as JSON (encoding/json), stored whole.
CREATE TABLE feeds (
	id           TEXT    PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_id       INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	title        TEXT    NOT NULL,
	description  TEXT    NOT NULL DEFAULT '',
	preset       TEXT    NOT NULL DEFAULT '',
	filter       TEXT    NOT NULL DEFAULT '{}',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX feeds_community ON feeds (community_id, title, id);
CREATE INDEX feeds_org ON feeds (org_id);

-- The rule number of each indicator id (the Suricata and Snort sids of
-- its rules): hub-wide, dense from 0, given the first time it is asked
-- for and never changed.
CREATE TABLE rule_sids (
	indicator_id TEXT    PRIMARY KEY,
	n            INTEGER NOT NULL UNIQUE
);

-- tokens.feed_id binds a token to one feed (isachub.Token.FeedID); NULL
-- for an ordinary token. Deleting the feed deletes its tokens.
ALTER TABLE tokens ADD COLUMN feed_id TEXT REFERENCES feeds (id) ON DELETE CASCADE;
CREATE INDEX tokens_feed ON tokens (feed_id);
