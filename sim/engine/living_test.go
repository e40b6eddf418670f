package engine_test

import (
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// The record's living arrangements (living_arrangements.csv) against a
// count of its own from the households: each adult's household walked
// from its head, the arrangement read from the partner, the parental home
// and the household's size. Every adult is counted once, so a region's
// cells add up to its adults in the population structure.
func TestLivingArrangements(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 5, Scale: 0.3, Behaviour: params.Default(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := sim.State()
	p := &s.Persons
	rec := sim.Observe()
	for y := 0; y < 4; y++ {
		if y > 0 {
			rec = sim.Step()
		}
		want := make([]record.Living, w.N())
		for i := range p.Age {
			if p.Flags[i]&population.Alive == 0 || p.Age[i] < 18 {
				continue
			}
			h := p.HH[i]
			size := 0
			for j := p.First[h]; j != population.None; j = p.Next[j] {
				size++
			}
			var k int
			switch {
			case p.Partner[i] != population.None:
				k = record.LivingCouple
			case p.Flags[i]&population.AtHome != 0:
				k = record.LivingWithParents
			case size == 1:
				k = record.LivingAlone
			case p.First[h] == int32(i):
				k = record.LivingLoneParent
			default:
				k = record.LivingOther
			}
			want[p.Region[i]][p.Sex[i]][record.LivingAge(int(p.Age[i]))][k]++
		}
		var kinds [record.NumLiving]int64
		for r := range want {
			if rec.Living[r] != want[r] {
				t.Fatalf("%d, %s: living arrangements %v, counted from the households %v", rec.Year, w.Regions[r].Name, rec.Living[r], want[r])
			}
			var adults, cells int64
			for sx := range 2 {
				for ag := 1; ag < record.NumAgeGroups; ag++ {
					for _, v := range rec.Structure[r][sx][ag] {
						adults += v
					}
				}
				for _, row := range rec.Living[r][sx] {
					for k, v := range row {
						cells += v
						kinds[k] += v
					}
				}
			}
			if cells != adults {
				t.Errorf("%d, %s: %d adults by living arrangement, %d in the population structure", rec.Year, w.Regions[r].Name, cells, adults)
			}
		}
		// Every arrangement but other occurs; other (no flat-shares in
		// the model) stays rare.
		var all int64
		for _, v := range kinds {
			all += v
		}
		for k, v := range kinds {
			if k != record.LivingOther && v == 0 {
				t.Errorf("%d: no adult is %s", rec.Year, record.LivingNames[k])
			}
		}
		if other := float64(kinds[record.LivingOther]) / float64(all); other > 0.02 {
			t.Errorf("%d: %.1f %% of adults are in other arrangements; the model has none but rare leftovers", rec.Year, 100*other)
		}
	}
}
