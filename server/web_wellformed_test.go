package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestWebPagesWellFormed crawls the UI of the demo hub as a member, an
// ISAC analyst and the hub operator, following every link to a page of
// the UI, and checks that each page is well-formed HTML (every element
// closed in order, unique ids, a lang and a title)
// and that none is a server error.
func TestWebPagesWellFormed(t *testing.T) {
	h := demoHub(t)
	for _, who := range []struct{ user, password string }{
		{"bob", "bob-demo-password"}, {"sam", "sam-demo-password"}, {"operator", "operator-demo-password"},
	} {
		t.Run(who.user, func(t *testing.T) {
			b := h.browser(t)
			b.signIn(who.user, who.password)
			seen := map[string]bool{}
			perRoute := map[string]int{}
			queue := []string{"/ui/", "/ui/?days=90", "/ui/search?q=crew", "/ui/search?q=192.0.2.10", "/ui/publish",
				"/ui/tokens", "/ui/collections", "/ui/moderation", "/ui/admin", "/ui/admin?action=pending.", "/ui/no-such-page",
				"/ui/members", "/ui/admin/requests", "/ui/join"}
			for len(queue) > 0 && len(seen) < 250 {
				path := queue[0]
				queue = queue[1:]
				if seen[path] {
					continue
				}
				seen[path] = true
				p := b.get(path)
				if p.status >= 500 {
					t.Fatalf("GET %s: %d", path, p.status)
				}
				if p.status == http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
					continue
				}
				links, err := checkHTML(p.body)
				if err != nil {
					t.Errorf("GET %s: %v", path, err)
				}
				for _, l := range links {
					u, err := url.Parse(l)
					if err != nil || u.IsAbs() || !strings.HasPrefix(u.Path, "/ui/") || u.Path == "/ui/logout" {
						continue
					}
					u.Fragment = ""
					route := strings.Join(strings.SplitN(u.Path, "/", 4)[:3], "/")
					if perRoute[route] >= 40 || seen[u.String()] {
						continue
					}
					perRoute[route]++
					queue = append(queue, u.String())
				}
			}
			if len(seen) < 60 {
				t.Fatalf("the crawl reached only %d pages: %v", len(seen), seen)
			}
		})
	}
}

// voidElements have no end tag (HTML's void elements).
var voidElements = []string{"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

// checkHTML reports the first way the document is not well-formed, and
// returns the href of every link.
func checkHTML(doc string) (links []string, err error) {
	z := html.NewTokenizer(strings.NewReader(doc))
	var open []string
	ids := map[string]bool{}
	hasLang, hasTitle := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return links, z.Err()
			}
			if len(open) > 0 {
				return links, fmt.Errorf("unclosed elements at the end: %v", open)
			}
			if !hasLang || !hasTitle {
				return links, fmt.Errorf("no lang on html (%v) or no title (%v)", hasLang, hasTitle)
			}
			return links, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			// (The tokenizer drops a repeated attribute, as HTML5 says.)
			name, more := z.TagName()
			tag := string(name)
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				key, val := string(k), string(v)
				switch {
				case key == "id":
					if ids[val] {
						return links, fmt.Errorf("the id %q is used twice", val)
					}
					ids[val] = true
				case key == "href" && tag == "a":
					links = append(links, val)
				case key == "lang" && tag == "html":
					hasLang = val != ""
				}
			}
			if tag == "title" {
				hasTitle = true
			}
			if tt == html.StartTagToken && !slices.Contains(voidElements, tag) {
				open = append(open, tag)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				return links, fmt.Errorf("</%s> closes %v", tok.Data, open)
			}
			open = open[:len(open)-1]
		}
	}
}

// TestCheckHTML: the checker finds what it looks for.
func TestCheckHTML(t *testing.T) {
	const head = `<!doctype html><html lang="en"><head><title>t</title></head><body>`
	for _, tt := range []struct{ doc, want string }{
		{head + `<p>fine<br><svg><rect/></svg></p></body></html>`, ""},
		{head + `<p>unclosed</body></html>`, "closes"},
		{head + `<div><span></div></span></body></html>`, "closes"},
		{head + `<i id="a"></i><b id="a"></b></body></html>`, "used twice"},
		{`<!doctype html><html><head><title>t</title></head><body></body></html>`, "no lang"},
		{head + `<main>`, "unclosed"},
	} {
		_, err := checkHTML(tt.doc)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("checkHTML(%q) = %v, want %q", tt.doc, err, tt.want)
		}
	}
}
