-- Webhooks (isachub.Webhook): an organisation's receiver of a feed, to
-- which package push POSTs the feed's objects after cursor. Deleting the
-- feed, the organisation or the community deletes its webhooks.
--   next_attempt: not before; the zero time (year 1) means at once.
--   claim_owner: the replica that holds the webhook until claim_until
--       (ClaimWebhook), '' when no claim holds it; claim_until is then
--       '-infinity'.
CREATE TABLE webhooks (
	id           bigserial PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	org_id       bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	feed_id      text NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
	url          text NOT NULL,
	secret       text NOT NULL,
	cursor       text NOT NULL DEFAULT '',
	failures     integer NOT NULL DEFAULT 0,
	dead         boolean NOT NULL DEFAULT false,
	next_attempt timestamptz NOT NULL,
	last_error   text NOT NULL DEFAULT '',
	claim_owner  text NOT NULL DEFAULT '',
	claim_until  timestamptz NOT NULL DEFAULT '-infinity',
	created_at   timestamptz NOT NULL
);
-- The webhooks ClaimWebhook may pick, in the order it picks them.
CREATE INDEX webhooks_due ON webhooks (next_attempt, id) WHERE NOT dead;
CREATE INDEX webhooks_community ON webhooks (community_id, id);
CREATE INDEX webhooks_org ON webhooks (org_id);
CREATE INDEX webhooks_feed ON webhooks (feed_id);

-- The delivery log of each webhook (isachub.WebhookDelivery), in the
-- order of id; RecordDelivery keeps the most recent 1,000 of each.
CREATE TABLE webhook_deliveries (
	id         bigserial PRIMARY KEY,
	webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	at         timestamptz NOT NULL,
	objects    integer NOT NULL DEFAULT 0,
	status     integer NOT NULL DEFAULT 0,
	error      text NOT NULL DEFAULT '',
	cursor     text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
