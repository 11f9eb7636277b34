package dpkg_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// requestsList is the start of python3-requests' file list in bookworm,
// with a few lines of other packages' lists that show each kind of path.
const requestsList = `/.
/usr
/usr/lib/python3/dist-packages
/usr/lib/python3/dist-packages/requests
/usr/lib/python3/dist-packages/requests/__init__.py
/usr/lib/python3/dist-packages/requests-2.28.1.egg-info
/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO
/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/top_level.txt
/usr/share/doc/python3-requests/copyright
`

// The layer's file lists fill Owned with the paths a language scanner may
// report, and only those: Go binaries in bin directories and beneath
// usr/lib, not the directories there nor data files; the ":arch"
// qualifier is not part of the owner.
func TestScanFileLists(t *testing.T) {
	files := scantest.Files{
		"var/lib/dpkg/info/python3-requests.list": []byte(requestsList),
		"var/lib/dpkg/info/runc.list":             []byte("/usr/sbin\n/usr/sbin/runc\n/usr/share/man/man8/runc.8.gz\n"),
		"var/lib/dpkg/info/golang-1.19-go.list": []byte("/usr/lib/go-1.19\n/usr/lib/go-1.19/VERSION\n/usr/lib/go-1.19/pkg\n" +
			"/usr/lib/go-1.19/pkg/include/asm_amd64.h\n/usr/lib/go-1.19/pkg/tool\n/usr/lib/go-1.19/pkg/tool/linux_amd64\n" +
			"/usr/lib/go-1.19/pkg/tool/linux_amd64/compile\n/usr/lib/go-1.19/pkg/tool/linux_amd64/vet\n/usr/lib/go-1.19/src/go/doc/doc.go\n"),
		"var/lib/dpkg/info/docker-buildx.list": []byte("/usr/lib/docker\n/usr/lib/docker/cli-plugins\n/usr/lib/docker/cli-plugins/docker-buildx\n"),
		"var/lib/dpkg/info/libjackson2-core-java.list": []byte("/usr/share/java/jackson-core.jar\n" +
			"/usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/2.x/jackson-core-2.x.pom\n"),
		"var/lib/dpkg/info/node-x:all.list": []byte("/usr/share/nodejs/x/package.json\n/usr/lib/node_modules/x/package.json\n"),
		"var/lib/dpkg/info/python3-six.list": []byte("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n" +
			"/usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD\n"),
	}
	rep, err := dpkg.Scanner{}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"usr/lib/python3/dist-packages/requests-2.28.1.egg-info":          "deb/python3-requests",
		"usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO": "deb/python3-requests",
		"usr/sbin/runc": "deb/runc",
		"usr/lib/go-1.19/pkg/tool/linux_amd64/compile":                "deb/golang-1.19-go",
		"usr/lib/go-1.19/pkg/tool/linux_amd64/vet":                    "deb/golang-1.19-go",
		"usr/lib/docker/cli-plugins/docker-buildx":                    "deb/docker-buildx",
		"usr/share/java/jackson-core.jar":                             "deb/libjackson2-core-java",
		"usr/lib/node_modules/x/package.json":                         "deb/node-x",
		"usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA": "deb/python3-six",
	}
	if diff := cmp.Diff(want, rep.Owned); diff != "" {
		t.Errorf("Owned (-want +got):\n%s", diff)
	}
	if len(rep.Packages) != 0 || len(rep.Databases) != 0 {
		t.Errorf("file lists gave packages %v, databases %v", rep.Packages, rep.Databases)
	}
}

// FuzzReadFileList checks that ReadFileList never panics and records only
// clean relative paths, each a line of the list, with the owner given.
func FuzzReadFileList(f *testing.F) {
	f.Add([]byte(requestsList))
	f.Add([]byte("/usr/bin/../bin/x\n\n/\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		owned := map[string]string{}
		dpkg.ReadFileList(owned, "deb/p", b)
		for p, owner := range owned {
			if owner != "deb/p" || strings.HasPrefix(p, "/") || strings.Contains("/"+p+"/", "/../") {
				t.Fatalf("recorded %q → %q", p, owner)
			}
		}
	})
}
