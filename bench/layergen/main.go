// Command layergen writes a synthetic one-layer image as an OCI image
// layout, for bench/layer-1gib.sh: etc/os-release, then -files files of
// -size bytes of word-like text (compressible about as well as real text)
// under usr/share/bench, then -copies copies of the executable -binary
// under usr/local/bin, then var/lib/dpkg/status, in one gzip-compressed
// layer written as a stream (the layer is never held in memory). It prints
// the path of the layer blob.
//
//	go run ./bench/layergen -out DIR -files 131072 -size 8192 -status S -os-release O [-binary B -copies N]
package main

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/strata-scan/strata/internal/countio"
)

const (
	manifestType = "application/vnd.oci.image.manifest.v1+json"
	configType   = "application/vnd.oci.image.config.v1+json"
	layerType    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType string            `json:"mediaType"`
	Digest    string            `json:"digest"`
	Size      int64             `json:"size"`
	Platform  map[string]string `json:"platform,omitempty"`
}

func main() {
	out := flag.String("out", "", "directory of the OCI layout to write")
	files := flag.Int("files", 131072, "number of filler files")
	size := flag.Int("size", 8192, "size of each filler file in bytes")
	status := flag.String("status", "", "dpkg status file to put at var/lib/dpkg/status")
	osRelease := flag.String("os-release", "", "os-release file to put at etc/os-release")
	var bin binaries
	flag.StringVar(&bin.path, "binary", "", "executable to copy to usr/local/bin")
	flag.IntVar(&bin.copies, "copies", 0, "copies of -binary")
	flag.Parse()
	blob, err := write(*out, *files, *size, *status, *osRelease, bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "layergen:", err)
		os.Exit(1)
	}
	fmt.Println(blob)
}

// binaries are the copies of an executable the layer holds.
type binaries struct {
	path   string
	copies int
}

// write writes the layout and returns the path of the layer blob.
func write(out string, files, size int, status, osRelease string, bin binaries) (string, error) {
	dir := filepath.Join(out, "blobs", "sha256")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	layer, diffID, err := writeLayer(dir, files, size, status, osRelease, bin)
	if err != nil {
		return "", err
	}
	cfg, err := putJSON(dir, configType, map[string]any{
		"architecture": "amd64", "os": "linux", "config": map[string]any{},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}},
	})
	if err != nil {
		return "", err
	}
	m, err := putJSON(dir, manifestType, map[string]any{
		"schemaVersion": 2, "mediaType": manifestType, "config": cfg, "layers": []descriptor{layer},
	})
	if err != nil {
		return "", err
	}
	m.Platform = map[string]string{"os": "linux", "architecture": "amd64"}
	index, err := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": []descriptor{m}})
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "index.json"), index, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		return "", err
	}
	return filepath.Join(dir, layer.Digest[len("sha256:"):]), nil
}

// putJSON stores v as a blob and returns its descriptor.
func putJSON(dir, mediaType string, v any) (descriptor, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return descriptor{}, err
	}
	sum := sha256.Sum256(b)
	d := descriptor{MediaType: mediaType, Digest: "sha256:" + hex.EncodeToString(sum[:]), Size: int64(len(b))}
	return d, os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])), b, 0o644)
}

// writeLayer streams the layer: tar → gzip → file, hashing the tar (the
// diff_id) and the blob on the way.
func writeLayer(dir string, files, size int, status, osRelease string, bin binaries) (descriptor, string, error) {
	tmp, err := os.CreateTemp(dir, "layer-*")
	if err != nil {
		return descriptor{}, "", err
	}
	defer tmp.Close()
	blobHash, diffHash := sha256.New(), sha256.New()
	counter := &countio.Writer{W: io.MultiWriter(tmp, blobHash)}
	zw := gzip.NewWriter(counter)
	tw := tar.NewWriter(io.MultiWriter(zw, diffHash))
	if err := fill(tw, files, size, status, osRelease, bin); err != nil {
		return descriptor{}, "", err
	}
	for _, c := range []io.Closer{tw, zw} {
		if err := c.Close(); err != nil {
			return descriptor{}, "", err
		}
	}
	hex := fmt.Sprintf("%x", blobHash.Sum(nil))
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return descriptor{}, "", err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, hex)); err != nil {
		return descriptor{}, "", err
	}
	return descriptor{MediaType: layerType, Digest: "sha256:" + hex, Size: counter.N}, digestOf(diffHash), nil
}

func digestOf(h hash.Hash) string { return fmt.Sprintf("sha256:%x", h.Sum(nil)) }

// fill writes the entries of the layer.
func fill(tw *tar.Writer, files, size int, status, osRelease string, bin binaries) error {
	if err := copyFile(tw, "etc/os-release", osRelease, 0o644); err != nil {
		return err
	}
	text := words(1<<20 + size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range files {
		if i%1000 == 0 {
			if err := header(tw, fmt.Sprintf("usr/share/bench/d%04d/", i/1000), tar.TypeDir, 0); err != nil {
				return err
			}
		}
		if err := header(tw, fmt.Sprintf("usr/share/bench/d%04d/f%07d", i/1000, i), tar.TypeReg, int64(size)); err != nil {
			return err
		}
		off := rng.IntN(1 << 20)
		if _, err := tw.Write(text[off : off+size]); err != nil {
			return err
		}
	}
	for i := range bin.copies {
		if err := copyFile(tw, fmt.Sprintf("usr/local/bin/app%03d", i), bin.path, 0o755); err != nil {
			return err
		}
	}
	return copyFile(tw, "var/lib/dpkg/status", status, 0o644)
}

func header(tw *tar.Writer, name string, typ byte, size int64) error {
	mode := int64(0o644)
	if typ == tar.TypeDir {
		mode = 0o755
	}
	return headerMode(tw, name, typ, size, mode)
}

func headerMode(tw *tar.Writer, name string, typ byte, size, mode int64) error {
	return tw.WriteHeader(&tar.Header{Name: name, Typeflag: typ, Size: size, Mode: mode, ModTime: time.Unix(1577836800, 0), Format: tar.FormatPAX})
}

// copyFile writes the file src as name, with mode, streaming it.
func copyFile(tw *tar.Writer, name, src string, mode int64) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := headerMode(tw, name, tar.TypeReg, fi.Size(), mode); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// words returns n bytes of text made of random words.
func words(n int) []byte {
	vocab := []string{"package", "version", "depends", "library", "the", "of", "and", "binary", "source",
		"debian", "security", "update", "amd64", "linux", "install", "config", "file", "data", "a", "to"}
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]byte, 0, n+16)
	for len(out) < n {
		out = append(out, vocab[rng.IntN(len(vocab))]...)
		out = append(out, " \n"[rng.IntN(8)/7])
	}
	return out[:n]
}
