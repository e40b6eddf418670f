package education

import (
	"slices"
	"testing"

	"github.com/settle-sim/settle/sim/rng"
)

// TestRadixSort checks radixSort against slices.Sort on random keys, keys
// sharing digits, and the empty and single-key cases.
func TestRadixSort(t *testing.T) {
	g := rng.New(5, 0)
	var spare []uint64
	for _, n := range []int{0, 1, 2, 100, 90000} {
		for _, mask := range []uint64{^uint64(0), 0xfff0000000ffffff, 7} {
			keys := make([]uint64, n)
			for i := range keys {
				keys[i] = g.Uint64() & mask
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			var got []uint64
			got, spare = radixSort(keys, spare)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d mask=%x: radixSort differs from slices.Sort", n, mask)
			}
		}
	}
}
