package migration

import (
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/settle-sim/settle/sim/housing"
	"github.com/settle-sim/settle/sim/labour"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/world"
)

// newState builds the state engine.New would (without second homes and
// interventions): the package cannot import the engine, which imports it.
func newState(t *testing.T, name string, scale float64, seed uint64) *state.State {
	t.Helper()
	w, err := world.Load(name, "")
	if err != nil {
		t.Fatal(err)
	}
	n := w.N()
	s := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, n),
		Minutes: append([]float32(nil), w.Minutes...), Year: w.StartYear, Seed: seed, Scale: scale}
	s.SetWorkers(2)
	for r := range s.Regions {
		s.Regions[r].StudyPlaces = float64(w.Regions[r].StudyPlaces) * scale
		s.Regions[r].Broadband = w.Regions[r].Amenities.Broadband
		s.Regions[r].Cooperation = -1
	}
	s.RebuildReach()
	s.Persons = *synth.Population(w, scale, seed, s.ForEach)
	s.BeginTick()
	census(s)
	var lab labour.Model
	lab.Init(s)
	var hou housing.Model
	hou.Init(s)
	census(s)
	for r := range s.Regions { // as engine.New: the first year's turnover
		s.Regions[r].Vacated = Turnover * s.Regions[r].Dwellings
	}
	return s
}

// census counts what the engine's observation pass gives the next tick.
func census(s *state.State) {
	p := &s.Persons
	c := make([]state.Census, s.N())
	for i := 0; i < p.Len(); i++ {
		if !p.Live(int32(i)) {
			continue
		}
		x := &c[p.Region[i]]
		x.Residents++
		if p.Flags[i]&population.Head != 0 {
			x.Households++
		}
		if p.Flags[i]&population.Immigrant != 0 {
			x.Immigrants++
			if p.Years[i] < 10 {
				x.RecentImmigrants++
			}
		}
		if p.Act[i] == population.Student && p.Work[i] != population.NoRegion {
			c[p.Work[i]].Students++
		}
	}
	s.SetCensus(c)
}

// weights recomputes the logit weights of the destinations from o without
// the home bonus, from the utilities and the travel times:
// w_d = exp(V_d)·(minutes(o, d) + 10)^β_distance, 0 for the origin.
func weights(m *Model, s *state.State, ph, k, o int) []float64 {
	n := s.N()
	w := make([]float64, n)
	for d := 0; d < n; d++ {
		if d != o {
			w[d] = math.Exp(m.v[m.idx(ph, k, d)]) * math.Pow(float64(s.TravelMinutes(o, d))+10, s.P.UtilDistance[ph])
		}
	}
	return w
}

// TestChooseSamplesLogit draws many destinations with choose and compares
// their frequencies with the logit probabilities, home bonus included:
// P(home) = w_h·e^B / (W − w_h + w_h·e^B) and P(d) = w_d / (W − w_h + w_h·e^B)
// for the others, B = util_home[phase] + the home region's attachment
// boost. Each frequency must be within 5 standard deviations; the origin
// must never be drawn and a destination always found.
func TestChooseSamplesLogit(t *testing.T) {
	s := newState(t, "teaching", 0.1, 3)
	var m Model
	m.tables(s)
	n := s.N()
	cases := []struct {
		name          string
		ph, k, o, hom int
		attach        float64
	}{
		{"early career, high skill, home elsewhere", params.EarlyCareer, world.SkillHigh, 3, 0, 0},
		{"family, low skill, home is the origin", params.Family, world.SkillLow, 5, 5, 0},
		{"senior, medium skill, strong attachment", params.Senior, world.SkillMedium, 0, 9, 1.5},
		{"student, high skill, home two regions away", params.Student, world.SkillHigh, 13, 6, 0},
		{"established, low skill, home is the most attractive", params.Established, world.SkillLow, 7, 0, 0},
	}
	const draws = 300_000
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.Regions[c.hom].AttachBoost = c.attach
			defer func() { s.Regions[c.hom].AttachBoost = 0 }()
			w := weights(&m, s, c.ph, c.k, c.o)
			// The table's row must hold the same weights up to a common factor.
			row := m.cdf[m.idx(c.ph, c.k, c.o)*n : m.idx(c.ph, c.k, c.o)*n+n]
			var W float64
			for _, x := range w {
				W += x
			}
			for d := 0; d < n; d++ {
				rw := row[d]
				if d > 0 {
					rw -= row[d-1]
				}
				if got, want := rw/row[n-1], w[d]/W; math.Abs(got-want) > 1e-9 {
					t.Fatalf("table share of destination %d: %.12f, want %.12f", d, got, want)
				}
			}
			want := make([]float64, n)
			wh, bonus := w[c.hom], math.Exp(s.P.UtilHome[c.ph]+c.attach)
			denom := W - wh + wh*bonus
			for d := range want {
				want[d] = w[d] / denom
			}
			if c.hom != c.o {
				want[c.hom] = wh * bonus / denom
			} else {
				for d := range want {
					want[d] = w[d] / W
				}
			}
			g := rng.New(99, uint64(ci))
			got := make([]float64, n)
			failed := 0
			for i := 0; i < draws; i++ {
				d := m.choose(s, c.ph, c.k, c.o, c.hom, g.Float64())
				if d < 0 {
					failed++ // see TestChooseAlwaysFinds
					continue
				}
				got[d]++
			}
			if failed > draws/10000 {
				t.Errorf("%d of %d draws found no destination", failed, draws)
			}
			if got[c.o] != 0 {
				t.Errorf("the origin %d was drawn %.0f times", c.o, got[c.o])
			}
			for d := range got {
				e := draws * want[d]
				sd := math.Sqrt(e * (1 - want[d]))
				if math.Abs(got[d]-e) > 5*sd+1 {
					t.Errorf("destination %d: %.0f draws, expected %.1f ± %.1f (P = %.4f)", d, got[d], e, sd, want[d])
				}
			}
			t.Logf("P(home %d) = %.4f, drawn %.4f", c.hom, want[c.hom], got[c.hom]/draws)
		})
	}
}

// TestChooseAlwaysFinds checks that choose always returns a destination
// when one has positive weight: moving from Vestbygd for an early-career
// graduate whose home region, Storhavn, holds 86 % of the weight.
func TestChooseAlwaysFinds(t *testing.T) {
	s := newState(t, "teaching", 0.1, 3)
	var m Model
	m.tables(s)
	g := rng.New(99, 0)
	for i := 0; i < 1_000_000; i++ {
		if d := m.choose(s, params.EarlyCareer, world.SkillHigh, 3, 0, g.Float64()); d < 0 {
			t.Fatalf("draw %d found no destination", i)
		}
	}
}

// TestUtilityLevers checks how the levers enter the logit weights exactly:
// a reputation of +1 multiplies a destination's weight by e, and doubling
// its price multiplies it by 2^util_price[phase].
func TestUtilityLevers(t *testing.T) {
	s := newState(t, "teaching", 0.1, 3)
	var m Model
	m.tables(s)
	const o, d = 2, 6
	base := map[[2]int]float64{}
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			w := weights(&m, s, ph, k, o)
			base[[2]int{ph, k}] = w[d] / w[1]
		}
	}
	s.Regions[d].Reputation = 1
	m.tables(s)
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			w := weights(&m, s, ph, k, o)
			if r := w[d] / w[1] / base[[2]int{ph, k}]; math.Abs(r-math.E) > 1e-9 {
				t.Errorf("%s, skill %d: reputation +1 multiplied the weight by %.6f, want e", params.PhaseNames[ph], k, r)
			}
		}
	}
	s.Regions[d].Reputation = 0
	s.Regions[d].Price *= 2
	m.tables(s)
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			w := weights(&m, s, ph, k, o)
			want := math.Pow(2, s.P.UtilPrice[ph])
			if r := w[d] / w[1] / base[[2]int{ph, k}]; math.Abs(r-want) > 1e-9 {
				t.Errorf("%s, skill %d: doubling the price multiplied the weight by %.6f, want %.6f", params.PhaseNames[ph], k, r, want)
			}
		}
	}
}

// TestDwellingsOnTheMarket checks that a region's dwellings on the market
// enter its weight as a count of alternatives: doubling them multiplies the
// weight by 2^util_dwellings (2 by default), in the choice tables and in
// the remote workers' alike, while what a dwelling there offers (the
// components that name a move's motive) and its residents' opportunity
// gap (log-sum − what a dwelling there offers) stay as they were; the
// other regions' residents see a better alternative (their log-sums rise),
// and the opportunity compares the log-sum with what a dwelling offers,
// not with the count.
func TestDwellingsOnTheMarket(t *testing.T) {
	s := newState(t, "teaching", 0.1, 3)
	if s.P.UtilDwell != 1 {
		t.Errorf("default util_dwellings = %g, want 1 (the aggregation of dwellings into regions)", s.P.UtilDwell)
	}
	var m Model
	m.tables(s)
	const o, d = 2, 6
	n := s.N()
	own := func(ph, k, r int) float64 { return m.offers(m.idx(ph, k, r)) }
	// rw is the remote table's weight of d against region 1 from o.
	rw := func(ph int) float64 {
		row := m.rcdf[(ph*n+o)*n : (ph*n+o)*n+n]
		return (row[d] - row[d-1]) / (row[1] - row[0])
	}
	type seen struct {
		ratio, remote, gap, lsO float64
		comp                    [numComp]float64
	}
	before := map[[2]int]seen{}
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			w := weights(&m, s, ph, k, o)
			x := m.idx(ph, k, d)
			before[[2]int{ph, k}] = seen{w[d] / w[1], rw(ph), m.ls[x] - own(ph, k, d), m.ls[m.idx(ph, k, o)], m.comp[x]}
		}
	}
	s.Regions[d].Vacated += available(s, d) // twice the dwellings on the market
	m.tables(s)
	want := math.Pow(2, s.P.UtilDwell)
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			w := weights(&m, s, ph, k, o)
			x := m.idx(ph, k, d)
			b := before[[2]int{ph, k}]
			if r := w[d] / w[1] / b.ratio; math.Abs(r-want) > 1e-9 {
				t.Errorf("%s, skill %d: twice the dwellings multiplied the weight by %.6f, want %.6f", params.PhaseNames[ph], k, r, want)
			}
			if k == 0 {
				if r := rw(ph) / b.remote; math.Abs(r-want) > 1e-9 {
					t.Errorf("%s: twice the dwellings multiplied the remote workers' weight by %.6f, want %.6f", params.PhaseNames[ph], r, want)
				}
			}
			if m.comp[x] != b.comp {
				t.Errorf("%s, skill %d: the components changed with the count of dwellings: %v, were %v", params.PhaseNames[ph], k, m.comp[x], b.comp)
			}
			if gap := m.ls[x] - own(ph, k, d); math.Abs(gap-b.gap) > 1e-12 {
				t.Errorf("%s, skill %d: the region's opportunity gap changed with its dwellings: %g, was %g", params.PhaseNames[ph], k, gap, b.gap)
			}
			if ls := m.ls[m.idx(ph, k, o)]; !(ls > b.lsO) {
				t.Errorf("%s, skill %d: another region's log-sum did not rise with the dwellings: %g, was %g", params.PhaseNames[ph], k, ls, b.lsO)
			}
		}
	}
	// The opportunity, recomputed: Δ_o = log-sum − the sum of the
	// components, centred on the residents' mean.
	for ph := 1; ph < params.NumPhases; ph++ {
		for k := 0; k < world.NumSkills; k++ {
			mean, wsum := 0.0, 0.0
			for r := 0; r < n; r++ {
				mean += float64(s.Regions[r].Residents) * (m.ls[m.idx(ph, k, r)] - own(ph, k, r))
				wsum += float64(s.Regions[r].Residents)
			}
			mean /= wsum
			for r := 0; r < n; r++ {
				delta := max(-3, min(3, m.ls[m.idx(ph, k, r)]-own(ph, k, r)-mean))
				if want := math.Exp(s.P.OpportunityW * delta); math.Abs(m.opp[m.idx(ph, k, r)]/want-1) > 1e-12 {
					t.Errorf("%s, skill %d, region %d: opportunity %g, want %g", params.PhaseNames[ph], k, r, m.opp[m.idx(ph, k, r)], want)
				}
			}
		}
	}
}

// TestMotive checks the rules that name a move's motive, in their order.
func TestMotive(t *testing.T) {
	var m Model
	m.n = 3
	m.comp = make([][numComp]float64, params.NumPhases*world.NumSkills*3)
	// Region 2 is better than 0 for an established high-skill person in
	// every component, most of all in housing; region 1 only in career.
	m.comp[m.idx(params.Established, world.SkillHigh, 0)] = [numComp]float64{1, 1, 1, 1}
	m.comp[m.idx(params.Established, world.SkillHigh, 1)] = [numComp]float64{2, 1, 1, 1}
	m.comp[m.idx(params.Established, world.SkillHigh, 2)] = [numComp]float64{1.5, 3, 1.2, 1.1}
	const none = 0
	cases := []struct {
		name           string
		ph, o, d, home int
		trig           uint16
		want           int
	}{
		{"back home", params.Established, 0, 2, 2, population.NewPartner | population.LostJob, state.MotiveReturn},
		{"home is where one lives: not a return", params.Established, 0, 2, 0, none, state.MotiveHousing},
		{"new partner", params.Established, 0, 2, 1, population.NewPartner | population.LostJob, state.MotiveFamily},
		{"lost job", params.Established, 0, 2, 1, population.LostJob, state.MotiveCareer},
		{"graduated", params.Established, 0, 2, 1, population.Graduated, state.MotiveCareer},
		{"student", params.Student, 0, 2, 1, none, state.MotiveStudy},
		{"largest gain: housing", params.Established, 0, 2, 1, none, state.MotiveHousing},
		{"largest gain: career", params.Established, 0, 1, 2, none, state.MotiveCareer},
		{"retiree's career gain counts as amenity", params.Established, 0, 1, 2, population.NewRetiree, state.MotiveAmenity},
		{"no gain at all: housing", params.Established, 1, 0, 2, none, state.MotiveHousing},
	}
	for _, c := range cases {
		if got := m.motive(c.ph, world.SkillHigh, c.o, c.d, c.home, c.trig); got != c.want {
			t.Errorf("%s: motive %d, want %d", c.name, got, c.want)
		}
	}
}

// stepWithTriggers builds Norway at scale 0.02, sets the triggers
// NewPartner and LostJob on a tenth of the heads each (and their partners),
// snapshots the persons and runs the migration step.
func stepWithTriggers(t *testing.T) (*state.State, *Model, []was) {
	s := newState(t, "norway-2024", 0.02, 8)
	p := &s.Persons
	g := rng.New(1, 1)
	for i := int32(0); i < int32(p.Len()); i++ {
		if p.Live(i) && p.Flags[i]&population.Head != 0 {
			switch u := g.Float64(); {
			case u < 0.1:
				p.ShareTrigger(i, population.NewPartner)
			case u < 0.2:
				p.ShareTrigger(i, population.LostJob)
			}
		}
	}
	b := make([]was, p.Len())
	for i := range b {
		b[i] = was{p.Region[i], p.Home[i], p.HH[i], p.Tenure[i], p.Flags[i], p.Act[i]}
	}
	s.BeginTick()
	m := &Model{}
	m.Step(s)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	return s, m, b
}

type was struct {
	region, home uint16
	hh           int32
	tenure       uint8
	flags        uint16
	act          uint8
}

// TestStep checks each of the step's decisions: made by a household head
// or a young adult at home who has lived here at least a year; to another
// region; carried out (the household, or the young adult alone in a new
// household, lives there); and with the motive the rules give: return
// when the destination is the decider's home region, else family after a
// new partner, else career after a lost job, else study for students.
func TestStep(t *testing.T) {
	s, m, b := stepWithTriggers(t)
	p := &s.Persons
	var decisions, alone int
	var byMotive [state.NumMotives]int
	for c := 0; c < s.NumChunks(); c++ {
		for _, dc := range m.chunks[c] {
			decisions++
			i, d := dc.person, int(dc.dest)
			x := b[i]
			o := int(x.region)
			if x.tenure == 0 || x.flags&(population.Head|population.AtHome) == 0 {
				t.Fatalf("person %d (tenure %d, flags %b) decided to move", i, x.tenure, x.flags)
			}
			if d == o || d < 0 || d >= s.N() {
				t.Fatalf("person %d: destination %d from %d", i, d, o)
			}
			if dc.alone {
				alone++
				if x.flags&population.AtHome == 0 || p.Flags[i]&population.AtHome != 0 || p.Size(p.HH[i]) != 1 {
					t.Fatalf("young adult %d moved alone but is still at home or lives with others", i)
				}
			} else if x.flags&population.AtHome != 0 && p.Age[i] >= 18 {
				t.Fatalf("adult %d at home moved the household", i)
			}
			want := -1
			switch {
			case d == int(x.home) && int(x.home) != o:
				want = state.MotiveReturn
			case x.flags&population.NewPartner != 0:
				want = state.MotiveFamily
			case x.flags&population.LostJob != 0:
				want = state.MotiveCareer
			case x.act == population.Student:
				want = state.MotiveStudy
			}
			if want >= 0 && int(dc.motive) != want {
				t.Fatalf("person %d moving %d→%d (home %d, flags %b): motive %d, want %d", i, o, d, x.home, x.flags, dc.motive, want)
			}
			byMotive[dc.motive]++
		}
	}
	t.Logf("%d decisions (%d young adults alone) among %d persons; by motive %v", decisions, alone, s.Residents, byMotive)
	if decisions == 0 || alone == 0 || byMotive[state.MotiveReturn] == 0 || byMotive[state.MotiveFamily] == 0 {
		t.Fatal("the step made too few decisions to test")
	}
	// Every household that moved lives in its destination (except young
	// adults who left it alone later in the step).
	for c := 0; c < s.NumChunks(); c++ {
		for _, dc := range m.chunks[c] {
			if dc.alone {
				continue
			}
			h := p.HH[dc.person]
			for j := p.First[h]; j != population.None; j = p.Next[j] {
				if int(p.Region[j]) != int(dc.dest) && b[j].tenure != 0 {
					t.Fatalf("member %d of household %d is in %d, not its destination %d", j, h, p.Region[j], dc.dest)
				}
			}
		}
	}
}

// TestStepMovesEachPersonOnce checks that the ledger counts each person
// who changed region once, and nobody else.
func TestStepMovesEachPersonOnce(t *testing.T) {
	s, _, b := stepWithTriggers(t)
	p := &s.Persons
	var movers, in, out int64
	for i := range b {
		if p.Live(int32(i)) && p.Region[i] != b[i].region {
			movers++
		}
	}
	for _, a := range s.Ledger.Accounts {
		in += a.InDomestic
		out += a.OutDomestic
	}
	if in != movers || out != movers {
		t.Errorf("ledger: %d in, %d out; %d persons changed region", in, out, movers)
	}
}

// refMoveProb is the documented moving probability of person i, written
// out independently of moveProb and of the keyed draw: 0 unless i is a
// household head or a young adult (18+) at home who has lived a year in the
// region and is not in the child phase; else the Rogers–Castro base hazard
// by age times the phase factor and the opportunity of the origin (phase
// Family for a head whose household has children, with the school-child
// factor when one of them is 6–15), the move scale, and the young-women,
// recent-immigrant, integration, tenure and trigger factors, capped at 0.95.
func refMoveProb(m *Model, s *state.State, i int32) (prob float64, ph int) {
	p := &s.Persons
	P := &s.P
	f := p.Flags[i]
	age := p.Age[i]
	alone := f&population.AtHome != 0 && age >= 18
	if !p.Live(i) || p.Tenure[i] == 0 || !alone && f&population.Head == 0 {
		return 0, params.Child
	}
	switch {
	case alone && p.Act[i] == population.Student:
		ph = params.Student
	case alone:
		ph = params.EarlyCareer
	default:
		ph = s.Phase(i)
	}
	if ph == params.Child {
		return 0, ph
	}
	o := int(p.Region[i])
	// A student whose campus is beyond the commute keeps the registered
	// address (study_registered_home), at their parents' or their own.
	if ph == params.Student && p.Work[i] != population.NoRegion &&
		s.TravelMinutes(o, int(p.Work[i])) > float32(P.CommuteMinutes) {
		return 0, ph
	}
	x := float64(age) - P.BaseMu2
	if p.Sex[i] == 0 { // women's schedule runs ahead
		x += P.YoungWomenShift
	}
	prob = P.BaseA2*math.Exp(-P.BaseAlpha2*x-math.Exp(-P.BaseLambda2*x)) + P.BaseC
	prob *= P.PhaseFactor[ph] * m.opp[m.idx(ph, state.Skill(p.Edu[i]), o)] * P.MoveScale
	// Young women: the full factor at 18–24, then 5/6, 4/6 … 1/6 of its
	// excess at 25–29.
	if w := [...]float64{6, 6, 6, 6, 6, 6, 6, 5, 4, 3, 2, 1}; p.Sex[i] == 0 && age >= 18 && age < 30 {
		prob *= 1 + (P.YoungWomen-1)*w[age-18]/6
	}
	imm := f&population.Immigrant != 0
	if imm && p.Years[i] <= 5 {
		prob *= P.ImmigrantMove
	}
	if imm && p.Years[i] < 10 {
		prob *= 1 - s.Regions[o].Retention
	}
	prob *= math.Max(0.3, 1-P.TenureDecay*float64(min(p.Tenure[i], 10)))
	for _, tr := range []struct {
		flag uint16
		f    float64
	}{{population.LostJob, P.JobLossMove}, {population.Graduated, P.GraduateMove}, {population.NewPartner, P.PartnerMove}, {population.NewRetiree, P.RetireMove}} {
		if f&tr.flag != 0 {
			prob *= tr.f
		}
	}
	if ph == params.Family && P.SchoolChild < 1 {
		for j := p.First[p.HH[i]]; j != population.None; j = p.Next[j] {
			if p.Age[j] >= 6 && p.Age[j] <= 15 {
				prob *= P.SchoolChild
				break
			}
		}
	}
	return math.Min(prob, 0.95), ph
}

// TestMoveRates checks that the step's decisions to move (a keyed uniform
// against a bound, then against the exact probability) happen with the documented probabilities
// (refMoveProb): on Norway at scale 0.05 with triggers on a fifth of the
// heads, recent immigrants and an integration programme in a third of the
// regions, the decisions of each life phase, with and without a trigger,
// are within 5 standard deviations of the sum of the probabilities.
func TestMoveRates(t *testing.T) {
	s := newState(t, "norway-2024", 0.05, 9)
	s.P.HomeStay = 1          // it holds decisions by destination: TestHomeStay
	s.P.YoungWomenShift = 2.5 // whatever the default, the reference's shift is tested
	p := &s.Persons
	g := rng.New(2, 2)
	for i := int32(0); i < int32(p.Len()); i++ {
		if p.Live(i) && p.Flags[i]&population.Head != 0 {
			switch u := g.Float64(); {
			case u < 0.1:
				p.ShareTrigger(i, population.NewPartner)
			case u < 0.15:
				p.ShareTrigger(i, population.LostJob)
			case u < 0.2:
				p.ShareTrigger(i, population.Graduated|population.NewRetiree)
			case u < 0.3:
				p.Flags[i] |= population.Immigrant
				p.Years[i] = uint8(g.IntN(12))
			}
		}
	}
	for r := range s.Regions {
		if r%3 == 0 {
			s.Regions[r].Retention = 0.4
		}
	}
	// A third of the young adults at home study at the campus farthest
	// from them, registered at home (study_registered_home): they do not
	// decide to move until they graduate. The synthesis makes none.
	n := s.N()
	farthest := make([]uint16, n)
	for o := range farthest {
		for d := 0; d < n; d++ {
			if s.TravelMinutes(o, d) > s.TravelMinutes(o, int(farthest[o])) {
				farthest[o] = uint16(d)
			}
		}
	}
	farStudents := 0
	for i := int32(0); i < int32(p.Len()); i++ {
		if a := p.Age[i]; p.Live(i) && p.Flags[i]&population.AtHome != 0 && a >= 19 && a <= 24 && p.Tenure[i] > 0 && g.Float64() < 0.3 {
			p.Act[i], p.Work[i], p.StudyLeft[i] = population.Student, farthest[p.Region[i]], 2
			farStudents++
		}
	}
	if farStudents < 500 {
		t.Fatalf("%d far students registered at home: too few to test", farStudents)
	}
	s.BeginTick()
	// Dwellings to spare everywhere, so that every decision is carried out
	// (the rationing of moves by dwellings is TestRation's).
	for r := range s.Regions {
		s.Regions[r].Dwellings = 10 * float64(s.Regions[r].Households)
	}
	m := &Model{}
	m.tables(s) // as Step will: the tables depend on the state only
	type group struct{ want, vari, got float64 }
	var groups [params.NumPhases][2]group
	key := func(i int32) (int, int) {
		trig := 0
		if p.Flags[i]&population.Triggers != 0 {
			trig = 1
		}
		_, ph := refMoveProb(m, s, i)
		return ph, trig
	}
	// The young by sex and age too: women's schedule differs from men's
	// (BaseHazard), which the phases alone would not catch.
	var young [2][4]group // by sex, then ages 18–21, 22–25, 26–29, 30–34
	band := func(a uint8) int {
		if a < 18 || a > 34 {
			return -1
		}
		return min(int(a-18)/4, 3)
	}
	phase := make([]int8, p.Len())
	for i := int32(0); i < int32(p.Len()); i++ {
		q, ph := refMoveProb(m, s, i)
		phase[i] = int8(ph)
		_, trig := key(i)
		x := &groups[ph][trig]
		x.want += q
		x.vari += q * (1 - q)
		if b := band(p.Age[i]); b >= 0 {
			y := &young[p.Sex[i]&1][b]
			y.want += q
			y.vari += q * (1 - q)
		}
	}
	ageOf, sexOf := slices.Clone(p.Age), slices.Clone(p.Sex)
	trigOf := make([]uint16, p.Len())
	for i := range trigOf {
		trigOf[i] = p.Flags[i] & population.Triggers
	}
	m.Step(s)
	for c := 0; c < s.NumChunks(); c++ {
		for _, dc := range m.chunks[c] {
			trig := 0
			if trigOf[dc.person] != 0 {
				trig = 1
			}
			groups[phase[dc.person]][trig].got++
			if b := band(ageOf[dc.person]); b >= 0 {
				young[sexOf[dc.person]&1][b].got++
			}
		}
	}
	for sx := range young {
		for b, x := range young[sx] {
			sd := math.Sqrt(x.vari)
			t.Logf("sex %d, ages %d–%d: %.0f decisions, expected %.1f ± %.1f", sx, 18+4*b, map[bool]int{true: 34, false: 21 + 4*b}[b == 3], x.got, x.want, sd)
			if math.Abs(x.got-x.want) > 5*sd+1 {
				t.Errorf("sex %d, ages %d–%d: %.0f decisions, expected %.1f ± %.1f", sx, 18+4*b, map[bool]int{true: 34, false: 21 + 4*b}[b == 3], x.got, x.want, sd)
			}
		}
	}
	for ph := range groups {
		for trig, x := range groups[ph] {
			if x.want == 0 && x.got == 0 {
				continue
			}
			sd := math.Sqrt(x.vari)
			t.Logf("phase %d, trigger %d: %.0f decisions, expected %.1f ± %.1f", ph, trig, x.got, x.want, sd)
			if math.Abs(x.got-x.want) > 5*sd+1 {
				t.Errorf("phase %d, trigger %d: %.0f decisions, expected %.1f ± %.1f", ph, trig, x.got, x.want, sd)
			}
		}
	}
}

// TestHomeStay checks home_stay_factor: of the decisions of those born in
// Norway who live where they grew up, those beyond the commute are carried
// out with its probability (none at 0, about half at 0.5, against 1), and
// those within the commute as without it, as are a graduate's and everyone
// else's. The hold is drawn from a hash of person and year, so the other
// decisions are the same ones whatever the factor (common random numbers).
func TestHomeStay(t *testing.T) {
	type counts struct{ within, beyond, graduates, others float64 }
	run := func(hs float64) (c counts, kept map[int32]int32) {
		s := newState(t, "norway-2024", 0.05, 8)
		s.P.HomeStay = hs
		p := &s.Persons
		g := rng.New(3, 3)
		for i := int32(0); i < int32(p.Len()); i++ {
			if p.Live(i) && p.Flags[i]&population.Head != 0 && g.Float64() < 0.1 {
				p.ShareTrigger(i, population.Graduated)
			}
		}
		origin := slices.Clone(p.Region)
		native := make([]bool, p.Len())
		grad := make([]bool, p.Len())
		for i := range native {
			native[i] = p.Home[i] == p.Region[i] && p.Flags[i]&population.Immigrant == 0
			grad[i] = p.Flags[i]&population.Graduated != 0
		}
		s.BeginTick()
		for r := range s.Regions { // dwellings to spare: no rationing
			s.Regions[r].Dwellings = 10 * float64(s.Regions[r].Households)
		}
		m := &Model{}
		m.Step(s)
		kept = map[int32]int32{}
		for k := 0; k < s.NumChunks(); k++ {
			for _, dc := range m.chunks[k] {
				kept[dc.person] = dc.dest
				beyond := s.TravelMinutes(int(origin[dc.person]), int(dc.dest)) > float32(s.P.CommuteMinutes)
				switch {
				case !native[dc.person]:
					c.others++
				case grad[dc.person] && beyond:
					c.graduates++
				case beyond:
					c.beyond++
				default:
					c.within++
				}
			}
		}
		return c, kept
	}
	free, freeKept := run(1)
	half, halfKept := run(0.5)
	held, _ := run(0)
	t.Logf("decisions (natives within the commute, beyond it, graduates beyond it; others): 1: %v, 0.5: %v, 0: %v", free, half, held)
	if free.beyond < 300 || free.within < 300 || free.graduates < 30 {
		t.Fatalf("too few decisions to test: %v", free)
	}
	if held.beyond != 0 {
		t.Errorf("home_stay_factor 0: %.0f natives moved beyond the commute, want none", held.beyond)
	}
	// Binomial thinning of free.beyond at 0.5, within 5 standard deviations.
	if sd := math.Sqrt(free.beyond * 0.25); math.Abs(half.beyond-free.beyond/2) > 5*sd {
		t.Errorf("home_stay_factor 0.5: %.0f natives moved beyond the commute, want about %.0f", half.beyond, free.beyond/2)
	}
	for _, c := range []counts{half, held} {
		if c.within != free.within || c.others != free.others || c.graduates != free.graduates {
			t.Errorf("moves within the commute, graduates' or others' held: %v against %v", c, free)
		}
	}
	// The same draws otherwise: every decision kept at 0.5 is one made at 1.
	for i, d := range halfKept {
		if freeKept[i] != d {
			t.Fatalf("person %d: decision %d at 0.5, %d at 1 (want the same)", i, d, freeKept[i])
		}
	}
}

// TestRation checks the housing constraint on moves: into a region go at
// most as many moving households (and young adults leaving home) as it has
// dwellings to find this year (available: the empty ones beyond the normal
// vacancy, plus those last year's leavers freed), drawn by lottery among the
// decisions that name it, the
// fraction of a last dwelling taken with its probability; a region with
// room for all keeps all; the decisions kept keep their order.
func TestRation(t *testing.T) {
	s := newState(t, "teaching", 0.05, 3)
	// Region 0: room for exactly 100 (8 % of 1,250 dwellings, none empty);
	// region 1: room for all; region 2: room for 2.5; region 3: no
	// dwellings at all (a negative stock counts as none).
	s.Regions[0].Dwellings, s.Regions[0].Households = 1250, 1250
	s.Regions[1].Dwellings, s.Regions[1].Households = 1e6, 0
	const turnover = 0.08 // the leavers of last year, as a share of the stock
	s.Regions[2].Dwellings, s.Regions[2].Households = 2.5/(1/s.World.Regions[2].DwellingsPerHH+turnover), 0
	s.Regions[3].Dwellings, s.Regions[3].Households = -5, 0
	for r := 0; r < 4; r++ {
		s.Regions[r].Vacated = turnover * s.Regions[r].Dwellings
	}
	const perChunk = 250
	decide := func(m *Model) {
		m.chunks = make([][]decision, 4)
		id := int32(0)
		for c := range m.chunks {
			for k := 0; k < perChunk; k++ {
				m.chunks[c] = append(m.chunks[c], decision{person: id, dest: 0, alone: k%7 == 0})
				id++
				if k%10 == 0 {
					m.chunks[c] = append(m.chunks[c], decision{person: id, dest: 1}, decision{person: id + 1, dest: 2}, decision{person: id + 2, dest: 3})
					id += 3
				}
			}
		}
	}
	var fromFirstHalf, kept2 []int
	for year := 0; year < 400; year++ {
		s.Year = 2024 + year
		m := &Model{}
		decide(m)
		before := slices.Clone(m.chunks)
		m.ration(s, len(m.chunks))
		var into [4]int
		first := 0
		for c := range m.chunks {
			// Kept in order: a subsequence of the chunk's decisions.
			k := 0
			for _, dc := range m.chunks[c] {
				for k < len(before[c]) && before[c][k].person != dc.person {
					k++
				}
				if k == len(before[c]) {
					t.Fatalf("year %d, chunk %d: decision of %d kept out of order or invented", year, c, dc.person)
				}
				into[dc.dest]++
				if dc.dest == 0 && c < 2 {
					first++
				}
			}
		}
		if into[0] != 100 || into[1] != 4*perChunk/10 || into[2] != 2 && into[2] != 3 || into[3] != 0 {
			t.Fatalf("year %d: kept %v into regions 0–3, want 100, %d, 2 or 3, 0", year, into, 4*perChunk/10)
		}
		fromFirstHalf = append(fromFirstHalf, first)
		kept2 = append(kept2, into[2])
	}
	// Not by slot order: the first half of the slots (chunks 0 and 1) wins
	// about half of region 0's dwellings (hypergeometric: 50 ± 4.7 a year).
	var sum, sum2 float64
	for i := range fromFirstHalf {
		sum += float64(fromFirstHalf[i])
		sum2 += float64(kept2[i])
	}
	if mean := sum / 400; math.Abs(mean-50) > 1.5 {
		t.Errorf("the first half of the slots won %.1f of 100 dwellings a year on average, want 50 (a lottery)", mean)
	}
	// The fraction: 2.5 dwellings give 2 or 3 moves, 2.5 on average (± 0.025).
	if mean := sum2 / 400; math.Abs(mean-2.5) > 0.1 {
		t.Errorf("room for 2.5 kept %.2f moves a year on average, want 2.5", mean)
	}
	// The same state and year give the same lottery.
	s.Year = 2030
	a, b := &Model{}, &Model{}
	decide(a)
	decide(b)
	a.ration(s, 4)
	b.ration(s, 4)
	for c := range a.chunks {
		if !slices.Equal(a.chunks[c], b.chunks[c]) {
			t.Fatalf("chunk %d: two runs of the lottery differ", c)
		}
	}
}

// TestRationStep runs the step with a region that has no dwellings at all:
// nobody moves in, and the moves elsewhere go on.
func TestRationStep(t *testing.T) {
	s := newState(t, "norway-2024", 0.02, 8)
	full := 0 // Oslo, the largest draw of movers
	for r := range s.Regions {
		if s.World.Regions[r].Population > s.World.Regions[full].Population {
			full = r
		}
	}
	s.BeginTick()
	s.Regions[full].Dwellings, s.Regions[full].Vacated = 0, 0
	m := &Model{}
	m.Step(s)
	if err := s.Persons.Check(); err != nil {
		t.Fatal(err)
	}
	var in int64
	for _, a := range s.Ledger.Accounts {
		in += a.InDomestic
	}
	if got := s.Ledger.Accounts[full].InDomestic; got != 0 || in == 0 {
		t.Errorf("%s without dwellings got %d movers in (%d moves in all); want none there", s.World.Regions[full].Name, got, in)
	}
}

// TestRationPoolsCooperation: the members of a municipal cooperation are
// one housing market: movers turned away by a member's dwellings are
// housed in another member with room left, up to that room, never in their
// own region; outside the group nothing changes.
func TestRationPoolsCooperation(t *testing.T) {
	s := newState(t, "teaching", 0.05, 3)
	s.Year = 2030
	for r := range s.Regions {
		s.Regions[r].Cooperation = -1
	}
	// Region 0: room for 100; region 4: room for 50 and nobody choosing it;
	// region 1: room for all, outside the group.
	s.Regions[0].Dwellings, s.Regions[0].Households = 1250, 1250
	s.Regions[4].Dwellings, s.Regions[4].Households = 625, 625
	s.Regions[1].Dwellings, s.Regions[1].Households = 1e6, 0
	for _, r := range []int{0, 1, 4} { // leavers of 8 % of the stock last year
		s.Regions[r].Vacated = 0.08 * s.Regions[r].Dwellings
	}
	perChunk := 300
	decide := func() *Model {
		m := &Model{chunks: make([][]decision, 2)}
		id := int32(0)
		for c := range m.chunks {
			for k := 0; k < perChunk; k++ {
				m.chunks[c] = append(m.chunks[c], decision{person: id, dest: 0}, decision{person: id + 1, dest: 1})
				id += 2
			}
		}
		return m
	}
	count := func(m *Model) (into [5]int) {
		for _, ch := range m.chunks {
			for _, dc := range ch {
				if dc.dest == 4 && s.Persons.Region[dc.person] == 4 { // a redirected move
					t.Fatalf("person %d housed in its own region 4", dc.person)
				}
				into[dc.dest]++
			}
		}
		return into
	}
	alone := decide()
	alone.ration(s, 2)
	if into := count(alone); into[0] != 100 || into[1] != 600 || into[4] != 0 {
		t.Fatalf("without a cooperation: into regions 0, 1, 4: %d, %d, %d; want 100, 600, 0", into[0], into[1], into[4])
	}
	s.Regions[0].Cooperation, s.Regions[4].Cooperation = 0, 0
	pooled := decide()
	pooled.ration(s, 2)
	if into := count(pooled); into[0] != 100 || into[1] != 600 || into[4] != 50 {
		t.Errorf("with 0 and 4 cooperating: into regions 0, 1, 4: %d, %d, %d; want 100, 600 and the 50 rooms of 4", into[0], into[1], into[4])
	}
	// Those region 0 turned away are offered region 4 in the order of
	// their places in its lottery (not of their slots): the 50 housed there
	// are the places 101–150 of those who chose region 0, with 600 of them
	// and with 4,000 (whom the selection of the first 100 leaves in no
	// particular order).
	k := s.Keyed(state.KeyRation)
	inOrder := func(m *Model) {
		t.Helper()
		var applicants []int32
		housed := map[int32]bool{}
		for _, ch := range m.chunks {
			for _, dc := range ch {
				if dc.person%2 == 0 && s.Persons.Region[dc.person] != 4 {
					applicants = append(applicants, dc.person)
				}
				if dc.dest == 4 {
					housed[dc.person] = true
				}
			}
		}
		slices.SortFunc(applicants, func(a, b int32) int { return cmp.Compare(k.U(int(a)), k.U(int(b))) })
		if len(housed) != 50 {
			t.Fatalf("%d housed in region 4, want 50", len(housed))
		}
		for _, a := range applicants[100:150] {
			if !housed[a] {
				t.Errorf("%d applicants: person %d, place %d of the lottery, was not housed in region 4; the places 101–150 should be", len(applicants), a, slices.Index(applicants, a)+1)
				break
			}
		}
	}
	inOrder(pooled)
	perChunk = 2000
	many := decide()
	many.ration(s, 2)
	inOrder(many)
	// poolHousing walks them in the order ration leaves them: by place.
	lots := many.order[many.start[0]:many.start[1]]
	if !slices.IsSortedFunc(lots[100:], func(a, b int32) int { return cmp.Compare(many.place[a], many.place[b]) }) {
		t.Error("the 3,900 region 0 turned away are not in the order of their places")
	}
}

// TestBaseHazard: women's base schedule is men's run young_women_shift
// years ahead, young_women_factor times higher from 18 to 24 and tapering
// linearly to men's level by 30, with no step anywhere.
func TestBaseHazard(t *testing.T) {
	P := params.Default()
	P.YoungWomenShift, P.YoungWomen = 2, 1.6
	for a := 0; a <= world.MaxAge-2; a++ {
		want := BaseHazard(&P, 1, a+2) // men two years older
		switch {
		case a >= 18 && a <= 24:
			want *= 1.6
		case a >= 25 && a < 30:
			want *= 1 + 0.6*float64(30-a)/6
		}
		if got := BaseHazard(&P, 0, a); math.Abs(got-want) > 1e-12*want {
			t.Errorf("women at %d: %v, want %v", a, got, want)
		}
	}
	// Men's is the Rogers–Castro schedule of base_*.
	for _, a := range []int{0, 19, 24, 40, 80} {
		x := float64(a) - P.BaseMu2
		if got, want := BaseHazard(&P, 1, a), P.BaseA2*math.Exp(-P.BaseAlpha2*x-math.Exp(-P.BaseLambda2*x))+P.BaseC; got != want {
			t.Errorf("men at %d: %v, want %v", a, got, want)
		}
	}
	// No step: from one year of age to the next the women's schedule
	// changes by less than a quarter (the old factor of 18–26 ended with
	// a fall of a third at 27). The factor starts at 18, when young adults
	// start to decide for themselves; under 18 the hazard applies to no
	// one (children move with their household).
	P = params.Default()
	for a := 15; a < 60; a++ {
		h0, h1 := BaseHazard(&P, 0, a), BaseHazard(&P, 0, a+1)
		if a != 17 && math.Abs(h1-h0) > 0.25*h0 {
			t.Errorf("women's schedule steps from %d to %d: %.4f → %.4f", a, a+1, h0, h1)
		}
	}
}

// TestSelectLowest: the lottery's selection leaves the k lowest places
// (ties by index) first, for every k, as a sort would, on lists with ties
// and without.
func TestSelectLowest(t *testing.T) {
	g := rng.New(3, 9)
	for trial := range 400 {
		n := 1 + g.IntN(60)
		place := make([]float64, 3*n)
		lots := make([]int32, n)
		for i := range lots {
			lots[i] = int32(3*i + g.IntN(3))
			place[lots[i]] = g.Float64()
			if trial%3 == 0 {
				place[lots[i]] = float64(g.IntN(4)) // many ties
			}
		}
		want := slices.Clone(lots)
		slices.SortFunc(want, func(a, b int32) int {
			return cmp.Or(cmp.Compare(place[a], place[b]), cmp.Compare(a, b))
		})
		for k := 0; k <= n; k++ {
			got := slices.Clone(lots)
			selectLowest(got, k, place)
			first := slices.Clone(got[:k])
			slices.Sort(first)
			w := slices.Clone(want[:k])
			slices.Sort(w)
			if !slices.Equal(first, w) {
				t.Fatalf("n %d, k %d: the first k are %v, want %v", n, k, first, w)
			}
		}
	}
}

// TestSmallTaste checks the taste class: about small_taste_share of the
// persons have it (within 5 standard deviations), a person keeps it from
// year to year (the year and the age advance together), no one has it at
// share 0, and everyone at share 1.
func TestSmallTaste(t *testing.T) {
	s := newState(t, "teaching", 0.2, 3)
	p := &s.Persons
	s.P.SmallTasteShare = 0.3
	var live, small int
	had := make([]bool, p.Len())
	for i := range p.Len() {
		if p.Live(int32(i)) {
			live++
			had[i] = SmallTaste(s, int32(i))
			if had[i] {
				small++
			}
		}
	}
	sd := math.Sqrt(float64(live) * 0.3 * 0.7)
	if math.Abs(float64(small)-0.3*float64(live)) > 5*sd {
		t.Errorf("%d of %d persons have the taste, want about %.0f ± %.0f", small, live, 0.3*float64(live), sd)
	}
	s.Year++
	for i := range p.Len() {
		if p.Live(int32(i)) && p.Age[i] < world.MaxAge {
			p.Age[i]++
			if SmallTaste(s, int32(i)) != had[i] {
				t.Fatalf("slot %d changed its taste in a year", i)
			}
		}
	}
	for _, share := range []float64{0, 1} {
		s.P.SmallTasteShare = share
		for i := range p.Len() {
			if p.Live(int32(i)) && SmallTaste(s, int32(i)) != (share == 1) {
				t.Fatalf("share %g: slot %d has the taste %v", share, i, !(share == 1))
			}
		}
	}
}

// TestSmallTasteTable checks the destination weights of the taste for
// small places against those of the remote table, which share everything
// else (no labour market either): from every origin and in every adult
// phase, the ratio of a destination's weight in the two is
// exp((small_taste_size − util_size)·ln(1 + residents) + small_taste_nature ·
// nature), up to one factor per row.
func TestSmallTasteTable(t *testing.T) {
	s := newState(t, "teaching", 0.1, 3)
	s.P.SmallTasteShare, s.P.SmallTasteSize, s.P.SmallTasteNature = 0.2, -1.2, 0.8
	var m Model
	m.tables(s)
	n := s.N()
	for ph := params.Student; ph <= params.Senior; ph++ {
		for o := 0; o < n; o++ {
			row := func(c []float64, d int) float64 {
				x := c[(ph*n+o)*n+d]
				if d > 0 {
					x -= c[(ph*n+o)*n+d-1]
				}
				return x
			}
			var k0 float64
			for d := 0; d < n; d++ {
				if d == o {
					if row(m.tcdf, d) != 0 {
						t.Fatalf("phase %d, origin %d: the origin has weight", ph, o)
					}
					continue
				}
				res := float64(s.Regions[d].Residents) / s.Scale
				want := math.Exp((s.P.SmallTasteSize-s.P.UtilSize[ph])*math.Log(1+res) + s.P.SmallTasteNature*s.World.Regions[d].Amenities.Nature)
				k := row(m.tcdf, d) / row(m.rcdf, d) / want
				if k0 == 0 {
					k0 = k
				}
				if math.Abs(k/k0-1) > 1e-6 { // differences of cumulative sums
					t.Fatalf("phase %d, origin %d, destination %d: ratio %g against %g", ph, o, d, k, k0)
				}
			}
		}
	}
	// Without the class no table is built.
	s.P.SmallTasteShare = 0
	var m0 Model
	m0.tables(s)
	if m0.tcdf != nil {
		t.Error("taste tables built at share 0")
	}
}

// TestStepUsesTasteTable: with everyone of the taste for small places, the
// step's destinations follow small_taste_size: the same state and draws
// (same seed) send movers to smaller places with a size weight of −3 than
// with +1 (the mean log population of the destinations, residents on the
// real scale, at least 1.5 lower), and no one "moves" to the region they
// live in.
func TestStepUsesTasteTable(t *testing.T) {
	meanLogSize := func(size float64) (float64, int) {
		s := newState(t, "norway-2024", 0.05, 8)
		s.P.SmallTasteShare, s.P.SmallTasteSize = 1, size
		p := &s.Persons
		from := make([]uint16, p.Len())
		copy(from, p.Region)
		s.BeginTick()
		var m Model
		m.Step(s)
		var sum float64
		var k int
		for c := 0; c < s.NumChunks(); c++ {
			for _, dc := range m.chunks[c] {
				if int(dc.dest) == int(from[dc.person]) {
					t.Fatalf("size %g: person %d moves to the region they live in, %d", size, dc.person, dc.dest)
				}
				sum += math.Log(1 + float64(s.Regions[dc.dest].Residents)/s.Scale)
				k++
			}
		}
		return sum / float64(max(k, 1)), k
	}
	small, ns := meanLogSize(-3)
	large, nl := meanLogSize(1)
	t.Logf("mean log residents of the destinations: %.2f with size −3 (%d moves), %.2f with +1 (%d)", small, ns, large, nl)
	if ns < 500 || nl < 500 {
		t.Fatalf("%d and %d decisions: too few to test", ns, nl)
	}
	if small > large-1.5 {
		t.Errorf("mean log residents of the destinations %.2f with size −3 and %.2f with +1: want at least 1.5 lower", small, large)
	}
}
