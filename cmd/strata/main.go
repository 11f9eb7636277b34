// Command strata finds known vulnerabilities in container images.
// Run "strata help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/strata-scan/strata/internal/cli"
)

func main() {
	// A reader of the output that goes away ("strata db import B | head
	// -1") makes writes fail instead of killing the process half way
	// through an import or update: what was begun is finished.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
