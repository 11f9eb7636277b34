// Package versiontest checks package version's comparators against the
// ecosystems' reference tools: it generates random versions from each
// ecosystem's grammar and runs the reference tool (dpkg, rpm, the packaging
// library, node-semver, golang.org/x/mod/semver, Maven's
// ComparableVersion, apk) on many pairs at once. The tests of package
// version, the fixture generator (scripts/gen/versions) and the
// million-pair check (scripts/refcheck) use it.
package versiontest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-scan/strata"
)

// Pair is two versions to compare.
type Pair struct{ A, B string }

// Invalid is the answer for a pair in which the reference tool rejects a
// version.
const Invalid = 2

// ErrUnavailable is wrapped by Find when the reference tool of an
// ecosystem is not installed.
var ErrUnavailable = errors.New("reference tool not installed")

// Oracle is an ecosystem's reference tool.
type Oracle interface {
	// Name says which tool answers, with its version where known.
	Name() string
	// Compare answers -1, 0, +1 or Invalid for each pair. hints, when not
	// nil, are the expected answers: a tool that can only answer yes or
	// no (dpkg) checks them first and asks further only when one is wrong.
	Compare(ctx context.Context, pairs []Pair, hints []int) ([]int, error)
	// Strict reports whether the tool rejects the versions the comparator
	// rejects, so that an Invalid answer must match the comparator's
	// error. rpm and Maven accept any string.
	Strict() bool
}

// Find returns the reference tool of an ecosystem, or an error wrapping
// ErrUnavailable that says what to install.
func Find(eco strata.Ecosystem) (Oracle, error) {
	switch eco {
	case strata.Deb:
		return findDpkg()
	case strata.RPM:
		return findRPM()
	case strata.PyPI:
		return findPackaging()
	case strata.NPM:
		return findNodeSemver()
	case strata.Go:
		return goSemver{}, nil
	case strata.Maven:
		return findMaven()
	case strata.APK:
		return findAPK()
	}
	return nil, fmt.Errorf("versiontest: no reference tool for ecosystem %q", eco)
}

// RefDir is where scripts/install-reference-tools.sh puts the reference
// tools that Debian does not package (node-semver):
// $STRATA_REF_DIR, else $HOME/.cache/strata-ref.
func RefDir() string {
	if d := os.Getenv("STRATA_REF_DIR"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "strata-ref")
	}
	return filepath.Join(home, ".cache", "strata-ref")
}

// unavailable says that a tool that scripts/install-reference-tools.sh
// installs is missing.
func unavailable(what string) error {
	return fmt.Errorf("%w: %s (scripts/install-reference-tools.sh installs it)", ErrUnavailable, what)
}
