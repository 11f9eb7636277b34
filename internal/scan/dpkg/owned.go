package dpkg

import (
	"bufio"
	"bytes"
	"path"
	"strings"
)

// infoDir holds dpkg's per-package control files; NAME.list (or
// NAME:ARCH.list) lists the paths the package installed.
const infoDir = "var/lib/dpkg/info/"

// isFileList reports whether p is a package's file list in infoDir.
func isFileList(p string) bool {
	name, ok := strings.CutPrefix(p, infoDir)
	return ok && strings.HasSuffix(name, ".list") && len(name) > len(".list") &&
		name[0] != '.' && !strings.ContainsRune(name, '/')
}

// listOwner is the owner recorded for the paths of a file list:
// "deb/NAME", without the ":ARCH" qualifier of multi-arch packages.
func listOwner(p string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(p, infoDir), ".list")
	name, _, _ = strings.Cut(name, ":")
	return "deb/" + name
}

// ReadFileList adds to owned, for each path of a file list that a language
// scanner may report as a package database, that path (relative, without
// a leading slash) mapped to owner. A file list has thousands of paths, of
// which only these few matter, so the rest are not kept.
func ReadFileList(owned map[string]string, owner string, b []byte) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64*1024)
	for sc.Scan() {
		p := strings.TrimPrefix(path.Clean("/"+sc.Text()), "/")
		if languageDB(p) {
			owned[p] = owner
		}
	}
}

// languageDB reports whether p may be a package database of a language
// scanner: an executable in a bin, sbin or libexec directory (Go
// binaries), a Java archive, a Python METADATA or PKG-INFO file (or a
// single-file egg-info) and an npm package.json under node_modules.
func languageDB(p string) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case strings.HasSuffix(base, ".jar"), strings.HasSuffix(base, ".war"), strings.HasSuffix(base, ".ear"):
		return true
	case base == "package.json":
		return strings.Contains(p, "node_modules/")
	case strings.HasSuffix(base, ".egg-info"):
		return true
	case base == "METADATA" || base == "PKG-INFO":
		return strings.HasSuffix(dir, ".dist-info") || strings.HasSuffix(dir, ".egg-info")
	}
	last := dir[strings.LastIndexByte(dir, '/')+1:]
	return last == "bin" || last == "sbin" || strings.HasPrefix(dir, "usr/libexec")
}
