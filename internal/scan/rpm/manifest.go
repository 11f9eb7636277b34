package rpm

import (
	"encoding/json"
	"log/slog"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/scan"
)

// manifestDir holds the Image Content Manifests that Red Hat's build
// system (OSBS, atomic-reactor) writes into each layer it builds, one per
// build: {"metadata": {"icm_version": 1, "icm_spec": …,
// "image_layer_index": N}, "content_sets": ["rhel-9-for-x86_64-baseos-rpms",
// …], "image_contents": [{"purl": …}]}.
//
// A manifest names repositories, not CPEs: Red Hat maps content sets to
// CPEs in a separate document (repository-to-cpe.json), which a scanner
// reading a layer does not have. The image's own CPE is os-release's
// CPE_NAME (strata.Distribution.CPE).
const manifestDir = "root/buildinfo/content_manifests"

func isManifest(p string) bool {
	return path.Dir(p) == manifestDir && strings.HasSuffix(p, ".json")
}

// contentSets returns the content sets that the layer's manifests list,
// sorted and without repeats. A manifest that does not parse (some image
// tools replace them with text) is skipped with a warning: it only adds
// information.
func contentSets(fs scan.FileSet, log *slog.Logger) []string {
	var out []string
	for _, p := range fs.Paths() {
		if !isManifest(p) {
			continue
		}
		var m struct {
			ContentSets []string `json:"content_sets"`
		}
		b, err := fs.ReadFile(p)
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			log.Warn("rpm: skipped a content manifest that does not parse", "path", p, "err", err)
			continue
		}
		out = append(out, m.ContentSets...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
