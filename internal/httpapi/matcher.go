package httpapi

import (
	"context"
	"net/http"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/report"
)

// vulnerabilityReport answers with the VulnerabilityReport of an indexed
// manifest, matched against the vulnerability data as it is now: the same
// report as `strata scan --format json` gives.
func (s *Server) vulnerabilityReport(w http.ResponseWriter, r *http.Request) error {
	d, err := pathDigest(r)
	if err != nil {
		return err
	}
	_, vr, err := s.match(r.Context(), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, vr)
	return nil
}

// match returns a stored index report and its vulnerability report.
func (s *Server) match(ctx context.Context, d strata.Digest) (*strata.IndexReport, *report.VulnerabilityReport, error) {
	ir, err := s.store.IndexReport(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	res, err := match.Match(ctx, s.store, ir, s.log)
	if err != nil {
		return nil, nil, err
	}
	if err := match.EnrichNVD(ctx, s.store, res); err != nil {
		return nil, nil, err
	}
	return ir, report.Build(ir, res), nil
}
