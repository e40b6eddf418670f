package education

import (
	"cmp"
	"slices"
	"testing"

	"github.com/settle-sim/settle/sim/rng"
)

// TestRadixSort checks radixSort against slices.Sort on random keys, keys
// sharing digits, and the empty and single-key cases, feeding each call the
// buffers the previous one returned, as the education step does.
func TestRadixSort(t *testing.T) {
	g := rng.New(5, 0)
	var keys, spare []uint64
	for _, n := range []int{0, 1, 2, 100, 90000, 3} {
		for _, mask := range []uint64{^uint64(0), 0xfff0000000ffffff, 7} {
			keys = keys[:0]
			for range n {
				keys = append(keys, g.Uint64()&mask)
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			keys, spare = radixSort(keys, spare)
			if !slices.Equal(keys, want) {
				t.Fatalf("n=%d mask=%x: radixSort differs from slices.Sort", n, mask)
			}
		}
	}
}

// TestSortQueue checks the admission queue's order on both of sortQueue's
// paths (integers sorted by radix below 2^indexBits entries, the entries
// themselves from there on, reached here with indexBits 4): every
// applicant once, by priority, ties by their place in order. Priorities
// with few distinct high bits make ties.
func TestSortQueue(t *testing.T) {
	g := rng.New(9, 0)
	var keys, spare []uint64
	var queue []entry
	for _, bits := range []int{queueIndexBits, 4} {
		for _, n := range []int{0, 1, 15, 16, 17, 200} {
			order := make([]entry, n)
			for x := range order {
				order[x] = entry{person: int32(x), prio: uint64(g.IntN(4))<<62 | g.Uint64()>>40}
			}
			want := slices.Clone(order)
			slices.SortStableFunc(want, func(a, b entry) int { return cmp.Compare(a.prio>>bits, b.prio>>bits) })
			queue, keys, spare = sortQueue(order, bits, keys, spare, queue)
			if !slices.Equal(queue, want) {
				t.Fatalf("indexBits %d, %d entries: the queue is not by priority, then place", bits, n)
			}
		}
	}
}
