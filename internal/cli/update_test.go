package cli

import (
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/update/debian"
	"github.com/strata-scan/strata/internal/update/redhat"
	"github.com/strata-scan/strata/internal/update/updaters"
)

// "strata help update" names every feed with what its --source accepts,
// from the list of updaters: a new feed cannot be left out.
func TestHelpUpdateNamesEveryFeed(t *testing.T) {
	out := mustRun(t, "help", "update")
	i := strings.Index(out, "\nFeeds: ")
	if i < 0 {
		t.Fatalf("no Feeds paragraph in:\n%s", out)
	}
	para, _, _ := strings.Cut(out[i+1:], "\n\n")
	para = strings.Join(strings.Fields(para), " ")
	for _, f := range updaters.Feeds() {
		if want := f.Updater.Name() + " (" + f.Accepts + ")"; !strings.Contains(para, want) {
			t.Errorf("Feeds paragraph lacks %q:\n%s", want, para)
		}
	}
	if !strings.Contains(para, "redhat (Red Hat CSAF VEX documents, cve-*.json,") {
		t.Errorf("Feeds paragraph lacks redhat:\n%s", para)
	}
}

// The paragraph is wrapped at 74 columns, words kept whole.
func TestFeedsHelpWraps(t *testing.T) {
	got := feedsHelp([]updaters.Feed{
		{Updater: debian.Updater{}, Accepts: "security tracker JSON, or the DSA/DLA/DTSA lists"},
		{Updater: redhat.Updater{}, Accepts: "Red Hat CSAF VEX documents, cve-*.json, as files, directories or tarballs such as csaf_vex_YYYY-MM-DD.tar.zst"},
	})
	want := "Feeds: debian (security tracker JSON, or the DSA/DLA/DTSA lists), redhat\n" +
		"(Red Hat CSAF VEX documents, cve-*.json, as files, directories or tarballs\n" +
		"such as csaf_vex_YYYY-MM-DD.tar.zst).\n"
	if got != want {
		t.Errorf("feedsHelp =\n%s\nwant\n%s", got, want)
	}
}
