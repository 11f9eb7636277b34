package ubuntu

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/testutil/golden"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// realTarball is the whole active/ tree of June 2020.
const realTarball = "../../../../shared/data/feeds/ubuntu/uct/ubuntu-cve-tracker-active-2020-06.tar.gz"

func TestParseFiles(t *testing.T) {
	// Counted with grep: lines of named releases whose status is neither
	// DNE nor not-affected (every "released" line there has a version).
	tests := map[string]int{
		"CVE-2019-1547": 8, "CVE-2016-4021": 5, "CVE-2007-0255": 28, "CVE-2017-15597": 5,
		"CVE-2016-10255": 10, "CVE-2019-13722": 13, "CVE-2009-0195": 71, "CVE-2009-0799": 71,
		"CVE-2019-3309": 6,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			vs := updatetest.ParseFile(t, Updater{}, filepath.Join("testdata/active", name))
			if len(vs) != want {
				t.Errorf("%d records, want %d", len(vs), want)
			}
			b, err := json.MarshalIndent(vs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata/golden", name+".json"), append(b, '\n'))
		})
	}
}

func TestRecords(t *testing.T) {
	pgpdump := strata.Vulnerability{
		ID: "CVE-2016-4021", Updater: "ubuntu", Eco: strata.Deb, Release: "ubuntu:12.04",
		Package: "pgpdump", SourcePackage: true,
		Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "0.27-1+deb7u1build0.12.04.1"}}}},
		FixedVersion: "0.27-1+deb7u1build0.12.04.1", State: strata.Fixed,
		VendorSeverity: "low", Severity: strata.Low,
		Description: `The read_binary function in buffer.c in pgpdump before 0.30 allows context-dependent attackers to cause a denial of service (infinite loop and CPU consumption) via crafted input, as demonstrated by the \xa3\x03 string.`,
		Links: []string{
			"https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2016-4021",
			"https://www.syss.de/fileadmin/dokumente/Publikationen/Advisories/SYSS-2016-030.txt",
			"https://ubuntu.com/security/CVE-2016-4021",
		},
		Published: time.Date(2016, 5, 26, 14, 59, 0, 0, time.UTC),
	}
	xenialPgpdump := pgpdump
	xenialPgpdump.Release, xenialPgpdump.State, xenialPgpdump.FixedVersion = "ubuntu:16.04", strata.Unfixed, ""
	xenialPgpdump.Ranges = []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}

	tests := []struct {
		file string
		want []strata.Vulnerability
		// fields checked for other records, by key
		states     map[string]strata.State
		fixed      map[string]string
		severities map[string]string
	}{
		{file: "CVE-2016-4021", want: []strata.Vulnerability{pgpdump, xenialPgpdump}},
		{file: "CVE-2019-1547", states: map[string]strata.State{
			"ubuntu:18.04|openssl1.0": strata.UnderInvestigation, "ubuntu:16.04|openssl": strata.Unfixed,
			"ubuntu:14.04|edk2": strata.WontFix, "ubuntu:19.04|openssl": strata.WontFix,
		}},
		{file: "CVE-2009-0195",
			fixed:      map[string]string{"ubuntu:9.04|koffice": "1:1.6.3-7ubuntu6.1", "ubuntu:9.04|xpdf": "3.02-1.4ubuntu2.9.04.1"},
			severities: map[string]string{"ubuntu:9.04|koffice": "low", "ubuntu:9.04|xpdf": "medium"}},
		{file: "CVE-2007-0255", severities: map[string]string{"ubuntu:16.04|xine-ui": ""}},
		{file: "CVE-2016-10255", fixed: map[string]string{"ubuntu:18.10|elfutils": "0.168-0.2"}},
		{file: "CVE-2019-13722", fixed: map[string]string{"ubuntu:18.04|thunderbird": "1:68.4.1+build1-0ubuntu0.18.04.1"}},
		{file: "CVE-2009-0799", fixed: map[string]string{"ubuntu:9.04|xpdf": "3.02-1.4ubuntu2.9.04.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := map[string]strata.Vulnerability{}
			for _, v := range updatetest.ParseFile(t, Updater{}, filepath.Join("testdata/active", tt.file)) {
				got[v.Release+"|"+v.Package] = v
			}
			for _, w := range tt.want {
				if diff := cmp.Diff(w, got[w.Release+"|"+w.Package]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", w.Key(), diff)
				}
			}
			for k, want := range tt.states {
				if got[k].State != want {
					t.Errorf("%s: state %q, want %q", k, got[k].State, want)
				}
			}
			for k, want := range tt.fixed {
				if got[k].FixedVersion != want || got[k].State != strata.Fixed {
					t.Errorf("%s: %s in %q, want fixed in %q", k, got[k].State, got[k].FixedVersion, want)
				}
			}
			for k, want := range tt.severities {
				if got[k].VendorSeverity != want || got[k].Severity != priorities[want] {
					t.Errorf("%s: priority %q (%v), want %q", k, got[k].VendorSeverity, got[k].Severity, want)
				}
			}
		})
	}
}

func TestParseNames(t *testing.T) {
	doc := "Candidate: CVE-2020-1234\nxenial_foo: needed\n"
	tests := map[string]int{
		"CVE-2020-1234": 1,
		"uct.tar.gz:ubuntu-cve-tracker-master/active/CVE-2020-1234":  1,
		"/srv/uct/active/CVE-2020-1234":                              1,
		"active/00boilerplate":                                       0,
		"active/00boilerplate.openssl":                               0,
		"uct.tar.gz:ubuntu-cve-tracker-master/active/Makefile":       0,
		"uct.tar.gz:ubuntu-cve-tracker-master/retired/CVE-2020-1234": 0,
		"uct.tar.gz:ubuntu-cve-tracker-master/ignored/CVE-2020-1234": 0,
		"active/CVE-2020-1234.orig":                                  0,
	}
	for name, want := range tests {
		vs, err := Updater{}.Parse(context.Background(), name, strings.NewReader(doc))
		if err != nil || len(vs) != want {
			t.Errorf("Parse(%q) = %d records, %v; want %d", name, len(vs), err, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"no candidate", "PublicDate: 2020-01-01\nxenial_foo: needed\n", "ubuntu: parse CVE-2020-1: no Candidate field"},
		{"unknown status", "Candidate: CVE-2020-1\n\nxenial_foo: needed\nbionic_foo: fixed (1.0)\n",
			`ubuntu: parse CVE-2020-1: line 4: bionic_foo: unknown status "fixed"`},
		{"empty status", "Candidate: CVE-2020-1\nbionic_foo:\n", `ubuntu: parse CVE-2020-1: line 2: bionic_foo: unknown status ""`},
		{"not a field", "Candidate: CVE-2020-1\nsome text\n", `ubuntu: parse CVE-2020-1: line 2: want "Field: value", have "some text"`},
		{"no field name", "Candidate: CVE-2020-1\n: needed\n", `ubuntu: parse CVE-2020-1: line 2: want "Field: value", have ": needed"`},
		{"no package", "Candidate: CVE-2020-1\nbionic: needed\n", `ubuntu: parse CVE-2020-1: line 2: status line "bionic: needed" names no package`},
		{"continuation first", " text\nCandidate: CVE-2020-1\n", "ubuntu: parse CVE-2020-1: line 1: continuation line before any field"},
		{"bad date", "Candidate: CVE-2020-1\nPublicDate: yesterday\n", `ubuntu: parse CVE-2020-1: line 2: bad PublicDate "yesterday"`},
		{"bad priority", "Candidate: CVE-2020-1\nPriority: urgent\n", `ubuntu: parse CVE-2020-1: line 2: unknown priority "urgent"`},
		{"bad package priority", "Candidate: CVE-2020-1\nPriority_foo: severe\n", `ubuntu: parse CVE-2020-1: line 2: unknown priority "severe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Updater{}.Parse(context.Background(), "CVE-2020-1", strings.NewReader(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse = %d records, %v\nwant error %s", len(vs), err, tt.want)
			}
		})
	}
}

func TestStatusNotes(t *testing.T) {
	tests := []struct{ value, status, note, fixed string }{
		{"released (1.2-3)", "released", "1.2-3", "1.2-3"},
		{"released (0.168-0.2))", "released", "0.168-0.2", "0.168-0.2"},
		{"released (1:68.4.1+build1-0ubuntu0.18.04.1", "released", "1:68.4.1+build1-0ubuntu0.18.04.1", "1:68.4.1+build1-0ubuntu0.18.04.1"},
		{"released (0.27-1+deb7u1build0.12.04.1, 0.28-1+deb8u1)", "released", "0.27-1+deb7u1build0.12.04.1, 0.28-1+deb8u1", "0.27-1+deb7u1build0.12.04.1"},
		{"released [1.16.33-3.1ubuntu6]", "released", "1.16.33-3.1ubuntu6", "1.16.33-3.1ubuntu6"},
		{"released", "released", "", ""},
		{"released (0)", "released", "0", ""},
		{"released (code removed)", "released", "code removed", ""},
		{"deferred [2019-04-10]", "deferred", "2019-04-10", "2019-04-10"},
		{"not-affected 3.5.18-1ubuntu1.3)", "not-affected", "3.5.18-1ubuntu1.3)", "3.5.18-1ubuntu1.3)"},
	}
	for _, tt := range tests {
		status, note := splitStatus(tt.value)
		if status != tt.status || note != tt.note || fixedVersion(note) != tt.fixed {
			t.Errorf("%q: %q, %q, fixed %q; want %q, %q, fixed %q", tt.value, status, note, fixedVersion(note), tt.status, tt.note, tt.fixed)
		}
	}
}

func TestReleasedWithoutVersion(t *testing.T) {
	doc := "Candidate: CVE-2020-1\nbionic_foo: released\nfocal_foo: released (0)\njammy_foo: released (1.0-1)\n"
	vs, err := Updater{}.Parse(context.Background(), "CVE-2020-1", strings.NewReader(doc))
	if err != nil || len(vs) != 1 || vs[0].Release != "ubuntu:22.04" {
		t.Errorf("Parse = %+v, %v; want only the jammy record", vs, err)
	}
}

// TestRealTarball parses every file of the real tree.
func TestRealTarball(t *testing.T) {
	f, err := os.Open(realTarball)
	if err != nil {
		t.Skipf("tarball not present: %s (shared data absent)", realTarball)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var files, documents, records int
	states := map[strata.State]int{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		files++
		vs, err := Updater{}.Parse(context.Background(), "uct.tar.gz:"+h.Name, tr)
		if err != nil {
			t.Error(err)
		}
		if isDocument(h.Name) {
			documents++
		}
		records += len(vs)
		for _, v := range vs {
			states[v.State]++
		}
	}
	if files != 6593 || documents != 6509 || records != 65484 {
		t.Errorf("%d files, %d CVE documents, %d records; want 6593, 6509, 65484", files, documents, records)
	}
	// Counted with grep over the named releases' status lines; the 760
	// "ignored (code-not-compiled)"-style lines make no record.
	want := map[strata.State]int{strata.Fixed: 12714, strata.Unfixed: 8474, strata.UnderInvestigation: 9887, strata.WontFix: 34409}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("records by state (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	if testutil.AddTestdata(f, "active/CVE-*") == 0 {
		f.Fatal("no seeds")
	}
	f.Add([]byte("Candidate: CVE-2020-1\nPriority_foo: low\nbionic_foo: released (1.0\n focal_foo: needed\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := Updater{}.Parse(context.Background(), "CVE-2020-1", strings.NewReader(string(b)))
		if err != nil {
			return
		}
		for _, v := range vs {
			checkRecord(t, v)
		}
	})
}

// checkRecord asserts what holds for every record, whatever the input.
func checkRecord(t *testing.T, v strata.Vulnerability) {
	if v.ID == "" || v.Package == "" || v.Updater != "ubuntu" || v.Eco != strata.Deb || !v.SourcePackage {
		t.Fatalf("incomplete record %+v", v)
	}
	known := false
	for _, k := range releases {
		known = known || k == v.Release
	}
	if !known {
		t.Fatalf("unknown release %q", v.Release)
	}
	events := v.Ranges[0].Events
	if (v.State == strata.Fixed) != (v.FixedVersion != "") ||
		v.FixedVersion != "" && (len(events) != 2 || events[1].Fixed != v.FixedVersion) {
		t.Fatalf("state %s, fixed version %q and events %+v disagree", v.State, v.FixedVersion, events)
	}
}
