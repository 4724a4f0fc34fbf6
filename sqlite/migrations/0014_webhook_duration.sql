-- How long each delivery of a webhook's log took (isachub.WebhookDelivery
-- Duration), so that its organisation sees a slow receiver.
--   duration_us: microseconds from the POST to the receiver's answer (or
--       the failure); 0 when there was no POST, and for the entries
--       logged before this migration.
ALTER TABLE webhook_deliveries ADD COLUMN duration_us INTEGER NOT NULL DEFAULT 0;
