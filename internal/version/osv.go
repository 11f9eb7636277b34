package version

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// Verdict is the outcome of evaluating OSV ranges for one version.
type Verdict struct {
	Affected bool
	// Range is the range that decided, in words: "introduced 0, fixed
	// 1.2-3" or "listed in versions". It is empty when there was nothing
	// to evaluate.
	Range string
	// Comparison is the comparison that decided: "1.2-1 < 1.2-3 (fixed)".
	Comparison string
	// Fixed is, when a range decided that v is affected, the fixed event
	// that ends the interval holding v: the smallest fixed version above
	// v in that range. It is empty when that interval has no fix (it is
	// open, or closed by last_affected), whatever fix other intervals
	// have, and when v is affected only by being listed in versions.
	Fixed string
	// Skipped says what the comparator rejected and was left out of the
	// evaluation before it decided: a range with an event it rejects
	// ("range 1 (introduced 0, fixed a3): fixed a3: …"), or a listed
	// version ("versions: …"), which cannot equal the version that it
	// accepts.
	Skipped []string
}

// Affected evaluates OSV semantics: v is affected if it falls in any range
// (introduced <= v < fixed, or introduced <= v <= last_affected, and v <
// limit when a limit is given; introduced "0" = from the beginning; events
// sorted by the comparator) or is listed in versions. An unfixed range
// (introduced only) affects every version from introduced.
//
// Each range is evaluated as the OSV schema's algorithm does: its events,
// limits aside, are sorted by version (introduced "0" first; events of
// equal versions keep the feed's order) and walked in order, an introduced
// event at or below v making it affected and a fixed event at or below v,
// or a last_affected event below v, making it unaffected. A range with
// limit events affects only versions below at least one limit ("*" is no
// limit). The first range that affects v decides, and gives the fix of v's
// interval (Verdict.Fixed); when none does, a listed version equal to v
// does. When nothing affects v, the verdict names the first range and why
// it did not affect v.
//
// As in the schema's algorithm, the ranges and the list are evaluated
// independently. A range with an event version the comparator rejects
// cannot be evaluated; the other ranges and the list still are. A listed
// version the comparator rejects is skipped: it is not v as written, which
// the comparator accepts. Verdict.Skipped says what was left out. It is an
// error when nothing affects v and a range could not be evaluated (it
// might have), when an event is invalid (none or several fields set), and
// when the comparator rejects v and versions does not list it as written.
func Affected(c Comparator, ranges []strata.Range, versions []string, v string) (Verdict, error) {
	if _, err := c.Compare(v, v); err != nil {
		if slices.Contains(versions, v) {
			return listed(v, v), nil
		}
		return Verdict{}, err
	}
	flat, err := flattenAll(ranges)
	if err != nil {
		return Verdict{}, err
	}
	var first Verdict
	var skipped []string
	var unusable []error
	for i, events := range flat {
		vd, err := evalRange(c, events, v)
		if err != nil {
			err = fmt.Errorf("range %d (%s): %w", i, vd.Range, err)
			skipped, unusable = append(skipped, err.Error()), append(unusable, err)
			continue
		}
		if vd.Affected {
			vd.Skipped = skipped
			return vd, nil
		}
		if i == 0 { // used only when every range could be evaluated
			first = vd
		}
	}
	lv, ok, rejected := inVersions(c, versions, v)
	skipped = append(skipped, rejected...)
	switch {
	case ok:
		first = listed(v, lv)
	case len(unusable) > 0:
		return Verdict{}, errors.Join(unusable...)
	}
	first.Skipped = skipped
	return first, nil
}

// inVersions finds v in versions with the comparator, and says which
// listed versions it rejected.
func inVersions(c Comparator, versions []string, v string) (lv string, ok bool, rejected []string) {
	for _, lv := range versions {
		n, err := c.Compare(v, lv)
		switch {
		case err != nil:
			rejected = append(rejected, "versions: "+err.Error())
		case n == 0:
			return lv, true, rejected
		}
	}
	return "", false, rejected
}

// listed is the verdict for v listed in versions as lv.
func listed(v, lv string) Verdict {
	return Verdict{Affected: true, Range: "listed in versions", Comparison: v + " = " + lv + " (versions)"}
}

// flattenAll flattens each range; an invalid event in any of them is an
// error, the record being malformed.
func flattenAll(ranges []strata.Range) ([][]event, error) {
	flat := make([][]event, len(ranges))
	for i, r := range ranges {
		var err error
		if flat[i], err = flatten(r); err != nil {
			return nil, fmt.Errorf("range %d (%s): %w", i, describe(flat[i]), err)
		}
	}
	return flat, nil
}

// event is one range event, flattened, with v compared to it.
type event struct {
	kind    string // "introduced", "fixed", "last_affected", "limit"
	version string
	cmp     int // the comparison of v with version
}

func (e event) String() string { return e.kind + " " + e.version }

// evalRange evaluates one range's flattened events for v.
func evalRange(c Comparator, events []event, v string) (Verdict, error) {
	vd := Verdict{Range: describe(events)}
	var err error
	for i := range events {
		if events[i].cmp, err = compareToEvent(c, v, events[i]); err != nil {
			return vd, fmt.Errorf("%s: %w", events[i], err)
		}
	}
	if lim, ok := withinLimits(events); !ok {
		vd.Comparison = v + " >= " + lim.version + " (limit)"
		return vd, nil
	}
	walk := slices.DeleteFunc(slices.Clone(events), func(e event) bool { return e.kind == "limit" })
	if err := sortEvents(c, walk); err != nil {
		return vd, err
	}
	return decide(vd, walk, v), nil
}

// flatten turns the range's events into one list in the feed's order,
// checking that each sets exactly one field.
func flatten(r strata.Range) ([]event, error) {
	events := make([]event, 0, len(r.Events))
	var errs []error
	for i, e := range r.Events {
		var set []event
		for _, f := range []event{{kind: "introduced", version: e.Introduced}, {kind: "fixed", version: e.Fixed},
			{kind: "last_affected", version: e.LastAffected}, {kind: "limit", version: e.Limit}} {
			if f.version != "" {
				set = append(set, f)
			}
		}
		if len(set) != 1 {
			errs = append(errs, fmt.Errorf("event %d sets %d fields, want exactly 1", i, len(set)))
			continue
		}
		events = append(events, set[0])
	}
	return events, errors.Join(errs...)
}

func describe(events []event) string {
	words := make([]string, len(events))
	for i, e := range events {
		words[i] = e.String()
	}
	return strings.Join(words, ", ")
}

// compareToEvent compares v, which the comparator accepts, with e's
// version.
func compareToEvent(c Comparator, v string, e event) (int, error) {
	switch {
	case e.isZero():
		return 1, nil
	case e.kind == "limit" && e.version == "*":
		return -1, nil
	}
	return c.Compare(v, e.version)
}

// withinLimits reports whether v is below one of the range's limits (or
// the range has none); when it is not, it returns the first limit.
func withinLimits(events []event) (event, bool) {
	var first *event
	for i, e := range events {
		if e.kind != "limit" {
			continue
		}
		if e.cmp < 0 {
			return event{}, true
		}
		if first == nil {
			first = &events[i]
		}
	}
	if first == nil {
		return event{}, true
	}
	return *first, false
}

func sortEvents(c Comparator, events []event) error {
	var err error
	slices.SortStableFunc(events, func(a, b event) int {
		if za, zb := a.isZero(), b.isZero(); za || zb {
			return boolRank(zb) - boolRank(za)
		}
		n, cerr := c.Compare(a.version, b.version)
		if err == nil {
			err = cerr
		}
		return n
	})
	return err
}

// isZero reports whether e is introduced "0", which sorts before every
// other event.
func (e event) isZero() bool { return e.kind == "introduced" && e.version == "0" }

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// decide walks the sorted events as the OSV algorithm does and explains the
// outcome. When v is affected, the first fixed or last_affected event
// above the introduced event that decided ends v's interval: a fixed one
// is v's fix.
func decide(vd Verdict, events []event, v string) Verdict {
	last := -1 // the last event that set the state
	for i, e := range events {
		switch {
		case e.kind == "introduced" && e.cmp >= 0,
			e.kind == "fixed" && e.cmp >= 0,
			e.kind == "last_affected" && e.cmp > 0:
			last = i
		}
	}
	if last < 0 {
		vd.Comparison = belowIntroduced(events, v)
		return vd
	}
	e := events[last]
	if e.kind != "introduced" {
		op := map[string]string{"fixed": " >= ", "last_affected": " > "}[e.kind]
		vd.Comparison = v + op + e.version + " (" + e.kind + ")"
		return vd
	}
	vd.Affected = true
	vd.Comparison = v + " >= " + e.version + " (introduced)"
	for _, u := range events[last+1:] {
		switch u.kind {
		case "fixed":
			vd.Comparison = v + " < " + u.version + " (fixed)"
			vd.Fixed = u.version
			return vd
		case "last_affected":
			vd.Comparison = v + " <= " + u.version + " (last_affected)"
			return vd
		}
	}
	return vd
}

func belowIntroduced(events []event, v string) string {
	for _, e := range events {
		if e.kind == "introduced" {
			return v + " < " + e.version + " (introduced)"
		}
	}
	return "no introduced event"
}
