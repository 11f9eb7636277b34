package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/strata-scan/strata/internal/layer"

	"github.com/strata-scan/strata/internal/store"
)

// handlerFunc is a route's handler: it writes a response, or returns an
// error that the error table turns into one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// The errors handlers wrap to choose a status. Anything else is a 500.
var (
	errBadRequest   = errors.New("bad request")
	errMediaType    = errors.New("unsupported media type")
	errTooLarge     = errors.New("request body too large")
	errUnauthorized = errors.New("unauthorized")
	errBusy         = errors.New("too many concurrent index requests")
	errLayerFetch   = errors.New("layer fetch failed")
	errImageFetch   = errors.New("image fetch failed")
	errNotReady     = errors.New("not ready")
	errNoRoute      = errors.New("no such route")
	errMethod       = errors.New("method not allowed")
)

// errorTable is the one mapping from errors to statuses and codes.
var errorTable = []struct {
	err    error
	status int
	code   string
}{
	{store.ErrNotFound, http.StatusNotFound, "not-found"},
	{errNoRoute, http.StatusNotFound, "not-found"},
	{errMethod, http.StatusMethodNotAllowed, "method-not-allowed"},
	{errBadRequest, http.StatusBadRequest, "bad-request"},
	{errMediaType, http.StatusUnsupportedMediaType, "unsupported-media-type"},
	{errTooLarge, http.StatusRequestEntityTooLarge, "too-large"},
	{errUnauthorized, http.StatusUnauthorized, "unauthorized"},
	{errBusy, http.StatusTooManyRequests, "too-many-requests"},
	{errLayerFetch, http.StatusBadGateway, "layer-fetch-failed"},
	{layer.ErrInvalid, http.StatusUnprocessableEntity, "invalid-layer"},
	{errImageFetch, http.StatusBadGateway, "image-fetch-failed"},
	{errNotReady, http.StatusServiceUnavailable, "not-ready"},
}

// classify returns the status and code of err.
func classify(err error) (int, string) {
	for _, e := range errorTable {
		if errors.Is(err, e.err) {
			return e.status, e.code
		}
	}
	return http.StatusInternalServerError, "internal"
}

func status(err error) int {
	st, _ := classify(err)
	return st
}

// apiError is the body of every error response (Clair's error object).
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with err's status and a JSON body naming what went
// wrong. Server errors are logged.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	st, code := classify(err)
	if st >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", st, "err", err)
	}
	writeJSON(w, st, apiError{Code: code, Message: err.Error()})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) // a write error means the client is gone: nothing to tell it
}

// decodeJSON reads the request body, which must be one JSON value of a
// JSON media type (or of none: clairctl sends no Content-Type), into v.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
			return fmt.Errorf("%w: Content-Type %q (want application/json)", errMediaType, ct)
		}
	}
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return fmt.Errorf("%w: more than %d bytes (limits.max_body_bytes)", errTooLarge, tooBig.Limit)
	default:
		return fmt.Errorf("%w: request body: %v", errBadRequest, err)
	}
}
