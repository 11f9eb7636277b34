package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/strata-scan/strata/internal/httpapi"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/notify/amqp"
	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/update"
)

const serveHelp = `Usage: strata serve [flags]

Serves the HTTP API: Clair v4's indexer and matcher routes
(/indexer/api/v1/…, /matcher/api/v1/…), strata's own under /api/v1/
(submit an image by registry reference, list images with their
vulnerability counts, feed update status, the OpenAPI document at
/api/v1/openapi.json), /healthz, /readyz and /metrics (Prometheus).
Feeds are updated in the background every updates.interval; after each
update, and every notify.interval, the notifications of the images that
the update newly affects (or no longer does) are recorded and delivered
to the configured webhook and AMQP broker until acknowledged.

The configuration is one YAML file (--config) over the defaults, then
environment variables, then the flags --listen, --db, --auth-psk and
--source. --db takes an SQLite file or a postgres:// URL. The keys, their
defaults and their environment variables:

`

// serveUsage is the help: serveHelp and the documented example
// configuration.
var serveUsage = serveHelp + httpapi.ExampleConfig

// shutdownGrace is how long requests in flight may finish after a signal.
const shutdownGrace = 30 * time.Second

// webhookTimeout bounds one webhook POST.
const webhookTimeout = 30 * time.Second

func runServe(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "serve", serveUsage)
	configPath := fs.String("config", "", "YAML configuration file")
	listen := fs.String("listen", "", "address to listen on, host:port (default :6060)")
	psk := fs.String("auth-psk", "", "base64 pre-shared key: require HS256 JWTs signed with it (as Clair's auth.psk)")
	sources := sourceFlags{}
	fs.Var(sources, "source", "NAME=LOCATION: read feed NAME from a file, directory, tarball or URL (repeatable; replaces updates.sources)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("serve takes no arguments, have %q", fs.Args())
	}
	cfg, err := serveConfig(*configPath, *listen, common.db, *psk, sources)
	if err != nil {
		return err
	}
	e.log = serveLogger(e, common.verbose)
	loc := storeLocation{cfg.DB, "db (--config or $STRATA_DB)"}
	switch {
	case common.db != "":
		loc.namedBy = "--db"
	case cfg.DB == "":
		if loc, err = common.location(); err != nil {
			return err
		}
		cfg.DB = loc.db
	}
	if cfg.Registry.DockerConfig != "" { // read by the registry keychain
		if err := os.Setenv("DOCKER_CONFIG", cfg.Registry.DockerConfig); err != nil {
			return fmt.Errorf("registry.docker_config: %w", err)
		}
	}
	st, err := openStore(ctx, loc, true)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := httpapi.New(cfg, st, e.log)
	if err != nil {
		return err
	}
	return listenAndServe(ctx, e, cfg, st, srv)
}

// serveConfig loads the configuration and applies the flags that were set.
func serveConfig(path, listen, db, psk string, sources sourceFlags) (httpapi.Config, error) {
	cfg, err := httpapi.LoadConfig(path, os.Getenv)
	if err != nil {
		return cfg, err
	}
	if listen != "" {
		cfg.Listen = listen
	}
	if db != "" {
		cfg.DB = db
	}
	if psk != "" {
		if err := cfg.Auth.PSK.Key.UnmarshalText([]byte(psk)); err != nil {
			return cfg, fmt.Errorf("--auth-psk: %w", err)
		}
	}
	if len(sources) > 0 {
		cfg.Updates.Sources = sources
	}
	return cfg, nil
}

func serveLogger(e *env, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// listenAndServe serves until ctx ends, then lets requests in flight
// finish. The feed updates run beside it.
func listenAndServe(ctx context.Context, e *env, cfg httpapi.Config, st store.Store, srv *httpapi.Server) error {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(e.log.Handler(), slog.LevelWarn)}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.Notify.Callback == "" {
		cfg.Notify.Callback = "http://" + ln.Addr().String()
	}
	rounds := make(chan struct{}, 1)
	updated, notified := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(updated)
		updateFeeds(ctx, e.log, st, cfg.Updates, srv.Metrics(), rounds)
	}()
	go func() {
		defer close(notified)
		notifyLoop(ctx, e.log, st, cfg.Notify, srv.Metrics(), rounds)
	}()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(e.stderr, "strata serve: listening on http://%s\n", ln.Addr())
	select {
	case err = <-served:
	case <-ctx.Done():
		sctx, scancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = hs.Shutdown(sctx)
		scancel()
	}
	cancel()
	<-updated
	<-notified
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// updateFeeds updates the configured feeds now and then every interval,
// until ctx ends, and signals rounds after each round. An interval of 0
// turns background updates off.
func updateFeeds(ctx context.Context, log *slog.Logger, st store.Store, cfg httpapi.Updates, m *httpapi.Metrics, rounds chan<- struct{}) {
	if cfg.Interval == 0 {
		return
	}
	us, err := selectUpdaters(cfg.Feeds, cfg.Sources) // the configuration was validated: no error
	if err != nil {
		log.Error("feed updates", "err", err)
		return
	}
	r := &update.Runner{Store: st, Client: &http.Client{Timeout: time.Duration(cfg.Timeout)}, Log: log}
	for {
		for _, u := range us {
			result := "updated"
			out, err := r.Run(ctx, u, cfg.Sources[u.Name()])
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				result = "failed"
				log.Error("feed update failed", "updater", u.Name(), "err", err)
			case out.Busy:
				result = "busy"
			case out.Unchanged:
				result = "unchanged"
			}
			m.FeedUpdate(u.Name(), result)
		}
		select {
		case rounds <- struct{}{}:
		default: // a round is already waiting for the notifier
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(cfg.Interval)):
		}
	}
}

// notifyLoop records the notifications of new feed updates and delivers
// the pending ones: at start-up, after each update round and every
// cfg.Interval (0: only after rounds), until ctx ends.
func notifyLoop(ctx context.Context, log *slog.Logger, st store.Store, cfg httpapi.Notify, m *httpapi.Metrics, rounds <-chan struct{}) {
	ds, closeAll := deliverers(cfg, log, m)
	defer closeAll()
	n := &notify.Notifier{Store: st, Index: st, Log: log}
	for {
		if _, err := n.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("notifications", "err", err)
		}
		dispatchAll(ctx, log, st, ds, notify.Delivery{Summary: cfg.Summary, Expire: time.Duration(cfg.Expire)})
		var tick <-chan time.Time
		if cfg.Interval > 0 {
			tick = time.After(time.Duration(cfg.Interval))
		}
		select {
		case <-ctx.Done():
			return
		case <-rounds:
		case <-tick:
		}
	}
}

// dispatchAll hands the pending notifications to each of ds, each on its
// own, so that a receiver that is down (the webhook retries for minutes)
// does not hold up the others, and returns when all are done.
func dispatchAll(ctx context.Context, log *slog.Logger, st store.GroupReader, ds []notify.Deliverer, how notify.Delivery) {
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() {
			if _, err := notify.Dispatch(ctx, st, d, how); err != nil && ctx.Err() == nil {
				log.Error("notification delivery", "err", err)
			}
		})
	}
	wg.Wait()
}

// deliverers returns the configured deliverers, which log to log and
// count their attempts in m, and a function that closes them.
func deliverers(cfg httpapi.Notify, log *slog.Logger, m *httpapi.Metrics) ([]notify.Deliverer, func()) {
	var ds []notify.Deliverer
	closeAll := func() {}
	attempted := func(name string) func(error) {
		return func(err error) { m.NotificationDelivery(name, err) }
	}
	if cfg.Webhook.URL != "" {
		ds = append(ds, &webhook.Deliverer{Target: cfg.Webhook.URL, Callback: cfg.Callback,
			Secret: []byte(cfg.Webhook.Secret), Client: &http.Client{Timeout: webhookTimeout},
			Log: log, Attempted: attempted(webhook.Name)})
	}
	if cfg.AMQP.URL != "" {
		a := &amqp.Deliverer{URL: cfg.AMQP.URL, Exchange: cfg.AMQP.Exchange, RoutingKey: cfg.AMQP.RoutingKey,
			Callback: cfg.Callback, Secret: []byte(cfg.Webhook.Secret), Log: log, Attempted: attempted(amqp.Name)}
		ds = append(ds, a)
		closeAll = func() { _ = a.Close() }
	}
	return ds, closeAll
}
