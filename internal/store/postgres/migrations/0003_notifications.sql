-- 0003: the notifier's outbox, as store/sqlite's 0003.
CREATE TABLE notified_diffs (
	diff    BIGINT PRIMARY KEY,
	updater TEXT NOT NULL
);

CREATE TABLE notifications (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	diff          BIGINT NOT NULL,
	updater       TEXT NOT NULL,
	manifest      TEXT COLLATE "C" NOT NULL,
	vulnerability TEXT NOT NULL,
	package       TEXT NOT NULL,
	version       TEXT NOT NULL,
	reason        TEXT NOT NULL CHECK (reason IN ('added', 'removed')),
	severity      INTEGER NOT NULL,
	created       TIMESTAMPTZ NOT NULL,
	delivered_at  TIMESTAMPTZ
);
CREATE INDEX notifications_pending ON notifications (id) WHERE delivered_at IS NULL;
