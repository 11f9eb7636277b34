// Package bundle writes and reads feed bundles: all the feed data of a
// store in one file, for installations without network access ("strata
// db export" where the feeds can be fetched, "strata db import" where they
// cannot).
//
// # Format, version 1
//
// A bundle is a zstd stream. Its uncompressed content is JSON Lines, each
// line one JSON value ended by "\n":
//
//	{"format":"strata-feed-bundle","version":1,"created":"2026-12-03T10:00:00Z"}
//	{"feed":{"updater":"debian","fingerprint":"…","last_success":"2026-12-03T09:58:12Z","records":2}}
//	{"id":"DSA-5343-1","updater":"debian","ecosystem":"deb",…}
//	{"id":"DSA-5349-1","updater":"debian","ecosystem":"deb",…}
//	{"feed":{"updater":"osv",…,"records":1}}
//	{"id":"GO-2023-1571",…}
//	{"end":{"feeds":2,"records":3,"sha256":"9f86d0…"}}
//
// The header line comes first. Each feed line (the feed's updater, the
// fingerprint of its upstream documents, the time it was last fetched
// from them, and its number of records) is followed by exactly that many
// records, each a strata.Vulnerability as the store keeps it. The end
// line counts the feeds and records and holds the SHA-256, in hex, of
// every byte of the uncompressed content before it; nothing follows it.
// An updater appears at most once.
//
// Open checks all of it (the header, every line, the counts and the
// checksum) before Each hands out any record, so that a truncated,
// corrupt or altered bundle is rejected before anything is imported. The
// checksum detects damage, not a forger who rewrites it too: to detect
// that, compare the SHA-256 of the file itself (which "strata db export"
// prints) over a trusted channel. A reader rejects a version newer than
// its own; a later version that only adds fields keeps version 1.
package bundle

import (
	"time"
)

// Format is the value of the header's "format" field.
const Format = "strata-feed-bundle"

// Version is the format version this package writes and the newest it
// reads.
const Version = 1

// Feed is one feed's status in a bundle.
type Feed struct {
	Updater     string    `json:"updater"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	LastSuccess time.Time `json:"last_success"`
	Records     int       `json:"records"`
}

// header is the first line.
type header struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
}

// end is the last line's content.
type end struct {
	Feeds   int    `json:"feeds"`
	Records int    `json:"records"`
	SHA256  string `json:"sha256"`
}

// line is a line after the header: a feed line or the end line.
type line struct {
	Feed *Feed `json:"feed,omitempty"`
	End  *end  `json:"end,omitempty"`
}
