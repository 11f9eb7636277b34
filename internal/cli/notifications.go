package cli

import (
	"context"
	"fmt"

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

// notificationsPage is how many notifications are read at a time.
const notificationsPage = 1000

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
	ns, err := pendingNotifications(ctx, st)
	if err != nil {
		return err
	}
	if err := printNotifications(e, *format, ns, *ack); err != nil {
		return err
	}
	if !*ack || len(ns) == 0 {
		return nil
	}
	// Those listed are every pending one up to the last: any recorded
	// since have higher IDs.
	_, err = st.AckNotifications(ctx, 0, ns[len(ns)-1].ID)
	return err
}

// pendingNotifications reads every pending notification.
func pendingNotifications(ctx context.Context, st store.Store) ([]store.Notification, error) {
	all := []store.Notification{}
	var after int64
	for {
		ns, err := store.Notifications(ctx, st, store.NotificationFilter{After: after, Limit: notificationsPage, Pending: true})
		if err != nil {
			return nil, err
		}
		all = append(all, ns...)
		if len(ns) < notificationsPage {
			return all, nil
		}
		after = ns[len(ns)-1].ID
	}
}

// printNotifications writes ns, which are being acknowledged when acked.
func printNotifications(e *env, format string, ns []store.Notification, acked bool) error {
	if format == "json" {
		return writeJSON(e.stdout, ns)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, "ID\tIMAGE\tVULNERABILITY\tPACKAGE\tVERSION\tREASON\tSEVERITY")
	for _, n := range ns {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", n.ID, n.Manifest, n.Vulnerability, n.Package, n.Version, n.Reason, n.Severity)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if acked {
		fmt.Fprintf(e.stdout, "%s acknowledged\n", plural(len(ns), "notification", "notifications"))
	} else {
		fmt.Fprintf(e.stdout, "%s pending\n", plural(len(ns), "notification", "notifications"))
	}
	return nil
}
