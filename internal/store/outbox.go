package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strata-scan/strata"
)

// The outbox keeps every (image, vulnerability, reason) notification, in
// groups: the notifications of one diff that several images share, each of
// a group's Manifests with each of its Changes. A feed update that adds a
// vulnerability to a package most images hold makes one group for all of
// them instead of one row per image, which is what lets the notifier
// record the notifications of a million images in seconds.

// Change is what one update diff did to a package version: it made a
// vulnerability affect it (Reason Added) or no longer affect it (Removed).
type Change struct {
	Vulnerability string `json:"vulnerability"`
	// Aliases are the vulnerability's other ids (those its records give
	// as their own or as aliases), sorted.
	Aliases  []string        `json:"aliases,omitempty"`
	Package  string          `json:"package"`
	Version  string          `json:"version"`
	Reason   string          `json:"reason"`
	Severity strata.Severity `json:"severity"`
}

// FormatAliases is how a change's aliases are stored: space-separated.
func FormatAliases(aliases []string) string { return strings.Join(aliases, " ") }

// ParseAliases reads stored aliases (see FormatAliases): nil for none.
func ParseAliases(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// DiffNotifications is the notifications of one diff as the notifier makes
// them and PutNotifications records them: the distinct changes the diff
// made, and sets of images that each get some of them.
type DiffNotifications struct {
	Changes []Change
	Sets    []ChangeSet
}

// ChangeSet is images that get the same changes: each of Manifests gets
// each of Changes (indices in the DiffNotifications' Changes).
type ChangeSet struct {
	Manifests []strata.Digest
	Changes   []int32
}

// Count counts the notifications of n.
func (n *DiffNotifications) Count() int64 {
	var c int64
	for _, s := range n.Sets {
		c += int64(len(s.Manifests)) * int64(len(s.Changes))
	}
	return c
}

// NotificationGroup is the notifications of one diff that each of
// Manifests gets: one per change, as the store keeps them. Its pairs are
// numbered manifest by manifest, change by change: pair k is
// Manifests[k/len(Changes)] with Changes[k%len(Changes)], and its
// notification has the ID NotificationID(ID, k).
type NotificationGroup struct {
	ID        int64
	Diff      int64
	Updater   string
	Created   time.Time // when the diff was notified
	Manifests []strata.Digest
	Changes   []Change
	// Acked counts the pairs delivered: the first Acked, in pair order.
	Acked int64
	// Delivered is when the last of them was acknowledged.
	Delivered time.Time
	// Deleted maps the index in Manifests of each image deleted since
	// (the group still pending) to the group's Acked then: its pairs from
	// there on were dropped, neither listed nor delivered; those delivered
	// before stay listed.
	Deleted map[int64]int64
}

// Dropped reports whether pair k of g was dropped: still pending when
// its image was deleted.
func (g *NotificationGroup) Dropped(k int64) bool {
	if len(g.Deleted) == 0 {
		return false
	}
	acked, ok := g.Deleted[k/int64(len(g.Changes))]
	return ok && k >= acked
}

// Pairs counts the notifications of g.
func (g *NotificationGroup) Pairs() int64 { return int64(len(g.Manifests)) * int64(len(g.Changes)) }

// Notification returns pair k of g.
func (g *NotificationGroup) Notification(k int64) Notification {
	m, c := g.Manifests[k/int64(len(g.Changes))], g.Changes[k%int64(len(g.Changes))]
	n := Notification{
		ID: NotificationID(g.ID, k), Diff: g.Diff, Updater: g.Updater, Manifest: m,
		Vulnerability: c.Vulnerability, Aliases: c.Aliases, Package: c.Package, Version: c.Version, Reason: c.Reason, Severity: c.Severity,
		Created: g.Created,
	}
	if k < g.Acked {
		n.Delivered = g.Delivered
	}
	return n
}

// pairBits is how many low bits of a notification's ID number its pair
// within its group; the group's ID is in the others. A stored group holds
// at most MaxGroupPairs pairs.
const pairBits = 24

// MaxGroupPairs is the most pairs a stored group holds.
const MaxGroupPairs = 1 << pairBits

// MaxGroupManifests is the most manifests a stored group holds, so that
// reading one to list a page of notifications stays cheap.
const MaxGroupManifests = 1000

// NotificationID is the ID of pair k of the group of ID group.
func NotificationID(group, k int64) int64 { return group<<pairBits | k }

// SplitNotificationID returns the group and the pair of a notification ID.
func SplitNotificationID(id int64) (group, k int64) { return id >> pairBits, id & (MaxGroupPairs - 1) }

// LastNotification is an ID above every notification's, to acknowledge
// all of them.
const LastNotification = math.MaxInt64

// SplitSets returns sets with each set split, when needed, into sets of
// at most MaxGroupManifests manifests and MaxGroupPairs pairs, as the
// stores keep them (a group each). A set without manifests or changes is
// dropped.
func SplitSets(sets []ChangeSet) ([]ChangeSet, error) {
	var out []ChangeSet
	for _, s := range sets {
		if len(s.Changes) > MaxGroupPairs {
			return nil, fmt.Errorf("notification set of %d changes: at most %d", len(s.Changes), MaxGroupPairs)
		}
		per := min(MaxGroupManifests, MaxGroupPairs/max(len(s.Changes), 1))
		for i := 0; i < len(s.Manifests) && len(s.Changes) > 0; i += per {
			part := s
			part.Manifests = s.Manifests[i:min(i+per, len(s.Manifests))]
			out = append(out, part)
		}
	}
	return out, nil
}

// EncodeSet returns the columns that the stores keep of a set of a diff
// of n changes: its manifests, a JSON array, and its changes, their
// indices as unsigned varints one after the other.
func EncodeSet(s ChangeSet, n int) (manifests string, changes []byte, err error) {
	ms := []byte{'['}
	for i, m := range s.Manifests {
		if i > 0 {
			ms = append(ms, ',')
		}
		ms, err = appendJSONString(ms, string(m))
		if err != nil {
			return "", nil, err
		}
	}
	cs := make([]byte, 0, 2*len(s.Changes))
	for _, c := range s.Changes {
		if c < 0 || int(c) >= n {
			return "", nil, fmt.Errorf("notification set: change %d of %d", c, n)
		}
		cs = binary.AppendUvarint(cs, uint64(c))
	}
	return string(append(ms, ']')), cs, nil
}

// deletedMark prefixes, in the manifests column of a stored group, the
// digest of an image deleted while the group was pending, after the
// group's acked count then and a colon: "deleted:12:sha256:…".
const deletedMark = "deleted:"

// DeleteManifestEdit returns what deleting the image m replaces in the
// manifests column of a pending group: old, its JSON string, by
// prefix + acked + suffix where acked is the group's acked count (so that
// the engines' UPDATE writes it in SQL), which DecodeManifests reads as
// Deleted.
func DeleteManifestEdit(m strata.Digest) (old, prefix, suffix string, err error) {
	q, err := appendJSONString(nil, string(m))
	if err != nil {
		return "", "", "", err
	}
	return string(q), `"` + deletedMark, ":" + string(q[1:]), nil
}

// DecodeManifests reads the manifests column of a stored group: the
// digests, and the deleted ones as NotificationGroup.Deleted has them.
func DecodeManifests(b []byte) (ms []strata.Digest, deleted map[int64]int64, err error) {
	if err := json.Unmarshal(b, &ms); err != nil {
		return nil, nil, err
	}
	for i, m := range ms {
		rest, ok := strings.CutPrefix(string(m), deletedMark)
		if !ok {
			continue
		}
		n, digest, ok := strings.Cut(rest, ":")
		acked, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil || acked < 0 {
			return nil, nil, fmt.Errorf("manifest %d: malformed deletion %q", i, m)
		}
		if deleted == nil {
			deleted = map[int64]int64{}
		}
		ms[i], deleted[int64(i)] = strata.Digest(digest), acked
	}
	return ms, deleted, nil
}

// appendJSONString appends s as a JSON string: as it is between quotes
// when it needs no escape, as a digest never does.
func appendJSONString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			q, err := json.Marshal(s)
			return append(b, q...), err
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// DecodeChanges reads the changes column of a stored set.
func DecodeChanges(b []byte) ([]int32, error) {
	var cs []int32
	for len(b) > 0 {
		c, n := binary.Uvarint(b)
		if n <= 0 || c > math.MaxInt32 {
			return nil, fmt.Errorf("malformed changes at %x", b[:min(len(b), 8)])
		}
		cs, b = append(cs, int32(c)), b[n:]
	}
	return cs, nil
}

// FillChanges sets the Changes of each of gs from the indices of its
// changes (idx[i] for gs[i]), reading the changes of each diff once
// through fetch.
func FillChanges(ctx context.Context, gs []NotificationGroup, idx [][]int32,
	fetch func(ctx context.Context, diff int64, idx []int32) (map[int32]Change, error)) error {
	byDiff := map[int64][]int32{}
	for i, g := range gs {
		byDiff[g.Diff] = append(byDiff[g.Diff], idx[i]...)
	}
	changes := map[int64]map[int32]Change{}
	for diff, list := range byDiff {
		slices.Sort(list)
		cs, err := fetch(ctx, diff, slices.Compact(list))
		if err != nil {
			return fmt.Errorf("changes of diff %d: %w", diff, err)
		}
		changes[diff] = cs
	}
	for i := range gs {
		gs[i].Changes = make([]Change, len(idx[i]))
		for k, c := range idx[i] {
			ch, ok := changes[gs[i].Diff][c]
			if !ok {
				return fmt.Errorf("group %d: change %d of diff %d is missing", gs[i].ID, c, gs[i].Diff)
			}
			gs[i].Changes[k] = ch
		}
	}
	return nil
}

// GroupFilter selects notification groups: at most Limit of those with ID
// From or more, only those with a pending (undelivered) notification when
// Pending, only those of the diff Diff unless it is 0.
type GroupFilter struct {
	From    int64
	Limit   int
	Pending bool
	Diff    int64
}

// GroupReader reads notification groups; every Store is one.
type GroupReader interface {
	NotificationGroups(ctx context.Context, f GroupFilter) ([]NotificationGroup, error)
}

// EachPendingGroup calls fn with each group holding pending
// notifications, in ID order, reading groupsPerRead groups at a time (not
// every group at once: a million-image diff's groups hold millions of
// pairs); it stops at fn's first error.
func EachPendingGroup(ctx context.Context, st GroupReader, fn func(*NotificationGroup) error) error {
	for from := int64(0); ; {
		gs, err := st.NotificationGroups(ctx, GroupFilter{From: from, Limit: groupsPerRead, Pending: true})
		if err != nil {
			return err
		}
		for i := range gs {
			if err := fn(&gs[i]); err != nil {
				return err
			}
		}
		if len(gs) < groupsPerRead {
			return nil
		}
		from = gs[len(gs)-1].ID + 1
	}
}

// groupsPerRead bounds how many groups Notifications reads at a time: a
// group may hold thousands of notifications.
const groupsPerRead = 64

// Notifications returns the notifications f selects, in ID order, reading
// the groups that hold them a few at a time.
func Notifications(ctx context.Context, st GroupReader, f NotificationFilter) ([]Notification, error) {
	var ns []Notification
	from, _ := SplitNotificationID(f.After)
	for n := 1; len(ns) < f.Limit; n = min(2*n, groupsPerRead) {
		gs, err := st.NotificationGroups(ctx, GroupFilter{From: from, Limit: n, Pending: f.Pending, Diff: f.Diff})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			k := int64(0)
			if f.Pending {
				k = g.Acked
			}
			if group, after := SplitNotificationID(f.After); g.ID == group {
				k = max(k, after+1)
			}
			for ; k < g.Pairs() && len(ns) < f.Limit; k++ {
				if !g.Dropped(k) {
					ns = append(ns, g.Notification(k))
				}
			}
		}
		if len(gs) < n {
			break
		}
		from = gs[len(gs)-1].ID + 1
	}
	return ns, nil
}
