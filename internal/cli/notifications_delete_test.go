package cli

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// TestNotificationsDeletedImage: two real Debian systems both get
// notifications from a feed update; once one is deleted, the pending
// notifications are exactly the other's.
func TestNotificationsDeletedImage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	for _, d := range []string{"buster-drupal-2021", "buster-vm-2020"} {
		mustRun(t, "index", "--db", db, dpkgImage(t, sharedPath(t, "pkgdb/dpkg/debian-old/"+d)))
	}
	mustRun(t, "update", "--db", db, "--source", "debian="+olderDSAList(t, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)))
	mustRun(t, "update", "--db", db, "--source", "debian="+dsaList)
	list := func() map[strata.Digest][]store.Notification {
		var ns []store.Notification
		if err := json.Unmarshal([]byte(mustRun(t, "notifications", "--db", db, "--format", "json")), &ns); err != nil {
			t.Fatal(err)
		}
		byImage := map[strata.Digest][]store.Notification{}
		for _, n := range ns {
			byImage[n.Manifest] = append(byImage[n.Manifest], n)
		}
		return byImage
	}
	before := list()
	images := slices.Sorted(maps.Keys(before))
	if len(images) != 2 {
		t.Fatalf("notifications name %d images, want 2: the test proves nothing", len(images))
	}
	if out := mustRun(t, "delete", "--db", db, string(images[0])); out != "deleted "+string(images[0])+"\n" {
		t.Errorf("delete output %q", out)
	}
	want := map[strata.Digest][]store.Notification{images[1]: before[images[1]]}
	if diff := cmp.Diff(want, list()); diff != "" {
		t.Errorf("notifications after deleting %s (-want +got):\n%s", images[0], diff)
	}
}
