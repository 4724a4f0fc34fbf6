package server

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Charts drawn on the server as SVG: pure functions from counts to markup,
// so that a page needs no script to show them and a test can read them.
// Colours come from classes (s0..s7 in app.css), so dark mode restyles
// them; every bar has a <title> that a screen reader and a hover tell.

// maxSeries is how many types a chart names; the rest are "other".
const maxSeries = 7

// chartSeries picks the types a stacked chart shows, largest first.
func chartSeries(ranked []typeCount) []string {
	var out []string
	for i, tc := range ranked {
		if i == maxSeries {
			out = append(out, "other")
			break
		}
		out = append(out, tc.Type)
	}
	return out
}

// seriesValue is the count of a series on a day: a type's, or for "other"
// every type not in series.
func seriesValue(counts map[string]int64, series []string, name string) int64 {
	if name != "other" {
		return counts[name]
	}
	var n int64
	for t, c := range counts {
		if !slices.Contains(series, t) {
			n += c
		}
	}
	return n
}

// stackedBars draws one bar per day, stacked by series, with a legend.
func stackedBars(days []time.Time, byDay map[time.Time]map[string]int64, series []string, title string) template.HTML {
	const w, h, left, bottom, pad = 720.0, 240.0, 40.0, 24.0, 8.0
	var top int64
	for _, d := range days {
		var sum int64
		for _, n := range byDay[d] {
			sum += n
		}
		top = max(top, sum)
	}
	scale := niceCeiling(top)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, w, h+44, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	plotH := h - bottom - pad
	ticks := gridTicks(scale)
	for i := int64(0); i <= ticks; i++ { // grid lines and their labels
		y := pad + plotH - plotH*float64(i)/float64(ticks)
		fmt.Fprintf(&b, `<line class="grid" x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f"/>`, left, w, y, y)
		fmt.Fprintf(&b, `<text class="axis" x="%.0f" y="%.1f" text-anchor="end">%s</text>`, left-6, y+4, formatNumber(scale*i/ticks))
	}
	slot := (w - left) / float64(max(len(days), 1))
	barW := math.Max(slot*0.72, 1)
	for i, d := range days {
		x := left + float64(i)*slot + (slot-barW)/2
		y := pad + plotH
		for si, name := range series {
			n := seriesValue(byDay[d], series, name)
			if n == 0 || scale == 0 {
				continue
			}
			bh := plotH * float64(n) / float64(scale)
			y -= bh
			fmt.Fprintf(&b, `<rect class="s%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s %s</title></rect>`,
				si, x, y, barW, bh, d.Format("2 Jan"), formatNumber(n), html.EscapeString(name))
		}
		switch {
		case i == len(days)-1:
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.0f" text-anchor="end">%s</text>`, x+barW, h-6, d.Format("2 Jan"))
		case i%7 == 0 && len(days)-1-i >= 4: // no label crowds the last
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, x+barW/2, h-6, d.Format("2 Jan"))
		}
	}
	lx, ly := left, h+10
	for si, name := range series { // the legend, wrapped onto a second row
		step := 22 + 7*float64(len(name))
		if lx+step > w && lx > left {
			lx, ly = left, ly+16
		}
		fmt.Fprintf(&b, `<rect class="s%d" x="%.0f" y="%.0f" width="10" height="10"/><text class="legend" x="%.0f" y="%.0f">%s</text>`,
			si, lx, ly, lx+14, ly+9, html.EscapeString(name))
		lx += step
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// weeklyBars draws the counts of one type per week (seven days ending with
// the last day), one bar each.
func weeklyBars(days []time.Time, byDay map[time.Time]map[string]int64, typ, title string) template.HTML {
	var weeks []time.Time
	week := map[time.Time]map[string]int64{}
	for i := len(days) - 1; i >= 0; i -= 7 {
		start := days[max(i-6, 0)]
		weeks = append([]time.Time{start}, weeks...)
		var n int64
		for j := max(i-6, 0); j <= i; j++ {
			n += byDay[days[j]][typ]
		}
		week[start] = map[string]int64{typ: n}
	}
	return stackedBars(weeks, week, []string{typ}, title)
}

// gridTicks is how many steps the axis of a chart up to scale (1, 2 or 5
// times a power of ten) has, so that every label is a whole number.
func gridTicks(scale int64) int64 {
	switch {
	case scale >= 5 && scale%5 == 0:
		return 5
	case scale%4 == 0:
		return 4
	case scale%2 == 0:
		return 2
	}
	return 1
}

// niceCeiling rounds n up to 1, 2 or 5 times a power of ten, so that the
// axis reads in round numbers.
func niceCeiling(n int64) int64 {
	if n <= 0 {
		return 0
	}
	p := int64(1)
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

// relationGraph draws the object in the middle and the objects it is
// related to around it: an arrow out to each object it refers to, an
// arrow in from each that refers to it, the property or relationship type
// on the edge, and each node a link to its page.
func relationGraph(ov *objectView, edges []objectRef) template.HTML {
	if len(edges) == 0 {
		return ""
	}
	if len(edges) > 16 {
		edges = edges[:16]
	}
	const w, h, r = 640.0, 360.0, 130.0
	cx, cy := w/2, h/2
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="graph" viewBox="0 0 %.0f %.0f" role="img" aria-label="Objects related to %s">`, w, h, html.EscapeString(ov.Name))
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>`)
	type node struct{ x, y float64 }
	nodes := make([]node, len(edges))
	for i, e := range edges {
		a := 2*math.Pi*float64(i)/float64(len(edges)) - math.Pi/2
		n := node{cx + 1.6*r*math.Cos(a), cy + r*math.Sin(a)}
		nodes[i] = n
		// The line stops at the rims of the circles, so the arrow shows.
		dx, dy := n.x-cx, n.y-cy
		l := math.Hypot(dx, dy)
		x1, y1, x2, y2 := cx+dx*16/l, cy+dy*16/l, n.x-dx*11/l, n.y-dy*11/l
		if e.Incoming {
			x1, y1, x2, y2 = x2, y2, x1, y1
		}
		fmt.Fprintf(&b, `<line class="edge" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" marker-end="url(#arrow)"/>`, x1, y1, x2, y2)
	}
	for i, e := range edges {
		n := nodes[i]
		label := e.Type
		if e.Name != "" {
			label = clipText(e.Name, 20)
		}
		fmt.Fprintf(&b, `<a href="/ui/objects/%s"><circle class="node t-%s" cx="%.1f" cy="%.1f" r="9"/><text class="node-label" x="%.1f" y="%.1f" text-anchor="middle">%s</text><text class="edge-label" x="%.1f" y="%.1f" text-anchor="middle">%s</text><title>%s %s</title></a>`,
			html.EscapeString(url.PathEscape(e.ID)), html.EscapeString(e.Type), n.x, n.y, n.x, n.y+22,
			html.EscapeString(label), (cx+n.x)/2, (cy+n.y)/2-4, html.EscapeString(e.Property),
			html.EscapeString(e.Type), html.EscapeString(cmp.Or(e.Name, e.ID)))
	}
	fmt.Fprintf(&b, `<circle class="node center t-%s" cx="%.1f" cy="%.1f" r="14"/><text class="node-label center" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
		html.EscapeString(ov.Type), cx, cy, cx, cy+32, html.EscapeString(clipText(ov.Name, 40)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// clipText shortens s to n runes.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
