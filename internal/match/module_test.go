package match

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// A record applies to packages of its module stream only, and a record
// of no module to packages of no module.
func TestMatchModuleStreams(t *testing.T) {
	rec := func(id, module string) strata.Vulnerability {
		return strata.Vulnerability{ID: id, Updater: "redhat", Eco: strata.RPM, Release: "rhel:9", Package: "nodejs", Module: module,
			Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1:99"}}}}, FixedVersion: "1:99", State: strata.Fixed}
	}
	src := fakeSource{rec("CVE-18", "nodejs:18"), rec("CVE-20", "nodejs:20"), rec("CVE-none", "")}
	pkg := func(version, module string) strata.Package {
		return strata.Package{Name: "nodejs", Version: version, Eco: strata.RPM, SourceName: "nodejs", SourceVersion: version, Module: module}
	}
	ir := &strata.IndexReport{Distribution: &strata.Distribution{ID: "rhel", VersionID: "9.4"}, Packages: []strata.Package{
		pkg("1:18.20.2-1.module+el9.4.0+21742+692df1ea", "nodejs:18"),
		pkg("1:20.12.2-2.module+el9.4.0+21731+46b5c8d7", "nodejs:20"),
		pkg("1:16.20.2-8.el9_4", ""),
	}}
	got, err := Match(context.Background(), src, ir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, f := range got.Findings {
		rows = append(rows, f.Package.Version+" "+f.Vulnerability.ID)
	}
	want := []string{
		"1:16.20.2-8.el9_4 CVE-none",
		"1:18.20.2-1.module+el9.4.0+21742+692df1ea CVE-18",
		"1:20.12.2-2.module+el9.4.0+21731+46b5c8d7 CVE-20",
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
