package demography_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/settle-sim/settle/sim/demography"
	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// teaching returns the state of a fresh simulation of the teaching world at
// scale 1 (about 400,000 persons).
func teaching(t *testing.T) *state.State {
	t.Helper()
	return teachingSim(t, 5, 1).State()
}

// teachingSim returns a fresh simulation of the teaching world on two
// workers.
func teachingSim(t *testing.T, seed uint64, scale float64) *engine.Sim {
	t.Helper()
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: seed, Scale: scale, Behaviour: params.Default(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// before is a person's state at the start of the tick.
type before struct {
	live, partnered, atHome bool
	age, sex                uint8
	tenure, years           uint8
	imm                     bool
	partner                 int32
}

func snapshot(p *population.Persons) []before {
	out := make([]before, p.Len())
	for i := range out {
		out[i] = before{live: p.Live(int32(i)), partnered: p.Partner[i] != population.None,
			atHome: p.Flags[i]&population.AtHome != 0, age: p.Age[i], sex: p.Sex[i], tenure: p.Tenure[i],
			years: p.Years[i], imm: p.Flags[i]&population.Immigrant != 0, partner: p.Partner[i]}
	}
	return out
}

// survived reports whether the person in slot i at the start is still
// there: alive and one year older (a newborn reusing the slot is aged 0).
func survived(p *population.Persons, b before, i int) bool {
	return i < p.Len() && p.Live(int32(i)) && p.Age[i] == min(b.age+1, world.MaxAge) && p.Sex[i] == b.sex
}

// within reports whether got is within k standard deviations (sd) of want,
// plus one for the discreteness of small counts.
func within(got, want, sd, k float64) bool { return math.Abs(got-want) <= k*sd+1 }

// TestOneTick runs demography once on the teaching world at scale 1 and
// compares what happened with the rates: deaths per ten-year age band and
// sex against Σ q(age, sex), births against Σ (1 − q)·ASFR·multiplier
// (partnered or single), leaving home against the leave-home rate and
// splits against the split rate (falling after 35), each within 4.5
// standard deviations. It
// also checks ageing, that the man leaves a split couple alone, the
// ledger and the population invariants.
func TestOneTick(t *testing.T) {
	s := teaching(t)
	p := &s.Persons
	P := s.P
	rates := &s.World.Rates
	b := snapshot(p)

	// Expectations from the rates and the population at the start.
	var wantDeaths, varDeaths [2][11]float64
	var wantBirths, varBirths, wantLeave, varLeave, wantSplit, varSplit float64
	for i, x := range b {
		if !x.live {
			continue
		}
		q := math.Min(1, rates.Mortality[x.sex][x.age]*P.MortalityScale)
		band := min(int(x.age)/10, 10)
		wantDeaths[x.sex][band] += q
		varDeaths[x.sex][band] += q * (1 - q)
		if x.sex == 0 && x.age >= 15 && x.age < 50 {
			// The rates of single and partnered women, set from the share of
			// women of that age in a couple (demography.go).
			pi := s.PartneredWomen[x.age]
			f := rates.Fertility[x.age] * P.FertilityScale / (1 - pi + pi*demography.PartneredFertility)
			if x.partnered {
				f *= demography.PartneredFertility
			}
			pb := (1 - q) * f
			wantBirths += pb
			varBirths += pb * (1 - pb)
		}
		if x.age >= 18 && x.age < 30 && x.atHome {
			pl := (1 - q) * P.LeaveHomeRate
			wantLeave += pl
			varLeave += pl * (1 - pl)
		}
		if x.partnered && x.sex == 0 {
			m := b[x.partner]
			// The split rate falls after 35, by the age of the partner in
			// the lower slot (who draws the couple's split).
			lower := x.age
			if x.partner < int32(i) {
				lower = m.age
			}
			rate := P.SplitRate * math.Min(1, math.Exp(-(float64(lower)-35)/P.SplitAgeScale))
			ps := (1 - q) * (1 - math.Min(1, rates.Mortality[m.sex][m.age]*P.MortalityScale)) * rate
			wantSplit += ps
			varSplit += ps * (1 - ps)
		}
	}

	s.BeginTick()
	var m demography.Model
	m.Step(s)
	if err := p.Check(); err != nil {
		t.Fatalf("after the tick: %v", err)
	}

	var deaths [2][11]float64
	var leave, split float64
	for i, x := range b {
		if !x.live {
			continue
		}
		if !survived(p, x, i) {
			deaths[x.sex][min(int(x.age)/10, 10)]++
			continue
		}
		// Ageing: tenure and years since arrival advance (capped at 255).
		wantYears := x.years
		if x.imm && x.years < 255 {
			wantYears++
		}
		if p.Tenure[i] != min(x.tenure, 254)+1 && p.Tenure[i] != 0 || p.Years[i] != wantYears {
			t.Fatalf("person %d: tenure %d→%d, years %d→%d", i, x.tenure, p.Tenure[i], x.years, p.Years[i])
		}
		if x.atHome && x.age >= 18 && x.age < 30 && p.Flags[i]&population.AtHome == 0 {
			leave++
			if p.Flags[i]&population.Head == 0 {
				t.Fatalf("person %d left home but heads no household", i)
			}
		}
		if x.partnered && x.sex == 0 && survived(p, b[x.partner], int(x.partner)) && p.Partner[i] != x.partner {
			split++
			// The man leaves alone; the children stay with the mother.
			if q := x.partner; b[q].sex == 1 && (p.Size(p.HH[q]) != 1 || p.HH[q] == p.HH[i]) {
				t.Fatalf("couple %d, %d split: the man's household has %d members", i, q, p.Size(p.HH[q]))
			}
		}
	}
	var births, totalDeaths, ledgerBirths, ledgerDeaths float64
	for i := 0; i < p.Len(); i++ {
		if p.Live(int32(i)) && p.Age[i] == 0 {
			births++
			if p.Act[i] != population.Child || p.Flags[i]&population.AtHome == 0 || p.Region[i] != p.Region[p.First[p.HH[i]]] {
				t.Fatalf("newborn %d: activity %d, flags %b, region %d, household's region %d", i, p.Act[i], p.Flags[i], p.Region[i], p.Region[p.First[p.HH[i]]])
			}
		}
	}
	for _, a := range s.Ledger.Accounts {
		ledgerBirths += float64(a.Births)
		ledgerDeaths += float64(a.Deaths)
	}
	for sx := 0; sx < 2; sx++ {
		for band := range deaths[sx] {
			totalDeaths += deaths[sx][band]
			if !within(deaths[sx][band], wantDeaths[sx][band], math.Sqrt(varDeaths[sx][band]), 4.5) {
				t.Errorf("sex %d, ages %d–%d: %.0f deaths, expected %.1f ± %.1f", sx, 10*band, 10*band+9,
					deaths[sx][band], wantDeaths[sx][band], math.Sqrt(varDeaths[sx][band]))
			}
		}
	}
	if ledgerBirths != births || ledgerDeaths != totalDeaths {
		t.Errorf("ledger: %.0f births, %.0f deaths; counted %.0f and %.0f", ledgerBirths, ledgerDeaths, births, totalDeaths)
	}
	check := func(name string, got, want, variance float64) {
		t.Logf("%s: %.0f, expected %.1f ± %.1f", name, got, want, math.Sqrt(variance))
		if !within(got, want, math.Sqrt(variance), 4.5) {
			t.Errorf("%s: %.0f, expected %.1f ± %.1f", name, got, want, math.Sqrt(variance))
		}
	}
	check("births", births, wantBirths, varBirths)
	check("left home", leave, wantLeave, varLeave)
	check("couples split", split, wantSplit, varSplit)
	t.Logf("%.0f deaths", totalDeaths)
}

// TestNewbornsLiveWithTheirMother checks that after a tick every newborn
// lives in a household with a woman of childbearing age.
func TestNewbornsLiveWithTheirMother(t *testing.T) {
	s := teaching(t)
	p := &s.Persons
	s.BeginTick()
	var m demography.Model
	m.Step(s)
	bad, births := 0, 0
	for i := 0; i < p.Len(); i++ {
		if !p.Live(int32(i)) || p.Age[i] != 0 {
			continue
		}
		births++
		mother := false
		for j := p.First[p.HH[i]]; j != population.None; j = p.Next[j] {
			mother = mother || p.Sex[j] == 0 && p.Age[j] >= 16 && p.Age[j] <= 50
		}
		if !mother {
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d newborns live in a household without a woman aged 16–50", bad, births)
	}
}

// TestEffectiveFertility checks that one tick's births match the national
// age-specific rates applied to the women of each age, whatever the share of
// them in couples: Σ_age ASFR(age)·women(age), within 4 standard deviations
// (plus 1 % for the women who die before giving birth).
func TestEffectiveFertility(t *testing.T) {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 2, Scale: 0.05, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	start := sim.Observe()
	want := 0.0
	for a := 15; a < 50; a++ {
		want += w.Rates.Fertility[a] * float64(start.Population[0][a])
	}
	rec := sim.Step()
	var births float64
	for _, r := range rec.Regions {
		births += float64(r.Births)
	}
	sd := math.Sqrt(want)
	t.Logf("births %.0f, expected %.0f (sd %.0f)", births, want, sd)
	if math.Abs(births-want) > 4*sd+0.01*want {
		t.Errorf("births %.0f, expected %.0f from the age-specific rates (sd %.0f)", births, want, sd)
	}
}

// TestCouplesAfterTicks runs the whole engine for a few years and checks
// that partners are always a woman and a man living in the same household
// (and so the same region), and that couples formed across regions were
// recorded as family moves.
func TestCouplesAfterTicks(t *testing.T) {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 4, Scale: 0.02, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	s := sim.State()
	p := &s.Persons
	for y := 0; y < 3; y++ {
		rec := sim.Step()
		for i := int32(0); i < int32(p.Len()); i++ {
			q := p.Partner[i]
			if !p.Live(i) || q == population.None {
				continue
			}
			if p.Sex[i] == p.Sex[q] || p.HH[i] != p.HH[q] || p.Region[i] != p.Region[q] {
				t.Fatalf("%d: partners %d and %d: sexes %d, %d; households %d, %d; regions %d, %d", rec.Year, i, q,
					p.Sex[i], p.Sex[q], p.HH[i], p.HH[q], p.Region[i], p.Region[q])
			}
		}
		family := int64(0)
		for _, f := range rec.Flows {
			if f.Motive == state.MotiveFamily {
				family += f.Moves
			}
		}
		if family == 0 {
			t.Errorf("%d: no family moves recorded", rec.Year)
		}
	}
}

// TestSplitManLeaves checks who leaves when couples split, whichever
// partner holds the lower slot: after a few years of the whole engine (so
// couples formed in the simulation sit in any slot order), with the split
// rate set to 1 and no deaths, every couple splits, the man leaves alone
// and the children stay with the mother.
func TestSplitManLeaves(t *testing.T) {
	sim := teachingSim(t, 6, 0.3)
	for y := 0; y < 3; y++ {
		sim.Step()
	}
	s := sim.State()
	p := &s.Persons
	type couple struct{ woman, man int32 }
	var couples []couple
	manLower := 0
	for i := int32(0); i < int32(p.Len()); i++ {
		if q := p.Partner[i]; p.Live(i) && q != population.None && p.Sex[i] == 0 && p.Sex[q] == 1 && p.Flags[i]&population.AtHome == 0 {
			couples = append(couples, couple{i, q})
			if q < i {
				manLower++
			}
		}
	}
	if manLower == 0 {
		t.Fatalf("no couple with the man in the lower slot among %d", len(couples))
	}
	s.P.SplitRate, s.P.SplitAgeScale, s.P.MortalityScale, s.P.CoupleRate = 1, math.Inf(1), 0, 0 // every couple splits
	s.BeginTick()
	var m demography.Model
	m.Step(s)
	for _, c := range couples {
		if p.Partner[c.woman] != population.None || p.Partner[c.man] != population.None {
			t.Fatalf("couple %d, %d did not split", c.woman, c.man)
		}
		if p.Size(p.HH[c.man]) != 1 || p.Flags[c.man]&population.Head == 0 {
			t.Fatalf("man %d: household of %d after the split, want alone", c.man, p.Size(p.HH[c.man]))
		}
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d couples split, %d with the man in the lower slot", len(couples), manLower)
}

// TestCouplesPlanInOrder checks that couples formed from the plan carried
// out in parallel leave the same persons, households and records as
// pairing the seekers one after the other.
func TestCouplesPlanInOrder(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	run := func(inOrder bool) (*population.Persons, []record.Flow) {
		*demography.PairInOrder = inOrder
		defer func() { *demography.PairInOrder = false }()
		sim, err := engine.New(w, engine.Config{Seed: 9, Scale: 1, Behaviour: params.Default(), Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		var flows []record.Flow
		for y := 0; y < 3; y++ {
			flows = append(flows, sim.Step().Flows...)
		}
		return &sim.State().Persons, flows
	}
	p, fp := run(false)
	q, fq := run(true)
	if !reflect.DeepEqual(p, q) {
		t.Error("persons differ")
	}
	if !reflect.DeepEqual(fp, fq) {
		t.Error("flows differ")
	}
}

// The share of households with a head of state.SecondHomeAge or older that
// own a second home stays near its start (state.SecondHomeShare): the heads
// reaching that age acquire them as the owners die. Without the yearly
// acquisitions it falls by a third in ten years. Every second home is in a
// region other than the owner's, and no child holds one.
func TestSecondHomesStay(t *testing.T) {
	sim := teachingSim(t, 5, 1)
	share := func() float64 {
		p := &sim.State().Persons
		var heads, owners float64
		for _, i := range p.First {
			if i == population.None || p.Age[i] < state.SecondHomeAge {
				continue
			}
			heads++
			if sh := p.Second[i]; sh != population.NoRegion {
				owners++
				if sh == p.Region[i] {
					t.Fatalf("person %d has a second home in their own region %d", i, sh)
				}
			}
		}
		return owners / heads
	}
	start := share()
	for y := 0; y < 10; y++ {
		sim.Step()
	}
	end := share()
	t.Logf("households with a head of %d or older owning a second home: %.3f at the start, %.3f after ten years", state.SecondHomeAge, start, end)
	// Owners are adults: newborns do not inherit their mother's.
	p := &sim.State().Persons
	children := 0
	for i := range p.Age {
		if p.Live(int32(i)) && p.Age[i] < 18 && p.Second[i] != population.NoRegion {
			children++
		}
	}
	if children > 0 {
		t.Errorf("%d persons under 18 hold a second home after ten years; want none", children)
	}
	if math.Abs(start-state.SecondHomeShare) > 0.02 || math.Abs(end-start) > 0.15*start {
		t.Errorf("share of owners %.3f at the start, %.3f after ten years: want about %g both times", start, end, state.SecondHomeShare)
	}
}
