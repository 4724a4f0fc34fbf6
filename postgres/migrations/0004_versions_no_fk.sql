-- 0004_versions_no_fk: object_versions loses its foreign key to collections.
--
-- The foreign key checked every inserted version (an index lookup and a
-- row lock on the collection, per row): about a sixth of bulk ingest's
-- time. It guarded nothing that the write protocol does not: AddObjects
-- locks the collection's row (SELECT ... FOR UPDATE) before it writes and
-- holds the lock until it commits, so the collection exists when its
-- versions commit, and DELETE FROM collections waits for that lock. The
-- cascade on delete becomes a statement trigger, which also runs for
-- collections deleted by cascade from their community.

ALTER TABLE object_versions DROP CONSTRAINT object_versions_collection_id_fkey;

CREATE FUNCTION collections_forget_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM object_versions v USING gone g WHERE v.collection_id = g.id;
	RETURN NULL;
END $$;
CREATE TRIGGER collections_forget_versions AFTER DELETE ON collections
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION collections_forget_versions();
