-- The reference index: for each stored version, the ids it refers to by
-- its top-level _ref and _refs properties other than created_by_ref and
-- object_marking_refs (isachub.References), so that a page can find which
-- objects refer to an id (incoming relationships, sightings, notes and
-- opinions) and rank the most referenced ones without reading every
-- object. pk is objects.pk; the rows go with their version.
CREATE TABLE object_refs (
	pk   INTEGER NOT NULL,
	prop TEXT    NOT NULL,
	ref  TEXT    NOT NULL,
	PRIMARY KEY (pk, prop, ref)
) WITHOUT ROWID;
CREATE INDEX object_refs_ref ON object_refs (ref, pk);

CREATE TRIGGER objects_refs_delete AFTER DELETE ON objects
BEGIN
	DELETE FROM object_refs WHERE pk = old.pk;
END;

-- The versions stored before this migration.
INSERT OR IGNORE INTO object_refs (pk, prop, ref)
	SELECT o.pk, j.key, j.value FROM objects o, json_each(CAST(o.raw AS TEXT)) j
	WHERE j.type = 'text' AND j.key LIKE '%\_ref' ESCAPE '\' AND j.key <> 'created_by_ref' AND j.value <> '';
INSERT OR IGNORE INTO object_refs (pk, prop, ref)
	SELECT o.pk, j.key, e.value FROM objects o, json_each(CAST(o.raw AS TEXT)) j, json_each(j.value) e
	WHERE j.type = 'array' AND j.key LIKE '%\_refs' ESCAPE '\' AND j.key <> 'object_marking_refs'
		AND e.type = 'text' AND e.value <> '';

-- What an organisation submitted under its name, newest first (the
-- dashboard's "what my organisation published"); anonymous versions have
-- submitter 0 and stay out of the index.
CREATE INDEX objects_submitter ON objects (submitter, date_added) WHERE submitter <> 0;
