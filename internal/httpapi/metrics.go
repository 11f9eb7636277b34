package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Metrics are the server's Prometheus metrics, in a registry of its own.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	layers   *prometheus.CounterVec
	reports  *prometheus.CounterVec
	updates  *prometheus.CounterVec
	delivery *prometheus.CounterVec
	handler  http.Handler
}

func newMetrics(st store.Store, feeds []string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "strata_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "strata_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"route"}),
		layers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "strata_layers_indexed_total", Help: "Layers indexed, by whether they were read or came from the layer cache.",
		}, []string{"result"}),
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "strata_index_reports_total", Help: "Index requests, by whether the manifest was indexed or its stored report was current (cached).",
		}, []string{"result"}),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "strata_feed_updates_total", Help: "Feed update runs by feed and result (updated, unchanged, busy, failed).",
		}, []string{"updater", "result"}),
		delivery: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "strata_notification_deliveries_total", Help: "Notification delivery attempts by deliverer (webhook, amqp) and result (ok, error).",
		}, []string{"deliverer", "result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.layers, m.reports, m.updates, m.delivery,
		feedCollector{store: st, feeds: feeds},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// observe records one request.
func (m *Metrics) observe(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// layerIndexed is the indexer's Progress callback.
func (m *Metrics) layerIndexed(_, _ int, _ strata.Digest, cached bool) {
	result := "read"
	if cached {
		result = "cached"
	}
	m.layers.WithLabelValues(result).Inc()
}

// FeedUpdate records one feed update run: result is "updated",
// "unchanged", "busy" (another replica was updating it) or "failed".
func (m *Metrics) FeedUpdate(updater, result string) {
	m.updates.WithLabelValues(updater, result).Inc()
}

// NotificationDelivery records one attempt of the deliverer at delivering
// a notification message, which failed with err unless nil.
func (m *Metrics) NotificationDelivery(deliverer string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.delivery.WithLabelValues(deliverer, result).Inc()
}

func (m *Metrics) serve(w http.ResponseWriter, r *http.Request) error {
	m.handler.ServeHTTP(w, r)
	return nil
}

// feedCollector reads each feed's status from the store at scrape time,
// so that every replica reports the same ages.
type feedCollector struct {
	store store.Store
	feeds []string
}

var (
	feedAge = prometheus.NewDesc("strata_feed_age_seconds",
		"Seconds since the feed's last successful update.", []string{"updater"}, nil)
	feedRecords = prometheus.NewDesc("strata_feed_records",
		"Vulnerability records the store holds for the feed.", []string{"updater"}, nil)
	feedFailing = prometheus.NewDesc("strata_feed_failing",
		"1 when the feed's last update attempt failed, else 0.", []string{"updater"}, nil)
)

func (c feedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- feedAge
	ch <- feedRecords
	ch <- feedFailing
}

func (c feedCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, f := range c.feeds {
		st, err := c.store.UpdaterStatus(ctx, f)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(feedAge, err)
			continue
		}
		if !st.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(feedAge, prometheus.GaugeValue, time.Since(st.LastSuccess).Seconds(), f)
		}
		ch <- prometheus.MustNewConstMetric(feedRecords, prometheus.GaugeValue, float64(st.Records), f)
		failing := 0.0
		if st.LastError != "" {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(feedFailing, prometheus.GaugeValue, failing, f)
	}
}
