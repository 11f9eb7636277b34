package versiontest

import (
	"context"
	"fmt"

	"github.com/strata-scan/strata/internal/version"
)

// Report is the outcome of checking a comparator against a reference tool.
type Report struct {
	Pairs int
	// Rejected counts the pairs that only the comparator rejects, where
	// the tool accepts every string (rpm, Maven).
	Rejected int
	// Disagreements counts the others where the two differ; Examples
	// holds the first few.
	Disagreements int
	Examples      []string
}

// maxExamples bounds Report.Examples.
const maxExamples = 20

// Answer is what a comparator answers for a pair, Invalid for an error.
func Answer(c version.Comparator, p Pair) int {
	n, err := c.Compare(p.A, p.B)
	if err != nil {
		return Invalid
	}
	return n
}

// Check compares the comparator with the tool on every pair.
func Check(ctx context.Context, c version.Comparator, o Oracle, pairs []Pair) (Report, error) {
	ours := make([]int, len(pairs))
	for i, p := range pairs {
		ours[i] = Answer(c, p)
	}
	theirs, err := o.Compare(ctx, pairs, ours)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Pairs: len(pairs)}
	for i, p := range pairs {
		switch {
		case ours[i] == theirs[i]:
		case ours[i] == Invalid && !o.Strict():
			rep.Rejected++
		default:
			rep.Disagreements++
			if len(rep.Examples) < maxExamples {
				rep.Examples = append(rep.Examples, fmt.Sprintf("%q vs %q: strata %s, %s %s", p.A, p.B, word(ours[i]), o.Name(), word(theirs[i])))
			}
		}
	}
	return rep, nil
}

// Add accumulates another report into r.
func (r *Report) Add(o Report) {
	r.Pairs += o.Pairs
	r.Rejected += o.Rejected
	r.Disagreements += o.Disagreements
	r.Examples = append(r.Examples, o.Examples[:min(len(o.Examples), maxExamples-min(len(r.Examples), maxExamples))]...)
}

func word(n int) string {
	if n == Invalid {
		return "invalid"
	}
	return Ops[n]
}
