package cli

import (
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/report"
)

// vulnerabilities returns the vulnerabilities of an image's report as the
// notifier counts them: the records that the report shows as one
// vulnerability of a package, together with those of the image's other
// packages that share a record with them; each is the sorted ids of its
// records joined by ",".
func vulnerabilities(vr *report.VulnerabilityReport) []string {
	var sets [][]string
	for _, v := range vr.Vulnerabilities {
		merged := []string{v.Name}
		for _, s := range v.Sources {
			merged = append(merged, s.Name)
		}
		kept := sets[:0]
		for _, s := range sets {
			if slices.ContainsFunc(s, func(id string) bool { return slices.Contains(merged, id) }) {
				merged = append(merged, s...)
			} else {
				kept = append(kept, s)
			}
		}
		sets = append(kept, merged)
	}
	out := make([]string, len(sets))
	for i, s := range sets {
		slices.Sort(s)
		out[i] = strings.Join(slices.Compact(s), ",")
	}
	slices.Sort(out)
	return out
}

// changes returns what went from the vulnerabilities before to those
// after (see vulnerabilities), as sorted "ids added" and "ids removed"
// lines: a vulnerability of after that shares no record with any of
// before is added, one of before sharing none with after removed.
func changes(before, after []string) []string {
	var out []string
	for _, v := range after {
		if holding(before, v) == "" {
			out = append(out, v+" added")
		}
	}
	for _, v := range before {
		if holding(after, v) == "" {
			out = append(out, v+" removed")
		}
	}
	slices.Sort(out)
	return out
}

// holding returns the vulnerability of vulns that has a record of v (one
// id or several joined by ","), or "".
func holding(vulns []string, v string) string {
	ids := strings.Split(v, ",")
	for _, w := range vulns {
		if slices.ContainsFunc(strings.Split(w, ","), func(id string) bool { return slices.Contains(ids, id) }) {
			return w
		}
	}
	return ""
}
