package cli

import (
	"context"
	"encoding/json"
	"fmt"
)

const indexHelp = `Usage: strata index [flags] IMAGE

Indexes IMAGE layer by layer, as scan does, and prints its index report as
JSON: the manifest digest, the layers, the distribution and every installed
package with the layer that introduced it. No vulnerability data is needed.
A layer already indexed (by this or another image) is not read again.
`

func runIndex(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "index", indexHelp)
	platform := fs.String("platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default the host's)")
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
	ir, err := indexImage(ctx, e, st, fs.Arg(0), *platform)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(ir)
}
