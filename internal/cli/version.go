package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/strata-scan/strata"
)

func runVersion(_ context.Context, e *env, _ []string) error {
	goVersion := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
	}
	_, err := fmt.Fprintf(e.stdout, "strata %s (%s)\n", strata.Version(), goVersion)
	return err
}
