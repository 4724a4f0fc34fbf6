-- The status resources still pending (isachub.Queues, counted by /metrics
-- at every scrape): a partial index keeps the count to the few rows that
-- wait for moderation, however many statuses the hub keeps.
CREATE INDEX statuses_pending ON statuses (id) WHERE status = 'pending';
