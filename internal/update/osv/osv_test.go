package osv_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// summary is what a user checks of a record; Versions is only counted.
type summary struct {
	Key            string
	Aliases        []string
	Ranges         []strata.Range
	Versions       int
	FixedVersion   string
	State          strata.State
	Severity       strata.Severity
	VendorSeverity string
	CVSS           []strata.CVSS
	Published      string
	Links          int
}

func summarise(vs []strata.Vulnerability) []summary {
	var out []summary
	for _, v := range vs {
		out = append(out, summary{Key: v.Key(), Aliases: v.Aliases, Ranges: v.Ranges, Versions: len(v.Versions),
			FixedVersion: v.FixedVersion, State: v.State, Severity: v.Severity, VendorSeverity: v.VendorSeverity,
			CVSS: v.CVSS, Published: v.Published.Format(time.RFC3339), Links: len(v.Links)})
	}
	return out
}

func events(pairs ...string) strata.Range {
	var r strata.Range
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i] == "introduced" {
			r.Events = append(r.Events, strata.Event{Introduced: pairs[i+1]})
		} else {
			r.Events = append(r.Events, strata.Event{Fixed: pairs[i+1]})
		}
	}
	return r
}

func TestParse(t *testing.T) {
	zero := time.Time{}.Format(time.RFC3339)
	tests := []struct {
		file string
		want []summary
	}{
		{"GO-2023-1571.json", []summary{
			{Key: "GO-2023-1571|golang||stdlib", Aliases: []string{"CVE-2022-41723", "GHSA-vvpx-j8f3-3w6h"},
				Ranges:       []strata.Range{events("introduced", "0", "fixed", "1.19.6", "introduced", "1.20.0-0", "fixed", "1.20.1")},
				FixedVersion: "1.19.6", State: strata.Fixed, Published: zero, Links: 4},
			{Key: "GO-2023-1571|golang||golang.org/x/net", Aliases: []string{"CVE-2022-41723", "GHSA-vvpx-j8f3-3w6h"},
				Ranges:       []strata.Range{events("introduced", "0", "fixed", "0.7.0")},
				FixedVersion: "0.7.0", State: strata.Fixed, Published: zero, Links: 4},
		}},
		// The GIT range is left out; the 66 listed versions are kept.
		{"PYSEC-2023-74.yaml", []summary{
			{Key: "PYSEC-2023-74|pypi||requests", Aliases: []string{"CVE-2023-32681", "GHSA-j8r2-6x86-q33q"},
				Ranges: []strata.Range{events("introduced", "2.3.0", "fixed", "2.31.0")}, Versions: 66,
				FixedVersion: "2.31.0", State: strata.Fixed, Published: "2023-05-26T18:15:00Z", Links: 5},
		}},
		// Critical from the CVSS v3.1 vector (9.1), GitHub saying CRITICAL too.
		{"GHSA-838r-hvwh-24h8.json", []summary{
			{Key: "GHSA-838r-hvwh-24h8|maven||org.apache.any23:apache-any23", Aliases: []string{"CVE-2021-38555"},
				Ranges:       []strata.Range{events("introduced", "0", "fixed", "2.5")},
				FixedVersion: "2.5", State: strata.Fixed, Severity: strata.Critical, VendorSeverity: "CRITICAL",
				CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", Score: 9.1}},
				Published: "2021-09-13T20:06:31Z", Links: 3},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := summarise(updatetest.ParseFile(t, osv.Updater{}, "testdata/"+tt.file))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%s) (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	vs := updatetest.ParseFile(t, osv.Updater{}, "testdata/GO-2023-1571.json")
	v := vs[1]
	if v.Updater != "osv" || v.Release != "" || !strings.HasPrefix(v.Description, "Denial of service via crafted HTTP/2 stream") ||
		v.Links[0] != "https://go.dev/issue/57855" {
		t.Errorf("Parse(GO-2023-1571)[1] = updater %q, release %q, description %q, links %q", v.Updater, v.Release, v.Description, v.Links)
	}
}

func TestParseOther(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []summary
		wantErr   string
	}{
		{"LICENSE", "not a record", nil, ""},
		{"empty.json", "", nil, ""},
		{"a.json", `{"id":"X-1","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"GIT","events":[{"introduced":"0"}]}]}]}`, nil, ""},
		{"a.json.gz", `{"id":"X-1","database_specific":{"severity":"MODERATE"},"affected":[{"package":{"ecosystem":"PyPI","name":"Charset_Normalizer"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`,
			[]summary{{Key: "X-1|pypi||charset-normalizer", Ranges: []strata.Range{events("introduced", "0")}, State: strata.Unfixed,
				Severity: strata.Medium, VendorSeverity: "MODERATE", Published: time.Time{}.Format(time.RFC3339)}}, ""},
		// Of the related ids, only Ubuntu's notices are aliases.
		{"related.json", `{"id":"X-1","upstream":["CVE-1"],"related":["CVE-2","USN-1-1","LSN-0001-1"],"affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
			[]summary{{Key: "X-1|npm||a", Aliases: []string{"CVE-1", "USN-1-1", "LSN-0001-1"}, Ranges: []strata.Range{events("introduced", "0")}, State: strata.Unfixed,
				Published: time.Time{}.Format(time.RFC3339)}}, ""},
		{"a.json", `{"vulns":[{"id":""}]}`, nil, "parse a.json: record 1: no id"},
		{"a.json", `{"id":"X-1","published":"yesterday"}`, nil, `parse a.json: record X-1: published: bad time "yesterday": want RFC 3339`},
		{"a.yaml", "id: [", nil, "parse a.yaml: yaml:"},
		{"a.json", "[1,2,3]", nil, `parse a.json: want an OSV record (a JSON object with an id) or an OSV.dev answer ({"vulns": [...]}), have a JSON array`},
		{"a.json", `{"id":"X-1","affected":[{"package":{"ecosystem":"Debian:12","name":"curl"},"versions":["1"]}]}`, nil, "skipped 1 records of unsupported ecosystems: Debian:12"},
		{"a.json", `{"vulns":[{"id":"X-1","affected":[{"package":{"ecosystem":"Debian:12","name":"curl"}}]},{"id":"X-2","affected":[{"package":{"ecosystem":"Alpine:v3.18","name":"curl"}},{"package":{"ecosystem":"Debian:11","name":"curl"}}]},{"id":"X-3","withdrawn":"2024-01-01T00:00:00Z"}]}`,
			nil, "skipped 2 records of unsupported ecosystems: Alpine:v3.18, Debian:11, Debian:12; 1 document that holds no record: a.json (X-3 withdrawn)"},
		// Withdrawn records are valid ones that hold no vulnerability.
		{"a.json", `{"vulns":[{"id":"X-2","withdrawn":"2024-01-01T00:00:00Z"},{"id":"X-1","withdrawn":"2024-01-01T00:00:00Z"}]}`, nil,
			"skipped 1 document that holds no record: a.json (X-2, X-1 withdrawn)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := osv.Updater{}.Parse(context.Background(), tt.name, strings.NewReader(tt.doc))
			if (err != nil || tt.wantErr != "") && (err == nil || tt.wantErr == "" || !strings.HasPrefix(err.Error(), tt.wantErr)) {
				t.Fatalf("Parse(%s) error = %v, want prefix %q", tt.name, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, summarise(vs)); diff != "" {
				t.Errorf("Parse(%s) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// A withdrawn record (the Go vulnerability database's GO-2022-0617) is a
// valid document that holds no record: an update.EmptyDocument.
func TestParseWithdrawn(t *testing.T) {
	f, err := os.Open("testdata/GO-2022-0617.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vs, err := osv.Updater{}.Parse(context.Background(), "GO-2022-0617.json", f)
	want := update.EmptyDocument("GO-2022-0617.json", "GO-2022-0617 withdrawn")
	if sk := (*update.Skipped)(nil); len(vs) != 0 || !errors.As(err, &sk) || !cmp.Equal(want, sk) {
		t.Errorf("Parse = %d records, %v; want none, %v", len(vs), err, want)
	}
}

// Unquoted YAML versions that look like numbers keep their spelling.
func TestParseYAMLVersions(t *testing.T) {
	doc := "id: PYSEC-0\naffected:\n- package: {ecosystem: PyPI, name: x}\n  versions: [1.10, 2.0, 3]\n"
	vs, err := osv.Updater{}.Parse(context.Background(), "x.yaml", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 {
		t.Fatalf("%d records, want 1", len(vs))
	}
	if diff := cmp.Diff([]string{"1.10", "2.0", "3"}, vs[0].Versions); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
}

// YAML records' last_affected and limit events are read (PYSEC-2022-42969,
// py: "introduced 0, last_affected 1.11.0").
func TestParseYAMLEvents(t *testing.T) {
	doc := "id: PYSEC-0\naffected:\n- package: {ecosystem: PyPI, name: py}\n  ranges:\n  - type: ECOSYSTEM\n" +
		"    events:\n    - introduced: '0'\n    - last_affected: '1.11.0'\n    - limit: '2.0'\n"
	vs, err := osv.Updater{}.Parse(context.Background(), "x.yaml", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 {
		t.Fatalf("%d records, want 1", len(vs))
	}
	want := []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {LastAffected: "1.11.0"}, {Limit: "2.0"}}}}
	if diff := cmp.Diff(want, vs[0].Ranges); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
}
