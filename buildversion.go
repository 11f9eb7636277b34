package strata

import (
	"runtime/debug"
	"strings"
)

// version is set by release builds with
// -ldflags "-X github.com/strata-scan/strata.version=v1.2.3".
var version = ""

// Version is strata's version: the one a release build set, else the
// module version the binary was built at (go install …@v1.2.3), else
// "(devel)". It names strata in `strata version` and in the User-Agent of
// every feed and registry request.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// UserAgent is the User-Agent strata sends: "strata/1.2.3", or
// "strata/devel" for a development build.
func UserAgent() string {
	v := strings.TrimPrefix(Version(), "v")
	if v == "(devel)" {
		v = "devel"
	}
	return "strata/" + v
}
