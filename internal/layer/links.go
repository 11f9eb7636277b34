package layer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// maxExtra bounds the link targets a walk watches for in the rest of the
// stream; beyond it, targets are left to ReadPending.
const maxExtra = 1024

// symlink records a symbolic link. When the link is wanted, what it points
// to (as far as the links seen so far tell) becomes wanted too; and a link
// replacing a directory that holds wanted targets moves those targets
// where the link leads.
func (w *walker) symlink(p, target string) error {
	if err := w.record(p, target); err != nil {
		return err
	}
	w.res.symTargets[p] = target
	var more []string
	if w.wanted(p) {
		w.linked[p] = true
		more = append(more, p)
	}
	if w.extraDirs[p] > 0 {
		for e := range w.extra {
			if strings.HasPrefix(e, p+"/") {
				more = append(more, e)
			}
		}
	}
	for _, e := range more {
		w.follow(e)
	}
	return nil
}

// follow makes what p resolves to wanted for the rest of the stream.
func (w *walker) follow(p string) {
	t, err := w.res.resolve(p)
	if err != nil || w.extra[t] || len(w.extra) >= maxExtra {
		return
	}
	w.extra[t] = true
	for d := parent(t); d != ""; d = parent(d) {
		w.extraDirs[d]++
	}
}

// pending lists what the wanted links still present resolve to, where
// that was not kept: targets that came earlier in the stream, or that the
// layer does not hold at all.
func (w *walker) pending() []string {
	var out []string
	for p := range w.linked {
		_, sym := w.res.symTargets[p]
		_, hard := w.res.hardTargets[p]
		if !sym && !hard {
			continue // replaced by a later entry
		}
		t, err := w.res.resolve(p)
		if err != nil || t == "." {
			continue
		}
		if _, ok := w.res.files[t]; !ok {
			out = append(out, t)
		}
	}
	return sortedUnique(out)
}

// ReadPending reads the layer a second time, from r, to keep the files
// listed in Pending, which wanted links lead to but the first walk could
// not keep. A target the layer does not hold as a regular file stays
// absent. The bytes must be the same as the first time: a different blob
// digest is an error. It does nothing when Pending is empty.
func (r *Result) ReadPending(ctx context.Context, name string, rd io.Reader, lim Limits) error {
	if len(r.Pending) == 0 {
		return nil
	}
	again, err := walk(ctx, rd, Wants{Path: func(p string) bool {
		_, ok := slices.BinarySearch(r.Pending, p)
		return ok
	}}, lim.withDefaults(), r.spill)
	if err != nil {
		return fmt.Errorf("layer %s: second read for link targets: %w", name, err)
	}
	if again.BlobDigest != r.BlobDigest {
		return fmt.Errorf("layer %s: second read for link targets: content changed: blob is %s, was %s", name, again.BlobDigest, r.BlobDigest)
	}
	for _, t := range r.Pending {
		if k, ok := again.files[t]; ok {
			r.files[t] = k
		}
	}
	r.Pending = nil
	return nil
}
