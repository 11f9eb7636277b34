package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func TestEncodeSet(t *testing.T) {
	tests := []struct {
		name      string
		set       ChangeSet
		n         int
		manifests string
		changes   []byte
		err       string
	}{
		{"digests", ChangeSet{Manifests: []strata.Digest{"sha256:01", "sha256:02"}, Changes: []int32{0, 127, 128, 300}}, 301,
			`["sha256:01","sha256:02"]`, []byte{0, 127, 0x80, 1, 0xac, 2}, ""},
		{"a name that needs escapes", ChangeSet{Manifests: []strata.Digest{"a\"b\\c\nd é"}, Changes: []int32{1}}, 2,
			`["a\"b\\c\nd é"]`, []byte{1}, ""},
		{"a change out of range", ChangeSet{Manifests: []strata.Digest{"sha256:01"}, Changes: []int32{2}}, 2,
			"", nil, "change 2 of 2"},
		{"a negative change", ChangeSet{Manifests: []strata.Digest{"sha256:01"}, Changes: []int32{-1}}, 2,
			"", nil, "change -1 of 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, cs, err := EncodeSet(tt.set, tt.n)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("EncodeSet = %v, want an error saying %q", err, tt.err)
				}
				return
			}
			if err != nil || ms != tt.manifests || string(cs) != string(tt.changes) {
				t.Fatalf("EncodeSet = %s, %x, %v; want %s, %x", ms, cs, err, tt.manifests, tt.changes)
			}
			var back []strata.Digest
			if err := json.Unmarshal([]byte(ms), &back); err != nil {
				t.Fatal(err)
			}
			changes, err := DecodeChanges(cs)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.set, ChangeSet{Manifests: back, Changes: changes}); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeChangesMalformed(t *testing.T) {
	for _, b := range [][]byte{{0x80}, {0xff, 0xff, 0xff, 0xff, 0x0f}, {1, 0x81}} {
		if cs, err := DecodeChanges(b); err == nil {
			t.Errorf("DecodeChanges(%x) = %v, want an error", b, cs)
		}
	}
}

func TestSplitSets(t *testing.T) {
	many := make([]strata.Digest, MaxGroupManifests+1)
	wide := make([]int32, MaxGroupPairs/2+1) // two manifests make too many pairs
	got, err := SplitSets([]ChangeSet{
		{Manifests: many, Changes: []int32{0}},
		{Manifests: many[:2], Changes: wide},
		{Manifests: many[:3]}, // no change: dropped
	})
	if err != nil {
		t.Fatal(err)
	}
	var sizes [][2]int
	for _, s := range got {
		sizes = append(sizes, [2]int{len(s.Manifests), len(s.Changes)})
	}
	want := [][2]int{{MaxGroupManifests, 1}, {1, 1}, {1, len(wide)}, {1, len(wide)}}
	if diff := cmp.Diff(want, sizes); diff != "" {
		t.Errorf("SplitSets: manifests and changes of each (-want +got):\n%s", diff)
	}
	if _, err := SplitSets([]ChangeSet{{Manifests: many[:1], Changes: make([]int32, MaxGroupPairs+1)}}); err == nil {
		t.Error("SplitSets of a set of too many changes succeeded")
	}
}

// TestDecodeManifests: a manifests column edited as DeleteManifestEdit
// says (as the engines' UPDATE does with the group's acked count) decodes
// to the same digests and the deleted ones.
func TestDecodeManifests(t *testing.T) {
	tests := []struct {
		name        string
		set         []strata.Digest
		deleted     map[int]int64 // index in set: acked count when deleted
		wantDeleted map[int64]int64
	}{
		{"none deleted", []strata.Digest{"sha256:01", "sha256:02"}, nil, nil},
		{"two deleted", []strata.Digest{"sha256:01", "sha256:02", "sha256:03"}, map[int]int64{0: 0, 2: 17}, map[int64]int64{0: 0, 2: 17}},
		{"a name that needs escapes", []strata.Digest{"a\"b\\c\nd é:x", "sha256:01"}, map[int]int64{0: 5}, map[int64]int64{0: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col, _, err := EncodeSet(ChangeSet{Manifests: tt.set}, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, acked := range tt.deleted {
				old, prefix, suffix, err := DeleteManifestEdit(tt.set[i])
				if err != nil || strings.Count(col, old) != 1 {
					t.Fatalf("DeleteManifestEdit(%q) = %q, %v; want a string found once in %s", tt.set[i], old, err, col)
				}
				col = strings.Replace(col, old, prefix+strconv.FormatInt(acked, 10)+suffix, 1)
			}
			ms, deleted, err := DecodeManifests([]byte(col))
			if err != nil {
				t.Fatalf("DecodeManifests(%s): %v", col, err)
			}
			if diff := cmp.Diff(tt.set, ms); diff != "" {
				t.Errorf("DecodeManifests(%s) manifests (-want +got):\n%s", col, diff)
			}
			if diff := cmp.Diff(tt.wantDeleted, deleted); diff != "" {
				t.Errorf("DecodeManifests(%s) deleted (-want +got):\n%s", col, diff)
			}
		})
	}
	for _, col := range []string{`["deleted:x:sha256:01"]`, `["deleted:-1:sha256:01"]`, `["deleted:3"]`, `{"a":1}`, `[`} {
		if ms, _, err := DecodeManifests([]byte(col)); err == nil {
			t.Errorf("DecodeManifests(%s) = %v, want an error", col, ms)
		}
	}
}

// TestDropped: the pairs of a deleted image from the acked count then on
// are dropped.
func TestDropped(t *testing.T) {
	g := NotificationGroup{Manifests: []strata.Digest{"a", "b", "c"}, Changes: make([]Change, 2), Acked: 5,
		Deleted: map[int64]int64{1: 3, 2: 5}}
	var got []bool
	for k := range g.Pairs() {
		got = append(got, g.Dropped(k))
	}
	if diff := cmp.Diff([]bool{false, false, false, true, false, true}, got); diff != "" {
		t.Errorf("Dropped of each pair (-want +got):\n%s", diff)
	}
}
