package intervention_test

import (
	"fmt"
	"gonum.org/v1/gonum/stat"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// These tests run the teaching world (14 regions, about 400,000 persons at
// scale 1, some 25 ms a year) for a few years with one intervention and
// against a baseline with the same seed (common random numbers: Apply draws
// no random numbers, so the runs differ only through the mechanism). They
// check that each mechanism sets its levers and a first effect in the
// expected direction; the replicated effect sizes are issue 4's tests.

var teaching = sync.OnceValues(func() (*world.World, error) { return world.Load("teaching", "") })

func load(t testing.TB) *world.World {
	t.Helper()
	w, err := teaching()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

const start = 2024 // the teaching world's start year

// specs parses [[intervention]] entries (TOML) as a teaching scenario and
// resolves them against w.
func specs(t testing.TB, w *world.World, body string) []intervention.Spec {
	t.Helper()
	text := "[scenario]\nname = \"test\"\nworld = \"teaching\"\nyears = 20\n\n" + body
	sc, err := scenario.Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Resolve(w); err != nil {
		t.Fatal(err)
	}
	return sc.Config(w).Interventions
}

func newSim(t testing.TB, w *world.World, seed uint64, sp []intervention.Spec) *engine.Sim {
	t.Helper()
	sim, err := engine.New(w, engine.Config{Seed: seed, Scale: 1, Behaviour: params.Default(), Interventions: sp})
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// pair runs a baseline and a scenario with the same seed for years, calling
// each(year index, baseline, scenario) after every step.
func pair(t testing.TB, w *world.World, body string, years int, each func(y int, base, scen *engine.Sim, rb, rs *record.Year)) {
	t.Helper()
	pairSeed(t, w, 7, body, years, each)
}

// pairSeed is pair with a chosen seed (common random numbers: the baseline
// and the scenario share it).
func pairSeed(t testing.TB, w *world.World, seed uint64, body string, years int, each func(y int, base, scen *engine.Sim, rb, rs *record.Year)) {
	t.Helper()
	sp := specs(t, w, body)
	base, scen := newSim(t, w, seed, nil), newSim(t, w, seed, sp)
	for y := 0; y < years; y++ {
		rb, rs := base.Step(), scen.Step()
		if each != nil {
			each(y, base, scen, rb, rs)
		}
	}
}

func region(t testing.TB, w *world.World, name string) int {
	t.Helper()
	for i := range w.Regions {
		if w.Regions[i].Name == name {
			return i
		}
	}
	t.Fatalf("no region %s", name)
	return -1
}

// count counts the living persons for which keep is true.
func count(sim *engine.Sim, keep func(p *population.Persons, i int) bool) int {
	p := &sim.State().Persons
	c := 0
	for i := 0; i < p.Len(); i++ {
		if p.Flags[i]&population.Alive != 0 && keep(p, i) {
			c++
		}
	}
	return c
}

// bare returns a state with the world's levers and no persons, for testing
// Apply on its own.
func bare(w *world.World, scale float64) *state.State {
	s := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, w.N()),
		Minutes: slices.Clone(w.Minutes), Year: start, Scale: scale}
	for r := range s.Regions {
		s.Regions[r].Broadband = w.Regions[r].Amenities.Broadband
		s.Regions[r].StudyPlaces = float64(w.Regions[r].StudyPlaces) * scale
		s.Regions[r].Cooperation = -1
	}
	s.RebuildReach()
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// --- region_enlargement -----------------------------------------------------

func TestRegionEnlargementLevers(t *testing.T) {
	w := load(t)
	sj, ho, st := region(t, w, "Sjøvik"), region(t, w, "Holmøy"), region(t, w, "Storhavn")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "region_enlargement"
name = "Holmøy bridge"
regions = ["Sjøvik", "Holmøy"]
from_year = %d
to_year = %d
phase_in_years = 2
travel_time_factor = 0.2
`, start+1, start+3))
	s := bare(w, 1)
	old := float64(w.TravelMinutes(sj, ho)) // 75: the ferry
	want := []float64{old, old * (1 - 0.5*0.8), old * 0.2, old * 0.2, old}
	for y, m := range want {
		s.Year = start + y
		intervention.Apply(s, sp)
		for _, pr := range [][2]int{{sj, ho}, {ho, sj}} {
			if got := float64(s.TravelMinutes(pr[0], pr[1])); math.Abs(got-m) > 1e-4 {
				t.Errorf("%d: minutes %d→%d = %g, want %g", s.Year, pr[0], pr[1], got, m)
			}
		}
		// Nothing else changes: the diagonal and other pairs keep the world's times.
		for _, pr := range [][2]int{{sj, sj}, {ho, ho}, {st, ho}, {ho, st}} {
			if s.TravelMinutes(pr[0], pr[1]) != w.TravelMinutes(pr[0], pr[1]) {
				t.Errorf("%d: minutes %d→%d changed", s.Year, pr[0], pr[1])
			}
		}
		// Holmøy is within the 60-minute commute of Sjøvik once 75·0.6 = 45.
		if in := slices.Contains(s.Reach[sj], int32(ho)); in != (m <= s.P.CommuteMinutes) {
			t.Errorf("%d: Holmøy in Sjøvik's reach = %v at %g minutes", s.Year, in, m)
		}
	}
	if !slices.Equal(s.Minutes, w.Minutes) {
		t.Error("travel times not reset after to_year")
	}

	// minutes_saved never leaves less than MinMinutes.
	sp = specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "region_enlargement"
regions = ["Sjøvik", "Holmøy", "Storhavn"]
from_year = %d
minutes_saved = 1000
`, start))
	s = bare(w, 1)
	intervention.Apply(s, sp)
	for _, i := range []int{sj, ho, st} {
		for _, j := range []int{sj, ho, st} {
			want := float64(intervention.MinMinutes)
			if i == j {
				want = float64(w.TravelMinutes(i, j))
			}
			if got := s.TravelMinutes(i, j); float64(got) != want {
				t.Errorf("minutes %d→%d = %g, want %g", i, j, got, want)
			}
		}
	}

	// minutes sets the time of a new link: longer trips become it (half
	// of the way there in the first of two phase-in years), shorter ones
	// keep theirs.
	const link = 80
	longer, shorter := 0, 0
	for _, i := range []int{sj, ho, st} {
		for _, j := range []int{sj, ho, st} {
			if m := w.TravelMinutes(i, j); i != j && m > link {
				longer++
			} else if i != j {
				shorter++
			}
		}
	}
	if longer == 0 || shorter == 0 {
		t.Fatalf("the test needs trips both longer and shorter than %d minutes: %d longer, %d shorter", link, longer, shorter)
	}
	sp = specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "region_enlargement"
regions = ["Sjøvik", "Holmøy", "Storhavn"]
from_year = %d
phase_in_years = 2
minutes = %d
`, start, link))
	for y, strength := range []float64{0.5, 1} {
		s = bare(w, 1)
		s.Year = start + y
		intervention.Apply(s, sp)
		for _, i := range []int{sj, ho, st} {
			for _, j := range []int{sj, ho, st} {
				old := float64(w.TravelMinutes(i, j))
				want := old
				if i != j && old > link {
					want = old - strength*(old-link)
				}
				if got := float64(s.TravelMinutes(i, j)); math.Abs(got-want) > 1e-3 {
					t.Errorf("%d: minutes %d→%d = %g, want %g (before %g)", s.Year, i, j, got, want, old)
				}
			}
		}
	}
}

// A bridge to the ferry island brings Holmøy within commuting reach of
// Sjøvik: commuters between the pair appear (none commute over the ferry).
func TestRegionEnlargementCommuters(t *testing.T) {
	w := load(t)
	sj, ho := region(t, w, "Sjøvik"), region(t, w, "Holmøy")
	commuters := func(sim *engine.Sim) int {
		return count(sim, func(p *population.Persons, i int) bool {
			return p.Act[i] == population.Employed && p.Flags[i]&population.Remote == 0 &&
				((int(p.Region[i]) == ho && int(p.Work[i]) == sj) || (int(p.Region[i]) == sj && int(p.Work[i]) == ho))
		})
	}
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "region_enlargement"
name = "Holmøy bridge"
regions = ["Sjøvik", "Holmøy"]
from_year = %d
minutes_saved = 45
`, start), 3, func(y int, base, scen *engine.Sim, _, _ *record.Year) {
		if got := scen.State().TravelMinutes(sj, ho); got != w.TravelMinutes(sj, ho)-45 {
			t.Errorf("Sjøvik–Holmøy %g minutes, want %g", got, w.TravelMinutes(sj, ho)-45)
		}
		if y == 2 {
			b, s := commuters(base), commuters(scen)
			t.Logf("non-remote commuters Sjøvik–Holmøy after 3 years: baseline %d, bridge %d", b, s)
			if b != 0 || s < 50 {
				t.Errorf("commuters Sjøvik–Holmøy: baseline %d (want 0), bridge %d (want at least 50)", b, s)
			}
		}
	})
}

// --- campus -----------------------------------------------------------------

func TestCampusLevers(t *testing.T) {
	w := load(t)
	el, bg := region(t, w, "Elvestad"), region(t, w, "Bergåsen")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "campus"
regions = ["Elvestad"]
from_year = %d
to_year = %d
phase_in_years = 3
students = 3000

[[intervention]]
kind = "campus"
name = "Bergåsen closure"
regions = ["Bergåsen"]
from_year = %d
students = -100000
`, start, start+3, start+1))
	s := bare(w, 0.5)
	want := []float64{500, 1000, 1500, 1500, 0, 0} // sampled: × 0.5
	for y, m := range want {
		s.Year = start + y
		intervention.Apply(s, sp)
		if got := s.Regions[el].StudyPlaces; !near(got, m) {
			t.Errorf("%d: Elvestad study places %g, want %g", s.Year, got, m)
		}
		closed := 0.0
		if y == 0 {
			closed = float64(w.Regions[bg].StudyPlaces) * 0.5
		}
		if got := s.Regions[bg].StudyPlaces; got != closed {
			t.Errorf("%d: Bergåsen study places %g, want %g", s.Year, got, closed)
		}
	}
}

// A campus of 3,000 places in Elvestad (none today) draws students and adds
// residents aged 19–25 to the town; closing Bergåsen's campus removes its
// new students.
func TestCampusEffect(t *testing.T) {
	w := load(t)
	el, bg := region(t, w, "Elvestad"), region(t, w, "Bergåsen")
	studentsAt := func(sim *engine.Sim, r int) int {
		return count(sim, func(p *population.Persons, i int) bool {
			return p.Act[i] == population.Student && int(p.Work[i]) == r
		})
	}
	young := func(sim *engine.Sim, r int) int {
		return count(sim, func(p *population.Persons, i int) bool {
			return int(p.Region[i]) == r && p.Age[i] >= 19 && p.Age[i] <= 25
		})
	}
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "campus"
regions = ["Elvestad"]
from_year = %d
students = 3000

[[intervention]]
kind = "campus"
regions = ["Bergåsen"]
from_year = %d
students = -2200
`, start, start), 4, func(y int, base, scen *engine.Sim, _, _ *record.Year) {
		if y != 3 {
			return
		}
		sb, ss := studentsAt(base, el), studentsAt(scen, el)
		yb, ys := young(base, el), young(scen, el)
		bb, bs := studentsAt(base, bg), studentsAt(scen, bg)
		t.Logf("after 4 years: students at Elvestad %d → %d; residents 19–25 in Elvestad %d → %d; students at Bergåsen %d → %d", sb, ss, yb, ys, bb, bs)
		if sb != 0 || ss < 500 {
			t.Errorf("students at Elvestad: baseline %d (want 0), campus %d (want at least 500)", sb, ss)
		}
		if ys-yb < 500 {
			t.Errorf("residents 19–25 in Elvestad: baseline %d, campus %d: want at least 500 more", yb, ys)
		}
		if bs > bb/3 {
			t.Errorf("students at Bergåsen after closure %d, baseline %d: want at most a third", bs, bb)
		}
	})
}

// --- housing ----------------------------------------------------------------

func TestHousingLevers(t *testing.T) {
	w := load(t)
	el, sk := region(t, w, "Elvestad"), region(t, w, "Skogli")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "housing"
regions = ["Elvestad", "Skogli"]
from_year = %d
to_year = %d
dwellings_per_year = 200
years = 2
for = "young"
price_subsidy = 0.2

[[intervention]]
kind = "housing"
regions = ["Skogli"]
from_year = %d
phase_in_years = 2
dwellings_per_year = 100
price_subsidy = 0.5
`, start, start+3, start))
	s := bare(w, 0.5)
	for y, c := range []struct {
		young, all, subEl, subSk, allSk float64
	}{
		{100, 25, 0.2, 1 - 0.8*0.75, 0.25},
		{100, 50, 0.2, 1 - 0.8*0.5, 0.5},
		{0, 50, 0.2, 1 - 0.8*0.5, 0.5},
		{0, 50, 0.2, 1 - 0.8*0.5, 0.5},
		{0, 50, 0, 0.5, 0.5},
	} {
		s.Year = start + y
		intervention.Apply(s, sp)
		if hb := s.Regions[el].HousingBoost; !near(hb[0], c.young) || hb[1] != 0 || hb[2] != 0 {
			t.Errorf("%d: Elvestad HousingBoost %v, want young %g", s.Year, hb, c.young)
		}
		if hb := s.Regions[sk].HousingBoost; !near(hb[0], c.young) || hb[1] != 0 || !near(hb[2], c.all) {
			t.Errorf("%d: Skogli HousingBoost %v, want young %g, all %g", s.Year, hb, c.young, c.all)
		}
		// Starter-home subsidies are for the young only; the Skogli
		// programme for all adds to theirs.
		el, sk := &s.Regions[el].Subsidy, &s.Regions[sk].Subsidy
		if !near(el[params.Student], c.subEl) || !near(el[params.EarlyCareer], c.subEl) || el[params.Family] != 0 || el[params.Senior] != 0 {
			t.Errorf("%d: Elvestad subsidies by phase %v, want %g for the young only", s.Year, *el, c.subEl)
		}
		if !near(sk[params.EarlyCareer], c.subSk) || !near(sk[params.Family], c.allSk) || !near(sk[params.Senior], c.allSk) {
			t.Errorf("%d: Skogli subsidies by phase %v, want young %g, others %g", s.Year, *sk, c.subSk, c.allSk)
		}
	}
}

// Several subsidies combine as 1 − (1 − a)(1 − b), capped at MaxSubsidy.
func TestSubsidyCap(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "housing"
regions = ["Skogli"]
from_year = %d
dwellings_per_year = 0
price_subsidy = 0.7

[[intervention]]
kind = "housing"
name = "second programme"
regions = ["Skogli"]
from_year = %d
dwellings_per_year = 0
price_subsidy = 0.7
`, start, start))
	s := bare(w, 1)
	intervention.Apply(s, sp)
	if got := s.Regions[sk].Subsidy[params.Family]; got != intervention.MaxSubsidy {
		t.Errorf("two subsidies of 0.7: %g, want the cap %g", got, intervention.MaxSubsidy)
	}
}

// A housing programme adds its dwellings to the stock (and nothing after
// `years`); with a price subsidy for all, the town draws more movers.
func TestHousingEffect(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	var extra []float64
	var inBase, inScen int64
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "housing"
regions = ["Skogli"]
from_year = %d
dwellings_per_year = 150
years = 2
price_subsidy = 0.3
`, start), 4, func(y int, base, scen *engine.Sim, rb, rs *record.Year) {
		extra = append(extra, scen.State().Regions[sk].Dwellings-base.State().Regions[sk].Dwellings)
		inBase += rb.Regions[sk].InDomestic
		inScen += rs.Regions[sk].InDomestic
	})
	t.Logf("extra dwellings in Skogli by year: %.0f; moves into Skogli in 4 years: baseline %d, housing %d", extra, inBase, inScen)
	// The first year adds exactly the 150 dwellings (construction responds
	// to last year's demand, which is the same); later years build less
	// where the stock is larger, and depreciate a little.
	if math.Abs(extra[0]-150) > 1e-6 {
		t.Errorf("extra dwellings after year 1: %g, want 150", extra[0])
	}
	if extra[1] < 250 || extra[1] > 310 || extra[3] > extra[1]+5 {
		t.Errorf("extra dwellings %v: want about 300 after two years and no more building after", extra)
	}
	if float64(inScen) < 1.1*float64(inBase) {
		t.Errorf("moves into Skogli: baseline %d, housing %d: want at least 10 %% more", inBase, inScen)
	}
}

// --- business_development ---------------------------------------------------

func TestBusinessDevelopmentRamp(t *testing.T) {
	w := load(t)
	nm := region(t, w, "Nordmo")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "business_development"
regions = ["Nordmo"]
from_year = %d
jobs = 600
skill_level = "high"
years = 2
phase_in_years = 3
`, start))
	s := bare(w, 0.5)
	// Cumulative shares min(1, t/2)·min(1, t/3): 1/6, 2/3, 1.
	want := []float64{300.0 / 6, 300 * 2.0 / 3, 300, 300, 300}
	for y, m := range want {
		s.Year = start + y
		intervention.Apply(s, sp)
		if got := s.Regions[nm].Jobs[world.SkillHigh]; !near(got, m) {
			t.Errorf("%d: Nordmo high-skill jobs %g, want %g", s.Year, got, m)
		}
		if s.Regions[nm].Jobs[world.SkillLow] != 0 {
			t.Errorf("%d: low-skill jobs changed", s.Year)
		}
	}
	// Jobs stop at zero.
	sp = specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "business_development"
regions = ["Nordmo"]
from_year = %d
jobs = -600
skill_level = "low"
`, start))
	s = bare(w, 1)
	s.Regions[nm].Jobs[world.SkillLow] = 100
	intervention.Apply(s, sp)
	if got := s.Regions[nm].Jobs[world.SkillLow]; got != 0 {
		t.Errorf("jobs after a loss larger than the stock: %g, want 0", got)
	}
}

// 600 high-skill jobs over three years in Nordmo: its jobs rise by about
// that many and more people work there; a plant closure in Bergåsen cuts
// the jobs and employment there.
func TestBusinessDevelopmentEffect(t *testing.T) {
	w := load(t)
	nm, bg := region(t, w, "Nordmo"), region(t, w, "Bergåsen")
	workers := func(sim *engine.Sim, r int) int {
		return count(sim, func(p *population.Persons, i int) bool {
			return p.Act[i] == population.Employed && int(p.Work[i]) == r
		})
	}
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "business_development"
name = "State agency"
regions = ["Nordmo"]
from_year = %d
jobs = 600
skill_level = "high"
years = 3

[[intervention]]
kind = "business_development"
name = "Plant closure"
regions = ["Bergåsen"]
from_year = %d
jobs = -1500
skill_level = "medium"
`, start, start), 3, func(y int, base, scen *engine.Sim, rb, rs *record.Year) {
		dj := scen.State().Regions[nm].Jobs[world.SkillHigh] - base.State().Regions[nm].Jobs[world.SkillHigh]
		want := 200 * float64(y+1)
		if y == 0 && math.Abs(dj-want) > 0.1*want {
			t.Errorf("year 1: Nordmo high-skill jobs +%.0f, want about %g", dj, want)
		}
		if y < 2 {
			return
		}
		wb, ws := workers(base, nm), workers(scen, nm)
		cb, cs := workers(base, bg), workers(scen, bg)
		t.Logf("after 3 years: Nordmo high-skill jobs +%.0f, workers there %d → %d; Bergåsen workers %d → %d", dj, wb, ws, cb, cs)
		if dj < 0.8*want || dj > 1.2*want {
			t.Errorf("Nordmo high-skill jobs +%.0f, want about %g", dj, want)
		}
		if ws-wb < 50 {
			t.Errorf("workers in Nordmo: baseline %d, scenario %d: want at least 50 more", wb, ws)
		}
		if cb-cs < 1000 {
			t.Errorf("workers in Bergåsen: baseline %d, closure %d: want at least 1000 fewer", cb, cs)
		}
	})
}

// --- remote_work and broadband ----------------------------------------------

func TestRemoteWorkAndBroadbandLevers(t *testing.T) {
	w := load(t)
	sk, st := region(t, w, "Skogli"), region(t, w, "Storhavn")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "remote_work"
from_year = %d
phase_in_years = 2
share = 0.2
skill_levels = ["high", "medium"]
requires_broadband = true

[[intervention]]
kind = "remote_work"
regions = ["Skogli"]
from_year = %d
share = 0.95
skill_levels = ["high"]

[[intervention]]
kind = "broadband"
regions = ["Skogli"]
from_year = %d
phase_in_years = 2
coverage = 0.99

[[intervention]]
kind = "broadband"
from_year = %d
coverage = 0.5
`, start, start, start, start))
	s := bare(w, 1)
	base := s.P.RemoteShareHigh
	b0 := w.Regions[sk].Amenities.Broadband
	for y, c := range []struct{ share, bb float64 }{{0.1, b0 + 0.5*(0.99-b0)}, {0.2, 0.99}} {
		s.Year = start + y
		intervention.Apply(s, sp)
		if rs := s.Regions[st].RemoteShare; !near(rs[world.SkillHigh], c.share) || !near(rs[world.SkillMedium], c.share) || rs[world.SkillLow] != 0 {
			t.Errorf("%d: Storhavn RemoteShare %v, want %g for medium and high", s.Year, rs, c.share)
		}
		// Never more than all jobs: the base share plus the lever is at most 1.
		if rs := s.Regions[sk].RemoteShare; !near(rs[world.SkillHigh], 1-base) {
			t.Errorf("%d: Skogli high-skill RemoteShare %g, want %g", s.Year, rs[world.SkillHigh], 1-base)
		}
		if got := s.Regions[sk].Broadband; !near(got, c.bb) {
			t.Errorf("%d: Skogli broadband %g, want %g", s.Year, got, c.bb)
		}
		// A coverage below the current one changes nothing.
		if got := s.Regions[st].Broadband; got != w.Regions[st].Amenities.Broadband {
			t.Errorf("%d: Storhavn broadband %g, want the world's %g", s.Year, got, w.Regions[st].Amenities.Broadband)
		}
	}
}

// Half of all jobs remote-capable nationally multiplies the remote workers;
// with full broadband in the periphery on top, more of those living there
// work remotely than with remote work alone.
func TestRemoteWorkEffect(t *testing.T) {
	w := load(t)
	rural := []int{}
	for r := range w.Regions {
		if w.Regions[r].Centrality >= 5 {
			rural = append(rural, r)
		}
	}
	remote := func(sim *engine.Sim, only []int) int {
		return count(sim, func(p *population.Persons, i int) bool {
			return p.Act[i] == population.Employed && p.Flags[i]&population.Remote != 0 &&
				(only == nil || slices.Contains(only, int(p.Region[i])))
		})
	}
	rw := fmt.Sprintf(`
[[intervention]]
kind = "remote_work"
from_year = %d
share = 0.5
`, start)
	bb := fmt.Sprintf(`
[[intervention]]
kind = "broadband"
centrality = [5, 6]
from_year = %d
coverage = 1
`, start)
	// Summed over three seeds: with one, the difference of the arms in the
	// periphery (some 100 of 1,500 workers) is sometimes lost in the noise.
	var base, rwOnly, both, rwRural, bothRural int
	for seed := uint64(1); seed <= 3; seed++ {
		sims := []*engine.Sim{newSim(t, w, seed, nil), newSim(t, w, seed, specs(t, w, rw)), newSim(t, w, seed, specs(t, w, rw+bb))}
		for y := 0; y < 3; y++ {
			for _, s := range sims {
				s.Step()
			}
		}
		base, rwOnly, both = base+remote(sims[0], nil), rwOnly+remote(sims[1], nil), both+remote(sims[2], nil)
		rwRural, bothRural = rwRural+remote(sims[1], rural), bothRural+remote(sims[2], rural)
	}
	t.Logf("remote workers after 3 years, seeds 1–3: baseline %d, remote_work %d, with rural broadband %d; living in classes 5–6: %d → %d", base, rwOnly, both, rwRural, bothRural)
	if rwOnly < 2*base {
		t.Errorf("remote workers: baseline %d, remote_work %d: want at least twice as many", base, rwOnly)
	}
	// The chance of a remote job scales with the coverage where the worker
	// lives, so full coverage adds up to 1/coverage − 1 (15 % for the
	// teaching world's classes 5–6) to the workers matched since; the
	// remote workers of the start dilute it. Want at least 2 % more here;
	// the replicated size is effect_test.go's broadband case.
	if float64(bothRural) < 1.02*float64(rwRural) {
		t.Errorf("remote workers in classes 5–6: remote_work %d, with broadband %d: want at least 2 %% more", rwRural, bothRural)
	}
}

// Broadband coverage is an amenity too: with coverage raised in the
// periphery, more movers choose it. The default weights (util_broadband,
// 0.009–0.036) make that a fraction of a per cent, lost in the noise of a
// small world, so the channel is tested with a weight of 3. (Without a
// build-out the term is zero: the golden files are the baseline's.)
func TestBroadbandAmenity(t *testing.T) {
	w := load(t)
	var rural []int
	for r := range w.Regions {
		if w.Regions[r].Centrality >= 5 && w.Regions[r].Amenities.Broadband < 0.95 {
			rural = append(rural, r)
		}
	}
	if len(rural) == 0 {
		t.Fatal("no region of classes 5–6 with coverage below 0.95 in the teaching world")
	}
	P := params.Default()
	for ph := range P.UtilBroadband {
		if ph != params.Child {
			P.UtilBroadband[ph] = 3
		}
	}
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "broadband"
centrality = [5, 6]
from_year = %d
coverage = 1
`, start))
	var in [2]int64
	for seed := uint64(1); seed <= 3; seed++ {
		var sims [2]*engine.Sim
		for a, arm := range [][]intervention.Spec{nil, sp} {
			sim, err := engine.New(w, engine.Config{Seed: seed, Scale: 1, Behaviour: P, Interventions: arm})
			if err != nil {
				t.Fatal(err)
			}
			sims[a] = sim
		}
		for y := 0; y < 3; y++ {
			for a, sim := range sims {
				rec := sim.Step()
				for _, r := range rural {
					in[a] += rec.Regions[r].InDomestic
				}
			}
		}
	}
	t.Logf("in-moves into %d rural regions in 3 years, seeds 1–3, util_broadband 3: baseline %d, full coverage %d", len(rural), in[0], in[1])
	if float64(in[1]) < 1.05*float64(in[0]) {
		t.Errorf("in-moves into the rural regions: baseline %d, full broadband %d: want at least 5 %% more with util_broadband 3", in[0], in[1])
	}
}

// --- amenities, reputation, recruitment, youth, integration -----------------

func TestAmenityLevers(t *testing.T) {
	w := load(t)
	sk, st := region(t, w, "Skogli"), region(t, w, "Storhavn")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "place_development"
regions = ["Skogli", "Storhavn"]
from_year = %d
phase_in_years = 2
boost = 0.4

[[intervention]]
kind = "childcare_services"
regions = ["Skogli"]
from_year = %d
boost = -0.1

[[intervention]]
kind = "reputation"
regions = ["Skogli"]
from_year = %d
boost = 0.6

[[intervention]]
kind = "recruitment"
regions = ["Skogli"]
from_year = %d
visibility = 0.5

[[intervention]]
kind = "recruitment"
regions = ["Skogli"]
from_year = %d
visibility = 0.5

[[intervention]]
kind = "youth"
regions = ["Skogli"]
from_year = %d
attachment_boost = 0.7

[[intervention]]
kind = "immigration"
from_year = %d
to_year = %d
integration = 0.4
`, start, start, start, start, start, start, start, start+1))
	s := bare(w, 1)
	a := w.Regions[sk].Amenities
	intervention.Apply(s, sp)
	rs := s.Regions[sk]
	if !near(rs.AmenityBoost.Centre, 0.2) || !near(rs.AmenityBoost.Culture, 0.2) || !near(rs.AmenityBoost.Nature, math.Min(1, a.Nature+0.2)-a.Nature) {
		t.Errorf("Skogli place boost %+v, want 0.2 to centre, culture, nature (within 0–1)", rs.AmenityBoost)
	}
	if !near(rs.AmenityBoost.Services, math.Max(0, a.Services-0.1)-a.Services) || rs.AmenityBoost.Broadband != 0 {
		t.Errorf("Skogli services boost %g, want −0.1", rs.AmenityBoost.Services)
	}
	if !near(rs.Reputation, 0.6*intervention.ReputationUtility) || !near(rs.Visibility, 0.75) || !near(rs.AttachBoost, 0.7) || !near(rs.Retention, 0.4) {
		t.Errorf("Skogli reputation %g, visibility %g, attachment %g, retention %g", rs.Reputation, rs.Visibility, rs.AttachBoost, rs.Retention)
	}
	// Storhavn's centre is the best (1): the boost keeps it at 1.
	if c := w.Regions[st].Amenities.Centre + s.Regions[st].AmenityBoost.Centre; c > 1+1e-12 {
		t.Errorf("Storhavn centre %g above 1", c)
	}
	s.Year = start + 1
	intervention.Apply(s, sp)
	if !near(s.Regions[sk].AmenityBoost.Centre, 0.4) || s.Regions[st].Retention != 0.4 {
		t.Errorf("year 2: centre boost %g, Storhavn retention %g", s.Regions[sk].AmenityBoost.Centre, s.Regions[st].Retention)
	}
	s.Year = start + 2
	intervention.Apply(s, sp)
	if s.Regions[st].Retention != 0 || s.Regions[sk].Retention != 0 {
		t.Error("retention not reset after to_year")
	}
}

// Place development, better services and a better reputation each draw more
// movers to Skogli than the baseline does: over eight seeds (common random
// numbers), the mean relative increase of moves into Skogli in three years
// is at least 5 % and more than three standard errors above zero.
func TestAmenityEffects(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	for _, c := range []struct{ kind, boost string }{
		{"place_development", "1"},
		{"childcare_services", "1"},
		{"reputation", "1"},
	} {
		var rel []float64
		for seed := uint64(1); seed <= 8; seed++ {
			var in [2]int64
			pairSeed(t, w, seed, fmt.Sprintf(`
[[intervention]]
kind = %q
regions = ["Skogli"]
from_year = %d
boost = %s
`, c.kind, start, c.boost), 3, func(_ int, _, _ *engine.Sim, rb, rs *record.Year) {
				in[0] += rb.Regions[sk].InDomestic
				in[1] += rs.Regions[sk].InDomestic
			})
			rel = append(rel, float64(in[1])/float64(in[0])-1)
		}
		mean, sd := stat.MeanStdDev(rel, nil)
		se := sd / math.Sqrt(float64(len(rel)))
		t.Logf("%s: moves into Skogli in 3 years, relative to the baseline by seed %.3f: mean %+.1f %% (se %.1f %%)", c.kind, rel, 100*mean, 100*se)
		if mean < 0.05 || mean < 3*se {
			t.Errorf("%s: moves into Skogli rose by %+.1f %% (se %.1f %%) over 8 seeds: want at least 5 %% and 3 standard errors", c.kind, 100*mean, 100*se)
		}
	}
}

// Recruitment in the less central regions (classes 4–6) makes their jobs
// visible to seekers living elsewhere within reach: more of the jobs go to
// in-commuters, and no fewer people work there or fewer vacancies stay
// open. (Locals see their own jobs as before, so the newcomers partly take
// jobs locals would have had: the net gain in workers is small.) Summed
// over four seeds (common random numbers in each pair); the replicated
// size is effect_test.go's recruitment case.
func TestRecruitmentEffect(t *testing.T) {
	w := load(t)
	var tg []int
	for r := range w.Regions {
		if w.Regions[r].Centrality >= 4 {
			tg = append(tg, r)
		}
	}
	var vac, inc [2]int64
	var work [2]int
	for seed := uint64(1); seed <= 4; seed++ {
		pairSeed(t, w, seed, fmt.Sprintf(`
[[intervention]]
kind = "recruitment"
centrality = [4, 5, 6]
from_year = %d
visibility = 1
`, start), 3, func(y int, base, scen *engine.Sim, rb, rs *record.Year) {
			for _, r := range tg {
				vac[0] += rb.Regions[r].Vacancies
				vac[1] += rs.Regions[r].Vacancies
				inc[0] += rb.Regions[r].InCommuters
				inc[1] += rs.Regions[r].InCommuters
			}
			if y == 2 {
				for k, sim := range []*engine.Sim{base, scen} {
					work[k] += count(sim, func(p *population.Persons, i int) bool {
						return p.Act[i] == population.Employed && slices.Contains(tg, int(p.Work[i]))
					})
				}
			}
		})
	}
	t.Logf("classes 4–6 over 4 seeds: vacancies summed over 3 years: baseline %d, recruitment %d; in-commuters %d → %d; workers after 3 years %d → %d", vac[0], vac[1], inc[0], inc[1], work[0], work[1])
	if float64(inc[1]) < 1.05*float64(inc[0]) || vac[1] > vac[0] || work[1] < work[0] {
		t.Errorf("classes 4–6: in-commuters %d → %d (want at least 5 %% more), vacancies %d → %d (want no more), workers %d → %d (want no fewer)",
			inc[0], inc[1], vac[0], vac[1], work[0], work[1])
	}
}

// A youth programme in the valley brings more of those who grew up there
// back: more return moves into the target regions.
func TestYouthEffect(t *testing.T) {
	w := load(t)
	valley := []int{region(t, w, "Skogli"), region(t, w, "Dalheim"), region(t, w, "Fjellstue"), region(t, w, "Øvre Dal")}
	var ret, out [2]int64
	returns := func(r *record.Year) (c int64) {
		for _, f := range r.Flows {
			if f.Motive == record.MotiveReturn && slices.Contains(valley, int(f.Destination)) {
				c += f.Moves
			}
		}
		return c
	}
	// Four seeds pooled: one seed's 60-odd return moves into four small
	// regions are mostly noise.
	for seed := uint64(7); seed < 11; seed++ {
		pairSeed(t, w, seed, fmt.Sprintf(`
[[intervention]]
kind = "youth"
regions = ["Skogli", "Dalheim", "Fjellstue", "Øvre Dal"]
from_year = %d
attachment_boost = 2
`, start), 5, func(_ int, _, _ *engine.Sim, rb, rs *record.Year) {
			ret[0] += returns(rb)
			ret[1] += returns(rs)
			for _, v := range valley {
				out[0] += rb.Regions[v].OutDomestic
				out[1] += rs.Regions[v].OutDomestic
			}
		})
	}
	t.Logf("return moves into the valley in 5 years, 4 seeds: baseline %d, youth %d; out-moves %d, %d", ret[0], ret[1], out[0], out[1])
	if float64(ret[1]) < 1.3*float64(ret[0]) {
		t.Errorf("return moves: baseline %d, youth %d: want at least 30 %% more", ret[0], ret[1])
	}
	// Those still living where they grew up leave less: their propensity
	// is multiplied by exp(−opportunity_weight × 2) (0.70 at the fitted
	// 0.18), and most of the valley's residents grew up there; a third of
	// that cut, as when the bound was 15 % at opportunity_weight 0.3.
	cut := (1 - math.Exp(-2*params.Default().OpportunityW)) / 3
	if float64(out[1]) > (1-cut)*float64(out[0]) {
		t.Errorf("out-moves from the valley: baseline %d, youth %d: want at least %.0f %% fewer", out[0], out[1], 100*cut)
	}
}

// An integration programme everywhere cuts emigration.
func TestIntegrationEffect(t *testing.T) {
	w := load(t)
	var emig [2]int64
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "immigration"
from_year = %d
integration = 0.8
`, start), 3, func(_ int, _, _ *engine.Sim, rb, rs *record.Year) {
		for r := range rb.Regions {
			emig[0] += rb.Regions[r].Emigrants
			emig[1] += rs.Regions[r].Emigrants
		}
	})
	t.Logf("emigrants in 3 years: baseline %d, integration %d", emig[0], emig[1])
	if float64(emig[1]) > 0.9*float64(emig[0]) {
		t.Errorf("emigrants: baseline %d, integration %d: want at least 10 %% fewer", emig[0], emig[1])
	}
}

// --- refusals ---------------------------------------------------------------

// Every kind and every parameter value the catalogue accepts is simulated:
// Check passes them (values beyond what the engine simulates, such as a
// price_subsidy above 0.9, are outside the catalogue's ranges and refused
// when the scenario is parsed, see TestValidateErrors).
func TestEveryParameterSimulated(t *testing.T) {
	w := load(t)
	for _, body := range []string{
		"kind = \"immigration\"\nworkers_per_year = 0\nintegration = 0.3",
		"kind = \"remote_work\"\nshare = 0.2\noffice_days_per_week = 0\nrequires_broadband = true",
		"kind = \"recruitment\"\nregions = [\"Nordmo\"]\nvisibility = 0.3\nrelocation_grant = 0",
		"kind = \"part_time_residents\"\nregions = [\"Skogli\"]\nsecond_homes = 100",
		"kind = \"municipal_cooperation\"\nregions = [\"Skogli\", \"Dalheim\"]",
		"kind = \"immigration\"\nworkers_per_year = 200\nrefugees_per_year = 50\nintegration = 0.3",
		"kind = \"remote_work\"\nshare = 0.2\noffice_days_per_week = 2\nrequires_broadband = false",
		"kind = \"recruitment\"\nregions = [\"Nordmo\"]\nrelocation_grant = 100000",
	} {
		sp := specs(t, w, fmt.Sprintf("\n[[intervention]]\nfrom_year = %d\n%s\n", start, body))
		if err := intervention.Check(sp[0], w); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// Every kind of the catalogue either has a mechanism or says why not.
func TestEveryKindAccountedFor(t *testing.T) {
	w := load(t)
	for _, kind := range intervention.KindNames() {
		if intervention.Available(kind) {
			continue
		}
		err := intervention.Check(intervention.Spec{Kind: kind, Name: kind, File: "f.toml", Line: 3}, w)
		if err == nil || !strings.Contains(err.Error(), "needs engine support") {
			t.Errorf("%s: no mechanism and no reason: %v", kind, err)
		}
	}
}

// --- Apply ------------------------------------------------------------------

// Apply is idempotent within a year and leaves every lever neutral when no
// intervention is in force, before from_year and after to_year.
func TestApplyResets(t *testing.T) {
	w := load(t)
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "region_enlargement"
regions = ["Sjøvik", "Holmøy"]
from_year = %d
to_year = %d
travel_time_factor = 0.5

[[intervention]]
kind = "campus"
regions = ["Elvestad"]
from_year = %d
to_year = %d
students = 500

[[intervention]]
kind = "remote_work"
from_year = %d
to_year = %d
share = 0.3

[[intervention]]
kind = "broadband"
from_year = %d
to_year = %d
coverage = 1

[[intervention]]
kind = "housing"
regions = ["Elvestad"]
from_year = %d
to_year = %d
dwellings_per_year = 10
price_subsidy = 0.1

[[intervention]]
kind = "reputation"
regions = ["Elvestad"]
from_year = %d
to_year = %d
boost = 0.3
`, start+1, start+2, start+1, start+2, start+1, start+2, start+1, start+2, start+1, start+2, start+1, start+2))
	neutral := bare(w, 1)
	s := bare(w, 1)
	for y := 0; y < 5; y++ {
		s.Year = start + y
		intervention.Apply(s, sp)
		first := slices.Clone(s.Regions)
		minutes := slices.Clone(s.Minutes)
		intervention.Apply(s, sp)
		if !slices.Equal(first, s.Regions) || !slices.Equal(minutes, s.Minutes) {
			t.Errorf("%d: a second Apply changed the state", s.Year)
		}
		inForce := y == 1 || y == 2
		if same := slices.Equal(s.Regions, neutral.Regions) && slices.Equal(s.Minutes, neutral.Minutes); same == inForce {
			t.Errorf("%d: levers neutral = %v, want %v", s.Year, same, !inForce)
		}
		reach := slices.EqualFunc(s.Reach, neutral.Reach, func(a, b []int32) bool { return slices.Equal(a, b) })
		if reach == inForce {
			t.Errorf("%d: reach as the world's = %v", s.Year, reach)
		}
	}
}

// The scenarios shipped in scenarios/ that use these kinds run, and their
// interventions change the levers in their years.
func TestShippedScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("loads norway-2024")
	}
	for _, c := range []struct {
		file  string
		years int
		check func(t *testing.T, s *state.State)
	}{
		{"../../scenarios/inland-campus.toml", 3, func(t *testing.T, s *state.State) {
			el, err := s.World.Lookup("Elverum")
			if err != nil {
				t.Fatal(err)
			}
			want := (float64(s.World.Regions[el].StudyPlaces) + 1500.0/3) * s.Scale
			if !near(s.Regions[el].StudyPlaces, want) {
				t.Errorf("Elverum study places %g, want %g", s.Regions[el].StudyPlaces, want)
			}
			if !near(s.Regions[el].HousingBoost[0], 40*s.Scale) {
				t.Errorf("Elverum starter homes %g, want %g", s.Regions[el].HousingBoost[0], 40*s.Scale)
			}
		}},
		{"../../scenarios/rogfast.toml", 10, func(t *testing.T, s *state.State) {
			st, err1 := s.World.Lookup("Stavanger")
			hg, err2 := s.World.Lookup("Haugesund")
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if got, want := s.TravelMinutes(st, hg), float32(float64(s.World.TravelMinutes(st, hg))*0.6); math.Abs(float64(got-want)) > 1e-3 {
				t.Errorf("Stavanger–Haugesund %g minutes in %d, want %g", got, s.Year, want)
			}
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(c.file)
			if err != nil {
				t.Fatal(err)
			}
			w, err := sc.LoadWorld()
			if err != nil {
				t.Fatal(err)
			}
			cfg := sc.Config(w)
			cfg.Scale = 0.01
			sim, err := engine.New(w, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < c.years; y++ {
				sim.Step()
			}
			// The levers stay as the last step's Apply set them.
			c.check(t, sim.State())
		})
	}
}

// Every TOML example in docs/interventions.md is a valid entry for
// norway-2024 that the engine can simulate.
func TestDocExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("loads norway-2024")
	}
	data, err := os.ReadFile("../../docs/interventions.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```toml\n")[1:]
	if len(blocks) < 12 {
		t.Fatalf("%d examples, want one per available kind", len(blocks))
	}
	kinds := map[string]bool{}
	for _, b := range blocks {
		body, _, _ := strings.Cut(b, "```")
		text := "[scenario]\nname = \"doc\"\nworld = \"norway-2024\"\nyears = 30\n\n" + body
		sc, err := scenario.Parse("interventions.md", []byte(text))
		if err != nil {
			t.Errorf("%s\n%v", body, err)
			continue
		}
		w, err := sc.LoadWorld()
		if err != nil {
			t.Errorf("%s\n%v", body, err)
			continue
		}
		for _, sp := range sc.Interventions {
			kinds[sp.Kind] = true
			if err := intervention.Check(sp, w); err != nil {
				t.Errorf("%s\n%v", body, err)
			}
		}
	}
	for _, k := range intervention.KindNames() {
		if intervention.Available(k) && !kinds[k] {
			t.Errorf("docs/interventions.md has no example of %s", k)
		}
	}
}

// --- part_time_residents ----------------------------------------------------

func TestPartTimeLevers(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "part_time_residents"
regions = ["Skogli"]
from_year = %d
to_year = %d
phase_in_years = 3
second_homes = 300
days_per_year = 100
conversion_rate = 0.06
`, start, start+3))
	s := bare(w, 0.5)
	for y, c := range []struct{ add, days, conv float64 }{
		{50, 40 + 60.0/3, 0.02},
		{50, 40 + 2*60.0/3, 0.04},
		{50, 100, 0.06},
		{0, 100, 0.06},
		{0, 0, 0}, // after to_year: no flow, the default stay, no conversion
	} {
		s.Year = start + y
		intervention.Apply(s, sp)
		rs := &s.Regions[sk]
		if !near(rs.SecondHomeAdd, c.add) || !near(rs.StayDays, c.days) || !near(rs.Conversion, c.conv) {
			t.Errorf("%d: second homes %g, stay %g, conversion %g; want %g, %g, %g", s.Year, rs.SecondHomeAdd, rs.StayDays, rs.Conversion, c.add, c.days, c.conv)
		}
	}
}

// Second homes go to households elsewhere, whose adults become part-time
// residents; conversion moves some of them in, and the longer stays add
// local-service jobs.
func TestPartTimeEffect(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	var pt, jobs [2]int64
	var conv [2]int64
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "part_time_residents"
regions = ["Skogli"]
from_year = %d
second_homes = 1000
days_per_year = 120
conversion_rate = 0.05
`, start), 3, func(y int, _, _ *engine.Sim, rb, rs *record.Year) {
		if y == 0 {
			pt = [2]int64{rb.Regions[sk].PartTimeResidents, rs.Regions[sk].PartTimeResidents}
		}
		jobs = [2]int64{rb.Regions[sk].Jobs, rs.Regions[sk].Jobs}
		for i, r := range []*record.Year{rb, rs} {
			for _, f := range r.Flows {
				if int(f.Destination) == sk && f.Motive == record.MotiveAmenity {
					conv[i] += f.Moves
				}
			}
		}
	})
	t.Logf("Skogli: part-time residents after a year %d → %d; amenity moves in 3 years %d → %d; jobs %d → %d", pt[0], pt[1], conv[0], conv[1], jobs[0], jobs[1])
	// 1,000 households with 1–2 adults each, less a year's conversions.
	if d := pt[1] - pt[0]; d < 1000 || d > 2200 {
		t.Errorf("part-time residents gained %d, want 1,000–2,200 (1,000 second homes)", d)
	}
	if conv[1] < conv[0]+100 {
		t.Errorf("amenity moves into Skogli: baseline %d, scenario %d: want at least 100 more from conversions", conv[0], conv[1])
	}
	if jobs[1] <= jobs[0] {
		t.Errorf("jobs in Skogli: baseline %d, scenario %d: want more (local demand of part-time residents)", jobs[0], jobs[1])
	}
}

// --- immigration inflows ----------------------------------------------------

// Labour immigrants arrive on top of the national inflow, in the target
// region, and take vacant jobs there; refugees are spread by residents.
func TestImmigrationInflow(t *testing.T) {
	const partnerShare, childShare = 0.3, 0.5 // sim/international
	w := load(t)
	nm, vb := region(t, w, "Nordmo"), region(t, w, "Vestbygd")
	var imm [2][3]int64
	var emp [2]int64
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "immigration"
regions = ["Nordmo"]
from_year = %d
workers_per_year = 400

[[intervention]]
kind = "immigration"
name = "refugees"
regions = ["Nordmo", "Vestbygd"]
from_year = %d
refugees_per_year = 300
`, start, start), 1, func(_ int, base, scen *engine.Sim, rb, rs *record.Year) {
		for i, r := range []*record.Year{rb, rs} {
			imm[i] = [3]int64{r.Regions[nm].Immigrants, r.Regions[vb].Immigrants, 0}
			for _, reg := range r.Regions {
				imm[i][2] += reg.Immigrants
			}
		}
		emp = [2]int64{rb.Regions[nm].Employed, rs.Regions[nm].Employed}
	})
	// Same seed: the national inflow is the same in the first year, so the
	// difference is exactly the programme's arrivals: 300 refugees, and 400
	// workers with the partners (30 % of those aged 25–45) and children
	// (0.5 × 1.5 a couple) who come with them, about 1.37 persons a worker.
	// (Each region's arrivals are rounded on their own.)
	families := 1 + partnerShare*21.0/30*(1+childShare*1.5)
	if d := imm[1][2] - imm[0][2]; math.Abs(float64(d)-(300+400*families)) > 60 {
		t.Errorf("immigrants nationally: %d more, want about %.0f", d, 300+400*families)
	}
	share := float64(w.Regions[nm].Population) / float64(w.Regions[nm].Population+w.Regions[vb].Population)
	dn, dv := imm[1][0]-imm[0][0], imm[1][1]-imm[0][1]
	t.Logf("extra immigrants: Nordmo %d, Vestbygd %d; employed in Nordmo %d → %d", dn, dv, emp[0], emp[1])
	if want := 400*families + 300*share; math.Abs(float64(dn)-want) > 60 {
		t.Errorf("Nordmo: %d extra immigrants, want about %.0f", dn, want)
	}
	// workers_per_year counts the workers: each arrives with a job, a
	// vacant one while any is vacant. Those vacancies are then missing
	// for the year's other newcomers seeking work (movers, immigrants, the
	// workers' partners and the refugees, matched after arriving), so
	// employment rises by a little less than 400: 348 (deterministic, one
	// seed). Measured against the mistakes this guards: 292 workers (the
	// families counted in the 400) gave 270; the partners employed on
	// arrival too, 411.
	if d := emp[1] - emp[0]; d < 320 || d > 385 {
		t.Errorf("employed in Nordmo: %d → %d: want the 400 recruited workers in jobs, less the vacancies they take from other newcomers (320–385)", emp[0], emp[1])
	}
}

// The programme's arrivals and their families are flagged
// population.Programme, and the census counts those of them who arrived
// under ten years ago (the population that national emigration and
// immigration leave out, sim/international): over eleven years, so that
// the first arrivals pass ten; the national inflow and the baseline flag
// no one.
func TestProgrammeArrivalsCounted(t *testing.T) {
	w := load(t)
	pair(t, w, fmt.Sprintf(`
[[intervention]]
kind = "immigration"
regions = ["Nordmo"]
from_year = %d
workers_per_year = 400
refugees_per_year = 100
`, start), 11, func(y int, base, scen *engine.Sim, _, _ *record.Year) {
		for k, sim := range []*engine.Sim{base, scen} {
			flagged := count(sim, func(p *population.Persons, i int) bool {
				return p.Flags[i]&population.Programme != 0
			})
			recent := count(sim, func(p *population.Persons, i int) bool {
				return p.Flags[i]&population.Programme != 0 && p.Flags[i]&population.Immigrant != 0 && p.Years[i] < 10
			})
			var census int64
			for _, x := range sim.State().ProgrammeByAge {
				census += x
			}
			if census != int64(recent) {
				t.Errorf("year %d, sim %d: the census counts %d recent programme arrivals, the persons %d", y, k, census, recent)
			}
			switch {
			case k == 0 && flagged != 0:
				t.Errorf("year %d: the baseline flags %d persons as programme arrivals", y, flagged)
			case k == 1 && flagged < 500*(y+1)/2:
				t.Errorf("year %d: %d programme arrivals living, want most of the %d who came", y, flagged, 500*(y+1))
			case k == 1 && y == 10 && int64(flagged) == census:
				t.Errorf("year %d: all %d programme arrivals counted as recent; the first have been here ten years", y, flagged)
			}
		}
	})
}

// --- remote_work: hybrid and without broadband ------------------------------

func TestHybridCommute(t *testing.T) {
	for _, c := range []struct{ days, want float64 }{{5, 60}, {2, 150}, {1, 240}, {0.5, 240}, {4, 75}} {
		if got := state.HybridCommute(60, c.days); !near(got, c.want) {
			t.Errorf("HybridCommute(60, %g) = %g, want %g", c.days, got, c.want)
		}
	}
}

func TestRemoteWorkHybridLevers(t *testing.T) {
	w := load(t)
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "remote_work"
from_year = %d
share = 0.2
skill_levels = ["high"]
office_days_per_week = 2

[[intervention]]
kind = "remote_work"
name = "anywhere"
from_year = %d
share = 0.2
skill_levels = ["high", "medium"]
requires_broadband = false
`, start, start))
	s := bare(w, 1)
	intervention.Apply(s, sp)
	rs := &s.Regions[0]
	// The office days are the hybrid programme's own: the jobs remote at
	// the start and those of the programme without office days are fully
	// remote and do not dilute them.
	if rs.OfficeDays != 2 {
		t.Errorf("office days %g, want 2", rs.OfficeDays)
	}
	if rs.RemoteShare[world.SkillHigh] != 0.2 || rs.RemoteAnywhere[world.SkillHigh] != 0.2 || rs.RemoteAnywhere[world.SkillMedium] != 0.2 || rs.RemoteShare[world.SkillMedium] != 0 {
		t.Errorf("shares with broadband %v, anywhere %v", rs.RemoteShare, rs.RemoteAnywhere)
	}
	if rs.HybridShare[world.SkillHigh] != 0.2 || rs.HybridAnywhere != [world.NumSkills]float64{} || rs.HybridShare[world.SkillMedium] != 0 {
		t.Errorf("hybrid parts with broadband %v, anywhere %v", rs.HybridShare, rs.HybridAnywhere)
	}
}

// A worker hired under a hybrid programme keeps the job within the hybrid
// commute of its office days, one who is fully remote (from the start, or
// under a programme without office days) anywhere, whatever the programmes
// of the job's region; others within the accepted commute.
func TestKeepsJobHybrid(t *testing.T) {
	w := load(t)
	sim := newSim(t, w, 3, specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "remote_work"
from_year = %d
share = 0.3
office_days_per_week = 2
`, start)))
	for range 3 {
		sim.Step()
	}
	s := sim.State()
	p := &s.Persons
	hybrid := s.P.CommuteMinutes * 5 / 2 // HybridCommute(c, 2), below its cap
	var seen [3]int
	for i := range p.Flags {
		f := p.Flags[i]
		if f&population.Alive == 0 || p.Act[i] != population.Employed {
			continue
		}
		job := int(p.Work[i])
		for dest := range s.N() {
			m := float64(s.TravelMinutes(dest, job))
			var want bool
			kind := 0
			switch {
			case m <= s.P.CommuteMinutes:
				want = true
			case f&population.Remote == 0:
				want = false
			case f&population.Hybrid == 0:
				want, kind = true, 1
			default:
				want, kind = m <= hybrid, 2
			}
			if got := s.KeepsJob(int32(i), dest); got != want {
				t.Fatalf("person %d (flags %b) with a job %.0f minutes from region %d: keeps it %v, want %v", i, f, m, dest, got, want)
			}
			if m > s.P.CommuteMinutes {
				seen[kind]++
			}
		}
	}
	if seen[1] == 0 || seen[2] == 0 {
		t.Errorf("cases beyond the commute: local %d, fully remote %d, hybrid %d: the test needs each", seen[0], seen[1], seen[2])
	}

	// Once the programme has ended, its hybrid workers are held to the
	// accepted commute (they kept their job anywhere).
	ended := newSim(t, w, 3, specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "remote_work"
from_year = %d
to_year = %d
share = 0.3
office_days_per_week = 2
`, start, start+1)))
	for range 4 {
		ended.Step()
	}
	s = ended.State()
	p = &s.Persons
	checked := 0
	for i := range p.Flags {
		if p.Flags[i]&(population.Alive|population.Hybrid) != population.Alive|population.Hybrid || p.Act[i] != population.Employed {
			continue
		}
		for dest := range s.N() {
			if m := float64(s.TravelMinutes(dest, int(p.Work[i]))); m > s.P.CommuteMinutes {
				checked++
				if s.KeepsJob(int32(i), dest) {
					t.Fatalf("after the programme: hybrid person %d keeps a job %.0f minutes from region %d", i, m, dest)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no hybrid worker left to check after the programme")
	}
}

// Hybrid workers keep their job only within the hybrid commute: with the
// same share of remote-capable jobs, fewer remote workers live beyond the
// accepted commute of their job than with fully remote work.
func TestHybridEffect(t *testing.T) {
	w := load(t)
	far := func(sim *engine.Sim) int {
		s := sim.State()
		return count(sim, func(p *population.Persons, i int) bool {
			return p.Act[i] == population.Employed && p.Flags[i]&population.Remote != 0 &&
				float64(s.TravelMinutes(int(p.Region[i]), int(p.Work[i]))) > s.P.CommuteMinutes
		})
	}
	body := `
[[intervention]]
kind = "remote_work"
from_year = %d
share = 0.5
office_days_per_week = %d
`
	var n [2]int
	for i, days := range []int{0, 3} {
		sim := newSim(t, w, 7, specs(t, w, fmt.Sprintf(body, start, days)))
		for y := 0; y < 4; y++ {
			sim.Step()
		}
		n[i] = far(sim)
	}
	t.Logf("remote workers living beyond the accepted commute after 4 years: fully remote %d, 3 office days %d", n[0], n[1])
	if n[1] >= n[0] {
		t.Errorf("remote workers beyond the commute: fully remote %d, hybrid %d: want fewer with hybrid work", n[0], n[1])
	}
}

// --- recruitment: relocation grant ------------------------------------------

func TestRelocationGrantLevers(t *testing.T) {
	w := load(t)
	nm := region(t, w, "Nordmo")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "recruitment"
regions = ["Nordmo"]
from_year = %d
relocation_grant = 180000
`, start))
	s := bare(w, 1)
	s.Regions[nm].Price = 0.8
	intervention.Apply(s, sp)
	want := 180000 / (intervention.MeanDwellingPrice * 0.8)
	sub := s.Regions[nm].Subsidy
	for ph := range sub {
		working := ph == params.EarlyCareer || ph == params.Family || ph == params.Established
		if working && !near(sub[ph], want) || !working && sub[ph] != 0 {
			t.Errorf("subsidy for %s %g (working phases want %g, others 0)", params.PhaseNames[ph], sub[ph], want)
		}
	}
}

// --- municipal_cooperation --------------------------------------------------

func TestCooperationLevers(t *testing.T) {
	w := load(t)
	sk, da, fj, ov := region(t, w, "Skogli"), region(t, w, "Dalheim"), region(t, w, "Fjellstue"), region(t, w, "Øvre Dal")
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "municipal_cooperation"
regions = ["Skogli", "Dalheim"]
from_year = %d

[[intervention]]
kind = "municipal_cooperation"
name = "upper valley"
regions = ["Fjellstue", "Øvre Dal"]
from_year = %d
to_year = %d

[[intervention]]
kind = "municipal_cooperation"
name = "joined"
regions = ["Dalheim", "Fjellstue"]
from_year = %d
`, start, start, start+1, start))
	s := bare(w, 1)
	intervention.Apply(s, sp)
	g := s.Regions[sk].Cooperation
	for _, r := range []int{da, fj, ov} {
		if s.Regions[r].Cooperation != g || g < 0 {
			t.Errorf("%s in group %d, Skogli in %d: want one group (the third entry joins the two)", w.Regions[r].Name, s.Regions[r].Cooperation, g)
		}
	}
	for r := range s.Regions {
		if r != sk && r != da && r != fj && r != ov && s.Regions[r].Cooperation != -1 {
			t.Errorf("%s in group %d, want none", w.Regions[r].Name, s.Regions[r].Cooperation)
		}
	}
	s.Year = start + 2 // the upper valley's entry has ended; Fjellstue stays by the third
	intervention.Apply(s, sp)
	if s.Regions[ov].Cooperation != -1 || s.Regions[fj].Cooperation != s.Regions[sk].Cooperation {
		t.Errorf("after the upper valley's to_year: Øvre Dal %d, Fjellstue %d, Skogli %d", s.Regions[ov].Cooperation, s.Regions[fj].Cooperation, s.Regions[sk].Cooperation)
	}
}

// --- housing for a group ----------------------------------------------------

// Starter homes stay reserved for the young while they stand empty, and
// young households that move in take them.
func TestReservedDwellings(t *testing.T) {
	w := load(t)
	sk := region(t, w, "Skogli")
	var young [2]int64
	var reserved []float64
	// Pooled over three seeds: Skogli draws about 160 young movers in four
	// years, so one seed's difference is mostly noise.
	for seed := uint64(1); seed <= 3; seed++ {
		pairSeed(t, w, seed, fmt.Sprintf(`
[[intervention]]
kind = "housing"
regions = ["Skogli"]
from_year = %d
years = 2
dwellings_per_year = 300
for = "young"
`, start), 4, func(_ int, _, scen *engine.Sim, rb, rs *record.Year) {
			if seed == 1 {
				reserved = append(reserved, scen.State().Regions[sk].Reserved[state.ReservedYoung])
			}
			for i, r := range []*record.Year{rb, rs} {
				for _, f := range r.Flows {
					if int(f.Destination) == sk && f.AgeGroup >= 1 && f.AgeGroup <= 2 {
						young[i] += f.Moves
					}
				}
			}
		})
	}
	t.Logf("reserved starter homes in Skogli by year (seed 1) %.0f; moves in aged 18–34 over 3 seeds: baseline %d, scenario %d", reserved, young[0], young[1])
	if reserved[0] <= 0 || reserved[0] > 300 || reserved[3] >= reserved[1] {
		t.Errorf("reserved starter homes %v: want some of the 300 a year, falling once building stops", reserved)
	}
	if young[1] <= young[0] {
		t.Errorf("young moving into Skogli: baseline %d, starter homes %d: want more", young[0], young[1])
	}
}

// The small members of a cooperation with a town share its labour and
// housing market: their net domestic loss shrinks. Paired over eight seeds
// (the effect varies from seed to seed). Until engine 0.14.0 it showed as
// more moves into them (+20 % in three years over these seeds with 0.13.0);
// since the taste for small places fills their dwellings on the market
// every year, more of their residents stay instead (moves out −12 %),
// and the moves in are held where they were (4,456 and 4,455).
func TestCooperationEffect(t *testing.T) {
	w := load(t)
	small := []int{region(t, w, "Skogli"), region(t, w, "Dalheim")}
	var gain []float64
	var in, out [2]int64
	for seed := uint64(1); seed <= 8; seed++ {
		var net [2]int64
		pairSeed(t, w, seed, fmt.Sprintf(`
[[intervention]]
kind = "municipal_cooperation"
regions = ["Elvestad", "Skogli", "Dalheim"]
from_year = %d
`, start), 3, func(_ int, _, _ *engine.Sim, rb, rs *record.Year) {
			for _, r := range small {
				for k, y := range []*record.Year{rb, rs} {
					net[k] += y.Regions[r].InDomestic - y.Regions[r].OutDomestic
					in[k] += y.Regions[r].InDomestic
					out[k] += y.Regions[r].OutDomestic
				}
			}
		})
		gain = append(gain, float64(net[1]-net[0]))
	}
	mean, sd := stat.MeanStdDev(gain, nil)
	se := sd / math.Sqrt(float64(len(gain)))
	t.Logf("Skogli and Dalheim in 3 years over 8 seeds: moves in %d → %d, out %d → %d; net gain by seed %v: mean %+.1f (se %.1f)", in[0], in[1], out[0], out[1], gain, mean, se)
	if base := float64(in[0]-out[0]) / 8; mean < 0.1*math.Abs(base) || mean < 3*se {
		t.Errorf("the small members' net domestic migration rose by %+.1f a seed (se %.1f; baseline %.0f): want at least a tenth of the baseline's loss and 3 standard errors", mean, se, base)
	}
}

// TestImplausible: valid entries that are probably not what was meant get
// a warning naming the entry and what it implies (a policy adviser's
// trial: 1,000 dwellings a year in a region of 442 residents, 5,000 jobs
// removed from one of 221, a phase-in of 10 years for a measure of 2 were
// all accepted without a word); ordinary entries get none.
func TestImplausible(t *testing.T) {
	w := load(t)
	sp := specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "housing"
name = "Flood of homes"
regions = ["Holmøy"]
from_year = %d
dwellings_per_year = 1000

[[intervention]]
kind = "business_development"
regions = ["Holmøy"]
from_year = %d
jobs = -50000
skill_level = "low"

[[intervention]]
kind = "place_development"
regions = ["Skogli"]
from_year = %d
to_year = %d
phase_in_years = 10
boost = 0.2

[[intervention]]
kind = "housing"
regions = ["Storhavn"]
from_year = %d
dwellings_per_year = 100

[[intervention]]
kind = "business_development"
regions = ["Holmøy"]
from_year = %d
jobs = -300
skill_level = "high"

[[intervention]]
kind = "housing"
regions = ["Storhavn"]
from_year = %d
dwellings_per_year = 100
years = 2
phase_in_years = 4
`, start, start, start, start+1, start, start, start))
	got := intervention.Implausible(sp, w)
	want := []string{
		"Flood of homes (housing) (test.toml:7) builds 1,000 dwellings a year in Holmøy",
		"business_development (test.toml:14) removes 50,000 low-skill jobs in Holmøy",
		"place_development (test.toml:21) is phased in over 10 years but in force for 2 (2024–2025): it reaches 20 % of its strength",
		// Holmøy has some 275 high-skill jobs: the warning compares with
		// the level's jobs, not all of them (1,225).
		"business_development (test.toml:35) removes 300 high-skill jobs in Holmøy",
		"housing (test.toml:42) is phased in over 4 years but builds for 2 (years = 2): its last year of building reaches 50 % of dwellings_per_year",
	}
	if len(got) != len(want) {
		t.Fatalf("%d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d: %q, want it to start %q", i, got[i], want[i])
		}
	}
	// Many regions: one line with the largest few (a class of 108 gave
	// 117 lines).
	got = intervention.Implausible(specs(t, w, fmt.Sprintf(`
[[intervention]]
kind = "housing"
centrality = [3, 4, 5, 6]
from_year = %d
dwellings_per_year = 5000
`, start)), w)
	if len(got) != 1 || !strings.Contains(got[0], "builds 5,000 dwellings a year in each target, more than a tenth of the dwellings there each year in") || !strings.Contains(got[0], "more") {
		t.Errorf("many regions: %d warnings %q, want one naming the largest few", len(got), got)
	}
	// minutes_saved beyond the trips: every trip cut to MinMinutes, said.
	for _, c := range []struct {
		saved int
		warn  bool
	}{{500, true}, {5, false}} {
		got = intervention.Implausible(specs(t, w, fmt.Sprintf("[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"Storhavn\", \"Holmøy\"]\nfrom_year = %d\nminutes_saved = %d\n", start, c.saved)), w)
		if warned := len(got) == 1 && strings.Contains(got[0], "every trip between them is cut to 5 minutes"); warned != c.warn || len(got) > 1 {
			t.Errorf("minutes_saved = %d: %q, want a warning %v", c.saved, got, c.warn)
		}
	}
	// Some of the trips cut to MinMinutes (only all of them were said): a
	// link of three targets saving more than the shortest trip between
	// two of them takes. And minutes that shortens nothing.
	sj, ho, st := region(t, w, "Sjøvik"), region(t, w, "Holmøy"), region(t, w, "Storhavn")
	short := min(w.TravelMinutes(sj, st), w.TravelMinutes(sj, ho), w.TravelMinutes(st, ho))
	long := max(w.TravelMinutes(sj, st), w.TravelMinutes(sj, ho), w.TravelMinutes(st, ho))
	got = intervention.Implausible(specs(t, w, fmt.Sprintf("[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"Storhavn\", \"Holmøy\", \"Sjøvik\"]\nfrom_year = %d\nminutes_saved = %g\n", start, math.Round(float64(short)))), w)
	if len(got) != 1 || !strings.Contains(got[0], "which would leave 2 of the 6 trips between its targets under 5 minutes") || !strings.Contains(got[0], "give the new travel time as minutes") {
		t.Errorf("minutes_saved beyond some trips (%g of %g–%g minutes): %q", math.Round(float64(short)), short, long, got)
	}
	got = intervention.Implausible(specs(t, w, fmt.Sprintf("[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"Storhavn\", \"Holmøy\"]\nfrom_year = %d\nminutes = %g\n", start, math.Ceil(float64(long))+1)), w)
	if len(got) != 1 || !strings.Contains(got[0], "but none takes longer now") {
		t.Errorf("minutes beyond every trip: %q", got)
	}
	// remote_work aimed at peripheral regions makes their jobs remote,
	// which a policy user read as remote jobs for their residents: said
	// so; aimed at a city, or national, nothing.
	for _, c := range []struct {
		targets string
		warn    bool
	}{{`centrality = [5, 6]`, true}, {`regions = ["Storhavn"]`, false}, {"", false}} {
		got = intervention.Implausible(specs(t, w, fmt.Sprintf("[[intervention]]\nkind = \"remote_work\"\n%s\nfrom_year = %d\nshare = 0.2\n", c.targets, start)), w)
		if warned := len(got) == 1 && strings.Contains(got[0], "remote-capable: people elsewhere can then hold them"); warned != c.warn || len(got) > 1 {
			t.Errorf("remote_work with %q: %q, want a warning %v", c.targets, got, c.warn)
		}
	}
}
