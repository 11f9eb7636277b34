package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
)

// The page sizes of the notification callback.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// NotificationPage is a page of a notification's callback (Clair's
// shape): the pending notifications of one update diff.
type NotificationPage struct {
	Page          Page                   `json:"page"`
	Notifications []webhook.Notification `json:"notifications"`
}

// Page says how to get the next page: Next is empty on the last.
type Page struct {
	Size int    `json:"size"`
	Next string `json:"next,omitempty"`
}

// getNotification answers a page of the pending notifications of a diff;
// 404 when it has none (unknown, or all acknowledged).
func (s *Server) getNotification(w http.ResponseWriter, r *http.Request) error {
	diff, err := notificationID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	size, err := queryInt(q.Get("page_size"), defaultPageSize, 1, maxPageSize)
	if err != nil {
		return fmt.Errorf("%w: page_size: %v", errBadRequest, err)
	}
	next, err := queryInt(q.Get("next"), 0, 0, -1)
	if err != nil {
		return fmt.Errorf("%w: next: %v", errBadRequest, err)
	}
	ns, err := store.Notifications(r.Context(), s.store, store.NotificationFilter{After: int64(next), Limit: size + 1, Pending: true, Diff: diff})
	if err != nil {
		return err
	}
	if next == 0 && len(ns) == 0 {
		return fmt.Errorf("notification %d: %w", diff, store.ErrNotFound)
	}
	page := NotificationPage{Page: Page{Size: size}, Notifications: []webhook.Notification{}}
	if len(ns) > size {
		ns = ns[:size]
		page.Page.Next = strconv.FormatInt(ns[size-1].ID, 10)
	}
	for _, n := range ns {
		page.Notifications = append(page.Notifications, webhook.NewNotification(n))
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// deleteNotification acknowledges every pending notification of a diff;
// 404 when it has none.
func (s *Server) deleteNotification(w http.ResponseWriter, r *http.Request) error {
	diff, err := notificationID(r)
	if err != nil {
		return err
	}
	acked, err := s.store.AckNotifications(r.Context(), diff, store.LastNotification)
	if err != nil {
		return err
	}
	if acked == 0 {
		return fmt.Errorf("notification %d: %w", diff, store.ErrNotFound)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// notificationID reads the {id} of a notification path: a diff ID.
func notificationID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: notification id %s: want a positive integer of at most 19 digits", errBadRequest, excerpt.Quote(r.PathValue("id")))
	}
	return id, nil
}

// queryInt parses a query parameter: def when empty, else an integer of
// [lo, hi] (no upper bound when hi < 0).
func queryInt(s string, def, lo, hi int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || hi >= 0 && n > hi {
		return 0, fmt.Errorf("%q: want an integer from %d", s, lo)
	}
	return n, nil
}
