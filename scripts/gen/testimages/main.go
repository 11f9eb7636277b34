// Command testimages builds the small real images under testdata/images
// from real package databases in ../shared/data: one layer holding a real
// system's /var/lib/dpkg/status and os-release (with the etc/os-release →
// ../usr/lib/os-release link of real Debian systems), as a docker save
// archive. Run from the repository root:
//
//	go run ./scripts/gen/testimages -data ../shared/data -out testdata/images
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-scan/strata/internal/testutil"
)

// images maps an output name to the pkgdb/dpkg folder it is built from.
var images = map[string]string{
	"debian-buster-drupal.docker.tar": "debian-old/buster-drupal-2021",
}

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	out := flag.String("out", "testdata/images", "where to write the images")
	flag.Parse()
	for file, dir := range images {
		if err := build(filepath.Join(*data, "pkgdb/dpkg", dir), filepath.Join(*out, file)); err != nil {
			fmt.Fprintln(os.Stderr, "testimages:", err)
			os.Exit(1)
		}
	}
}

func build(src, dst string) error {
	layer, err := testutil.DpkgLayer(src)
	if err != nil {
		return err
	}
	img, err := testutil.Image(false, layer)
	if err != nil {
		return err
	}
	return testutil.WriteDockerArchive(dst, "strata-testdata/"+filepath.Base(src)+":latest", img)
}
