-- 0003_search_index: full-text indexing leaves the write path.
--
-- AddObjects no longer computes or indexes the search words: it writes
-- object_versions only. An indexer (postgres/indexer.go) fills
-- object_search afterwards, collection by collection, in date_added order:
-- search_progress.indexed_until is the date_added up to which a collection
-- is indexed. Writers commit a collection's versions in date_added order
-- (see the package documentation), so the versions above indexed_until that
-- a reader sees are exactly the ones left to index. SearchObjects first
-- indexes what is left in the collections it searches, so that its results
-- are those of every committed write.

CREATE TABLE object_search (
	collection_id text NOT NULL,
	date_added    bigint NOT NULL,
	search        tsvector NOT NULL,
	PRIMARY KEY (collection_id, date_added)
);
CREATE INDEX object_search_search ON object_search USING gin (search);

CREATE TABLE search_progress (
	collection_id text PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
	indexed_until bigint NOT NULL
);

INSERT INTO object_search (collection_id, date_added, search)
	SELECT collection_id, date_added, search FROM object_versions;
INSERT INTO search_progress (collection_id, indexed_until)
	SELECT id, last_date_added FROM collections;

DROP INDEX object_versions_search;
ALTER TABLE object_versions DROP COLUMN search;

-- Deleted versions (DeleteObject, and DeleteCollection by cascade) leave
-- the search index too. A version deleted while the indexer was indexing it
-- can leave a row behind; SearchObjects joins object_versions, so such a
-- row is never a result.
CREATE FUNCTION object_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM object_search s USING gone g
		WHERE s.collection_id = g.collection_id AND s.date_added = g.date_added;
	RETURN NULL;
END $$;
CREATE TRIGGER object_versions_forget AFTER DELETE ON object_versions
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION object_search_forget();
