package sqlite_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isachub/isachub"
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
	f := newFixture(t)
	latest := sqlite.SchemaVersion()
	if len(sqliteSeed) != latest {
		t.Fatalf("%d seed fragments for %d migrations: give the new migration a fragment (nil when it adds nothing to hold)", len(sqliteSeed), latest)
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
			checkUpgraded(t, db, f, v)
		})
	}
}

// schema names the migrations the fixture and the checks depend on.
var schema = migrations{groups: 2, anonymous: 3, sessions: 4, joining: 6, sightingK: 8, feeds: 10, webhooks: 11,
	federation: 13, duration: 14, beyondJSONB: 1}

// sqliteSeeder writes the fixture into a database at version v.
type sqliteSeeder struct {
	t  *testing.T
	db *sqlite.DB
	f  *fixture
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
	for _, c := range s.f.colls {
		if c.mig != mig {
			continue
		}
		cols := `pk, id, community_id, title, description, alias, read_all, write_all, default_tlp, created_at, last_date_added`
		var alias any
		if c.c.Alias != "" {
			alias = c.c.Alias
		}
		var last int64
		for _, v := range s.f.at(s.v) {
			if v.coll == c.c.ID {
				last = max(last, v.added)
			}
		}
		args := []any{c.pk, c.c.ID, c.c.CommunityID, c.c.Title, c.c.Description, alias, boolInt(c.c.ReadAll),
			boolInt(c.c.WriteAll), c.c.DefaultTLP, micros(c.c.CreatedAt), last}
		if s.v >= 2 {
			var group any
			if c.c.GroupID != 0 {
				group = c.c.GroupID
			}
			cols += `, group_id`
			args = append(args, group)
		}
		if s.v >= 3 {
			cols += `, anonymous, moderated`
			args = append(args, boolInt(c.c.Anonymous), boolInt(c.c.Moderated))
		}
		s.exec(`INSERT INTO collections (`+cols+`) VALUES (?`+strings.Repeat(`, ?`, len(args)-1)+`)`, args...)
		if c.c.GroupID != 0 {
			continue // a group's members read and write
		}
		for _, org := range c.c.Readers {
			s.exec(`INSERT INTO collection_readers (coll, org_id) VALUES (?, ?)`, c.pk, org)
		}
		for _, org := range c.c.Writers {
			s.exec(`INSERT INTO collection_writers (coll, org_id) VALUES (?, ?)`, c.pk, org)
		}
	}
}

// objects stores the fixture's versions of migration mig with the columns
// and the full-text entries the store writes (the later indexes have
// fragments of their own).
func (s *sqliteSeeder) objects(mig int) {
	for _, v := range s.f.versions {
		if v.mig != mig {
			continue
		}
		o := v.obj
		vts := v.version.Format("2006-01-02T15:04:05.000000000Z")
		vkey := vts
		if o.Version() == "" {
			vkey = "sha256:" + hexSHA256(o.Raw())
		}
		cols := `pk, coll, date_added, id, type, spec_version, created, modified, vts, vkey, revoked, created_by_ref,
			markings, submitter, is_latest, is_first, spec_latest, raw`
		args := []any{v.pk, s.f.coll(v.coll).pk, v.added, o.ID(), o.Type(), v.spec, o.Created(), o.Modified(), vts, vkey,
			boolInt(o.Revoked()), o.CreatedByRef(), markingsJSON(o), v.org, boolInt(v.latest), boolInt(v.first),
			boolInt(v.specLatest), []byte(o.Raw())}
		if s.v >= 2 {
			cols += `, tlp`
			args = append(args, int(stix.EffectiveTLP(o)))
		}
		s.exec(`INSERT INTO objects (`+cols+`) VALUES (?`+strings.Repeat(`, ?`, len(args)-1)+`)`, args...)
		if v.latest {
			s.exec(`INSERT INTO objects_fts (rowid, body) VALUES (?, ?)`, v.pk, ftsBody(isachub.SearchText(o)))
		}
	}
}

// sqliteSeed holds, for each migration in order, what its tables and
// columns hold in the fixture, written into a database at s.v >= the
// migration (nil: the migration adds nothing that holds data).
var sqliteSeed = []func(s *sqliteSeeder){
	1: func(s *sqliteSeeder) { // 0001_init
		f := s.f
		for _, c := range f.comms {
			s.exec(`INSERT INTO communities (id, slug, title, description, sector, identity_id, max_content_length, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Slug, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength,
				micros(c.CreatedAt))
		}
		for _, o := range f.orgs {
			s.exec(`INSERT INTO orgs (id, community_id, slug, name, identity_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				o.ID, o.CommunityID, o.Slug, o.Name, o.IdentityID, micros(o.CreatedAt))
		}
		for _, u := range f.users {
			s.exec(`INSERT INTO users (id, org_id, username, role, hub_admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				u.u.ID, u.u.OrgID, u.u.Username, string(u.u.Role), boolInt(u.u.HubAdmin), u.u.PasswordHash, micros(u.u.CreatedAt))
		}
		for _, tk := range f.tokens {
			if tk.mig == 1 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					tk.t.ID, tk.t.UserID, tk.t.Name, tk.t.Hash, boolInt(tk.t.Anonymous), micros(tk.t.CreatedAt), micros(tk.t.LastUsedAt))
			}
		}
		s.collections(1)
		s.objects(1)
		for _, st := range f.statuses {
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
				st.Status, micros(st.RequestTimestamp), st.TotalCount, lists[0], lists[1], lists[2])
		}
		a := f.audit
		s.exec(`INSERT INTO audit_log (id, at, community_id, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.ID, micros(a.At), a.CommunityID, a.UserID, a.Action, a.Target, a.Detail)
		j := f.job
		s.exec(`INSERT INTO jobs (id, kind, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			j.ID, j.Kind, []byte(j.Payload), micros(j.RunAt), micros(j.CreatedAt))
	},
	2: func(s *sqliteSeeder) { // 0002_tlp_groups: objects.tlp (in objects), sharing groups
		g := s.f.group
		s.exec(`INSERT INTO sharing_groups (id, community_id, slug, name, created_at) VALUES (?, ?, ?, ?, ?)`,
			g.ID, g.CommunityID, g.Slug, g.Name, micros(g.CreatedAt))
		for _, org := range g.Members {
			s.exec(`INSERT INTO group_members (group_id, org_id) VALUES (?, ?)`, g.ID, org)
		}
		s.collections(2)
		s.objects(2)
	},
	3: func(s *sqliteSeeder) { // 0003_anonymous
		f := s.f
		s.exec(`UPDATE communities SET anon_secret = ?, submitter_record = 'sealed' WHERE id = 1`, f.secrets[0])
		s.exec(`UPDATE communities SET anon_secret = ?, submitter_record = 'none' WHERE id = 2`, f.secrets[1])
		s.exec(`UPDATE orgs SET staff = 1, redaction = '{"domains":["acme-air.example"],"emails":["ceo@acme-air.example"]}' WHERE id = 1`)
		s.collections(3)
		s.objects(3)
		a := f.anon
		s.exec(`INSERT INTO anonymous_submissions (id, community_id, collection_id, handle_hash, org_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, a.CommunityID, a.CollectionID, a.HandleHash, a.OrgID, micros(a.CreatedAt))
		for i, id := range a.ObjectIDs {
			s.exec(`INSERT INTO anonymous_objects (submission_id, seq, community_id, object_id) VALUES (?, ?, ?, ?)`,
				a.ID, i+1, a.CommunityID, id)
		}
		p := f.pending
		rec, err := json.Marshal(map[string]any{"id": p.Anonymous.ID, "community_id": p.Anonymous.CommunityID,
			"collection_id": p.Anonymous.CollectionID, "org_id": p.Anonymous.OrgID, "object_ids": p.Anonymous.ObjectIDs,
			"created_at": p.Anonymous.CreatedAt, "withdrawn_at": p.Anonymous.WithdrawnAt})
		if err != nil {
			s.t.Fatal(err)
		}
		objs := joinRaw(p.Objects)
		s.exec(`INSERT INTO pending (id, community_id, coll, submitter, anonymous, objects, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.CommunityID, f.coll(p.CollectionID).pk, p.SubmitterOrgID, string(rec), objs, micros(p.CreatedAt))
	},
	4: func(s *sqliteSeeder) { // 0004_sessions
		se := s.f.session
		s.exec(`INSERT INTO sessions (id, user_id, hash, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			se.ID, se.UserID, se.Hash, se.CSRFToken, micros(se.CreatedAt), micros(se.LastSeenAt), micros(se.ExpiresAt))
	},
	5: func(s *sqliteSeeder) { // 0005_references: every version's references, as AddObjects writes them
		for _, v := range s.f.at(s.v) {
			for _, r := range isachub.References(v.obj) {
				s.exec(`INSERT INTO object_refs (pk, prop, ref) VALUES (?, ?, ?)`, v.pk, r.Property, r.Ref)
			}
		}
	},
	6: func(s *sqliteSeeder) { // 0006_joining
		for _, r := range s.f.requests {
			var decidedBy, org, decidedAt any
			if r.DecidedBy != 0 {
				decidedBy, org, decidedAt = r.DecidedBy, r.OrgID, micros(r.DecidedAt)
			}
			s.exec(`INSERT INTO membership_requests (id, community_id, org_name, contact, email, sector, reason, status, decision,
				decided_by, org_id, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.CommunityID, r.OrgName, r.Contact, r.Email, r.Sector, r.Reason, r.Status, r.Decision, decidedBy, org,
				micros(r.CreatedAt), decidedAt)
		}
		i := s.f.invite
		s.exec(`INSERT INTO invitations (id, org_id, role, hash, created_by, note, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			i.ID, i.OrgID, string(i.Role), i.Hash, i.CreatedBy, i.Note, micros(i.CreatedAt), micros(i.ExpiresAt))
	},
	7: func(s *sqliteSeeder) { // 0007_daily_counts: the counts of every version, as AddObjects keeps them
		type key struct {
			coll, day int64
			typ       string
			tlp       int
		}
		n := map[key]int{}
		for _, v := range s.f.at(s.v) {
			n[key{s.f.coll(v.coll).pk, v.added / 86400000000, v.obj.Type(), int(stix.EffectiveTLP(v.obj))}]++
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
		fd := s.f.feed
		filter, err := json.Marshal(fd.Filter)
		if err != nil {
			s.t.Fatal(err)
		}
		s.exec(`INSERT INTO feeds (id, community_id, org_id, title, description, preset, filter, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, fd.ID, fd.CommunityID, fd.OrgID, fd.Title, fd.Description, fd.Preset, string(filter),
			micros(fd.CreatedAt), micros(fd.UpdatedAt))
		for id, n := range s.f.sids {
			s.exec(`INSERT INTO rule_sids (indicator_id, n) VALUES (?, ?)`, id, n)
		}
		for _, tk := range s.f.tokens {
			if tk.mig == 10 {
				s.exec(`INSERT INTO tokens (id, user_id, name, hash, anonymous, feed_id, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					tk.t.ID, tk.t.UserID, tk.t.Name, tk.t.Hash, boolInt(tk.t.Anonymous), tk.t.FeedID, micros(tk.t.CreatedAt), micros(tk.t.LastUsedAt))
			}
		}
	},
	11: func(s *sqliteSeeder) { // 0011_webhooks
		for _, w := range s.f.hooks {
			s.exec(`INSERT INTO webhooks (id, community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt,
				last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.ID, w.CommunityID, w.OrgID, w.FeedID, w.URL,
				w.Secret, w.Cursor, w.Failures, boolInt(w.Dead), micros(w.NextAttempt), w.LastError, micros(w.CreatedAt))
		}
		d := s.f.delivery
		s.exec(`INSERT INTO webhook_deliveries (webhook_id, at, objects, status, error, cursor) VALUES (?, ?, ?, ?, ?, ?)`,
			d.WebhookID, micros(d.At), d.Objects, d.Status, d.Error, d.Cursor)
	},
	12: nil, // 0012_queues: an index
	13: func(s *sqliteSeeder) { // 0013_federation
		p, sub := s.f.peer, s.f.sub
		s.exec(`INSERT INTO peers (id, community_id, name, url, org_id, user, credential, trusted, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.CommunityID, p.Name, p.URL, p.OrgID, p.User, p.Credential,
			boolInt(p.Trusted), micros(p.CreatedAt))
		s.exec(`INSERT INTO peer_subscriptions (id, peer_id, community_id, direction, remote, local_id, interval_us, checkpoint,
			next_run, last_run, last_success, last_error, moved, refused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.ID, sub.PeerID, sub.CommunityID, string(sub.Direction), sub.Remote, sub.Local, sub.Interval.Microseconds(),
			sub.Checkpoint, micros(sub.NextRun), micros(sub.LastRun), micros(sub.LastSuccess), sub.LastError, sub.Moved,
			sub.Refused, micros(sub.CreatedAt))
		s.exec(`INSERT INTO object_origins (collection_id, object_id, version, peer_id, received_at) VALUES (?, ?, ?, ?, ?)`,
			s.f.originOf.coll, s.f.originOf.obj.ID(), s.f.originOf.obj.Version(), s.f.origin.PeerID, micros(s.f.origin.ReceivedAt))
	},
	14: func(s *sqliteSeeder) { // 0014_webhook_duration
		s.exec(`UPDATE webhook_deliveries SET duration_us = ?`, s.f.took.Microseconds())
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

// joinRaw is the JSON array of raws, their bytes kept as they are (as
// the stores keep a pending submission's objects).
func joinRaw(raws []json.RawMessage) []byte {
	b := []byte{'['}
	for i, r := range raws {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return append(b, ']')
}
