package osrelease_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/osrelease"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, path, in string
		want           strata.Distribution
		release        string
	}{
		{
			"debian os-release", "usr/lib/os-release",
			"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n",
			strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionID: "12", VersionCodename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
			"debian:12",
		},
		{
			"ubuntu 12.04 os-release: no codename", "etc/os-release",
			"NAME=\"Ubuntu\"\nVERSION=\"12.04.5 LTS, Precise Pangolin\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu precise (12.04.5 LTS)\"\nVERSION_ID=\"12.04\"\n",
			strata.Distribution{ID: "ubuntu", Name: "Ubuntu", VersionID: "12.04", PrettyName: "Ubuntu precise (12.04.5 LTS)"},
			"ubuntu:12.04",
		},
		{
			"UBUNTU_CODENAME stands in for VERSION_CODENAME", "etc/os-release",
			"ID=ubuntu\nVERSION_ID=\"14.04\"\nUBUNTU_CODENAME=trusty\n",
			strata.Distribution{ID: "ubuntu", VersionID: "14.04", VersionCodename: "trusty"},
			"ubuntu:14.04",
		},
		{
			"rhel with CPE, comments, quoting", "etc/os-release",
			"# written by hand\n\n  NAME='Red Hat Enterprise Linux'  \nID=\"rhel\"\nVERSION_ID=9.4\nPRETTY_NAME=\"Red Hat \\\"RHEL\\\" \\$9\"\\ \\(Plow\\)\nCPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\n",
			strata.Distribution{ID: "rhel", Name: "Red Hat Enterprise Linux", VersionID: "9.4", PrettyName: `Red Hat "RHEL" $9 (Plow)`, CPE: "cpe:/o:redhat:enterprise_linux:9::baseos"},
			"rhel:9",
		},
		{
			"alpine", "etc/os-release",
			"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.15.4\nPRETTY_NAME=\"Alpine Linux v3.15\"\n",
			strata.Distribution{ID: "alpine", Name: "Alpine Linux", VersionID: "3.15.4", PrettyName: "Alpine Linux v3.15"},
			"alpine:3.15",
		},
		{
			"no VERSION_ID", "etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\n",
			strata.Distribution{ID: "alpine", Name: "Alpine Linux"}, "alpine",
		},
		{
			"lsb-release", "etc/lsb-release",
			"DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=10.04\nDISTRIB_CODENAME=lucid\nDISTRIB_DESCRIPTION=\"Ubuntu 10.04 LTS\"\n",
			strata.Distribution{ID: "ubuntu", Name: "Ubuntu", VersionID: "10.04", VersionCodename: "lucid", PrettyName: "Ubuntu 10.04 LTS"},
			"ubuntu:10.04",
		},
		{
			"debian_version of a point release", "etc/debian_version", "10.9\n",
			strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionID: "10"}, "debian:10",
		},
		{
			"debian_version of testing", "etc/debian_version", "bookworm/sid\n",
			strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionCodename: "bookworm"}, "debian:bookworm",
		},
		{
			"alpine-release", "etc/alpine-release", "3.3.1\n",
			strata.Distribution{ID: "alpine", Name: "Alpine Linux", VersionID: "3.3.1"}, "alpine:3.3",
		},
		{
			"redhat-release", "etc/redhat-release", "Red Hat Enterprise Linux release 8.10 (Ootpa)",
			strata.Distribution{ID: "rhel", Name: "Red Hat Enterprise Linux", VersionID: "8.10", PrettyName: "Red Hat Enterprise Linux release 8.10 (Ootpa)"},
			"rhel:8",
		},
		{
			"centos-release keeps the major version", "etc/redhat-release", "CentOS Linux release 7.6.1810 (Core) \n",
			strata.Distribution{ID: "centos", Name: "CentOS Linux", VersionID: "7", PrettyName: "CentOS Linux release 7.6.1810 (Core)"},
			"centos:7",
		},
		{
			"system-release of Amazon Linux", "etc/system-release", "Amazon Linux release 2 (Karoo)\n",
			strata.Distribution{ID: "amzn", Name: "Amazon Linux", VersionID: "2", PrettyName: "Amazon Linux release 2 (Karoo)"},
			"amzn:2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := osrelease.Parse(tt.path, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if r := got.Release(); r != tt.release {
				t.Errorf("Release() = %q, want %q", r, tt.release)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, path, in, want string }{
		{"no ID", "etc/os-release", "NAME=\"Alpine Linux\"\nVERSION_ID=3.15.4\n", "os-release: parse etc/os-release: no ID"},
		{"empty", "usr/lib/os-release", "", "os-release: parse usr/lib/os-release: no ID"},
		{"binary", "etc/os-release", "\x7fELF\x02\x01\x01\x00", `os-release: parse etc/os-release: line 1: want KEY=value, have "\x7fELF\x02\x01\x01\x00"`},
		{"no =", "etc/os-release", "ID=debian\nfoo bar\n", `os-release: parse etc/os-release: line 2: want KEY=value, have "foo bar"`},
		{"bad key", "etc/os-release", "ID=debian\n1ID=x\n", `os-release: parse etc/os-release: line 2: want KEY=value, have "1ID=x"`},
		{"unterminated double quote", "etc/os-release", "ID=\"debian\n", "os-release: parse etc/os-release: line 1: ID: unterminated double quote"},
		{"unterminated single quote", "etc/os-release", "ID='debian\n", "os-release: parse etc/os-release: line 1: ID: unterminated single quote"},
		{"continuation", "etc/os-release", "NAME=Debian\\\nID=debian\n", "os-release: parse etc/os-release: line 1: NAME: backslash at end of line (continuation lines are not supported)"},
		{"lsb-release without DISTRIB_ID", "etc/lsb-release", "DISTRIB_RELEASE=18.04\n", "os-release: parse etc/lsb-release: no DISTRIB_ID"},
		{"debian_version", "etc/debian_version", "squeeze sid\n", `os-release: parse etc/debian_version: want "12.5" or "trixie/sid", have "squeeze sid"`},
		{"alpine-release", "etc/alpine-release", "\n", `os-release: parse etc/alpine-release: want a version such as 3.19.4, have ""`},
		{"redhat-release", "etc/redhat-release", "Red Hat Enterprise Linux\n", `os-release: parse etc/redhat-release: want "<product> release <version>", have "Red Hat Enterprise Linux"`},
		{"unknown product", "etc/redhat-release", "Red Hat Linux release 6.2 (Zoot)\n", `os-release: parse etc/redhat-release: unknown distribution "Red Hat Linux"`},
		{"unknown file", "etc/issue", "Debian GNU/Linux 10 \\n \\l\n", "os-release: parse etc/issue: not a known release file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := osrelease.Parse(tt.path, []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse = %+v, nil; want error %q", got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse error\n got %q\nwant %q", err, tt.want)
			}
		})
	}
}
