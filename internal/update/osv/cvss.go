package osv

import (
	"math"
	"strings"
)

// cvss3Weights are the CVSS v3.x base metric values (specification
// section 7.4); the privileges required under a changed scope are in
// cvss3ChangedPR.
var cvss3Weights = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"PR": {"N": 0.85, "L": 0.62, "H": 0.27},
	"UI": {"N": 0.85, "R": 0.62},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

var cvss3ChangedPR = map[string]float64{"N": 0.85, "L": 0.68, "H": 0.5}

// cvss3Score is the base score of a CVSS v3.0 or v3.1 vector, false when
// the vector is not one or lacks a base metric.
func cvss3Score(vector string) (float64, bool) {
	rest, ok := strings.CutPrefix(vector, "CVSS:3.1/")
	if !ok {
		if rest, ok = strings.CutPrefix(vector, "CVSS:3.0/"); !ok {
			return 0, false
		}
	}
	m := make(map[string]string)
	for part := range strings.SplitSeq(rest, "/") {
		k, val, _ := strings.Cut(part, ":")
		m[k] = val
	}
	w := make(map[string]float64)
	for metric, values := range cvss3Weights {
		x, ok := values[m[metric]]
		if !ok {
			return 0, false
		}
		w[metric] = x
	}
	changed := m["S"] == "C"
	if !changed && m["S"] != "U" {
		return 0, false
	}
	if changed {
		w["PR"] = cvss3ChangedPR[m["PR"]]
	}
	iss := 1 - (1-w["C"])*(1-w["I"])*(1-w["A"])
	impact := 6.42 * iss
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	if impact <= 0 {
		return 0, true
	}
	sum := impact + 8.22*w["AV"]*w["AC"]*w["PR"]*w["UI"]
	if changed {
		sum *= 1.08
	}
	return roundUp(min(sum, 10)), true
}

// roundUp is CVSS v3.1's Roundup: the smallest number with one decimal
// at or above x, computed on integers to avoid floating-point error.
func roundUp(x float64) float64 {
	n := int64(math.Round(x * 100000))
	if n%10000 == 0 {
		return float64(n) / 100000
	}
	return float64(n/10000+1) / 10
}
