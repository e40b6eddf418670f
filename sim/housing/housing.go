// Package housing is step 5 of the tick: each region's dwelling prices
// respond to demand (households) against the stock, and construction
// responds to that pressure, more slowly in the periphery.
package housing

import (
	"math"

	"github.com/settle-sim/settle/sim/state"
)

// Depreciation is the yearly share of the stock demolished or taken out of
// use (SSB building statistics: a few thousand of ~2.7 million a year,
// more in the periphery where dwellings stand empty).
const Depreciation = 0.002

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
// relative to the households the stock normally holds, minus one. Prices
// change by exp(PriceElasticity·d) (bounded to ±15 % a year); construction
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
		rs.Price *= math.Exp(math.Max(-0.15, math.Min(0.15, P.PriceElasticity*d)))
		periph := 1 - (1-P.ConstructionRemote)*float64(reg.Centrality-1)/5
		build := rs.Dwellings * P.ConstructionRate * periph * math.Max(0, 1+P.ConstructionPrice*10*d)
		rs.Dwellings += build - Depreciation*rs.Dwellings
		for k := range rs.HousingBoost {
			rs.Dwellings += rs.HousingBoost[k]
		}
	}
}
