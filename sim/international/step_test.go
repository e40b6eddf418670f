package international_test

import (
	"math"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/international"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// norway returns the state of a fresh simulation of Norway at scale 0.05
// (about 280,000 persons).
func norway(t *testing.T) *state.State {
	t.Helper()
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 6, Scale: 0.05, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return sim.State()
}

// TestStepRates checks one step on Norway at scale 0.05: emigrants match
// their exact expectation Σ_households rate·size within 4.5 standard
// deviations, and that expectation is the national rate × population; immigrants
// number exactly the year's national rate × population (rounded); every
// immigrant household satisfies the invariants, its couples are a woman
// and a man of at least 18, and the ledger adds up.
func TestStepRates(t *testing.T) {
	s := norway(t)
	p := &s.Persons
	// The year's rates: the world's along the projection (SSB's main
	// alternative: 41,093 net immigrants in 2024 over 5,550,203 residents).
	rates := s.NationalRates()
	if got, want := rates.ImmigrationRate-rates.EmigrationRate, 41093.0/5550203; math.Abs(got-want) > 1e-12 {
		t.Fatalf("net migration rate %g in %d, want SSB's %g", got, s.Year, want)
	}
	P := s.P
	// Exact expectation of emigrants (persons) from the heads' rates: a
	// propensity by the head's age, F times for recent immigrants (less
	// retention), scaled so that the expectation without retention is the
	// rate × the residents (the first year sums over the households).
	base := rates.EmigrationRate * P.EmigrationScale
	byAge := &s.World.Rates.EmigrationByAge
	F := P.ImmigrantEmig
	var W float64
	for h, head := range p.First {
		if head == population.None {
			continue
		}
		x := byAge[p.Age[head]]
		if p.Flags[head]&population.Immigrant != 0 && p.Years[head] < 10 {
			x *= F
		}
		W += x * float64(p.Size(int32(h)))
	}
	k := float64(s.Residents) / W
	var want, variance float64
	for h, head := range p.First {
		if head == population.None {
			continue
		}
		r := base * k * byAge[p.Age[head]]
		if p.Flags[head]&population.Immigrant != 0 && p.Years[head] < 10 {
			r *= F * (1 - s.Regions[p.Region[head]].Retention)
		}
		size := float64(p.Size(int32(h)))
		want += r * size
		variance += r * (1 - r) * size * size
	}
	// Mark the residents with a flag bit the engine does not use; Remove
	// clears the flags and Add sets the newcomers' own.
	const resident = 1 << 15
	for i := range p.Flags {
		if p.Live(int32(i)) {
			p.Flags[i] |= resident
		}
	}
	residents := float64(s.Residents)
	s.BeginTick()
	var m international.Model
	m.Step(s)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	var emigrants, immigrants float64
	for _, a := range s.Ledger.Accounts {
		emigrants += float64(a.Emigrants)
		immigrants += float64(a.Immigrants)
	}
	sd := math.Sqrt(variance)
	t.Logf("emigrants %.0f, expected %.1f ± %.1f; rate × population %.1f; immigrants %.0f, rate × population %.1f",
		emigrants, want, sd, base*residents, immigrants, rates.ImmigrationRate*P.ImmigrationScale*residents)
	if math.Abs(emigrants-want) > 4.5*sd {
		t.Errorf("%.0f emigrants, expected %.1f ± %.1f", emigrants, want, sd)
	}
	// The expectation itself is the national rate × population (no region
	// keeps its immigrants here: the scale k makes it exact); the draw is
	// checked against the expectation above.
	if r := want / (base * residents); math.Abs(r-1) > 1e-9 {
		t.Errorf("expected emigrants %.1f are %.6f times the national rate × population", want, r)
	}
	if target := rates.ImmigrationRate * P.ImmigrationScale * residents; math.Abs(immigrants-target) >= 1 {
		t.Errorf("%.0f immigrants, want the national rate × population %.2f rounded", immigrants, target)
	}
	// The newcomers: in slots that were free or new.
	var added float64
	for i := 0; i < p.Len(); i++ {
		if !p.Live(int32(i)) || p.Flags[i]&resident != 0 {
			continue
		}
		if p.Years[i] != 0 || p.Flags[i]&population.Immigrant == 0 || p.Tenure[i] != 0 {
			t.Fatalf("newcomer %d: years %d, tenure %d, flags %b", i, p.Years[i], p.Tenure[i], p.Flags[i])
		}
		added++
		if q := p.Partner[i]; q != population.None && (p.Sex[q] == p.Sex[i] || p.Age[q] < 18 || p.Age[i] < 18 || p.HH[q] != p.HH[i]) {
			t.Fatalf("immigrant couple %d–%d: sexes %d %d, ages %d %d", i, q, p.Sex[i], p.Sex[q], p.Age[i], p.Age[q])
		}
		if (p.Age[i] < 18) != (p.Act[i] == population.Child) || p.Work[i] != population.NoRegion || p.Home[i] != p.Region[i] {
			t.Fatalf("immigrant %d aged %d: activity %d, work %d, home %d, region %d", i, p.Age[i], p.Act[i], p.Work[i], p.Home[i], p.Region[i])
		}
	}
	if added != immigrants {
		t.Errorf("%.0f newcomers in the population, ledger says %.0f", added, immigrants)
	}
}

// TestImmigrantChildrenArriveWithAdults checks that no immigrant under 18
// arrives alone.
func TestImmigrantChildrenArriveWithAdults(t *testing.T) {
	s := norway(t)
	p := &s.Persons
	s.BeginTick()
	var m international.Model
	m.Step(s)
	alone := 0
	for h, head := range p.First {
		if head == population.None || p.Flags[head]&population.Immigrant == 0 || p.Years[head] != 0 {
			continue
		}
		adult := false
		for j := head; j != population.None; j = p.Next[j] {
			adult = adult || p.Age[j] >= 18
		}
		if !adult {
			alone += int(p.Kids[h])
		}
	}
	if alone > 0 {
		t.Errorf("%d immigrant children arrived without an adult", alone)
	}
}
