package httpapi

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/store"
)

// imageRequest submits an image by registry reference.
type imageRequest struct {
	Reference string `json:"reference"`
	Platform  string `json:"platform,omitempty"` // os/arch[/variant] of a multi-platform image
}

// imageResponse is the answer to a submission.
type imageResponse struct {
	Reference           string              `json:"reference"`
	ManifestHash        strata.Digest       `json:"manifest_hash"`
	IndexReport         *report.IndexReport `json:"index_report"`
	VulnerabilityReport string              `json:"vulnerability_report"` // its path
}

// postImage pulls an image from its registry, with the credentials
// configured on the server (registry.username and password, else the
// docker config's), indexes it and answers 201.
func (s *Server) postImage(w http.ResponseWriter, r *http.Request) error {
	var req imageRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkReference(req.Reference); err != nil {
		return err
	}
	reg := s.cfg.Registry
	opts := image.Options{Platform: req.Platform, Insecure: reg.Insecure, Username: reg.Username, Password: reg.Password}
	im, err := image.Open(r.Context(), req.Reference, opts)
	if err != nil {
		return fmt.Errorf("%w: %v", errImageFetch, err)
	}
	defer im.Close()
	ir, err := s.indexer.Index(r.Context(), im)
	if err != nil {
		return err
	}
	s.metrics.reports.WithLabelValues("indexed").Inc()
	d := string(ir.ManifestDigest)
	w.Header().Set("Location", indexReportPath+"/"+d)
	writeJSON(w, http.StatusCreated, imageResponse{
		Reference: req.Reference, ManifestHash: ir.ManifestDigest,
		IndexReport: report.BuildIndexReport(ir), VulnerabilityReport: vulnReportPath + "/" + d,
	})
	return nil
}

// checkReference accepts registry references that name a tag or digest
// (REPOSITORY:TAG, REPOSITORY@DIGEST), and never a file or directory of
// the server, which image.Open would otherwise read.
func checkReference(ref string) error {
	last := ref[strings.LastIndexByte(ref, '/')+1:]
	switch _, err := os.Lstat(ref); {
	case ref == "":
		return fmt.Errorf("%w: no reference", errBadRequest)
	case strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, ".") || !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: reference %q: want a registry reference, not a path", errBadRequest, ref)
	case !strings.ContainsAny(last, ":@"):
		return fmt.Errorf("%w: reference %q names no tag or digest (want REPOSITORY:TAG or REPOSITORY@DIGEST)", errBadRequest, ref)
	}
	return nil
}

// imageSummary is one image of the list.
type imageSummary struct {
	ManifestHash strata.Digest `json:"manifest_hash"`
	Distribution string        `json:"distribution,omitempty"` // its release key: "debian:12"
	Packages     int           `json:"packages"`
	// Vulnerabilities counts the distinct vulnerability records that
	// affect the image, in all and by normalised severity.
	Vulnerabilities int            `json:"vulnerabilities"`
	BySeverity      map[string]int `json:"by_severity"`
	Uncovered       []string       `json:"uncovered"`
}

// listImages answers with every indexed image and its vulnerability
// counts, matched against the current data.
func (s *Server) listImages(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.Manifests(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Images []imageSummary `json:"images"`
	}{Images: []imageSummary{}}
	for _, d := range ds {
		ir, vr, err := s.match(r.Context(), d)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted since it was listed
		}
		if err != nil {
			return err
		}
		sum := imageSummary{ManifestHash: d, Distribution: ir.Distribution.Release(), Packages: len(ir.Packages),
			Vulnerabilities: len(vr.Vulnerabilities), BySeverity: map[string]int{}, Uncovered: vr.Uncovered}
		for _, v := range vr.Vulnerabilities {
			sum.BySeverity[v.NormalizedSeverity.String()]++
		}
		out.Images = append(out.Images, sum)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
