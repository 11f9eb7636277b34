package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// recorder is a Deliverer that records the messages, as "vulnerability
// reason manifest" lines, and fails from the fail-th on.
type recorder struct {
	messages [][]string
	fail     int
}

func (r *recorder) Deliver(_ context.Context, batch []store.Notification) error {
	if r.fail > 0 && len(r.messages)+1 >= r.fail {
		return errors.New("receiver down")
	}
	var m []string
	for _, n := range batch {
		if n.Diff != batch[0].Diff {
			return fmt.Errorf("message of diffs %d and %d", batch[0].Diff, n.Diff)
		}
		m = append(m, fmt.Sprintf("%d %s %s %s %s", n.Diff, n.Vulnerability, n.Reason, n.Severity, n.Manifest[len(n.Manifest)-1:]))
	}
	r.messages = append(r.messages, m)
	return nil
}

// TestDispatchSummary: per image, a message carries each image's most
// severe notification of each reason, of the pairs still pending; all
// carries every pending one. The store keeps, and lists, every one.
func TestDispatchSummary(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	c := func(id, reason string, sev strata.Severity) store.Change {
		return store.Change{Vulnerability: id, Package: "libssl3", Version: "1", Reason: reason, Severity: sev}
	}
	changes := []store.Change{
		c("CVE-1", store.Added, strata.Medium), c("CVE-2", store.Added, strata.Critical), c("CVE-3", store.Added, strata.Critical),
		c("CVE-4", store.Removed, strata.Low), c("CVE-5", store.Removed, strata.High),
	}
	sets := []store.ChangeSet{
		{Manifests: []strata.Digest{"sha256:1", "sha256:2"}, Changes: []int32{0, 1, 2, 3}},
		{Manifests: []strata.Digest{"sha256:3"}, Changes: []int32{4}},
	}
	if _, err := st.PutNotifications(ctx, 4, "debian", &store.DiffNotifications{Changes: changes, Sets: sets}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutNotifications(ctx, 5, "debian", &store.DiffNotifications{Changes: changes, Sets: sets[1:]}); err != nil {
		t.Fatal(err)
	}
	perImage := [][]string{
		{"4 CVE-2 added Critical 1", "4 CVE-4 removed Low 1", "4 CVE-2 added Critical 2", "4 CVE-4 removed Low 2", "4 CVE-5 removed High 3"},
		{"5 CVE-5 removed High 3"},
	}
	checkDispatch(t, st, PerImage, perImage)
	all := [][]string{{
		"4 CVE-1 added Medium 1", "4 CVE-2 added Critical 1", "4 CVE-3 added Critical 1", "4 CVE-4 removed Low 1",
		"4 CVE-1 added Medium 2", "4 CVE-2 added Critical 2", "4 CVE-3 added Critical 2", "4 CVE-4 removed Low 2",
		"4 CVE-5 removed High 3",
	}, {"5 CVE-5 removed High 3"}}
	checkDispatch(t, st, All, all)

	// The first three pairs of image 2 acknowledged: its summary is of
	// the last one, CVE-4.
	gs, err := st.NotificationGroups(ctx, store.GroupFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AckNotifications(ctx, 4, store.NotificationID(gs[0].ID, 6)); err != nil {
		t.Fatal(err)
	}
	checkDispatch(t, st, PerImage, [][]string{{"4 CVE-4 removed Low 2", "4 CVE-5 removed High 3"}, perImage[1]})
	checkDispatch(t, st, All, [][]string{{"4 CVE-4 removed Low 2", "4 CVE-5 removed High 3"}, all[1]})

	r := &recorder{fail: 2}
	if n, err := Dispatch(ctx, st, r, Delivery{Summary: PerImage}); err == nil || n != 1 {
		t.Errorf("Dispatch to a receiver failing the second message = %d, %v; want 1 and an error", n, err)
	}
	if _, err := Dispatch(ctx, st, r, Delivery{Summary: "some"}); err == nil {
		t.Error("Dispatch with an unknown summary succeeded")
	}
}

func checkDispatch(t *testing.T, st store.GroupReader, summary string, want [][]string) {
	t.Helper()
	r := &recorder{}
	n, err := Dispatch(t.Context(), st, r, Delivery{Summary: summary})
	if err != nil || n != len(want) {
		t.Errorf("Dispatch(%s) = %d, %v; want %d", summary, n, err, len(want))
	}
	if diff := cmp.Diff(want, r.messages); diff != "" {
		t.Errorf("Dispatch(%s): messages (-want +got):\n%s", summary, diff)
	}
}

// TestDispatchMessageSize: a diff of more notifications than a message
// holds is delivered in several messages.
func TestDispatchMessageSize(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	dn := &store.DiffNotifications{Changes: []store.Change{{Vulnerability: "CVE-1", Reason: store.Added}, {Vulnerability: "CVE-2", Reason: store.Added}},
		Sets: []store.ChangeSet{{Changes: []int32{0, 1}}}}
	for i := range MessageSize + 1 {
		dn.Sets[0].Manifests = append(dn.Sets[0].Manifests, digestOf(i))
	}
	if _, err := st.PutNotifications(ctx, 1, "debian", dn); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		summary string
		want    []int
	}{{PerImage, []int{MessageSize, 1}}, {All, []int{MessageSize, MessageSize, 2}}} {
		r := &recorder{}
		if _, err := Dispatch(ctx, st, r, Delivery{Summary: tt.summary}); err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for _, m := range r.messages {
			sizes = append(sizes, len(m))
		}
		if diff := cmp.Diff(tt.want, sizes); diff != "" {
			t.Errorf("Dispatch(%s): message sizes (-want +got):\n%s", tt.summary, diff)
		}
	}
}

// TestDispatchExpire: the notifications of a diff notified longer ago than
// Expire are not delivered, and stay pending in the store.
func TestDispatchExpire(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	dn := &store.DiffNotifications{Changes: []store.Change{{Vulnerability: "CVE-1", Reason: store.Added}},
		Sets: []store.ChangeSet{{Manifests: []strata.Digest{"sha256:1"}, Changes: []int32{0}}}}
	if _, err := st.PutNotifications(ctx, 1, "debian", dn); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	for _, tt := range []struct {
		expire time.Duration
		want   int
	}{{0, 1}, {time.Hour, 1}, {time.Millisecond, 0}} {
		r := &recorder{}
		if n, err := Dispatch(ctx, st, r, Delivery{Summary: All, Expire: tt.expire}); err != nil || n != tt.want {
			t.Errorf("Dispatch, expire %v = %d, %v; want %d", tt.expire, n, err, tt.want)
		}
	}
	if gs, err := st.NotificationGroups(ctx, store.GroupFilter{Limit: 10, Pending: true}); err != nil || len(gs) != 1 {
		t.Errorf("pending groups after expiry: %d, %v; want 1", len(gs), err)
	}
}

// groupList is a GroupReader of fixed groups.
type groupList []store.NotificationGroup

func (l groupList) NotificationGroups(_ context.Context, f store.GroupFilter) ([]store.NotificationGroup, error) {
	var out []store.NotificationGroup
	for _, g := range l {
		if g.ID >= f.From && (!f.Pending || g.Acked < g.Pairs()) && len(out) < f.Limit {
			out = append(out, g)
		}
	}
	return out, nil
}

// TestDispatchDeleted: the pending notifications of a deleted image are
// not delivered, in either summary.
func TestDispatchDeleted(t *testing.T) {
	g := store.NotificationGroup{ID: 1, Diff: 4, Updater: "debian", Manifests: []strata.Digest{"sha256:1", "sha256:2", "sha256:3"},
		Changes: []store.Change{
			{Vulnerability: "CVE-1", Reason: store.Added, Severity: strata.Medium},
			{Vulnerability: "CVE-2", Reason: store.Added, Severity: strata.Critical},
		},
		Acked:   1,                     // image 1's CVE-1
		Deleted: map[int64]int64{1: 1}, // image 2, deleted then
	}
	checkDispatch(t, groupList{g}, All, [][]string{{"4 CVE-2 added Critical 1", "4 CVE-1 added Medium 3", "4 CVE-2 added Critical 3"}})
	checkDispatch(t, groupList{g}, PerImage, [][]string{{"4 CVE-2 added Critical 1", "4 CVE-2 added Critical 3"}})
	g.Deleted = map[int64]int64{0: 0, 1: 1, 2: 1} // every image
	checkDispatch(t, groupList{g}, All, nil)
}
