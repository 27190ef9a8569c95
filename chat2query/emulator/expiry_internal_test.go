package emulator

import (
	"cmp"
	"slices"
	"testing"
	"time"
)

func TestLRU(t *testing.T) {
	t0 := time.Unix(1718948875, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	l := newLRU[int, string](time.Hour, 3)
	keys := func(now time.Time) []int {
		var ks []int
		for k := range l.sorted(now, cmp.Compare[int]) {
			ks = append(ks, k)
		}
		return ks
	}
	l.put(1, "a", at(0))
	l.put(2, "b", at(time.Minute))
	l.put(3, "c", at(2*time.Minute))
	if v, ok := l.get(1, at(3*time.Minute)); !ok || v != "a" {
		t.Fatalf("get 1 = %q %v", v, ok)
	}
	l.put(4, "d", at(4*time.Minute)) // full: 2 is the least recently used
	if got := keys(at(4 * time.Minute)); !slices.Equal(got, []int{1, 3, 4}) {
		t.Errorf("keys = %v, want [1 3 4]", got)
	}
	if _, ok := l.get(2, at(4*time.Minute)); ok {
		t.Error("evicted key found")
	}
	// 3 expires an hour after its put, 1 an hour after its get.
	if got := keys(at(62 * time.Minute)); !slices.Equal(got, []int{1, 4}) {
		t.Errorf("keys = %v, want [1 4]", got)
	}
	if _, ok := l.get(1, at(63*time.Minute)); ok {
		t.Error("expired key found")
	}
	if l.len() != 1 {
		t.Errorf("len %d, want 1 (the expired dropped)", l.len())
	}
	// A clock that goes back does not revive, nor keep, what expired.
	l.put(5, "e", at(3*time.Hour))
	if _, ok := l.get(4, at(2*time.Hour)); ok {
		t.Error("key 4 found after its TTL")
	}
	// Putting a key again replaces it.
	l.put(5, "E", at(3*time.Hour))
	if v, _ := l.get(5, at(3*time.Hour)); v != "E" || l.len() != 1 {
		t.Errorf("get 5 = %q, len %d", v, l.len())
	}
}

// BenchmarkLRUChurn: a put that evicts and a get cost the same with a full
// table of 10,000 as with an empty one (no scan).
func BenchmarkLRUChurn(b *testing.B) {
	l := newLRU[int, int](time.Hour, maxSessions)
	now := time.Unix(0, 0)
	for i := range b.N {
		now = now.Add(time.Millisecond)
		l.put(i, i, now)
		l.get(i/2, now)
	}
}
