package versiontest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// lineTool is a program that reads one request a line on standard input
// and answers one line each: -1, 0, 1 or E (invalid).
type lineTool struct {
	name string
	argv []string
	// parallel is set for a tool that runs a process per request (dpkg),
	// which is worth one process per CPU; the others take one process.
	parallel bool
}

// run splits the lines among the tool's processes and gathers the answers
// in order.
func (t lineTool) run(ctx context.Context, lines []string) ([]int, error) {
	workers := 1
	if t.parallel {
		workers = min(runtime.NumCPU(), max(1, len(lines)/64))
	}
	out := make([]int, len(lines))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(lines)/workers, (w+1)*len(lines)/workers
		wg.Go(func() { errs[w] = t.runShard(ctx, lines[lo:hi], out[lo:hi]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t lineTool) runShard(ctx context.Context, lines []string, out []int) error {
	cmd := exec.CommandContext(ctx, t.argv[0], t.argv[1:]...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", t.name, err, firstLine(stderr.String()))
	}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	n := 0
	for ; sc.Scan() && n < len(out); n++ {
		if out[n], err = parseAnswer(sc.Text()); err != nil {
			return fmt.Errorf("%s: answer %d to %q: %w", t.name, n+1, lines[n], err)
		}
	}
	if n != len(out) {
		return fmt.Errorf("%s: %d answers to %d requests: %s", t.name, n, len(out), firstLine(stderr.String()))
	}
	return nil
}

func parseAnswer(s string) (int, error) {
	if s == "E" {
		return Invalid, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 || n > 1 {
		return 0, fmt.Errorf("want -1, 0, 1 or E, have %q", s)
	}
	return n, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// sep separates the fields of a request line: ASCII's unit separator,
// which no version that Pairs makes holds.
const sep = "\x1f"

// requestLines joins each pair's versions with sep.
func requestLines(pairs []Pair) []string {
	lines := make([]string, len(pairs))
	for i, p := range pairs {
		lines[i] = p.A + sep + p.B
	}
	return lines
}
