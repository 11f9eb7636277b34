package index_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/testutil"
)

// A layer whose package database lists more packages than the limit is
// refused, naming the layer, the scanner, the file and the limit; at the
// limit it is indexed.
func TestMaxPackages(t *testing.T) {
	status := func(n int) []byte {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Package: p%d\nStatus: install ok installed\nVersion: 1.0\n\n", i)
		}
		return []byte(b.String())
	}
	for _, tc := range []struct {
		packages int
		wantErr  string // after "image DIR: layer 1 of 1: layer DIFFID: "
	}{
		{packages: 100},
		{packages: 101, wantErr: "scanner dpkg: dpkg: var/lib/dpkg/status: 101 packages, more than the limit of 100 packages per layer (a real database lists a few thousand)"},
	} {
		t.Run(fmt.Sprint(tc.packages), func(t *testing.T) {
			ix, _ := newIndexer(t)
			ix.Limits.MaxPackages = 100
			l := layerOf(t, testutil.Gzip, testutil.Entry{Path: "var/lib/dpkg/status", Body: status(tc.packages)})
			dir := ociLayout(t, l)
			im, err := image.Open(context.Background(), dir, image.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			r, err := ix.Index(context.Background(), im)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Packages) != tc.packages {
					t.Errorf("%d packages, want %d", len(r.Packages), tc.packages)
				}
				return
			}
			diffID, derr := l.DiffID()
			if derr != nil {
				t.Fatal(derr)
			}
			want := fmt.Sprintf("image %s: layer 1 of 1: layer %s: %s", dir, diffID, tc.wantErr)
			if err == nil || err.Error() != want {
				t.Errorf("error = %v\nwant %s", err, want)
			}
		})
	}
}

// A symbolic link loop in a lower layer, at a path an upper layer fills
// with a regular file, is skipped with a warning: the image's
// distribution is the upper layer's.
func TestLinkLoopInLowerLayer(t *testing.T) {
	var log bytes.Buffer
	ix, _ := newIndexer(t)
	ix.Log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	lower := layerOf(t, testutil.Gzip, testutil.Entry{Path: "etc/os-release", Link: "../etc/os-release"})
	dir := ociLayout(t, lower, layerOf(t, testutil.Gzip, osRelease))
	r := indexImage(t, ix, dir, image.Options{})
	want := &strata.Distribution{ID: "debian", VersionID: "12"}
	if diff := cmp.Diff(want, r.Distribution); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}
	diffID, err := lower.DiffID()
	if err != nil {
		t.Fatal(err)
	}
	wantLog := fmt.Sprintf(`level=WARN msg="link skipped: it cannot be resolved in its layer (a loop); scanners see no file there" layer=%s path=etc/os-release`+"\n", diffID)
	if log.String() != wantLog {
		t.Errorf("log = %q\nwant %q", log.String(), wantLog)
	}
}
