package postgres_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestAddObjectsColumns checks that every column AddObjects writes with its
// own binary COPY encoder comes back as sent: strings, the marking list
// (empty, one, several), revoked, and version timestamps at the ends of
// the range (before 2000, PostgreSQL's epoch, and year 9999), found again
// by match[version].
func TestAddObjectsColumns(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	org, coll := setup(t, db)
	const m1 = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
	const m2 = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
	const by = "identity--b4ff2a54-7ec9-4a1b-a7d4-b7e2d7f4c0d1"
	tests := []struct {
		name     string
		version  string
		markings []string
		revoked  bool
	}{
		{"NoMarkings", "2026-01-02T03:04:05.123456Z", nil, false},
		{"OneMarking", "2026-01-02T03:04:05Z", []string{m1}, true},
		{"TwoMarkings", "2026-01-02T03:04:05.5Z", []string{m1, m2}, false},
		{"Before2000", "1900-01-01T00:00:00.000001Z", nil, false}, // negative in PostgreSQL's binary format
		{"Year9999", "9999-12-31T23:59:59.999999Z", []string{m2}, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprintf("malware--%08x-0000-4000-8000-00000000c0de", i)
			refs := ""
			if tt.markings != nil {
				refs = `,"object_marking_refs":["` + strings.Join(tt.markings, `","`) + `"]`
			}
			o := mustParse(t, fmt.Sprintf(`{"type":"malware","spec_version":"2.1","id":"%s","created":"%s","modified":"%s",`+
				`"created_by_ref":"%s","revoked":%v,"name":"Column test","is_family":false%s}`,
				id, tt.version, tt.version, by, tt.revoked, refs))
			res, err := db.AddObjects(ctx, coll.ID, org.ID, []*stix.Object{o})
			mustOK(t, err)
			mustOK(t, res[0].Err)
			page, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{id}, Versions: []string{tt.version}})
			mustOK(t, err)
			if len(page.Objects) != 1 {
				t.Fatalf("match[version]=%s found %d versions, want 1", tt.version, len(page.Objects))
			}
			v := page.Objects[0]
			if v.Created != tt.version || v.Modified != tt.version || v.CreatedByRef != by || v.Revoked != tt.revoked ||
				!slices.Equal(v.Markings, tt.markings) || v.SubmitterOrgID != org.ID || string(v.Raw) != string(o.Raw()) ||
				v.Type != "malware" || v.SpecVersion != "2.1" {
				t.Fatalf("stored version = %+v", v)
			}
		})
	}
}
