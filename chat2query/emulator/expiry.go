package emulator

import (
	"iter"
	"slices"
	"time"
)

// How long sessions and jobs are kept, and how many (doc.go): an emulator
// that serves CI for days must not keep every conversation it ever had.
// Both are measured on Options.Now.
const (
	sessionTTL  = 24 * time.Hour // after the session's last use
	maxSessions = 10000
	jobTTL      = 24 * time.Hour // after the job's last use
	maxJobs     = 10000
)

// An lru is a map whose entries expire ttl after their last use, of which
// at most limit are kept, the least recently used going first. The entries
// are linked in order of last use, so a use and an eviction are O(1):
// expired entries are dropped from the old end of the list by the calls
// that would otherwise see them, never by a scan. Callers synchronise.
type lru[K comparable, V any] struct {
	ttl   time.Duration
	limit int
	m     map[K]*lruEntry[K, V]
	root  lruEntry[K, V] // sentinel: root.next is the least recently used
}

type lruEntry[K comparable, V any] struct {
	key        K
	val        V
	used       time.Time
	prev, next *lruEntry[K, V]
}

func newLRU[K comparable, V any](ttl time.Duration, limit int) *lru[K, V] {
	l := &lru[K, V]{ttl: ttl, limit: max(limit, 1), m: map[K]*lruEntry[K, V]{}}
	l.root.prev, l.root.next = &l.root, &l.root
	return l
}

func (l *lru[K, V]) expired(e *lruEntry[K, V], now time.Time) bool {
	return now.Sub(e.used) >= l.ttl
}

// expire drops the entries whose time has passed, oldest first. Each entry
// is dropped once, so the cost is amortised over the puts.
func (l *lru[K, V]) expire(now time.Time) {
	for e := l.root.next; e != &l.root && l.expired(e, now); e = l.root.next {
		l.remove(e)
	}
}

func (l *lru[K, V]) remove(e *lruEntry[K, V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
	delete(l.m, e.key)
}

// pushBack links e as the most recently used.
func (l *lru[K, V]) pushBack(e *lruEntry[K, V]) {
	e.prev, e.next = l.root.prev, &l.root
	e.prev.next, l.root.prev = e, e
}

// put adds v under k, used now, evicting the least recently used entry
// when the table is full.
func (l *lru[K, V]) put(k K, v V, now time.Time) {
	l.expire(now)
	if e, ok := l.m[k]; ok {
		l.remove(e)
	}
	for len(l.m) >= l.limit {
		l.remove(l.root.next)
	}
	e := &lruEntry[K, V]{key: k, val: v, used: now}
	l.m[k] = e
	l.pushBack(e)
}

// get returns the value under k and counts it as used now. An expired or
// evicted key is not found, exactly like one never put.
func (l *lru[K, V]) get(k K, now time.Time) (V, bool) {
	l.expire(now)
	e, ok := l.m[k]
	if !ok || l.expired(e, now) { // the clock went back: order is no proof
		if ok {
			l.remove(e)
		}
		var zero V
		return zero, false
	}
	e.used = now
	l.remove(e)
	l.m[k] = e
	l.pushBack(e)
	return e.val, true
}

// sorted yields the live entries in order of key, without counting them as
// used. It is O(n log n), for list endpoints only.
func (l *lru[K, V]) sorted(now time.Time, compare func(a, b K) int) iter.Seq2[K, V] {
	l.expire(now)
	entries := make([]*lruEntry[K, V], 0, len(l.m))
	for _, e := range l.m {
		if !l.expired(e, now) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *lruEntry[K, V]) int { return compare(a.key, b.key) })
	return func(yield func(K, V) bool) {
		for _, e := range entries {
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// len is the number of entries held, expired ones not yet dropped included.
func (l *lru[K, V]) len() int { return len(l.m) }
