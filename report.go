package strata

import "time"

// Layer is one layer of a manifest: its content digest (the digest of the
// uncompressed tar, the diff_id) and, when known, its blob digest.
type Layer struct {
	Digest Digest `json:"digest"`
	Blob   Digest `json:"blob,omitempty"`
}

// IndexReport is the merged inventory of one image.
type IndexReport struct {
	ManifestDigest Digest        `json:"manifest_digest"`
	State          string        `json:"state"` // the scanner-set state it was made with
	Layers         []Layer       `json:"layers"`
	Distribution   *Distribution `json:"distribution,omitempty"`
	Packages       []Package     `json:"packages"`
	// LayersRead counts the layers whose contents were read to make this
	// report; the others came from the layer cache.
	LayersRead int `json:"layers_read"`
}

// Reason says why a package matched a vulnerability.
type Reason struct {
	Updater string `json:"updater"`
	Record  string `json:"record"` // the feed record's id
	// Range is the affected range in words ("introduced 0, fixed 1.2-3").
	Range string `json:"range"`
	// Comparison is the comparison that decided it ("1.2-1 < 1.2-3 (deb)").
	Comparison string `json:"comparison"`
	// Symbols says, for a Go finding whose record names vulnerable
	// symbols, whether the binary holds them: "symbol present", "symbol
	// absent" or "unknown (stripped)".
	Symbols string `json:"symbols,omitempty"`
}

// Finding is one package affected by one vulnerability.
type Finding struct {
	Package       Package       `json:"package"`
	Vulnerability Vulnerability `json:"vulnerability"`
	Reason        Reason        `json:"reason"`
	// NVD holds, sorted by CVE, what the National Vulnerability Database
	// says about the CVEs the vulnerability's record names (its ID and
	// aliases), beside the vendor's severity.
	NVD []NVDEntry `json:"nvd,omitempty"`
}

// NVDEntry is the NVD's assessment of one CVE.
type NVDEntry struct {
	CVE  string   `json:"cve"`
	CVSS []CVSS   `json:"cvss,omitempty"`
	CWEs []string `json:"cwes,omitempty"`
}

// NVDScore is the highest of the best CVSS scores (see BestCVSS) of
// entries, and the CVE it is of; false when none has one.
func NVDScore(entries []NVDEntry) (score CVSS, cve string, ok bool) {
	for _, e := range entries {
		if c, found := BestCVSS(e.CVSS); found && (!ok || c.Score > score.Score) {
			score, cve, ok = c, e.CVE, true
		}
	}
	return score, cve, ok
}

// LayerReport is what one scanner (or the tar walk itself, as scanner
// "layer") found in one layer. It is stored under (Layer, Scanner,
// ScannerVersion) so that a layer shared by many images is read once.
type LayerReport struct {
	Layer          Digest        `json:"layer"`
	Scanner        string        `json:"scanner"`
	ScannerVersion string        `json:"scanner_version"`
	Packages       []Package     `json:"packages,omitempty"`
	Distribution   *Distribution `json:"distribution,omitempty"`
	// Databases are the package database files the scanner found in this
	// layer (even empty ones): each replaces, wholesale, the packages that
	// lower layers listed in the same file.
	Databases []string `json:"databases,omitempty"`
	// Whiteouts and Opaques are recorded by the tar walk: paths this layer
	// deletes (".wh.NAME") and directories it makes opaque (".wh..wh..opq").
	Whiteouts []string `json:"whiteouts,omitempty"`
	Opaques   []string `json:"opaques,omitempty"`
	// Owned maps the paths that OS packages' file lists claim, under the
	// directories language scanners read, to their owner
	// ("deb/python3-requests"), as the dpkg scanner found them in this
	// layer's var/lib/dpkg/info/*.list files.
	Owned map[string]string `json:"owned,omitempty"`
}

// UpdateDiff is what one feed update changed in its updater's set of
// vulnerabilities, by record content. A changed record is in both lists.
type UpdateDiff struct {
	ID      int64           `json:"id"`
	Updater string          `json:"updater"`
	Time    time.Time       `json:"time"`
	Added   []Vulnerability `json:"added"`
	Removed []Vulnerability `json:"removed"`
}
