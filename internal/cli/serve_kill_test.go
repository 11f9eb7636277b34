package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/testutil"
)

// What testdata/serve holds: the packages of buster-excerpt and their
// findings in DSA.excerpt.list.
var (
	excerptPackages = []string{
		"curl 7.64.0-4+deb10u1", "libcurl4 7.64.0-4+deb10u1",
		"libssl1.1 1.1.1d-0+deb10u4", "openssl 1.1.1d-0+deb10u4",
	}
	excerptFindings = []string{
		"curl DSA-4881-1", "libcurl4 DSA-4881-1", "libssl1.1 DSA-4855-1", "openssl DSA-4855-1",
	}
)

// A replica killed (SIGKILL) while it reads a layer leaves nothing behind:
// no index report, no layer reports, no lock; another replica on the same
// database indexes the image on the retry.
func TestServeKilledMidIndex(t *testing.T) {
	bin := strataBinary(t)
	for _, db := range serveDBs {
		t.Run(db.name, func(t *testing.T) {
			dbURL := db.open(t)
			layer := serveHangingLayer(t)
			m := httpapi.Manifest{Hash: strata.Digest("sha256:" + strings.Repeat("ab", 32)),
				Layers: []httpapi.ManifestLayer{{Hash: layer.blob, URI: layer.url}}}
			first := startProcess(t, bin, dbURL)
			posted := make(chan error, 1)
			go func() { posted <- postManifest(first.base, m) }()
			select {
			case <-layer.midway:
			case <-time.After(20 * time.Second):
				t.Fatal("the layer was not fetched within 20 s")
			}
			if strings.HasPrefix(dbURL, "postgres") { // SQLite's locks are the process's own
				checkLockHeld(t, dbURL, "layer:"+string(layer.blob))
			}
			first.kill(t)
			if err := <-posted; err == nil {
				t.Error("POST to the killed replica succeeded")
			}
			checkNothingLeft(t, dbURL, m.Hash, layer.blob)

			second := startProcess(t, bin, dbURL)
			if resp := call(t, "GET", second.base+"/indexer/api/v1/index_report/"+string(m.Hash), nil, nil); resp.status != http.StatusNotFound {
				t.Errorf("GET the index report after the kill: status %d, want 404", resp.status)
			}
			resp := call(t, "POST", second.base+"/indexer/api/v1/index_report", m, nil)
			if resp.status != http.StatusCreated {
				t.Fatalf("retry: status %d: %s", resp.status, resp.body)
			}
			var ir report.IndexReport
			resp.decode(t, &ir)
			waitForFeed(t, second.base, "debian")
			var vr report.VulnerabilityReport
			call(t, "GET", second.base+"/matcher/api/v1/vulnerability_report/"+string(m.Hash), nil, nil).decode(t, &vr)
			got := struct{ Packages, Findings []string }{testutil.ReportPackages(&ir), nil}
			for _, f := range findings(&vr) {
				got.Findings = append(got.Findings, f.Package+" "+f.Vulnerability)
			}
			want := struct{ Packages, Findings []string }{excerptPackages, excerptFindings}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("retry on another replica (-want +got):\n%s", diff)
			}
		})
	}
}

// checkNothingLeft opens the store at db and checks that it holds no index
// report of manifest, no diff_id of blob (recorded only once its layer's
// reports are stored), and that the layer's lock is free.
func checkNothingLeft(t *testing.T, db string, manifest, blob strata.Digest) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	st, err := openStore(ctx, storeLocation{db: db, namedBy: "--db"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.IndexReport(ctx, manifest); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IndexReport after the kill: %v, want ErrNotFound", err)
	}
	if d, err := st.LayerDiffID(ctx, blob); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LayerDiffID after the kill: %q, %v, want ErrNotFound", d, err)
	}
	unlock, err := st.Lock(ctx, "layer:"+string(blob))
	if err != nil {
		t.Fatalf("the killed replica's layer lock is not released: %v", err)
	}
	unlock()
}

// checkLockHeld checks that another process holds the lock key of the
// store at db.
func checkLockHeld(t *testing.T, db, key string) {
	t.Helper()
	st, err := openStore(t.Context(), storeLocation{db: db, namedBy: "--db"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	unlock, ok, err := st.TryLock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		unlock()
		t.Errorf("lock %s is free while the replica reads the layer", key)
	}
}

// hangingLayer is a layer blob whose first GET sends half its bytes and
// then hangs until the client goes away; later GETs send it whole.
type hangingLayer struct {
	url    string
	blob   strata.Digest
	midway chan struct{} // closed when the first GET has sent half
}

func serveHangingLayer(t *testing.T) *hangingLayer {
	t.Helper()
	tarball, err := testutil.DpkgLayer("testdata/serve/buster-excerpt")
	if err != nil {
		t.Fatal(err)
	}
	data := testutil.Gzipped(t, tarball)
	l := &hangingLayer{blob: strata.Digest(fmt.Sprintf("sha256:%x", sha256.Sum256(data))), midway: make(chan struct{})}
	first := make(chan struct{}, 1)
	first <- struct{}{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-first:
			w.Write(data[:len(data)/2])
			w.(http.Flusher).Flush()
			close(l.midway)
			<-r.Context().Done()
		default:
			w.Write(data)
		}
	}))
	t.Cleanup(hs.Close)
	l.url = hs.URL + "/blobs/" + string(l.blob)
	return l
}

// replica is a `strata serve` process.
type replica struct {
	cmd  *exec.Cmd
	base string
}

// startProcess runs `bin serve` on db, listening on a free port, until
// the test ends or it is killed.
func startProcess(t *testing.T, bin, db string) *replica {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--listen", "127.0.0.1:0",
		"--source", "debian=testdata/serve/DSA.excerpt.list")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd}
	t.Cleanup(func() { r.kill(t) })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "strata serve: listening on "); ok {
				addr <- strings.TrimSpace(u)
			}
		}
	}()
	select {
	case r.base = <-addr:
	case <-time.After(20 * time.Second):
		t.Fatal("strata serve: not listening after 20 s")
	}
	return r
}

// kill sends SIGKILL and waits for the process to end.
func (r *replica) kill(t *testing.T) {
	if r.cmd.ProcessState != nil {
		return
	}
	if err := r.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("kill strata serve: %v", err)
	}
	r.cmd.Wait()
}

// postManifest posts m to the replica at base and wants a 201.
func postManifest(base string, m httpapi.Manifest) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	resp, err := http.Post(base+"/indexer/api/v1/index_report", "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST index report: status %d", resp.StatusCode)
	}
	return nil
}

// strataBinary builds cmd/strata into a temporary directory; the test is
// skipped when there is no go command.
func strataBinary(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH: cannot build strata to run as a process")
	}
	bin := filepath.Join(t.TempDir(), "strata")
	cmd := exec.Command(goCmd, "build", "-o", bin, "./cmd/strata")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/strata: %v\n%s", err, out)
	}
	return bin
}
