package nvd

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update/jsonstream"
)

// page is what paging needs of a CVE API 2.0 response's header; it is
// zero for the other shapes.
type page struct {
	TotalResults int
	Timestamp    string // the API's clock when it answered
	CVEs         int    // the CVEs read, rejected ones included
}

// entry is one CVE read: its record, and whether the CVE was rejected
// (withdrawn; its record is not to be kept).
type entry struct {
	Rejected bool
	Record   strata.Vulnerability
}

// decode reads an NVD document, calling fn for each CVE in document
// order: a CVE API 2.0 response ({"vulnerabilities": [{"cve": …}]}), one
// of its items ({"cve": …}) or a legacy JSON 1.1 data feed
// ({"CVE_Items": […]}). The CVE arrays are read one element at a time,
// so that a large feed is never held whole.
func decode(r io.Reader, fn func(entry) error) (*page, error) {
	dec := json.NewDecoder(r)
	p := &page{}
	known := false
	err := jsonstream.Object(dec, func(key string) error {
		var err error
		switch key {
		case "vulnerabilities", "CVE_Items":
			known = true
			err = jsonstream.ArrayOrNull(dec, func(i int) error {
				if err := p.decodeItem(dec, key, fn); err != nil {
					return fmt.Errorf("[%d]: %w", i, err)
				}
				return nil
			})
		case "cve":
			known = true
			var c apiCVE
			if err = dec.Decode(&c); err == nil {
				err = emit(p, c.entry, fn)
			}
		case "totalResults":
			err = dec.Decode(&p.TotalResults)
		case "timestamp":
			err = dec.Decode(&p.Timestamp)
		default:
			err = jsonstream.Skip(dec)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", excerpt.ID(key), err)
		}
		return nil
	})
	if err == nil {
		err = jsonstream.End(dec)
	}
	if err != nil {
		return nil, err
	}
	if !known {
		return nil, errors.New(`no "vulnerabilities" (CVE API 2.0), "cve" or "CVE_Items" (JSON 1.1 feed): not an NVD document`)
	}
	return p, nil
}

// decodeItem reads one element of the CVE array of key: an item of a
// CVE API 2.0 response ("vulnerabilities") or of a JSON 1.1 feed
// ("CVE_Items").
func (p *page) decodeItem(dec *json.Decoder, key string, fn func(entry) error) error {
	if key == "CVE_Items" {
		var item legacyItem
		if err := dec.Decode(&item); err != nil {
			return err
		}
		return emit(p, item.entry, fn)
	}
	var item struct {
		CVE apiCVE `json:"cve"`
	}
	if err := dec.Decode(&item); err != nil {
		return err
	}
	return emit(p, item.CVE.entry, fn)
}

// emit converts one item and hands it to fn.
func emit(p *page, convert func() (entry, error), fn func(entry) error) error {
	e, err := convert()
	if err != nil {
		return err
	}
	p.CVEs++
	return fn(e)
}

// apiCVE is a CVE of the CVE API 2.0.
type apiCVE struct {
	ID           string       `json:"id"`
	Published    string       `json:"published"`
	LastModified string       `json:"lastModified"`
	VulnStatus   string       `json:"vulnStatus"`
	Descriptions []langString `json:"descriptions"`
	Metrics      struct {
		V40 []apiMetric `json:"cvssMetricV40"`
		V31 []apiMetric `json:"cvssMetricV31"`
		V30 []apiMetric `json:"cvssMetricV30"`
		V2  []apiMetric `json:"cvssMetricV2"`
	} `json:"metrics"`
	Weaknesses []struct {
		Description []langString `json:"description"`
	} `json:"weaknesses"`
}

type langString struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type apiMetric struct {
	Source   string   `json:"source"`
	Type     string   `json:"type"`
	CVSSData cvssData `json:"cvssData"`
	// BaseSeverity is CVSS v2's rating; v3 and v4 have theirs in CVSSData.
	BaseSeverity string `json:"baseSeverity"`
}

type cvssData struct {
	Version      string  `json:"version"`
	VectorString string  `json:"vectorString"`
	BaseScore    float64 `json:"baseScore"`
	BaseSeverity string  `json:"baseSeverity"`
}

func (c *apiCVE) entry() (entry, error) {
	e := entry{Rejected: c.VulnStatus == "Rejected"}
	v := &e.Record
	var err error
	if v.ID, err = cveID(c.ID); err != nil {
		return e, err
	}
	if v.Published, err = parseTime("published", c.Published); err != nil {
		return e, fmt.Errorf("%s: %w", c.ID, err)
	}
	if v.Modified, err = parseTime("lastModified", c.LastModified); err != nil {
		return e, fmt.Errorf("%s: %w", c.ID, err)
	}
	v.Description = shorten(english(c.Descriptions))
	ratings := map[strata.CVSS]string{}
	for _, ms := range [][]apiMetric{c.Metrics.V40, c.Metrics.V31, c.Metrics.V30, c.Metrics.V2} {
		for _, m := range ms {
			if m.CVSSData.VectorString == "" {
				continue // no score, only its source
			}
			s := strata.CVSS{
				Version: m.CVSSData.Version, Vector: m.CVSSData.VectorString, Score: m.CVSSData.BaseScore,
				Source: m.Source, Type: m.Type,
			}
			v.CVSS = append(v.CVSS, s)
			ratings[s] = cmp.Or(m.CVSSData.BaseSeverity, m.BaseSeverity)
		}
	}
	for _, w := range c.Weaknesses {
		for _, d := range w.Description {
			v.CWEs = appendCWE(v.CWEs, d.Value)
		}
	}
	finish(v, ratings)
	return e, nil
}

// finish sets what every record shares: the updater, the NVD page as its
// link, and the severity of its best score as the NVD rates it.
func finish(v *strata.Vulnerability, ratings map[strata.CVSS]string) {
	v.Updater = Name
	v.Links = []string{"https://nvd.nist.gov/vuln/detail/" + v.ID}
	best, ok := strata.BestCVSS(v.CVSS)
	if !ok {
		return
	}
	v.VendorSeverity = ratings[best]
	if strings.EqualFold(v.VendorSeverity, "NONE") {
		v.Severity = strata.Negligible
	} else if s, err := strata.ParseSeverity(v.VendorSeverity); err == nil {
		v.Severity = s
	}
}

var cvePattern = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

func cveID(id string) (string, error) {
	if !cvePattern.MatchString(id) {
		return "", fmt.Errorf("CVE id %s: want CVE-YYYY-NNNN", excerpt.Quote(id))
	}
	return id, nil
}

var cwePattern = regexp.MustCompile(`^CWE-[0-9]+$`)

// appendCWE adds id to ids unless it is no CWE id (the NVD's placeholders
// NVD-CWE-noinfo and NVD-CWE-Other) or already there.
func appendCWE(ids []string, id string) []string {
	if !cwePattern.MatchString(id) || slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// english is the English text of a list, else the first.
func english(ls []langString) string {
	for _, l := range ls {
		if l.Lang == "en" {
			return l.Value
		}
	}
	if len(ls) > 0 {
		return ls[0].Value
	}
	return ""
}

// maxDescription bounds a stored description: the full text is on the
// NVD page the record links to, and the NVD holds some 300,000 CVEs.
const maxDescription = 200

// shorten cuts s to at most maxDescription bytes, at a space, marking
// the cut with "…".
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxDescription {
		return s
	}
	cut := strings.LastIndexByte(s[:maxDescription], ' ')
	if cut <= 0 {
		cut = maxDescription
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "…"
}

// timeLayouts are the NVD's time formats: the API's (UTC, no zone; on
// some records with one) and the JSON 1.1 feeds' (minutes, "Z").
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// parseTime reads field's time; an empty one is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: bad time %s", field, excerpt.Quote(s))
}
