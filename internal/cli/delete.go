package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

const deleteHelp = `Usage: strata delete [flags] MANIFEST-DIGEST…

Deletes indexed images by their manifest digest (the manifest_hash of a
report), with the layer reports that no other indexed image references.
Layers shared with another image stay cached. The images' pending
notifications are dropped: neither listed nor delivered any more (those
delivered already stay in the history).
`

func runDelete(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "delete", deleteHelp)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("want at least one MANIFEST-DIGEST")
	}
	var digests []strata.Digest
	for _, a := range fs.Args() {
		d, err := strata.ParseDigest(a)
		if err != nil {
			return err
		}
		if !slices.Contains(digests, d) { // "delete D D" deletes D once
			digests = append(digests, d)
		}
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, d := range digests {
		err := st.DeleteIndexReport(ctx, d)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s: no such indexed image", d)
		}
		if err != nil {
			return fmt.Errorf("delete %s: %w", d, err)
		}
		fmt.Fprintf(e.stdout, "deleted %s\n", d)
	}
	return nil
}
