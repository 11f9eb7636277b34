package alpine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseIDs(t *testing.T) {
	tests := map[string][]entryID{
		"CVE-2019-2426":                    {{ID: "CVE-2019-2426"}},
		"CVE_2019-2426":                    {{ID: "CVE-2019-2426"}},
		"CVE 2018-16859":                   {{ID: "CVE-2018-16859"}},
		"cve-2020-1234":                    {{ID: "CVE-2020-1234"}},
		"CVE-2017-8073.patch":              {{ID: "CVE-2017-8073"}},
		"CVE-2017-17434-1":                 {{ID: "CVE-2017-17434"}},
		"CVE-2019-15167 (VRRP)":            {{ID: "CVE-2019-15167"}},
		"CVE-2018-1000156 (in 2.7.6-r1)":   {{ID: "CVE-2018-1000156"}},
		"CVE-2017-2616 (+ regression fix)": {{ID: "CVE-2017-2616"}},
		"CVE-2017-8904 XSA-214":            {{ID: "CVE-2017-8904", Aliases: []string{"XSA-214"}}},
		"CVE-2018-3665   XSA-267":          {{ID: "CVE-2018-3665", Aliases: []string{"XSA-267"}}},
		"CVE-2017-14450 TALOS-2017-0499":   {{ID: "CVE-2017-14450", Aliases: []string{"TALOS-2017-0499"}}},
		"CVE-????-?????  XSA-295":          {{ID: "XSA-295"}},
		"XSA-207":                          {{ID: "XSA-207"}},
		"wnpa-sec-2017-18":                 {{ID: "wnpa-sec-2017-18"}},
		"ZBX-11023":                        {{ID: "ZBX-11023"}},
		"CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI": {
			{ID: "CVE-2017-5753", Aliases: []string{"XSA-254"}},
			{ID: "CVE-2017-5715", Aliases: []string{"XSA-254"}},
			{ID: "CVE-2017-5754", Aliases: []string{"XSA-254"}},
		},
		"":              nil,
		"XPTI":          nil,
		"(SMB)":         nil,
		"CVE-????-????": nil,
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, parseIDs(in)); diff != "" {
			t.Errorf("parseIDs(%q) (-want +got):\n%s", in, diff)
		}
	}
}
