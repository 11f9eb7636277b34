package osv

import "testing"

// Scores checked against FIRST's CVSS v3.1 calculator.
func TestCVSS3Score(t *testing.T) {
	tests := []struct {
		vector string
		score  float64
		ok     bool
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 9.1, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, true},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, true},
		{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, true},
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, true},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, true},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 0, false},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 0, false},
		{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, false},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", 0, false},
		{"CVSS:3.1/AV:N", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.vector, func(t *testing.T) {
			score, ok := cvss3Score(tt.vector)
			if score != tt.score || ok != tt.ok {
				t.Errorf("cvss3Score(%q) = %v, %v, want %v, %v", tt.vector, score, ok, tt.score, tt.ok)
			}
		})
	}
}
