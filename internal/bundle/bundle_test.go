package bundle

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/klauspost/compress/zstd"

	"github.com/strata-scan/strata"
)

var (
	created = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	fetched = time.Date(2026, 12, 3, 9, 58, 12, 345678000, time.UTC)
)

// record is a record with every field set.
func record(updater, id, pkg string) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Aliases: []string{"CVE-2023-0001"}, Updater: updater, Eco: strata.Deb, Release: "debian:12",
		Package: pkg, SourcePackage: true,
		Ranges:   []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.2-3"}}}},
		Versions: []string{"1.2-1"}, FixedVersion: "1.2-3", State: strata.Fixed,
		VendorSeverity: "high", Severity: strata.High,
		CVSS:        []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", Score: 7.5}},
		Description: "A flaw.", Links: []string{"https://example.invalid/" + id},
		Published: time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC), Modified: time.Date(2023, 2, 3, 4, 5, 6, 7, time.UTC),
		Symbols: map[string][]string{"example.com/m": {"Parse"}},
	}
}

type feedData struct {
	feed    Feed
	records []strata.Vulnerability
}

var testFeeds = []feedData{
	{Feed{Updater: "debian", Fingerprint: "DSA.list\t\"etag-1\"\nDLA.list\tsha256:ab", LastSuccess: fetched},
		[]strata.Vulnerability{record("debian", "DSA-1", "openssl"), record("debian", "DSA-2", "zlib")}},
	{Feed{Updater: "empty", LastSuccess: fetched}, nil},
	{Feed{Updater: "osv", LastSuccess: fetched.Add(-time.Hour)}, []strata.Vulnerability{record("osv", "GO-1", "example.com/m")}},
}

// write writes feeds as a bundle.
func write(t testing.TB, feeds []feedData) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, created)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if err := w.WriteFeed(f.feed, f.records); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// opener opens a copy of b.
func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// readAll opens the bundle b and reads every feed.
func readAll(b []byte) (*Bundle, []feedData, error) {
	bd, err := Open(opener(b))
	if err != nil {
		return nil, nil, err
	}
	var got []feedData
	err = bd.Each(func(f Feed, vs []strata.Vulnerability) error {
		got = append(got, feedData{f, vs})
		return nil
	})
	return bd, got, err
}

func TestRoundTrip(t *testing.T) {
	bd, got, err := readAll(write(t, testFeeds))
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{Updater: "debian", Fingerprint: "DSA.list\t\"etag-1\"\nDLA.list\tsha256:ab", LastSuccess: fetched, Records: 2},
		{Updater: "empty", LastSuccess: fetched, Records: 0},
		{Updater: "osv", LastSuccess: fetched.Add(-time.Hour), Records: 1},
	}
	if diff := cmp.Diff(want, bd.Feeds); diff != "" {
		t.Errorf("Feeds (-want +got):\n%s", diff)
	}
	if !bd.Created.Equal(created) || bd.Records != 3 {
		t.Errorf("created %v, %d records; want %v, 3", bd.Created, bd.Records, created)
	}
	for i := range testFeeds {
		testFeeds[i].feed.Records = len(testFeeds[i].records)
	}
	if diff := cmp.Diff(testFeeds, got, cmp.AllowUnexported(feedData{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Each (-want +got):\n%s", diff)
	}
}

func TestEmptyBundle(t *testing.T) {
	bd, got, err := readAll(write(t, nil))
	if err != nil || len(bd.Feeds) != 0 || len(got) != 0 {
		t.Errorf("empty bundle: %v, %d feeds, %d read; want no error and no feed", err, len(bd.Feeds), len(got))
	}
}

// content is the uncompressed content of the bundle b.
func content(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zstd.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// compress makes a bundle of the uncompressed content s.
func compress(t testing.TB, s string) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return zw.EncodeAll([]byte(s), nil)
}

// TestBadBundles checks that every damaged or foreign bundle is an error
// that says what is wrong, found before any feed is handed out.
func TestBadBundles(t *testing.T) {
	good := write(t, testFeeds)
	text := content(t, good)
	lines := strings.SplitAfter(text, "\n")
	endLine := lines[len(lines)-2]
	withoutEnd := strings.TrimSuffix(text, endLine)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty file", nil, "not zstd-compressed"},
		{"plain JSON", []byte(text), "not zstd-compressed"},
		{"truncated file", good[:len(good)/2], "unexpected EOF"},
		{"flipped byte", flipped, ""},
		{"no end line", compress(t, withoutEnd), "line 8: unexpected end of the bundle: it is truncated"},
		{"cut inside a line", compress(t, text[:len(text)-10]), "line 8: unexpected end of the bundle: it is truncated"},
		{"fixed version altered", compress(t, strings.Replace(text, `"fixed_version":"1.2-3"`, `"fixed_version":"1.2-9"`, 1)), "checksum mismatch"},
		{"record removed and counts fixed", compress(t, strings.Replace(strings.Replace(strings.Replace(text, lines[3], "", 1),
			`"records":2`, `"records":1`, 1), `"records":3,`, `"records":2,`, 1)), "checksum mismatch"},
		{"record removed", compress(t, strings.Replace(text, lines[3], "", 1)), "line 4: feed debian: record 2 of 2: no id"},
		{"data after the end", compress(t, text+"{}\n"), "line 9: data after the end line"},
		{"not a bundle", compress(t, "{\"hello\":1}\n"), "not a strata feed bundle: no bundle header"},
		{"newer version", compress(t, strings.Replace(text, `"version":1`, `"version":2`, 1)), "bundle format version 2 is newer than this strata reads (1)"},
		{"version 0", compress(t, strings.Replace(text, `"version":1`, `"version":0`, 1)), "line 1: bad format version 0"},
		{"feed twice", compress(t, withoutEnd+lines[4]+endLine), "line 8: feed empty appears twice"},
		{"record without id", compress(t, strings.Replace(text, `"id":"DSA-1"`, `"id":""`, 1)), "line 3: feed debian: record 1 of 2: no id"},
		{"record not JSON", compress(t, strings.Replace(text, lines[2], "{oops\n", 1)), "line 3: feed debian: record 1 of 2: invalid character"},
		{"feed without time", compress(t, strings.Replace(text, `"last_success":"2026-12-03T08:58:12.345678Z"`, `"last_success":"0001-01-01T00:00:00Z"`, 1)), "line 6: feed osv: no last_success"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bd, err := Open(opener(tt.b))
			if err == nil {
				t.Fatalf("Open = %d feeds, want an error", len(bd.Feeds))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: %v; want %q", err, tt.want)
			}
		})
	}
}

// TestChangedAfterOpen replaces the file between Open and Each: the feeds
// before the change are handed out, the changed one is an error.
func TestChangedAfterOpen(t *testing.T) {
	good := write(t, testFeeds)
	changed := testFeeds[:2:2]
	changed = append(changed, feedData{testFeeds[2].feed, []strata.Vulnerability{record("osv", "GO-2", "example.com/m")}})
	current := good
	bd, err := Open(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(current)), nil })
	if err != nil {
		t.Fatal(err)
	}
	current = write(t, changed)
	var seen []string
	err = bd.Each(func(f Feed, _ []strata.Vulnerability) error {
		seen = append(seen, f.Updater)
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "feed osv changed since the bundle was verified") {
		t.Errorf("Each: %v; want feed osv changed", err)
	}
	if diff := cmp.Diff([]string{"debian", "empty"}, seen); diff != "" {
		t.Errorf("feeds handed out (-want +got):\n%s", diff)
	}
}

func TestEachStopsOnError(t *testing.T) {
	bd, err := Open(opener(write(t, testFeeds)))
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = bd.Each(func(Feed, []strata.Vulnerability) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Each: %v after %d feeds; want stop after 1", err, n)
	}
}

func TestWriterRejects(t *testing.T) {
	tests := []struct {
		name  string
		feeds []Feed
		want  string
	}{
		{"no name", []Feed{{LastSuccess: fetched}}, "bundle: a feed without an updater name"},
		{"twice", []Feed{{Updater: "osv", LastSuccess: fetched}, {Updater: "osv", LastSuccess: fetched}}, "bundle: feed osv written twice"},
		{"no time", []Feed{{Updater: "osv"}}, "bundle: feed osv: no time of last success"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(io.Discard, created)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.feeds {
				err = w.WriteFeed(f, nil)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("WriteFeed: %v, want %q", err, tt.want)
			}
		})
	}
}
