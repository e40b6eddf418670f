package international

import (
	"math"
	"sort"
	"testing"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// group is one kind of household in the emigration test.
type group struct {
	name         string
	region       uint16
	immigrant    bool
	programme    bool // arrived with an immigration programme
	age          int  // the head's
	years, size  int
	households   int
	rate         float64 // the yearly emigration probability of the household
	gotHH, gotPP float64
}

// TestEmigrationRates checks the keyed emigration draw (each head's own
// uniform against a bound, then its rate) against plain Bernoulli
// expectations: households of natives (heads aged 40, 28 and 70), of
// recent immigrants in a region with and without the integration lever
// (Retention) and of immigrants who arrived long ago, mixed in the slots
// and spread over several chunks, emigrate at base·k·a(age),
// base·k·a(age)·F·(1 − retention) and base·k·a(age), where a is
// world.Rates.EmigrationByAge and k = residents / Σ_heads size·a(age)·(F
// for recent immigrants), the retention and the recent arrivals of an
// immigration programme left out (they emigrate as other recent
// immigrants, at the same k); the expected emigrants without retention
// are base × the residents who did not come with a programme; whole
// households leave, the ledger counts them and jobs they held are freed.
// A programme as large as this one (about half of the recent immigrants'
// weight, 30 % of all) changed the others' k by 30 % before engine
// 0.13.0.
func TestEmigrationRates(t *testing.T) {
	const base = 0.04
	groups := []*group{
		{name: "natives, alone", region: 0, age: 40, size: 1, households: 60_000},
		{name: "natives aged 28, alone", region: 0, age: 28, size: 1, households: 20_000},
		{name: "natives aged 70, alone", region: 1, age: 70, size: 1, households: 40_000},
		{name: "natives, families", region: 1, age: 40, size: 3, households: 20_000},
		{name: "recent immigrants", region: 0, age: 40, immigrant: true, years: 2, size: 2, households: 15_000},
		{name: "recent immigrants, retention 0.5", region: 1, age: 40, immigrant: true, years: 9, size: 1, households: 20_000},
		{name: "immigrants arrived long ago", region: 1, age: 40, immigrant: true, years: 10, size: 1, households: 10_000},
		{name: "programme arrivals", region: 0, age: 28, immigrant: true, programme: true, years: 1, size: 2, households: 10_000},
		{name: "programme arrivals, retention 0.5", region: 1, age: 30, immigrant: true, programme: true, years: 3, size: 1, households: 5_000},
		{name: "programme arrivals long ago", region: 1, age: 40, immigrant: true, programme: true, years: 12, size: 1, households: 5_000},
	}
	w := &world.World{Regions: make([]world.Region, 2)}
	w.Rates.EmigrationRate = base
	w.Rates.EmigrationByAge = world.NorwayRates().EmigrationByAge
	s := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, 2), Seed: 5, Year: 2030, Scale: 1}
	s.SetWorkers(2)
	s.Regions[1].Retention = 0.5
	p := &s.Persons
	// Households interleaved group by group, so chunks mix them.
	type hh struct {
		g     *group
		slots []int32
	}
	var all []hh
	left := make([]int, len(groups))
	for k, g := range groups {
		left[k] = g.households
	}
	var recent, residents, programme int64
	for more := true; more; {
		more = false
		for k, g := range groups {
			if left[k] == 0 {
				continue
			}
			more = true
			left[k]--
			var flags uint16
			if g.immigrant {
				flags = population.Immigrant
			}
			if g.programme {
				flags |= population.Programme
			}
			x := hh{g: g}
			for m := 0; m < g.size; m++ {
				i := p.Add(population.Person{Age: uint8(g.age - 15*m), Flags: flags, Years: uint8(g.years), Act: population.Employed,
					Edu: population.EduMaster, JobSkill: world.SkillHigh, Region: g.region, Work: 1 - g.region, Home: g.region, Second: population.NoRegion})
				if m == 0 {
					p.NewHousehold(i)
				} else {
					p.Join(i, p.HH[x.slots[0]])
				}
				x.slots = append(x.slots, i)
				s.Regions[1-g.region].Filled[world.SkillHigh]++
				residents++
				if g.immigrant && g.years < 10 {
					recent++
					if g.programme {
						s.ProgrammeByAge[g.age-15*m]++
						programme++
					}
				}
			}
			all = append(all, x)
		}
	}
	s.Residents, s.RecentImmigrants = residents, recent
	F := s.P.ImmigrantEmig
	a := &w.Rates.EmigrationByAge
	var sum float64 // Σ_heads size × a(age) × (F for recent immigrants), not the programme's recent arrivals
	for _, g := range groups {
		if g.programme && g.years < 10 {
			continue
		}
		x := a[g.age]
		if g.immigrant && g.years < 10 {
			x *= F
		}
		sum += float64(g.households*g.size) * x
	}
	k := float64(residents-programme) / sum
	var expected float64 // emigrants, persons, without retention, not of the programme's recent arrivals
	for _, g := range groups {
		g.rate = base * k * a[g.age]
		if g.immigrant && g.years < 10 {
			g.rate *= F
			if !g.programme {
				expected += float64(g.households*g.size) * g.rate
			}
			g.rate *= 1 - s.Regions[g.region].Retention
		} else {
			expected += float64(g.households*g.size) * g.rate
		}
	}
	if want := base * float64(residents-programme); math.Abs(expected-want) > 1e-6*want {
		t.Fatalf("the test's expectation: %.1f emigrants, want %.1f", expected, want)
	}
	if old, young := groups[2].rate, groups[1].rate; !(young > 10*old) {
		t.Errorf("a household of 28 emigrates at %.4f, one of 70 at %.4f: want the young far more often", young, old)
	}
	filled := [2]int32{s.Regions[0].Filled[world.SkillHigh], s.Regions[1].Filled[world.SkillHigh]}
	s.BeginTick()
	var m Model
	m.Step(s)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	var gone [2]int32
	for _, x := range all {
		n := 0
		for _, i := range x.slots {
			if !p.Live(i) {
				n++
			}
		}
		if n != 0 && n != len(x.slots) {
			t.Fatalf("%s: %d of %d members emigrated", x.g.name, n, len(x.slots))
		}
		if n > 0 {
			x.g.gotHH++
			x.g.gotPP += float64(n)
			gone[1-x.g.region] += int32(n)
		}
	}
	var byRegion [2]int64
	for _, g := range groups {
		e := float64(g.households) * g.rate
		sd := math.Sqrt(e * (1 - g.rate))
		t.Logf("%s: %.0f of %d households emigrated, expected %.1f ± %.1f", g.name, g.gotHH, g.households, e, sd)
		if math.Abs(g.gotHH-e) > 5*sd {
			t.Errorf("%s: %.0f households emigrated, expected %.1f ± %.1f", g.name, g.gotHH, e, sd)
		}
		byRegion[g.region] += int64(g.gotPP)
	}
	for r := 0; r < 2; r++ {
		a := s.Ledger.Accounts[r]
		if a.Emigrants != byRegion[r] || a.NetHigherEd != -byRegion[r] {
			t.Errorf("region %d: ledger has %d emigrants (higher education %+d), counted %d", r, a.Emigrants, a.NetHigherEd, byRegion[r])
		}
		if got := s.Regions[r].Filled[world.SkillHigh]; got != filled[r]-gone[r] {
			t.Errorf("region %d: %d jobs filled after emigration, want %d", r, got, filled[r]-gone[r])
		}
	}
}

// TestGuide checks guide.find against sort.SearchFloat64s on tables with
// ties, zero-weight entries and uniforms at bucket edges.
func TestGuide(t *testing.T) {
	g := rng.New(3, 4)
	for trial := 0; trial < 300; trial++ {
		cdf := make([]float64, 1+g.IntN(900))
		acc := 0.0
		for i := range cdf {
			if g.Float64() < 0.7 {
				acc += g.Float64() * 3
			}
			cdf[i] = acc
		}
		var tb guide
		tb.set(cdf, acc)
		for k := 0; k < 3000; k++ {
			u := g.Float64()
			if k%3 == 0 {
				u = float64(g.IntN(guideBuckets)) / guideBuckets
			}
			if got, want := tb.find(u), sort.SearchFloat64s(cdf, u*acc); got != want {
				t.Fatalf("find(%g) = %d, want %d", u, got, want)
			}
		}
	}
}
