package update

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// deltas is a toy incremental feed: each Changes call returns the next of
// its scripted answers and records the cursor it was given.
type deltas struct {
	lines
	answers []*Changes
	err     error
	cursors *[]string
}

func (d *deltas) Changes(_ context.Context, _ *http.Client, cursor string) (*Changes, error) {
	*d.cursors = append(*d.cursors, cursor)
	if d.err != nil {
		return nil, d.err
	}
	ch := d.answers[0]
	d.answers = d.answers[1:]
	return ch, nil
}

func rec(id, pkg, fixed string) strata.Vulnerability {
	return strata.Vulnerability{ID: id, Package: pkg, FixedVersion: fixed, Eco: strata.Deb, Release: "debian:12", State: strata.Fixed}
}

func TestRunnerIncremental(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var cursors []string
	u := &deltas{cursors: &cursors, answers: []*Changes{
		{Full: true, Cursor: "t1", Records: []strata.Vulnerability{rec("CVE-1", "bash", "5.2-2"), rec("CVE-2", "curl", "7.88-1"), rec("CVE-2", "libcurl", "7.88-1")}},
		// CVE-2 now names curl only; CVE-1 is withdrawn; CVE-3 is new.
		{Cursor: "t2", IDs: []string{"CVE-1", "CVE-2", "CVE-3"}, Records: []strata.Vulnerability{rec("CVE-2", "curl", "7.88-2"), rec("CVE-3", "zlib", "1.2-3")}},
		{Cursor: "t3"}, // nothing changed
		{Full: true, Cursor: "t4", Records: []strata.Vulnerability{rec("CVE-9", "bash", "5.2-3")}},
	}}
	r := &Runner{Store: st}
	all := []string{"bash", "curl", "libcurl", "zlib"}

	out, err := r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Records != 3 || len(out.Diff.Added) != 3 {
		t.Errorf("full run: %+v", out)
	}
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"CVE-2", "CVE-3"}, ids(t, st, all...)); diff != "" {
		t.Errorf("after the changes (-want +got):\n%s", diff)
	}
	got, err := st.Vulnerabilities(ctx, strata.Deb, "debian:12", []string{"curl"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].FixedVersion != "7.88-2" {
		t.Errorf("changed record: %+v, want curl fixed in 7.88-2", got)
	}
	var added, removed []string
	for _, v := range out.Diff.Added {
		added = append(added, v.ID+" "+v.Package)
	}
	for _, v := range out.Diff.Removed {
		removed = append(removed, v.ID+" "+v.Package)
	}
	if diff := cmp.Diff([]string{"CVE-2 curl", "CVE-3 zlib"}, added); diff != "" {
		t.Errorf("incremental diff added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CVE-1 bash", "CVE-2 curl", "CVE-2 libcurl"}, removed); diff != "" {
		t.Errorf("incremental diff removed (-want +got):\n%s", diff)
	}

	// No change: unchanged, and the cursor is not advanced.
	if out, err = r.Run(ctx, u, nil); err != nil || !out.Unchanged || out.Records != 2 {
		t.Errorf("no changes: %+v, %v; want unchanged with 2 records", out, err)
	}
	// A failure keeps the data and is recorded.
	u.err = errors.New("upstream said 500")
	if _, err = r.Run(ctx, u, nil); err == nil || err.Error() != "update lines: upstream said 500" {
		t.Errorf("failed changes: error = %v", err)
	}
	if diff := cmp.Diff([]string{"CVE-2", "CVE-3"}, ids(t, st, all...)); diff != "" {
		t.Errorf("after a failed run (-want +got):\n%s", diff)
	}
	u.err = nil
	// Named locations are read whole through Parse; the next incremental
	// run starts over with no cursor.
	f := filepath.Join(t.TempDir(), "feed")
	testutil.WriteFile(t, f, []byte("DSA-1 openssl 3.0.11-1\n"))
	if _, err = r.Run(ctx, u, []string{f}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"DSA-1"}, ids(t, st, "openssl", "bash", "curl")); diff != "" {
		t.Errorf("from a file (-want +got):\n%s", diff)
	}
	if _, err = r.Run(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"", "t1", "t2", "t2", ""}, cursors); diff != "" {
		t.Errorf("cursors given (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CVE-9"}, ids(t, st, "openssl", "bash")); diff != "" {
		t.Errorf("full run after a file (-want +got):\n%s", diff)
	}
	status, err := st.UpdaterStatus(ctx, "lines")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(status.Fingerprint, "\tt4") {
		t.Errorf("stored fingerprint %q does not hold the cursor t4", status.Fingerprint)
	}
}
