package versiontest

import (
	"context"
	"fmt"
	"os/exec"
)

// apkLoop answers "a<US>b" lines with apk version: -c checks that both
// are valid, -t compares them.
const apkLoop = `
while IFS=$'\x1f' read -r a b; do
	if ! apk version -c "$a" "$b" >/dev/null 2>&1; then echo E; continue; fi
	case $(apk version -t "$a" "$b") in '<') echo -1;; '=') echo 0;; '>') echo 1;; *) echo X;; esac
done
`

// apkTool is apk-tools' apk, found on Alpine; Debian does not package it.
type apkTool struct{}

func findAPK() (Oracle, error) {
	if _, err := exec.LookPath("apk"); err != nil {
		return nil, fmt.Errorf("%w: apk (apk-tools, which Debian does not package; TestFixtures checks apk-tools' own vectors instead)", ErrUnavailable)
	}
	return apkTool{}, nil
}

func (apkTool) Name() string { return "apk version -t" }

func (apkTool) Strict() bool { return true }

func (apkTool) Compare(ctx context.Context, pairs []Pair, _ []int) ([]int, error) {
	return lineTool{name: "apk", argv: []string{"bash", "-c", apkLoop}, parallel: true}.run(ctx, requestLines(pairs))
}
