package pattern

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"
)

// This file matches observation expressions against a set of observations
// (STIX 2.1 sections 9.6 and 9.7), the way the OASIS reference matcher
// does: an observed-data with number_observed n counts as n observations
// with the same objects and times; an observation expression is matched
// by finding a "binding", one observation for each bracketed expression
// (times its REPEATS), with no observation used twice. AND joins bindings
// of its operands; OR takes either; FOLLOWEDBY joins them when the
// right-hand observations can be no earlier than the left-hand ones
// (latest first_observed on the left <= earliest last_observed on the
// right); WITHIN n SECONDS keeps bindings whose observations can all be
// placed in a window of n seconds; START/STOP keeps bindings whose every
// observation overlaps [START, STOP).

// maxSteps bounds the work of one Match call, so that a pattern such as
// "[a] REPEATS 50 TIMES" over many observations returns an error instead
// of running for ages.
const maxSteps = 2_000_000

// errTooComplex is wrapped by the error Match returns when the budget runs
// out.
var errTooComplex = errors.New("the pattern needs too many combinations of these observations to be evaluated")

// binding lists the observation instances bound to an expression.
type binding []int32

type instance struct {
	obs         int32 // index into the observations
	first, last time.Time
}

type obsMatcher struct {
	prog  *compiled
	obs   []*Observation
	inst  []instance
	byObs [][]int32 // instances of each observation
	memo  map[*ObservationSimple][]bool
	steps int
	err   error
}

// Match evaluates the pattern against a set of observations and reports
// whether it matches and which observations the first match used.
// Evaluation errors (an observation without the timestamps a qualifier or
// FOLLOWEDBY needs, number_observed below 1, a malformed value compared
// with a timestamp or CIDR, a pattern too costly to evaluate) are returned
// as errors.
func (p *Pattern) Match(obs []*Observation) (*MatchResult, error) {
	m := &obsMatcher{prog: p.program(), obs: obs, memo: map[*ObservationSimple][]bool{}}
	if err := m.expand(p.Root); err != nil {
		return nil, err
	}
	var first binding
	for b := range m.seq(p.Root) {
		first = b
		break
	}
	if m.err != nil {
		return nil, m.err
	}
	res := &MatchResult{ObservedDataIDs: []string{}}
	if first == nil {
		return res, nil
	}
	res.Matched = true
	idx := make([]int, 0, len(first))
	for _, in := range first {
		idx = append(idx, int(m.inst[in].obs))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		res.ObservedDataIDs = append(res.ObservedDataIDs, obs[i].ID)
	}
	return res, nil
}

// bindingSize is the most instances one binding of e can use.
func bindingSize(e ObservationExpr) int {
	n := 1
	if c, ok := e.(*ObservationCompound); ok {
		n = 0
		for _, o := range c.Operands {
			n = min(n+bindingSize(o), 1<<20)
		}
	}
	for _, q := range e.Quals() {
		if q.Kind == QualRepeats {
			n = min(n*q.Times, 1<<20)
		}
	}
	return n
}

// needsTime reports whether evaluating e looks at observation times.
func needsTime(e ObservationExpr) bool {
	for _, q := range e.Quals() {
		if q.Kind == QualWithin || q.Kind == QualStartStop {
			return true
		}
	}
	if c, ok := e.(*ObservationCompound); ok {
		if c.Op == FollowedBy {
			return true
		}
		for _, o := range c.Operands {
			if needsTime(o) {
				return true
			}
		}
	}
	return false
}

// expand checks the observations and makes their instances: an
// observation with number_observed n gives min(n, bindingSize) instances,
// since no binding can use more.
func (m *obsMatcher) expand(root ObservationExpr) error {
	size := bindingSize(root)
	timed := needsTime(root)
	m.byObs = make([][]int32, len(m.obs))
	for i, o := range m.obs {
		name := o.ID
		if name == "" {
			name = fmt.Sprintf("observation %d", i+1)
		}
		if o.NumberObserved < 1 {
			return fmt.Errorf("%s: number_observed is %d; it must be at least 1", name, o.NumberObserved)
		}
		if timed {
			if o.FirstObserved.IsZero() || o.LastObserved.IsZero() {
				return fmt.Errorf("%s: the pattern uses FOLLOWEDBY, WITHIN or START/STOP, which need first_observed and last_observed, and they are missing", name)
			}
			if o.LastObserved.Before(o.FirstObserved) {
				return fmt.Errorf("%s: last_observed %s is before first_observed %s", name, timeOf(o.LastObserved), timeOf(o.FirstObserved))
			}
		}
		n := min(o.NumberObserved, size)
		if len(m.inst)+n > maxSteps {
			return fmt.Errorf("%w: more than %d observation instances", errTooComplex, maxSteps)
		}
		for range n {
			m.byObs[i] = append(m.byObs[i], int32(len(m.inst)))
			m.inst = append(m.inst, instance{obs: int32(i), first: o.FirstObserved, last: o.LastObserved})
		}
	}
	return nil
}

// tick counts work and reports false once the budget is spent.
func (m *obsMatcher) tick() bool {
	if m.err != nil {
		return false
	}
	m.steps++
	if m.steps > maxSteps {
		m.err = fmt.Errorf("%w (more than %d steps); match fewer observations at a time", errTooComplex, maxSteps)
		return false
	}
	return true
}

// seq yields the bindings of e lazily, so that Match can stop at the first.
func (m *obsMatcher) seq(e ObservationExpr) iter.Seq[binding] {
	var s iter.Seq[binding]
	switch e := e.(type) {
	case *ObservationSimple:
		s = m.simple(e)
	case *ObservationCompound:
		s = m.seq(e.Operands[0])
		for _, o := range e.Operands[1:] {
			switch e.Op {
			case And:
				s = m.join(s, m.seq(o), nil)
			case FollowedBy:
				s = m.join(s, m.seq(o), m.ordered)
			case Or:
				s = concat(s, m.seq(o))
			}
		}
	default:
		return func(func(binding) bool) {}
	}
	for _, q := range e.Quals() {
		switch q.Kind {
		case QualRepeats:
			s = m.repeats(s, q.Times)
		case QualWithin:
			s = m.filter(s, m.within(secondsDuration(q.Seconds)))
		case QualStartStop:
			s = m.filter(s, m.startStop(q.Start, q.Stop))
		}
	}
	return s
}

// simple yields one binding per instance of each observation that
// satisfies the bracketed expression.
func (m *obsMatcher) simple(e *ObservationSimple) iter.Seq[binding] {
	return func(yield func(binding) bool) {
		hits, ok := m.memo[e]
		if !ok {
			hits = make([]bool, len(m.obs))
			for i, o := range m.obs {
				if !m.tick() {
					return
				}
				ev := scoEval{prog: m.prog, obs: o}
				hit, err := ev.matchesObservation(e.Expr)
				if err != nil {
					name := o.ID
					if name == "" {
						name = fmt.Sprintf("observation %d", i+1)
					}
					m.err = fmt.Errorf("%s: %w", name, err)
					return
				}
				hits[i] = hit
			}
			m.memo[e] = hits
		}
		for i, hit := range hits {
			if !hit {
				continue
			}
			for _, in := range m.byObs[i] {
				if !m.tick() || !yield(binding{in}) {
					return
				}
			}
		}
	}
}

func concat(a, b iter.Seq[binding]) iter.Seq[binding] {
	return func(yield func(binding) bool) {
		for x := range a {
			if !yield(x) {
				return
			}
		}
		for x := range b {
			if !yield(x) {
				return
			}
		}
	}
}

func disjoint(a, b binding) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// join yields every left+right pair of disjoint bindings that also pass
// ok (when not nil). The right side is gathered once.
func (m *obsMatcher) join(left, right iter.Seq[binding], ok func(l, r binding) bool) iter.Seq[binding] {
	return func(yield func(binding) bool) {
		var rs []binding
		gathered := false
		for l := range left {
			if !gathered {
				for r := range right {
					rs = append(rs, r)
				}
				gathered = true
				if m.err != nil {
					return
				}
			}
			for _, r := range rs {
				if !m.tick() {
					return
				}
				if disjoint(l, r) && (ok == nil || ok(l, r)) {
					if !yield(append(slices.Clip(l), r...)) {
						return
					}
				}
			}
		}
	}
}

// ordered is the FOLLOWEDBY test: the latest first_observed on the left is
// not after the earliest last_observed on the right.
func (m *obsMatcher) ordered(l, r binding) bool {
	latestFirst := m.inst[l[0]].first
	for _, in := range l[1:] {
		if f := m.inst[in].first; f.After(latestFirst) {
			latestFirst = f
		}
	}
	earliestLast := m.inst[r[0]].last
	for _, in := range r[1:] {
		if t := m.inst[in].last; t.Before(earliestLast) {
			earliestLast = t
		}
	}
	return !latestFirst.After(earliestLast)
}

// within is the WITHIN test: some window of length d touches every
// observation's [first_observed, last_observed].
func (m *obsMatcher) within(d time.Duration) func(binding) bool {
	return func(b binding) bool {
		earliestLast := m.inst[b[0]].last
		latestFirst := m.inst[b[0]].first
		for _, in := range b[1:] {
			if t := m.inst[in].last; t.Before(earliestLast) {
				earliestLast = t
			}
			if f := m.inst[in].first; f.After(latestFirst) {
				latestFirst = f
			}
		}
		return !latestFirst.After(earliestLast.Add(d))
	}
}

// startStop is the START/STOP test: every observation overlaps the
// half-open interval [start, stop).
func (m *obsMatcher) startStop(start, stop time.Time) func(binding) bool {
	return func(b binding) bool {
		for _, in := range b {
			if !m.inst[in].first.Before(stop) || m.inst[in].last.Before(start) {
				return false
			}
		}
		return true
	}
}

func (m *obsMatcher) filter(s iter.Seq[binding], keep func(binding) bool) iter.Seq[binding] {
	return func(yield func(binding) bool) {
		for b := range s {
			if !m.tick() {
				return
			}
			if keep(b) && !yield(b) {
				return
			}
		}
	}
}

// repeats yields the concatenations of n pairwise disjoint bindings of s,
// in lexicographic order of their positions in s.
func (m *obsMatcher) repeats(s iter.Seq[binding], n int) iter.Seq[binding] {
	if n == 1 {
		return s
	}
	return func(yield func(binding) bool) {
		var all []binding
		for b := range s {
			all = append(all, b)
		}
		if m.err != nil || len(all) < n {
			return
		}
		chosen := make([]int, 0, n)
		var rec func(from int, acc binding) bool
		rec = func(from int, acc binding) bool {
			if len(chosen) == n {
				return yield(slices.Clone(acc))
			}
			for i := from; i <= len(all)-(n-len(chosen)); i++ {
				if !m.tick() {
					return false
				}
				if !disjoint(acc, all[i]) {
					continue
				}
				chosen = append(chosen, i)
				if !rec(i+1, append(acc, all[i]...)) {
					return false
				}
				chosen = chosen[:len(chosen)-1]
			}
			return true
		}
		rec(0, nil)
	}
}

// secondsDuration converts WITHIN's seconds to a Duration, saturating at
// the largest Duration (about 292 years).
func secondsDuration(sec float64) time.Duration {
	if sec >= float64(math.MaxInt64)/float64(time.Second) {
		return math.MaxInt64
	}
	return time.Duration(sec * float64(time.Second))
}
