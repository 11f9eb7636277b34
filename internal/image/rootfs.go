package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/strata-scan/strata"
)

// openRootFS makes a one-layer image of an unpacked root file system: its
// layer is a tar generated on the fly from the directory (symbolic links as
// links, never followed). Open generates it once to compute its diff_id.
func (im *Image) openRootFS(ctx context.Context, root *os.Root) error {
	h := sha256.New()
	if err := writeTree(ctx, root, h); err != nil {
		return err
	}
	d := strata.Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
	im.Kind, im.ManifestDigest = KindRootFS, d
	im.Layers = []Layer{{DiffID: d, Size: -1, Open: func(ctx context.Context) (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(writeTree(ctx, root, pw)) }()
		return pr, nil
	}}}
	return nil
}

// writeTree writes the tree under root as a tar, in lexical order, with
// headers that depend only on the tree (no owner names, whole-second
// times), so that the same tree always makes the same bytes. Devices,
// fifos and sockets are left out: no scanner reads them.
func writeTree(ctx context.Context, root *os.Root, w io.Writer) error {
	tw := tar.NewWriter(w)
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		return writeEntry(tw, root, p, d)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

func writeEntry(tw *tar.Writer, root *os.Root, p string, d fs.DirEntry) error {
	fi, err := d.Info()
	if err != nil {
		return err
	}
	h := &tar.Header{Name: p, ModTime: fi.ModTime().Truncate(time.Second), Mode: mode(fi.Mode())}
	switch m := fi.Mode(); {
	case m.IsDir():
		h.Typeflag, h.Name = tar.TypeDir, p+"/"
	case m.IsRegular():
		h.Typeflag, h.Size = tar.TypeReg, fi.Size()
	case m&fs.ModeSymlink != 0:
		if h.Linkname, err = root.Readlink(p); err != nil {
			return err
		}
		h.Typeflag = tar.TypeSymlink
	default:
		return nil
	}
	if err := tw.WriteHeader(h); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if h.Typeflag != tar.TypeReg {
		return nil
	}
	f, err := root.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.CopyN(tw, f, h.Size); err != nil {
		return fmt.Errorf("%s: changed while read: %w", p, err)
	}
	return nil
}

// mode is the tar mode of a file mode: permissions and the setuid, setgid
// and sticky bits.
func mode(m fs.FileMode) int64 {
	out := int64(m.Perm())
	for bit, v := range map[fs.FileMode]int64{fs.ModeSetuid: 0o4000, fs.ModeSetgid: 0o2000, fs.ModeSticky: 0o1000} {
		if m&bit != 0 {
			out |= v
		}
	}
	return out
}
