package labour_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/labour"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

func newSim(t *testing.T, name string, scale float64, seed uint64) *engine.Sim {
	t.Helper()
	w, err := world.Load(name, "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: seed, Scale: scale, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// checkJobs checks the invariants that tie persons to jobs: Filled equals
// the employed counted by work region and skill; exactly the employed and
// students have a work (or study) region; an employed person works within
// the accepted commute of home unless the job is remote-capable, and in a
// job their education allows (labour.Compatibility).
func checkJobs(t *testing.T, s *state.State, when string) {
	t.Helper()
	p := &s.Persons
	n := s.N()
	filled := make([][world.NumSkills]int32, n)
	for i := 0; i < p.Len(); i++ {
		if !p.Live(int32(i)) {
			continue
		}
		act := p.Act[i]
		if (act == population.Employed || act == population.Student) != (p.Work[i] != population.NoRegion) {
			t.Fatalf("%s: person %d with activity %d has work region %d", when, i, act, p.Work[i])
		}
		if act != population.Employed {
			continue
		}
		filled[p.Work[i]][p.JobSkill[i]]++
		if p.Flags[i]&population.Remote == 0 && p.Work[i] != p.Region[i] &&
			s.TravelMinutes(int(p.Region[i]), int(p.Work[i])) > float32(s.P.CommuteMinutes) {
			t.Fatalf("%s: person %d lives in %d and works in %d, %.0f minutes away, without a remote-capable job",
				when, i, p.Region[i], p.Work[i], s.TravelMinutes(int(p.Region[i]), int(p.Work[i])))
		}
		if labour.Compatibility[state.Skill(p.Edu[i])][p.JobSkill[i]] == 0 {
			t.Fatalf("%s: person %d with education %d holds a job of skill %d", when, i, p.Edu[i], p.JobSkill[i])
		}
	}
	for r := 0; r < n; r++ {
		if filled[r] != s.Regions[r].Filled {
			t.Fatalf("%s: region %d: Filled %v, employed persons %v", when, r, s.Regions[r].Filled, filled[r])
		}
	}
}

// TestJobsConsistentOverTicks runs Norway at scale 0.02 for four years and
// checks the job invariants after synthesis and after every tick (deaths,
// study entry, moves and emigration all free jobs).
func TestJobsConsistentOverTicks(t *testing.T) {
	sim := newSim(t, "norway-2024", 0.02, 2)
	checkJobs(t, sim.State(), "start")
	for y := 0; y < 4; y++ {
		rec := sim.Step()
		checkJobs(t, sim.State(), fmt.Sprint(rec.Year))
	}
}

// TestMatchingFillsOnlyVacancies runs the labour step once and checks that
// hiring never fills more jobs than exist: where anyone was hired into a
// region and skill level, the jobs held there are at most the jobs there.
// It also checks that the newly employed work within reach of home.
func TestMatchingFillsOnlyVacancies(t *testing.T) {
	sim := newSim(t, "norway-2024", 0.05, 3)
	s := sim.State()
	p := &s.Persons
	var m labour.Model
	m.Init(s)
	type job struct {
		act   uint8
		work  uint16
		skill uint8
	}
	b := make([]job, p.Len())
	for i := range b {
		b[i] = job{p.Act[i], p.Work[i], p.JobSkill[i]}
	}
	s.BeginTick()
	m.Step(s)
	checkJobs(t, s, "after the step")
	n := s.N()
	hires := make([][world.NumSkills]int, n)
	total := 0
	for i := range b {
		if !p.Live(int32(i)) || p.Act[i] != population.Employed {
			continue
		}
		if b[i].act == population.Employed && b[i].work == p.Work[i] && b[i].skill == p.JobSkill[i] {
			continue // the same job (or an identical one found again)
		}
		hires[p.Work[i]][p.JobSkill[i]]++
		total++
		reach := false
		for _, q := range s.Reach[p.Region[i]] {
			reach = reach || q == int32(p.Work[i])
		}
		if !reach {
			t.Fatalf("person %d in %d hired in %d, beyond the commute", i, p.Region[i], p.Work[i])
		}
	}
	t.Logf("%d hires among %d persons", total, s.Residents)
	if total == 0 {
		t.Fatal("nobody was hired")
	}
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			rs := &s.Regions[r]
			if rs.Jobs[k] < 0 {
				t.Errorf("region %d, skill %d: %.1f jobs", r, k, rs.Jobs[k])
			}
			if hires[r][k] > 0 && float64(rs.Filled[k]) > rs.Jobs[k] {
				t.Errorf("region %d, skill %d: %d hired, leaving %d jobs held of %.2f", r, k, hires[r][k], rs.Filled[k], rs.Jobs[k])
			}
		}
	}
}

// retirementHazard is the documented yearly retirement probability at an
// age: logistic around the retirement age with scale 1.5 years, from 55,
// certain from 75.
func retirementHazard(age int, ra float64) float64 {
	return labour.RetirementHazard(ra)[age]
}

// retirements runs the labour step on the teaching world at scale 1 and
// returns, by age, those who could retire (of working age, not students)
// and those who did.
func retirements(t *testing.T) (exposed, retired [world.MaxAge + 1]float64, ra float64) {
	sim := newSim(t, "teaching", 1, 4)
	s := sim.State()
	p := &s.Persons
	var m labour.Model
	m.Init(s)
	b := make([]uint8, p.Len())
	copy(b, p.Act)
	s.BeginTick()
	m.Step(s)
	for i := range b {
		switch b[i] {
		case population.Child, population.Student, population.Retired:
			continue
		}
		if !p.Live(int32(i)) {
			continue
		}
		exposed[p.Age[i]]++
		if p.Act[i] == population.Retired {
			retired[p.Age[i]]++
		}
	}
	return exposed, retired, s.P.RetirementAge
}

// TestRetirementHazard compares the share retiring at each age 55–80 with
// the documented hazard, within 4.5 standard deviations.
func TestRetirementHazard(t *testing.T) {
	exposed, retired, ra := retirements(t)
	for a := 55; a <= 80; a++ {
		if exposed[a] == 0 {
			continue
		}
		h := retirementHazard(a, ra)
		e := exposed[a] * h
		sd := math.Sqrt(exposed[a] * h * (1 - h))
		if math.Abs(retired[a]-e) > 4.5*sd+1 {
			t.Errorf("age %d: %.0f of %.0f retired, expected %.1f ± %.1f", a, retired[a], exposed[a], e, sd)
		}
	}
	for a := 18; a < 55; a++ {
		if retired[a] > 0 {
			t.Errorf("age %d: %.0f retired before 55", a, retired[a])
		}
	}
}

// TestMeanRetirementAge checks the documented meaning of retirement_age,
// "mean age of retirement": the mean age at retirement of a cohort exposed
// from 55 to the measured hazards (mortality aside) must be within half a
// year of it.
func TestMeanRetirementAge(t *testing.T) {
	exposed, retired, ra := retirements(t)
	surv, mean := 1.0, 0.0
	for a := 55; a <= world.MaxAge; a++ {
		h := 1.0
		if a < 75 && exposed[a] > 0 {
			h = retired[a] / exposed[a]
		}
		mean += float64(a) * surv * h
		surv *= 1 - h
	}
	t.Logf("mean retirement age %.2f (retirement_age %.1f)", mean, ra)
	if math.Abs(mean-ra) > 0.5 {
		t.Errorf("mean retirement age %.2f, retirement_age %.1f", mean, ra)
	}
}
