package versiontest

import (
	"context"
	"os/exec"
	"strings"
)

// rpmLua answers "a<US>b" lines with rpm.vercmp, which splits each
// version into epoch, version and release as rpm does and compares them.
const rpmLua = `%{lua:
for line in io.lines() do
  local t = line:find("\x1f", 1, true)
  local ok, c = pcall(rpm.vercmp, line:sub(1, t - 1), line:sub(t + 1))
  io.write(ok and tostring(c) or "E", "\n")
end
}`

type rpmTool struct{ version string }

func findRPM() (Oracle, error) {
	out, err := exec.Command("rpm", "--version").Output()
	if err != nil {
		return nil, unavailable("rpm (Debian package rpm)")
	}
	return rpmTool{version: strings.TrimPrefix(strings.TrimSpace(string(out)), "RPM version ")}, nil
}

func (r rpmTool) Name() string { return "rpm.vercmp (rpm " + r.version + ")" }

func (rpmTool) Strict() bool { return false }

func (rpmTool) Compare(ctx context.Context, pairs []Pair, _ []int) ([]int, error) {
	return lineTool{name: "rpm", argv: []string{"rpm", "--eval", rpmLua}}.run(ctx, requestLines(pairs))
}
