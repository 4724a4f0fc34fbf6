-- The reference index: for each stored version, the ids it refers to by
-- its top-level _ref and _refs properties other than created_by_ref and
-- object_marking_refs (isachub.References), so that a page can find which
-- objects refer to an id (incoming relationships, sightings, notes and
-- opinions) and rank the most referenced ones without reading every
-- object. The indexer fills it with the search index (indexer.go), in the
-- same transaction, so search_progress.indexed_until covers both.
CREATE TABLE object_refs (
	collection_id text   NOT NULL,
	date_added    bigint NOT NULL,
	prop          text   NOT NULL,
	ref           text   NOT NULL,
	PRIMARY KEY (collection_id, date_added, prop, ref)
);
CREATE INDEX object_refs_ref ON object_refs (ref, collection_id, date_added);

-- Deleted versions leave the reference index too.
CREATE FUNCTION object_refs_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM object_refs r USING gone g
		WHERE r.collection_id = g.collection_id AND r.date_added = g.date_added;
	RETURN NULL;
END $$;
CREATE TRIGGER object_versions_forget_refs AFTER DELETE ON object_versions
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION object_refs_forget();

-- The versions indexed before this migration; the indexer does the rest.
-- Read as json with escaped NULs made escaped spaces, as in 0002 (jsonb
-- refused valid stored objects): only identifiers are read from them.
INSERT INTO object_refs (collection_id, date_added, prop, ref)
	SELECT v.collection_id, v.date_added, j.key, r.ref
	FROM object_versions v
	JOIN search_progress p ON p.collection_id = v.collection_id AND v.date_added <= p.indexed_until
	CROSS JOIN LATERAL json_each(replace(convert_from(v.raw, 'UTF8'), '\u0000', '\u0020')::json) j
	CROSS JOIN LATERAL (
		SELECT j.value #>> '{}' AS ref WHERE json_typeof(j.value) = 'string' AND j.key LIKE '%\_ref' AND j.key <> 'created_by_ref'
		UNION ALL
		SELECT e #>> '{}' FROM json_array_elements(CASE WHEN json_typeof(j.value) = 'array' THEN j.value ELSE '[]' END) e
		WHERE j.key LIKE '%\_refs' AND j.key <> 'object_marking_refs' AND json_typeof(e) = 'string'
	) r
	WHERE r.ref <> ''
	ON CONFLICT DO NOTHING;

-- What an organisation submitted under its name, newest first (the
-- dashboard's "what my organisation published"); anonymous versions have
-- submitter 0 and stay out of the index.
CREATE INDEX object_versions_submitter ON object_versions (submitter_org_id, date_added) WHERE submitter_org_id <> 0;
