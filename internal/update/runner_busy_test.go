package update

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// While another replica of the store holds a feed's lock, a run of that
// feed fetches nothing and says it was busy; once released, it runs.
func TestRunnerBusy(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "strata.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := sqlite.Open(ctx, path) // the other replica
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var body atomic.Value
	var served atomic.Int32
	body.Store("CVE-1 bash 5.2-2\n")
	srv := feedServer(t, &body, &served)
	u := lines{sources: []string{srv.URL + "/feed"}}
	r := &Runner{Store: st, Client: srv.Client()}

	unlock, ok, err := other.TryLock(ctx, "updater:lines")
	if err != nil || !ok {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	type result struct {
		Busy, Unchanged bool
		Records         int
		Served          int32
	}
	var got []result
	for _, release := range []bool{true, false} {
		out, err := r.Run(ctx, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, result{out.Busy, out.Unchanged, out.Records, served.Load()})
		if release {
			unlock()
		}
	}
	want := []result{{true, true, 0, 0}, {false, false, 1, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("runs while locked, then released (-want +got):\n%s", diff)
	}
}
