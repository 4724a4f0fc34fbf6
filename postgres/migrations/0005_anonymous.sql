-- 0005_anonymous: anonymous publishing and moderated collections (issue 6).
--
-- communities.submitter_record is the community's policy for who submitted
-- an anonymous object: '' or 'sealed' (kept in anonymous_submissions.org_id,
-- read only by the hub operator's audited command), 'none' (not kept).
-- communities.anon_secret is the community's 32-byte secret key for
-- re-minting the ids of anonymous objects; it is never shown. Communities
-- created before this migration get a random one here (two random UUIDs:
-- gen_random_uuid is built in since PostgreSQL 13, no extension needed).
ALTER TABLE communities ADD COLUMN submitter_record text NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN anon_secret bytea;
UPDATE communities SET anon_secret = uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
ALTER TABLE communities ALTER COLUMN anon_secret SET NOT NULL;

-- orgs.staff marks the ISAC's own organisation (its analysts moderate).
-- orgs.redaction is the organisation's declared redaction rules
-- (isachub.Redaction as JSON: domains, emails, ip_ranges, patterns).
ALTER TABLE orgs ADD COLUMN staff boolean NOT NULL DEFAULT false;
ALTER TABLE orgs ADD COLUMN redaction text NOT NULL DEFAULT '{}';

-- collections.anonymous: every submission is published anonymously.
-- collections.moderated: every submission waits in pending for approval.
ALTER TABLE collections ADD COLUMN anonymous boolean NOT NULL DEFAULT false;
ALTER TABLE collections ADD COLUMN moderated boolean NOT NULL DEFAULT false;

-- One row per anonymous submission (isachub.AnonymousSubmission).
--   id:            a UUID (for a moderated submission, its status id).
--   handle_hash:   SHA-256 of the withdrawal handle that only the submitter
--                  received; NULL when none was given. Unique per community.
--   org_id:        the sealed record: the submitting organisation, 0 when
--                  the community keeps none. No foreign key: the record
--                  outlives the organisation's account.
--   collection_id: the TAXII collection id. No foreign key: the record of
--                  a deleted collection stays with its community.
--   withdrawn_at:  when the submitter withdrew it, NULL until then.
CREATE TABLE anonymous_submissions (
	id            text PRIMARY KEY,
	community_id  bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	collection_id text NOT NULL,
	handle_hash   bytea,
	org_id        bigint NOT NULL DEFAULT 0,
	created_at    timestamptz NOT NULL,
	withdrawn_at  timestamptz,
	UNIQUE (community_id, handle_hash)
);

-- The STIX ids a submission published, in its order (seq from 1).
-- community_id is the submission's, so that the reveal command finds the
-- submissions of an object id with one index.
CREATE TABLE anonymous_objects (
	submission_id text NOT NULL REFERENCES anonymous_submissions (id) ON DELETE CASCADE,
	seq           integer NOT NULL,
	community_id  bigint NOT NULL,
	object_id     text NOT NULL,
	PRIMARY KEY (submission_id, seq)
);
CREATE INDEX anonymous_objects_object ON anonymous_objects (community_id, object_id);

-- The moderation queue (isachub.Pending): submissions to a moderated
-- collection that wait for an analyst.
--   id:               the id of the submission's status resource.
--   collection_id:    the queue goes with the collection (ON DELETE CASCADE).
--   submitter_org_id: the submitting organisation, 0 when anonymous.
--   anonymous:        the anonymous record to store on approval, or NULL.
--   objects:          the submitted objects as one JSON array whose
--                     elements are the objects' exact bytes (bytea: json
--                     would reject invalid UTF-8, jsonb would reformat).
CREATE TABLE pending (
	id               text PRIMARY KEY,
	community_id     bigint NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	collection_id    text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	submitter_org_id bigint NOT NULL DEFAULT 0,
	anonymous        jsonb,
	objects          bytea NOT NULL,
	created_at       timestamptz NOT NULL
);
CREATE INDEX pending_collection ON pending (collection_id, created_at, id);
