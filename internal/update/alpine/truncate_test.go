package alpine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
)

// cutsPerFile is how many cut points TestTruncatedYAML and
// TestTruncatedJSON try in each real file.
const cutsPerFile = 50

// cuts returns n cut points in (0, size), the same on every run.
func cuts(name string, size, n int) []int {
	seed := uint64(len(name))
	for _, c := range name {
		seed = seed*31 + uint64(c)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]int, n)
	for i := range out {
		out[i] = 1 + r.IntN(size-1)
	}
	return out
}

// wholeLine is the last line of a YAML document cut at the end of a line
// that a whole shorter document may end with: an id of a list, a
// comment, or "packages:" (v3.3/community.yaml is nothing more).
var wholeLine = regexp.MustCompile(`^(?: {6,}- \S.*|#.*|packages:)$`)

// TestTruncatedYAML cuts every real YAML file at cutsPerFile points. A
// cut inside a line, or at the end of any line but those of wholeLine,
// must fail: the document then ends without a newline, before its
// packages key, in a package without a name or secfixes, or with a fixed
// version without ids. A cut after a line of wholeLine leaves a valid
// shorter document, which no check can tell from a real one: it must
// load, with no more records. Of the 900 cuts, 883 fail and 17 leave such
// a document (before the checks, 716 loaded). Of all the 480,699 cut
// points of the 18 files, 12,083 (2.5 %) leave one: 12,004 after an id,
// 62 after a comment, 17 after "packages:".
func TestTruncatedYAML(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(yamlDir, "*", "*.yaml"))
	if len(files) == 0 {
		t.Skipf("%s not present (shared data absent)", yamlDir)
	}
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler))
	total, failed, whole := 0, 0, 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		all := parse(t, name, b)
		for _, n := range cuts(name, len(b), cutsPerFile) {
			total++
			cut := b[:n]
			vs, err := parseValid(name, cut)
			lines := strings.Split(string(cut), "\n")
			if cut[n-1] == '\n' && wholeLine.MatchString(lines[len(lines)-2]) {
				whole++
				if err != nil || len(vs) > len(all) {
					t.Errorf("%s cut at %d after %q: %d records, %v; want a valid shorter document", name, n, lines[len(lines)-2], len(vs), err)
				}
				continue
			}
			failed++
			if err == nil {
				t.Errorf("%s cut at %d (%q): %d records, no error", name, n, cut[max(0, n-40):], len(vs))
			} else if !strings.HasPrefix(err.Error(), "alpine: parse "+name+": ") {
				t.Errorf("%s cut at %d: error %q does not name the document", name, n, err)
			}
		}
	}
	if total != 900 || failed != 883 || whole != 17 {
		t.Errorf("%d cuts, %d failed, %d valid shorter documents; want 900, 883, 17", total, failed, whole)
	}
}

// TestTruncatedJSON cuts the real JSON documents at cutsPerFile points
// before their end: each cut fails with the offset where the input ends.
func TestTruncatedJSON(t *testing.T) {
	for _, name := range []string{"v3.10-community.json", "wolfi-security.json", "chainguard-security.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		end := bytes.LastIndexByte(b, '}') // a cut after it leaves the whole value
		for _, n := range cuts(name, end+1, cutsPerFile) {
			_, err := Updater{}.Parse(context.Background(), name, bytes.NewReader(b[:n]))
			prefix := fmt.Sprintf("alpine: parse %s: offset %d: ", name, n)
			if err == nil || !strings.HasPrefix(err.Error(), prefix) || !strings.HasSuffix(err.Error(), "unexpected EOF") {
				t.Errorf("cut at %d: error %v, want %q…unexpected EOF", n, err, prefix)
			}
		}
	}
}

// parse parses a whole document, which must load.
func parse(t *testing.T, name string, b []byte) []strata.Vulnerability {
	t.Helper()
	vs, err := parseValid(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// parseValid parses a document, taking a valid one that lists no
// package (an update.EmptyDocument, as v3.3/community.yaml and a cut
// after "packages:") for one without records.
func parseValid(name string, b []byte) ([]strata.Vulnerability, error) {
	vs, err := Updater{}.Parse(context.Background(), name, bytes.NewReader(b))
	if sk := (*update.Skipped)(nil); errors.As(err, &sk) && cmp.Equal(sk, update.EmptyDocument(name, "lists no package")) {
		return nil, nil
	}
	return vs, err
}
