package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServeConfig: the command line wins over the environment, which wins
// over the configuration file; --print-config says where each value came
// from and masks secrets.
func TestServeConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "isachub.conf")
	if err := os.WriteFile(file, []byte("# the hub's settings\n\npage-size = 50\nlisten = \"127.0.0.1:9999\"\nmax-page-size = 900\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	environ := map[string]string{
		"ISACHUB_PAGE_SIZE":     "70",
		"ISACHUB_DB":            "postgres://hub:hunter2@db.example/isachub",
		"ISACHUB_METRICS_TOKEN": "m-secret",
	}
	code, out, errOut := runCLI(t, "", environ, "serve", "--config", file, "--max-page-size", "500", "--print-config")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`^page-size +<= 70 +# environment$`,
		`^max-page-size +<= 500 +# flag$`,
		`^listen +<= 127\.0\.0\.1:9999 +# file$`,
		`^log-format +<= text +# default$`,
		`^db +<= postgres://hub:xxxxx@db\.example/isachub +# environment$`,
		`^ISACHUB_METRICS_TOKEN +\(set; masked\)$`,
	} {
		re := regexp.MustCompile("(?m)" + strings.ReplaceAll(want, "<=", "="))
		if !re.MatchString(out) {
			t.Errorf("--print-config lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "m-secret") {
		t.Errorf("--print-config shows a secret:\n%s", out)
	}

	for _, tt := range []struct{ name, content, want string }{
		{"ErrUnknown", "page-size = 50\npage_sise = 3\n", `line 2: "page_sise" is not a setting`},
		{"ErrSyntax", "page-size 50\n", "line 1: want name = value"},
		{"ErrValue", "\npage-size = many\n", "line 2: page-size = \"many\""},
		{"ErrTwice", "page-size = 5\npage-size = 6\n", "line 2: page-size is set twice (first on line 1)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := filepath.Join(dir, tt.name+".conf")
			os.WriteFile(bad, []byte(tt.content), 0o600)
			code, _, errOut := runCLI(t, "", map[string]string{"ISACHUB_CONFIG": bad}, "serve", "--print-config")
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %q", code, errOut, tt.want)
			}
		})
	}
	t.Run("ErrEnvValue", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", map[string]string{"ISACHUB_MAX_CONCURRENT": "lots"}, "serve", "--print-config")
		if code != exitUsage || !strings.Contains(errOut, "ISACHUB_MAX_CONCURRENT") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
