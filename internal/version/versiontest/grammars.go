package versiontest

import "math/rand/v2"

func debVersion(r *rand.Rand) string {
	epoch := maybe(r, 20, func() string { return pick(r, "0", "1", "2", "10", "00") + ":" })
	upstream := pick(r, "0", "1", "2", "9", "10", "01", "1.0", "2.30", "0.9") + repeat(r, 0, 4, func() string {
		return pick(r, ".", "~", "+", ".0", ".1", ".10", "a", "b", "rc1", "~rc1", "~~", "+dfsg", "+b1", "-1", "1", "0", "z", "A", "Z")
	})
	revision := maybe(r, 65, func() string {
		return "-" + pick(r, "1", "0", "2", "10", "1ubuntu1", "1+deb12u1", "0.1", "~bpo1", "a", "1~", "1.2") +
			repeat(r, 0, 2, func() string { return pick(r, ".", "~", "+", "1", "0", "a", "build1") })
	})
	return epoch + upstream + revision
}

func rpmVersion(r *rand.Rand) string {
	epoch := maybe(r, 15, func() string { return pick(r, "0", "1", "2", "10") + ":" })
	version := pick(r, "0", "1", "2", "10", "1.0", "2.3.4", "007", "a", "git") + repeat(r, 0, 4, func() string {
		return pick(r, ".", "_", "+", "~", "^", "0", "1", "2", "9", "10", "a", "b", "rc", "alpha", "Z", "~rc1", "^post", ".1")
	})
	release := maybe(r, 70, func() string {
		return "-" + pick(r, "1", "2", "10", "0.1", "1.el9", "1.el9_2", "3.fc38", "1~", "1^a", "a") +
			repeat(r, 0, 2, func() string { return pick(r, ".", "_", "~", "^", "1", "0", "a", "el8") })
	})
	return epoch + version + release
}

func apkVersion(r *rand.Rand) string {
	num := func() string { return pick(r, "0", "1", "2", "9", "10", "01", "001", "20240101") }
	return pick(r, "0", "1", "2", "10", "01") +
		repeat(r, 0, 3, func() string { return "." + num() }) +
		maybe(r, 20, func() string { return pick(r, "a", "b", "z") }) +
		repeat(r, 0, 2, func() string {
			return "_" + pick(r, "alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p") + maybe(r, 60, num)
		}) +
		maybe(r, 10, func() string { return "~" + pick(r, "abc", "123", "deadbeef", "a1", "0") }) +
		maybe(r, 40, func() string { return "-r" + pick(r, "0", "1", "2", "10", "01") })
}

func pep440Version(r *rand.Rand) string {
	dot := func() string { return pick(r, "", "", "-", "_", ".") }
	num := func() string { return pick(r, "0", "1", "2", "10", "01", "00") }
	v := maybe(r, 10, func() string { return pick(r, "v", "V") }) +
		maybe(r, 15, func() string { return pick(r, "0", "1", "2") + "!" }) +
		num() + repeat(r, 0, 3, func() string { return "." + num() }) +
		maybe(r, 35, func() string {
			return dot() + pick(r, "a", "b", "rc", "alpha", "beta", "c", "pre", "preview", "A", "RC", "Alpha") + maybe(r, 80, func() string { return dot() + num() })
		}) +
		maybe(r, 25, func() string {
			if r.IntN(3) == 0 {
				return "-" + num()
			}
			return dot() + pick(r, "post", "rev", "r", "POST") + maybe(r, 80, func() string { return dot() + num() })
		}) +
		maybe(r, 25, func() string {
			return dot() + pick(r, "dev", "DEV") + maybe(r, 80, func() string { return dot() + num() })
		}) +
		maybe(r, 20, func() string {
			local := func() string { return pick(r, "1", "0", "01", "abc", "ubuntu", "A", "x1", "10") }
			return "+" + local() + repeat(r, 0, 2, func() string { return pick(r, ".", "-", "_") + local() })
		})
	return maybe(r, 3, func() string { return " " }) + v + maybe(r, 3, func() string { return "\t" })
}

// semverCore is MAJOR.MINOR.PATCH[-PRE][+BUILD] from small numbers and
// identifiers.
func semverCore(r *rand.Rand) string {
	num := func() string { return pick(r, "0", "1", "2", "9", "10", "11") }
	pre := func() string {
		return pick(r, "0", "1", "2", "10", "alpha", "beta", "rc", "a", "b", "-", "x-1", "1a", "0a", "alpha1", "Alpha")
	}
	return num() + "." + num() + "." + num() +
		maybe(r, 50, func() string { return "-" + pre() + repeat(r, 0, 2, func() string { return "." + pre() }) }) +
		maybe(r, 15, func() string { return "+" + pick(r, "1", "001", "build", "sha.5114f85", "x-y") })
}

func npmVersion(r *rand.Rand) string {
	return maybe(r, 10, func() string { return "v" }) + semverCore(r)
}

func goVersion(r *rand.Rand) string {
	base := pick(r, "0.0.0", "0.1.0", "1.2.3", "1.2.4", "2.0.0")
	stamp := func() string {
		return pick(r, "20210101000000", "20210101000001", "20201231235959", "20220615120000") + "-" +
			pick(r, "abcdef123456", "000000000000", "ffffffffffff")
	}
	var v string
	switch r.IntN(10) {
	case 0:
		v = pick(r, "1", "0", "2", "1.2", "0.0", "10.1")
	case 1, 2:
		v = base + "-" + stamp()
	case 3:
		v = base + "-" + pick(r, "0.", "pre.0.", "rc.1.0.") + stamp()
	default:
		v = semverCore(r)
	}
	return "v" + v + maybe(r, 10, func() string { return "+incompatible" })
}

func mavenVersion(r *rand.Rand) string {
	num := func() string { return pick(r, "0", "1", "2", "10", "01", "1.0", "2.0.0") }
	qualifier := func() string {
		return pick(r, "alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "SNAPSHOT", "ga", "final",
			"GA", "sp", "foo", "bar", "x", "RELEASE", "release", "jre", "android", "Final")
	}
	return num() + repeat(r, 0, 4, func() string {
		return pick(r, ".", "-", "", "-", ".") + pick(r, num(), qualifier())
	})
}
