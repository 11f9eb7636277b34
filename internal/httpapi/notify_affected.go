package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/store"
)

// affected answers which indexed images a vulnerability (any id or alias
// of its records) affects, and what share of all indexed images they are:
// the report of `strata affected --format json`.
func (s *Server) affected(w http.ResponseWriter, r *http.Request) error {
	id := r.URL.Query().Get("vulnerability")
	if id == "" {
		return fmt.Errorf("%w: the vulnerability query parameter is required", errBadRequest)
	}
	ar, err := notify.Affected(r.Context(), s.store, id)
	if errors.Is(err, notify.ErrUnknownVulnerability) {
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ar)
	return nil
}
