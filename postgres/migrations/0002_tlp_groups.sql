-- TLP enforcement and sharing groups (issue 6).
--
-- object_versions.tlp is the version's own TLP level (stix.TLP: 0 unmarked,
-- 1 clear, 2 green, 3 amber, 4 amber+strict, 5 red): the most restrictive
-- TLP 1.0/2.0 marking among object_marking_refs and granular markings.
-- Unmarked versions take the collection's default_tlp when read, so that
-- the policy (isachub.Reader.Hidden) decides with the collection at hand.
ALTER TABLE object_versions ADD COLUMN tlp smallint NOT NULL DEFAULT 0;

-- The stored bytes are read as json with escaped NULs made escaped spaces
-- (json's operators refuse them; jsonb refuses them and numbers beyond its
-- range too, which stopped this upgrade until 2026-12-08): only
-- marking_ref, an identifier, is read from them.

UPDATE object_versions v SET tlp = coalesce((
	SELECT max(CASE m
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
	FROM (SELECT unnest(v.markings) AS m
		UNION ALL SELECT g ->> 'marking_ref'
		FROM json_array_elements(CASE WHEN position('granular_markings' IN convert_from(v.raw, 'UTF8')) > 0
			AND json_typeof(replace(convert_from(v.raw, 'UTF8'), '\u0000', '\u0020')::json -> 'granular_markings') = 'array'
			THEN replace(convert_from(v.raw, 'UTF8'), '\u0000', '\u0020')::json -> 'granular_markings' ELSE '[]'::json END) AS g) AS ms), 0)
WHERE cardinality(v.markings) > 0 OR position('granular_markings' IN convert_from(v.raw, 'UTF8')) > 0;

-- A sharing group: a named set of member organisations of one community.
CREATE TABLE sharing_groups (
	id           bigserial PRIMARY KEY,
	community_id bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	slug         text NOT NULL,
	name         text NOT NULL,
	created_at   timestamptz NOT NULL,
	UNIQUE (community_id, slug)
);

CREATE TABLE group_members (
	group_id bigint NOT NULL REFERENCES sharing_groups (id) ON DELETE CASCADE,
	org_id   bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, org_id)
);

-- A group's collection: its readers and writers are the group's members.
ALTER TABLE collections ADD COLUMN group_id bigint REFERENCES sharing_groups (id) ON DELETE CASCADE;
CREATE INDEX collections_group ON collections (group_id);
