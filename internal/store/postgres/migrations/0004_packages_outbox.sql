-- 0004: as store/sqlite's 0004, what the notifier and `strata affected`
-- read: packages and manifest_packages replace package_keys (filled from
-- the stored reports), records are found by ID or alias through indexes,
-- and the outbox keeps notifications in groups.
CREATE TABLE packages (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ecosystem      TEXT NOT NULL,
	release        TEXT NOT NULL,
	name           TEXT NOT NULL,
	version        TEXT NOT NULL,
	source_name    TEXT NOT NULL,
	source_version TEXT NOT NULL,
	arch           TEXT NOT NULL,
	module         TEXT NOT NULL,
	UNIQUE (ecosystem, release, name, version, source_name, source_version, arch, module)
);
CREATE INDEX packages_source ON packages (ecosystem, release, source_name);

-- The manifests are numbered (store/sqlite keeps the numbers in a table
-- of their own, manifest_ids).
ALTER TABLE manifests ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE;

CREATE TABLE manifest_packages (
	package  BIGINT NOT NULL REFERENCES packages (id),
	manifest BIGINT NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
	layer    INTEGER NOT NULL,
	PRIMARY KEY (package, manifest, layer)
);
CREATE INDEX manifest_packages_manifest ON manifest_packages (manifest);

CREATE TEMP TABLE installed ON COMMIT DROP AS
SELECT m.id AS manifest,
	coalesce(p ->> 'ecosystem', '') AS ecosystem,
	coalesce((SELECT k.release FROM package_keys k WHERE k.manifest = m.digest
		AND k.ecosystem = p ->> 'ecosystem' AND k.name = p ->> 'name' LIMIT 1), '') AS release,
	coalesce(p ->> 'name', '') AS name,
	coalesce(p ->> 'version', '') AS version,
	coalesce(p ->> 'source_name', '') AS source_name,
	coalesce(p ->> 'source_version', '') AS source_version,
	coalesce(p ->> 'arch', '') AS arch,
	coalesce(p ->> 'module', '') AS module,
	coalesce((SELECT min(l.idx) FROM manifest_layers l WHERE l.manifest = m.digest
		AND l.layer = p ->> 'introduced_in'), -1) AS layer
FROM manifests m,
	json_array_elements(CASE WHEN json_typeof(m.report -> 'packages') = 'array' THEN m.report -> 'packages' END) p;

INSERT INTO packages (ecosystem, release, name, version, source_name, source_version, arch, module)
SELECT DISTINCT ecosystem, release, name, version, source_name, source_version, arch, module FROM installed
ON CONFLICT DO NOTHING;

INSERT INTO manifest_packages (package, manifest, layer)
SELECT DISTINCT p.id, i.manifest, i.layer FROM installed i JOIN packages p ON p.ecosystem = i.ecosystem
	AND p.release = i.release AND p.name = i.name AND p.version = i.version AND p.source_name = i.source_name
	AND p.source_version = i.source_version AND p.arch = i.arch AND p.module = i.module
ON CONFLICT DO NOTHING;

DROP TABLE installed;
DROP TABLE package_keys;

-- A record by ID (its key starts with "ID|") or by alias. Without
-- fastupdate, as a feed update's new records would otherwise wait in the
-- index's pending list, which every search reads whole (milliseconds each,
-- for a notifier that looks up a thousand IDs).
CREATE INDEX vulnerabilities_key ON vulnerabilities (key);
CREATE INDEX vulnerabilities_aliases ON vulnerabilities USING gin (((record -> 'aliases')::jsonb)) WITH (fastupdate = off);

-- The outbox, as store/sqlite's 0004 describes it.
ALTER TABLE notified_diffs ADD COLUMN created TIMESTAMPTZ;
UPDATE notified_diffs SET created = (SELECT min(n.created) FROM notifications n WHERE n.diff = notified_diffs.diff);

CREATE TABLE notification_changes (
	diff          BIGINT NOT NULL,
	idx           INTEGER NOT NULL,
	vulnerability TEXT NOT NULL,
	package       TEXT NOT NULL,
	version       TEXT NOT NULL,
	reason        TEXT NOT NULL CHECK (reason IN ('added', 'removed')),
	severity      INTEGER NOT NULL,
	PRIMARY KEY (diff, idx)
);

CREATE TABLE notification_groups (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	diff         BIGINT NOT NULL,
	manifests    TEXT NOT NULL,
	changes      BYTEA NOT NULL,
	pairs        BIGINT NOT NULL,
	acked        BIGINT NOT NULL DEFAULT 0,
	delivered_at TIMESTAMPTZ
);
CREATE INDEX notification_groups_pending ON notification_groups (id) WHERE acked < pairs;
CREATE INDEX notification_groups_pending_diff ON notification_groups (diff, id) WHERE acked < pairs;

CREATE TEMP TABLE numbered ON COMMIT DROP AS
SELECT n.*, row_number() OVER (PARTITION BY n.diff ORDER BY n.id) - 1 AS idx FROM notifications n;

INSERT INTO notification_changes (diff, idx, vulnerability, package, version, reason, severity)
SELECT diff, idx, vulnerability, package, version, reason, severity FROM numbered;

INSERT INTO notification_groups (diff, manifests, changes, pairs, acked, delivered_at)
SELECT diff, json_build_array(manifest)::text,
	decode(CASE -- idx as a varint
		WHEN idx < 128 THEN lpad(to_hex(idx), 2, '0')
		WHEN idx < 16384 THEN lpad(to_hex(128 | (idx & 127)), 2, '0') || lpad(to_hex(idx >> 7), 2, '0')
		WHEN idx < 2097152 THEN lpad(to_hex(128 | (idx & 127)), 2, '0') || lpad(to_hex(128 | (idx >> 7 & 127)), 2, '0')
			|| lpad(to_hex(idx >> 14), 2, '0')
		ELSE lpad(to_hex(128 | (idx & 127)), 2, '0') || lpad(to_hex(128 | (idx >> 7 & 127)), 2, '0')
			|| lpad(to_hex(128 | (idx >> 14 & 127)), 2, '0') || lpad(to_hex(idx >> 21), 2, '0')
	END, 'hex'),
	1, CASE WHEN delivered_at IS NULL THEN 0 ELSE 1 END, delivered_at
FROM numbered ORDER BY id;

DROP TABLE numbered;
DROP TABLE notifications;
