package alpine

import (
	"regexp"
	"slices"
	"strings"
)

// entryID is one vulnerability named by a secfixes entry, with the other
// ids (XSA-…, TALOS-…) that the same entry gives for it.
type entryID struct {
	ID      string
	Aliases []string
}

var (
	// cveRE finds a CVE id however it is spelled: "CVE-2019-2426",
	// "CVE_2019-2426", "CVE 2018-16859", "cve-2019-1234"; what follows the
	// number ("-1", ".patch") is not part of it.
	cveRE = regexp.MustCompile(`(?i)^CVE[-_ ](\d{4})-(\d{4,})`)
	// otherRE is any other advisory id: XSA-254, TALOS-2017-0499,
	// ZBX-11023, wnpa-sec-2017-18.
	otherRE = regexp.MustCompile(`^[A-Za-z]+(?:-[A-Za-z]+)*-\d+(?:-\d+)*$`)
	// cveSpaceRE joins "CVE 2018-16859" into one word.
	cveSpaceRE = regexp.MustCompile(`(?i)\bCVE (\d{4}-\d)`)
)

// parseIDs reads one secfixes entry. Real entries carry trailing text and
// odd spellings: "CVE-2017-8073.patch", "CVE-2017-17434-1",
// "CVE-2019-15167 (VRRP)", "CVE-2018-1000156 (in 2.7.6-r1)",
// "CVE-2017-8904 XSA-214", "CVE-????-?????  XSA-295" (no CVE yet),
// "CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI". Each CVE it
// names is one vulnerability, with the entry's other ids as aliases; an
// entry without a CVE names its first other id. Text in parentheses and
// words that are not ids are ignored. It returns nothing when the entry
// names no id.
func parseIDs(entry string) []entryID {
	entry = cveSpaceRE.ReplaceAllString(entry, "CVE-$1")
	if i := strings.IndexByte(entry, '('); i >= 0 {
		entry = entry[:i]
	}
	var cves, others []string
	for _, w := range strings.Fields(entry) {
		if m := cveRE.FindStringSubmatch(w); m != nil {
			if id := "CVE-" + m[1] + "-" + m[2]; !slices.Contains(cves, id) {
				cves = append(cves, id)
			}
			continue
		}
		if w = strings.TrimSuffix(w, ".patch"); otherRE.MatchString(w) && !slices.Contains(others, w) &&
			!strings.HasPrefix(strings.ToUpper(w), "CVE-") {
			others = append(others, w)
		}
	}
	if len(cves) == 0 {
		if len(others) == 0 {
			return nil
		}
		cves, others = others[:1], others[1:]
		if len(others) == 0 {
			others = nil
		}
	}
	out := make([]entryID, len(cves))
	for i, c := range cves {
		out[i] = entryID{ID: c, Aliases: others}
	}
	return out
}
