package store

import (
	"encoding/json"
	"fmt"

	"github.com/strata-scan/strata"
)

// DiffIndex finds the diffs of one read by ID, so that the rows of
// update_diff_records can be filled into them.
type DiffIndex map[int64]*strata.UpdateDiff

// IndexDiffs indexes ds by ID; Add then fills the elements of ds in place.
func IndexDiffs(ds []strata.UpdateDiff) DiffIndex {
	x := make(DiffIndex, len(ds))
	for i := range ds {
		x[ds[i].ID] = &ds[i]
	}
	return x
}

// Add decodes one record of diff id and appends it to the diff's Added
// when kind is "added", to its Removed otherwise. A record of a diff not
// in the index is dropped.
func (x DiffIndex) Add(id int64, kind string, record []byte) error {
	var v strata.Vulnerability
	if err := json.Unmarshal(record, &v); err != nil {
		return fmt.Errorf("diff %d: %w", id, err)
	}
	d := x[id]
	switch {
	case d == nil: // impossible within one snapshot; never dereference nil
	case kind == "added":
		d.Added = append(d.Added, v)
	default:
		d.Removed = append(d.Removed, v)
	}
	return nil
}
