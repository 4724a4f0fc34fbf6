-- The dashboard's "most referenced" ranking, kept as objects arrive, for
-- the ids of isachub.RankedTypes (the storetest case "RankedTypes" checks
-- that the list below is the same). What is counted: for each collection,
-- TLP level of the referring version and id referred to, the latest,
-- unrevoked versions that refer to the id, each by the day (UTC) of its
-- date_added.
--
-- ref_totals holds each key's count now. ref_cum holds, for the days on
-- which a key's count changed, its count of versions added up to and
-- including that day. A ranking over the days from D to today is then,
-- per key, the total minus the cumulative count of the last day before D:
-- two look-ups per key, whatever the length of the period (summing per-day
-- rows would read a row per key and day).
CREATE TABLE ref_totals (
	coll INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	tlp  INTEGER NOT NULL,
	ref  TEXT    NOT NULL,
	n    INTEGER NOT NULL,
	PRIMARY KEY (coll, tlp, ref)
) WITHOUT ROWID;

CREATE TABLE ref_cum (
	coll INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	tlp  INTEGER NOT NULL,
	ref  TEXT    NOT NULL,
	day  INTEGER NOT NULL,
	cum  INTEGER NOT NULL,
	PRIMARY KEY (coll, tlp, ref, day)
) WITHOUT ROWID;

-- Writing to ref_delta applies a change of d versions to a key on a day:
-- the total, the cumulative counts of that day and the later ones, and a
-- row for the day if it had none (its predecessor's count plus d).
CREATE VIEW ref_delta AS SELECT coll, tlp, ref, day, cum AS d FROM ref_cum WHERE 0;

CREATE TRIGGER ref_delta_apply INSTEAD OF INSERT ON ref_delta
BEGIN
	INSERT INTO ref_totals (coll, tlp, ref, n) VALUES (new.coll, new.tlp, new.ref, new.d)
		ON CONFLICT (coll, tlp, ref) DO UPDATE SET n = n + excluded.n;
	UPDATE ref_cum SET cum = cum + new.d
		WHERE coll = new.coll AND tlp = new.tlp AND ref = new.ref AND day >= new.day;
	INSERT OR IGNORE INTO ref_cum (coll, tlp, ref, day, cum)
		VALUES (new.coll, new.tlp, new.ref, new.day, new.d + coalesce((SELECT cum FROM ref_cum
			WHERE coll = new.coll AND tlp = new.tlp AND ref = new.ref AND day < new.day ORDER BY day DESC LIMIT 1), 0));
END;

-- The versions stored before this migration.
INSERT INTO ref_delta (coll, tlp, ref, day, d)
	SELECT o.coll, o.tlp, r.ref, o.date_added / 86400000000, count(DISTINCT o.pk)
	FROM object_refs r CROSS JOIN objects o ON o.pk = r.pk
	WHERE o.is_latest = 1 AND o.revoked = 0 AND substr(r.ref, 1, instr(r.ref, '--') - 1) IN
		('attack-pattern', 'campaign', 'course-of-action', 'identity', 'infrastructure', 'intrusion-set',
		 'location', 'malware', 'threat-actor', 'tool', 'vulnerability')
	GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- A reference written for a latest version counts once per version, not
-- once per property that names the id.
CREATE TRIGGER object_refs_ranked_insert AFTER INSERT ON object_refs
WHEN substr(new.ref, 1, instr(new.ref, '--') - 1) IN
	('attack-pattern', 'campaign', 'course-of-action', 'identity', 'infrastructure', 'intrusion-set',
	 'location', 'malware', 'threat-actor', 'tool', 'vulnerability')
	AND NOT EXISTS (SELECT 1 FROM object_refs WHERE pk = new.pk AND ref = new.ref AND prop <> new.prop)
BEGIN
	INSERT INTO ref_delta (coll, tlp, ref, day, d)
		SELECT coll, tlp, new.ref, date_added / 86400000000, 1 FROM objects
		WHERE pk = new.pk AND is_latest = 1 AND revoked = 0;
END;

-- A version that stops being the latest stops counting; one that becomes
-- the latest again (a newer one was deleted) counts again.
CREATE TRIGGER objects_ranked_latest AFTER UPDATE OF is_latest ON objects
WHEN old.is_latest <> new.is_latest AND new.revoked = 0
BEGIN
	INSERT INTO ref_delta (coll, tlp, ref, day, d)
		SELECT DISTINCT new.coll, new.tlp, ref, new.date_added / 86400000000, CASE new.is_latest WHEN 1 THEN 1 ELSE -1 END
		FROM object_refs WHERE pk = new.pk AND substr(ref, 1, instr(ref, '--') - 1) IN
			('attack-pattern', 'campaign', 'course-of-action', 'identity', 'infrastructure', 'intrusion-set',
			 'location', 'malware', 'threat-actor', 'tool', 'vulnerability');
END;

-- BEFORE: objects_refs_delete removes the version's references after it.
CREATE TRIGGER objects_ranked_delete BEFORE DELETE ON objects
WHEN old.is_latest = 1 AND old.revoked = 0
BEGIN
	INSERT INTO ref_delta (coll, tlp, ref, day, d)
		SELECT DISTINCT old.coll, old.tlp, ref, old.date_added / 86400000000, -1
		FROM object_refs WHERE pk = old.pk AND substr(ref, 1, instr(ref, '--') - 1) IN
			('attack-pattern', 'campaign', 'course-of-action', 'identity', 'infrastructure', 'intrusion-set',
			 'location', 'malware', 'threat-actor', 'tool', 'vulnerability');
END;
