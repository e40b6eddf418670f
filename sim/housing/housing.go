// Package housing is step 5 of the tick: each region's dwelling prices
// respond to demand (households) against the stock, and construction
// responds to that pressure, more slowly in the periphery.
package housing

import (
	"math"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
)

// Depreciation is the yearly share of the stock demolished or taken out of
// use (SSB building statistics: a few thousand of ~2.7 million a year,
// more in the periphery where dwellings stand empty).
const Depreciation = 0.002

// Prices are sticky downwards: a region's price index changes by at most
// these shares a year. Norway's regional house price indices (SSB, Eiendom
// Norge) have risen by up to about 10 % in a year in booming cities, while
// in shrinking municipalities prices stagnate or fall slowly in real terms
// rather than collapse: owners hold on to dwellings they cannot sell.
const (
	MaxPriceRise = 0.08
	MaxPriceFall = 0.03
)

// Model holds the regions' normal occupancy at the start.
type Model struct {
	normal []float64 // households per dwelling at the start
}

// Init sets the dwelling stock from the synthesised households
// (world.Region.DwellingsPerHH) and the price index from the world. The
// households are those of the census (state.BeginTick).
func (m *Model) Init(s *state.State) {
	m.normal = make([]float64, s.N())
	for r := range s.Regions {
		reg := &s.World.Regions[r]
		s.Regions[r].Dwellings = float64(s.Regions[r].Households) * reg.DwellingsPerHH
		s.Regions[r].Price = reg.PriceIndex
		m.normal[r] = 1 / reg.DwellingsPerHH
	}
}

// Step updates prices and the stock. Excess demand d is the households
// relative to the households the stock normally holds, minus one. A region's
// price settles at its start price × exp(price_level_elasticity·d): prices
// close the share price_adjustment of the gap (in logs) to that level each
// year, at most MaxPriceRise up and MaxPriceFall down. Anchored so, a price
// stays where the region's tightness puts it; a price that changed by
// exp(elasticity·d) every year (as before) integrated the excess demand and
// drifted up without settling wherever households kept getting smaller
// (Oslo 2.29 → 3.89 in 30 years while its persons per dwelling fell).
// Construction
// is ConstructionRate of the stock, scaled by the periphery factor and by
// max(0, 1 + ConstructionPrice·10·d) (no building where dwellings stand empty).
//
// Households are counted at the start of the tick.
func (m *Model) Step(s *state.State) {
	P := &s.P
	for r := range s.Regions {
		rs := &s.Regions[r]
		reg := &s.World.Regions[r]
		capacity := rs.Dwellings * m.normal[r]
		d := 0.0
		if capacity > 0 {
			d = float64(rs.Households)/capacity - 1
		}
		level := math.Log(reg.PriceIndex) + P.PriceLevel*d
		step := P.PriceAdjust * (level - math.Log(rs.Price))
		rs.Price *= math.Exp(math.Max(-MaxPriceFall, math.Min(MaxPriceRise, step)))
		periph := 1 - (1-P.ConstructionRemote)*float64(reg.Centrality-1)/5
		build := rs.Dwellings * P.ConstructionRate * periph * math.Max(0, 1+P.ConstructionPrice*10*d)
		rs.Dwellings += build - Depreciation*rs.Dwellings
		for k := range rs.HousingBoost {
			rs.Dwellings += rs.HousingBoost[k]
		}
		// Dwellings built for a group stay reserved for it until a
		// household of the group moves in (state.TakeReserved), and never
		// more of them than stand empty.
		vacant := math.Max(0, rs.Dwellings-float64(rs.Households))
		for g := range rs.Reserved {
			rs.Reserved[g] = math.Min(vacant, (1-Depreciation)*rs.Reserved[g]+rs.HousingBoost[g])
		}
	}
	m.secondHomes(s)
}

// secondHomes gives this year's extra second homes (RegionState.
// SecondHomeAdd, from part_time_residents) to households elsewhere: a
// household whose head is 30 or older and has no second home gets one in
// target region d with probability add_d·w(o,d)/Z_d, where o is its region,
// w(o,d) = exp(−minutes/90) (most holiday homes are within a few hours'
// drive, SSB) and Z_d sums w over the eligible households, so the expected
// number of new part-time households in d is add_d. Every adult of the
// household becomes a part-time resident of d. It draws nothing when no
// region has second homes added.
func (m *Model) secondHomes(s *state.State) {
	n := s.N()
	var targets []int
	for r := range s.Regions {
		if s.Regions[r].SecondHomeAdd > 0 {
			targets = append(targets, r)
		}
	}
	if len(targets) == 0 {
		return
	}
	p := &s.Persons
	eligible := func(i int) bool {
		return p.Flags[i]&(population.Alive|population.Head) == population.Alive|population.Head &&
			p.Age[i] >= 30 && p.Second[i] == population.NoRegion
	}
	// Eligible households by region.
	nc := s.NumChunks()
	counts := make([][]float64, nc)
	s.ForEach(nc, func(c int) {
		cnt := make([]float64, n)
		for i := c * state.ChunkSize; i < min((c+1)*state.ChunkSize, p.Len()); i++ {
			if eligible(i) {
				cnt[p.Region[i]]++
			}
		}
		counts[c] = cnt
	})
	households := make([]float64, n)
	for _, cnt := range counts {
		for r, x := range cnt {
			households[r] += x
		}
	}
	// prob[o*len(targets)+t]: the chance that an eligible household in o
	// gets a second home in targets[t].
	prob := make([]float64, n*len(targets))
	for t, d := range targets {
		z := 0.0
		for o := 0; o < n; o++ {
			if o != d {
				z += households[o] * math.Exp(-float64(s.Minutes[o*n+d])/90)
			}
		}
		if z <= 0 {
			continue
		}
		for o := 0; o < n; o++ {
			if o != d {
				prob[o*len(targets)+t] = math.Min(1, s.Regions[d].SecondHomeAdd*math.Exp(-float64(s.Minutes[o*n+d])/90)/z)
			}
		}
	}
	// Each household's members are written only by the chunk of its head.
	s.ForChunks(state.StreamHousing, func(c, lo, hi int, g *state.RNG) {
		for i := lo; i < hi; i++ {
			if !eligible(i) {
				continue
			}
			u := g.Float64()
			row := prob[int(p.Region[i])*len(targets):][:len(targets)]
			for t, q := range row {
				if u < q {
					for j := p.First[p.HH[i]]; j != population.None; j = p.Next[j] {
						if p.Age[j] >= 18 {
							p.Second[j] = uint16(targets[t])
						}
					}
					break
				}
				u -= q
			}
		}
	})
}
