package sqlite_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/upgradetest"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
)

// TestMigrateFromEveryVersion upgrades, for every schema version v before
// the latest, a database that holds everything a hub at v could hold (the
// fixture, written by the fragments of the migrations up to v, as the store
// of that version wrote it) and checks through the store's API that it all
// reads back as stored, that what later migrations derive from old rows
// (TLP levels, community secrets, the reference index, the per-day counts,
// the reference ranking) is right, and that the upgraded store takes new
// writes.
func TestMigrateFromEveryVersion(t *testing.T) {
	f := upgradetest.New(t, schema)
	latest := sqlite.SchemaVersion()
	if len(sqliteSeed) != latest {
		t.Fatalf("%d seed fragments for %d migrations: give the new migration a fragment (nil when it adds nothing to hold)", len(sqliteSeed), latest)
	}
	if testing.Short() {
		t.Skip("upgrades a database from every schema version: runs in the full pass, not with -short (the race pass, where it finds nothing a race could cause and takes half a minute)")
	}
	for v := 1; v < latest; v++ {
		t.Run("From"+strconv.Itoa(v), func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "old.db")
			old, err := sqlite.OpenAt(ctx, path, v)
			if err != nil {
				t.Fatal(err)
			}
			s := &sqliteSeeder{t: t, db: old, f: f, v: v}
			for m := 1; m <= v; m++ {
				if seed := sqliteSeed[m-1]; seed != nil {
					seed(s)
				}
			}
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatalf("Open after version %d: %v", v, err)
			}
			defer db.Close()
			upgradetest.Check(t, db, f, v)
		})
	}
}

// schema names the migrations the fixture and the checks depend on.
var schema = upgradetest.Migrations{Groups: 2, Anonymous: 3, Sessions: 4, Joining: 6, SightingK: 8, Feeds: 10, Webhooks: 11,
	Federation: 13, Duration: 14, BeyondJSONB: 1}

// sqliteSeeder writes the fixture into a database at version v.
type sqliteSeeder struct {
	t  *testing.T
	db *sqlite.DB
	f  *upgradetest.Fixture
	v  int
}

func (s *sqliteSeeder) exec(q string, args ...any) {
	s.t.Helper()
	if err := s.db.Exec(s.t.Context(), q, args...); err != nil {
		s.t.Fatalf("seeding version %d: %s: %v", s.v, q, err)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// collections stores the fixture's collections of migration mig.
func (s *sqliteSeeder) collections(mig int) {
	for _, c := range s.f.Colls {
		if c.Mig != mig {
			continue
		}
		cols := `pk, id, community_id, title, description, alias, read_all, write_all, default_tlp, created_at, last_date_added`
		var alias any
		if c.Alias != "" {
			alias = c.Alias
		}
		var last int64
		for _, v := range s.f.At(s.v) {
			if v.Coll == c.ID {
				last = max(last, v.Added)
			}
		}
		args := []any{c.PK, c.ID, c.CommunityID, c.Title, c.Description, alias, boolInt(c.ReadAll),
			boolInt(c.WriteAll), c.DefaultTLP, upgradetest.Micros(c.CreatedAt), last}
		if s.v >= 2 {
			var group any
			if c.GroupID != 0 {
				group = c.GroupID
			}
			cols += `, group_id`
			args = append(args, group)
		}
		if s.v >= 3 {
			cols += `, anonymous, moderated`
			args = append(args, boolInt(c.Anonymous), boolInt(c.Moderated))
		}
		s.exec(`INSERT INTO collections (`+cols+`) VALUES (?`+strings.Repeat(`, ?`, len(args)-1)+`)`, args...)
		if c.GroupID != 0 {
			continue // a group's members read and write
		}
		for _, org := range c.Readers {
			s.exec(`INSERT INTO collection_readers (coll, org_id) VALUES (?, ?)`, c.PK, org)
		}
		for _, org := range c.Writers {
			s.exec(`INSERT INTO collection_writers (coll, org_id) VALUES (?, ?)`, c.PK, org)
		}
	}
}

// objects stores the fixture's versions of migration mig with the columns
// and the full-text entries the store writes (the later indexes have
// fragments of their own).
func (s *sqliteSeeder) objects(mig int) {
	for _, v := range s.f.Versions {
		if v.Mig != mig {
			continue
		}
		o := v.Obj
		vts := v.Version.Format("2006-01-02T15:04:05.000000000Z")
		vkey := vts
		if o.Version() == "" {
			vkey = "sha256:" + upgradetest.HexSHA256(o.Raw())
		}
		cols := `pk, coll, date_added, id, type, spec_version, created, modified, vts, vkey, revoked, created_by_ref,
			markings, submitter, is_latest, is_first, spec_latest, raw`
		args := []any{v.PK, s.f.Coll(v.Coll).PK, v.Added, o.ID(), o.Type(), v.Spec, o.Created(), o.Modified(), vts, vkey,
			boolInt(o.Revoked()), o.CreatedByRef(), upgradetest.MarkingsJSON(o), v.Org, boolInt(v.Latest), boolInt(v.First),
			boolInt(v.SpecLatest), []byte(o.Raw())}
		if s.v >= 2 {
			cols += `, tlp`
			args = append(args, int(stix.EffectiveTLP(o)))
		}
		s.exec(`INSERT INTO objects (`+cols+`) VALUES (?`+strings.Repeat(`, ?`, len(args)-1)+`)`, args...)
		if v.Latest {
			s.exec(`INSERT INTO objects_fts (rowid, body) VALUES (?, ?)`, v.PK, ftsBody(isachub.SearchText(o)))
		}
	}
}

// sqliteSeed holds, for each migration in order, what its tables and
// columns hold in the fixture, written into a database at s.v >= the
// migration (nil: the migration adds nothing that holds data).
var sqliteSeed = []func(s *sqliteSeeder){
	1: func(s *sqliteSeeder) { // 0001_init
		f := s.f
		for _, c := range f.Comms {
			s.exec(`INSERT INTO communities (id, slug, title, description, sector, identity_id, max_content_length, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Slug, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength,
				upgradetest.Micros(c.CreatedAt))
		}
		for _, o := range f.Orgs {
			s.exec(`INSERT INTO orgs (id, community_id, slug, name, identity_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				o.ID, o.CommunityID, o.Slug, o.Name, o.IdentityID, upgradetest.Micros(o.CreatedAt))
		}
		for _, u := range f.Users {
			s.exec(`INSERT INTO users (id, org_id, username, role, hub_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				u.ID, u.OrgID, u.Username, string(u.Role), boolInt(u.HubAdmin), u.PasswordHash, upgradetest.Micros(u.CreatedAt))
		}
		for _, tk := range f.Tokens {
			if tk.Mig == 1 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					tk.ID, tk.UserID, tk.Name, tk.Hash, boolInt(tk.Anonymous), upgradetest.Micros(tk.CreatedAt), upgradetest.Micros(tk.LastUsedAt))
			}
		}
		s.collections(1)
		s.objects(1)
		for _, st := range f.Statuses {
			lists := make([]string, 3)
			for i, l := range [][]isachub.StatusDetail{st.Successes, st.Failures, st.Pendings} {
				b, err := json.Marshal(l)
				if err != nil {
					s.t.Fatal(err)
				}
				lists[i] = string(b)
			}
			s.exec(`INSERT INTO statuses (id, community_id, collection_id, org_id, status, request_timestamp, total_count,
				successes, failures, pendings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, st.ID, st.CommunityID, st.CollectionID, st.OrgID,
				st.Status, upgradetest.Micros(st.RequestTimestamp), st.TotalCount, lists[0], lists[1], lists[2])
		}
		a := f.Audit
		s.exec(`INSERT INTO audit_log (id, at, community_id, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.ID, upgradetest.Micros(a.At), a.CommunityID, a.UserID, a.Action, a.Target, a.Detail)
		j := f.Job
		s.exec(`INSERT INTO jobs (id, kind, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			j.ID, j.Kind, []byte(j.Payload), upgradetest.Micros(j.RunAt), upgradetest.Micros(j.CreatedAt))
	},
	2: func(s *sqliteSeeder) { // 0002_tlp_groups: objects.tlp (in objects), sharing groups
		g := s.f.Group
		s.exec(`INSERT INTO sharing_groups (id, community_id, slug, name, created_at) VALUES (?, ?, ?, ?, ?)`,
			g.ID, g.CommunityID, g.Slug, g.Name, upgradetest.Micros(g.CreatedAt))
		for _, org := range g.Members {
			s.exec(`INSERT INTO group_members (group_id, org_id) VALUES (?, ?)`, g.ID, org)
		}
		s.collections(2)
		s.objects(2)
	},
	3: func(s *sqliteSeeder) { // 0003_anonymous
		f := s.f
		s.exec(`UPDATE communities SET anon_secret = ?, submitter_record = 'sealed' WHERE id = 1`, f.Secrets[0])
		s.exec(`UPDATE communities SET anon_secret = ?, submitter_record = 'none' WHERE id = 2`, f.Secrets[1])
		s.exec(`UPDATE orgs SET staff = 1, redaction = '{"domains":["acme-air.example"],"emails":["ceo@acme-air.example"]}' WHERE id = 1`)
		s.collections(3)
		s.objects(3)
		a := f.Anon
		s.exec(`INSERT INTO anonymous_submissions (id, community_id, collection_id, handle_hash, org_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, a.CommunityID, a.CollectionID, a.HandleHash, a.OrgID, upgradetest.Micros(a.CreatedAt))
		for i, id := range a.ObjectIDs {
			s.exec(`INSERT INTO anonymous_objects (submission_id, seq, community_id, object_id) VALUES (?, ?, ?, ?)`,
				a.ID, i+1, a.CommunityID, id)
		}
		p := f.Pending
		rec, err := json.Marshal(map[string]any{"id": p.Anonymous.ID, "community_id": p.Anonymous.CommunityID,
			"collection_id": p.Anonymous.CollectionID, "org_id": p.Anonymous.OrgID, "object_ids": p.Anonymous.ObjectIDs,
			"created_at": p.Anonymous.CreatedAt, "withdrawn_at": p.Anonymous.WithdrawnAt})
		if err != nil {
			s.t.Fatal(err)
		}
		objs := upgradetest.JoinRaw(p.Objects)
		s.exec(`INSERT INTO pending (id, community_id, coll, submitter, anonymous, objects, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.CommunityID, f.Coll(p.CollectionID).PK, p.SubmitterOrgID, string(rec), objs, upgradetest.Micros(p.CreatedAt))
	},
	4: func(s *sqliteSeeder) { // 0004_sessions
		se := s.f.Session
		s.exec(`INSERT INTO sessions (id, user_id, hash, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			se.ID, se.UserID, se.Hash, se.CSRFToken, upgradetest.Micros(se.CreatedAt), upgradetest.Micros(se.LastSeenAt), upgradetest.Micros(se.ExpiresAt))
	},
	5: func(s *sqliteSeeder) { // 0005_references: every version's references, as AddObjects writes them
		for _, v := range s.f.At(s.v) {
			for _, r := range isachub.References(v.Obj) {
				s.exec(`INSERT INTO object_refs (pk, prop, ref) VALUES (?, ?, ?)`, v.PK, r.Property, r.Ref)
			}
		}
	},
	6: func(s *sqliteSeeder) { // 0006_joining
		for _, r := range s.f.Requests {
			var decidedBy, org, decidedAt any
			if r.DecidedBy != 0 {
				decidedBy, org, decidedAt = r.DecidedBy, r.OrgID, upgradetest.Micros(r.DecidedAt)
			}
			s.exec(`INSERT INTO membership_requests (id, community_id, org_name, contact, email, sector, reason, status, decision,
				decided_by, org_id, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.CommunityID, r.OrgName, r.Contact, r.Email, r.Sector, r.Reason, r.Status, r.Decision, decidedBy, org,
				upgradetest.Micros(r.CreatedAt), decidedAt)
		}
		i := s.f.Invite
		s.exec(`INSERT INTO invitations (id, org_id, role, hash, created_by, note, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			i.ID, i.OrgID, string(i.Role), i.Hash, i.CreatedBy, i.Note, upgradetest.Micros(i.CreatedAt), upgradetest.Micros(i.ExpiresAt))
	},
	7: func(s *sqliteSeeder) { // 0007_daily_counts: the counts of every version, as AddObjects keeps them
		type key struct {
			coll, day int64
			typ       string
			tlp       int
		}
		n := map[key]int{}
		for _, v := range s.f.At(s.v) {
			n[key{s.f.Coll(v.Coll).PK, v.Added / 86400000000, v.Obj.Type(), int(stix.EffectiveTLP(v.Obj))}]++
		}
		for k, c := range n {
			s.exec(`INSERT INTO daily_counts (coll, day, type, tlp, n) VALUES (?, ?, ?, ?, ?)`, k.coll, k.day, k.typ, k.tlp, c)
		}
	},
	8: func(s *sqliteSeeder) { // 0008_sighting_k
		s.exec(`UPDATE communities SET sighting_k = 5 WHERE id = 1`)
	},
	9: nil, // 0009_ref_counts: its triggers count the references fragment 5 writes
	10: func(s *sqliteSeeder) { // 0010_feeds
		fd := s.f.Feed
		filter, err := json.Marshal(fd.Filter)
		if err != nil {
			s.t.Fatal(err)
		}
		s.exec(`INSERT INTO feeds (id, community_id, org_id, title, description, preset, filter, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, fd.ID, fd.CommunityID, fd.OrgID, fd.Title, fd.Description, fd.Preset, string(filter),
			upgradetest.Micros(fd.CreatedAt), upgradetest.Micros(fd.UpdatedAt))
		for id, n := range s.f.SIDs {
			s.exec(`INSERT INTO rule_sids (indicator_id, n) VALUES (?, ?)`, id, n)
		}
		for _, tk := range s.f.Tokens {
			if tk.Mig == 10 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, feed_id, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					tk.ID, tk.UserID, tk.Name, tk.Hash, boolInt(tk.Anonymous), tk.FeedID, upgradetest.Micros(tk.CreatedAt), upgradetest.Micros(tk.LastUsedAt))
			}
		}
	},
	11: func(s *sqliteSeeder) { // 0011_webhooks
		for _, w := range s.f.Hooks {
			s.exec(`INSERT INTO webhooks (id, community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt,
				last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.ID, w.CommunityID, w.OrgID, w.FeedID, w.URL,
				w.Secret, w.Cursor, w.Failures, boolInt(w.Dead), upgradetest.Micros(w.NextAttempt), w.LastError, upgradetest.Micros(w.CreatedAt))
		}
		d := s.f.Delivery
		s.exec(`INSERT INTO webhook_deliveries (webhook_id, at, objects, status, error, cursor) VALUES (?, ?, ?, ?, ?, ?)`,
			d.WebhookID, upgradetest.Micros(d.At), d.Objects, d.Status, d.Error, d.Cursor)
	},
	12: nil, // 0012_queues: an index
	13: func(s *sqliteSeeder) { // 0013_federation
		p, sub := s.f.Peer, s.f.Sub
		s.exec(`INSERT INTO peers (id, community_id, name, url, org_id, user, credential, trusted, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.CommunityID, p.Name, p.URL, p.OrgID, p.User, p.Credential,
			boolInt(p.Trusted), upgradetest.Micros(p.CreatedAt))
		s.exec(`INSERT INTO peer_subscriptions (id, peer_id, community_id, direction, remote, local_id, interval_us, checkpoint,
			next_run, last_run, last_success, last_error, moved, refused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.ID, sub.PeerID, sub.CommunityID, string(sub.Direction), sub.Remote, sub.Local, sub.Interval.Microseconds(),
			sub.Checkpoint, upgradetest.Micros(sub.NextRun), upgradetest.Micros(sub.LastRun), upgradetest.Micros(sub.LastSuccess), sub.LastError, sub.Moved,
			sub.Refused, upgradetest.Micros(sub.CreatedAt))
		s.exec(`INSERT INTO object_origins (collection_id, object_id, version, peer_id, received_at) VALUES (?, ?, ?, ?, ?)`,
			s.f.OriginOf.Coll, s.f.OriginOf.Obj.ID(), s.f.OriginOf.Obj.Version(), s.f.Origin.PeerID, upgradetest.Micros(s.f.Origin.ReceivedAt))
	},
	14: func(s *sqliteSeeder) { // 0014_webhook_duration
		s.exec(`UPDATE webhook_deliveries SET duration_us = ?`, s.f.Took.Microseconds())
	},
}[1:]

// ftsBody is the text the store indexes for full-text search: s with every
// '.' that does not join two letters or digits turned into a space (the
// tokenizer keeps dots inside tokens such as domain names).
func ftsBody(s string) string {
	b := []byte(s)
	word := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
	}
	for i, c := range b {
		if c == '.' && (i == 0 || i == len(b)-1 || !word(b[i-1]) || !word(b[i+1])) {
			b[i] = ' '
		}
	}
	return string(b)
}
