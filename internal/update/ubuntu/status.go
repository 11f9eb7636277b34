package ubuntu

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// record converts one status line; ok is false when it makes no record.
//
//   - released (version): fixed in that version. "released" without a
//     usable version (none, "0", or free text) makes no record: the
//     tracker says the release is fixed, and without a version there is
//     nothing to compare with, so reporting it would be a false
//     positive. When the note lists several versions, the first is the
//     release's own.
//   - needed, deferred, pending, active: unfixed.
//   - needs-triage: under investigation (not known to be affected yet).
//   - ignored: won't be fixed (end of life, out of support…), except
//     where the note says the vulnerable code is not built or not used
//     ("code-not-compiled", "code not used"): that is not-affected.
//   - not-affected, DNE (the package does not exist there): no record.
func (f *cveFile) record(rel string, s statusLine) (strata.Vulnerability, bool, error) {
	status, note := splitStatus(s.value)
	var state strata.State
	var version string
	switch status {
	case "released":
		if version = fixedVersion(note); version == "" {
			return strata.Vulnerability{}, false, nil
		}
		state = strata.Fixed
	case "needed", "deferred", "pending", "active":
		state = strata.Unfixed
	case "needs-triage":
		state = strata.UnderInvestigation
	case "ignored":
		if codeAbsent(note) {
			return strata.Vulnerability{}, false, nil
		}
		state = strata.WontFix
	case "not-affected", "DNE":
		return strata.Vulnerability{}, false, nil
	default:
		return strata.Vulnerability{}, false, fmt.Errorf("%s_%s: unknown status %s", s.release, s.pkg, excerpt.Quote(status))
	}
	events := []strata.Event{{Introduced: "0"}}
	if version != "" {
		events = append(events, strata.Event{Fixed: version})
	}
	prio, ok := f.pkgPriority[s.pkg]
	if !ok {
		prio = f.priority
	}
	return strata.Vulnerability{
		ID: f.candidate, Updater: "ubuntu", Eco: strata.Deb, Release: rel,
		Package: s.pkg, SourcePackage: true,
		Ranges:       []strata.Range{{Events: events}},
		FixedVersion: version, State: state,
		VendorSeverity: prio, Severity: priorities[prio],
		Description: f.text(), Links: f.links(), Published: f.published,
	}, true, nil
}

// splitStatus splits "released (1.2-3)" into the status and the text of
// its note. The note may be in brackets ("deferred [2019-04-10]") and
// may lack its closing parenthesis or have one too many.
func splitStatus(value string) (status, note string) {
	status, rest, _ := strings.Cut(value, " ")
	rest = strings.TrimSpace(rest)
	if rest != "" && (rest[0] == '(' || rest[0] == '[') {
		rest = rest[1:]
		if i := strings.IndexAny(rest, ")]"); i >= 0 {
			rest = rest[:i]
		}
	}
	return status, strings.TrimSpace(rest)
}

// fixedVersion is the first version of a "released" note, or "" when the
// note holds none: a Debian version starts with a digit and has no space.
func fixedVersion(note string) string {
	v, _, _ := strings.Cut(note, ",")
	v = strings.TrimSpace(v)
	if v == "" || v == "0" || v[0] < '0' || v[0] > '9' || strings.ContainsAny(v, " \t") {
		return ""
	}
	return v
}

// codeAbsent says whether an "ignored" note means that the vulnerable
// code is not in the package as built.
func codeAbsent(note string) bool {
	n := strings.ReplaceAll(strings.ToLower(note), "-", " ")
	return strings.Contains(n, "code not compiled") || strings.Contains(n, "code not used") || strings.Contains(n, "code not present")
}

// text is the description: Description, else Ubuntu-Description, its
// lines joined.
func (f *cveFile) text() string {
	lines := f.description
	if strings.TrimSpace(strings.Join(lines, "")) == "" {
		lines = f.ubuntuDesc
	}
	return strings.Join(slices.DeleteFunc(slices.Clone(lines), func(s string) bool { return s == "" }), " ")
}

// links are the references (the first word of each line: some add a
// note) and the CVE's page on ubuntu.com.
func (f *cveFile) links() []string {
	var links []string
	for _, r := range f.references {
		if fields := strings.Fields(r); len(fields) > 0 && !slices.Contains(links, fields[0]) {
			links = append(links, fields[0])
		}
	}
	page := "https://ubuntu.com/security/" + f.candidate
	if !slices.Contains(links, page) {
		links = append(links, page)
	}
	return links
}
