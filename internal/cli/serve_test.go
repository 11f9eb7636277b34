package cli

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/httpapi"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/testutil"
)

// The Debian advisory lists every serve test loads.
var debianLists = []string{
	"--source", "debian=../../testdata/feeds/debian/DSA.list",
	"--source", "debian=../../testdata/feeds/debian/DLA.list",
}

// `strata serve`, on SQLite and on PostgreSQL, indexes a real image from a
// registry through a Clair manifest, and its VulnerabilityReport has the
// findings `strata scan` reports for the same image.
func TestServeEndToEnd(t *testing.T) {
	reg, ref := drupalRegistry(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // anonymous pulls
	scanDB := filepath.Join(t.TempDir(), "scan.db")
	mustRun(t, append([]string{"update", "--db", scanDB}, debianLists...)...)
	want := scanJSON(t, scanDB, ref)
	m := clairManifest(t, reg, "strata-test/drupal", "1")
	for _, db := range serveDBs {
		t.Run(db.name, func(t *testing.T) {
			dbURL := db.open(t)
			base := startServe(t, append([]string{"--db", dbURL}, debianLists...)...)
			waitForFeed(t, base, "debian")
			checkClairFlow(t, base, m, want)
			checkByReference(t, base, ref, want)
		})
	}
}

// checkClairFlow does what clairctl report does: asks for the index
// report, posts the manifest when it is unknown, remembers the ETag for
// the Link it is given, fetches the vulnerability report; then again, when
// If-None-Match spares the post.
func checkClairFlow(t *testing.T, base string, m httpapi.Manifest, want *report.VulnerabilityReport) {
	path := "/indexer/api/v1/index_report/" + string(m.Hash)
	if resp := call(t, "GET", base+path, nil, nil); resp.status != http.StatusNotFound {
		t.Fatalf("GET unknown index report: status %d, want 404", resp.status)
	}
	resp := call(t, "POST", base+"/indexer/api/v1/index_report", m, nil)
	if resp.status != http.StatusCreated {
		t.Fatalf("POST manifest: status %d: %s", resp.status, resp.body)
	}
	var ir report.IndexReport
	resp.decode(t, &ir)
	if ir.ManifestHash != want.ManifestHash || !ir.Success || len(ir.Packages) != len(want.Packages) {
		t.Errorf("index report: %s success %v, %d packages; want %s true %d", ir.ManifestHash, ir.Success, len(ir.Packages), want.ManifestHash, len(want.Packages))
	}
	if !strings.Contains(resp.header.Get("Link"), "<"+path+`>; rel="https://projectquay.io/clair/v1/index_report"`) {
		t.Errorf("POST: Link %q names no index report", resp.header.Get("Link"))
	}
	validator := resp.header.Get("ETag")
	vr := vulnerabilityReport(t, base, m.Hash)
	if diff := cmp.Diff(findings(want), findings(vr)); diff != "" {
		t.Errorf("findings (-scan +serve):\n%s", diff)
	}
	if len(findings(vr)) == 0 {
		t.Errorf("no findings: the image was chosen to have some")
	}
	if resp := call(t, "GET", base+path, nil, http.Header{"If-None-Match": {validator}}); resp.status != http.StatusNotModified {
		t.Errorf("GET index report with its ETag: status %d, want 304", resp.status)
	}
}

// checkByReference submits the image by reference and finds it in the
// list with as many vulnerabilities as scan reports.
func checkByReference(t *testing.T, base, ref string, want *report.VulnerabilityReport) {
	resp := call(t, "POST", base+"/api/v1/images", map[string]string{"reference": ref}, nil)
	var got struct {
		ManifestHash strata.Digest `json:"manifest_hash"`
	}
	resp.decode(t, &got)
	if resp.status != http.StatusCreated || got.ManifestHash != want.ManifestHash {
		t.Errorf("POST /api/v1/images: status %d, manifest %s; want 201, %s", resp.status, got.ManifestHash, want.ManifestHash)
	}
	var list struct {
		Images []struct {
			ManifestHash    strata.Digest `json:"manifest_hash"`
			Vulnerabilities int
		}
	}
	call(t, "GET", base+"/api/v1/images", nil, nil).decode(t, &list)
	if len(list.Images) != 1 || list.Images[0].ManifestHash != want.ManifestHash || list.Images[0].Vulnerabilities != len(want.Vulnerabilities) {
		t.Errorf("GET /api/v1/images = %+v, want %s with %d vulnerabilities", list.Images, want.ManifestHash, len(want.Vulnerabilities))
	}
}

// drupalRegistry pushes a one-layer image of a real Debian 10 system
// (buster-drupal-2021, which the April 2023 lists have advisories for)
// to an in-process registry, and returns the registry and the image's
// reference.
func drupalRegistry(t *testing.T) (*testutil.Registry, string) {
	t.Helper()
	layer, err := testutil.DpkgLayer(sharedPath(t, "pkgdb/dpkg/debian-old/buster-drupal-2021"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := testutil.Image(true, layer)
	if err != nil {
		t.Fatal(err)
	}
	reg := testutil.StartRegistry(t, testutil.Anonymous)
	if err := reg.Push("strata-test/drupal:1", img); err != nil {
		t.Fatal(err)
	}
	return reg, reg.Host + "/strata-test/drupal:1"
}

// clairManifest builds the Clair manifest of repo:tag, as clairctl does:
// the manifest digest and, per layer, its blob digest and blob URL.
func clairManifest(t *testing.T, reg *testutil.Registry, repo, tag string) httpapi.Manifest {
	t.Helper()
	var m httpapi.Manifest
	resp := call(t, "GET", "http://"+reg.Host+"/v2/"+repo+"/manifests/"+tag, nil,
		http.Header{"Accept": {"application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"}})
	if resp.status != http.StatusOK {
		t.Fatalf("registry manifest: status %d", resp.status)
	}
	m.Hash = strata.Digest(resp.header.Get("Docker-Content-Digest"))
	var man struct {
		Layers []struct{ Digest strata.Digest }
	}
	resp.decode(t, &man)
	for _, l := range man.Layers {
		m.Layers = append(m.Layers, httpapi.ManifestLayer{
			Hash: l.Digest, URI: "http://" + reg.Host + "/v2/" + repo + "/blobs/" + string(l.Digest),
			Headers: map[string][]string{"Accept": {"*/*"}},
		})
	}
	return m
}

func vulnerabilityReport(t *testing.T, base string, d strata.Digest) *report.VulnerabilityReport {
	t.Helper()
	resp := call(t, "GET", base+"/matcher/api/v1/vulnerability_report/"+string(d), nil, nil)
	if resp.status != http.StatusOK {
		t.Fatalf("vulnerability report: status %d: %s", resp.status, resp.body)
	}
	var vr report.VulnerabilityReport
	resp.decode(t, &vr)
	return &vr
}

// The flags override the configuration file; --auth-psk turns auth on for
// every route but health and metrics.
func TestServeFlags(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "strata.yaml")
	if err := os.WriteFile(cfg, []byte("listen: 256.0.0.1:0\nupdates: {interval: 0}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--config", cfg, "--db", filepath.Join(t.TempDir(), "serve.db"), "--auth-psk", "c2VjcmV0")
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/api/v1/updates": 401, "/api/v1/openapi.json": 401} {
		if resp := call(t, "GET", base+path, nil, nil); resp.status != want {
			t.Errorf("GET %s without a token: status %d, want %d", path, resp.status, want)
		}
	}
}

func TestServeErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "extra"}, `serve takes no arguments, have ["extra"]`},
		{[]string{"serve", "--config", filepath.Join(dir, "missing.yaml")}, "missing.yaml: no such file or directory"},
		{[]string{"serve", "--auth-psk", "%%%"}, "--auth-psk: not base64"},
		{[]string{"serve", "--source", "gentoo=x"}, `unknown feed "gentoo"`},
		{[]string{"serve", "--db", filepath.Join(dir, "db"), "--listen", "256.0.0.1:0"}, "listen: "},
		{[]string{"serve", "--db", "postgres://127.0.0.1:1/strata?connect_timeout=5"}, "open store: postgres: open 127.0.0.1/strata"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			_, errOut, code := run(t, tt.args...)
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.want)
			}
		})
	}
}

// The real clairctl, pointed at strata serve, reports on an image in a
// local registry.
func TestClairctlReport(t *testing.T) {
	bin := clairctl(t)
	_, ref := drupalRegistry(t)
	base := startServe(t, append([]string{"--db", filepath.Join(t.TempDir(), "serve.db")}, debianLists...)...)
	waitForFeed(t, base, "debian")
	home := t.TempDir() // no clairctl config, no registry credentials
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "report", "--host", base+"/", ref)
	cmd.Dir, cmd.Env = home, append(os.Environ(), "HOME="+home, "DOCKER_CONFIG="+home)
	out, err := cmd.CombinedOutput()
	t.Logf("clairctl report --host %s/ %s:\n%s", base, ref, out)
	if err != nil {
		t.Fatalf("clairctl report: %v", err)
	}
	for _, want := range []string{"openssl", "DSA-4855-1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("clairctl report output lacks %q", want)
		}
	}
}
