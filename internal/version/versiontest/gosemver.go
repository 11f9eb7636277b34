package versiontest

import (
	"context"

	"golang.org/x/mod/semver"
)

// goSemver is golang.org/x/mod/semver, in process.
type goSemver struct{}

func (goSemver) Name() string { return "golang.org/x/mod/semver" }

func (goSemver) Strict() bool { return true }

func (goSemver) Compare(_ context.Context, pairs []Pair, _ []int) ([]int, error) {
	out := make([]int, len(pairs))
	for i, p := range pairs {
		if !semver.IsValid(p.A) || !semver.IsValid(p.B) {
			out[i] = Invalid
			continue
		}
		out[i] = semver.Compare(p.A, p.B)
	}
	return out, nil
}
