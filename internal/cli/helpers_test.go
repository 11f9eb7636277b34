package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/testutil"
)

// shared is the read-only shared data folder beside the checkout.
const shared = "../../../shared/data"

func sharedPath(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(shared, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not present (shared data absent)", p)
	}
	return p
}

// run runs the command line and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, args...)
	if code != 0 {
		t.Fatalf("strata %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// dpkgImage writes a one-layer docker archive holding a real system's
// dpkg status and os-release (see testutil.DpkgLayer) and returns its path.
func dpkgImage(t *testing.T, dir string) string {
	t.Helper()
	layer, err := testutil.DpkgLayer(dir)
	if err != nil {
		t.Fatal(err)
	}
	return layerImage(t, filepath.Base(dir), false, layer)
}

// layerImage writes a one-layer docker archive named name (its layer blob
// gzip-compressed or not) and returns its path.
func layerImage(t *testing.T, name string, compressed bool, layer []byte) string {
	t.Helper()
	img, err := testutil.Image(compressed, layer)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name+".tar")
	if err := testutil.WriteDockerArchive(p, "strata-test/"+name+":latest", img); err != nil {
		t.Fatal(err)
	}
	return p
}

// scanJSON scans an image and decodes the JSON report.
func scanJSON(t *testing.T, db, image string) *report.VulnerabilityReport {
	t.Helper()
	out := mustRun(t, "scan", "--db", db, "--format", "json", image)
	var vr report.VulnerabilityReport
	if err := json.Unmarshal([]byte(out), &vr); err != nil {
		t.Fatalf("decode report: %v\n%s", err, out)
	}
	return &vr
}

// finding is one row of a report, as the golden files list them.
type finding struct {
	Package, Version, Source, SourceVersion string
	Vulnerability, Fixed, State, Severity   string
}

func (f finding) String() string {
	return strings.Join([]string{f.Package, f.Version, f.Source, f.SourceVersion, f.Vulnerability, f.Fixed, f.State, f.Severity}, "\t")
}

// findings flattens a report into rows sorted by package and vulnerability.
func findings(vr *report.VulnerabilityReport) []finding {
	var out []finding
	for pid, vids := range vr.PackageVulnerabilities {
		p := vr.Packages[pid]
		for _, vid := range vids {
			v := vr.Vulnerabilities[vid]
			f := finding{Package: p.Name, Version: p.Version, Vulnerability: recordNames(v),
				Fixed: v.FixedInVersion, State: string(v.State), Severity: v.NormalizedSeverity.String()}
			if p.Source != nil {
				f.Source, f.SourceVersion = p.Source.Name, p.Source.Version
			}
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b finding) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// recordNames names the records of a vulnerability: its own name, or
// those of all its sources joined with "+" when several records name it.
func recordNames(v report.Vulnerability) string {
	if len(v.Sources) == 0 {
		return v.Name
	}
	names := make([]string, len(v.Sources))
	for i, s := range v.Sources {
		names[i] = s.Name
	}
	return strings.Join(names, "+")
}

// tsv renders rows as the golden files hold them, with a header.
func tsv(rows []finding) []byte {
	var b bytes.Buffer
	fmt.Fprintln(&b, "package\tversion\tsource\tsource_version\tvulnerability\tfixed\tstate\tseverity")
	for _, r := range rows {
		fmt.Fprintln(&b, r)
	}
	return b.Bytes()
}
