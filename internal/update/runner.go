package update

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/store"
)

// Store is what an update needs of the store.
type Store interface {
	ReplaceVulnerabilities(ctx context.Context, updater, fingerprint string, vulns []strata.Vulnerability) (*strata.UpdateDiff, error)
	UpdaterVulnerabilities(ctx context.Context, updater string) ([]strata.Vulnerability, error)
	UpdaterStatus(ctx context.Context, updater string) (*store.UpdaterStatus, error)
	RecordUpdateFailure(ctx context.Context, updater string, msg string) error
	RecordUpdateUnchanged(ctx context.Context, updater string) error
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
}

// Runner fetches feeds, parses them and replaces each updater's set of
// vulnerabilities in the store.
type Runner struct {
	Store  Store
	Client *http.Client // nil: http.DefaultClient
	Log    *slog.Logger
}

// Outcome is the result of one updater's run.
type Outcome struct {
	Updater   string
	Unchanged bool // every location answered "not modified": nothing was parsed
	Busy      bool // another process was updating the feed: nothing was done (Unchanged is set too)
	Records   int  // the records stored: distinct ones, as the store keeps them
	Diff      *strata.UpdateDiff
}

// Run updates u from the given locations (its upstream Sources when none
// are given). Every location is fetched conditionally; when none changed
// since the last successful run nothing is parsed or written. A failure
// leaves the stored data as it was and is recorded as the feed's last
// error. The run holds the store's lock "updater:NAME", so that of
// replicas sharing a store one updates a feed at a time; when another
// holds it, Run does nothing and says so with Outcome.Busy. An
// Incremental updater given no locations reads only the changes since its
// previous run; a Discoverer reads the locations its index lists.
func (r *Runner) Run(ctx context.Context, u Updater, locs []string) (*Outcome, error) {
	inc, incremental := u.(Incremental)
	incremental = incremental && len(locs) == 0
	disc, discover := u.(Discoverer)
	discover = discover && len(locs) == 0
	if len(locs) == 0 {
		locs = u.Sources()
	}
	unlock, ok, err := r.Store.TryLock(ctx, "updater:"+u.Name())
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", u.Name(), err)
	}
	if !ok {
		r.logger().Info("feed skipped: another replica is updating it", "updater", u.Name())
		return &Outcome{Updater: u.Name(), Unchanged: true, Busy: true}, nil
	}
	defer unlock()
	var out *Outcome
	switch {
	case incremental:
		out, err = r.runIncremental(ctx, inc)
	case discover:
		out, err = r.runDiscovered(ctx, disc)
	default:
		out, err = r.run(ctx, u, locs, false)
	}
	if err != nil {
		if rerr := r.Store.RecordUpdateFailure(ctx, u.Name(), excerpt.Cut(err.Error(), maxLastError)); rerr != nil {
			r.logger().Error("record update failure", "updater", u.Name(), "err", rerr)
		}
		return nil, err
	}
	return out, nil
}

// maxLastError bounds the error a failed run records (and "strata db
// status" shows): parse errors quote their input cut short, but an
// error may still be long (a library's, a path's).
const maxLastError = 1 << 10

// run reads locs. With emptyOK, a location may yield no record, but not
// all of them.
func (r *Runner) run(ctx context.Context, u Updater, locs []string, emptyOK bool) (*Outcome, error) {
	st, err := r.Store.UpdaterStatus(ctx, u.Name())
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", u.Name(), err)
	}
	prev := parseFingerprints(st.Fingerprint)
	fps := map[string]Fingerprint{}
	var vulns []strata.Vulnerability
	var unchanged []string
	for _, loc := range locs {
		fp, err := r.fetch(ctx, u, loc, prev[loc], &vulns, emptyOK)
		if errors.Is(err, ErrUnchanged) {
			unchanged = append(unchanged, loc)
			fps[loc] = prev[loc]
			continue
		}
		if err != nil {
			return nil, err
		}
		fps[loc] = fp
	}
	if len(unchanged) == len(locs) && len(prev) == len(locs) {
		return r.unchanged(ctx, u.Name(), st)
	}
	// The set is replaced whole, so the unchanged locations are read too.
	for _, loc := range unchanged {
		fp, err := r.fetch(ctx, u, loc, "", &vulns, emptyOK)
		if err != nil {
			return nil, err
		}
		fps[loc] = fp
	}
	if emptyOK && len(vulns) == 0 {
		return nil, fmt.Errorf("update %s: its %d locations hold no %s records", u.Name(), len(locs), u.Name())
	}
	diff, err := r.Store.ReplaceVulnerabilities(ctx, u.Name(), formatFingerprints(fps), vulns)
	if err != nil {
		return nil, fmt.Errorf("update %s: store: %w", u.Name(), err)
	}
	r.logger().Info("feed updated", "updater", u.Name(), "records", len(vulns),
		"added", len(diff.Added), "removed", len(diff.Removed))
	return r.updated(ctx, u.Name(), diff)
}

// runDiscovered reads the locations u's index lists now. One of them may
// hold no record (an old release's document of a repository without
// fixes), as long as the others do.
func (r *Runner) runDiscovered(ctx context.Context, u Discoverer) (*Outcome, error) {
	locs, err := u.Discover(ctx, r.Client)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", u.Name(), err)
	}
	return r.run(ctx, u, locs, true)
}

// cursorKey is the fingerprint line, in the format of formatFingerprints,
// that holds an incremental updater's cursor. It is no location a user
// could name, so a run from named locations reads them whole and the next
// incremental run starts over.
const cursorKey = "(cursor)"

func (r *Runner) runIncremental(ctx context.Context, u Incremental) (*Outcome, error) {
	st, err := r.Store.UpdaterStatus(ctx, u.Name())
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", u.Name(), err)
	}
	cursor := string(parseFingerprints(st.Fingerprint)[cursorKey])
	ch, err := u.Changes(ctx, r.Client, cursor)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", u.Name(), err)
	}
	if ch.Full && len(ch.Records) == 0 {
		return nil, fmt.Errorf("update %s: upstream holds no %s records", u.Name(), u.Name())
	}
	if !ch.Full && len(ch.IDs) == 0 {
		// Nothing changed: the cursor stays, so that the next run asks
		// again from the same point.
		return r.unchanged(ctx, u.Name(), st)
	}
	vulns := ch.Records
	if !ch.Full {
		stored, err := r.Store.UpdaterVulnerabilities(ctx, u.Name())
		if err != nil {
			return nil, fmt.Errorf("update %s: %w", u.Name(), err)
		}
		changed := make(map[string]bool, len(ch.IDs))
		for _, id := range ch.IDs {
			changed[id] = true
		}
		vulns = slices.DeleteFunc(stored, func(v strata.Vulnerability) bool { return changed[v.ID] })
		vulns = append(vulns, ch.Records...)
	}
	fp := formatFingerprints(map[string]Fingerprint{cursorKey: Fingerprint(ch.Cursor)})
	diff, err := r.Store.ReplaceVulnerabilities(ctx, u.Name(), fp, vulns)
	if err != nil {
		return nil, fmt.Errorf("update %s: store: %w", u.Name(), err)
	}
	r.logger().Info("feed updated", "updater", u.Name(), "incremental", !ch.Full, "changed", len(ch.IDs),
		"records", len(vulns), "added", len(diff.Added), "removed", len(diff.Removed))
	return r.updated(ctx, u.Name(), diff)
}

// unchanged is the outcome of a run that found updater's feed, of status
// st, unchanged upstream; the store notes that its data is fresh.
func (r *Runner) unchanged(ctx context.Context, updater string, st *store.UpdaterStatus) (*Outcome, error) {
	if err := r.Store.RecordUpdateUnchanged(ctx, updater); err != nil {
		return nil, fmt.Errorf("update %s: %w", updater, err)
	}
	r.logger().Info("feed unchanged", "updater", updater)
	return &Outcome{Updater: updater, Unchanged: true, Records: st.Records}, nil
}

// updated is the outcome of an update of updater that stored diff: with
// the number of records stored, duplicates in the feed counted once.
func (r *Runner) updated(ctx context.Context, updater string, diff *strata.UpdateDiff) (*Outcome, error) {
	st, err := r.Store.UpdaterStatus(ctx, updater)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", updater, err)
	}
	return &Outcome{Updater: updater, Records: st.Records, Diff: diff}, nil
}

// fetch reads one location and appends its parsed records to vulns. A
// location that yields no record at all (an empty file, the wrong kind of
// file, a tarball without the feed's documents, records of ecosystems
// strata does not read) is an error: replacing a feed's records with
// nothing must never happen by mistake. A location whose documents say
// that they are valid documents holding no record (Skipped.Empty: a
// secdb document listing no package, a withdrawn OSV record) is no
// mistake: it yields no record, and the feed holds none of it; a named
// location of which that is all is a warning, naming the documents. With
// emptyOK, no location is refused for holding no record.
func (r *Runner) fetch(ctx context.Context, u Updater, loc string, prev Fingerprint, vulns *[]strata.Vulnerability, emptyOK bool) (Fingerprint, error) {
	before := len(*vulns)
	var skipped Skipped
	fp, err := Fetch(ctx, r.Client, loc, prev, func(d Document) error {
		vs, err := ParseDocument(ctx, u, d)
		if sk := (*Skipped)(nil); errors.As(err, &sk) {
			skipped.add(sk)
			return nil
		}
		if err != nil {
			return err
		}
		*vulns = append(*vulns, vs...)
		return nil
	})
	none := err == nil && len(*vulns) == before && len(skipped.Empty) == 0 && !emptyOK
	switch {
	case none && skipped.Records > 0:
		err = fmt.Errorf("%s: no records of the %s feed found in it: %w", loc, u.Name(), &skipped)
	case none:
		err = fmt.Errorf("%s: no records of the %s feed found in it", loc, u.Name())
	case err == nil && len(*vulns) == before && !emptyOK:
		r.logger().Warn("location holds no record", "updater", u.Name(), "location", loc, "skipped", skipped.Error())
	case err == nil && !skipped.empty():
		r.logger().Info("records skipped", "updater", u.Name(), "location", loc, "skipped", skipped.Error())
	}
	if err != nil && !errors.Is(err, ErrUnchanged) {
		return "", fmt.Errorf("update %s: %w", u.Name(), err)
	}
	return fp, err
}

func (r *Runner) logger() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}

// The stored fingerprint of a feed read from several locations is one
// "location\tfingerprint" line per location, sorted.
func formatFingerprints(fps map[string]Fingerprint) string {
	var lines []string
	for loc, fp := range fps {
		lines = append(lines, loc+"\t"+string(fp))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func parseFingerprints(s string) map[string]Fingerprint {
	m := map[string]Fingerprint{}
	for line := range strings.SplitSeq(s, "\n") {
		if loc, fp, ok := strings.Cut(line, "\t"); ok {
			m[loc] = Fingerprint(fp)
		}
	}
	return m
}
