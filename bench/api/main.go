// Command api measures the latency and throughput of strata serve's
// vulnerability reports. It runs `strata serve` in process on a fresh
// store (or -db), with every feed loaded from the shared data, indexes an
// image through a Clair manifest whose layers it serves from the unpacked
// OCI layout, then GETs /matcher/api/v1/vulnerability_report/DIGEST from
// -c concurrent clients for -d (at most -n requests), over loopback, and
// prints the p50, p90 and p99 latencies and the requests per second. Each
// report is matched against the whole store, as every request is.
//
//	go run ./bench/api [-db FILE|postgres://…] [-image OCI.tar.gz] [-c 4] [-d 10s] [-n 200000]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/cli"
	"github.com/strata-scan/strata/internal/httpapi"
	"github.com/strata-scan/strata/internal/testutil"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	imagePath := flag.String("image", "", "OCI layout tarball of the image (default DATA/images/debian-bookworm-openssl.oci.tar.gz)")
	db := flag.String("db", "", "store: an SQLite file or a postgres:// URL (default a fresh SQLite file)")
	clients := flag.Int("c", 4, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "how long to send requests")
	maxRequests := flag.Int("n", 200_000, "stop after this many requests")
	flag.Parse()
	if *imagePath == "" {
		*imagePath = filepath.Join(*data, "images", "debian-bookworm-openssl.oci.tar.gz")
	}
	if err := run(*data, *imagePath, *db, *clients, *duration, *maxRequests); err != nil {
		fmt.Fprintln(os.Stderr, "bench/api:", err)
		os.Exit(1)
	}
}

func run(data, imagePath, db string, clients int, d time.Duration, n int) error {
	tmp, err := os.MkdirTemp("", "strata-bench-api")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if db == "" {
		db = filepath.Join(tmp, "strata.db")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, stopped, err := serve(ctx, db, feeds(data))
	if err != nil {
		return err
	}
	defer func() { cancel(); <-stopped }()
	start := time.Now()
	records, err := waitForFeeds(base, "debian", "ubuntu")
	if err != nil {
		return err
	}
	fmt.Printf("feeds: %d records loaded in %.1f s\n", records, time.Since(start).Seconds())
	digest, err := index(base, imagePath, filepath.Join(tmp, "oci"))
	if err != nil {
		return err
	}
	return load(base+"/matcher/api/v1/vulnerability_report/"+string(digest), clients, d, n)
}

// feeds are the --source flags that load every feed of the shared data.
func feeds(data string) []string {
	return []string{
		"--source", "debian=" + filepath.Join(data, "feeds/debian/security-tracker/DSA.list"),
		"--source", "debian=" + filepath.Join(data, "feeds/debian/security-tracker/DLA.list"),
		"--source", "debian=" + filepath.Join(data, "feeds/debian/security-tracker/DTSA.list"),
		"--source", "ubuntu=" + filepath.Join(data, "feeds/ubuntu/uct/ubuntu-cve-tracker-active-2020-06.tar.gz"),
	}
}

// serve starts `strata serve` in process and returns its base URL and a
// channel closed when it has stopped.
func serve(ctx context.Context, db string, sources []string) (string, <-chan struct{}, error) {
	pr, pw := io.Pipe()
	stopped := make(chan struct{})
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--db", db}, sources...)
	go func() {
		defer close(stopped)
		code := cli.Run(ctx, args, io.Discard, pw)
		pw.CloseWithError(fmt.Errorf("strata serve: exit %d", code))
	}()
	addr := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			k, err := pr.Read(buf)
			if _, u, ok := strings.Cut(string(buf[:k]), "strata serve: listening on "); ok {
				addr <- strings.TrimSpace(strings.SplitN(u, "\n", 2)[0])
			}
			if err != nil {
				close(addr)
				return
			}
		}
	}()
	u, ok := <-addr
	if !ok {
		return "", stopped, errors.New("strata serve stopped before listening")
	}
	return u, stopped, nil
}

// waitForFeeds waits until every named feed has records, and returns
// their total.
func waitForFeeds(base string, names ...string) (int, error) {
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var st struct {
			Updaters []struct {
				Updater   string
				Records   int
				LastError string `json:"last_error"`
			}
		}
		if err := getJSON(base+"/api/v1/updates", &st); err != nil {
			return 0, err
		}
		total, loaded := 0, 0
		for _, u := range st.Updaters {
			if u.LastError != "" {
				return 0, fmt.Errorf("feed %s: %s", u.Updater, u.LastError)
			}
			if slices.Contains(names, u.Updater) && u.Records > 0 {
				total, loaded = total+u.Records, loaded+1
			}
		}
		if loaded == len(names) {
			return total, nil
		}
	}
	return 0, errors.New("feeds not loaded after 10 minutes")
}

// index unpacks the OCI layout into dir, serves its blobs, and posts the
// image's Clair manifest.
func index(base, archive, dir string) (strata.Digest, error) {
	img, err := testutil.OCIArchiveImage(archive, dir)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	blobs := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go blobs.Serve(ln)
	defer blobs.Close()
	d, err := img.Digest()
	if err != nil {
		return "", err
	}
	layers, err := img.Layers()
	if err != nil {
		return "", err
	}
	m := httpapi.Manifest{Hash: strata.Digest(d.String())}
	for _, l := range layers {
		ld, err := l.Digest()
		if err != nil {
			return "", err
		}
		m.Layers = append(m.Layers, httpapi.ManifestLayer{Hash: strata.Digest(ld.String()),
			URI: "http://" + ln.Addr().String() + "/blobs/" + ld.Algorithm + "/" + ld.Hex})
	}
	var ir struct {
		Packages map[string]any
		Success  bool
	}
	start := time.Now()
	if err := postJSON(base+"/indexer/api/v1/index_report", m, &ir); err != nil {
		return "", err
	}
	fmt.Printf("image: %s, %d layers, %d packages, indexed in %.1f s\n", archive, len(m.Layers), len(ir.Packages), time.Since(start).Seconds())
	return m.Hash, nil
}

// load sends GETs of u from clients goroutines for d or n requests, and
// prints the latencies and throughput.
func load(u string, clients int, d time.Duration, n int) error {
	var vr struct{ Vulnerabilities, Packages map[string]any }
	if err := getJSON(u, &vr); err != nil { // warm up, and show what is matched
		return err
	}
	lat, elapsed, err := hammer(u, clients, d, n)
	if err != nil {
		return err
	}
	slices.Sort(lat)
	pct := func(p int) float64 { return float64(lat[(len(lat)-1)*p/100].Microseconds()) / 1000 }
	fmt.Printf("report: %d packages, %d vulnerabilities\n", len(vr.Packages), len(vr.Vulnerabilities))
	fmt.Printf("vulnerability_report: %d requests, %d clients, %.1f s, GOMAXPROCS %d, %d CPUs\n", len(lat), clients, elapsed.Seconds(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", pct(50), pct(90), pct(99), pct(100))
	fmt.Printf("throughput: %.0f requests/s\n", float64(len(lat))/elapsed.Seconds())
	return nil
}

// hammer GETs u from clients goroutines until d has passed or n requests
// were made, and returns each request's latency and the time taken.
func hammer(u string, clients int, d time.Duration, n int) ([]time.Duration, time.Duration, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var (
		mu    sync.Mutex
		lat   []time.Duration
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				t0 := time.Now()
				err := getDiscard(client, u)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				lat = append(lat, time.Since(t0))
				stop := first != nil || len(lat) >= n
				mu.Unlock()
				if stop {
					return
				}
			}
		})
	}
	wg.Wait()
	return lat, time.Since(start), first
}

func getDiscard(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

func getJSON(u string, v any) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return decode(resp, v)
}

func postJSON(u string, body, v any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := http.Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	return decode(resp, v)
}

func decode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", resp.Request.Method, resp.Request.URL, resp.Status, b)
	}
	return json.Unmarshal(b, v)
}
