package versiontest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
)

// nodeSemverJS answers "a<US>b" lines with node-semver's compare; the
// first argument is the semver package's directory.
const nodeSemverJS = `
const semver = require(process.argv[1]);
const lines = require("fs").readFileSync(0, "utf8").split("\n");
lines.pop();
const out = lines.map((line) => {
  const [a, b] = line.split("\x1f");
  if (semver.valid(a) === null || semver.valid(b) === null) return "E";
  return String(semver.compare(a, b));
});
process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
`

type nodeSemver struct{ dir, version string }

func findNodeSemver() (Oracle, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return nil, unavailable("node (Debian package nodejs)")
	}
	dir := filepath.Join(RefDir(), "node_modules", "semver")
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, unavailable("node-semver in " + dir)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, unavailable("a readable node-semver in " + dir)
	}
	return nodeSemver{dir: dir, version: pkg.Version}, nil
}

func (n nodeSemver) Name() string { return "node-semver " + n.version + " compare" }

func (nodeSemver) Strict() bool { return true }

func (n nodeSemver) Compare(ctx context.Context, pairs []Pair, _ []int) ([]int, error) {
	return lineTool{name: "node-semver", argv: []string{"node", "-e", nodeSemverJS, n.dir}}.run(ctx, requestLines(pairs))
}
