package rpm

import (
	"bytes"
	"database/sql"
	"fmt"
	"testing/fstest"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
	"modernc.org/sqlite/vfs"
)

// sqliteBlobs returns the package headers of an SQLite rpmdb
// (rpmdb.sqlite, rpm 4.16 and later): the blob column of its Packages
// table. The file is read from memory through a read-only SQLite VFS: no
// temporary file. rpm keeps the database in WAL mode and checkpoints
// it when it closes it; the file is read as a rollback-journal database
// (header bytes 18 and 19 set to 1 in a copy), since the layer holds no
// open transaction and SQLite cannot open a WAL database read-only
// without its -shm file.
func sqliteBlobs(b []byte) ([][]byte, error) {
	if !bytes.HasPrefix(b, []byte("SQLite format 3\x00")) || len(b) < 100 {
		return nil, fmt.Errorf("sqlite: not an SQLite database")
	}
	b = bytes.Clone(b)
	if b[18] == 2 && b[19] == 2 {
		b[18], b[19] = 1, 1
	}
	name, fsys, err := vfs.New(fstest.MapFS{"rpmdb.sqlite": {Data: b}})
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer fsys.Close()
	db, err := sql.Open("sqlite", "file:rpmdb.sqlite?vfs="+name+"&mode=ro")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT blob FROM Packages ORDER BY hnum")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var blob []byte
		if err := rows.Scan(&blob); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		out = append(out, blob)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return out, nil
}
