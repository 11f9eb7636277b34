package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/strata-scan/strata/internal/notify"
)

const affectedHelp = `Usage: strata affected [flags] VULNERABILITY

Lists the indexed images that a vulnerability affects, with the packages
and the layers that introduced them, and the share of all indexed images.
VULNERABILITY is any id or alias a feed gives it (CVE, DSA, USN, GHSA…).
No image is read again: the stored inventories are matched against the
vulnerability's current records.

Exit status 1 when no record of any feed has the id or alias.
`

func runAffected(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "affected", affectedHelp)
	format := fs.String("format", "table", "output format: table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want exactly one VULNERABILITY, have %d arguments", fs.NArg())
	}
	if strings.TrimSpace(fs.Arg(0)) == "" {
		fs.Usage()
		return errors.New("VULNERABILITY is empty")
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	ar, err := notify.Affected(ctx, st, fs.Arg(0))
	if errors.Is(err, notify.ErrUnknownVulnerability) {
		if loaded, lerr := loadedFeeds(ctx, st); lerr == nil && len(loaded) == 0 {
			return fmt.Errorf("%w; %s", err, noFeedHint)
		}
	}
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, ar)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, "IMAGE\tPACKAGE\tVERSION\tLAYER\tRECORDS")
	for _, img := range ar.Images {
		for _, p := range img.Packages {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", img.Manifest, p.Name, p.Version, p.Layer, strings.Join(p.Records, ", "))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s affects %d of %s (%.1f%%)\n", ar.Vulnerability, len(ar.Images),
		plural(ar.Indexed, "indexed image", "indexed images"), 100*ar.Share)
	return nil
}
