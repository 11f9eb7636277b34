package versiontest

import (
	"context"
	"strings"

	"golang.org/x/mod/semver"
)

// goSemver is golang.org/x/mod/semver, in process. strata reads a Go
// version without its "v" (as OSV writes them) as if it had one, so the
// reference is given the "v" too.
type goSemver struct{}

func (goSemver) Name() string { return "golang.org/x/mod/semver" }

func (goSemver) Strict() bool { return true }

func (goSemver) Compare(_ context.Context, pairs []Pair, _ []int) ([]int, error) {
	out := make([]int, len(pairs))
	for i, p := range pairs {
		a, b := withV(p.A), withV(p.B)
		if !semver.IsValid(a) || !semver.IsValid(b) {
			out[i] = Invalid
			continue
		}
		out[i] = semver.Compare(a, b)
	}
	return out, nil
}

func withV(s string) string {
	if strings.HasPrefix(s, "v") {
		return s
	}
	return "v" + s
}
