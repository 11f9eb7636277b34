// Command notify measures the notifier at scale: it indexes -n synthetic
// images into a fresh store (or -db), each holding -k packages drawn from
// a real Debian 10 system's dpkg status, loads a baseline feed, then a
// feed that adds -v vulnerabilities on -p of those packages, and prints the time
// to compute the affected images and record the notifications, and the
// time `strata affected` takes for one of the new vulnerabilities.
//
// A -db that holds images from an earlier run is reused: only the missing
// images are indexed.
//
//	go run ./bench/notify [-db FILE|postgres://…] [-n 100000] [-k 20] [-v 1000] [-p 50]
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

const status = "../shared/data/pkgdb/dpkg/debian-old/buster-vm-2020/status"

func main() {
	db := flag.String("db", "", "store: an SQLite file or a postgres:// URL (default a fresh temporary SQLite file)")
	n := flag.Int("n", 100000, "images")
	k := flag.Int("k", 20, "packages per image")
	v := flag.Int("v", 1000, "vulnerabilities the newer feed adds")
	p := flag.Int("p", 50, "distinct source packages the added vulnerabilities are about")
	flag.Parse()
	if err := run(context.Background(), *db, *n, *k, *v, *p); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, db string, n, k, v, p int) error {
	f, err := os.Open(status)
	if err != nil {
		return fmt.Errorf("%w (run from the repository root; shared data absent?)", err)
	}
	pkgs, err := dpkg.ParseStatus(status, f)
	f.Close()
	if err != nil {
		return err
	}
	st, cleanup, err := open(ctx, db)
	if err != nil {
		return err
	}
	defer cleanup()
	have, err := st.CountManifests(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	for i := have; i < n; i++ { // a -db from an earlier run keeps its images
		if err := st.PutIndexReport(ctx, image(i, pkgs, k)); err != nil {
			return err
		}
	}
	fmt.Printf("indexed %d images of %d packages (%d already there) in %v\n", n, k, have, time.Since(start).Round(time.Millisecond))
	return measure(ctx, st, pkgs, v, p, rand.New(rand.NewPCG(1, 2)))
}

func measure(ctx context.Context, st store.Store, pkgs []strata.Package, v, p int, rng *rand.Rand) error {
	base := feed(pkgs, 1, 0, rng)
	if _, err := st.ReplaceVulnerabilities(ctx, "debian", "1", base); err != nil {
		return err
	}
	nt := &notify.Notifier{Store: st, Source: st}
	if _, err := nt.Run(ctx); err != nil { // the baseline
		return err
	}
	hit := pkgs
	if p < len(pkgs) {
		hit = make([]strata.Package, p)
		for i, j := range rng.Perm(len(pkgs))[:p] {
			hit[i] = pkgs[j]
		}
	}
	newer := append(base, feed(hit, v, 1, rng)...)
	if _, err := st.ReplaceVulnerabilities(ctx, "debian", "2", newer); err != nil {
		return err
	}
	start := time.Now()
	sum, err := nt.Run(ctx)
	if err != nil {
		return err
	}
	vulns, images := sum.Added()
	fmt.Printf("diff of %d records on %d packages: %d notifications (%d vulnerabilities, %d images) in %v\n",
		v, p, len(sum.Notifications), vulns, images, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	ar, err := notify.Affected(ctx, st, newer[len(newer)-1].ID)
	if err != nil {
		return err
	}
	fmt.Printf("affected %s: %d of %d images in %v\n", ar.Vulnerability, len(ar.Images), ar.Indexed, time.Since(start).Round(time.Millisecond))
	return nil
}

// image is synthetic image i: k packages of pkgs, the same for the same i.
func image(i int, pkgs []strata.Package, k int) *strata.IndexReport {
	rng := rand.New(rand.NewPCG(uint64(i), 1))
	layer := strata.Digest(fmt.Sprintf("sha256:%064x", i))
	r := &strata.IndexReport{
		ManifestDigest: strata.Digest(fmt.Sprintf("sha256:%064x", 1<<40+i)),
		Distribution:   &strata.Distribution{ID: "debian", VersionID: "10", VersionCodename: "buster"},
		Layers:         []strata.Layer{{Digest: layer}},
	}
	for _, j := range rng.Perm(len(pkgs))[:min(k, len(pkgs))] {
		p := pkgs[j]
		p.IntroducedIn = layer
		r.Packages = append(r.Packages, p)
	}
	return r
}

// feed makes v debian:10 records, numbered from first, on random source
// packages of pkgs, each fixed in a version above every installed one.
func feed(pkgs []strata.Package, v, first int, rng *rand.Rand) []strata.Vulnerability {
	vs := make([]strata.Vulnerability, v)
	for i := range vs {
		p := pkgs[rng.IntN(len(pkgs))]
		src := cmp.Or(p.SourceName, p.Name)
		vs[i] = strata.Vulnerability{
			ID: fmt.Sprintf("CVE-2099-%05d", first+i), Eco: strata.Deb, Release: "debian:10", Package: src, SourcePackage: true,
			Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "99:1"}}}},
			State:  strata.Fixed, FixedVersion: "99:1", Severity: strata.High,
		}
	}
	return vs
}

func open(ctx context.Context, db string) (store.Store, func(), error) {
	if strings.HasPrefix(db, "postgres://") {
		st, err := postgres.Open(ctx, db)
		return st, func() { st.Close() }, err
	}
	if db != "" {
		st, err := sqlite.Open(ctx, db)
		return st, func() { st.Close() }, err
	}
	dir, err := os.MkdirTemp("", "strata-bench-notify")
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "strata.db"))
	return st, func() { st.Close(); os.RemoveAll(dir) }, err
}
