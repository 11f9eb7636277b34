package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

// regenerate rewrites one ecosystem's fixture file.
func regenerate(ctx context.Context, dir string, eco strata.Ecosystem, n int, seed uint64) error {
	o, err := versiontest.Find(eco)
	if err != nil {
		return err
	}
	c, err := version.For(eco)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, versiontest.FixtureFile(eco))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	head, _, _ := strings.Cut(string(b), "\n"+versiontest.GeneratedMarker)
	picked, err := redecide(ctx, o, strings.Split(strings.TrimRight(head, "\n"), "\n"), path)
	if err != nil {
		return err
	}
	generated, err := generate(ctx, eco, c, o, n, seed)
	if err != nil {
		return err
	}
	var out strings.Builder
	for _, line := range picked {
		out.WriteString(line + "\n")
	}
	fmt.Fprintf(&out, "%s by scripts/gen/versions from %s (seed %d); do not edit below.\n", versiontest.GeneratedMarker, o.Name(), seed)
	for _, cs := range generated {
		out.WriteString(cs.String() + "\n")
	}
	slog.Info("wrote fixture", "path", path, "hand-picked", len(picked), "generated", len(generated))
	return os.WriteFile(path, []byte(out.String()), 0o644)
}

// redecide asks the tool about every hand-picked case and rewrites its
// line with the tool's answer, warning where the file said otherwise.
// A validity case is asked as the pair (v, v); the answers of a tool that
// accepts every string leave them as they are.
func redecide(ctx context.Context, o versiontest.Oracle, lines []string, path string) ([]string, error) {
	var cases []versiontest.Case
	var pairs []versiontest.Pair
	for i, line := range lines {
		cs, ok, err := versiontest.ParseCase(i+1, line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !ok || cs.B == "" && !o.Strict() {
			continue
		}
		b := cs.B
		if b == "" {
			b = cs.A
		}
		cases = append(cases, cs)
		pairs = append(pairs, versiontest.Pair{A: cs.A, B: b})
	}
	answers, err := o.Compare(ctx, pairs, nil)
	if err != nil {
		return nil, err
	}
	for i, cs := range cases {
		got, err := decided(cs, answers[i])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, cs.Line, err)
		}
		if got.Want != cs.Want {
			slog.Warn("hand-picked case re-decided", "file", path, "line", cs.Line, "was", cs.String(), "now", got.String())
		}
		lines[cs.Line-1] = got.String()
	}
	return lines, nil
}

// decided is the case as the tool's answer decides it.
func decided(cs versiontest.Case, answer int) (versiontest.Case, error) {
	switch {
	case cs.B == "" && answer == versiontest.Invalid:
		cs.Want = versiontest.Invalid
	case cs.B == "":
		cs.Want = 0
	case answer == versiontest.Invalid:
		return cs, fmt.Errorf("%s: the reference tool rejects a version", cs)
	default:
		cs.Want = answer
	}
	return cs, nil
}

// generate makes n distinct random cases that the tool and the comparator
// both accept, ordered by the tool.
func generate(ctx context.Context, eco strata.Ecosystem, c version.Comparator, o versiontest.Oracle, n int, seed uint64) ([]versiontest.Case, error) {
	pairs, err := versiontest.Pairs(eco, rand.New(rand.NewPCG(seed, 0)), 4*n)
	if err != nil {
		return nil, err
	}
	answers, err := o.Compare(ctx, pairs, nil)
	if err != nil {
		return nil, err
	}
	seen := map[versiontest.Pair]bool{}
	var out []versiontest.Case
	for i, p := range pairs {
		if len(out) == n {
			break
		}
		if answers[i] == versiontest.Invalid || versiontest.Answer(c, p) == versiontest.Invalid || seen[p] ||
			strings.ContainsAny(p.A+p.B, " \t#") {
			continue
		}
		seen[p] = true
		out = append(out, versiontest.Case{A: p.A, B: p.B, Want: answers[i]})
	}
	if len(out) < n {
		return nil, fmt.Errorf("only %d usable pairs of %d", len(out), len(pairs))
	}
	return out, nil
}
