package webhook

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// crashDB names the store of the notifier process TestCrash kills.
const crashDB = "STRATA_TEST_CRASH_DB"

// TestCrashNotifier is the notifier process of TestCrash: it records the
// notifications of the store's diffs, says so, and hangs before
// delivering them.
func TestCrashNotifier(t *testing.T) {
	db := os.Getenv(crashDB)
	if db == "" {
		t.Skip("run by TestCrash only")
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := (&notify.Notifier{Store: st, Index: st}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("recorded %d\n", sum.Notifications())
	time.Sleep(time.Minute) // killed here, before delivering
}

// TestCrash kills the notifier between recording and delivering: after a
// restart every notification is delivered, once acknowledged never again,
// and none is recorded twice.
func TestCrash(t *testing.T) {
	ctx := t.Context()
	db := filepath.Join(t.TempDir(), "strata.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seedDiffs(t, st)

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashNotifier$", "-test.v")
	cmd.Env = append(os.Environ(), crashDB+"="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "recorded 1" {
	}
	if sc.Text() != "recorded 1" {
		t.Fatalf("the notifier process ended without recording: %v", sc.Err())
	}
	cmd.Process.Kill()
	cmd.Wait()

	// The restarted notifier finds nothing new to record, and delivers.
	sum, err := (&notify.Notifier{Store: st, Index: st}).Run(ctx)
	if err != nil || sum.Diffs != 0 {
		t.Fatalf("after the restart: %+v, %v; want no diff processed again", sum, err)
	}
	rc := &receiver{}
	rc.onAccept = func(b Body) { ackDiff(t, st, b.NotificationID) }
	srv := httptest.NewServer(rc)
	defer srv.Close()
	d := deliverer(srv, 4, new([]time.Duration))
	for _, want := range []int{1, 0} {
		if got, err := notify.Dispatch(ctx, st, d, notify.Delivery{Summary: notify.PerImage}); err != nil || got != want {
			t.Errorf("Dispatch = %d, %v; want %d", got, err, want)
		}
	}
	if len(rc.bodies) != 1 || rc.bodies[0].NotificationID != "2" {
		t.Errorf("delivered %v; want the notification of diff 2, once", rc.bodies)
	}
}

// seedDiffs indexes an image and stores a baseline diff and one that
// adds a record affecting it.
func seedDiffs(t *testing.T, st store.Store) {
	ctx := t.Context()
	r := &strata.IndexReport{
		ManifestDigest: "sha256:0000000000000000000000000000000000000000000000000000000000000001",
		Distribution:   &strata.Distribution{ID: "debian", VersionID: "12"},
		Packages:       []strata.Package{{Name: "openssl", Version: "3.0.15-1", Eco: strata.Deb}},
	}
	if err := st.PutIndexReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	rec := func(id string) strata.Vulnerability {
		return strata.Vulnerability{ID: id, Eco: strata.Deb, Release: "debian:12", Package: "openssl", SourcePackage: true,
			Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "3.0.16-1"}}}}, State: strata.Fixed}
	}
	for i, vs := range [][]strata.Vulnerability{{rec("CVE-1")}, {rec("CVE-1"), rec("CVE-2")}} {
		if _, err := st.ReplaceVulnerabilities(ctx, "debian", fmt.Sprint(i), vs); err != nil {
			t.Fatal(err)
		}
	}
}
