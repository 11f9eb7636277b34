// Command notify measures the notifier at scale: it indexes -n synthetic
// images into a store (a fresh temporary SQLite file, or -db), each
// holding -k packages drawn from a real Debian 10 system's dpkg status,
// loads a baseline feed of -records records (on packages no image holds,
// so that the store's size is a real feed's) and then, -runs times, a
// feed that adds -v vulnerabilities on -p of the images' source packages.
// For each of those diffs it prints the time to compute the affected
// images and their notifications, and the time to record them; then the
// time `strata affected` takes (in process) for a vulnerability of the
// last diff. Figures end with the medians.
//
// A -db that holds images from an earlier run is reused: only the missing
// images are indexed, and the feed is reset to the baseline (its
// notifications are not timed).
//
//	go run ./bench/notify [-db FILE|postgres://…] [-n 100000] [-k 20] [-v 1000] [-p 50] [-runs 3]
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
	"runtime"
	"slices"
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

type params struct {
	n, k, v, p, records, runs int
}

func main() {
	db := flag.String("db", "", "store: an SQLite file or a postgres:// URL (default a fresh temporary SQLite file)")
	var pr params
	flag.IntVar(&pr.n, "n", 100000, "images")
	flag.IntVar(&pr.k, "k", 20, "packages per image")
	flag.IntVar(&pr.v, "v", 1000, "vulnerabilities each newer feed adds")
	flag.IntVar(&pr.p, "p", 50, "distinct source packages the added vulnerabilities are about")
	flag.IntVar(&pr.records, "records", 50000, "records of the baseline feed, on packages no image holds")
	flag.IntVar(&pr.runs, "runs", 3, "diffs measured (0: only index the images)")
	flag.Parse()
	if err := run(context.Background(), *db, pr); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, db string, pr params) error {
	f, err := os.Open(status)
	if err != nil {
		return fmt.Errorf("%w (run from the repository root; shared data absent?)", err)
	}
	pkgs, err := dpkg.ParseStatus(status, f, nil)
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
	for i := have; i < pr.n; i++ { // a -db from an earlier run keeps its images
		if err := st.PutIndexReport(ctx, image(i, pkgs, pr.k)); err != nil {
			return err
		}
	}
	fmt.Printf("indexed %d images of %d packages (%d already there) in %v\n", pr.n, pr.k, have, since(start))
	if pr.runs == 0 {
		return nil
	}
	return measure(ctx, st, pkgs, pr, rand.New(rand.NewPCG(1, 2)))
}

func measure(ctx context.Context, st store.Store, pkgs []strata.Package, pr params, rng *rand.Rand) error {
	const updater = "bench"
	feeds := baseline(pr.records)
	if _, err := st.ReplaceVulnerabilities(ctx, updater, "0", feeds); err != nil {
		return err
	}
	nt := &notify.Notifier{Store: st, Index: st}
	if _, err := nt.Run(ctx); err != nil { // the baseline (or, in a reused -db, the removal of an earlier run's records)
		return err
	}
	var computed, recorded []time.Duration
	for run := range pr.runs {
		added := feed(hit(pkgs, pr.p, rng), pr.v, run*pr.v, rng)
		feeds = append(feeds, added...)
		d, err := st.ReplaceVulnerabilities(ctx, updater, fmt.Sprint(run+1), feeds)
		if err != nil {
			return err
		}
		start := time.Now()
		dn, err := nt.Compute(ctx, d)
		if err != nil {
			return err
		}
		computed = append(computed, time.Since(start))
		start = time.Now()
		if _, err := st.PutNotifications(ctx, d.ID, d.Updater, dn); err != nil {
			return err
		}
		recorded = append(recorded, time.Since(start))
		sum := &notify.Summary{Recorded: []*store.DiffNotifications{dn}}
		vulns, images := sum.Added()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("diff of %d records on %d packages: %d notifications (%d vulnerabilities, %d images, %d sets): computed in %v, recorded in %v; Go heap %d MiB (the most taken from the OS so far)\n",
			pr.v, pr.p, sum.Notifications(), vulns, images, len(dn.Sets), computed[run].Round(time.Millisecond), recorded[run].Round(time.Millisecond), ms.HeapSys>>20)
	}
	fmt.Printf("median of %d diffs: computed %v, recorded %v, total %v\n", pr.runs, median(computed), median(recorded),
		median(computed)+median(recorded))
	return affected(ctx, st, feeds[len(feeds)-1].ID, pr.runs)
}

// affected times notify.Affected, as `strata affected` calls it.
func affected(ctx context.Context, st store.Store, id string, runs int) error {
	var took []time.Duration
	var ar *notify.AffectedReport
	for range max(runs, 5) {
		start := time.Now()
		var err error
		if ar, err = notify.Affected(ctx, st, id); err != nil {
			return err
		}
		took = append(took, time.Since(start))
	}
	fmt.Printf("affected %s: %d of %d images, median %v of %d runs\n", ar.Vulnerability, len(ar.Images), ar.Indexed, median(took), len(took))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	return s[len(s)/2].Round(time.Millisecond)
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

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

// hit picks p of pkgs at random.
func hit(pkgs []strata.Package, p int, rng *rand.Rand) []strata.Package {
	if p >= len(pkgs) {
		return pkgs
	}
	out := make([]strata.Package, p)
	for i, j := range rng.Perm(len(pkgs))[:p] {
		out[i] = pkgs[j]
	}
	return out
}

// baseline makes n debian:10 records on packages that no image holds.
func baseline(n int) []strata.Vulnerability {
	vs := make([]strata.Vulnerability, n)
	for i := range vs {
		vs[i] = record(fmt.Sprintf("CVE-2000-%06d", i), fmt.Sprintf("absent-%d", i%5000))
	}
	return vs
}

// feed makes v debian:10 records, numbered from first, on random source
// packages of pkgs, each fixed in a version above every installed one.
func feed(pkgs []strata.Package, v, first int, rng *rand.Rand) []strata.Vulnerability {
	vs := make([]strata.Vulnerability, v)
	for i := range vs {
		p := pkgs[rng.IntN(len(pkgs))]
		vs[i] = record(fmt.Sprintf("CVE-2099-%06d", first+i), cmp.Or(p.SourceName, p.Name))
	}
	return vs
}

// record is a debian:10 record of id on the source package pkg, fixed in a
// version above every installed one.
func record(id, pkg string) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Aliases: []string{"DSA-" + id}, Eco: strata.Deb, Release: "debian:10", Package: pkg, SourcePackage: true,
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "99:1"}}}},
		State:  strata.Fixed, FixedVersion: "99:1", Severity: strata.High,
	}
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
