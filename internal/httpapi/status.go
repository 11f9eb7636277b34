package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/strata-scan/strata/internal/store"
)

// healthz answers 200 while the process serves requests.
func healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers 200 when the store answers a query on its schema (so the
// database is reachable and migrated), else 503.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.UpdaterStatus(ctx, s.feeds[0]); err != nil {
		return fmt.Errorf("%w: store: %v", errNotReady, err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

// feedStatus is one feed's update status.
type feedStatus struct {
	store.UpdaterStatus
	// AgeSeconds is the time since the last successful update; absent
	// when the feed was never loaded.
	AgeSeconds *float64 `json:"age_seconds,omitempty"`
}

// updates answers with the update status of every feed.
func (s *Server) updates(w http.ResponseWriter, r *http.Request) error {
	out := struct {
		Updaters []feedStatus `json:"updaters"`
	}{}
	for _, f := range s.feeds {
		st, err := s.store.UpdaterStatus(r.Context(), f)
		if err != nil {
			return err
		}
		fs := feedStatus{UpdaterStatus: *st}
		fs.Fingerprint = "" // internal: the conditional-request state of each location
		if !st.LastSuccess.IsZero() {
			age := time.Since(st.LastSuccess).Round(time.Second).Seconds()
			fs.AgeSeconds = &age
		}
		out.Updaters = append(out.Updaters, fs)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
