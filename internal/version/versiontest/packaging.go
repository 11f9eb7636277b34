package versiontest

import (
	"context"
	"os/exec"
	"strings"
)

// packagingPy answers "a<US>b" lines with packaging.version.Version.
const packagingPy = `
import sys
from packaging.version import Version, InvalidVersion
out = []
for line in sys.stdin:
    a, b = line.rstrip("\n").split("\x1f")
    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        out.append("E")
        continue
    out.append("-1" if va < vb else "1" if va > vb else "0")
sys.stdout.write("\n".join(out) + ("\n" if out else ""))
`

// debianPython is Debian's interpreter, which python3-packaging serves
// (python3 on PATH may be another one).
const debianPython = "/usr/bin/python3"

type packaging struct{ version string }

func findPackaging() (Oracle, error) {
	out, err := exec.Command(debianPython, "-c", "import packaging; print(packaging.__version__)").Output()
	if err != nil {
		return nil, unavailable("packaging for " + debianPython + " (Debian package python3-packaging)")
	}
	return packaging{version: strings.TrimSpace(string(out))}, nil
}

func (p packaging) Name() string { return "packaging.version.Version (packaging " + p.version + ")" }

func (packaging) Strict() bool { return true }

func (packaging) Compare(ctx context.Context, pairs []Pair, _ []int) ([]int, error) {
	return lineTool{name: "packaging", argv: []string{debianPython, "-c", packagingPy}}.run(ctx, requestLines(pairs))
}
