// Package store holds what the storage engines share: sentinel errors, the
// record types and Store, the whole method set an engine implements. The
// smaller interfaces a component needs are defined where they are used
// (index.Store, match.Source, update.Store); store/sqlite and
// store/postgres implement all of them, and store/storetest is the one
// conformance suite both must pass.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/strata-scan/strata"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// UpdaterStatus is what the store knows about one feed.
type UpdaterStatus struct {
	Updater     string    `json:"updater"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Records     int       `json:"records"`
}

// Store is everything a storage engine implements.
type Store interface {
	// LayerReport returns the stored report of one scanner on one layer,
	// or ErrNotFound.
	LayerReport(ctx context.Context, layer strata.Digest, scanner, version string) (*strata.LayerReport, error)
	// PutLayerReport stores (or replaces) a layer report.
	PutLayerReport(ctx context.Context, r *strata.LayerReport) error
	// PutLayerBlob records (or replaces) the diff_id of a layer blob.
	PutLayerBlob(ctx context.Context, blob, diffID strata.Digest) error
	// LayerDiffID returns the recorded diff_id of a layer blob, or
	// ErrNotFound.
	LayerDiffID(ctx context.Context, blob strata.Digest) (strata.Digest, error)

	// Lock waits for, and takes, the lock named key, shared by every
	// Store on the same database (on PostgreSQL, in every process; on
	// SQLite, in this process): unlock releases it (a second call does
	// nothing), and it is released too when the process holding it dies.
	// It returns ctx's error when ctx ends first.
	Lock(ctx context.Context, key string) (unlock func(), err error)
	// TryLock takes the lock named key when it is free; ok is false when
	// another holds it.
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)

	// PutIndexReport stores (or replaces) the index report of a manifest,
	// with the manifest's layers.
	PutIndexReport(ctx context.Context, r *strata.IndexReport) error
	// IndexReport returns a manifest's index report, or ErrNotFound.
	IndexReport(ctx context.Context, manifest strata.Digest) (*strata.IndexReport, error)
	// Manifests lists the indexed manifests, sorted.
	Manifests(ctx context.Context) ([]strata.Digest, error)
	// DeleteIndexReport removes a manifest and the layer reports of the
	// layers no other manifest references, and drops its pending
	// notifications (NotificationGroup.Deleted; the delivered ones stay);
	// ErrNotFound when absent.
	DeleteIndexReport(ctx context.Context, manifest strata.Digest) error

	// ReplaceVulnerabilities replaces the updater's whole set in one
	// transaction, records the fingerprint and a successful run, and
	// stores and returns the difference (by record content) from the
	// previous set. Of records with equal keys the last wins; stored
	// records get Updater set to updater; the diff's lists are sorted by
	// Key. When nothing changed no diff is stored and the returned diff
	// has ID 0. A failure leaves the previous set, status and diffs.
	ReplaceVulnerabilities(ctx context.Context, updater, fingerprint string, vulns []strata.Vulnerability) (*strata.UpdateDiff, error)
	// Vulnerabilities returns every record, of any updater, for the
	// ecosystem and release ("" for language ecosystems) whose Package is
	// one of names. Records of no ecosystem (the NVD's, which only enrich
	// findings) are never returned.
	Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error)
	// UpdaterVulnerabilities returns the updater's whole stored set, sorted
	// by key (as ReplaceVulnerabilities stored it): the base an incremental
	// update applies its changes to, and what a database export writes.
	UpdaterVulnerabilities(ctx context.Context, updater string) ([]strata.Vulnerability, error)
	// VulnerabilitiesByIDs returns the updater's records whose ID (not an
	// alias) is one of ids, sorted by key, in one query however many ids
	// a report names (the NVD's records that enrich its findings).
	VulnerabilitiesByIDs(ctx context.Context, updater string, ids []string) ([]strata.Vulnerability, error)
	// Covered reports whether any updater holds at least one record for
	// the ecosystem and release (release "" for language ecosystems), so
	// that "no data for this distribution" is told apart from "no
	// findings". It must be cheap (an indexed EXISTS query). Records of
	// no ecosystem cover nothing: Covered("", …) is false.
	Covered(ctx context.Context, eco strata.Ecosystem, release string) (bool, error)
	// UpdaterStatus returns what is known about a feed; a feed never run
	// has a zero status with its name, not an error.
	UpdaterStatus(ctx context.Context, updater string) (*UpdaterStatus, error)
	// UpdaterStatuses returns, sorted by name, the status of every feed
	// that was ever run or imported (successfully or not).
	UpdaterStatuses(ctx context.Context) ([]UpdaterStatus, error)
	// ImportVulnerabilities is ReplaceVulnerabilities for a feed's set
	// read from a database export, except that the status records
	// lastSuccess (when the set was fetched from its upstream) as the
	// last success, so that the feed's age is its data's, not the
	// import's.
	ImportVulnerabilities(ctx context.Context, updater, fingerprint string, lastSuccess time.Time, vulns []strata.Vulnerability) (*strata.UpdateDiff, error)
	// RecordUpdateFailure notes a failed run without touching the data.
	RecordUpdateFailure(ctx context.Context, updater string, msg string) error
	// RecordUpdateUnchanged notes a run that found the feed unchanged
	// upstream (every location answered with the stored fingerprint): its
	// data is as fresh as a new success, and any earlier error is over.
	// It does nothing to an updater that never succeeded.
	RecordUpdateUnchanged(ctx context.Context, updater string) error
	// UpdateDiffs returns the stored diffs with ID > after, oldest first.
	UpdateDiffs(ctx context.Context, after int64) ([]strata.UpdateDiff, error)

	// notifications

	// PackageVersions returns, in ID order, the distinct package versions
	// that indexed manifests hold under any of keys (by name or by source
	// name), reading no report.
	PackageVersions(ctx context.Context, keys []PackageKey) ([]PackageVersion, error)
	// ManifestsWith calls fn, in no particular order, with each manifest
	// holding one of the package versions (by ID), by its number and,
	// when digests is set, by digest with the layer that introduced the
	// version there ("" when unknown); it stops at fn's first error.
	ManifestsWith(ctx context.Context, versions []int64, digests bool, fn func(Holding) error) error
	// ManifestDigests returns, in number order, the numbers and digests of
	// those of the manifests ids (numbers, in any order, repeats allowed)
	// that are still indexed, each once.
	ManifestDigests(ctx context.Context, ids []int64) ([]IndexedManifest, error)
	// CountManifests counts the indexed manifests.
	CountManifests(ctx context.Context) (int, error)
	// NotifyProgress returns the diffs the notifier has processed.
	NotifyProgress(ctx context.Context) (*NotifyProgress, error)
	// PutNotifications records, in one transaction, that diff (of
	// updater) was processed and its notifications: a group per set of
	// n (split as SplitSets splits them), in order. It returns false and
	// records nothing when the diff was processed before.
	PutNotifications(ctx context.Context, diff int64, updater string, n *DiffNotifications) (bool, error)
	// NotificationGroups returns the groups f selects, in ID order.
	NotificationGroups(ctx context.Context, f GroupFilter) ([]NotificationGroup, error)
	// AckNotifications marks delivered, now, the pending notifications of
	// diff (of every diff when 0) whose ID is through or less, in one
	// transaction, and returns how many they were. (A group's delivered
	// pairs are always its first: acknowledgements go in ID order.)
	AckNotifications(ctx context.Context, diff, through int64) (int64, error)
	// VulnerabilitiesByID returns every record, of any updater, whose ID
	// or one of whose aliases is one of ids, sorted by updater and key,
	// each once.
	VulnerabilitiesByID(ctx context.Context, ids ...string) ([]strata.Vulnerability, error)

	Close() error
}

// NotifyProgress is how far the notifier has got through the update diffs.
type NotifyProgress struct {
	// LastDiff is the highest diff ID processed (0 when none).
	LastDiff int64
	// Updaters lists, sorted, the updaters of which a diff was processed:
	// the next diff of any other is its baseline.
	Updaters []string
}

// Notification says that a feed update made one vulnerability affect
// (Reason "added") or no longer affect ("removed") one indexed image.
type Notification struct {
	ID            int64           `json:"id"`
	Diff          int64           `json:"diff"`
	Updater       string          `json:"updater"`
	Manifest      strata.Digest   `json:"manifest"`
	Vulnerability string          `json:"vulnerability"`
	Aliases       []string        `json:"aliases,omitempty"` // the vulnerability's other ids (see Change)
	Package       string          `json:"package"`
	Version       string          `json:"version"`
	Reason        string          `json:"reason"`
	Severity      strata.Severity `json:"severity"`
	Created       time.Time       `json:"created,omitzero"`
	Delivered     time.Time       `json:"delivered,omitzero"`
}

// NotificationFilter selects notifications: at most Limit of those with
// ID > After, only the undelivered ones when Pending, only those of the
// diff Diff unless it is 0.
type NotificationFilter struct {
	After   int64
	Limit   int
	Pending bool
	Diff    int64
}

// The reasons of a notification.
const (
	Added   = "added"
	Removed = "removed"
)
