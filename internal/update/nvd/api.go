package nvd

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update"
)

const (
	// resultsPerPage is the most the API returns per request.
	resultsPerPage = 2000
	// maxWindow is the longest lastModified range one query may ask for.
	maxWindow = 120 * 24 * time.Hour
	// apiKeyEnv holds an optional NVD API key, which raises the rate
	// limit tenfold.
	apiKeyEnv = "STRATA_NVD_API_KEY"
)

// The pauses between requests that the NVD's rate limits ask for: 5
// requests in a rolling 30 s window without an API key, 50 with one.
const (
	waitWithoutKey = 6 * time.Second
	waitWithKey    = 600 * time.Millisecond
)

// now is the clock incremental windows end at.
var now = time.Now

// Changes reads the API: every CVE when cursor is "", else the CVEs
// modified since the time cursor holds, in windows of at most 120 days. A
// CVE that changed to Rejected is among the changed IDs, without a
// record, so that it is removed. The new cursor is the NVD's clock at the
// first answer (never later than the last window's end), so that a CVE
// modified while the run went on is read again by the next.
func (u Updater) Changes(ctx context.Context, client *http.Client, cursor string) (*update.Changes, error) {
	c := u.newAPIClient(client)
	if cursor == "" {
		ch := &update.Changes{Full: true}
		err := c.pages(ctx, url.Values{}, func(e entry) error {
			if !e.Rejected {
				ch.Records = append(ch.Records, e.Record)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		ch.Cursor = formatCursor(c.clock(time.Time{}))
		return ch, nil
	}
	since, err := time.Parse(time.RFC3339Nano, cursor)
	if err != nil {
		return nil, fmt.Errorf("stored cursor %s: %w", excerpt.Quote(cursor), err)
	}
	end := now().UTC()
	changed := map[string]entry{}
	for start := since; start.Before(end); {
		stop := start.Add(maxWindow)
		if stop.After(end) {
			stop = end
		}
		q := url.Values{"lastModStartDate": {apiTime(start)}, "lastModEndDate": {apiTime(stop)}}
		err := c.pages(ctx, q, func(e entry) error {
			changed[e.Record.ID] = e // a CVE on the boundary of two windows is read twice
			return nil
		})
		if err != nil {
			return nil, err
		}
		start = stop
	}
	ch := &update.Changes{Cursor: formatCursor(c.clock(end)), IDs: slices.Sorted(maps.Keys(changed))}
	for _, id := range ch.IDs {
		if e := changed[id]; !e.Rejected {
			ch.Records = append(ch.Records, e.Record)
		}
	}
	return ch, nil
}

// apiClient reads the API's pages politely.
type apiClient struct {
	client *http.Client
	base   string
	header http.Header
	wait   time.Duration
	last   time.Time // when the last request was sent
	// started is the local time the run started; server is the NVD's
	// time at its first answer, when it said.
	started, server time.Time
}

func (u Updater) newAPIClient(client *http.Client) *apiClient {
	c := &apiClient{client: client, base: api, header: http.Header{}, wait: waitWithoutKey, started: now().UTC()}
	if u.url != "" {
		c.base = u.url
	}
	if key := os.Getenv(apiKeyEnv); key != "" {
		c.header.Set("apiKey", key)
		c.wait = waitWithKey
	}
	if u.wait != 0 {
		c.wait = u.wait
	}
	return c
}

// clock is the time the run began as the NVD counts it (its clock at the
// first answer, else the local clock at the start), no later than end
// when end is set.
func (c *apiClient) clock(end time.Time) time.Time {
	t := c.started
	if !c.server.IsZero() {
		t = c.server
	}
	if !end.IsZero() && t.After(end) {
		t = end
	}
	return t
}

// pages reads every page of the query q, calling fn for each CVE.
func (c *apiClient) pages(ctx context.Context, q url.Values, fn func(entry) error) error {
	q.Set("resultsPerPage", strconv.Itoa(resultsPerPage))
	for start := 0; ; {
		q.Set("startIndex", strconv.Itoa(start))
		loc := c.base + "?" + q.Encode()
		p, err := c.page(ctx, loc, fn)
		if err != nil {
			return err
		}
		slog.DebugContext(ctx, "nvd: page read", "startIndex", start, "cves", p.CVEs, "totalResults", p.TotalResults)
		start += p.CVEs
		if start >= p.TotalResults {
			return nil
		}
		if p.CVEs == 0 {
			return fmt.Errorf("%s: no CVEs at startIndex %d of %d results", loc, start, p.TotalResults)
		}
	}
}

// page sends one request, after the pause the rate limit asks for, and
// decodes the answer as it arrives. Its errors name loc.
func (c *apiClient) page(ctx context.Context, loc string, fn func(entry) error) (*page, error) {
	if !c.last.IsZero() {
		if err := update.Sleep(ctx, time.Until(c.last.Add(c.wait))); err != nil {
			return nil, err
		}
	}
	c.last = time.Now()
	// The NVD answers 403 as well as 429 to a client over its rate limit.
	resp, err := update.Get(ctx, c.client, loc, c.header, http.StatusForbidden)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p, err := decode(resp.Body, fn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	if c.server.IsZero() {
		c.server, _ = parseTime("timestamp", p.Timestamp)
	}
	return p, nil
}

// apiTime formats t as the API's date parameters want it.
func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-07:00") }

func formatCursor(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
