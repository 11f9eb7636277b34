package versiontest

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
)

// dpkgLoop answers "a<US>b<US>hint" lines with dpkg --compare-versions,
// one dpkg run per pair when the hint is right. dpkg's warnings (a version
// it accepts but Debian policy does not) count as invalid, as do its
// errors (exit status 2).
const dpkgLoop = `
err=$(mktemp); trap 'rm -f "$err"' EXIT
cmpv() { dpkg --compare-versions -- "$1" "$2" "$3" 2>"$err"; rc=$?; [ -s "$err" ] && rc=2; return $rc; }
while IFS=$'\x1f' read -r a b h; do
	case $h in -1) op=lt;; 0) op=eq;; *) op=gt;; esac
	cmpv "$a" $op "$b"; rc=$?
	if [ $rc = 0 ]; then echo "$h"; continue; fi
	if [ $rc != 1 ]; then echo E; continue; fi
	if cmpv "$a" lt "$b"; then echo -1; elif cmpv "$a" eq "$b"; then echo 0; else echo 1; fi
done
`

type dpkg struct{ version string }

func findDpkg() (Oracle, error) {
	out, err := exec.Command("dpkg", "--version").Output()
	if err != nil {
		return nil, unavailable("dpkg")
	}
	fields := strings.Fields(firstLine(string(out)))
	v := ""
	if len(fields) > 0 {
		v = fields[len(fields)-2]
	}
	return dpkg{version: v}, nil
}

func (d dpkg) Name() string { return "dpkg --compare-versions (dpkg " + d.version + ")" }

func (dpkg) Strict() bool { return true }

func (dpkg) Compare(ctx context.Context, pairs []Pair, hints []int) ([]int, error) {
	lines := requestLines(pairs)
	for i := range lines {
		h := 0
		if hints != nil {
			h = hints[i]
		}
		lines[i] += sep + strconv.Itoa(h)
	}
	return lineTool{name: "dpkg", argv: []string{"bash", "-c", dpkgLoop}, parallel: true}.run(ctx, lines)
}
