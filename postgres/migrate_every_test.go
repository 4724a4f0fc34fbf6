package postgres_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/internal/upgradetest"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/stix"
)

// TestMigrateFromEveryVersion upgrades, for every schema version v before
// the latest, a database that holds everything a hub at v could hold (the
// fixture, written by the fragments of the migrations up to v, as the store
// of that version wrote it) and checks through the store's API that it all
// reads back as stored, that what later migrations derive from old rows
// (TLP levels, community secrets, the search index, the reference index)
// is right, that the indexer finishes what it had left, and that the
// upgraded store takes new writes.
func TestMigrateFromEveryVersion(t *testing.T) {
	f := upgradetest.New(t, schema)
	latest := latestMigration(t)
	if len(pgSeed) != latest {
		t.Fatalf("%d seed fragments for %d migrations: give the new migration a fragment (nil when it adds nothing to hold)", len(pgSeed), latest)
	}
	if testing.Short() {
		t.Skip("upgrades a database from every schema version: runs in the full pass, not with -short (the race pass, where it finds nothing a race could cause and takes half a minute)")
	}
	// Two upgrades at a time: each waits mostly on the server.
	slots := make(chan struct{}, 2)
	for v := 1; v < latest; v++ {
		t.Run("From"+strconv.Itoa(v), func(t *testing.T) {
			t.Parallel()
			slots <- struct{}{}
			defer func() { <-slots }()
			db, err := upgradeFrom(t, f, v)
			if err != nil {
				t.Fatalf("Open after version %d: %v", v, err)
			}
			upgradetest.Check(t, db, f, v)
		})
	}
}

// TestMigrateBeyondJSONB upgrades databases that hold a version that
// PostgreSQL's jsonb cannot hold (an escaped NUL, "\u0000", and the
// number 1e400000: valid JSON, storable, see stix.TextIssue) from the
// versions before schema.BeyondJSONB. Migrations 0002 and 0007 read the
// stored bytes as json, which takes them, where they first read jsonb,
// which refused them and stopped the upgrade (found by this test).
func TestMigrateBeyondJSONB(t *testing.T) {
	var notes []string
	for _, v := range upgradetest.New(t, schema).Versions {
		if v.Mig == schema.BeyondJSONB {
			notes = append(notes, v.Obj.ID())
		}
	}
	for _, id := range notes {
		for _, v := range []int{1, schema.BeyondJSONB - 1} {
			t.Run(id+"/From"+strconv.Itoa(v), func(t *testing.T) {
				f := upgradetest.New(t, schema)
				for _, fv := range f.Versions {
					if fv.Obj.ID() == id {
						fv.Mig = 1 // stored from the first version on
					}
				}
				db, err := upgradeFrom(t, f, v)
				if err != nil {
					t.Fatalf("Open after version %d: %v", v, err)
				}
				upgradetest.Check(t, db, f, v)
			})
		}
	}
}

// upgradeFrom stores the fixture in a new database at version v, then
// opens it with Open, which migrates it to the latest version. The store
// is closed when the test ends.
func upgradeFrom(t *testing.T, f *upgradetest.Fixture, v int) (*postgres.DB, error) {
	ctx := t.Context()
	dsn := pgtest.Schema(t, "./postgres/", "isachub_migrate_every_")
	old, err := postgres.OpenAt(ctx, dsn, v)
	if err != nil {
		t.Fatal(err)
	}
	s := &pgSeeder{t: t, db: old, f: f, v: v, indexed: map[string]bool{}}
	for m := 1; m <= v; m++ {
		if seed := pgSeed[m-1]; seed != nil {
			seed(s)
		}
	}
	old.Close()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { db.Close() })
	return db, nil
}

// latestMigration is the number of the last embedded migration (the
// package exports no SchemaVersion): its file's in migrations/.
func latestMigration(tb testing.TB) int {
	tb.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no migrations: %v", err)
	}
	slices.Sort(files)
	n, err := strconv.Atoi(strings.SplitN(filepath.Base(files[len(files)-1]), "_", 2)[0])
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// schema names the migrations the fixture and the checks depend on.
var schema = upgradetest.Migrations{Groups: 2, Anonymous: 5, Sessions: 6, Joining: 8, SightingK: 9, Feeds: 10, Webhooks: 11,
	Federation: 13, Duration: 14, BeyondJSONB: 7}

// pgSeeder writes the fixture into a database at version v.
type pgSeeder struct {
	t       *testing.T
	db      *postgres.DB
	f       *upgradetest.Fixture
	v       int
	indexed map[string]bool // the collections the indexer has done (from migration 3)
}

func (s *pgSeeder) exec(q string, args ...any) {
	s.t.Helper()
	if err := s.db.Exec(s.t.Context(), q, args...); err != nil {
		s.t.Fatalf("seeding version %d: %s: %v", s.v, q, err)
	}
}

// serial moves the id sequence of table past its rows, as inserts by the
// store would have.
func (s *pgSeeder) serial(table string) {
	s.t.Helper()
	s.exec(`SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), (SELECT max(id) FROM ` + table + `))`)
}

// orNull is nil for the zero time (the nullable timestamp columns).
func orNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func values(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
	}
	return b.String()
}

// collections stores the fixture's collections of migration mig.
func (s *pgSeeder) collections(mig int) {
	for _, c := range s.f.Colls {
		if c.Mig != mig {
			continue
		}
		var last int64
		for _, v := range s.f.At(s.v) {
			if v.Coll == c.ID {
				last = max(last, v.Added)
			}
		}
		var alias any
		if c.Alias != "" {
			alias = c.Alias
		}
		readers, writers := c.Readers, c.Writers
		if c.GroupID != 0 || readers == nil {
			readers = []int64{} // a group's members read and write
		}
		if c.GroupID != 0 || writers == nil {
			writers = []int64{}
		}
		cols := `id, community_id, title, description, alias, read_all, readers, write_all, writers, default_tlp, created_at, last_date_added`
		args := []any{c.ID, c.CommunityID, c.Title, c.Description, alias, c.ReadAll, readers, c.WriteAll, writers,
			c.DefaultTLP, c.CreatedAt, last}
		if s.v >= 2 {
			var group any
			if c.GroupID != 0 {
				group = c.GroupID
			}
			cols += `, group_id`
			args = append(args, group)
		}
		if s.v >= schema.Anonymous {
			cols += `, anonymous, moderated`
			args = append(args, c.Anonymous, c.Moderated)
		}
		s.exec(`INSERT INTO collections (`+cols+`) VALUES (`+values(len(args))+`)`, args...)
	}
}

// searchWords is what the store indexes of o: the distinct lower-cased
// words (letters and digits) of its searchable text.
func searchWords(o *stix.Object) []string {
	words := strings.FieldsFunc(strings.ToLower(isachub.SearchText(o)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	slices.Sort(words)
	return slices.Compact(words)
}

// objects stores the fixture's versions of migration mig with the columns
// the store writes (the search words in the row until migration 3).
func (s *pgSeeder) objects(mig int) {
	for _, v := range s.f.Versions {
		if v.Mig != mig {
			continue
		}
		o := v.Obj
		vts := v.Version.Truncate(time.Microsecond)
		vkey := isachub.FormatTimestamp(vts)
		if o.Version() == "" {
			vkey = "sha256:" + upgradetest.HexSHA256(o.Raw())
		}
		markings := o.ObjectMarkingRefs()
		if markings == nil {
			markings = []string{}
		}
		cols := `collection_id, date_added, id, type, spec_version, created, modified, version_ts, vkey, revoked, created_by_ref,
			markings, submitter_org_id, is_first, is_latest, spec_latest, raw`
		args := []any{v.Coll, v.Added, o.ID(), o.Type(), v.Spec, o.Created(), o.Modified(), vts, vkey, o.Revoked(),
			o.CreatedByRef(), markings, v.Org, v.First, v.Latest, v.SpecLatest, []byte(o.Raw())}
		vals := values(len(args))
		if s.v >= 2 {
			cols += `, tlp`
			args = append(args, int16(stix.EffectiveTLP(o)))
			vals += ", $" + strconv.Itoa(len(args))
		}
		if s.v < 3 {
			cols += `, search`
			args = append(args, searchWords(o))
			vals += ", array_to_tsvector($" + strconv.Itoa(len(args)) + "::text[])"
		}
		s.exec(`INSERT INTO object_versions (`+cols+`) VALUES (`+vals+`)`, args...)
	}
}

// pgSeed holds, for each migration in order, what its tables and columns
// hold in the fixture, written into a database at s.v >= the migration
// (nil: the migration adds nothing that holds data).
var pgSeed = []func(s *pgSeeder){
	1: func(s *pgSeeder) { // 0001_init
		f := s.f
		for i, c := range f.Comms {
			cols := `id, slug, title, description, sector, identity_id, max_content_length, created_at`
			args := []any{c.ID, c.Slug, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength, c.CreatedAt}
			if s.v >= schema.Anonymous { // the secret has no default
				cols += `, anon_secret`
				args = append(args, f.Secrets[i])
			}
			s.exec(`INSERT INTO communities (`+cols+`) VALUES (`+values(len(args))+`)`, args...)
		}
		for _, o := range f.Orgs {
			s.exec(`INSERT INTO orgs (id, community_id, slug, name, identity_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				o.ID, o.CommunityID, o.Slug, o.Name, o.IdentityID, o.CreatedAt)
		}
		for _, u := range f.Users {
			s.exec(`INSERT INTO users (id, org_id, username, role, hub_admin, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				u.ID, u.OrgID, u.Username, string(u.Role), u.HubAdmin, u.PasswordHash, u.CreatedAt)
		}
		for _, tk := range f.Tokens {
			if tk.Mig == 1 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
					tk.ID, tk.UserID, tk.Name, tk.Hash, tk.Anonymous, tk.CreatedAt, orNull(tk.LastUsedAt))
			}
		}
		for _, table := range []string{"communities", "orgs", "users", "tokens"} {
			s.serial(table)
		}
		s.collections(1)
		s.objects(1)
		type detail struct {
			ID      string `json:"id"`
			Version string `json:"version,omitempty"`
			Message string `json:"message,omitempty"`
		}
		for _, st := range f.Statuses {
			lists := make([][]byte, 3)
			for i, l := range [][]isachub.StatusDetail{st.Successes, st.Failures, st.Pendings} {
				ds := make([]detail, len(l))
				for j, d := range l {
					ds[j] = detail(d)
				}
				b, err := json.Marshal(ds)
				if err != nil {
					s.t.Fatal(err)
				}
				lists[i] = b
			}
			s.exec(`INSERT INTO statuses (id, community_id, collection_id, org_id, status, request_timestamp, total_count,
				successes, failures, pendings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, st.ID, st.CommunityID,
				st.CollectionID, st.OrgID, st.Status, st.RequestTimestamp, st.TotalCount, lists[0], lists[1], lists[2])
		}
		a := f.Audit
		s.exec(`INSERT INTO audit_log (id, at, community_id, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			a.ID, a.At, a.CommunityID, a.UserID, a.Action, a.Target, a.Detail)
		j := f.Job
		s.exec(`INSERT INTO jobs (id, kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
			j.ID, j.Kind, []byte(j.Payload), j.RunAt, j.CreatedAt)
		s.serial("audit_log")
		s.serial("jobs")
	},
	2: func(s *pgSeeder) { // 0002_tlp_groups: object_versions.tlp (in objects), sharing groups
		g := s.f.Group
		s.exec(`INSERT INTO sharing_groups (id, community_id, slug, name, created_at) VALUES ($1, $2, $3, $4, $5)`,
			g.ID, g.CommunityID, g.Slug, g.Name, g.CreatedAt)
		s.serial("sharing_groups")
		for _, org := range g.Members {
			s.exec(`INSERT INTO group_members (group_id, org_id) VALUES ($1, $2)`, g.ID, org)
		}
		s.collections(2)
		s.objects(2)
	},
	3: func(s *pgSeeder) { // 0003_search_index: the indexer has done every collection but the Board's
		for _, c := range s.f.CollsAt(s.v) {
			if c.Mig > 3 || c.Title == "Board" {
				continue
			}
			var last int64
			for _, v := range s.f.At(s.v) {
				if v.Coll == c.ID {
					s.exec(`INSERT INTO object_search (collection_id, date_added, search) VALUES ($1, $2, array_to_tsvector($3::text[]))`,
						v.Coll, v.Added, searchWords(v.Obj))
					last = max(last, v.Added)
				}
			}
			s.exec(`INSERT INTO search_progress (collection_id, indexed_until) VALUES ($1, $2)`, c.ID, last)
			s.indexed[c.ID] = true
		}
	},
	4: nil, // 0004_versions_no_fk
	5: func(s *pgSeeder) { // 0005_anonymous
		f := s.f
		s.exec(`UPDATE communities SET anon_secret = $1, submitter_record = 'sealed' WHERE id = 1`, f.Secrets[0])
		s.exec(`UPDATE communities SET anon_secret = $1, submitter_record = 'none' WHERE id = 2`, f.Secrets[1])
		s.exec(`UPDATE orgs SET staff = true, redaction = '{"domains":["acme-air.example"],"emails":["ceo@acme-air.example"]}' WHERE id = 1`)
		s.collections(5)
		s.objects(5)
		a := f.Anon
		s.exec(`INSERT INTO anonymous_submissions (id, community_id, collection_id, handle_hash, org_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, a.ID, a.CommunityID, a.CollectionID, a.HandleHash, a.OrgID, a.CreatedAt)
		for i, id := range a.ObjectIDs {
			s.exec(`INSERT INTO anonymous_objects (submission_id, seq, community_id, object_id) VALUES ($1, $2, $3, $4)`,
				a.ID, i+1, a.CommunityID, id)
		}
		p := f.Pending
		rec, err := json.Marshal(map[string]any{"id": p.Anonymous.ID, "community_id": p.Anonymous.CommunityID,
			"collection_id": p.Anonymous.CollectionID, "org_id": p.Anonymous.OrgID, "object_ids": p.Anonymous.ObjectIDs,
			"created_at": p.Anonymous.CreatedAt, "withdrawn_at": p.Anonymous.WithdrawnAt})
		if err != nil {
			s.t.Fatal(err)
		}
		s.exec(`INSERT INTO pending (id, community_id, collection_id, submitter_org_id, anonymous, objects, created_at)
			VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`, p.ID, p.CommunityID, p.CollectionID, p.SubmitterOrgID, string(rec),
			upgradetest.JoinRaw(p.Objects), p.CreatedAt)
	},
	6: func(s *pgSeeder) { // 0006_sessions
		se := s.f.Session
		s.exec(`INSERT INTO sessions (id, user_id, hash, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			se.ID, se.UserID, se.Hash, se.CSRFToken, se.CreatedAt, se.LastSeenAt, se.ExpiresAt)
		s.serial("sessions")
	},
	7: func(s *pgSeeder) { // 0007_references: the indexer writes them with the search words
		s.objects(7) // from this version on, what jsonb cannot hold upgrades (schema.BeyondJSONB)
		for _, v := range s.f.At(s.v) {
			if !s.indexed[v.Coll] {
				continue
			}
			for _, r := range isachub.References(v.Obj) {
				s.exec(`INSERT INTO object_refs (collection_id, date_added, prop, ref) VALUES ($1, $2, $3, $4)`,
					v.Coll, v.Added, r.Property, r.Ref)
			}
		}
	},
	8: func(s *pgSeeder) { // 0008_joining
		for _, r := range s.f.Requests {
			var decidedBy, org any
			if r.DecidedBy != 0 {
				decidedBy, org = r.DecidedBy, r.OrgID
			}
			s.exec(`INSERT INTO membership_requests (id, community_id, org_name, contact, email, sector, reason, status, decision,
				decided_by, org_id, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				r.ID, r.CommunityID, r.OrgName, r.Contact, r.Email, r.Sector, r.Reason, r.Status, r.Decision, decidedBy, org,
				r.CreatedAt, orNull(r.DecidedAt))
		}
		i := s.f.Invite
		s.exec(`INSERT INTO invitations (id, org_id, role, hash, created_by, note, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			i.ID, i.OrgID, string(i.Role), i.Hash, i.CreatedBy, i.Note, i.CreatedAt, i.ExpiresAt)
		s.serial("membership_requests")
		s.serial("invitations")
	},
	9: func(s *pgSeeder) { // 0009_sighting_k
		s.exec(`UPDATE communities SET sighting_k = 5 WHERE id = 1`)
	},
	10: func(s *pgSeeder) { // 0010_feeds
		fd := s.f.Feed
		filter, err := json.Marshal(fd.Filter)
		if err != nil {
			s.t.Fatal(err)
		}
		s.exec(`INSERT INTO feeds (id, community_id, org_id, title, description, preset, filter, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, fd.ID, fd.CommunityID, fd.OrgID, fd.Title, fd.Description, fd.Preset,
			string(filter), fd.CreatedAt, fd.UpdatedAt)
		for id, n := range s.f.SIDs {
			s.exec(`INSERT INTO rule_sids (indicator_id, n) VALUES ($1, $2)`, id, n)
		}
		for _, tk := range s.f.Tokens {
			if tk.Mig == 10 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, feed_id, created_at, last_used_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, tk.ID, tk.UserID, tk.Name, tk.Hash, tk.Anonymous, tk.FeedID,
					tk.CreatedAt, orNull(tk.LastUsedAt))
			}
		}
		s.serial("tokens")
	},
	11: func(s *pgSeeder) { // 0011_webhooks
		for _, w := range s.f.Hooks {
			s.exec(`INSERT INTO webhooks (id, community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt,
				last_error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, w.ID, w.CommunityID, w.OrgID,
				w.FeedID, w.URL, w.Secret, w.Cursor, w.Failures, w.Dead, w.NextAttempt, w.LastError, w.CreatedAt)
		}
		d := s.f.Delivery
		s.exec(`INSERT INTO webhook_deliveries (webhook_id, at, objects, status, error, cursor) VALUES ($1, $2, $3, $4, $5, $6)`,
			d.WebhookID, d.At, d.Objects, d.Status, d.Error, d.Cursor)
		s.serial("webhooks")
	},
	12: nil, // 0012_queues: an index
	13: func(s *pgSeeder) { // 0013_federation
		p, sub := s.f.Peer, s.f.Sub
		s.exec(`INSERT INTO peers (id, community_id, name, url, org_id, username, credential, trusted, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, p.ID, p.CommunityID, p.Name, p.URL, p.OrgID, p.User, p.Credential,
			p.Trusted, p.CreatedAt)
		s.exec(`INSERT INTO peer_subscriptions (id, peer_id, community_id, direction, remote, local_id, interval_us, checkpoint,
			next_run, last_run, last_success, last_error, moved, refused, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			sub.ID, sub.PeerID, sub.CommunityID, string(sub.Direction), sub.Remote, sub.Local, sub.Interval.Microseconds(),
			sub.Checkpoint, sub.NextRun, sub.LastRun, sub.LastSuccess, sub.LastError, sub.Moved, sub.Refused, sub.CreatedAt)
		s.exec(`INSERT INTO object_origins (collection_id, object_id, version, peer_id, received_at) VALUES ($1, $2, $3, $4, $5)`,
			s.f.OriginOf.Coll, s.f.OriginOf.Obj.ID(), s.f.OriginOf.Obj.Version(), s.f.Origin.PeerID, s.f.Origin.ReceivedAt)
	},
	14: func(s *pgSeeder) { // 0014_webhook_duration
		s.exec(`UPDATE webhook_deliveries SET duration_us = $1`, s.f.Took.Microseconds())
	},
}[1:]
