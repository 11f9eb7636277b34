package redhat

import (
	"net/url"
	"strings"

	"github.com/strata-scan/strata"
)

// stream is a product stream of Red Hat Enterprise Linux, told from the
// CPE of a VEX platform product.
type stream struct {
	release string // the release key: "rhel:9"
	// mainline is false for the Extended Life-cycle Support stream
	// (rhel_els), which carries on a major release after its end of
	// maintenance: its records apply where the mainline has none.
	mainline bool
}

// streamOf reads a platform's CPE. The mainline streams are
// cpe:/o:redhat:enterprise_linux:9, …:9::baseos, cpe:/a:redhat:
// enterprise_linux:9::appstream (and ::crb, ::sap…), and for RHEL 10 one
// per minor release (…:enterprise_linux:10.1); they all map to
// "rhel:MAJOR", the release key the os-release scanner gives a RHEL or
// UBI image. The branch streams of older minor releases (rhel_eus,
// rhel_aus, rhel_e4s, rhel_tus, rhel_eus_long_life, enterprise_linux_eus)
// are not: their fixes are builds for those branches (1.0-8.el9_2.1),
// whose versions say nothing about a mainline system. Other products
// (OpenShift, JBoss, Satellite, …) are not distribution releases.
func streamOf(cpe string) (stream, bool) {
	rest, ok := strings.CutPrefix(cpe, "cpe:/o:redhat:")
	if !ok {
		if rest, ok = strings.CutPrefix(cpe, "cpe:/a:redhat:"); !ok {
			return stream{}, false
		}
	}
	parts := strings.Split(rest, ":")
	if len(parts) < 2 {
		return stream{}, false
	}
	major, _, _ := strings.Cut(parts[1], ".")
	if major == "" || strings.Trim(major, "0123456789") != "" {
		return stream{}, false
	}
	switch parts[0] {
	case "enterprise_linux":
		return stream{release: "rhel:" + major, mainline: true}, true
	case "rhel_els":
		return stream{release: "rhel:" + major}, true
	}
	return stream{}, false
}

// component is an RPM package named by a VEX product: a binary or
// source package, with a version when the product is a build (fixed,
// not-affected) and without one when it stands for every build (affected,
// under investigation).
type component struct {
	name    string
	version string // [epoch:]version-release, epoch 0 left out; "" for none
	arch    string // "src" for a source package
	module  string // "name:stream" of a modular package
}

// componentOf reads a component product: from its purl
// ("pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src&epoch=1",
// "…&rpmmod=perl-FCGI:0.78:8060020250604201935:513b2a65") when it has
// one, else from its product id, which Red Hat writes as
// NAME-EPOCH:VERSION-RELEASE.ARCH, NAME, or NAME.src, followed by
// "::MODULE:STREAM" for a modular package. ok is false for a purl of
// another type (a container image, a Maven artifact…).
func componentOf(id string, h helper) (c component, ok bool) {
	id, module, _ := strings.Cut(id, "::")
	if h.PURL != "" {
		c, ok = fromPURL(h.PURL)
	} else {
		c, ok = fromProductID(id)
	}
	if c.module == "" {
		c.module = module
	}
	return c, ok && c.name != ""
}

func fromPURL(purl string) (component, bool) {
	rest, ok := strings.CutPrefix(purl, "pkg:rpm/")
	if !ok {
		return component{}, false
	}
	rest, query, _ := strings.Cut(rest, "?")
	_, nameVersion, found := strings.Cut(rest, "/") // the namespace: redhat
	if !found {
		nameVersion = rest
	}
	name, ver, _ := strings.Cut(nameVersion, "@")
	name, err1 := url.PathUnescape(name)
	ver, err2 := url.PathUnescape(ver)
	q, err3 := url.ParseQuery(query)
	if err1 != nil || err2 != nil || err3 != nil {
		return component{}, false
	}
	c := component{name: name, version: ver, arch: q.Get("arch")}
	if e := q.Get("epoch"); e != "" && e != "0" && ver != "" {
		c.version = e + ":" + ver
	}
	if mod := q.Get("rpmmod"); mod != "" {
		c.module = strata.ModuleStream(mod)
	}
	return c, true
}

// fromProductID reads NAME-EPOCH:VERSION-RELEASE.ARCH, NAME.src or NAME.
func fromProductID(id string) (component, bool) {
	nameEpoch, vra, versioned := strings.Cut(id, ":")
	if !versioned {
		if name, ok := strings.CutSuffix(id, ".src"); ok {
			return component{name: name, arch: "src"}, true
		}
		return component{name: id}, true
	}
	i := strings.LastIndexByte(nameEpoch, '-')
	j := strings.LastIndexByte(vra, '.')
	if i <= 0 || j <= 0 {
		return component{}, false
	}
	name, epoch := nameEpoch[:i], nameEpoch[i+1:]
	c := component{name: name, version: vra[:j], arch: vra[j+1:]}
	if epoch != "0" && epoch != "" {
		c.version = epoch + ":" + c.version
	}
	return c, true
}
