package update

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Fingerprint identifies the version of a feed location that was read:
// for a URL its validators (ETag, Last-Modified), for anything else the
// sha256 of its content ("sha256:…"). It holds no tab or newline.
type Fingerprint string

// Document is one file of a feed.
type Document struct {
	// Name is the file's path or URL; inside a tarball it is the
	// tarball's name, a colon and the entry's path.
	Name string
	Body io.Reader
}

// Fetch opens loc and calls fn for each document in it, streaming.
//
// loc is an http(s) URL or a local path; another URL scheme (ftp://…)
// is an error. A directory yields every regular file below it, sorted by
// path. A file (or a URL's body) that is gzip-, zstd- or
// bzip2-compressed is decompressed; if it is then a tar or zip archive,
// each regular file in it is a document, otherwise the file itself is.
// xz is not supported.
//
// A URL is fetched conditionally, with the validators of prev: a "not
// modified" answer returns ErrUnchanged without calling fn. Local inputs
// are hashed first, and ErrUnchanged is returned when their hash equals
// prev. ErrUnchanged comes with prev as the fingerprint.
//
// Errors returned by fn are returned as they are.
func Fetch(ctx context.Context, client *http.Client, loc string, prev Fingerprint, fn func(Document) error) (Fingerprint, error) {
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		if client == nil {
			client = http.DefaultClient
		}
		return fetchURL(ctx, client, loc, prev, fn)
	}
	if err := checkScheme(loc); err != nil {
		return "", err
	}
	return fetchLocal(ctx, loc, prev, fn)
}

// fetchLocal reads a file or a directory twice: once to hash it, once to
// hand its documents to fn.
func fetchLocal(ctx context.Context, loc string, prev Fingerprint, fn func(Document) error) (Fingerprint, error) {
	files, err := listFiles(loc)
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	fp, err := hashFiles(loc, files)
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	if fp == prev {
		return prev, ErrUnchanged
	}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if err := readFile(ctx, path, fn); err != nil {
			return "", err
		}
	}
	return fp, nil
}

// listFiles is loc itself when it is a file, else the regular files
// below it sorted by path.
func listFiles(loc string) ([]string, error) {
	info, err := os.Stat(loc)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{loc}, nil
	}
	var files []string
	err = filepath.WalkDir(loc, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

// hashFiles is the fingerprint of a local input: the sha256 of the file,
// or for a directory of every file's relative path, size and content.
func hashFiles(loc string, files []string) (Fingerprint, error) {
	h := sha256.New()
	for _, path := range files {
		if path != loc {
			rel, err := filepath.Rel(loc, path)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		}
		if err := hashFile(h, path, path != loc); err != nil {
			return "", err
		}
	}
	return Fingerprint("sha256:" + hex.EncodeToString(h.Sum(nil))), nil
}

func hashFile(h hash.Hash, path string, withSize bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if withSize {
		info, err := f.Stat()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%d\x00", info.Size())
	}
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

func readFile(ctx context.Context, path string, fn func(Document) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	defer f.Close()
	return readDocuments(ctx, path, f, fn)
}
