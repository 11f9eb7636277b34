package cli

import (
	"context"
	"fmt"

	"github.com/strata-scan/strata/internal/report"
)

const indexHelp = `Usage: strata index [flags] IMAGE

Indexes IMAGE layer by layer, as scan does, and prints its index report as
JSON, in the shape of Clair v4's IndexReport (as the API serves it): the
manifest hash, the distribution, every installed package and, in
"environments", the package database and the layer that introduced it.
No vulnerability data is needed.
A layer already indexed (by this or another image) is not read again.
`

func runIndex(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "index", indexHelp)
	common.creates = true
	var img imageFlags
	img.register(fs.FlagSet)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want exactly one IMAGE, have %d arguments", fs.NArg())
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	opts, err := img.options()
	if err != nil {
		return err
	}
	ir, err := indexImage(ctx, e, st, fs.Arg(0), opts, img.limits())
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, report.BuildIndexReport(ir))
}
