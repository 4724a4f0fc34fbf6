-- Webhooks (isachub.Webhook): an organisation's receiver of a feed, to
-- which package push POSTs the feed's objects after cursor. Deleting the
-- feed, the organisation or the community deletes its webhooks.
--   next_attempt, claim_until, created_at: microseconds since the epoch,
--       0 for the zero time (next_attempt 0: at once).
--   claim_owner: the replica that holds the webhook until claim_until
--       (ClaimWebhook), '' when no claim holds it.
CREATE TABLE webhooks (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_id       INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	feed_id      TEXT    NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
	url          TEXT    NOT NULL,
	secret       TEXT    NOT NULL,
	cursor       TEXT    NOT NULL DEFAULT '',
	failures     INTEGER NOT NULL DEFAULT 0,
	dead         INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT '',
	claim_owner  TEXT    NOT NULL DEFAULT '',
	claim_until  INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);
-- The webhooks ClaimWebhook may pick, in the order it picks them.
CREATE INDEX webhooks_due ON webhooks (next_attempt, id) WHERE dead = 0;
CREATE INDEX webhooks_community ON webhooks (community_id, id);
CREATE INDEX webhooks_org ON webhooks (org_id);
CREATE INDEX webhooks_feed ON webhooks (feed_id);

-- The delivery log of each webhook (isachub.WebhookDelivery), in the
-- order of id; RecordDelivery keeps the most recent 1,000 of each.
--   at: microseconds since the epoch.
CREATE TABLE webhook_deliveries (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	at         INTEGER NOT NULL,
	objects    INTEGER NOT NULL DEFAULT 0,
	status     INTEGER NOT NULL DEFAULT 0,
	error      TEXT    NOT NULL DEFAULT '',
	cursor     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
