package updaters

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// README's feed table names every feed, and no other.
func TestREADMEFeeds(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var inREADME []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z]+)` \\|").FindAllSubmatch(b, -1) {
		inREADME = append(inREADME, string(m[1]))
	}
	var names []string
	for _, u := range All() {
		names = append(names, u.Name())
	}
	slices.Sort(inREADME)
	slices.Sort(names)
	if diff := cmp.Diff(names, inREADME); diff != "" {
		t.Errorf("README.md's feed table (-updaters +README):\n%s", diff)
	}
}

func TestByName(t *testing.T) {
	if u, err := ByName("redhat"); err != nil || u.Name() != "redhat" {
		t.Errorf("ByName(redhat) = %v, %v", u, err)
	}
	want := `unknown feed "rhel" (known: alpine, debian, nvd, osv, redhat, ubuntu)`
	if _, err := ByName("rhel"); err == nil || err.Error() != want {
		t.Errorf("ByName(rhel) error = %v, want %s", err, want)
	}
}
