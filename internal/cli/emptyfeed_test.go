package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// A valid feed document that holds no record (v3.3's community.yaml, whose
// packages list is empty; a withdrawn OSV record; a Red Hat VEX document
// naming only OpenShift's or Go's products) loads as no record, with a
// warning naming it; an empty file, the wrong kind of file, or records of
// ecosystems strata does not read are still refused, and change nothing.
func TestUpdateEmptyDocuments(t *testing.T) {
	t.Parallel()
	main, community := sharedPath(t, "feeds/alpine/secdb-yaml/v3.3/main.yaml"), sharedPath(t, "feeds/alpine/secdb-yaml/v3.3/community.yaml")
	vex := sharedPath(t, "feeds/redhat/csaf-vex")
	openshift, golang := filepath.Join(vex, "cve-2024-24786-simple.json"), filepath.Join(vex, "cve-2026-27142-go.json")
	emptyJSON := writeFile(t, "community.json", []byte(`{"distroversion": "v3.20", "reponame": "community", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine", "packages": []}`))
	withdrawn := t.TempDir()
	copyFile(t, "../update/osv/testdata/GO-2022-0617.json", filepath.Join(withdrawn, "GO-2022-0617.json"))
	withdrawnDoc := filepath.Join(withdrawn, "GO-2022-0617.json")
	crates := t.TempDir()
	testutil.WriteFile(t, filepath.Join(crates, "RUSTSEC-2024-0001.json"), []byte(`{"id": "RUSTSEC-2024-0001", "affected": [{"package": {"ecosystem": "crates.io", "name": "a"}}]}`))
	emptyFile, noName := writeFile(t, "empty.json", nil), writeFile(t, "main.json", []byte("{}"))
	warning := func(feed, loc, doc string) string {
		return "warning: location holds no record updater=" + feed + " location=" + loc +
			` skipped="skipped 1 document that holds no record: ` + doc + `"` + "\n"
	}
	failed := func(feed, err string) string {
		return "update " + feed + ": " + err + "\nstrata update: 1 of 1 feeds failed: " + feed + " (their previous data is kept)\n"
	}
	tests := []struct {
		name        string
		sources     []string
		code        int
		out, errOut string // out: the first line
	}{
		{"alpine yaml", []string{"alpine=" + main, "alpine=" + community}, 0,
			"alpine: 457 records (457 added, 0 removed)\n", warning("alpine", community, community+" (lists no package)")},
		{"alpine json", []string{"alpine=" + emptyJSON}, 0,
			"alpine: 0 records (0 added, 0 removed)\n", warning("alpine", emptyJSON, emptyJSON+" (lists no package)")},
		{"osv withdrawn", []string{"osv=" + withdrawn}, 0,
			"osv: 0 records (0 added, 0 removed)\n", warning("osv", withdrawn, withdrawnDoc+" (GO-2022-0617 withdrawn)")},
		{"redhat openshift", []string{"redhat=" + openshift}, 0,
			"redhat: 0 records (0 added, 0 removed)\n", warning("redhat", openshift, openshift+" (names no package of a RHEL product stream)")},
		{"redhat go", []string{"redhat=" + golang}, 0,
			"redhat: 0 records (0 added, 0 removed)\n", warning("redhat", golang, golang+" (names no package of a RHEL product stream)")},
		{"osv other ecosystem", []string{"osv=" + crates}, 1, "",
			failed("osv", crates+": no records of the osv feed found in it: skipped 1 records of unsupported ecosystems: crates.io")},
		{"alpine empty file", []string{"alpine=" + main, "alpine=" + emptyFile}, 1, "",
			failed("alpine", emptyFile+": no records of the alpine feed found in it")},
		{"alpine names nothing", []string{"alpine=" + noName}, 1, "",
			failed("alpine", noName+": no records of the alpine feed found in it")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"update", "--db", filepath.Join(t.TempDir(), "strata.db")}
			for _, s := range tt.sources {
				args = append(args, "--source", s)
			}
			out, errOut, code := run(t, args...)
			first, _, _ := strings.Cut(out, "\n")
			if code != tt.code || strings.TrimSuffix(tt.out, "\n") != first || errOut != tt.errOut {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant %d, %q…, %q", code, out, errOut, tt.code, tt.out, tt.errOut)
			}
		})
	}
}
