package osrelease

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// Parse reads one release file; name (its image path, such as
// "etc/os-release") says which kind it is by its base name: os-release,
// lsb-release, alpine-release, system-release, redhat-release or
// debian_version. A file that names no distribution is an error.
func Parse(name string, b []byte) (*strata.Distribution, error) {
	parse, ok := parsers[path.Base(name)]
	if !ok {
		return nil, fmt.Errorf("os-release: parse %s: not a known release file", name)
	}
	d, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("os-release: parse %s: %w", name, err)
	}
	return d, nil
}

var parsers = map[string]func([]byte) (*strata.Distribution, error){
	"os-release":     parseOSRelease,
	"lsb-release":    parseLSBRelease,
	"alpine-release": parseAlpineRelease,
	"system-release": parseRedHatRelease,
	"redhat-release": parseRedHatRelease,
	"debian_version": parseDebianVersion,
}

// parseOSRelease reads os-release(5). Ubuntu releases before 16.04 name
// their codename only in UBUNTU_CODENAME, if at all.
func parseOSRelease(b []byte) (*strata.Distribution, error) {
	v, err := parseVars(b)
	if err != nil {
		return nil, err
	}
	if v["ID"] == "" {
		return nil, errors.New("no ID")
	}
	d := &strata.Distribution{
		ID:              v["ID"],
		Name:            v["NAME"],
		VersionID:       v["VERSION_ID"],
		VersionCodename: v["VERSION_CODENAME"],
		PrettyName:      v["PRETTY_NAME"],
		CPE:             v["CPE_NAME"],
	}
	if d.VersionCodename == "" {
		d.VersionCodename = v["UBUNTU_CODENAME"]
	}
	return d, nil
}

// parseLSBRelease reads /etc/lsb-release (DISTRIB_ID=Ubuntu,
// DISTRIB_RELEASE=18.04, DISTRIB_CODENAME=bionic, DISTRIB_DESCRIPTION);
// the ID is DISTRIB_ID in lower case, as os-release spells it.
func parseLSBRelease(b []byte) (*strata.Distribution, error) {
	v, err := parseVars(b)
	if err != nil {
		return nil, err
	}
	if v["DISTRIB_ID"] == "" {
		return nil, errors.New("no DISTRIB_ID")
	}
	return &strata.Distribution{
		ID:              strings.ToLower(v["DISTRIB_ID"]),
		Name:            v["DISTRIB_ID"],
		VersionID:       v["DISTRIB_RELEASE"],
		VersionCodename: v["DISTRIB_CODENAME"],
		PrettyName:      v["DISTRIB_DESCRIPTION"],
	}, nil
}

// firstLine is the first line of b without surrounding white space.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(s)
}

var alpineVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+[0-9A-Za-z._-]*$`)

// parseAlpineRelease reads /etc/alpine-release: "3.3.1".
func parseAlpineRelease(b []byte) (*strata.Distribution, error) {
	v := firstLine(b)
	if !alpineVersion.MatchString(v) {
		return nil, fmt.Errorf("want a version such as 3.19.4, have %s", excerpt.Quote(v))
	}
	return &strata.Distribution{ID: "alpine", Name: "Alpine Linux", VersionID: v}, nil
}

var (
	debianNumber   = regexp.MustCompile(`^([0-9]+)(\.[0-9]+)*$`)
	debianCodename = regexp.MustCompile(`^([a-z]+)/[a-z]+$`)
)

// parseDebianVersion reads /etc/debian_version. A stable release has a
// number ("10.9"), whose major part is the release's VERSION_ID ("10").
// Testing and unstable have "codename/sid" ("bookworm/sid"): the codename,
// with no VERSION_ID, as their os-release has it.
func parseDebianVersion(b []byte) (*strata.Distribution, error) {
	v := firstLine(b)
	d := &strata.Distribution{ID: "debian", Name: "Debian GNU/Linux"}
	if m := debianNumber.FindStringSubmatch(v); m != nil {
		d.VersionID = m[1]
		return d, nil
	}
	if m := debianCodename.FindStringSubmatch(v); m != nil {
		d.VersionCodename = m[1]
		return d, nil
	}
	return nil, fmt.Errorf(`want "12.5" or "trixie/sid", have %s`, excerpt.Quote(v))
}

// redHatRelease matches "<product> release <version> (<name>)".
var redHatRelease = regexp.MustCompile(`^(.+?) release ([0-9][^ ]*)(?: \(.*\))?$`)

// redHatIDs maps the product of a redhat-release or system-release line
// to its os-release ID. CentOS gives a full "7.6.1810" where its
// os-release's VERSION_ID is "7": only the major part is kept.
var redHatIDs = []struct {
	prefix, id string
	major      bool
}{
	{"Red Hat Enterprise Linux", "rhel", false},
	{"CentOS", "centos", true},
	{"AlmaLinux", "almalinux", false},
	{"Rocky Linux", "rocky", false},
	{"Scientific Linux", "scientific", false},
	{"Oracle Linux", "ol", false},
	{"Fedora", "fedora", false},
	{"Amazon Linux", "amzn", false},
}

// parseRedHatRelease reads /etc/redhat-release or /etc/system-release:
// "Red Hat Enterprise Linux release 8.10 (Ootpa)".
func parseRedHatRelease(b []byte) (*strata.Distribution, error) {
	line := firstLine(b)
	m := redHatRelease.FindStringSubmatch(line)
	if m == nil {
		return nil, fmt.Errorf(`want "<product> release <version>", have %s`, excerpt.Quote(line))
	}
	for _, r := range redHatIDs {
		if !strings.HasPrefix(m[1], r.prefix) {
			continue
		}
		v := m[2]
		if r.major {
			v, _, _ = strings.Cut(v, ".")
		}
		return &strata.Distribution{ID: r.id, Name: m[1], VersionID: v, PrettyName: line}, nil
	}
	return nil, fmt.Errorf("unknown distribution %s", excerpt.Quote(m[1]))
}
