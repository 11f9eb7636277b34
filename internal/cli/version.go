package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is strata's version; release builds set it with
// -ldflags "-X github.com/strata-scan/strata/internal/cli.Version=v1.2.3".
var Version = ""

func runVersion(_ context.Context, e *env, _ []string) error {
	v, goVersion := Version, "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if v == "" {
			v = bi.Main.Version
		}
	}
	if v == "" {
		v = "(devel)"
	}
	_, err := fmt.Fprintf(e.stdout, "strata %s (%s)\n", v, goVersion)
	return err
}
