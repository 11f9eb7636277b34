package osv

import (
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// setSeverity reads the affected package's CVSS vectors (or else the
// record's) into v.CVSS, each once, and sets v.Severity. A vendor's own
// rating comes first: Ubuntu's priority (a severity of type "Ubuntu",
// such as "medium"). Otherwise the first CVSS v3 vector's base score
// decides, else the database's severity (GitHub's LOW, MODERATE, HIGH,
// CRITICAL), else it stays Unknown: a CVSS v4 or v2 vector is kept with
// score 0, not scored.
func setSeverity(v *strata.Vulnerability, rec *record, a affected) {
	sevs := a.Severity
	if len(sevs) == 0 {
		sevs = rec.Severity
	}
	priority := ""
	scored := false
	for _, s := range sevs {
		if s.Type == "Ubuntu" {
			priority = s.Score
			continue
		}
		if slices.ContainsFunc(v.CVSS, func(c strata.CVSS) bool { return c.Vector == s.Score }) {
			continue // Ubuntu's records repeat vectors
		}
		c := strata.CVSS{Version: cvssVersion(s.Score), Vector: s.Score}
		if score, ok := cvss3Score(s.Score); ok {
			c.Score = score
			if !scored {
				v.Severity, scored = scoreSeverity(score), true
			}
		}
		v.CVSS = append(v.CVSS, c)
	}
	vendor := a.DatabaseSpecific.Severity
	if vendor == "" {
		vendor = rec.DatabaseSpecific.Severity
	}
	v.VendorSeverity = vendor
	switch {
	case priority != "":
		v.VendorSeverity, v.Severity = priority, vendorSeverity(priority)
	case !scored:
		v.Severity = vendorSeverity(vendor)
	}
}

// cvssVersion is the version a vector names ("CVSS:3.1/…" → "3.1"); a
// vector without the prefix is CVSS v2's.
func cvssVersion(vector string) string {
	if rest, ok := strings.CutPrefix(vector, "CVSS:"); ok {
		ver, _, _ := strings.Cut(rest, "/")
		return ver
	}
	return "2.0"
}

// scoreSeverity is CVSS v3's qualitative rating of a base score, None
// (0.0) being Negligible.
func scoreSeverity(score float64) strata.Severity {
	switch {
	case score >= 9:
		return strata.Critical
	case score >= 7:
		return strata.High
	case score >= 4:
		return strata.Medium
	case score > 0:
		return strata.Low
	}
	return strata.Negligible
}

// vendorSeverity reads a database's severity name.
func vendorSeverity(s string) strata.Severity {
	switch strings.ToUpper(s) {
	case "NEGLIGIBLE":
		return strata.Negligible
	case "LOW":
		return strata.Low
	case "MODERATE", "MEDIUM":
		return strata.Medium
	case "HIGH":
		return strata.High
	case "CRITICAL":
		return strata.Critical
	}
	return strata.Unknown
}
