package engine

import (
	"testing"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/world"
)

// TestSmallTasteDrawsToSmallPlaces: with a taste for small places in 40 %
// of the population (small_taste_size −1.5), more movers go to the least
// central regions of the teaching world than with none: over three years
// and four seeds (common random numbers: the same seed for both), the
// moves into classes 5–6 rise in every seed and by at least 20 % in all.
func TestSmallTasteDrawsToSmallPlaces(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	into := func(seed uint64, share float64) int64 {
		P := params.Default()
		P.SmallTasteShare, P.SmallTasteSize = share, -1.5
		sim, err := New(w, Config{Seed: seed, Scale: 0.5, Behaviour: P})
		if err != nil {
			t.Fatal(err)
		}
		var moves int64
		for range 3 {
			rec := sim.Step()
			for r := range rec.Regions {
				if w.Regions[r].Centrality >= 5 {
					moves += rec.Regions[r].InDomestic
				}
			}
		}
		return moves
	}
	var sum [2]int64
	for seed := uint64(1); seed <= 4; seed++ {
		none, some := into(seed, 0), into(seed, 0.4)
		t.Logf("seed %d: moves into classes 5–6 without the taste %d, with %d", seed, none, some)
		if some <= none {
			t.Errorf("seed %d: %d moves into classes 5–6 with the taste, %d without: want more", seed, some, none)
		}
		sum[0] += none
		sum[1] += some
	}
	if float64(sum[1]) < 1.2*float64(sum[0]) {
		t.Errorf("moves into classes 5–6: %d with the taste, %d without: want at least 20 %% more", sum[1], sum[0])
	}
}
