package housing_test

import (
	"math"
	"testing"

	"github.com/settle-sim/settle/sim/housing"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// TestStep checks prices and construction against the documented formula
// for regions with excess demand, balance and empty dwellings, central and
// peripheral: with d = households/(dwellings·normal occupancy) − 1, the
// price moves the share price_adjustment of the way (in logs) towards the
// start price × exp(price_level_elasticity·d), within −MaxPriceFall and
// MaxPriceRise, and the stock by
// rate·periphery·max(0, 1 + 10·price_elasticity_of_construction·d) −
// depreciation, plus the housing boosts.
func TestStep(t *testing.T) {
	cases := []struct {
		name       string
		centrality int
		demand     float64 // households relative to those the stock normally holds
		boost      float64 // dwellings added by interventions
	}{
		{"central, 10 % excess demand", 1, 1.10, 0},
		{"periphery, 10 % excess demand", 6, 1.10, 0},
		{"central, 10 % too few households", 1, 0.90, 0},
		{"middle, balanced", 3, 1.00, 0},
		{"central, 50 % excess demand: price capped", 1, 1.50, 0},
		{"periphery, 3 % too few households: little building", 6, 0.97, 0},
		{"balanced, with a housing boost", 2, 1.00, 25},
	}
	n := len(cases)
	w := &world.World{Regions: make([]world.Region, n)}
	s := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, n)}
	for r, c := range cases {
		w.Regions[r] = world.Region{Centrality: c.centrality, DwellingsPerHH: 1.05, PriceIndex: 0.5 + 0.25*float64(r)}
		s.Regions[r].Households = 1000
	}
	var m housing.Model
	m.Init(s)
	P := s.P
	for r, c := range cases {
		rs := &s.Regions[r]
		if rs.Dwellings != 1050 || rs.Price != w.Regions[r].PriceIndex {
			t.Fatalf("%s: Init gave %.1f dwellings at price %.2f, want 1050 at %.2f", c.name, rs.Dwellings, rs.Price, w.Regions[r].PriceIndex)
		}
		rs.Households = int32(math.Round(1000 * c.demand))
		rs.HousingBoost = [3]float64{c.boost, 0, 0}
	}
	m.Step(s)
	for r, c := range cases {
		rs := &s.Regions[r]
		d := float64(rs.Households)/1000 - 1
		// From the start price, the gap to the level is price_level·d.
		wantPrice := w.Regions[r].PriceIndex * math.Exp(math.Max(-housing.MaxPriceFall, math.Min(housing.MaxPriceRise, P.PriceAdjust*P.PriceLevel*d)))
		periph := 1 - (1-P.ConstructionRemote)*float64(c.centrality-1)/5
		build := 1050 * P.ConstructionRate * periph * math.Max(0, 1+P.ConstructionPrice*10*d)
		wantDw := 1050 + build - housing.Depreciation*1050 + c.boost
		if math.Abs(rs.Price-wantPrice) > 1e-12 || math.Abs(rs.Dwellings-wantDw) > 1e-9 {
			t.Errorf("%s: price %.6f, dwellings %.4f; want %.6f and %.4f", c.name, rs.Price, rs.Dwellings, wantPrice, wantDw)
		}
		switch {
		case d > 0 && rs.Price <= w.Regions[r].PriceIndex, d < 0 && rs.Price >= w.Regions[r].PriceIndex,
			d == 0 && rs.Price != w.Regions[r].PriceIndex:
			t.Errorf("%s: price %.4f from %.4f does not follow demand %+.2f", c.name, rs.Price, w.Regions[r].PriceIndex, d)
		}
	}
	// Properties the formula is meant to have.
	grow := func(r int) float64 { return s.Regions[r].Dwellings - 1050 + housing.Depreciation*1050 - cases[r].boost }
	if g1, g6 := grow(0), grow(1); g6 >= g1 || math.Abs(g6/g1-P.ConstructionRemote) > 1e-9 {
		t.Errorf("construction under the same pressure: %.2f central, %.2f peripheral; want the periphery at %.1f of the centre", g1, g6, P.ConstructionRemote)
	}
	if g := grow(2); math.Abs(g) > 1e-9 {
		t.Errorf("%.2f dwellings built where 10 %% of the stock stands empty beyond normal", g)
	}
	if r := s.Regions[4].Price / w.Regions[4].PriceIndex; math.Abs(r-math.Exp(housing.MaxPriceRise)) > 1e-12 {
		t.Errorf("price rose by %.4f under 50 %% excess demand, want the cap exp(%g)", r, housing.MaxPriceRise)
	}
}

// TestPricesFollowDemandOverYears runs ten years with a fixed number of
// households: every year each price moves towards the level that year's
// excess demand sets (start price × exp(price_level_elasticity·d)) without
// passing it, so that as construction catches up the central price comes
// back down instead of drifting up; the short central stock grows past the
// demand (baseline construction continues) and the emptying peripheral
// stock shrinks.
func TestPricesFollowDemandOverYears(t *testing.T) {
	w := &world.World{Regions: []world.Region{
		{Centrality: 1, DwellingsPerHH: 1.04, PriceIndex: 2},
		{Centrality: 6, DwellingsPerHH: 1.10, PriceIndex: 0.5},
	}}
	s := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, 2)}
	s.Regions[0].Households, s.Regions[1].Households = 1000, 1000
	var m housing.Model
	m.Init(s)
	s.Regions[0].Households, s.Regions[1].Households = 1100, 850 // the centre grows, the periphery shrinks
	for y := 0; y < 10; y++ {
		var d, price [2]float64
		for r := range d {
			rs := &s.Regions[r]
			d[r] = float64(rs.Households)/(rs.Dwellings/w.Regions[r].DwellingsPerHH) - 1
			price[r] = rs.Price
		}
		m.Step(s)
		for r := range d {
			level := w.Regions[r].PriceIndex * math.Exp(s.P.PriceLevel*d[r])
			before, after := level-price[r], level-s.Regions[r].Price
			if before*after < 0 || math.Abs(after) > math.Abs(before) || (before != 0 && after == before) {
				t.Errorf("year %d, region %d: excess demand %+.3f sets the level %.4f; the price went from %.4f to %.4f, not towards it", y, r, d[r], level, price[r], s.Regions[r].Price)
			}
		}
	}
	// Construction has caught up with the centre's demand: its price has
	// come back towards the start (it rose in the first years).
	if p := s.Regions[0].Price; p > 2*math.Exp(s.P.PriceLevel*0.02) {
		t.Errorf("central price %.3f after ten years of construction; want it near its start of 2", p)
	}
	if s.Regions[0].Dwellings < 1100*1.04 {
		t.Errorf("the central stock grew to %.1f, short of the 1144 its 1100 households normally need", s.Regions[0].Dwellings)
	}
	if s.Regions[1].Dwellings >= 1100 {
		t.Errorf("the emptying periphery kept %.1f dwellings of 1100: the stock should shrink by depreciation", s.Regions[1].Dwellings)
	}
}
