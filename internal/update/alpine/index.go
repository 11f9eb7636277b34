package alpine

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update"
)

// maxIndex bounds the index page; the real one is a few KiB.
const maxIndex = 1 << 20

var (
	// hrefRE finds the links of the index page, an nginx directory
	// listing: `<a href="v3.20/">v3.20/</a>   22-May-2024 10:00   -`.
	hrefRE = regexp.MustCompile(`(?i)<a\s[^>]*href\s*=\s*"([^"]*)"`)
	// releaseDir is a release's folder: vMAJOR.MINOR/ or edge/. The
	// listing's other links (../, last-update, license.txt) are not.
	releaseDir = regexp.MustCompile(`^(?:v(\d+)\.(\d+)|edge)/$`)
)

// release is a release folder of the index.
type release struct {
	dir          string // "v3.20/", "edge/"
	major, minor int
	edge         bool
}

// community says whether the release has a community repository: every
// one from 3.3 on (the repository was created for Alpine 3.3).
func (r release) community() bool { return r.edge || r.major > 3 || r.major == 3 && r.minor >= 3 }

// Discover reads the secdb index and returns, for each release it lists,
// from the oldest to edge, the URLs of its main.json and community.json
// (main.json only before v3.3), then the rolling distributions'
// documents. So a release is read from the day it appears in the index.
func (u Updater) Discover(ctx context.Context, client *http.Client) ([]string, error) {
	base := u.index()
	resp, err := update.Get(ctx, client, base, nil)
	if err != nil {
		return nil, fmt.Errorf("alpine: release index: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxIndex+1))
	if err == nil && len(b) > maxIndex {
		err = fmt.Errorf("larger than %d bytes", maxIndex)
	}
	var rels []release
	if err == nil {
		rels, err = parseIndex(b)
	}
	if err != nil {
		return nil, fmt.Errorf("alpine: release index %s: %w", base, err)
	}
	var locs []string
	for _, r := range rels {
		locs = append(locs, base+r.dir+"main.json")
		if r.community() {
			locs = append(locs, base+r.dir+"community.json")
		}
	}
	return append(locs, u.rolling()...), nil
}

// parseIndex returns the release folders an index page links to, oldest
// first and edge last. A page that lists none, or is cut before its
// closing </html> tag (a release missing from the list would have its
// records removed), is an error.
func parseIndex(page []byte) ([]release, error) {
	if !bytes.Contains(bytes.ToLower(page), []byte("</html>")) {
		return nil, errors.New("the page ends before </html> (is it truncated?)")
	}
	var rels []release
	for _, m := range hrefRE.FindAllSubmatch(page, -1) {
		dir := string(m[1])
		d := releaseDir.FindStringSubmatch(dir)
		if d == nil || slices.ContainsFunc(rels, func(r release) bool { return r.dir == dir }) {
			continue
		}
		r := release{dir: dir, edge: d[1] == ""}
		if !r.edge {
			var errMajor, errMinor error
			r.major, errMajor = strconv.Atoi(d[1])
			r.minor, errMinor = strconv.Atoi(d[2])
			if err := errors.Join(errMajor, errMinor); err != nil {
				return nil, fmt.Errorf("release %s: %w", excerpt.ID(dir), err)
			}
		}
		rels = append(rels, r)
	}
	if len(rels) == 0 {
		return nil, errors.New("it lists no release folder (vMAJOR.MINOR/ or edge/)")
	}
	slices.SortFunc(rels, func(a, b release) int {
		if a.edge != b.edge {
			if a.edge {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.major, b.major), cmp.Compare(a.minor, b.minor))
	})
	return rels, nil
}
