package strata

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
// "debian:12" or "ubuntu:18.04". It is empty when the distribution is
// unknown. Debian testing and unstable, which have no VERSION_ID, use their
// codename: "debian:trixie".
func (d *Distribution) Release() string {
	if d == nil || d.ID == "" {
		return ""
	}
	v := d.VersionID
	if v == "" {
		v = d.VersionCodename
	}
	if v == "" {
		return d.ID
	}
	return d.ID + ":" + v
}
