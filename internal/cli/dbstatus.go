package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/update/updaters"
)

const dbStatusHelp = `Usage: strata db status [flags]

Shows each feed strata knows, and any other the store holds: its age
(the time since it was last fetched from its upstream, or since the data
of an imported bundle was), its record count and the error of its last
failed update, if the last attempt failed. --format json writes the same
as {"updaters": [...]}, the age in seconds.
`

// defaultMaxFeedAge is the default of scan's --max-feed-age.
const defaultMaxFeedAge = 7 * 24 * time.Hour

// feedStatus is one feed's line of "strata db status --format json".
type feedStatus struct {
	store.UpdaterStatus
	// AgeSeconds is the time since the last success; absent when the
	// feed was never loaded.
	AgeSeconds *float64 `json:"age_seconds,omitempty"`
}

func runDBStatus(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "db status", dbStatusHelp)
	format := fs.String("format", "table", "output format: table or json")
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
	sts, err := allStatuses(ctx, st)
	if err != nil {
		return err
	}
	now := time.Now()
	if *format == "json" {
		out := struct {
			Updaters []feedStatus `json:"updaters"`
		}{Updaters: []feedStatus{}}
		for _, s := range sts {
			fs := feedStatus{UpdaterStatus: s}
			fs.Fingerprint = "" // internal: the conditional-request state of each location
			if !s.LastSuccess.IsZero() {
				age := now.Sub(s.LastSuccess).Round(time.Second).Seconds()
				fs.AgeSeconds = &age
			}
			out.Updaters = append(out.Updaters, fs)
		}
		return writeJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, "FEED\tAGE\tLAST SUCCESS\tRECORDS\tLAST ERROR")
	for _, s := range sts {
		age, last := "never loaded", "-"
		if !s.LastSuccess.IsZero() {
			age, last = formatAge(now.Sub(s.LastSuccess)), s.LastSuccess.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", s.Updater, age, last, s.Records, oneLine(s.LastError))
	}
	return tw.Flush()
}

// allStatuses is the status of every feed strata knows and of any other
// the store holds (imported from a bundle of another version), by name.
func allStatuses(ctx context.Context, st store.Store) ([]store.UpdaterStatus, error) {
	sts, err := st.UpdaterStatuses(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range updaters.All() {
		if !slices.ContainsFunc(sts, func(s store.UpdaterStatus) bool { return s.Updater == u.Name() }) {
			sts = append(sts, store.UpdaterStatus{Updater: u.Name()})
		}
	}
	slices.SortFunc(sts, func(a, b store.UpdaterStatus) int { return strings.Compare(a.Updater, b.Updater) })
	return sts, nil
}

// warnFeedAge warns, loudly, when no feed was ever loaded into st and for
// each feed last loaded more than maxAge ago (0: never).
func warnFeedAge(ctx context.Context, e *env, st store.Store, maxAge time.Duration) error {
	if maxAge == 0 {
		return nil
	}
	sts, err := st.UpdaterStatuses(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	loaded := false
	for _, s := range sts {
		if s.LastSuccess.IsZero() {
			continue
		}
		loaded = true
		if age := now.Sub(s.LastSuccess); age > maxAge {
			fmt.Fprintf(e.stderr, "WARNING: feed %s is %s old (last updated %s, more than --max-feed-age %s ago): its findings may miss recent vulnerabilities; run \"strata update\" or import a newer bundle\n",
				s.Updater, formatAge(age), s.LastSuccess.Format(time.RFC3339), formatAge(maxAge))
			if s.LastError != "" {
				fmt.Fprintf(e.stderr, "WARNING: feed %s: its last update failed: %s\n", s.Updater, oneLine(s.LastError))
			}
		}
	}
	if !loaded {
		fmt.Fprintln(e.stderr, "WARNING: no vulnerability feed was ever loaded into this store: nothing can be reported; run \"strata update\" or \"strata db import\"")
	}
	return nil
}

// formatAge writes d in days, hours and minutes, at most two of them:
// "12d 3h", "5h 12m", "7m", and "<1m" under a minute.
func formatAge(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%dh %dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", mins)
}

// when writes the time t with its age at now: "2026-12-03T10:00:00Z, 3d 4h ago".
func when(t, now time.Time) string {
	return t.UTC().Format(time.RFC3339) + ", " + formatAge(now.Sub(t)) + " ago"
}

// oneLine keeps the first line of an error message, for a table cell.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// durationFlag is a duration flag that also accepts whole days ("7d") and
// refuses negative durations.
type durationFlag struct{ d *time.Duration }

func (a durationFlag) String() string {
	if a.d == nil {
		return ""
	}
	if *a.d%(24*time.Hour) == 0 && *a.d != 0 {
		return strconv.Itoa(int(*a.d/(24*time.Hour))) + "d"
	}
	return a.d.String()
}

func (a durationFlag) Set(s string) error {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return fmt.Errorf("want a duration such as 7d or 36h, have %q", s)
		}
		*a.d = time.Duration(n) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("want a duration such as 7d or 36h, have %q", s)
	}
	*a.d = d
	return nil
}
