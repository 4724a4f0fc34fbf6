package stix_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/stix"
)

func TestCheckNewVersion(t *testing.T) {
	v := func(modified, extra string) *stix.Object {
		t.Helper()
		s := strings.Replace(with(indicator, extra), `"modified":"2016-04-06T20:03:48.000Z"`, `"modified":"`+modified+`"`, 1)
		o, err := stix.ParseObject([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	first := v("2016-04-06T20:03:48.000Z", "")
	tests := []struct {
		name    string
		prev    *stix.Object
		next    *stix.Object
		wantErr string
	}{
		{"OK", first, v("2016-05-01T00:00:00.000Z", `,"name":"renamed"`), ""},
		{"OKRevoke", first, v("2016-05-01T00:00:00.000Z", `,"revoked":true`), ""},
		{"ErrAfterRevoked", v("2016-05-01T00:00:00.000Z", `,"revoked":true`), v("2016-06-01T00:00:00.000Z", ""), "revoked"},
		{"ErrNotLater", first, v("2016-04-06T20:03:48.000Z", ""), "later"},
		{"ErrOtherCreator", first, v("2016-05-01T00:00:00.000Z", `,"created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"`), "only the creator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := stix.CheckNewVersion(tt.prev, tt.next)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}
