package redhat

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil/golden"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// parseFile parses every document of a file of testdata (a document,
// compressed or not, or an archive of them) as the runner does.
func parseFile(t *testing.T, name string) []strata.Vulnerability {
	t.Helper()
	out, err := updatetest.ParseLocation(context.Background(), Updater{}, filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A record is a distinct (RHEL release, binary package, module stream)
// among the fixed, known_affected and under_investigation products of
// mainline (and, for RHEL 7, ELS) platforms. The counts break down as
// the comments say; those of CVE-2024-0727 were checked by listing the
// document's statuses with jq.
func TestGolden(t *testing.T) {
	tests := map[string]int{
		// RHEL 6: 4 binaries, 7: 5, 8: 8, 9: 14 (13 fixed, compat-openssl11 affected).
		"cve-2024-0727-openssl.json": 31,
		// perl-FCGI, -debuginfo, -debugsource in RHEL 8 (module), 9 and 10; 7 (ELS) has no debugsource.
		"cve-2025-40907-perl.json.gz": 11,
		// RHEL 9 only: curl, curl-minimal, libcurl, libcurl-minimal, libcurl-devel and their debuginfo.
		"cve-2023-38545.json.gz": 10,
		// RHEL 6: 6, 7: 14, 8: 81 (23 without module, 22 of python36:3.6
		// and 36 of python39-devel:3.9), 9: 22, 10: 8; all affected.
		"cve-2026-2297.json.gz": 131,
		// cve-2026-2673.json with its known_affected list renamed
		// under_investigation: RHEL 6: 5 binaries, 7: 6, 8: 8, 9: 7, 10: 5.
		"cve-2026-2673-under-investigation.json.gz": 31,
		// Go stdlib products only: no RPM.
		"cve-2026-27142-go.json": 0,
		// Five documents of 2023 (the older SDEngine 3 format): three about
		// RHEL packages (CVE-2023-0045, -0049, -0051), all affected.
		"csaf_vex_2023-10-31.tar.zst": 11,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			vs := parseFile(t, name)
			if len(vs) != want {
				t.Errorf("%d records, want %d", len(vs), want)
			}
			b, err := json.MarshalIndent(vs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			base, _, _ := strings.Cut(name, ".")
			golden.Check(t, filepath.Join("testdata", base+".golden.json"), append(b, '\n'))
		})
	}
}

// Records checked by hand against the documents.
func TestRecords(t *testing.T) {
	date := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	openssl := func(release, pkg string, state strata.State, fixed string, links ...string) strata.Vulnerability {
		events := []strata.Event{{Introduced: "0"}}
		if fixed != "" {
			events = append(events, strata.Event{Fixed: fixed})
		}
		return strata.Vulnerability{
			ID: "CVE-2024-0727", Updater: "redhat", Eco: strata.RPM, Release: release, Package: pkg,
			Ranges: []strata.Range{{Events: events}}, FixedVersion: fixed, State: state,
			VendorSeverity: "Low", Severity: strata.Low,
			CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", Score: 5.5, Source: "redhat"}},
			Links:     append([]string{"https://access.redhat.com/security/cve/CVE-2024-0727"}, links...),
			Published: date("2024-01-22T00:00:00Z"), Modified: date("2025-11-21T14:32:00Z"),
		}
	}
	perl := func(release, module, fixed, errata string) strata.Vulnerability { // RHSA by product in remediations[].url
		return strata.Vulnerability{
			ID: "CVE-2025-40907", Updater: "redhat", Eco: strata.RPM, Release: release, Package: "perl-FCGI", Module: module,
			Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: fixed}}}},
			FixedVersion: fixed, State: strata.Fixed, VendorSeverity: "Important", Severity: strata.High,
			CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", Score: 7.5, Source: "redhat"}},
			Links:     []string{"https://access.redhat.com/security/cve/CVE-2025-40907", errata},
			Published: date("2025-05-16T13:03:02.774Z"), Modified: date("2026-02-11T12:37:55Z"),
		}
	}
	tests := []struct {
		file, release, pkg, module string
		want                       strata.Vulnerability
	}{
		// "AppStream-9.4.0.GA:openssl-libs-1:3.0.7-27.el9.x86_64" is fixed, RHSA-2024:2447.
		{"cve-2024-0727-openssl.json", "rhel:9", "openssl-libs", "",
			openssl("rhel:9", "openssl-libs", strata.Fixed, "1:3.0.7-27.el9", "https://access.redhat.com/errata/RHSA-2024:2447")},
		// "red_hat_enterprise_linux_8:openssl-libs" is known_affected, remediation none_available "Fix deferred".
		{"cve-2024-0727-openssl.json", "rhel:8", "openssl-libs", "", openssl("rhel:8", "openssl-libs", strata.Unfixed, "")},
		// "red_hat_enterprise_linux_7:openssl-libs": no_fix_planned "Out of support scope".
		{"cve-2024-0727-openssl.json", "rhel:7", "openssl-libs", "", openssl("rhel:7", "openssl-libs", strata.WontFix, "")},
		// "red_hat_enterprise_linux_8:edk2-ovmf": no_fix_planned "Will not fix".
		{"cve-2024-0727-openssl.json", "rhel:8", "edk2-ovmf", "", openssl("rhel:8", "edk2-ovmf", strata.WontFix, "")},
		// epoch 0 left out: "edk2-ovmf-0:20240524-6.el9_5.noarch", RHSA-2024:9088.
		{"cve-2024-0727-openssl.json", "rhel:9", "edk2-ovmf", "",
			openssl("rhel:9", "edk2-ovmf", strata.Fixed, "20240524-6.el9_5", "https://access.redhat.com/errata/RHSA-2024:9088")},
		// RHEL 8: four contexts of perl-FCGI:0.78 on AppStream-8.10.0.Z.MAIN.EUS; the
		// lowest build (rpm order: the context "df114ff4", letters, sorts before digits).
		{"cve-2025-40907-perl.json.gz", "rhel:8", "perl-FCGI", "perl-FCGI:0.78",
			perl("rhel:8", "perl-FCGI:0.78", "1:0.78-12.module+el8.10.0+23147+df114ff4", "https://access.redhat.com/errata/RHSA-2025:8696")},
		// RHEL 9: AppStream-9.6.0.Z.MAIN.EUS's build, not those of the 9.0 E4S, 9.2 E4S or 9.4 EUS branches.
		{"cve-2025-40907-perl.json.gz", "rhel:9", "perl-FCGI", "",
			perl("rhel:9", "", "1:0.79-8.1.el9_6", "https://access.redhat.com/errata/RHSA-2025:8635")},
		// RHEL 7: only 7Server-ELS lists it.
		{"cve-2025-40907-perl.json.gz", "rhel:7", "perl-FCGI", "",
			perl("rhel:7", "", "1:0.74-8.el7_9.1", "https://access.redhat.com/errata/RHSA-2025:8625")},
		// "red_hat_enterprise_linux_9:openssl-libs" under_investigation (the
		// derived document): no fixed version, the CVE's impact and score.
		{"cve-2026-2673-under-investigation.json.gz", "rhel:9", "openssl-libs", "", strata.Vulnerability{
			ID: "CVE-2026-2673", Updater: "redhat", Eco: strata.RPM, Release: "rhel:9", Package: "openssl-libs",
			Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}, State: strata.UnderInvestigation,
			VendorSeverity: "Low", Severity: strata.Low,
			CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:N/I:L/A:N", Score: 3.1, Source: "redhat"}},
			Links:     []string{"https://access.redhat.com/security/cve/CVE-2026-2673"},
			Published: date("2026-03-13T13:23:00.376Z"), Modified: date("2026-03-25T12:33:38Z"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.release+"/"+tt.pkg, func(t *testing.T) {
			var got []strata.Vulnerability
			for _, v := range parseFile(t, tt.file) {
				if v.Release == tt.release && v.Package == tt.pkg && v.Module == tt.module {
					v.Description = ""
					got = append(got, v)
				}
			}
			if diff := cmp.Diff([]strata.Vulnerability{tt.want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// curl's CVE-2023-38545 was fixed on the RHEL 9 mainline twice: in 9.2
// (AppStream-9.2.0.Z.MAIN.EUS, 7.76.1-23.el9_2.4) and in 9.3
// (AppStream-9.3.0.Z.MAIN, 7.76.1-26.el9_3.2). The later stream's build
// is the fix: 7.76.1-26.el9_3 has no fix, though above 9.2's.
func TestFixOfTheLatestStream(t *testing.T) {
	for _, v := range parseFile(t, "cve-2023-38545.json.gz") {
		if v.FixedVersion != "7.76.1-26.el9_3.2" || v.Release != "rhel:9" || v.State != strata.Fixed {
			t.Errorf("%s %s: %s fixed in %q, want rhel:9 fixed in 7.76.1-26.el9_3.2", v.ID, v.Package, v.Release, v.FixedVersion)
		}
	}
}

func TestStreamOf(t *testing.T) {
	tests := []struct {
		cpe  string
		want stream
		ok   bool
	}{
		{"cpe:/o:redhat:enterprise_linux:9::baseos", stream{"rhel:9", true}, true},
		{"cpe:/a:redhat:enterprise_linux:8::appstream", stream{"rhel:8", true}, true},
		{"cpe:/a:redhat:enterprise_linux:9::crb", stream{"rhel:9", true}, true},
		{"cpe:/o:redhat:enterprise_linux:6", stream{"rhel:6", true}, true},
		{"cpe:/o:redhat:enterprise_linux:10.1", stream{"rhel:10", true}, true},
		{"cpe:/o:redhat:rhel_els:7", stream{"rhel:7", false}, true},
		{"cpe:/a:redhat:rhel_eus:9.4::appstream", stream{}, false},
		{"cpe:/o:redhat:rhel_e4s:9.0::baseos", stream{}, false},
		{"cpe:/o:redhat:enterprise_linux_eus:10.0", stream{}, false},
		{"cpe:/a:redhat:rhel_aus:8.2::appstream", stream{}, false},
		{"cpe:/a:redhat:enterprise_linux_ai:3", stream{}, false},
		{"cpe:/a:redhat:openshift:4.16::el9", stream{}, false},
		{"cpe:/o:redhat:enterprise_linux", stream{}, false},
		{"cpe:/o:redhat:enterprise_linux:x", stream{}, false},
		{"", stream{}, false},
	}
	for _, tt := range tests {
		got, ok := streamOf(tt.cpe)
		if got != tt.want || ok != tt.ok {
			t.Errorf("streamOf(%q) = %+v, %v; want %+v, %v", tt.cpe, got, ok, tt.want, tt.ok)
		}
	}
}

func TestComponentOf(t *testing.T) {
	tests := []struct {
		id, purl string
		want     component
		ok       bool
	}{
		{"openssl-1:3.0.7-27.el9.src", "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src&epoch=1",
			component{name: "openssl", version: "1:3.0.7-27.el9", arch: "src"}, true},
		{"openssl-1:3.0.7-27.el9.src", "", component{name: "openssl", version: "1:3.0.7-27.el9", arch: "src"}, true},
		{"edk2-ovmf-0:20240524-6.el9_5.noarch", "", component{name: "edk2-ovmf", version: "20240524-6.el9_5", arch: "noarch"}, true},
		{"perl-FCGI-1:0.78-11.module+el8.6.0+23193+513b2a65.1.src",
			"pkg:rpm/redhat/perl-FCGI@0.78-11.module%2Bel8.6.0%2B23193%2B513b2a65.1?arch=src&epoch=1&rpmmod=perl-FCGI:0.78:8060020250604201935:513b2a65",
			component{name: "perl-FCGI", version: "1:0.78-11.module+el8.6.0+23193+513b2a65.1", arch: "src", module: "perl-FCGI:0.78"}, true},
		{"perl-FCGI-1:0.78-12.module+el8.10.0+23147+20b7d289.x86_64::perl-FCGI:0.78", "",
			component{name: "perl-FCGI", version: "1:0.78-12.module+el8.10.0+23147+20b7d289", arch: "x86_64", module: "perl-FCGI:0.78"}, true},
		{"python39-libs::python39-devel:3.9", "", component{name: "python39-libs", module: "python39-devel:3.9"}, true},
		{"go-toolset::go-toolset:rhel8", "pkg:rpm/redhat/go-toolset?rpmmod=go-toolset:rhel8", component{name: "go-toolset", module: "go-toolset:rhel8"}, true},
		{"python3.12.src", "", component{name: "python3.12", arch: "src"}, true},
		{"kernel", "", component{name: "kernel"}, true},
		{"openshift4/ose-etcd", "pkg:oci/ose-etcd@sha256:0123?repository_url=registry.redhat.io/openshift4", component{}, false},
		{"x-1:2", "", component{}, false},
	}
	for _, tt := range tests {
		got, ok := componentOf(tt.id, helper{PURL: tt.purl})
		if got != tt.want || ok != tt.ok {
			t.Errorf("componentOf(%q, %q) = %+v, %v; want %+v, %v", tt.id, tt.purl, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[]`, `redhat: parse doc.json: offset 1: want an object, have an array`},
		{`{"document": {"tracking": {"id": 5}}}`, `redhat: parse doc.json: offset 36: document: json: cannot unmarshal number into Go struct field .tracking.id of type string`},
		{`{"document": {}}`, `redhat: parse doc.json: not a CSAF document (no document.tracking.id)`},
		{`{"document": {"tracking": {"id": "CVE-1"}}, "product_tree": {"branches": {}}}`, `redhat: parse doc.json: offset 74: want an array, have an object`},
		{`{"document": {"tracking": {"id": "CVE-1"}}, "vulnerabilities": [`, `redhat: parse doc.json: offset 64: unexpected EOF`},
		{`{"document": {"tracking": {"id": "CVE-1"}}} {}`, `redhat: parse doc.json: offset 45: data after the top-level value`},
		{`{"product_tree": {"branches": ` + strings.Repeat(`[{"branches": `, 40), `redhat: parse doc.json: offset 476: product_tree: branches nested deeper than 32`},
	}
	for _, tt := range tests {
		_, err := Updater{}.Parse(context.Background(), "doc.json", strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%.40s…) error = %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

// A fixed product whose version the RPM comparator refuses fails the
// document, naming the record and the product.
func TestParseBadVersion(t *testing.T) {
	doc := `{"document": {"tracking": {"id": "CVE-1"}},
	"product_tree": {
		"branches": [{"product": {"product_id": "BaseOS-9", "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:9::baseos"}}}],
		"relationships": [{"full_product_name": {"product_id": "BaseOS-9:a-0:1-é.x86_64"}, "product_reference": "a-0:1-é.x86_64", "relates_to_product_reference": "BaseOS-9"}]},
	"vulnerabilities": [{"cve": "CVE-1", "product_status": {"fixed": ["BaseOS-9:a-0:1-é.x86_64"]}}]}`
	_, err := Updater{}.Parse(context.Background(), "doc.json", strings.NewReader(doc))
	want := `redhat: parse doc.json: CVE-1 a: product "BaseOS-9:a-0:1-é.x86_64": `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want it to start with %q", err, want)
	}
}

// Files beside the documents in the feed's folder, and empty ones, hold
// no records and are no error.
func TestParseSkips(t *testing.T) {
	for _, name := range []string{"vex/changes.csv", "vex/deletions.csv", "vex/archive_latest.txt", "x.tar.zst.sha256", "empty.json"} {
		in := "2023/cve-2023-0001.json,2023-01-01T00:00:00+00:00\n"
		if name == "empty.json" {
			in = " \n"
		}
		vs, err := Updater{}.Parse(context.Background(), name, strings.NewReader(in))
		if err != nil || len(vs) != 0 {
			t.Errorf("Parse(%s) = %d records, %v; want none, no error", name, len(vs), err)
		}
	}
}

// Which entries decide a record: the mainline's over ELS's, then fixed
// over affected over under investigation.
func TestChosen(t *testing.T) {
	main, els := stream{"rhel:7", true}, stream{"rhel:7", false}
	e := func(id, status string, st stream) entry { return entry{productID: id, status: status, stream: st} }
	tests := []struct {
		in   []entry
		want []string
	}{
		{[]entry{e("els-fix", "fixed", els), e("main-affected", "known_affected", main)}, []string{"main-affected"}},
		{[]entry{e("els-fix", "fixed", els), e("els-affected", "known_affected", els)}, []string{"els-fix"}},
		{[]entry{e("affected", "known_affected", main), e("fix-a", "fixed", main), e("fix-b", "fixed", main)}, []string{"fix-a", "fix-b"}},
		{[]entry{e("ui", "under_investigation", main), e("affected", "known_affected", main)}, []string{"affected"}},
		{[]entry{e("ui", "under_investigation", main)}, []string{"ui"}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range chosen(tt.in) {
			got = append(got, c.productID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("chosen(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// A valid document that makes no record gives an update.EmptyDocument,
// which the runner takes for a document that empties the feed of its CVE:
// CVE-2023-4154 and CVE-2023-42670 (Samba) say of every package they name,
// in RHEL 6 to 9 and Red Hat Storage 3, that it is known_not_affected;
// cve-2026-27142-go.json names Go stdlib modules only, no RPM and no
// platform; a document whose not-affected products are OpenShift's says
// nothing of RHEL.
func TestEmptyDocuments(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string
	}{
		{"cve-2023-4154.json.gz", "", "testdata/cve-2023-4154.json.gz (CVE-2023-4154 affects no RHEL package)"},
		{"cve-2023-42670.json.gz", "", "testdata/cve-2023-42670.json.gz (CVE-2023-42670 affects no RHEL package)"},
		{"cve-2026-27142-go.json", "", "testdata/cve-2026-27142-go.json (names no package of a RHEL product stream)"},
		{"openshift.json", `{"document": {"tracking": {"id": "CVE-1"}},
			"product_tree": {"branches": [{"product": {"product_id": "ocp-4", "product_identification_helper": {"cpe": "cpe:/a:redhat:openshift:4"}}}],
				"relationships": [{"full_product_name": {"product_id": "ocp-4:etcd"}, "product_reference": "etcd", "relates_to_product_reference": "ocp-4"}]},
			"vulnerabilities": [{"cve": "CVE-1", "product_status": {"known_not_affected": ["ocp-4:etcd"]}}]}`,
			"openshift.json (names no package of a RHEL product stream)"},
		{"two.json", `{"document": {"tracking": {"id": "CVE-1"}},
			"product_tree": {"branches": [{"product": {"product_id": "BaseOS-9", "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:9::baseos"}}}],
				"relationships": [{"full_product_name": {"product_id": "BaseOS-9:a"}, "product_reference": "a", "relates_to_product_reference": "BaseOS-9"}]},
			"vulnerabilities": [{"cve": "CVE-2", "product_status": {"known_not_affected": ["BaseOS-9:a"]}}, {"cve": "CVE-1", "product_status": {"known_not_affected": ["BaseOS-9:a"]}}]}`,
			"two.json (CVE-1, CVE-2 affect no RHEL package)"},
		{"no vulnerabilities.json", `{"document": {"tracking": {"id": "CVE-1"}}}`, "no vulnerabilities.json (names no package of a RHEL product stream)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vs []strata.Vulnerability
			var err error
			if tt.doc != "" {
				vs, err = Updater{}.Parse(context.Background(), tt.name, strings.NewReader(tt.doc))
			} else {
				_, err = update.Fetch(context.Background(), nil, filepath.Join("testdata", tt.name), "", func(d update.Document) error {
					vs, err = Updater{}.Parse(context.Background(), d.Name, d.Body)
					return err
				})
			}
			var got error
			if sk := (*update.Skipped)(nil); errors.As(err, &sk) {
				got = sk
			} else if err != nil {
				t.Fatal(err)
			}
			want := &update.Skipped{Empty: []string{tt.want}}
			if len(vs) != 0 || !cmp.Equal(want, got) {
				t.Errorf("%d records, error %v; want none, %v", len(vs), got, want)
			}
		})
	}
}
