package match

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// fakeSource holds records in memory, as the store would return them.
type fakeSource []strata.Vulnerability

func (f fakeSource) Vulnerabilities(_ context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	for _, v := range f {
		for _, n := range names {
			if v.Eco == eco && v.Release == release && v.Package == n {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func (f fakeSource) Covered(_ context.Context, eco strata.Ecosystem, release string) (bool, error) {
	for _, v := range f {
		if v.Eco == eco && v.Release == release {
			return true, nil
		}
	}
	return false, nil
}

func fixedIn(id, pkg, fixed string) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Updater: "debian", Eco: strata.Deb, Release: "debian:12", Package: pkg, SourcePackage: true,
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: fixed}}}}, FixedVersion: fixed, State: strata.Fixed,
	}
}

func TestMatch(t *testing.T) {
	bookworm := &strata.Distribution{ID: "debian", VersionID: "12"}
	libssl := strata.Package{Name: "libssl3", Version: "3.0.11-1~deb12u2", Eco: strata.Deb, SourceName: "openssl", SourceVersion: "3.0.11-1~deb12u2"}
	openssl := strata.Package{Name: "openssl", Version: "3.0.11-1~deb12u2", Eco: strata.Deb, SourceName: "openssl", SourceVersion: "3.0.11-1~deb12u2"}
	gcc := strata.Package{Name: "libgcc-s1", Version: "12.2.0-14", Eco: strata.Deb, SourceName: "gcc-12", SourceVersion: "12.2.0-14"}
	unfixed := strata.Vulnerability{ID: "CVE-2024-9", Updater: "debian", Eco: strata.Deb, Release: "debian:12", Package: "gcc-12", SourcePackage: true,
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}, State: strata.Unfixed}
	binaryKeyed := strata.Vulnerability{ID: "CVE-2024-8", Updater: "x", Eco: strata.Deb, Release: "debian:12", Package: "openssl",
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "3.0.12-1"}}}}, FixedVersion: "3.0.12-1", State: strata.Fixed}
	src := fakeSource{
		fixedIn("CVE-2024-1", "openssl", "3.0.13-1~deb12u1"), // newer fix: affected
		fixedIn("CVE-2023-1", "openssl", "3.0.11-1~deb12u2"), // fixed in the installed version: not affected
		fixedIn("CVE-2023-2", "openssl", "3.0.11-1~deb12u1"), // fixed before (~ sorts before): not affected
		fixedIn("CVE-2024-2", "libssl3", "9"),                // keyed by source but names a binary: never matches
		unfixed,
		binaryKeyed, // keyed by binary name: matches the openssl binary only
	}
	ir := &strata.IndexReport{Distribution: bookworm, Packages: []strata.Package{gcc, libssl, openssl}}
	got, err := Match(context.Background(), src, ir, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Pkg, Vuln, Range, Comparison string }
	var rows []row
	for _, f := range got.Findings {
		rows = append(rows, row{f.Package.Name, f.Vulnerability.ID, f.Reason.Range, f.Reason.Comparison})
	}
	want := []row{
		{"libgcc-s1", "CVE-2024-9", "introduced 0", "12.2.0-14 >= 0 (introduced)"},
		{"libssl3", "CVE-2024-1", "introduced 0, fixed 3.0.13-1~deb12u1", "3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (fixed)"},
		{"openssl", "CVE-2024-1", "introduced 0, fixed 3.0.13-1~deb12u1", "3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (fixed)"},
		{"openssl", "CVE-2024-8", "introduced 0, fixed 3.0.12-1", "3.0.11-1~deb12u2 < 3.0.12-1 (fixed)"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(got.Uncovered) != 0 {
		t.Errorf("Uncovered = %q, want none", got.Uncovered)
	}
}

func TestMatchUncovered(t *testing.T) {
	ir := &strata.IndexReport{
		Distribution: &strata.Distribution{ID: "debian", VersionID: "13"},
		Packages:     []strata.Package{{Name: "bash", Version: "5.2-1", Eco: strata.Deb}},
	}
	got, err := Match(context.Background(), fakeSource{fixedIn("CVE-1", "bash", "9")}, ir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"debian:13 (deb)"}, got.Uncovered); diff != "" {
		t.Errorf("Uncovered (-want +got):\n%s", diff)
	}
	if len(got.Findings) != 0 {
		t.Errorf("findings = %v, want none", got.Findings)
	}
}

func TestFilter(t *testing.T) {
	r := &Result{Findings: []strata.Finding{
		{Vulnerability: strata.Vulnerability{ID: "a", Severity: strata.High, FixedVersion: "1"}},
		{Vulnerability: strata.Vulnerability{ID: "b", Severity: strata.Low, FixedVersion: "1"}},
		{Vulnerability: strata.Vulnerability{ID: "c", Severity: strata.Critical}},
	}}
	ids := func(r *Result) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.Vulnerability.ID)
		}
		return out
	}
	if diff := cmp.Diff([]string{"a", "c"}, ids(r.Filter(strata.Medium, false))); diff != "" {
		t.Errorf("Filter(Medium) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b"}, ids(r.Filter(strata.Unknown, true))); diff != "" {
		t.Errorf("Filter(ignore unfixed) (-want +got):\n%s", diff)
	}
}

// Packages without a comparable version are not matched, and not counted
// as skipped: there is nothing to compare.
func TestMatchUnversioned(t *testing.T) {
	vuln := strata.Vulnerability{ID: "GO-1", Updater: "osv", Eco: strata.Go, Package: "github.com/opencontainers/runc",
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.1.12"}}}}, FixedVersion: "1.1.12", State: strata.Fixed}
	ir := &strata.IndexReport{Packages: []strata.Package{
		{Name: "github.com/opencontainers/runc", Version: "", Eco: strata.Go},
		{Name: "github.com/opencontainers/runc", Version: "(devel)", Eco: strata.Go},
		{Name: "github.com/opencontainers/runc", Version: "1.1.5", Eco: strata.Go},
	}}
	got, err := Match(context.Background(), fakeSource{vuln}, ir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 || got.Findings[0].Package.Version != "1.1.5" || got.Skipped != 0 {
		t.Errorf("findings %v, skipped %d; want one, for 1.1.5, and none skipped", got.Findings, got.Skipped)
	}
}

// A finding carries the fix of the branch that holds the installed
// version, not the record's (its first fixed event): PYSEC-2023-192 for
// urllib3 1.26.12 is fixed in 1.26.17, not 2.0.6. Where the installed
// version's interval has no fix (OPEN-1 at 2.0.4: open; LAST-1 at 1.26.12:
// closed by last_affected) the finding is unfixed, whatever fix another
// branch has, and --ignore-unfixed leaves it out; a record's other states
// are kept.
func TestMatchFixOfTheBranch(t *testing.T) {
	// The record's fixed version is its first fixed event, as the OSV
	// updater sets it.
	branches := func(id string, events ...strata.Event) strata.Vulnerability {
		return strata.Vulnerability{ID: id, Updater: "osv", Eco: strata.PyPI, Package: "urllib3",
			Ranges: []strata.Range{{Events: events}}, FixedVersion: events[1].Fixed, State: strata.Fixed}
	}
	src := fakeSource{
		branches("PYSEC-2023-192", strata.Event{Introduced: "2.0.0"}, strata.Event{Fixed: "2.0.6"}, strata.Event{Introduced: "0"}, strata.Event{Fixed: "1.26.17"}),
		branches("OPEN-1", strata.Event{Introduced: "1.26.0"}, strata.Event{Fixed: "1.26.13"}, strata.Event{Introduced: "2.0.0"}),
		branches("LAST-1", strata.Event{Introduced: "2.0.0"}, strata.Event{Fixed: "2.0.6"}, strata.Event{Introduced: "0"}, strata.Event{LastAffected: "1.26.18"}),
		{ID: "WONTFIX-1", Updater: "osv", Eco: strata.PyPI, Package: "urllib3", Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}, State: strata.WontFix},
	}
	ir := &strata.IndexReport{Packages: []strata.Package{
		{Name: "urllib3", Version: "1.26.12", Eco: strata.PyPI},
		{Name: "urllib3", Version: "2.0.4", Eco: strata.PyPI},
	}}
	got, err := Match(context.Background(), src, ir, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Version, Vuln, Fixed string }
	rows := func(r *Result) map[row]strata.State {
		out := map[row]strata.State{}
		for _, f := range r.Findings {
			out[row{f.Package.Version, f.Vulnerability.ID, f.Vulnerability.FixedVersion}] = f.Vulnerability.State
		}
		return out
	}
	want := map[row]strata.State{
		{"1.26.12", "PYSEC-2023-192", "1.26.17"}: strata.Fixed,
		{"1.26.12", "OPEN-1", "1.26.13"}:         strata.Fixed,
		{"1.26.12", "LAST-1", ""}:                strata.Unfixed,
		{"1.26.12", "WONTFIX-1", ""}:             strata.WontFix,
		{"2.0.4", "PYSEC-2023-192", "2.0.6"}:     strata.Fixed,
		{"2.0.4", "OPEN-1", ""}:                  strata.Unfixed,
		{"2.0.4", "LAST-1", "2.0.6"}:             strata.Fixed,
		{"2.0.4", "WONTFIX-1", ""}:               strata.WontFix,
	}
	if diff := cmp.Diff(want, rows(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantFixed := map[row]strata.State{
		{"1.26.12", "PYSEC-2023-192", "1.26.17"}: strata.Fixed,
		{"1.26.12", "OPEN-1", "1.26.13"}:         strata.Fixed,
		{"2.0.4", "PYSEC-2023-192", "2.0.6"}:     strata.Fixed,
		{"2.0.4", "LAST-1", "2.0.6"}:             strata.Fixed,
	}
	if diff := cmp.Diff(wantFixed, rows(got.Filter(strata.Unknown, true))); diff != "" {
		t.Errorf("Filter(ignore unfixed) (-want +got):\n%s", diff)
	}
}
