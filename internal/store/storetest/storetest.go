// Package storetest is the conformance suite of the store engines: every
// store.Store implementation runs Run from its tests, so that the SQLite
// and PostgreSQL stores behave alike. It tests behaviour only, through the
// store.Store methods.
//
// Beyond the comments of store.Store, the suite fixes these behaviours:
// times are kept at microsecond precision, so that a diff returned by
// ReplaceVulnerabilities equals the one UpdateDiffs reads back; records
// are stored with their Updater set to the updater they were stored under;
// of records with the same Key in one replacement the last one wins; a
// diff's Added and Removed are sorted by Key; and lists that are empty may
// be nil.
package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Run runs every store test against stores made by newStore (each call a
// fresh, empty store).
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"LayerReport", testLayerReport},
		{"LayerReportNotFound", testLayerReportNotFound},
		{"LayerBlob", testLayerBlob},
		{"Lock", testLock},
		{"IndexReport", testIndexReport},
		{"Manifests", testManifests},
		{"DeleteIndexReport", testDeleteIndexReport},
		{"ReplaceVulnerabilitiesDiffs", testReplaceDiffs},
		{"ReplaceVulnerabilitiesDuplicates", testReplaceDuplicates},
		{"ReplaceVulnerabilitiesFailure", testReplaceFailure},
		{"UpdateDiffs", testUpdateDiffs},
		{"Vulnerabilities", testVulnerabilities},
		{"UpdaterVulnerabilities", testUpdaterVulnerabilities},
		{"Covered", testCovered},
		{"UpdaterStatus", testUpdaterStatus},
		{"UpdaterStatuses", testUpdaterStatuses},
		{"ImportVulnerabilities", testImportVulnerabilities},
		{"Concurrency", testConcurrency},
		{"PackageVersions", testPackageVersions},
		{"Notifications", testNotifications},
		{"AckPending", testAckPending},
		{"LargeGroup", testLargeGroup},
		{"DeleteDropsNotifications", testDeleteDropsNotifications},
		{"VulnerabilitiesByID", testVulnerabilitiesByID},
		{"VulnerabilitiesByIDs", testVulnerabilitiesByIDs},
		{"NoEcosystem", testNoEcosystem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

// equateEmpty lets a nil list equal an empty one.
var equateEmpty = cmpopts.EquateEmpty()

// digest returns a well-formed digest, distinct for each n.
func digest(n int) strata.Digest { return strata.Digest(fmt.Sprintf("sha256:%064x", n)) }

var bookworm = &strata.Distribution{
	ID: "debian", Name: "Debian GNU/Linux", VersionID: "12", VersionCodename: "bookworm",
	PrettyName: "Debian GNU/Linux 12 (bookworm)", CPE: "cpe:/o:debian:debian_linux:12",
}

// libssl is a package as the dpkg scanner reports it.
func libssl(layer strata.Digest) strata.Package {
	return strata.Package{
		Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Eco: strata.Deb,
		SourceName: "openssl", SourceVersion: "3.0.15-1~deb12u1",
		PackageDB: "var/lib/dpkg/status", IntroducedIn: layer,
	}
}

// layerReport is a report of scanner@1 on layer with every field set.
func layerReport(layer strata.Digest, scanner string) *strata.LayerReport {
	return &strata.LayerReport{
		Layer: layer, Scanner: scanner, ScannerVersion: "1",
		Packages:     []strata.Package{libssl(layer)},
		Distribution: bookworm,
		Databases:    []string{"var/lib/dpkg/status"},
		Whiteouts:    []string{"etc/motd"},
		Opaques:      []string{"var/cache/debconf"},
	}
}

// indexReport is the report of manifest m made of layers, every field set.
func indexReport(m strata.Digest, layers ...strata.Digest) *strata.IndexReport {
	r := &strata.IndexReport{ManifestDigest: m, State: "dpkg@1,osrelease@1", Distribution: bookworm, LayersRead: 1}
	for _, l := range layers {
		blob := "sha256:b" + string(l)[len("sha256:")+1:] // the digest of the compressed blob
		r.Layers = append(r.Layers, strata.Layer{Digest: l, Blob: strata.Digest(blob)})
	}
	r.Packages = []strata.Package{libssl(layers[0]), {
		Name: "requests", Version: "2.31.0", Eco: strata.PyPI,
		PackageDB: "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", IntroducedIn: layers[len(layers)-1],
	}}
	return r
}

// vuln is a record of updater about pkg in release (a PyPI record when
// release is ""), with every field set.
func vuln(updater, id, release, pkg string) strata.Vulnerability {
	eco := strata.Deb
	if release == "" {
		eco = strata.PyPI
	}
	return strata.Vulnerability{
		ID: id, Aliases: []string{"GHSA-" + id}, Updater: updater, Eco: eco, Release: release, Package: pkg,
		SourcePackage: eco == strata.Deb,
		Ranges:        []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.2-3"}}}},
		Versions:      []string{"1.2-1"}, FixedVersion: "1.2-3", State: strata.Fixed,
		VendorSeverity: "medium", Severity: strata.Medium,
		CVSS:        []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", Score: 7.5, Source: "nvd@nist.gov"}},
		Description: "A flaw in " + pkg + ".", Links: []string{"https://security-tracker.debian.org/tracker/" + id},
		Published: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Modified:  time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC),
	}
}

// recent reports whether t is set and within a minute of now.
func recent(t time.Time) bool { return !t.IsZero() && time.Since(t).Abs() < time.Minute }
