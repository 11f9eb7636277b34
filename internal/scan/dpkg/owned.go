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
// which only these few matter, so the rest are not kept. A directory is
// told from a file by the line after it, which names what it holds.
func ReadFileList(owned map[string]string, owner string, b []byte) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64*1024)
	held := "" // a path that may be an executable, unless the next line is beneath it
	for sc.Scan() {
		p := strings.TrimPrefix(path.Clean("/"+sc.Text()), "/")
		if held != "" && !strings.HasPrefix(p, held+"/") {
			owned[held] = owner
		}
		held = ""
		switch {
		case languageDB(p):
			owned[p] = owner
		case libExecutable(p):
			held = p
		}
	}
	if held != "" {
		owned[held] = owner
	}
}

// languageDB reports whether p may be a package database of a language
// scanner: an executable in a bin, sbin or libexec directory (Go
// binaries, which are read wherever they are, but are installed there),
// a Java archive, a Python METADATA or PKG-INFO file (or a single-file
// egg-info) and an npm package.json under node_modules. See libExecutable
// for the other executables.
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

// libExecutable reports whether p may be an executable that a package
// installs beneath usr/lib, a Go binary among them: a name in lower case
// without a dot (usr/lib/go-1.19/pkg/tool/linux_amd64/vet,
// usr/lib/docker/cli-plugins/docker-buildx, usr/lib/apt/methods/http), as
// data files' names seldom are (RECORD, LC_CTYPE, libc.so.6), or a
// directory, which ReadFileList tells apart.
func libExecutable(p string) bool {
	rest, ok := strings.CutPrefix(p, "usr/lib/")
	return ok && !strings.ContainsAny(rest[strings.LastIndexByte(rest, '/')+1:], ".ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}
