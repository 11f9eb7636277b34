-- 0002: the diff_id of each layer blob seen, so that a layer given only by
-- its blob digest (as a Clair manifest gives it) is found in the cache
-- without being fetched.
CREATE TABLE layer_blobs (
	blob    TEXT PRIMARY KEY,
	diff_id TEXT NOT NULL
);
