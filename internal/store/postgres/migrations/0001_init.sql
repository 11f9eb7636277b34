-- 0001: the initial schema, as store/sqlite's 0001 in PostgreSQL types.
-- Record columns are JSON (kept as written: JSONB would refuse \u0000);
-- keys and digests sort bytewise (COLLATE "C"), as in SQLite.

CREATE TABLE layer_reports (
	layer   TEXT NOT NULL,
	scanner TEXT NOT NULL,
	version TEXT NOT NULL,
	report  JSON NOT NULL,
	PRIMARY KEY (layer, scanner, version)
);

CREATE TABLE manifests (
	digest     TEXT COLLATE "C" PRIMARY KEY,
	report     JSON NOT NULL,
	indexed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE manifest_layers (
	manifest TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
	idx      INTEGER NOT NULL,
	layer    TEXT NOT NULL,
	PRIMARY KEY (manifest, idx)
);
CREATE INDEX manifest_layers_layer ON manifest_layers (layer);

CREATE TABLE package_keys (
	manifest  TEXT NOT NULL REFERENCES manifests (digest) ON DELETE CASCADE,
	ecosystem TEXT NOT NULL,
	release   TEXT NOT NULL,
	name      TEXT NOT NULL,
	PRIMARY KEY (manifest, ecosystem, release, name)
);
CREATE INDEX package_keys_lookup ON package_keys (ecosystem, release, name);

CREATE TABLE vulnerabilities (
	updater   TEXT NOT NULL,
	key       TEXT COLLATE "C" NOT NULL,
	hash      BYTEA NOT NULL,
	ecosystem TEXT NOT NULL,
	release   TEXT NOT NULL,
	package   TEXT NOT NULL,
	record    JSON NOT NULL,
	PRIMARY KEY (updater, key)
);
CREATE INDEX vulnerabilities_lookup ON vulnerabilities (ecosystem, release, package);

CREATE TABLE updaters (
	name         TEXT PRIMARY KEY,
	fingerprint  TEXT NOT NULL DEFAULT '',
	last_success TIMESTAMPTZ,
	last_attempt TIMESTAMPTZ,
	last_error   TEXT NOT NULL DEFAULT '',
	records      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE update_diffs (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	updater TEXT NOT NULL,
	time    TIMESTAMPTZ NOT NULL
);

CREATE TABLE update_diff_records (
	diff   BIGINT NOT NULL REFERENCES update_diffs (id) ON DELETE CASCADE,
	kind   TEXT NOT NULL CHECK (kind IN ('added', 'removed')),
	key    TEXT COLLATE "C" NOT NULL,
	record JSON NOT NULL,
	PRIMARY KEY (diff, kind, key)
);
