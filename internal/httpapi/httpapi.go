// Package httpapi is strata's HTTP API: Clair v4's indexer and matcher
// paths and JSON shapes (so that clairctl and Quay work unchanged),
// strata's own routes under /api/v1/, health, readiness and Prometheus
// metrics, with pre-shared-key JWT auth, a limit on concurrent index
// requests and size-limited request bodies.
//
// Handlers keep nothing between requests: everything lives in the store,
// so several replicas can serve one database. Routes are listed in one
// table (routes), their handlers return errors, and one table (errorTable)
// turns errors into statuses and JSON bodies {"code", "message"}.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/strata-scan/strata/internal/index"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan/scanners"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/update/updaters"
)

// Server serves the API over one store. It is an http.Handler.
type Server struct {
	cfg     Config
	store   store.Store
	indexer *index.Indexer
	feeds   []string // the feeds whose status is shown and measured
	auth    *verifier
	slots   chan struct{} // one per index request allowed at once
	client  *http.Client  // fetches the layers of Clair manifests
	metrics *Metrics
	log     *slog.Logger
	mux     *http.ServeMux
}

// New makes a server over st with the configuration cfg, which must have
// come from LoadConfig (or Defaults). log may be nil.
func New(cfg Config, st store.Store, log *slog.Logger) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:    cfg,
		store:  st,
		slots:  make(chan struct{}, cfg.Limits.MaxConcurrentIndex),
		client: &http.Client{Timeout: time.Duration(cfg.Limits.LayerFetchTimeout)},
		log:    log,
		mux:    http.NewServeMux(),
	}
	for _, u := range updaters.All() {
		s.feeds = append(s.feeds, u.Name())
	}
	if len(cfg.Auth.PSK.Key) > 0 {
		s.auth = &verifier{key: cfg.Auth.PSK.Key, issuers: cfg.Auth.PSK.Issuers, now: time.Now}
	}
	s.metrics = newMetrics(st, s.feeds)
	s.indexer = &index.Indexer{Store: st, Scanners: scanners.All(), Limits: layer.DefaultLimits(), Log: log, Progress: s.metrics.layerIndexed}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	return s, nil
}

// Metrics returns the server's metrics, which the feed scheduler also
// reports to.
func (s *Server) Metrics() *Metrics { return s.metrics }

// route is one entry of the route table.
type route struct {
	pattern string // a ServeMux pattern: "GET /indexer/api/v1/index_report/{digest}"
	handle  handlerFunc
	public  bool // served without auth (health and metrics)
	limited bool // counts against limits.max_concurrent_index
}

// routes is the whole API. openapi.json documents every entry; a test
// checks that the two agree.
func (s *Server) routes() []route {
	return []route{
		{pattern: "POST /indexer/api/v1/index_report", handle: s.postIndexReport, limited: true},
		{pattern: "DELETE /indexer/api/v1/index_report", handle: s.deleteIndexReports},
		{pattern: "GET /indexer/api/v1/index_report/{digest}", handle: s.getIndexReport},
		{pattern: "DELETE /indexer/api/v1/index_report/{digest}", handle: s.deleteIndexReport},
		{pattern: "GET /indexer/api/v1/index_state", handle: s.indexState},
		{pattern: "GET /matcher/api/v1/vulnerability_report/{digest}", handle: s.vulnerabilityReport},
		{pattern: "POST /api/v1/images", handle: s.postImage, limited: true},
		{pattern: "GET /api/v1/images", handle: s.listImages},
		{pattern: "GET /notifier/api/v1/notification/{id}", handle: s.getNotification},
		{pattern: "DELETE /notifier/api/v1/notification/{id}", handle: s.deleteNotification},
		{pattern: "GET /api/v1/affected", handle: s.affected},
		{pattern: "GET /api/v1/updates", handle: s.updates},
		{pattern: "GET /api/v1/openapi.json", handle: serveOpenAPI},
		{pattern: "GET /healthz", handle: healthz, public: true},
		{pattern: "GET /readyz", handle: s.readyz, public: true},
		{pattern: "GET /metrics", handle: s.metrics.serve, public: true},
	}
}

// ServeHTTP routes the request. A path no route has, or a method its
// route does not take, is answered with a JSON error like every other.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// The mux's own answer is a redirect (to the cleaned path), a 404 or
	// a 405 with its Allow header; keep its status and headers.
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status < 400 {
		h.ServeHTTP(w, r)
		return
	}
	if allow := rec.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	err := fmt.Errorf("%w: %s %s", errNoRoute, r.Method, r.URL.Path)
	if rec.status == http.StatusMethodNotAllowed {
		err = fmt.Errorf("%w: %s %s (allowed: %s)", errMethod, r.Method, r.URL.Path, rec.header.Get("Allow"))
	}
	s.writeError(w, r, err)
	s.metrics.observe("unrouted", status(err), time.Since(start))
}

// wrap applies auth, the concurrency limit and the body limit to a
// route's handler, writes its error, logs and measures it.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		if err := s.serve(rt, sw, r); err != nil {
			s.writeError(sw, r, err)
		}
		s.metrics.observe(rt.pattern, sw.code(), time.Since(start))
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.code(), "duration", time.Since(start))
	})
}

func (s *Server) serve(rt route, w http.ResponseWriter, r *http.Request) error {
	if !rt.public && s.auth != nil {
		if err := s.auth.check(r); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="strata"`)
			return err
		}
	}
	if rt.limited {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		default:
			w.Header().Set("Retry-After", fmt.Sprint(int(time.Duration(s.cfg.Limits.RetryAfter).Round(time.Second).Seconds())))
			return fmt.Errorf("%w: %d index requests are running (limits.max_concurrent_index)", errBusy, cap(s.slots))
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBodyBytes)
	return rt.handle(w, r)
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// headerRecorder keeps the status and headers of a response, not its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return len(b), nil
}
