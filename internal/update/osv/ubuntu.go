package osv

import (
	"regexp"
	"strings"

	"github.com/strata-scan/strata"
)

// ubuntuEcosystem matches the OSV ecosystems of Ubuntu's own records
// (canonical/ubuntu-security-notices, osv/): "Ubuntu:22.04:LTS",
// "Ubuntu:25.10", and "Ubuntu:Pro:18.04:LTS" for the fixes published to
// Ubuntu Pro (ESM) for the same release, installed on the same system.
// Pro's other streams are not matched: FIPS, FIPS-updates, FIPS-preview
// ("Ubuntu:Pro:FIPS-updates:22.04:LTS") and the Realtime kernel
// ("Ubuntu:Pro:22.04:LTS:Realtime:Kernel") ship separate builds that an
// image's os-release does not tell apart from the release's own, and
// their ranges would flag the release's fixed packages (the tracker
// updater skips its fips pockets likewise).
var ubuntuEcosystem = regexp.MustCompile(`^Ubuntu:(?:Pro:)?(\d\d\.\d\d)(?::LTS)?$`)

// target is where the records of an OSV ecosystem go.
type target struct {
	eco     strata.Ecosystem
	release string // "" for a language ecosystem
	// source says that the ecosystem's records name source packages:
	// Ubuntu's do ("the name field is the source package name"; the
	// binaries are listed in ecosystem_specific).
	source bool
}

// ecosystem maps an OSV ecosystem name to strata's; ok is false for an
// ecosystem strata does not read.
func ecosystem(name string) (t target, ok bool) {
	if eco, ok := ecosystems[name]; ok {
		return target{eco: eco}, true
	}
	if m := ubuntuEcosystem.FindStringSubmatch(name); m != nil {
		// The release key of the Ubuntu CVE Tracker updater and of
		// strata.Distribution.Release: "ubuntu:22.04".
		return target{eco: strata.Deb, release: "ubuntu:" + m[1], source: true}, true
	}
	return target{}, false
}

// notice says whether id is one of Ubuntu's security notices (USN-…) or
// Livepatch notices (LSN-…). A notice restates, for the packages it
// fixed, the fixes of the Ubuntu CVE records (UBUNTU-CVE-…) it names as
// upstream, without their severity; read too, it would report each fix a
// second time (USN-5614-1 beside UBUNTU-CVE-2021-3782 for wayland), so
// the CVE records are read and the notices skipped.
func notice(id string) bool {
	return strings.HasPrefix(id, "USN-") || strings.HasPrefix(id, "LSN-")
}
