package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/store"
)

// Clair's paths, and its link relations for them.
const (
	indexReportPath  = "/indexer/api/v1/index_report"
	vulnReportPath   = "/matcher/api/v1/vulnerability_report"
	relIndexReport   = "https://projectquay.io/clair/v1/index_report"
	relVulnReport    = "https://projectquay.io/clair/v1/vulnerability_report"
	indexReportLinks = `<%s>; rel="` + relIndexReport + `", <%s>; rel="` + relVulnReport + `"`
)

// postIndexReport indexes the image a Clair manifest describes and
// answers 201 with its IndexReport.
func (s *Server) postIndexReport(w http.ResponseWriter, r *http.Request) error {
	var m Manifest
	if err := decodeJSON(r, &m); err != nil {
		return err
	}
	if err := m.validate(); err != nil {
		return err
	}
	ir, err := s.indexManifest(r.Context(), &m)
	if err != nil {
		return err
	}
	w.Header().Set("Location", indexReportPath+"/"+string(ir.ManifestDigest))
	writeIndexReport(w, http.StatusCreated, ir)
	return nil
}

// indexManifest returns the stored report when it was made by the current
// scanner set from the same layer blobs (nothing is fetched), else indexes
// the manifest's layers.
func (s *Server) indexManifest(ctx context.Context, m *Manifest) (*strata.IndexReport, error) {
	ir, err := s.store.IndexReport(ctx, m.Hash)
	switch {
	case err == nil && ir.State == s.indexer.State() && sameBlobs(ir.Layers, m.Layers):
		s.metrics.reports.WithLabelValues("cached").Inc()
		ir.LayersRead = 0
		return ir, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	ir, err = s.indexer.Index(ctx, s.manifestImage(m))
	if err != nil {
		return nil, err
	}
	s.metrics.reports.WithLabelValues("indexed").Inc()
	return ir, nil
}

func sameBlobs(have []strata.Layer, want []ManifestLayer) bool {
	return slices.EqualFunc(have, want, func(h strata.Layer, w ManifestLayer) bool { return h.Blob == w.Hash })
}

// writeIndexReport answers with the Clair IndexReport of ir, its ETag (the
// scanner-set state it was made with) and Clair's links.
func writeIndexReport(w http.ResponseWriter, status int, ir *strata.IndexReport) {
	d := string(ir.ManifestDigest)
	w.Header().Set("ETag", etag(ir.State))
	w.Header().Set("Link", fmt.Sprintf(indexReportLinks, indexReportPath+"/"+d, vulnReportPath+"/"+d))
	writeJSON(w, status, report.BuildIndexReport(ir))
}

// getIndexReport answers with a stored IndexReport, or 304 when the
// client's If-None-Match names the state it was made with.
func (s *Server) getIndexReport(w http.ResponseWriter, r *http.Request) error {
	d, err := pathDigest(r)
	if err != nil {
		return err
	}
	ir, err := s.store.IndexReport(r.Context(), d)
	if err != nil {
		return err
	}
	if notModified(r, etag(ir.State)) {
		w.Header().Set("ETag", etag(ir.State))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeIndexReport(w, http.StatusOK, ir)
	return nil
}

// deleteIndexReport deletes one manifest: 204, or 404 when absent.
func (s *Server) deleteIndexReport(w http.ResponseWriter, r *http.Request) error {
	d, err := pathDigest(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteIndexReport(r.Context(), d); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteIndexReports deletes a JSON list of manifests and answers with
// those that were deleted (absent ones are skipped), as Clair does.
func (s *Server) deleteIndexReports(w http.ResponseWriter, r *http.Request) error {
	var ds []strata.Digest
	if err := decodeJSON(r, &ds); err != nil {
		return err
	}
	for i, d := range ds {
		if _, err := strata.ParseDigest(string(d)); err != nil {
			return fmt.Errorf("%w: digest %d of %d: %v", errBadRequest, i+1, len(ds), err)
		}
	}
	deleted := []strata.Digest{}
	for _, d := range ds {
		err := s.store.DeleteIndexReport(r.Context(), d)
		switch {
		case err == nil:
			deleted = append(deleted, d)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	writeJSON(w, http.StatusOK, deleted)
	return nil
}

// indexState answers with the scanner-set state, or 304 when unchanged.
func (s *Server) indexState(w http.ResponseWriter, r *http.Request) error {
	state := s.indexer.State()
	w.Header().Set("ETag", etag(state))
	if notModified(r, etag(state)) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeJSON(w, http.StatusOK, struct {
		State string `json:"state"`
	}{state})
	return nil
}

// pathDigest reads and checks the {digest} of the path.
func pathDigest(r *http.Request) (strata.Digest, error) {
	d, err := strata.ParseDigest(r.PathValue("digest"))
	if err != nil {
		return "", fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return d, nil
}

// etag is the entity tag of what was made with the scanner-set state: a
// hash of it, since the state itself holds commas, which If-None-Match
// uses to separate tags.
func etag(state string) string {
	sum := sha256.Sum256([]byte(state))
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// notModified reports whether If-None-Match names tag (or is "*").
func notModified(r *http.Request, tag string) bool {
	for _, h := range r.Header.Values("If-None-Match") {
		for t := range strings.SplitSeq(h, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == tag || t == "*" {
				return true
			}
		}
	}
	return false
}
