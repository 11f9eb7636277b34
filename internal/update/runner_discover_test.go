package update

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// listed is the toy feed lines, whose locations an index lists.
type listed struct {
	lines
	locs []string
}

func (l listed) Discover(context.Context, *http.Client) ([]string, error) { return l.locs, nil }

// A location an index lists may hold no record, but not all of them.
func TestRunnerDiscovered(t *testing.T) {
	dir := t.TempDir()
	empty, full := filepath.Join(dir, "empty"), filepath.Join(dir, "full")
	testutil.WriteFile(t, empty, nil)
	testutil.WriteFile(t, full, []byte("CVE-1 bash 5.2-2\n"))
	r := &Runner{Store: openStore(t)}
	out, err := r.Run(context.Background(), listed{locs: []string{empty, full}}, nil)
	if err != nil || out.Records != 1 {
		t.Errorf("one empty location: %+v, %v; want 1 record", out, err)
	}
	testutil.WriteFile(t, empty+"2", nil)
	_, err = r.Run(context.Background(), listed{locs: []string{empty, empty + "2"}}, nil)
	if want := "update lines: its 2 locations hold no lines records"; err == nil || err.Error() != want {
		t.Errorf("all empty: error %v, want %s", err, want)
	}
	// Named locations are read as ever: an empty one is refused.
	_, err = (&Runner{Store: openStore(t)}).Run(context.Background(), listed{}, []string{empty, full})
	if want := "update lines: " + empty + ": no records of the lines feed found in it"; err == nil || err.Error() != want {
		t.Errorf("named empty location: error %v, want %s", err, want)
	}
}
