package redhat

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
)

// smallDoc is a whole VEX document in little: one platform, a modular
// fixed build and an affected package.
const smallDoc = `{"document": {"aggregate_severity": {"text": "Moderate"}, "tracking": {"id": "CVE-2025-1"}},
"product_tree": {"branches": [{"branches": [
	{"product": {"product_id": "AppStream-8", "product_identification_helper": {"cpe": "cpe:/a:redhat:enterprise_linux:8::appstream"}}},
	{"product": {"product_id": "nodejs-1:18.1-1.module+el8.x86_64::nodejs:18", "product_identification_helper": {"purl": "pkg:rpm/redhat/nodejs@18.1-1.module%2Bel8?arch=x86_64&epoch=1&rpmmod=nodejs:18:1:2"}}}]}],
 "relationships": [
	{"full_product_name": {"product_id": "AppStream-8:nodejs-1:18.1-1.module+el8.x86_64::nodejs:18"}, "product_reference": "nodejs-1:18.1-1.module+el8.x86_64::nodejs:18", "relates_to_product_reference": "AppStream-8"},
	{"full_product_name": {"product_id": "AppStream-8:npm"}, "product_reference": "npm", "relates_to_product_reference": "AppStream-8"}]},
"vulnerabilities": [{"cve": "CVE-2025-1", "product_status": {"fixed": ["AppStream-8:nodejs-1:18.1-1.module+el8.x86_64::nodejs:18"], "known_affected": ["AppStream-8:npm"]},
 "remediations": [{"category": "no_fix_planned", "product_ids": ["AppStream-8:npm"]}]}]}`

func FuzzParse(f *testing.F) {
	testutil.AddTestdata(f, "*.json")
	f.Add([]byte(smallDoc))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := Updater{}.Parse(context.Background(), "fuzz.json", bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, v := range vs {
			fixed := v.State == strata.Fixed
			if v.ID == "" || v.Package == "" || !strings.HasPrefix(v.Release, "rhel:") || v.Eco != strata.RPM || v.SourcePackage ||
				(v.FixedVersion != "") != fixed || len(v.Ranges) != 1 || len(v.Ranges[0].Events) != map[bool]int{true: 2, false: 1}[fixed] ||
				fixed && v.Ranges[0].Events[1].Fixed != v.FixedVersion {
				t.Fatalf("bad record %+v", v)
			}
		}
		again, _ := Updater{}.Parse(context.Background(), "fuzz.json", bytes.NewReader(b))
		if diff := cmp.Diff(vs, again); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
	})
}

func TestSmallDoc(t *testing.T) {
	vs, err := Updater{}.Parse(context.Background(), "small.json", strings.NewReader(smallDoc))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Package, Module, State, Fixed, Severity string }
	var got []row
	for _, v := range vs {
		got = append(got, row{v.Package, v.Module, string(v.State), v.FixedVersion, v.VendorSeverity})
	}
	want := []row{
		{"nodejs", "nodejs:18", "fixed", "1:18.1-1.module+el8", "Moderate"},
		{"npm", "", "wont-fix", "", "Moderate"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
