package taxii

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PageQuery is the URL filter of a get objects or get manifest request
// (section 3.4).
type PageQuery struct {
	AddedAfter time.Time
	Limit      int
	Next       string
	// Match holds the match[...] filters by field: "id", "type",
	// "version", "spec_version"; each list is sent comma-separated.
	Match map[string][]string
}

// Encode returns the query string.
func (q PageQuery) Encode() string {
	v := url.Values{}
	if !q.AddedAfter.IsZero() {
		v.Set("added_after", FormatTimestamp(q.AddedAfter))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Next != "" {
		v.Set("next", q.Next)
	}
	fields := make([]string, 0, len(q.Match))
	for f := range q.Match {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if len(q.Match[f]) > 0 {
			v.Set("match["+f+"]", strings.Join(q.Match[f], ","))
		}
	}
	return v.Encode()
}

// ObjectsPage is one page of a get objects request (section 5.4): the
// envelope, its objects byte for byte as the server sent them, and the
// date_added range of the page (section 3.3.1), zero when the server sent
// no such header.
type ObjectsPage struct {
	Envelope
	DateAddedFirst, DateAddedLast time.Time
}

// ManifestPage is one page of a get manifest request (section 5.6).
type ManifestPage struct {
	Manifest
	DateAddedFirst, DateAddedLast time.Time
}

// Objects reads one page of a collection's objects.
func (c *Client) Objects(ctx context.Context, collection string, q PageQuery) (*ObjectsPage, error) {
	var p ObjectsPage
	step := fmt.Sprintf("getting objects of collection %q", clip(collection))
	resp, err := c.get(ctx, step, withQuery(c.Endpoint("collections", collection, "objects"), q), &p.Envelope)
	if err != nil {
		return nil, err
	}
	p.DateAddedFirst, p.DateAddedLast, err = c.dateAdded(step, resp.Header)
	return &p, err
}

// Manifest reads one page of a collection's manifest.
func (c *Client) Manifest(ctx context.Context, collection string, q PageQuery) (*ManifestPage, error) {
	var p ManifestPage
	step := fmt.Sprintf("getting the manifest of collection %q", clip(collection))
	resp, err := c.get(ctx, step, withQuery(c.Endpoint("collections", collection, "manifest"), q), &p.Manifest)
	if err != nil {
		return nil, err
	}
	p.DateAddedFirst, p.DateAddedLast, err = c.dateAdded(step, resp.Header)
	return &p, err
}

func withQuery(u string, q PageQuery) string {
	if s := q.Encode(); s != "" {
		return u + "?" + s
	}
	return u
}

// dateAdded reads X-TAXII-Date-Added-First and -Last (section 3.3.1).
func (c *Client) dateAdded(step string, h http.Header) (first, last time.Time, err error) {
	for _, f := range []struct {
		name string
		t    *time.Time
	}{{"X-TAXII-Date-Added-First", &first}, {"X-TAXII-Date-Added-Last", &last}} {
		v := h.Get(f.name)
		if v == "" {
			continue
		}
		if *f.t, err = ParseTimestamp(v); err != nil {
			return first, last, &ClientError{Server: c.root.Host, Step: step, Err: fmt.Errorf("the %s header: %v", f.name, err)}
		}
	}
	return first, last, nil
}

// The bounds of EachPage against a server that pages forever.
const (
	maxEmptyPages = 3
	maxNextTokens = 1 << 16
)

// EachPage reads every page of a collection's objects from q on, calling
// fn with each in order; an error of fn stops it and is returned. It
// follows next (section 3.4); a server that says more but gives no next
// is paged with added_after set to the page's X-TAXII-Date-Added-Last.
// (added_after is exclusive: objects added at exactly that instant but not
// on the page are then missed, a limit of that fallback that section
// 3.3.1 accepts.) A server that repeats a next token, says more without a
// way to go on, or sends empty pages that say more is an error rather
// than a loop; so is a page whose X-TAXII-Date-Added-Last is more than
// MaxFutureDateAdded ahead of this clock, before fn sees it.
func (c *Client) EachPage(ctx context.Context, collection string, q PageQuery, fn func(*ObjectsPage) error) error {
	return c.eachPage(collection, q, func(q PageQuery) (pageInfo, error) {
		p, err := c.Objects(ctx, collection, q)
		if err != nil {
			return pageInfo{}, err
		}
		if err := c.checkDateAdded(collection, p.DateAddedLast); err != nil {
			return pageInfo{}, err
		}
		return pageInfo{p.More, p.Next, len(p.Objects), p.DateAddedLast}, fn(p)
	})
}

// EachManifestPage reads every page of a collection's manifest (section
// 5.6) from q on, as EachPage does for its objects.
func (c *Client) EachManifestPage(ctx context.Context, collection string, q PageQuery, fn func(*ManifestPage) error) error {
	return c.eachPage(collection, q, func(q PageQuery) (pageInfo, error) {
		p, err := c.Manifest(ctx, collection, q)
		if err != nil {
			return pageInfo{}, err
		}
		if err := c.checkDateAdded(collection, p.DateAddedLast); err != nil {
			return pageInfo{}, err
		}
		return pageInfo{p.More, p.Next, len(p.Objects), p.DateAddedLast}, fn(p)
	})
}

// MaxFutureDateAdded is how far past this client's clock a page's
// X-TAXII-Date-Added-Last may be: a server's clock may be off, but a date
// beyond it would move a pull's checkpoint (and added_after) past objects
// the server has yet to add, so that they would never be read.
const MaxFutureDateAdded = 24 * time.Hour

// checkDateAdded refuses a page whose X-TAXII-Date-Added-Last is later
// than MaxFutureDateAdded from now, before the page is handled.
func (c *Client) checkDateAdded(collection string, last time.Time) error {
	if now := time.Now(); last.After(now.Add(MaxFutureDateAdded)) {
		return &ClientError{Server: c.root.Host, Step: fmt.Sprintf("paging through collection %q", clip(collection)),
			Err: fmt.Errorf("its X-TAXII-Date-Added-Last %s is %s ahead of this clock (%s): the page is not used, so that the checkpoint does not skip what the server adds until then",
				FormatTimestamp(last), ahead(last.Sub(now)), FormatTimestamp(now))}
	}
	return nil
}

// ahead says a duration of more than a day in days, or hours.
func ahead(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	return fmt.Sprintf("%d hours", int(d.Hours()))
}

// pageInfo is what paging needs to know of a page.
type pageInfo struct {
	more          bool
	next          string
	records       int
	dateAddedLast time.Time
}

// eachPage pages through a collection for EachPage and EachManifestPage:
// read gets and handles the page of a query.
func (c *Client) eachPage(collection string, q PageQuery, read func(PageQuery) (pageInfo, error)) error {
	seen := map[string]bool{}
	empty := 0
	step := fmt.Sprintf("paging through collection %q", clip(collection))
	fail := func(format string, args ...any) error {
		return &ClientError{Server: c.root.Host, Step: step, Err: fmt.Errorf(format, args...)}
	}
	for {
		p, err := read(q)
		if err != nil {
			return err
		}
		if !p.more {
			return nil
		}
		if p.records == 0 {
			if empty++; empty >= maxEmptyPages {
				return fail("the server says more but sent %d empty pages in a row", empty)
			}
		} else {
			empty = 0
		}
		switch {
		case p.next != "":
			if seen[p.next] {
				return fail("the server sent the next token %q again: paging would never end", clip(p.next))
			}
			if len(seen) >= maxNextTokens {
				clear(seen)
			}
			seen[p.next] = true
			q.Next = p.next
		case !p.dateAddedLast.IsZero():
			if !p.dateAddedLast.After(q.AddedAfter) {
				return fail("the server says more, gives no next, and its X-TAXII-Date-Added-Last %s does not advance past added_after", FormatTimestamp(p.dateAddedLast))
			}
			q.AddedAfter, q.Next = p.dateAddedLast, ""
		default:
			return fail("the server says more but gives neither next nor X-TAXII-Date-Added-Last")
		}
	}
}

// AddObjects posts an envelope (section 3.7) to a collection (section
// 5.4) and returns the status resource of the answer.
func (c *Client) AddObjects(ctx context.Context, collection string, envelope []byte) (*Status, error) {
	step := fmt.Sprintf("adding objects to collection %q", clip(collection))
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, URL: c.Endpoint("collections", collection, "objects"), Step: step,
		Body: envelope, Want: http.StatusAccepted})
	if err != nil {
		return nil, err
	}
	var st Status
	return &st, c.decode(step, resp.Body, &st)
}

// WaitStatus reads the status resource until it is complete (section
// 4.3), polling from every 200 ms to every 5 s, and returns it; ctx bounds
// the wait.
func (c *Client) WaitStatus(ctx context.Context, st *Status) (*Status, error) {
	poll := 200 * time.Millisecond
	for st.Status != StatusComplete {
		if st.ID == "" {
			return st, errors.New("the status resource has no id to follow")
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return st, &ClientError{Server: c.root.Host, Step: fmt.Sprintf("waiting for status %q", clip(st.ID)), Err: ctx.Err()}
		case <-t.C:
		}
		poll = min(poll*2, 5*time.Second)
		next, err := c.Status(ctx, st.ID)
		if err != nil {
			return st, err
		}
		st = next
	}
	return st, nil
}
