-- The dashboard's per-day counts, kept as objects arrive: for each
-- collection, day (UTC, date_added in whole days since the epoch), type
-- and TLP level, how many versions were added. AddObjects adds to them in
-- the same transaction as the rows (one statement per batch); a deleted
-- version is taken off by the trigger. CountAdded reads this table instead
-- of every row of the period.
CREATE TABLE daily_counts (
	coll INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	day  INTEGER NOT NULL,
	type TEXT    NOT NULL,
	tlp  INTEGER NOT NULL,
	n    INTEGER NOT NULL,
	PRIMARY KEY (coll, day, type, tlp)
) WITHOUT ROWID;

INSERT INTO daily_counts (coll, day, type, tlp, n)
	SELECT coll, date_added / 86400000000, type, tlp, count(*) FROM objects GROUP BY 1, 2, 3, 4;

CREATE TRIGGER objects_daily_count_delete AFTER DELETE ON objects BEGIN
	UPDATE daily_counts SET n = n - 1
		WHERE coll = old.coll AND day = old.date_added / 86400000000 AND type = old.type AND tlp = old.tlp;
END;
