-- 0002: the diff_id of each layer blob seen, as store/sqlite's 0002.
CREATE TABLE layer_blobs (
	blob    TEXT COLLATE "C" PRIMARY KEY,
	diff_id TEXT COLLATE "C" NOT NULL
);
