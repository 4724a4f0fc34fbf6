package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/isachub/isachub/taxii"
)

// matchChunk bounds the events one request of isachub match --url
// carries: the hub's max_content_length is 16 MiB unless set otherwise.
const (
	matchChunkLines = 50000
	matchChunkBytes = 8 << 20
)

// remoteHit is a hit of POST /{root}/match.
type remoteHit struct {
	Event     int    `json:"event"`
	Indicator string `json:"indicator"`
	Name      string `json:"name"`
	Pattern   string `json:"pattern"`
	TLP       string `json:"tlp"`
	// With warninglists=flag.
	Warninglist       []string `json:"warninglist"`
	WarninglistReason string   `json:"warninglist_reason"`
}

// runRemoteMatch is isachub match --url: the events of each file go, as
// JSON lines in chunks, to the hub's matching API, which matches them
// against the community's indicators that the caller may see; the output
// is the local command's, with the TLP of each hit in --json. warnMode
// (flag, drop or "": off) is the hub's warninglists parameter.
func runRemoteMatch(ctx context.Context, env *Env, rawURL string, tf tlsFlags, files []string, asJSON bool, warnMode string) int {
	conf, err := tf.config()
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
		return exitUsage
	}
	hub, err := newHubClient(env, "match", rawURL, taxii.ClientOptions{TLS: conf, Retries: -1})
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	if warnMode == "" {
		warnMode = "off" // the output would not show them
	}
	events, hits, skipped, dropped := 0, 0, 0, 0
	for _, name := range files {
		var in io.Reader = env.Stdin
		display := "-"
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
				return exitUsage
			}
			defer f.Close()
			in, display = f, name
		}
		br := bufio.NewReaderSize(in, 1<<20)
		first := 1 // the line number of the chunk's first line
		for {
			chunk, n, err := readChunk(br)
			if err != nil {
				fmt.Fprintf(env.Stderr, "isachub match: %s: %v\n", display, err)
				return exitUsage
			}
			if n == 0 {
				break
			}
			res, err := hub.match(ctx, chunk, warnMode)
			if err != nil {
				fmt.Fprintf(env.Stderr, "isachub match: %s: %v\n", display, err)
				return exitFailure
			}
			events += res.Events
			dropped += res.WarninglistDropped
			for _, e := range res.Errors {
				skipped++
				fmt.Fprintf(env.Stderr, "isachub match: %s:%d: skipped: %s\n", display, first+e.Event-1, taxii.Printable(e.Error, 300))
			}
			for _, h := range res.Hits {
				hits++
				line := first + h.Event - 1
				if asJSON {
					v := map[string]any{"file": display, "line": line, "indicator_id": h.Indicator,
						"indicator_name": h.Name, "pattern": h.Pattern, "tlp": h.TLP}
					if h.WarninglistReason != "" {
						v["warninglist"], v["warninglist_reason"] = h.Warninglist, h.WarninglistReason
					}
					b, _ := jsonMarshalLine(v)
					out.Write(b)
					continue
				}
				warned := ""
				if h.WarninglistReason != "" {
					warned = "\twarninglist: " + oneLine(taxii.Printable(h.WarninglistReason, 2000))
				}
				fmt.Fprintf(out, "%s:%d\t%s\t%s\t%s%s\n", display, line, taxii.Printable(h.Indicator, 200), oneLine(taxii.Printable(h.Name, 500)), oneLine(taxii.Printable(h.Pattern, 2000)), warned)
			}
			first += n
		}
	}
	left := ""
	if warnMode == "drop" {
		left = fmt.Sprintf(", %d hits left out by the warninglists", dropped)
	}
	fmt.Fprintf(env.Stderr, "isachub match: %d events, %d hits, %d lines skipped%s (matched by %s)\n", events, hits, skipped, left, hub.host)
	if hits > 0 {
		return exitOK
	}
	return exitNegative
}

// readChunk reads up to matchChunkLines lines (or about matchChunkBytes)
// and returns them and how many there were.
func readChunk(br *bufio.Reader) ([]byte, int, error) {
	var buf bytes.Buffer
	n := 0
	for n < matchChunkLines && buf.Len() < matchChunkBytes {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			buf.Write(line)
			if line[len(line)-1] != '\n' {
				buf.WriteByte('\n')
			}
			n++
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, 0, err
		}
	}
	return buf.Bytes(), n, nil
}

// remoteMatch is the answer of POST /{root}/match.
type remoteMatch struct {
	Hits   []remoteHit
	Events int
	Errors []struct {
		Event int
		Error string
	}
	WarninglistDropped int `json:"warninglist_dropped"`
}

// match posts events to the hub's matching API, with its warninglists
// parameter.
func (h *hubClient) match(ctx context.Context, events []byte, warnMode string) (*remoteMatch, error) {
	endpoint := strings.TrimSuffix(h.Endpoint("match"), "/") + "?warninglists=" + url.QueryEscape(warnMode)
	resp, err := h.post(ctx, "matching events", endpoint, events, http.StatusOK,
		map[string]string{"Content-Type": "application/x-ndjson", "Accept": "application/json"})
	if err != nil {
		return nil, err
	}
	var res remoteMatch
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		return nil, fmt.Errorf("the hub's answer is not a match result: %v", err)
	}
	return &res, nil
}
