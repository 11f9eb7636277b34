// Package rpm finds the RPM packages installed in a layer by reading
// rpm's database in any of its three formats, natively and without cgo:
// SQLite (rpmdb.sqlite, rpm 4.16 and later: Fedora 33+, RHEL 9, UBI 9,
// CBL-Mariner 2), Berkeley DB (Packages: RHEL 8 and older, CentOS,
// Amazon Linux 2) and NDB (Packages.db: SUSE), under var/lib/rpm or
// usr/lib/sysimage/rpm.
package rpm

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/rpm/rpmdb"
)

// Scanner reads rpm databases, and the content manifests of Red Hat
// built images (root/buildinfo/content_manifests/*.json), whose content
// sets it records as the Repositories of the packages of the databases
// in the same layer. The zero value is ready to use.
type Scanner struct {
	Log *slog.Logger // where unreadable content manifests are reported
}

var _ scan.Scanner = Scanner{}

// Name is "rpm".
func (Scanner) Name() string { return "rpm" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "2" }

var (
	dirs  = []string{"var/lib/rpm", "usr/lib/sysimage/rpm"}
	files = []string{"rpmdb.sqlite", "Packages", "Packages.db"}
)

// Wants reports whether p is an rpm database or a content manifest.
func (Scanner) Wants(p string) bool {
	return isDatabase(p) || isManifest(p)
}

func isDatabase(p string) bool {
	return slices.Contains(dirs, path.Dir(p)) && slices.Contains(files, path.Base(p))
}

// Scan parses the layer's rpm databases. Each one is listed in Databases:
// it replaces what lower layers recorded in the same file. The packages
// carry the content sets of the layer's content manifests.
func (s Scanner) Scan(ctx context.Context, fs scan.FileSet) (*strata.LayerReport, error) {
	rep, err := scan.Databases(ctx, "rpm", fs, isDatabase, Parse, nil)
	if err != nil {
		return nil, err
	}
	if repos := contentSets(fs, scan.Logger(s.Log)); len(repos) > 0 {
		for i := range rep.Packages {
			rep.Packages[i].Repositories = repos
		}
	}
	return rep, nil
}

// Parse reads the rpm database at p (its format told by its file name)
// into packages, sorted by name, version and architecture. The
// gpg-pubkey entries, which are imported signing keys and not software,
// are left out.
func Parse(p string, b []byte) ([]strata.Package, error) {
	hs, err := headers(p, b)
	if err != nil {
		return nil, err
	}
	var out []strata.Package
	for _, h := range hs {
		if h.Name != "gpg-pubkey" {
			out = append(out, toPackage(h, p))
		}
	}
	slices.SortFunc(out, func(a, b strata.Package) int {
		return strings.Compare(a.Name+"\x00"+a.Version+"\x00"+a.Arch, b.Name+"\x00"+b.Version+"\x00"+b.Arch)
	})
	return out, nil
}

// headers reads every header of the rpm database at p, in storage order.
func headers(p string, b []byte) ([]*rpmdb.Header, error) {
	read := map[string]func([]byte) ([][]byte, error){
		"rpmdb.sqlite": sqliteBlobs, "Packages": rpmdb.BerkeleyDB, "Packages.db": rpmdb.NDB,
	}[path.Base(p)]
	if read == nil {
		return nil, fmt.Errorf("rpm: parse %s: not an rpm database name", p)
	}
	blobs, err := read(b)
	if err != nil {
		return nil, fmt.Errorf("rpm: parse %s: %w", p, err)
	}
	out := make([]*rpmdb.Header, len(blobs))
	for i, blob := range blobs {
		if out[i], err = rpmdb.ParseHeader(blob); err != nil {
			return nil, fmt.Errorf("rpm: parse %s: package %d: %w", p, i+1, err)
		}
	}
	return out, nil
}

// toPackage is h as installed in the database at db. The source package's
// name and version come from the source RPM's file name
// ("util-linux-2.32.1-42.el8_8.src.rpm"), with the binary package's
// epoch, which the file name leaves out; they equal the binary's when
// the header names no source RPM.
func toPackage(h *rpmdb.Header, db string) strata.Package {
	p := strata.Package{
		Name: h.Name, Version: h.EVR(), Arch: h.Arch, Eco: strata.RPM,
		SourceName: h.Name, SourceVersion: h.EVR(), PackageDB: db,
		Module: strata.ModuleStream(h.ModularityLabel),
	}
	if name, ver, rel, ok := splitSourceRPM(h.SourceRPM); ok {
		src := rpmdb.Header{Epoch: h.Epoch, Version: ver, Release: rel}
		p.SourceName, p.SourceVersion = name, src.EVR()
	}
	return p
}

// splitSourceRPM splits "name-version-release.src.rpm".
func splitSourceRPM(s string) (name, version, release string, ok bool) {
	s, found := strings.CutSuffix(s, ".src.rpm")
	if !found {
		s, found = strings.CutSuffix(s, ".nosrc.rpm")
	}
	i := strings.LastIndexByte(s, '-')
	if !found || i <= 0 {
		return "", "", "", false
	}
	j := strings.LastIndexByte(s[:i], '-')
	if j <= 0 {
		return "", "", "", false
	}
	return s[:j], s[j+1 : i], s[i+1:], true
}
