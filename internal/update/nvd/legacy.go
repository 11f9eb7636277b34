package nvd

import (
	"fmt"
	"strings"

	"github.com/strata-scan/strata"
)

// legacyItem is a CVE of the retired JSON 1.1 data feeds
// (nvdcve-1.1-YEAR.json.gz), scored by the NVD alone.
type legacyItem struct {
	CVE struct {
		Meta struct {
			ID string `json:"ID"`
		} `json:"CVE_data_meta"`
		Problemtype struct {
			Data []struct {
				Description []langString `json:"description"`
			} `json:"problemtype_data"`
		} `json:"problemtype"`
		Description struct {
			Data []langString `json:"description_data"`
		} `json:"description"`
	} `json:"cve"`
	Impact struct {
		V3 *struct {
			CVSS cvssData `json:"cvssV3"`
		} `json:"baseMetricV3"`
		V2 *struct {
			CVSS     cvssData `json:"cvssV2"`
			Severity string   `json:"severity"`
		} `json:"baseMetricV2"`
	} `json:"impact"`
	Published    string `json:"publishedDate"`
	LastModified string `json:"lastModifiedDate"`
}

// nvdScorer is the NVD's own source name in its scores.
const nvdScorer = "nvd@nist.gov"

func (it *legacyItem) entry() (entry, error) {
	id := it.CVE.Meta.ID
	desc := english(it.CVE.Description.Data)
	e := entry{Rejected: strings.HasPrefix(desc, "** REJECT **")}
	v := &e.Record
	var err error
	if v.ID, err = cveID(id); err != nil {
		return e, err
	}
	if v.Published, err = parseTime("publishedDate", it.Published); err != nil {
		return e, fmt.Errorf("%s: %w", id, err)
	}
	if v.Modified, err = parseTime("lastModifiedDate", it.LastModified); err != nil {
		return e, fmt.Errorf("%s: %w", id, err)
	}
	v.Description = shorten(desc)
	ratings := map[strata.CVSS]string{}
	add := func(d cvssData, rating string) {
		s := strata.CVSS{Version: d.Version, Vector: d.VectorString, Score: d.BaseScore, Source: nvdScorer, Type: "Primary"}
		v.CVSS = append(v.CVSS, s)
		ratings[s] = rating
	}
	if m := it.Impact.V3; m != nil {
		add(m.CVSS, m.CVSS.BaseSeverity)
	}
	if m := it.Impact.V2; m != nil {
		add(m.CVSS, m.Severity)
	}
	for _, p := range it.CVE.Problemtype.Data {
		for _, d := range p.Description {
			v.CWEs = appendCWE(v.CWEs, d.Value)
		}
	}
	finish(v, ratings)
	return e, nil
}
