-- 0003: the notifier's outbox. notified_diffs lists the update diffs the
-- notifier has processed (the first of an updater is its baseline, without
-- notifications); notifications holds one row per (image, vulnerability,
-- reason) of a processed diff, delivered when delivered_at is set.
CREATE TABLE notified_diffs (
	diff    INTEGER PRIMARY KEY,
	updater TEXT NOT NULL
);

CREATE TABLE notifications (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	diff          INTEGER NOT NULL,
	updater       TEXT NOT NULL,
	manifest      TEXT NOT NULL,
	vulnerability TEXT NOT NULL,
	package       TEXT NOT NULL,
	version       TEXT NOT NULL,
	reason        TEXT NOT NULL CHECK (reason IN ('added', 'removed')),
	severity      INTEGER NOT NULL,
	created       TEXT NOT NULL,
	delivered_at  TEXT
);
CREATE INDEX notifications_pending ON notifications (id) WHERE delivered_at IS NULL;
