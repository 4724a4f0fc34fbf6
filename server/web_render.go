package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

//go:embed web/templates/*.html
var webTemplates embed.FS

//go:embed web/static
var webStatic embed.FS

// page is what every template receives.
type page struct {
	Title string
	// Nav is the navigation item to highlight.
	Nav  string
	Data any
	// Viewer fields, empty on the public pages.
	Username  string
	OrgName   string
	Community string
	Staff     bool
	CSRF      string
	// Moderator, Admin and Peers show the staff's navigation items; the
	// pages themselves ask the policy again.
	Moderator, Admin, Peers bool
}

// pages holds one parsed template per page, each the layout with the
// page's own file.
var pages = mustParsePages()

func mustParsePages() map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(templateFuncs).ParseFS(webTemplates, "web/templates/layout.html"))
	files, err := fs.Glob(webTemplates, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	out := make(map[string]*template.Template)
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(webTemplates, f))
	}
	return out
}

// templateFuncs are the helpers the templates use. None of them returns
// template.HTML made from object content: everything an object says is
// escaped by html/template.
var templateFuncs = template.FuncMap{
	"tlpClass": func(l stix.TLP) string { return "tlp-" + strings.ReplaceAll(strings.ToLower(l.String()), "+", "-") },
	"tlpName":  func(l stix.TLP) string { return "TLP:" + strings.ToUpper(l.String()) },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"day":    func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"inc":    func(i int) int { return i + 1 },
	"number": formatNumber,
	// dict passes several values to a template: dict "K1" v1 "K2" v2.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// formatNumber writes n with thin separators between thousands.
func formatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *viewer, name string, p page) {
	s.renderStatus(w, r, v, http.StatusOK, name, p)
}

// renderStatus executes the page's template into a buffer first, so that a
// template error becomes a clean error page instead of half a page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, v *viewer, status int, name string, p page) {
	if v != nil {
		p.Username = v.user.Username
		p.OrgName = v.org.Name
		if v.comm != nil {
			p.Community = v.comm.Title
		}
		p.Staff = v.staff()
		p.Moderator = v.org.Staff && v.user.Role.CanPublish()
		p.Admin = v.comm != nil && isachub.MayAdminister(v.user, v.org, v.comm.ID)
		p.Peers = v.comm != nil && isachub.MayWatchPeers(v.user, v.org, v.comm.ID)
		p.CSRF = v.session.CSRFToken
	}
	t := pages[name]
	var buf bytes.Buffer
	err := fmt.Errorf("no template %q", name)
	if t != nil {
		err = t.ExecuteTemplate(&buf, "layout.html", p)
	}
	if err != nil {
		if name == "error" { // the error page itself failed: plain text
			http.Error(w, "The hub failed to make this page.", http.StatusInternalServerError)
			return
		}
		s.renderError(w, r, v, fmt.Errorf("template %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// staff reports whether the viewer belongs to the ISAC's own organisation
// (Org.Staff), for the label beside their name. What staff may do is
// policy's (isachub.MayModerate).
func (v *viewer) staff() bool { return v.org.Staff }
