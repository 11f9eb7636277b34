package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// A named lock is a session advisory lock, keyed by the 64-bit FNV-1a hash
// of its name, held on a connection of the lock pool that is kept out of
// the pool until unlock. PostgreSQL frees it when that session ends, so a
// replica that dies holding it holds nothing. Waiters poll with
// pg_try_advisory_lock and hold no connection between tries, so that they
// cannot starve the holder of the connections it needs.
const (
	lockPollMin = 5 * time.Millisecond
	lockPollMax = 200 * time.Millisecond
	// unlockTimeout bounds the unlock; on failure the session is closed,
	// which frees the lock as well.
	unlockTimeout = 5 * time.Second
)

// Lock waits for, and takes, the lock named key, shared by every process
// on the database.
func (s *Store) Lock(ctx context.Context, key string) (func(), error) {
	wait := lockPollMin
	for {
		unlock, ok, err := s.TryLock(ctx, key)
		if err != nil || ok {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("postgres: lock %s: %w", key, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, lockPollMax)
	}
}

// TryLock takes the lock named key when no session holds it.
func (s *Store) TryLock(ctx context.Context, key string) (func(), bool, error) {
	conn, err := s.locks.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: lock %s: %w", key, err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, lockID(key)).Scan(&ok); err != nil {
		conn.Release()
		return nil, false, fmt.Errorf("postgres: lock %s: %w", key, err)
	}
	if !ok {
		conn.Release()
		return nil, false, nil
	}
	return sync.OnceFunc(func() { unlock(conn, key) }), true, nil
}

// unlock releases the lock named key held on conn and returns conn to the
// pool, or closes the session when the unlock fails.
func unlock(conn *pgxpool.Conn, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
	defer cancel()
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_advisory_unlock($1)`, lockID(key)).Scan(&ok); err != nil || !ok {
		conn.Hijack().Close(ctx)
		return
	}
	conn.Release()
}

// lockID is the advisory lock key of a lock name.
func lockID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}
