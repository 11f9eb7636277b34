package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/strata-scan/strata/internal/store"
)

const notificationsHelp = `Usage: strata notifications [flags]

Lists the pending notifications: for each feed update (but a feed's
first, its baseline), every indexed image that a vulnerability newly
affects (reason "added") or no longer affects ("removed"), with the
severity and the image's first affected package ("strata affected"
lists them all). --ack marks the listed notifications delivered, so that
they are not listed again.

Notification IDs are unique and increasing, not consecutive.
`

// rowsPerBlock is how many table rows are aligned together: the listing
// is written as it is read, never held whole (a diff can make millions).
const rowsPerBlock = 1000

func runNotifications(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "notifications", notificationsHelp)
	format := fs.String("format", "table", "output format: table or json")
	ack := fs.Bool("ack", false, "mark the listed notifications delivered")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("want no arguments, have %d", fs.NArg())
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	w := newNotificationWriter(e.stdout, *format)
	var last int64 // the ID of the last listed
	err = store.EachPendingGroup(ctx, st, func(g *store.NotificationGroup) error {
		for k := g.Acked; k < g.Pairs(); k++ {
			if g.Dropped(k) { // its image was deleted
				continue
			}
			n := g.Notification(k)
			if err := w.write(n); err != nil {
				return err
			}
			last = n.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.end(*ack); err != nil {
		return err
	}
	if !*ack || w.count == 0 {
		return nil
	}
	// Those listed are every pending one up to the last: any recorded
	// since have higher IDs.
	_, err = st.AckNotifications(ctx, 0, last)
	return err
}

// notificationWriter writes notifications one by one: as a JSON array, or
// as a table aligned rowsPerBlock rows at a time.
type notificationWriter struct {
	buf   *bufio.Writer
	json  bool
	tw    *tabwriter.Writer
	count int
}

func newNotificationWriter(w io.Writer, format string) *notificationWriter {
	nw := &notificationWriter{buf: bufio.NewWriter(w), json: format == "json"}
	nw.tw = tabwriter.NewWriter(nw.buf, 0, 4, 2, ' ', 0)
	if !nw.json {
		fmt.Fprintln(nw.tw, "ID\tIMAGE\tVULNERABILITY\tPACKAGE\tVERSION\tREASON\tSEVERITY")
	}
	return nw
}

func (w *notificationWriter) write(n store.Notification) error {
	w.count++
	if w.json {
		b, err := json.MarshalIndent(n, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if w.count == 1 {
			sep = "[\n  "
		}
		w.buf.WriteString(sep)
		_, err = w.buf.Write(b)
		return err
	}
	fmt.Fprintf(w.tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", n.ID, n.Manifest, n.Vulnerability, n.Package, n.Version, n.Reason, n.Severity)
	if w.count%rowsPerBlock == 0 {
		return w.tw.Flush()
	}
	return nil
}

// end ends the listing: the JSON array, or the table and a count of the
// notifications, pending or, when acked, being acknowledged.
func (w *notificationWriter) end(acked bool) error {
	switch {
	case w.json && w.count == 0:
		w.buf.WriteString("[]\n")
	case w.json:
		w.buf.WriteString("\n]\n")
	default:
		if err := w.tw.Flush(); err != nil {
			return err
		}
		state := "pending"
		if acked {
			state = "acknowledged"
		}
		fmt.Fprintf(w.buf, "%s %s\n", plural(w.count, "notification", "notifications"), state)
	}
	return w.buf.Flush()
}
