package update

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-scan/strata/internal/spool"

	"github.com/strata-scan/strata"
)

// Retries on 429 Too Many Requests and 503 Service Unavailable.
const (
	maxTries = 3
	// firstBackoff is the wait before the second try when the server
	// sends no Retry-After; it doubles for each further try.
	firstBackoff = time.Second
	// maxRetryWait bounds the wait: a server that asks for longer gets
	// an error rather than a retry.
	maxRetryWait = 2 * time.Minute
)

// fetchURL gets loc conditionally. A response without validators is
// spooled to a temporary file while it is hashed, so that an unchanged
// body is not parsed again.
func fetchURL(ctx context.Context, client *http.Client, loc string, prev Fingerprint, fn func(Document) error) (Fingerprint, error) {
	resp, err := get(ctx, client, loc, prev)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return prev, ErrUnchanged
	}
	fp := validators(resp.Header)
	var body io.Reader = resp.Body
	if fp == "" {
		f, sum, err := spoolHashed(resp.Body)
		if err != nil {
			return "", fmt.Errorf("fetch %s: %w", loc, err)
		}
		defer f.Close()
		fp, body = sum, f
	}
	if fp == prev {
		return prev, ErrUnchanged
	}
	if err := readDocuments(ctx, loc, body, fn); err != nil {
		return "", err
	}
	return fp, nil
}

// get sends the request, retrying politely; the response is 200 or 304.
func get(ctx context.Context, client *http.Client, loc string, prev Fingerprint) (*http.Response, error) {
	return send(ctx, client, loc, func() (*http.Request, error) { return newRequest(ctx, loc, prev) }, nil)
}

// Get sends a GET for loc (an API's page: not conditional) with header
// added, retrying as feed downloads are retried: on 429 Too Many Requests
// and 503 Service Unavailable, and on the statuses of alsoRetry (the NVD
// answers 403 to a client over its rate limit), after the server's
// Retry-After or a doubling back-off. The response is 200 OK; any other
// status is an error naming loc. client nil is http.DefaultClient.
func Get(ctx context.Context, client *http.Client, loc string, header http.Header, alsoRetry ...int) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	return send(ctx, client, loc, func() (*http.Request, error) {
		req, err := newRequest(ctx, loc, "")
		if err == nil {
			for k, vs := range header {
				req.Header[k] = vs
			}
		}
		return req, err
	}, alsoRetry)
}

// send sends the requests newReq makes until one is answered 200 or 304,
// or a failure is not worth retrying.
func send(ctx context.Context, client *http.Client, loc string, newReq func() (*http.Request, error), alsoRetry []int) (*http.Response, error) {
	for try := 1; ; try++ {
		req, err := newReq()
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", loc, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			if ue := (*url.Error)(nil); errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, fmt.Errorf("fetch %s: %w", loc, err)
		}
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNotModified {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		wait, err := retryDelay(resp, try, alsoRetry)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", loc, err)
		}
		if err := Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", loc, err)
		}
	}
}

// retryDelay is how long to wait before trying again after the failed
// response resp to the try'th request, or the error to report.
func retryDelay(resp *http.Response, try int, alsoRetry []int) (time.Duration, error) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable &&
		!slices.Contains(alsoRetry, resp.StatusCode) {
		return 0, errors.New(resp.Status)
	}
	if try == maxTries {
		return 0, fmt.Errorf("%s (after %d tries)", resp.Status, try)
	}
	wait := firstBackoff << (try - 1)
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		wait = d
	}
	if wait > maxRetryWait {
		return 0, fmt.Errorf("%s (retry after %s)", resp.Status, wait)
	}
	return wait, nil
}

// newRequest makes a GET carrying the validators recorded in prev.
func newRequest(ctx context.Context, loc string, prev Fingerprint) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", strata.UserAgent())
	if prev != "" && !strings.HasPrefix(string(prev), "sha256:") {
		v, _ := url.ParseQuery(string(prev))
		if etag := v.Get("etag"); etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if lm := v.Get("last-modified"); lm != "" {
			req.Header.Set("If-Modified-Since", lm)
		}
	}
	return req, nil
}

// validators is the fingerprint of a response: its ETag and
// Last-Modified, query-encoded; empty when it has neither.
func validators(h http.Header) Fingerprint {
	v := url.Values{}
	if etag := h.Get("ETag"); etag != "" {
		v.Set("etag", etag)
	}
	if lm := h.Get("Last-Modified"); lm != "" {
		v.Set("last-modified", lm)
	}
	return Fingerprint(v.Encode())
}

// retryAfter reads a Retry-After value: seconds or an HTTP date.
func retryAfter(s string, now time.Time) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// Sleep waits for d, or returns ctx's error when ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// spoolHashed copies r to a temporary file (see spool.File), hashing it; the
// file is returned open at its start.
func spoolHashed(r io.Reader) (*os.File, Fingerprint, error) {
	h := sha256.New()
	f, err := spool.File(io.TeeReader(r, h), "strata-fetch-*")
	if err != nil {
		return nil, "", err
	}
	return f, Fingerprint("sha256:" + hex.EncodeToString(h.Sum(nil))), nil
}
