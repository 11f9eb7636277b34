package sqlite

import (
	"context"
	"fmt"
	"sync"
)

// Locks are held in this process only, in a table shared by every Store of
// the process and keyed by the database file and the lock's name, so that
// two Stores on one file exclude each other. A dead process holds nothing.
var locks = struct {
	mu   sync.Mutex
	held map[string]*lockEntry
}{held: map[string]*lockEntry{}}

// lockEntry is one named lock: its token channel (full while held) and the
// number of holders and waiters, so that it is dropped when unused.
type lockEntry struct {
	token chan struct{}
	refs  int
}

// Lock waits for, and takes, the lock named key on this database file.
func (s *Store) Lock(ctx context.Context, key string) (func(), error) {
	id, e := s.lockEntry(key)
	select {
	case e.token <- struct{}{}:
		return sync.OnceFunc(func() { release(id, e, true) }), nil
	case <-ctx.Done():
		release(id, e, false)
		return nil, fmt.Errorf("sqlite: lock %s: %w", key, ctx.Err())
	}
}

// TryLock takes the lock named key on this database file when it is free.
func (s *Store) TryLock(_ context.Context, key string) (func(), bool, error) {
	id, e := s.lockEntry(key)
	select {
	case e.token <- struct{}{}:
		return sync.OnceFunc(func() { release(id, e, true) }), true, nil
	default:
		release(id, e, false)
		return nil, false, nil
	}
}

// lockEntry returns the lock of key on this file, counted as referenced.
func (s *Store) lockEntry(key string) (string, *lockEntry) {
	id := s.abs + "\x00" + key
	locks.mu.Lock()
	defer locks.mu.Unlock()
	e := locks.held[id]
	if e == nil {
		e = &lockEntry{token: make(chan struct{}, 1)}
		locks.held[id] = e
	}
	e.refs++
	return id, e
}

// release drops a reference to e, first freeing the lock when held.
func release(id string, e *lockEntry, held bool) {
	if held {
		<-e.token
	}
	locks.mu.Lock()
	defer locks.mu.Unlock()
	if e.refs--; e.refs == 0 {
		delete(locks.held, id)
	}
}
