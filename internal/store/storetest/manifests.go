package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testIndexReport(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := indexReport(digest(100), digest(1), digest(2))
	replaced := indexReport(digest(100), digest(1), digest(2))
	replaced.State, replaced.LayersRead, replaced.Packages = "dpkg@2", 0, []strata.Package{}
	noDistro := indexReport(digest(101), digest(1), digest(1)) // the same layer twice
	noDistro.Distribution, noDistro.Packages = nil, nil
	java := indexReport(digest(103), digest(1)) // a library named by its jar's file name, in a nested jar
	java.Packages = append(java.Packages, strata.Package{Name: "org.apache.commons:commons-text", Version: "1.9", Eco: strata.Maven,
		SourceName: "org.apache.commons:commons-text", SourceVersion: "1.9", PackageDB: "srv/app.war", IntroducedIn: digest(1),
		Nested: "WEB-INF/lib/commons-text-1.9.jar", Identified: strata.IdentifiedByFileName})
	for _, r := range []*strata.IndexReport{first, replaced, noDistro, java} {
		if err := s.PutIndexReport(ctx, r); err != nil {
			t.Fatalf("PutIndexReport(%s): %v", r.ManifestDigest, err)
		}
	}
	for _, want := range []*strata.IndexReport{replaced, noDistro, java} {
		got, err := s.IndexReport(ctx, want.ManifestDigest)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("IndexReport(%s) (-want +got):\n%s", want.ManifestDigest, diff)
		}
	}
	if got, err := s.IndexReport(ctx, digest(102)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("IndexReport(unknown) = %v, %v; want ErrNotFound", got, err)
	}
}

func testManifests(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.Manifests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]strata.Digest{}, got, equateEmpty); diff != "" {
		t.Errorf("Manifests of an empty store (-want +got):\n%s", diff)
	}
	for _, n := range []int{3, 1, 2, 1} {
		if err := s.PutIndexReport(ctx, indexReport(digest(n), digest(10+n))); err != nil {
			t.Fatal(err)
		}
	}
	got, err = s.Manifests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]strata.Digest{digest(1), digest(2), digest(3)}, got); diff != "" {
		t.Errorf("Manifests (-want +got):\n%s", diff)
	}
}

// testDeleteIndexReport deletes two manifests that share a base layer, and
// checks which layer reports go with each.
func testDeleteIndexReport(t *testing.T, s store.Store) {
	ctx := t.Context()
	base, top1, top2, loose := digest(1), digest(2), digest(3), digest(4)
	m1, m2 := digest(101), digest(102)
	for _, l := range []strata.Digest{base, top1, top2, loose} {
		for _, sc := range []string{"dpkg", "layer"} {
			if err := s.PutLayerReport(ctx, layerReport(l, sc)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range []*strata.IndexReport{indexReport(m1, base, top1), indexReport(m2, base, top2, top2)} {
		if err := s.PutIndexReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		delete        strata.Digest
		wantManifests []strata.Digest
		wantLayers    []strata.Digest // the layers that still have their reports
	}{
		{m1, []strata.Digest{m2}, []strata.Digest{base, top2, loose}},
		{m2, nil, []strata.Digest{loose}},
	}
	for _, st := range steps {
		if err := s.DeleteIndexReport(ctx, st.delete); err != nil {
			t.Fatalf("DeleteIndexReport(%s): %v", st.delete, err)
		}
		if _, err := s.IndexReport(ctx, st.delete); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("IndexReport(%s) after delete: err = %v, want ErrNotFound", st.delete, err)
		}
		ms, err := s.Manifests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st.wantManifests, ms, equateEmpty); diff != "" {
			t.Errorf("Manifests after deleting %s (-want +got):\n%s", st.delete, diff)
		}
		if diff := cmp.Diff(st.wantLayers, layersWithReports(t, s, base, top1, top2, loose)); diff != "" {
			t.Errorf("layers with reports after deleting %s (-want +got):\n%s", st.delete, diff)
		}
	}
	if err := s.DeleteIndexReport(ctx, m1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteIndexReport(deleted) = %v, want ErrNotFound", err)
	}
}

// layersWithReports lists those of layers that have both their reports.
func layersWithReports(t *testing.T, s store.Store, layers ...strata.Digest) []strata.Digest {
	var have []strata.Digest
	for _, l := range layers {
		n := 0
		for _, sc := range []string{"dpkg", "layer"} {
			_, err := s.LayerReport(t.Context(), l, sc, "1")
			switch {
			case err == nil:
				n++
			case !errors.Is(err, store.ErrNotFound):
				t.Fatal(err)
			}
		}
		if n == 1 {
			t.Errorf("layer %s has one of its two reports", l)
		}
		if n == 2 {
			have = append(have, l)
		}
	}
	return have
}
