package cli

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/updaters"
)

// updateHelp ends with a paragraph naming every feed of updaters.Feeds
// and what its --source locations may be.
var updateHelp = `Usage: strata update [flags] [FEED…]

Loads vulnerability feeds into the store. Each feed's records replace its
previous ones in one transaction; a feed that fails leaves its previous
data intact.

Without --source, every named FEED (all feeds when none is named) is
fetched from its upstream URL, conditionally (ETag / Last-Modified), so an
unchanged feed costs one request. --source NAME=LOCATION points feed NAME
at a local file, directory, tarball or URL instead; repeat it to load
several locations into one feed (--source debian=DSA.list --source
debian=DLA.list). With --source, only the feeds it names are updated.

After the feeds, the notifications of what changed are recorded (see
"strata notifications") and summarised in one line: "N new
vulnerabilities affect M indexed images". A feed's first update is its
baseline and notifies nothing.

` + feedsHelp(updaters.Feeds())

// helpWidth is the width the Feeds paragraph is wrapped to, as the rest
// of the help text is.
const helpWidth = 74

// feedsHelp is the paragraph "Feeds: NAME (what --source accepts), …."
// wrapped to helpWidth.
func feedsHelp(feeds []updaters.Feed) string {
	var parts []string
	for _, f := range feeds {
		parts = append(parts, f.Updater.Name()+" ("+f.Accepts+")")
	}
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields("Feeds: " + strings.Join(parts, ", ") + ".") {
		switch {
		case i == 0:
		case line+1+utf8.RuneCountInString(w) > helpWidth:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += utf8.RuneCountInString(w)
	}
	return b.String() + "\n"
}

// sourceFlags collects repeated --source NAME=LOCATION flags.
type sourceFlags map[string][]string

func (s sourceFlags) String() string { return "" }

func (s sourceFlags) Set(v string) error {
	name, loc, ok := strings.Cut(v, "=")
	if !ok || name == "" || loc == "" {
		return fmt.Errorf("want NAME=LOCATION, have %q", v)
	}
	if _, err := updaters.ByName(name); err != nil {
		return err
	}
	s[name] = append(s[name], loc)
	return nil
}

func runUpdate(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "update", updateHelp)
	common.creates = true
	sources := sourceFlags{}
	fs.Var(sources, "source", "NAME=LOCATION: read feed NAME from a file, directory, tarball or URL (repeatable)")
	timeout := 10 * time.Minute
	fs.Var(durationFlag{&timeout}, "timeout", "give up on a feed's download after this `duration` (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	us, err := selectUpdaters(fs.Args(), sources)
	if err != nil {
		return err
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	r := &update.Runner{Store: st, Client: &http.Client{Timeout: timeout}, Log: e.log}
	var failed []string
	updated := 0
	for _, u := range us {
		out, err := r.Run(ctx, u, sources[u.Name()])
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			failed = append(failed, u.Name())
			continue
		}
		if out.Busy {
			fmt.Fprintf(e.stdout, "%s: skipped: another strata process is updating it now\n", out.Updater)
			continue
		}
		if out.Unchanged {
			fmt.Fprintf(e.stdout, "%s: unchanged (%d records)\n", out.Updater, out.Records)
			continue
		}
		updated++
		fmt.Fprintf(e.stdout, "%s: %d records (%d added, %d removed)\n", out.Updater, out.Records, len(out.Diff.Added), len(out.Diff.Removed))
	}
	if err := notifySummary(ctx, e, st, updated); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d feeds failed: %s (their previous data is kept)", len(failed), len(us), strings.Join(failed, ", "))
	}
	return nil
}

// notifyWait is how long an update waits for another process that is
// recording notifications to finish, to record its own.
const notifyWait = 30 * time.Second

// notifySummary records the notifications of the new update diffs and,
// when a feed was loaded (updated is how many) or the notifier found
// diffs to notify, prints the one-line summary.
func notifySummary(ctx context.Context, e *env, st store.Store, updated int) error {
	sum, err := (&notify.Notifier{Store: st, Index: st, Log: e.log, Wait: notifyWait}).Run(ctx)
	if err != nil {
		return err
	}
	switch {
	case updated == 0 && sum.Diffs == 0:
	case sum.Busy:
		fmt.Fprintf(e.stdout, "notifications: deferred: another strata process has been recording notifications for %v; the next update (or strata serve) records this one's\n", notifyWait)
	case sum.Diffs > 0 && sum.Diffs == len(sum.Baselines):
		fmt.Fprintln(e.stdout, "first update of these feeds: baseline recorded, no notifications")
	default:
		if len(sum.Baselines) > 0 {
			fmt.Fprintf(e.stdout, "first update of %s: baseline recorded, no notifications\n", strings.Join(sum.Baselines, ", "))
		}
		added, addedTo := changeCounts(sum, store.Added)
		removed, removedFrom := changeCounts(sum, store.Removed)
		fmt.Fprint(e.stdout, summaryLine(added, addedTo, removed, removedFrom))
	}
	return nil
}

// summaryLine is the line that ends an update: "N new vulnerabilities
// affect M indexed images", and how many no longer affect how many when
// removed > 0.
func summaryLine(added, addedTo, removed, removedFrom int) string {
	line := fmt.Sprintf("%s %s %s", plural(added, "new vulnerability", "new vulnerabilities"),
		either(added, "affects", "affect"), plural(addedTo, "indexed image", "indexed images"))
	if removed > 0 {
		line += fmt.Sprintf("; %s no longer %s %s", plural(removed, "vulnerability", "vulnerabilities"),
			either(removed, "affects", "affect"), plural(removedFrom, "image", "images"))
	}
	return line + "\n"
}

// changeCounts counts the distinct vulnerabilities and images of the
// notifications recorded for reason (store.Added or store.Removed), as
// "strata notifications" lists them.
func changeCounts(sum *notify.Summary, reason string) (vulns, images int) {
	vs, ms := map[string]bool{}, map[strata.Digest]bool{}
	for _, dn := range sum.Recorded {
		for _, set := range dn.Sets {
			found := false
			for _, c := range set.Changes {
				if ch := dn.Changes[c]; ch.Reason == reason {
					vs[ch.Vulnerability], found = true, true
				}
			}
			if found {
				for _, m := range set.Manifests {
					ms[m] = true
				}
			}
		}
	}
	return len(vs), len(ms)
}

// selectUpdaters is the updaters named in names or given locations in
// sources; all of them when neither names one.
func selectUpdaters(names []string, sources map[string][]string) ([]update.Updater, error) {
	names = slices.Clone(names)
	for n := range sources {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return updaters.All(), nil
	}
	var us []update.Updater
	for _, u := range updaters.All() {
		if slices.Contains(names, u.Name()) {
			us = append(us, u)
		}
	}
	for _, n := range names {
		if _, err := updaters.ByName(n); err != nil {
			return nil, err
		}
	}
	return us, nil
}
