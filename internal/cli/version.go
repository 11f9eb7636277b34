package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"

	"github.com/strata-scan/strata"
)

const versionHelp = `Usage: strata version

Prints strata's version and the Go version it was built with. "strata
--version" is the same.
`

func runVersion(_ context.Context, e *env, args []string) error {
	switch {
	case len(args) == 1 && isHelpFlag(args[0]):
		fmt.Fprint(e.stderr, versionHelp)
		return flag.ErrHelp
	case len(args) > 0:
		fmt.Fprint(e.stderr, versionHelp)
		return fmt.Errorf("want no arguments, have %d", len(args))
	}
	goVersion := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
	}
	_, err := fmt.Fprintf(e.stdout, "strata %s (%s)\n", strata.Version(), goVersion)
	return err
}
