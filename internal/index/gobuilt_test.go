package index_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/testutil"
)

// buildHTMLCheck builds, with the go tool, a program that parses HTML with
// golang.org/x/net/html at version (the real module's html and html/atom
// sources, from testdata/goproxy, offline) and returns the binary.
func buildHTMLCheck(t *testing.T, version string) []byte {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go tool is not on PATH")
	}
	proxy, err := filepath.Abs("testdata/goproxy")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := map[string]string{
		"go.mod": "module example.com/htmlcheck\n\ngo 1.22\n\nrequire golang.org/x/net " + version + "\n",
		"main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"golang.org/x/net/html\"\n)\n\n" +
			"func main() {\n\tdoc, err := html.Parse(os.Stdin)\n\tif err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}\n\tfmt.Println(doc.FirstChild != nil)\n}\n",
	}
	for name, body := range src {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", "htmlcheck", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOWORK=off", "GOTOOLCHAIN=local", "GOSUMDB=off",
		"GOPROXY=file://"+filepath.ToSlash(proxy), "GOFLAGS=-mod=mod -modcacherw", "GOMODCACHE="+filepath.Join(dir, "modcache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "htmlcheck"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A Go binary built here from the real sources of golang.org/x/net v0.7.0
// has every Go vulnerability database entry for that version (the 23 a
// Python script over the records counts), and the same program built with
// v0.62.0, the last fix of any of them, has none. Checked by hand in the
// records (osv/GO-*.json):
//   - GO-2023-1988: "introduced 0, fixed 0.13.0"; symbols html.Render,
//     render1, which the program never calls: symbol absent;
//   - GO-2025-3595: "introduced 0, fixed 0.38.0"; symbols html.Parse,
//     Tokenizer.Next, …: the program calls Parse (inlined into main.main)
//     and through it Next: symbol present;
//   - GO-2026-6866: "introduced 0, fixed 0.62.0";
//   - GO-2023-1571 (CVE-2022-41723): "introduced 0, fixed 0.7.0": not
//     reported.
func TestBuiltBinaryAgainstGoVulnDB(t *testing.T) {
	recs := readGoVulnDB(t)
	layer, err := testutil.Tar(
		testutil.Entry{Path: "usr/local/bin/htmlcheck-0.7.0", Body: buildHTMLCheck(t, "v0.7.0"), Mode: 0o755},
		testutil.Entry{Path: "usr/local/bin/htmlcheck-0.62.0", Body: buildHTMLCheck(t, "v0.62.0"), Mode: 0o755},
	)
	if err != nil {
		t.Fatal(err)
	}
	img, err := testutil.Image(true, layer)
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "htmlcheck.tar")
	if err := testutil.WriteDockerArchive(archive, "strata-test/htmlcheck:latest", img); err != nil {
		t.Fatal(err)
	}
	ix, _ := newIndexer(t)
	r := indexImage(t, ix, archive, image.Options{})
	res, err := match.Match(context.Background(), recs, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	symbols := map[string]string{}
	for _, f := range res.Findings {
		if f.Package.Name == "golang.org/x/net" {
			got[f.Package.Version] = append(got[f.Package.Version], f.Vulnerability.ID)
			symbols[f.Vulnerability.ID] = f.Reason.Symbols
		}
	}
	var versions []string
	for _, p := range r.Packages {
		if p.Name == "golang.org/x/net" {
			versions = append(versions, p.Version+" "+p.PackageDB)
		}
	}
	slices.Sort(versions)
	if diff := cmp.Diff([]string{"0.62.0 usr/local/bin/htmlcheck-0.62.0", "0.7.0 usr/local/bin/htmlcheck-0.7.0"}, versions); diff != "" {
		t.Errorf("golang.org/x/net packages (-want +got):\n%s", diff)
	}
	want := map[string][]string{"0.7.0": {
		"GO-2023-1988", "GO-2023-2102", "GO-2024-2687", "GO-2024-3333", "GO-2025-3503", "GO-2025-3595",
		"GO-2026-4440", "GO-2026-4441", "GO-2026-4918", "GO-2026-5025", "GO-2026-5026", "GO-2026-5027",
		"GO-2026-5028", "GO-2026-5029", "GO-2026-5030", "GO-2026-5942", "GO-2026-6603", "GO-2026-6610",
		"GO-2026-6611", "GO-2026-6612", "GO-2026-6617", "GO-2026-6860", "GO-2026-6866",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("golang.org/x/net findings by version (-want +got):\n%s", diff)
	}
	wantSymbols := map[string]string{"GO-2023-1988": match.SymbolAbsent, "GO-2025-3595": match.SymbolPresent}
	for id, verdict := range wantSymbols {
		if symbols[id] != verdict {
			t.Errorf("%s: %q, want %q", id, symbols[id], verdict)
		}
	}
}
