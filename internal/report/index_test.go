package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// The IndexReport has Clair's shape and the same package and distribution
// ids as the VulnerabilityReport of the same index report.
func TestBuildIndexReport(t *testing.T) {
	ir := &strata.IndexReport{
		ManifestDigest: "sha256:01",
		State:          "dpkg@1",
		Distribution:   &strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionID: "10", VersionCodename: "buster", PrettyName: "Debian GNU/Linux 10 (buster)"},
		Packages: []strata.Package{
			{Name: "libssl1.1", Version: "1.1.1d-0+deb10u4", Arch: "amd64", Eco: strata.Deb, SourceName: "openssl", SourceVersion: "1.1.1d-0+deb10u4", PackageDB: "var/lib/dpkg/status", IntroducedIn: "sha256:0a"},
		},
		LayersRead: 1,
	}
	want := &IndexReport{
		ManifestHash: "sha256:01",
		State:        "IndexFinished",
		Packages: map[string]Package{"1": {
			ID: "1", Name: "libssl1.1", Version: "1.1.1d-0+deb10u4", Kind: "binary", Arch: "amd64",
			Source: &Package{Name: "openssl", Version: "1.1.1d-0+deb10u4", Kind: "source"},
			PURL:   "pkg:deb/debian/libssl1.1@1.1.1d-0+deb10u4?arch=amd64&distro=debian-10&upstream=openssl",
		}},
		Distributions: map[string]Distribution{"1": {
			ID: "1", DID: "debian", Name: "Debian GNU/Linux", Version: "10", VersionCodeName: "buster", VersionID: "10", PrettyName: "Debian GNU/Linux 10 (buster)",
		}},
		Repository: map[string]any{},
		Environments: map[string][]Environment{"1": {{
			PackageDB: "var/lib/dpkg/status", IntroducedIn: "sha256:0a", DistributionID: "1", RepositoryIDs: []string{},
		}}},
		Success:    true,
		LayersRead: 1,
	}
	if diff := cmp.Diff(want, BuildIndexReport(ir)); diff != "" {
		t.Errorf("BuildIndexReport (-want +got):\n%s", diff)
	}
}
