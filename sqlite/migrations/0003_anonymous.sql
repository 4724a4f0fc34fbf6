-- Anonymous publishing and moderated collections (issue 6).
--
-- communities.submitter_record is the community's policy for who submitted
-- an anonymous object: '' or 'sealed' (kept in anonymous_submissions.org_id,
-- read only by the hub operator's audited command), 'none' (not kept).
-- communities.anon_secret is the community's 32-byte secret key for
-- re-minting the ids of anonymous objects; it is never shown. Communities
-- created before this migration get a random one here.
ALTER TABLE communities ADD COLUMN submitter_record TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN anon_secret BLOB NOT NULL DEFAULT x'';
UPDATE communities SET anon_secret = randomblob(32);

-- orgs.staff marks the ISAC's own organisation (its analysts moderate).
-- orgs.redaction is the organisation's declared redaction rules
-- (isachub.Redaction as JSON: domains, emails, ip_ranges, patterns).
ALTER TABLE orgs ADD COLUMN staff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN redaction TEXT NOT NULL DEFAULT '{}';

-- collections.anonymous: every submission is published anonymously.
-- collections.moderated: every submission waits in pending for approval.
ALTER TABLE collections ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collections ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0;

-- One row per anonymous submission (isachub.AnonymousSubmission).
--   id:           a UUID (for a moderated submission, its status id).
--   handle_hash:  SHA-256 of the withdrawal handle that only the submitter
--                 received; NULL when none was given. Unique per community.
--   org_id:       the sealed record: the submitting organisation, 0 when
--                 the community keeps none. No foreign key: the record
--                 outlives the organisation's account.
--   collection_id: the TAXII collection id. No foreign key: the record of a
--                 deleted collection stays with its community.
--   withdrawn_at: when the submitter withdrew it, 0 until then.
CREATE TABLE anonymous_submissions (
	id            TEXT    PRIMARY KEY,
	community_id  INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	collection_id TEXT    NOT NULL,
	handle_hash   BLOB,
	org_id        INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	withdrawn_at  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX anonymous_submissions_handle ON anonymous_submissions (community_id, handle_hash);

-- The STIX ids a submission published, in its order (seq from 1).
-- community_id is the submission's, so that the reveal command finds the
-- submissions of an object id with one index.
CREATE TABLE anonymous_objects (
	submission_id TEXT    NOT NULL REFERENCES anonymous_submissions (id) ON DELETE CASCADE,
	seq           INTEGER NOT NULL,
	community_id  INTEGER NOT NULL,
	object_id     TEXT    NOT NULL,
	PRIMARY KEY (submission_id, seq)
) WITHOUT ROWID;
CREATE INDEX anonymous_objects_object ON anonymous_objects (community_id, object_id);

-- The moderation queue (isachub.Pending): submissions to a moderated
-- collection that wait for an analyst.
--   id:        the id of the submission's status resource.
--   coll:      the collection's pk; the queue goes with the collection.
--   submitter: the submitting organisation, 0 when anonymous.
--   anonymous: the anonymous record to store on approval (JSON), or NULL.
--   objects:   the submitted objects as one JSON array whose elements are
--              the objects' exact bytes.
CREATE TABLE pending (
	id           TEXT    PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	coll         INTEGER NOT NULL REFERENCES collections (pk) ON DELETE CASCADE,
	submitter    INTEGER NOT NULL DEFAULT 0,
	anonymous    TEXT,
	objects      BLOB    NOT NULL,
	created_at   INTEGER NOT NULL
);
CREATE INDEX pending_coll ON pending (coll, created_at, id);
