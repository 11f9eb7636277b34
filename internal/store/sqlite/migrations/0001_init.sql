-- 0001: the initial schema. JSON columns hold the encoded strata records;
-- times are UTC, microsecond precision, as "2006-01-02T15:04:05.000000Z".

-- One scanner's report on one layer, cached by (layer, scanner, version).
CREATE TABLE layer_reports (
	layer   TEXT NOT NULL,
	scanner TEXT NOT NULL,
	version TEXT NOT NULL,
	report  TEXT NOT NULL,
	PRIMARY KEY (layer, scanner, version)
);

-- The index report of each manifest.
CREATE TABLE manifests (
	digest     TEXT PRIMARY KEY,
	report     TEXT NOT NULL,
	indexed_at TEXT NOT NULL
);

-- The layers of each manifest, bottom (idx 0) to top.
CREATE TABLE manifest_layers (
	manifest TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
	idx      INTEGER NOT NULL,
	layer    TEXT NOT NULL,
	PRIMARY KEY (manifest, idx)
);
CREATE INDEX manifest_layers_layer ON manifest_layers (layer);

-- The package keys of each manifest: one row per distinct (ecosystem,
-- release, name) and (ecosystem, release, source name), to find the images
-- a vulnerability affects without reading their reports.
CREATE TABLE package_keys (
	manifest  TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
	ecosystem TEXT NOT NULL,
	release   TEXT NOT NULL,
	name      TEXT NOT NULL,
	PRIMARY KEY (manifest, ecosystem, release, name)
);
CREATE INDEX package_keys_lookup ON package_keys (ecosystem, release, name);

-- The current set of each updater; hash is the SHA-256 of record.
CREATE TABLE vulnerabilities (
	updater   TEXT NOT NULL,
	key       TEXT NOT NULL,
	hash      BLOB NOT NULL,
	ecosystem TEXT NOT NULL,
	release   TEXT NOT NULL,
	package   TEXT NOT NULL,
	record    TEXT NOT NULL,
	PRIMARY KEY (updater, key)
);
CREATE INDEX vulnerabilities_lookup ON vulnerabilities (ecosystem, release, package);

-- What is known about each feed.
CREATE TABLE updaters (
	name         TEXT PRIMARY KEY,
	fingerprint  TEXT NOT NULL DEFAULT '',
	last_success TEXT,
	last_attempt TEXT,
	last_error   TEXT NOT NULL DEFAULT '',
	records      INTEGER NOT NULL DEFAULT 0
);

-- One row per update that changed its updater's set; the records it added
-- and removed are rows of update_diff_records (one per record, so that a
-- first load of a million records is not one huge value).
CREATE TABLE update_diffs (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	updater TEXT NOT NULL,
	time    TEXT NOT NULL
);

CREATE TABLE update_diff_records (
	diff   INTEGER NOT NULL REFERENCES update_diffs (id) ON DELETE CASCADE,
	kind   TEXT NOT NULL CHECK (kind IN ('added', 'removed')),
	key    TEXT NOT NULL,
	record TEXT NOT NULL,
	PRIMARY KEY (diff, kind, key)
);
