package nvd_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil/golden"
	"github.com/strata-scan/strata/internal/update/nvd"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// feeds holds the NVD excerpts shipped with the repository (see
// ../../../testdata/PROVENANCE.md); shared holds the whole files.
const (
	feeds  = "../../../testdata/feeds/nvd"
	shared = "../../../../shared/data/feeds/nvd"
)

func nvdScore(version, vector string, score float64, source, typ string) strata.CVSS {
	return strata.CVSS{Version: version, Vector: vector, Score: score, Source: source, Type: typ}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Records checked by hand against the JSON of the files.
func TestParseHandPicked(t *testing.T) {
	const cisa = "134c704f-9b21-4f2e-91b3-4a467353bcc0" // CISA's ADP
	tests := []struct {
		file string
		want strata.Vulnerability
	}{{
		// Two v3.1 scores of 10.0 (Red Hat's, NIST's) and an SSVC
		// metric, which is no CVSS.
		"api-2.0/CVE-2024-3094.json",
		strata.Vulnerability{
			ID: "CVE-2024-3094", Updater: "nvd", VendorSeverity: "CRITICAL", Severity: strata.Critical,
			CVSS: []strata.CVSS{
				nvdScore("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10, "secalert@redhat.com", "Secondary"),
				nvdScore("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10, "nvd@nist.gov", "Primary"),
			},
			CWEs:        []string{"CWE-506"},
			Description: "Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0. Through a series of complex obfuscations, the liblzma build process extracts a prebuilt object file from a…",
			Links:       []string{"https://nvd.nist.gov/vuln/detail/CVE-2024-3094"},
			Published:   at("2024-03-29T17:15:21.150Z"), Modified: at("2026-06-17T07:43:17.830Z"),
		},
	}, {
		// CVSS v3.0 and v2 only: NIST's 9.8 is preferred to Red Hat's
		// 7.5; three CWEs.
		"api-2.0/conversion-test.excerpt.osvdev.json",
		strata.Vulnerability{
			ID: "CVE-2018-14618", Updater: "nvd", VendorSeverity: "CRITICAL", Severity: strata.Critical,
			CVSS: []strata.CVSS{
				nvdScore("3.0", "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.5, "secalert@redhat.com", "Secondary"),
				nvdScore("3.0", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd@nist.gov", "Primary"),
				nvdScore("2.0", "AV:N/AC:L/Au:N/C:C/I:C/A:C", 10, "nvd@nist.gov", "Primary"),
			},
			CWEs:        []string{"CWE-122", "CWE-131", "CWE-190"},
			Description: "curl before version 7.61.1 is vulnerable to a buffer overrun in the NTLM authentication code. The internal function Curl_ntlm_core_mk_nt_hash multiplies the length of the password by two (SUM) to…",
			Links:       []string{"https://nvd.nist.gov/vuln/detail/CVE-2018-14618"},
			Published:   at("2018-09-05T19:29:00.420Z"), Modified: at("2024-11-21T03:49:26.003Z"),
		},
	}, {
		// A CVSS v4.0 score (Google's, secondary) beside NIST's v3.1: the
		// newer version rates it.
		"api-2.0/conversion-test.excerpt.osvdev.json",
		strata.Vulnerability{
			ID: "CVE-2025-4565", Updater: "nvd", VendorSeverity: "HIGH", Severity: strata.High,
			CVSS: []strata.CVSS{
				nvdScore("4.0", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X", 8.2, "cve-coordination@google.com", "Secondary"),
				nvdScore("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3, "nvd@nist.gov", "Primary"),
			},
			CWEs:        []string{"CWE-674"},
			Description: "Any project that uses Protobuf Pure-Python backend to parse untrusted Protocol Buffers data containing an arbitrary number of recursive groups, recursive messages or a series of SGROUP tags can be…",
			Links:       []string{"https://nvd.nist.gov/vuln/detail/CVE-2025-4565"},
			Published:   at("2025-06-16T15:15:24.990Z"), Modified: at("2025-08-14T17:05:37.770Z"),
		},
	}, {
		// CISA's v3.1 (secondary) before NIST's v3.0; CWE-20 listed twice.
		"api-2.0/cvss-feed.claircore.json",
		strata.Vulnerability{
			ID: "CVE-2016-2781", Updater: "nvd", VendorSeverity: "MEDIUM", Severity: strata.Medium,
			CVSS: []strata.CVSS{
				nvdScore("3.1", "CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 4.6, cisa, "Secondary"),
				nvdScore("3.0", "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N", 6.5, "nvd@nist.gov", "Primary"),
				nvdScore("2.0", "AV:L/AC:L/Au:N/C:N/I:P/A:N", 2.1, "nvd@nist.gov", "Primary"),
			},
			CWEs:        []string{"CWE-20"},
			Description: "chroot in GNU coreutils, when used with --userspec, allows local users to escape to the parent session via a crafted TIOCSTI ioctl call, which pushes characters to the terminal's input buffer.",
			Links:       []string{"https://nvd.nist.gov/vuln/detail/CVE-2016-2781"},
			Published:   at("2017-02-07T15:59:00.333Z"), Modified: at("2025-06-09T16:15:25.013Z"),
		},
	}, {
		// The legacy JSON 1.1 feed: NIST's scores only, times in minutes.
		"legacy-1.1/nvdcve-1.1-test-data.excerpt.json",
		strata.Vulnerability{
			ID: "CVE-2021-3800", Updater: "nvd", VendorSeverity: "HIGH", Severity: strata.High,
			CVSS:        []strata.CVSS{nvdScore("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "nvd@nist.gov", "Primary")},
			CWEs:        []string{"CWE-552"},
			Description: "A flaw was found in glib before version 2.63.6. Due to random charset alias, pkexec can leak content from files owned by privileged users to unprivileged ones under the right condition.",
			Links:       []string{"https://nvd.nist.gov/vuln/detail/CVE-2021-3800"},
			Published:   at("2022-08-23T16:15:00Z"), Modified: at("2022-08-30T15:39:00Z"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.want.ID, func(t *testing.T) {
			vs := updatetest.ParseFile(t, nvd.Updater{}, filepath.Join(feeds, tt.file))
			for _, v := range vs {
				if v.ID == tt.want.ID {
					if diff := cmp.Diff(tt.want, v); diff != "" {
						t.Errorf("(-want +got):\n%s", diff)
					}
					return
				}
			}
			t.Errorf("%s not parsed from %s", tt.want.ID, tt.file)
		})
	}
}

// The whole excerpts, as golden files; rejected CVEs are left out.
func TestParseExcerpts(t *testing.T) {
	tests := []struct {
		file     string
		records  int
		rejected string
	}{
		{"api-2.0/CVE-2024-3094.json", 1, ""},
		{"api-2.0/conversion-test.excerpt.osvdev.json", 3, ""},
		{"api-2.0/cvss-feed.claircore.json", 2, "CVE-2016-3197"},
		{"api-2.0/single-entry.vunnel.json", 1, ""},
		{"legacy-1.1/nvdcve-1.1-test-data.excerpt.json", 12, "CVE-2022-3063"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			vs := updatetest.ParseFile(t, nvd.Updater{}, filepath.Join(feeds, tt.file))
			if len(vs) != tt.records {
				t.Errorf("%d records, want %d", len(vs), tt.records)
			}
			for _, v := range vs {
				if v.ID == tt.rejected {
					t.Errorf("rejected %s parsed", v.ID)
				}
			}
			b, err := json.MarshalIndent(vs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(filepath.Base(tt.file), ".json") + ".golden.json"
			golden.Check(t, filepath.Join("testdata", name), append(b, '\n'))
		})
	}
}

// Every page of the shared data parses, rejected CVEs left out.
func TestParseSharedPages(t *testing.T) {
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("%s not present (shared data absent)", shared)
	}
	pages, err := filepath.Glob(filepath.Join(shared, "api-2.0", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	single, err := filepath.Glob(filepath.Join(shared, "api-2.0", "cve", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"conversion-test.osvdev.json": 13,
		"cvss-feed.claircore.json":    2, // of 3: CVE-2016-3197 is Rejected
		"full-page.vunnel.json":       38,
		"single-entry.vunnel.json":    1,
	}
	if len(pages) != len(want) || len(single) != 23 {
		t.Fatalf("%d pages and %d single CVEs; want the 4 and 23 of PROVENANCE.md", len(pages), len(single))
	}
	for _, p := range pages {
		if vs := updatetest.ParseFile(t, nvd.Updater{}, p); len(vs) != want[filepath.Base(p)] {
			t.Errorf("%s: %d records, want %d", p, len(vs), want[filepath.Base(p)])
		}
	}
	for _, p := range single {
		if vs := updatetest.ParseFile(t, nvd.Updater{}, p); len(vs) != 1 || vs[0].ID+".json" != filepath.Base(p) {
			t.Errorf("%s: %d records (first %v), want its CVE", p, len(vs), vs)
		}
	}
}

// The legacy JSON 1.1 feed (gzip-compressed): 669 CVEs, of which 29
// rejected.
func TestParseSharedLegacyFeed(t *testing.T) {
	p := filepath.Join(shared, "legacy-1.1", "nvdcve-1.1-test-data.json.gz")
	f, err := os.Open(p)
	if err != nil {
		t.Skipf("%s not present (shared data absent)", p)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := nvd.Updater{}.Parse(context.Background(), p, zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 640 {
		t.Errorf("%d records, want 640 (669 less 29 rejected)", len(vs))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"page.json", `{"vulnerabilities": [{"cve": {"id": "GHSA-1234-5678-9abc"}}]}`,
			`nvd: parse page.json: vulnerabilities: [0]: CVE id "GHSA-1234-5678-9abc": want CVE-YYYY-NNNN`},
		{"page.json", `{"vulnerabilities": [{"cve": {"id": "CVE-2024-3094", "published": "yesterday"}}]}`,
			`nvd: parse page.json: vulnerabilities: [0]: CVE-2024-3094: published: bad time "yesterday"`},
		{"page.json", `{"vulnerabilities": [{"cve": {"id": "CVE-2024-3094"}}, {"cve": {"id": 7}}]}`,
			`nvd: parse page.json: vulnerabilities: [1]: json: cannot unmarshal number into Go struct field apiCVE.cve.id of type string`},
		{"feed.json", `{"CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-1"}}}]}`,
			`nvd: parse feed.json: CVE_Items: [0]: CVE id "CVE-1": want CVE-YYYY-NNNN`},
		{"page.json", `{"format": "NVD_CVE", "vulnerabilities": [`,
			`nvd: parse page.json: vulnerabilities: unexpected EOF`},
		{"page.json", `{"vulnerabilities": {}}`,
			`nvd: parse page.json: vulnerabilities: want an array, have an object`},
		{"page.json", `{"vulnerabilities": []} {}`,
			`nvd: parse page.json: data after the top-level value`},
		{"other.json", `{"vulns": []}`,
			`nvd: parse other.json: no "vulnerabilities" (CVE API 2.0), "cve" or "CVE_Items" (JSON 1.1 feed): not an NVD document`},
		{"list.json.gz", `["CVE-2024-3094"]`,
			`nvd: parse list.json.gz: starts with '[': want a JSON object (a CVE API 2.0 response)`},
	}
	for _, tt := range tests {
		_, err := nvd.Updater{}.Parse(context.Background(), tt.name, strings.NewReader(tt.doc))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%s, %.40q):\n got %v\nwant %s", tt.name, tt.doc, err, tt.want)
		}
	}
}

// Documents that are not part of the feed are skipped without error.
func TestParseSkips(t *testing.T) {
	for _, tt := range []struct{ name, doc string }{
		{"README", "NVD pages mirrored nightly.\n"},
		{"empty.json", "  \n"},
		{"no-results.json", `{"totalResults": 0, "vulnerabilities": null}`},
	} {
		vs, err := nvd.Updater{}.Parse(context.Background(), tt.name, bytes.NewReader([]byte(tt.doc)))
		if err != nil || vs != nil {
			t.Errorf("Parse(%s) = %v, %v; want nothing", tt.name, vs, err)
		}
	}
}

// BenchmarkParse reads the legacy feed excerpt (13 CVEs, 40 KB).
func BenchmarkParse(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join(feeds, "legacy-1.1", "nvdcve-1.1-test-data.excerpt.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := (nvd.Updater{}).Parse(context.Background(), "feed.json", bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
