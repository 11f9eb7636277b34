package redhat

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// records is a match.Source over parsed records.
type records []strata.Vulnerability

func (rs records) Vulnerabilities(_ context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	for _, v := range rs {
		for _, n := range names {
			if v.Eco == eco && v.Release == release && v.Package == n {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func (rs records) Covered(context.Context, strata.Ecosystem, string) (bool, error) { return true, nil }

// A fix for one module stream is not applied to a package of another
// stream, nor to a package of no module. The records are the real ones
// of CVE-2025-40907: on RHEL 8, perl-FCGI is fixed in the perl-FCGI:0.78
// stream only (1:0.78-12.module+el8.10.0+23147+df114ff4 is the lowest of
// the four contexts' builds). RHEL 8 ships perl-FCGI in that one stream,
// so the other stream (0.79) and the non-modular build are made up here
// from the real package.
func TestModuleStreams(t *testing.T) {
	rhel8 := &strata.Distribution{ID: "rhel", VersionID: "8.10"}
	fcgi := func(version, module string) strata.Package {
		return strata.Package{Name: "perl-FCGI", Version: version, Arch: "x86_64", Eco: strata.RPM,
			SourceName: "perl-FCGI", SourceVersion: version, Module: module}
	}
	pkgs := []strata.Package{
		// The perl-FCGI:0.78 build before the fix (RHEL 8.9, perl 5.32 context).
		fcgi("1:0.78-11.module+el8.9.0+19595+2fbd5b0c", "perl-FCGI:0.78"),
		// The fixed build of the perl 5.26 context: above the lowest fix.
		fcgi("1:0.78-12.module+el8.10.0+23147+63faba8d", "perl-FCGI:0.78"),
		// The same old build, from another stream and from no module.
		fcgi("1:0.78-11.module+el8.9.0+19595+2fbd5b0d", "perl-FCGI:0.79"),
		fcgi("1:0.78-11.el8", ""),
	}
	res, err := match.Match(context.Background(), records(parseFile(t, "cve-2025-40907-perl.json.gz")), &strata.IndexReport{Distribution: rhel8, Packages: pkgs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Version, Module, Comparison string }
	var got []row
	for _, f := range res.Findings {
		got = append(got, row{f.Package.Version, f.Package.Module, f.Reason.Comparison})
	}
	want := []row{{"1:0.78-11.module+el8.9.0+19595+2fbd5b0c", "perl-FCGI:0.78",
		"1:0.78-11.module+el8.9.0+19595+2fbd5b0c < 1:0.78-12.module+el8.10.0+23147+df114ff4 (fixed)"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
