package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/strata-scan/strata/internal/notify"
)

const affectedHelp = `Usage: strata affected [flags] VULNERABILITY

Lists the indexed images that a vulnerability affects, with the packages
and the layers that introduced them, and the share of all indexed images.
VULNERABILITY is any id or alias a feed gives it (CVE, DSA, USN, GHSA…).
No image is read again: the stored inventories are matched against the
vulnerability's current records.
`

func runAffected(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "affected", affectedHelp)
	format := fs.String("format", "table", "output format: table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("unknown --format %q (want table or json)", *format)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want exactly one VULNERABILITY, have %d arguments", fs.NArg())
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	ar, err := notify.Affected(ctx, st, fs.Arg(0))
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, ar)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IMAGE\tPACKAGE\tVERSION\tLAYER\tRECORD")
	for _, img := range ar.Images {
		for _, p := range img.Packages {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", img.Manifest, p.Name, p.Version, p.Layer, p.Record)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s affects %d of %d indexed images (%.1f%%)\n", ar.Vulnerability, len(ar.Images), ar.Indexed, 100*ar.Share)
	return nil
}
