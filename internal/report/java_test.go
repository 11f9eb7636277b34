package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// A library of a nested jar shows the jar inside its file, in the JSON
// report's environment and in the table, and one whose name was guessed
// from its file name says so in both; a package named by a record has no
// "identified" nor "nested" key.
func TestJavaIdentifiedNested(t *testing.T) {
	text := strata.Package{Name: "org.apache.commons:commons-text", Version: "1.9", Eco: strata.Maven,
		PackageDB: "srv/app.war", Nested: "WEB-INF/lib/commons-text-1.9.jar", Identified: strata.IdentifiedByFileName, IntroducedIn: "sha256:0a"}
	core := strata.Package{Name: "com.fasterxml.jackson.core:jackson-core", Version: "2.14.1", Eco: strata.Maven,
		PackageDB: "usr/share/java/jackson-core.jar", IntroducedIn: "sha256:0a"}
	ir := &strata.IndexReport{ManifestDigest: "sha256:01", Packages: []strata.Package{text, core}}
	res := &match.Result{Findings: []strata.Finding{
		{Package: text, Vulnerability: strata.Vulnerability{ID: "GHSA-599f-7c49-w659", Severity: strata.Critical, FixedVersion: "1.10.0"}},
		{Package: core, Vulnerability: strata.Vulnerability{ID: "GHSA-h46c-h94j-95f3", Severity: strata.High, FixedVersion: "2.15.0"}},
	}}
	vr := Build(ir, res)
	b, err := json.Marshal(map[string]any{"packages": vr.Packages, "environments": vr.Environments})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"environments":{` +
		`"1":[{"package_db":"srv/app.war","introduced_in":"sha256:0a","distribution_id":"","repository_ids":[],"nested":"WEB-INF/lib/commons-text-1.9.jar"}],` +
		`"2":[{"package_db":"usr/share/java/jackson-core.jar","introduced_in":"sha256:0a","distribution_id":"","repository_ids":[]}]},` +
		`"packages":{` +
		`"1":{"id":"1","name":"org.apache.commons:commons-text","version":"1.9","kind":"binary","purl":"pkg:maven/org.apache.commons/commons-text@1.9","identified":"file-name"},` +
		`"2":{"id":"2","name":"com.fasterxml.jackson.core:jackson-core","version":"2.14.1","kind":"binary","purl":"pkg:maven/com.fasterxml.jackson.core/jackson-core@2.14.1"}}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	var tb strings.Builder
	if err := Table(&tb, ir, res); err != nil {
		t.Fatal(err)
	}
	wantTable := []string{
		"PACKAGE                                  INSTALLED                                                                     VULNERABILITY        SEVERITY  NVD  FIXED IN  LAYER",
		"com.fasterxml.jackson.core:jackson-core  2.14.1 (/usr/share/java/jackson-core.jar)                                     GHSA-h46c-h94j-95f3  High      -    2.15.0    0a",
		"org.apache.commons:commons-text          1.9 (/srv/app.war!/WEB-INF/lib/commons-text-1.9.jar, guessed from file name)  GHSA-599f-7c49-w659  Critical  -    1.10.0    0a",
		"2 findings in 2 of 2 packages (unknown distribution): 1 Critical, 1 High",
		"",
	}
	if diff := cmp.Diff(wantTable, strings.Split(tb.String(), "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}
