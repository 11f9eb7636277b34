package strata

import (
	"net/url"
	"strings"
)

// Package is one installed package found in an image.
type Package struct {
	Name    string    `json:"name"`
	Version string    `json:"version"`
	Arch    string    `json:"arch,omitempty"`
	Eco     Ecosystem `json:"ecosystem"`
	// SourceName and SourceVersion name the source package it was built
	// from (Debian's Source: field, RPM's source RPM, Alpine's origin);
	// they equal Name and Version when the database names no source.
	SourceName    string `json:"source_name,omitempty"`
	SourceVersion string `json:"source_version,omitempty"`
	// Module is the module stream ("nodejs:12") of a modular RPM, from its
	// MODULARITYLABEL; a fix for one stream does not apply to another.
	Module string `json:"module,omitempty"`
	// Repositories are, for an RPM of a Red Hat built image, the content
	// sets (repository ids such as "rhel-9-for-x86_64-appstream-rpms")
	// that the build of the layer that installed it drew from, as its
	// content manifest (root/buildinfo/content_manifests/*.json) lists
	// them.
	Repositories []string `json:"repositories,omitempty"`
	// PackageDB is the image path of the database or file that listed it,
	// without a leading slash: "var/lib/dpkg/status".
	PackageDB string `json:"package_db"`
	// IntroducedIn is the digest of the layer that first installed it.
	IntroducedIn Digest `json:"introduced_in,omitempty"`
	// OwnedBy names the OS package whose file list holds a language
	// package's PackageDB ("deb/python3-requests"): a Debian-packaged
	// library rather than a pip-installed one. Empty when no OS package
	// owns it.
	OwnedBy string `json:"owned_by,omitempty"`
	// Symbols are, for a Go module compiled into a binary, the functions
	// of its packages that the binary holds, as "IMPORTPATH.NAME" with
	// the receiver's pointer and closures dropped
	// ("golang.org/x/net/html.Tokenizer.Next"); Stripped says the binary's
	// function table could not be read, so that Symbols says nothing.
	Symbols  Symbols `json:"symbols,omitempty"`
	Stripped bool    `json:"stripped,omitempty"`
	// Nested is, for a package found in an archive inside the PackageDB
	// file (a jar in a war's WEB-INF/lib), that archive's path within
	// it, "!/" between levels as a jar: URL writes them:
	// "WEB-INF/lib/x.jar", "lib/tools.ear!/lib/x.jar". PackageDB stays
	// the outer file, the one that a whiteout or an upper layer's copy
	// replaces and that an OS package owns; Location joins the two.
	Nested string `json:"nested,omitempty"`
	// Identified says how surely a package was named when no record
	// written to name it (a package database, a pom.properties, a Go
	// binary's build information) did: empty for those, else one of the
	// Identified* values, less sure than a record.
	Identified Identification `json:"identified,omitempty"`
}

// Identification is how a package was named when no record written to
// name it did (Package.Identified).
type Identification string

const (
	// IdentifiedByManifest: a Java archive's MANIFEST.MF gave the
	// artifactId and the version (Implementation-*, Bundle-*), and the
	// groupId if it has one.
	IdentifiedByManifest Identification = "manifest"
	// IdentifiedByFileName: the artifactId or the version was guessed
	// from the archive's file name ("commons-io-2.11.0.jar"), the least
	// sure way: a renamed file is named wrongly.
	IdentifiedByFileName Identification = "file-name"
)

// Location is where the package was found: its PackageDB and, for a
// package of a nested archive, "!/" and Nested
// ("srv/app.war!/WEB-INF/lib/x.jar").
func (p Package) Location() string {
	if p.Nested == "" {
		return p.PackageDB
	}
	return p.PackageDB + "!/" + p.Nested
}

// ModuleStream is the module stream "name:stream" of a modularity label
// "name:stream[:version:context]" ("nodejs:12:8050020211015:b4937e53" →
// "nodejs:12"), as Package.Module and Vulnerability.Module hold it; ""
// when the label names no stream.
func ModuleStream(label string) string {
	name, rest, _ := strings.Cut(label, ":")
	stream, _, _ := strings.Cut(rest, ":")
	if name == "" || stream == "" {
		return ""
	}
	return name + ":" + stream
}

// Key identifies a package within one image: two entries with equal keys
// are the same installed package.
func (p Package) Key() string {
	return string(p.Eco) + "/" + p.Name + "@" + p.Version + "/" + p.Arch
}

// PURL is the package URL of p (github.com/package-url/purl-spec),
// qualified with the distribution when known: an OS package's namespace
// is the distribution's ID, a Maven package's its group ("group:artifact"
// is pkg:maven/group/artifact), an npm package's its scope, and a Go
// module's the path before its last element, with the module version's
// "v" put back (the standard library, "stdlib", has none).
func (p Package) PURL(d *Distribution) string {
	osPackage := OSEcosystem(p.Eco)
	var segs []string
	if d != nil && d.ID != "" && osPackage {
		segs = append(segs, d.ID)
	}
	name, ver := p.Name, p.Version
	switch p.Eco {
	case Maven:
		if group, artifact, ok := strings.Cut(name, ":"); ok {
			segs, name = append(segs, group), artifact
		}
	case NPM, Go:
		if i := strings.LastIndexByte(name, '/'); i > 0 {
			segs, name = append(segs, strings.Split(name[:i], "/")...), name[i+1:]
		}
		if p.Eco == Go && p.Name != "stdlib" && ver != "" && !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
	}
	s := "pkg:" + string(p.Eco) + "/"
	for _, seg := range append(segs, name) {
		s += purlEscape(seg) + "/"
	}
	s = strings.TrimSuffix(s, "/") + "@" + purlEscape(ver)
	q := url.Values{}
	if p.Arch != "" {
		q.Set("arch", p.Arch)
	}
	if d != nil && d.VersionID != "" && osPackage {
		q.Set("distro", d.ID+"-"+d.VersionID)
	}
	if p.SourceName != "" && p.SourceName != p.Name {
		q.Set("upstream", p.SourceName)
	}
	if enc := q.Encode(); enc != "" {
		s += "?" + enc
	}
	return s
}

// purlEscape percent-encodes one segment of a package URL, "@" (which
// starts an npm scope and must not be read as the version's separator)
// and ":" included.
func purlEscape(seg string) string {
	return purlMarks.Replace(url.PathEscape(seg))
}

// purlMarks are what purlEscape encodes besides url.PathEscape.
var purlMarks = strings.NewReplacer("@", "%40", ":", "%3A")
