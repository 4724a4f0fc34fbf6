-- TLP enforcement and sharing groups (issue 6).
--
-- objects.tlp is the version's own TLP level (stix.TLP: 0 unmarked,
-- 1 clear, 2 green, 3 amber, 4 amber+strict, 5 red): the most restrictive
-- TLP 1.0/2.0 marking among object_marking_refs and granular markings.
-- Unmarked versions take the collection's default_tlp when read, so that
-- the policy (isachub.Reader.Hidden) decides with the collection at hand.
ALTER TABLE objects ADD COLUMN tlp INTEGER NOT NULL DEFAULT 0;

UPDATE objects SET tlp = coalesce((
	SELECT max(CASE m.value
		WHEN 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9' THEN 1
		WHEN 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487' THEN 1
		WHEN 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' THEN 2
		WHEN 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb' THEN 2
		WHEN 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82' THEN 3
		WHEN 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421' THEN 3
		WHEN 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003' THEN 4
		WHEN 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed' THEN 5
		WHEN 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1' THEN 5
		ELSE 0 END)
	FROM (SELECT value FROM json_each(objects.markings)
		UNION ALL SELECT value ->> 'marking_ref' FROM json_each(objects.raw, '$.granular_markings')) m), 0)
WHERE markings <> '[]' OR instr(raw, 'granular_markings') > 0;

-- A sharing group: a named set of member organisations of one community.
CREATE TABLE sharing_groups (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	slug         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	UNIQUE (community_id, slug)
);

CREATE TABLE group_members (
	group_id INTEGER NOT NULL REFERENCES sharing_groups (id) ON DELETE CASCADE,
	org_id   INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, org_id)
) WITHOUT ROWID;

-- A group's collection: its readers and writers are the group's members.
ALTER TABLE collections ADD COLUMN group_id INTEGER REFERENCES sharing_groups (id) ON DELETE CASCADE;
CREATE INDEX collections_group ON collections (group_id);
