package redhat

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update"
)

// maxChanged is the number of changed documents above which an
// incremental run reads the bulk archive instead: one request for the
// whole feed rather than thousands.
const maxChanged = 5000

var (
	// archiveName is the form of the name archive_latest.txt gives; the
	// date is the day the archive was made.
	archiveName = regexp.MustCompile(`^csaf_vex_(\d{4}-\d{2}-\d{2})\.tar\.zst$`)
	// documentPath is the form of a document's path in changes.csv and
	// deletions.csv. It becomes part of a URL, so nothing else is
	// accepted.
	documentPath = regexp.MustCompile(`^\d{4}/cve-\d{4}-\d+\.json$`)
)

// cursor is what a run leaves for the next one: the time of the latest
// change it read (upstream's clock, from changes.csv and deletions.csv)
// and the validators of the two lists, so that unchanged lists cost a
// "not modified" each.
type cursor struct {
	since                time.Time
	changesFP, deletesFP update.Fingerprint
}

func (c cursor) String() string {
	return url.Values{
		"since":     {c.since.UTC().Format(time.RFC3339)},
		"changes":   {string(c.changesFP)},
		"deletions": {string(c.deletesFP)},
	}.Encode()
}

func parseCursor(s string) (cursor, bool) {
	v, err := url.ParseQuery(s)
	if err != nil {
		return cursor{}, false
	}
	since, err := time.Parse(time.RFC3339, v.Get("since"))
	if err != nil {
		return cursor{}, false
	}
	return cursor{since, update.Fingerprint(v.Get("changes")), update.Fingerprint(v.Get("deletions"))}, true
}

// change is the latest event of one document: changed, or deleted.
type change struct {
	time    time.Time
	deleted bool
}

// Changes reads the feed from the updater's folder. Without a cursor
// (or with one it cannot read) it reads the bulk archive that
// archive_latest.txt names, then the documents that changes.csv lists as
// changed since the archive's day and drops those that deletions.csv
// lists as deleted since, returning the whole set. With a cursor it reads
// only the documents changed or deleted after it; when both lists are
// unchanged ("not modified") nothing is read at all.
func (u Updater) Changes(ctx context.Context, client *http.Client, cur string) (*update.Changes, error) {
	c, ok := parseCursor(cur)
	if !ok {
		return u.full(ctx, client)
	}
	events, next, err := u.events(ctx, client, c)
	if errors.Is(err, update.ErrUnchanged) {
		return &update.Changes{Cursor: cur}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(events) > maxChanged {
		return u.full(ctx, client)
	}
	byID, err := u.read(ctx, client, events)
	if err != nil {
		return nil, err
	}
	ch := &update.Changes{Cursor: next.String()}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		ch.IDs = append(ch.IDs, id)
		ch.Records = append(ch.Records, byID[id]...)
	}
	return ch, nil
}

// full reads the archive, then the changes since the archive's day.
func (u Updater) full(ctx context.Context, client *http.Client) (*update.Changes, error) {
	name, day, err := u.latestArchive(ctx, client)
	if err != nil {
		return nil, err
	}
	byID := map[string][]strata.Vulnerability{}
	_, err = update.Fetch(ctx, client, u.base()+name, "", u.collect(ctx, byID))
	if err != nil {
		return nil, fmt.Errorf("redhat: %w", err)
	}
	events, next, err := u.events(ctx, client, cursor{since: day.Add(-time.Nanosecond)})
	if err != nil {
		return nil, err
	}
	changed, err := u.read(ctx, client, events)
	if err != nil {
		return nil, err
	}
	maps.Copy(byID, changed)
	ch := &update.Changes{Full: true, Cursor: next.String()}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		ch.Records = append(ch.Records, byID[id]...)
	}
	return ch, nil
}

// latestArchive reads archive_latest.txt: the archive's name and day.
func (u Updater) latestArchive(ctx context.Context, client *http.Client) (string, time.Time, error) {
	var name string
	_, err := update.Fetch(ctx, client, u.base()+"archive_latest.txt", "", func(d update.Document) error {
		b, err := io.ReadAll(io.LimitReader(d.Body, 1<<10))
		name = strings.TrimSpace(string(b))
		return err
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("redhat: %w", err)
	}
	m := archiveName.FindStringSubmatch(name)
	if m == nil {
		return "", time.Time{}, fmt.Errorf("redhat: %sarchive_latest.txt: %s is not an archive name (csaf_vex_YYYY-MM-DD.tar.zst)", u.base(), excerpt.Quote(name))
	}
	day, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("redhat: %sarchive_latest.txt: %s: %w", u.base(), excerpt.Quote(name), err)
	}
	return name, day, nil
}

// events reads changes.csv and deletions.csv, conditionally on the
// cursor's validators, and returns each document's latest event after
// the cursor's time, and the cursor for the next run. It returns
// update.ErrUnchanged when neither list changed.
func (u Updater) events(ctx context.Context, client *http.Client, c cursor) (map[string]change, cursor, error) {
	events := map[string]change{}
	next := c
	unchanged := 0
	for _, list := range []struct {
		name    string
		fp      *update.Fingerprint
		deleted bool
	}{{"changes.csv", &next.changesFP, false}, {"deletions.csv", &next.deletesFP, true}} {
		fp, err := update.Fetch(ctx, client, u.base()+list.name, *list.fp, func(d update.Document) error {
			return readList(d, func(p string, t time.Time) {
				if t.After(c.since) && t.After(events[p].time) {
					events[p] = change{t, list.deleted}
				}
				if t.After(next.since) {
					next.since = t
				}
			})
		})
		if errors.Is(err, update.ErrUnchanged) {
			unchanged++
			continue
		}
		if err != nil {
			return nil, c, fmt.Errorf("redhat: %w", err)
		}
		*list.fp = fp
	}
	if unchanged == 2 {
		return nil, c, update.ErrUnchanged
	}
	return events, next, nil
}

// readList reads the rows of changes.csv or deletions.csv: a document's
// path and the time it changed.
func readList(d update.Document, fn func(path string, t time.Time)) error {
	r := csv.NewReader(d.Body)
	r.FieldsPerRecord = 2
	r.ReuseRecord = true
	for {
		row, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		line, _ := r.FieldPos(0)
		if !documentPath.MatchString(row[0]) {
			return fmt.Errorf("%s: line %d: %s is not a document path (YYYY/cve-YYYY-N.json)", d.Name, line, excerpt.Quote(row[0]))
		}
		t, err := time.Parse(time.RFC3339, row[1])
		if err != nil { // time.ParseError would quote row[1] whole, twice
			return fmt.Errorf("%s: line %d: bad time %s: want RFC 3339", d.Name, line, excerpt.Quote(row[1]))
		}
		fn(row[0], t)
	}
}

// read fetches the changed documents and returns their records by
// vulnerability id, with an empty entry for each deleted document and
// each changed one that has no RHEL records (any stored ones go).
func (u Updater) read(ctx context.Context, client *http.Client, events map[string]change) (map[string][]strata.Vulnerability, error) {
	byID := map[string][]strata.Vulnerability{}
	for _, p := range slices.Sorted(maps.Keys(events)) {
		id := strings.ToUpper(strings.TrimSuffix(path.Base(p), ".json"))
		byID[id] = nil
		if events[p].deleted {
			continue
		}
		_, err := update.Fetch(ctx, client, u.base()+p, "", u.collect(ctx, byID))
		if err != nil {
			return nil, fmt.Errorf("redhat: %w", err)
		}
	}
	return byID, nil
}

// collect parses the documents it is handed and adds their records to
// byID. A document whose CVE affects no package (an *update.Skipped) adds
// none.
func (u Updater) collect(ctx context.Context, byID map[string][]strata.Vulnerability) func(update.Document) error {
	return func(d update.Document) error {
		vs, err := update.ParseDocument(ctx, u, d)
		if sk := (*update.Skipped)(nil); errors.As(err, &sk) {
			return nil
		}
		for _, v := range vs {
			byID[v.ID] = append(byID[v.ID], v)
		}
		return err
	}
}
