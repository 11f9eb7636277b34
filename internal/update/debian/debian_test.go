package debian

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil/golden"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// trackerDir holds the whole real advisory lists.
const trackerDir = "../../../../shared/data/feeds/debian/security-tracker"

func TestGolden(t *testing.T) {
	for _, in := range []string{"tracker.excerpt.json", "DSA.excerpt.list", "DLA.excerpt.list", "DTSA.excerpt.list"} {
		t.Run(in, func(t *testing.T) {
			vs := updatetest.ParseFile(t, Updater{}, filepath.Join("testdata", in))
			b, err := json.MarshalIndent(vs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(in, filepath.Ext(in))
			golden.Check(t, filepath.Join("testdata", base+".golden.json"), append(b, '\n'))
		})
	}
}

func TestParseJSON(t *testing.T) {
	vs := updatetest.ParseFile(t, Updater{}, "testdata/tracker.excerpt.json")
	got := map[string]strata.Vulnerability{}
	for _, v := range vs {
		got[v.Key()] = v
	}
	if len(vs) != 21 || len(got) != 21 {
		t.Errorf("%d records, %d distinct; want 21 (CVE-2007-2383 is fixed in \"0\" everywhere: none)", len(vs), len(got))
	}
	link := []string{"https://security-tracker.debian.org/tracker/CVE-2022-0456"}
	want := []strata.Vulnerability{{
		ID: "CVE-2022-0456", Updater: "debian", Eco: strata.Deb, Release: "debian:11",
		Package: "chromium", SourcePackage: true,
		Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "98.0.4758.80-1~deb11u1"}}}},
		FixedVersion: "98.0.4758.80-1~deb11u1", State: strata.Fixed,
		VendorSeverity: "not yet assigned", Severity: strata.Unknown, Links: link,
	}, {
		ID: "CVE-2022-0456", Updater: "debian", Eco: strata.Deb, Release: "debian:10",
		Package: "chromium", SourcePackage: true,
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}},
		State:  strata.WontFix, VendorSeverity: "end-of-life", Severity: strata.Unknown, Links: link,
	}, {
		ID: "CVE-2008-7220", Updater: "debian", Eco: strata.Deb, Release: "debian:sid",
		Package: "prototypejs", SourcePackage: true,
		Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.6.0.2-1"}}}},
		FixedVersion: "1.6.0.2-1", State: strata.Fixed, VendorSeverity: "high**", Severity: strata.High,
		Description: `Unspecified vulnerability in Prototype JavaScript framework (prototypejs) before 1.6.0.2 allows attackers to make "cross-site ajax requests" via unknown vectors.`,
		Links:       []string{"https://security-tracker.debian.org/tracker/CVE-2008-7220"},
	}}
	for _, w := range want {
		if diff := cmp.Diff(w, got[w.Key()]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", w.Key(), diff)
		}
	}
}

func TestJSONStates(t *testing.T) {
	tests := []struct {
		release  string
		want     strata.State
		wantNone bool
	}{
		{`{"status": "resolved", "fixed_version": "1.2-1", "urgency": "low"}`, strata.Fixed, false},
		{`{"status": "resolved", "fixed_version": "0", "urgency": "low"}`, "", true},
		{`{"status": "resolved"}`, "", true},
		{`{"status": "open", "urgency": "medium"}`, strata.Unfixed, false},
		{`{"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"}`, strata.Unfixed, false},
		{`{"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "ignored"}`, strata.WontFix, false},
		{`{"status": "open", "urgency": "end-of-life"}`, strata.WontFix, false},
		{`{"status": "undetermined", "urgency": "not yet assigned"}`, strata.UnderInvestigation, false},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			doc := `{"pkg": {"CVE-2024-1": {"releases": {"bookworm": ` + tt.release + `}}}}`
			vs, err := Updater{}.Parse(context.Background(), "t.json", strings.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNone {
				if len(vs) != 0 {
					t.Errorf("got %+v, want no record", vs)
				}
				return
			}
			if len(vs) != 1 || vs[0].State != tt.want {
				t.Errorf("got %+v, want one record in state %s", vs, tt.want)
			}
		})
	}
}

func TestSeverity(t *testing.T) {
	tests := map[string]strata.Severity{
		"unimportant": strata.Negligible, "low": strata.Low, "low**": strata.Low,
		"medium*": strata.Medium, "high": strata.High, "high**": strata.High,
		"not yet assigned": strata.Unknown, "end-of-life": strata.Unknown, "": strata.Unknown,
	}
	for in, want := range tests {
		if got := severity(in); got != want {
			t.Errorf("severity(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"text", "Candidate: CVE-1\n", `debian: parse bad: starts with 'C': want the tracker JSON or a DSA/DLA/DTSA list`},
		{"json truncated", `{"pkg": {"CVE-1": {`, `debian: parse bad: offset 7: package "pkg": unexpected EOF`},
		{"json unclosed", `{"pkg": {}`, `debian: parse bad: offset 10: unexpected EOF`},
		{"json trailing", `{} {}`, `debian: parse bad: offset 4: data after the top-level value`},
		{"json wrong type", `{"pkg": {"CVE-1": {"releases": {"sid": {"status": 1}}}}}`,
			`debian: parse bad: offset 55: package "pkg": releases.status: number, want string`},
		{"json not an object", `{"pkg": 1}`, `debian: parse bad: offset 9: package "pkg": number, want object`},
		{"json unknown status", `{"pkg": {"CVE-1": {"releases": {"sid": {"status": "fixed"}}}}}`,
			`debian: parse bad: offset 61: pkg CVE-1 sid: unknown status "fixed"`},
		{"json empty package", `{"": {}}`, `debian: parse bad: offset 7: empty package name`},
		{"json empty id", `{"p": {"": {}}}`, `debian: parse bad: offset 14: package "p": empty id`},
		{"list bad date", "[32 Foo 2023] DSA-1-1 pkg - x\n", `debian: parse bad: line 1: bad date "32 Foo 2023"`},
		{"list no id", "[01 Apr 2023] pkg - x\n", `debian: parse bad: line 1: unrecognised line "[01 Apr 2023] pkg - x"`},
		{"list body first", "[01 Apr 2023] DSA-1-1 a - x\n\tfoo bar\n", `debian: parse bad: line 2: unrecognised line "foo bar"`},
		{"list unterminated ids", "[01 Apr 2023] DSA-1-1 a - x\n\t{CVE-2023-1\n", `debian: parse bad: line 2: unterminated id list "{CVE-2023-1"`},
		{"list unknown tag", "[01 Apr 2023] DSA-1-1 a - x\n\t[sid] - a <removed>\n", `debian: parse bad: line 2: unknown tag in "[sid] - a <removed>"`},
		{"list no version", "[01 Apr 2023] DSA-1-1 a - x\n\t[sid] - a\n", `debian: parse bad: line 2: no version in "[sid] - a"`},
		{"list trailing text", "[01 Apr 2023] DSA-1-1 a - x\n\t[sid] - a 1.0 b 2.0\n",
			`debian: parse bad: line 2: unexpected text "b 2.0" after the version in "[sid] - a 1.0 b 2.0"`},
		{"list unknown note", "[01 Apr 2023] DSA-1-1 a - x\n\t[sid] - a 1.0 (critical)\n",
			`debian: parse bad: line 2: unknown note "critical" in "[sid] - a 1.0 (critical)"`},
		{"list fix line form", "[01 Apr 2023] DSA-1-1 a - x\n\t[sid] a 1.0\n", `debian: parse bad: line 2: unrecognised line "[sid] a 1.0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Updater{}.Parse(context.Background(), "bad", strings.NewReader(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse = %d records, %v\nwant error %s", len(vs), err, tt.want)
			}
		})
	}
	t.Run("list indented first", func(t *testing.T) {
		// Format detection needs the "[", so the list parser is called directly.
		_, err := parseList(context.Background(), "bad", strings.NewReader("\t[sid] - a 1.0\n"))
		want := `debian: parse bad: line 1: indented line before the first advisory: "\t[sid] - a 1.0"`
		if err == nil || err.Error() != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
}

func TestParseEmpty(t *testing.T) {
	for _, doc := range []string{"", " \n\t", "\ufeff"} {
		vs, err := Updater{}.Parse(context.Background(), "empty", strings.NewReader(doc))
		if err != nil || len(vs) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want nothing", doc, vs, err)
		}
	}
}

func TestUnknownRelease(t *testing.T) {
	doc := `{"pkg": {"CVE-1": {"releases": {"duke": {"status": "open"}, "sid": {"status": "open"}}}}}`
	vs, err := Updater{}.Parse(context.Background(), "t.json", strings.NewReader(doc))
	if err != nil || len(vs) != 1 || vs[0].Release != "debian:sid" {
		t.Errorf("Parse = %+v, %v; want only the sid record", vs, err)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
