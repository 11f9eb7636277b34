-- 0004: what the notifier and `strata affected` read, so that neither
-- decodes whole index reports nor scans every record.
--
-- packages holds each distinct installed package version once (with the
-- release the matcher looks it up under), indexed_manifests numbers the
-- manifests (with their layers, a JSONB array, read in number order), and
-- manifest_packages says which manifests hold each version and which of
-- their layers introduced it (its idx in manifest_layers; -1 when the
-- report named none of its layers): the images a record affects are
-- found, and its version ranges re-checked, reading only the package
-- versions under its key and then the numbers of the manifests holding the
-- affected ones, a few bytes a row. They replace package_keys, and are
-- filled from the stored reports (the release of a package is the one
-- package_keys recorded for it).
CREATE TABLE packages (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
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

CREATE TABLE indexed_manifests (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	manifest TEXT NOT NULL UNIQUE REFERENCES manifests (digest) ON DELETE CASCADE,
	layers   BLOB NOT NULL
);

CREATE TABLE manifest_packages (
	package  INTEGER NOT NULL REFERENCES packages (id),
	manifest INTEGER NOT NULL REFERENCES indexed_manifests (id) ON DELETE CASCADE,
	layer    INTEGER NOT NULL,
	PRIMARY KEY (package, manifest, layer)
) WITHOUT ROWID;
CREATE INDEX manifest_packages_manifest ON manifest_packages (manifest);

INSERT INTO indexed_manifests (manifest, layers)
SELECT m.digest, coalesce((SELECT jsonb_group_array(layer ORDER BY idx) FROM manifest_layers l WHERE l.manifest = m.digest), jsonb('[]'))
FROM manifests m ORDER BY m.digest;

CREATE TEMP TABLE installed AS
SELECT i.id AS manifest,
	coalesce(p.value ->> 'ecosystem', '') AS ecosystem,
	coalesce((SELECT k.release FROM package_keys k WHERE k.manifest = m.digest
		AND k.ecosystem = p.value ->> 'ecosystem' AND k.name = p.value ->> 'name'), '') AS release,
	coalesce(p.value ->> 'name', '') AS name,
	coalesce(p.value ->> 'version', '') AS version,
	coalesce(p.value ->> 'source_name', '') AS source_name,
	coalesce(p.value ->> 'source_version', '') AS source_version,
	coalesce(p.value ->> 'arch', '') AS arch,
	coalesce(p.value ->> 'module', '') AS module,
	coalesce((SELECT min(l.idx) FROM manifest_layers l WHERE l.manifest = m.digest
		AND l.layer = p.value ->> 'introduced_in'), -1) AS layer
FROM manifests m JOIN indexed_manifests i ON i.manifest = m.digest, json_each(m.report, '$.packages') p
WHERE json_type(m.report, '$.packages') = 'array';

INSERT OR IGNORE INTO packages (ecosystem, release, name, version, source_name, source_version, arch, module)
SELECT ecosystem, release, name, version, source_name, source_version, arch, module FROM installed;

INSERT OR IGNORE INTO manifest_packages (package, manifest, layer)
SELECT p.id, i.manifest, i.layer FROM installed i JOIN packages p ON p.ecosystem = i.ecosystem
	AND p.release = i.release AND p.name = i.name AND p.version = i.version AND p.source_name = i.source_name
	AND p.source_version = i.source_version AND p.arch = i.arch AND p.module = i.module;

DROP TABLE installed;
DROP TABLE package_keys;

-- vulnerability_ids lists the ID and the aliases of every record, kept by
-- triggers, so that a record is found by any of its names without reading
-- every record's aliases.
CREATE TABLE vulnerability_ids (
	id      TEXT NOT NULL,
	updater TEXT NOT NULL,
	key     TEXT NOT NULL,
	PRIMARY KEY (id, updater, key)
) WITHOUT ROWID;

INSERT OR IGNORE INTO vulnerability_ids (id, updater, key)
SELECT record ->> '$.id', updater, key FROM vulnerabilities
UNION SELECT a.value, v.updater, v.key FROM vulnerabilities v, json_each(v.record, '$.aliases') a
	WHERE json_type(v.record, '$.aliases') = 'array';

CREATE TRIGGER vulnerability_ids_insert AFTER INSERT ON vulnerabilities BEGIN
	INSERT OR IGNORE INTO vulnerability_ids (id, updater, key)
	SELECT NEW.record ->> '$.id', NEW.updater, NEW.key
	UNION SELECT value, NEW.updater, NEW.key FROM json_each(NEW.record, '$.aliases')
		WHERE json_type(NEW.record, '$.aliases') = 'array';
END;

CREATE TRIGGER vulnerability_ids_delete AFTER DELETE ON vulnerabilities BEGIN
	DELETE FROM vulnerability_ids WHERE updater = OLD.updater AND key = OLD.key AND id IN (
		SELECT OLD.record ->> '$.id' UNION SELECT value FROM json_each(OLD.record, '$.aliases')
			WHERE json_type(OLD.record, '$.aliases') = 'array');
END;

CREATE TRIGGER vulnerability_ids_update AFTER UPDATE OF record ON vulnerabilities BEGIN
	DELETE FROM vulnerability_ids WHERE updater = OLD.updater AND key = OLD.key AND id IN (
		SELECT OLD.record ->> '$.id' UNION SELECT value FROM json_each(OLD.record, '$.aliases')
			WHERE json_type(OLD.record, '$.aliases') = 'array');
	INSERT OR IGNORE INTO vulnerability_ids (id, updater, key)
	SELECT NEW.record ->> '$.id', NEW.updater, NEW.key
	UNION SELECT value, NEW.updater, NEW.key FROM json_each(NEW.record, '$.aliases')
		WHERE json_type(NEW.record, '$.aliases') = 'array';
END;

-- The outbox keeps every (image, vulnerability, reason) notification, in
-- groups: a diff's notifications that several images share. A diff's
-- distinct changes (a vulnerability that now affects, or no longer
-- affects, a package version) are rows of notification_changes; a group
-- holds the images (manifests: a JSON array of digests) that each get the
-- changes (their idx, unsigned LEB128 varints one after the other: a few
-- bytes each, as a group may have thousands). Its pairs, manifest by
-- manifest and change by change, are notifications; the first acked of
-- them are delivered. notified_diffs records when each diff's
-- notifications were made. The rows of 0003's notifications table become
-- one group each.
ALTER TABLE notified_diffs ADD COLUMN created TEXT;
UPDATE notified_diffs SET created = (SELECT min(n.created) FROM notifications n WHERE n.diff = notified_diffs.diff);

CREATE TABLE notification_changes (
	diff          INTEGER NOT NULL,
	idx           INTEGER NOT NULL,
	vulnerability TEXT NOT NULL,
	package       TEXT NOT NULL,
	version       TEXT NOT NULL,
	reason        TEXT NOT NULL CHECK (reason IN ('added', 'removed')),
	severity      INTEGER NOT NULL,
	PRIMARY KEY (diff, idx)
) WITHOUT ROWID;

CREATE TABLE notification_groups (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	diff         INTEGER NOT NULL,
	manifests    TEXT NOT NULL,
	changes      BLOB NOT NULL,
	pairs        INTEGER NOT NULL,
	acked        INTEGER NOT NULL DEFAULT 0,
	delivered_at TEXT
);
CREATE INDEX notification_groups_pending ON notification_groups (id) WHERE acked < pairs;
CREATE INDEX notification_groups_pending_diff ON notification_groups (diff, id) WHERE acked < pairs;

CREATE TEMP TABLE numbered AS
SELECT n.*, row_number() OVER (PARTITION BY n.diff ORDER BY n.id) - 1 AS idx FROM notifications n;

INSERT INTO notification_changes (diff, idx, vulnerability, package, version, reason, severity)
SELECT diff, idx, vulnerability, package, version, reason, severity FROM numbered;

INSERT INTO notification_groups (diff, manifests, changes, pairs, acked, delivered_at)
SELECT diff, json_array(manifest),
	CASE -- idx as a varint
		WHEN idx < 128 THEN unhex(printf('%02X', idx))
		WHEN idx < 16384 THEN unhex(printf('%02X%02X', 128 | (idx & 127), idx >> 7))
		WHEN idx < 2097152 THEN unhex(printf('%02X%02X%02X', 128 | (idx & 127), 128 | (idx >> 7 & 127), idx >> 14))
		ELSE unhex(printf('%02X%02X%02X%02X', 128 | (idx & 127), 128 | (idx >> 7 & 127), 128 | (idx >> 14 & 127), idx >> 21))
	END,
	1, delivered_at IS NOT NULL, delivered_at
FROM numbered ORDER BY id;

DROP TABLE numbered;
DROP TABLE notifications;
