// Package cli is strata's command line: one file per verb. Run is the
// whole program; main only wires it to the process.
package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// Exit codes.
const (
	exitOK       = 0
	exitError    = 1 // an error: bad input, bad usage, a failed operation
	exitFindings = 2 // scan --fail-on: a finding at or above the threshold remains
)

const usage = `strata finds known vulnerabilities in container images.

Usage:
  strata scan [flags] IMAGE      index an image and report its vulnerabilities
  strata index [flags] IMAGE     index an image and print its packages (JSON)
  strata update [flags] [FEED…]  load vulnerability feeds into the store
  strata serve [flags]           serve the HTTP API (Clair v4-compatible)
  strata delete DIGEST…          forget indexed images and their unshared layers
  strata notifications [flags]   list (and --ack) the images feed updates newly affect
  strata affected [flags] VULN   list the indexed images a vulnerability affects
  strata db export|import FILE   write or load all feed data as one bundle (offline installations)
  strata db status               show each feed's age, record count and last error
  strata version                 print the version
  strata help [COMMAND]          show help

IMAGE is a docker save archive (.tar or .tar.gz), an OCI image layout (a
directory, or a .tar/.tar.gz of one) or an unpacked root file system
directory; the kind is read from the content.

The store is an SQLite file (--db PATH, else $STRATA_DB, else
<user cache dir>/strata/strata.db), or PostgreSQL with --db postgres://….

Exit codes: 0 success; 1 error; 2 scan --fail-on threshold reached.
Run "strata help COMMAND" for a command's flags.
`

type command struct {
	run  func(ctx context.Context, e *env, args []string) error
	help string
}

var commands = map[string]command{
	"scan":    {runScan, scanHelp},
	"index":   {runIndex, indexHelp},
	"delete":  {runDelete, deleteHelp},
	"update":  {runUpdate, updateHelp},
	"serve":   {runServe, serveUsage},
	"version": {runVersion, versionHelp},

	"notifications": {runNotifications, notificationsHelp},
	"affected":      {runAffected, affectedHelp},
	"db":            {runDB, dbHelp},
}

// env is what every verb writes to.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// errFindings makes scan exit with exitFindings.
var errFindings = errors.New("findings at or above the --fail-on severity")

// Run runs the command line args and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	name := args[0]
	switch {
	case name == "help" || isHelpFlag(name):
		return help(ctx, args[1:], stdout, stderr)
	case name == "--version" || name == "-version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "strata: unknown command %q\n\n%s", name, usage)
		return exitError
	}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errFindings):
		fmt.Fprintf(stderr, "strata %s: %v\n", name, err)
		return exitFindings
	default:
		fmt.Fprintf(stderr, "strata %s: %v\n", name, err)
		return exitError
	}
}

// isHelpFlag says whether arg asks for help, as the flag package reads
// it: "-h", "-help", "--help".
func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// help prints the usage ("strata help", "strata help help"), or a
// command's usage with its flags ("strata help db export"), which the
// command prints for -h: on stdout, exit 0. When the command refuses the
// arguments instead ("strata help db nope"), its usage and error go to
// stderr, exit 1.
func help(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "strata help: unknown command %q\n\n%s", args[0], usage)
		return exitError
	}
	var out bytes.Buffer
	err := c.run(ctx, &env{stdout: &out, stderr: &out}, append(args[1:len(args):len(args)], "-h"))
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stderr, "%sstrata help %s: %v\n", out.String(), args[0], err)
		return exitError
	}
	stdout.Write(out.Bytes())
	return exitOK
}

// isTerminal says whether w is a terminal, for progress output.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeJSON writes v to w as indented JSON, as every verb's JSON output is.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
