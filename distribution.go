package strata

import "strings"

// Distribution is the operating system of an image, as os-release (or its
// fallbacks) describes it.
type Distribution struct {
	ID              string `json:"id"`               // os-release ID: debian, ubuntu, alpine, rhel…
	Name            string `json:"name"`             // os-release NAME
	VersionID       string `json:"version_id"`       // os-release VERSION_ID: "12", "18.04", "3.19.4"
	VersionCodename string `json:"version_codename"` // os-release VERSION_CODENAME: bookworm, bionic
	PrettyName      string `json:"pretty_name"`      // os-release PRETTY_NAME
	CPE             string `json:"cpe,omitempty"`    // os-release CPE_NAME
}

// Release is the key that feeds use for this distribution release, such as
// "debian:12", "ubuntu:18.04", "alpine:3.19" or "rhel:9". It is empty when
// the distribution is unknown. Debian testing and unstable, which have no
// VERSION_ID, use their codename: "debian:trixie". Feeds are per minor
// release for Alpine (3.19.4 → 3.19; a development snapshot such as
// 3.19_alpha20230901 is "edge") and per major release for the Red Hat
// family (9.4 → 9).
func (d *Distribution) Release() string {
	if d == nil || d.ID == "" {
		return ""
	}
	v := d.VersionID
	switch d.ID {
	case "alpine":
		if strings.Contains(v, "_") {
			v = "edge"
		} else {
			v = firstParts(v, 2)
		}
	case "rhel", "centos", "rocky", "almalinux", "ol":
		v = firstParts(v, 1)
	case "wolfi", "chainguard":
		v = "rolling" // rolling distributions: one feed, whatever the build date
	}
	if v == "" {
		v = d.VersionCodename
	}
	if v == "" {
		return d.ID
	}
	return d.ID + ":" + v
}

// firstParts keeps the first n dot-separated parts of v.
func firstParts(v string, n int) string {
	parts := strings.SplitN(v, ".", n+1)
	if len(parts) > n {
		parts = parts[:n]
	}
	return strings.Join(parts, ".")
}

// OSEcosystem says whether eco is a distribution's package ecosystem,
// whose feeds are per distribution release; language ecosystems are not.
func OSEcosystem(eco Ecosystem) bool {
	return eco == Deb || eco == RPM || eco == APK
}

// ReleaseFor is the release key under which packages of eco installed on
// d are matched: d.Release() for a distribution's packages, "" for
// language packages.
func ReleaseFor(eco Ecosystem, d *Distribution) string {
	if !OSEcosystem(eco) {
		return ""
	}
	return d.Release()
}
