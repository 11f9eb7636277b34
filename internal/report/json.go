package report

import (
	"encoding/json"
	"io"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// JSON writes the Clair v4 VulnerabilityReport, indented, keys sorted.
func JSON(w io.Writer, ir *strata.IndexReport, res *match.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Build(ir, res))
}
