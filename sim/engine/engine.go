package engine

import (
	"fmt"
	"strings"

	"github.com/settle-sim/settle/sim/demography"
	"github.com/settle-sim/settle/sim/education"
	"github.com/settle-sim/settle/sim/housing"
	"github.com/settle-sim/settle/sim/international"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/labour"
	"github.com/settle-sim/settle/sim/migration"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/world"
)

// Version is the engine version written to every manifest. It changes
// when the results of a scenario do: 0.15.1 gives a household whose head
// leaves (dies, splits, leaves home) the leaver's partner as its head, else
// its oldest member, where it took the next in the list, often the
// youngest child (in Norway 3,300 households at scale 0.3 were headed by a
// child after 15 years, and took their decisions, 150 now, the children
// of a lone parent who died), and places the young men at home with a
// parent at the start (5,478 headed a household of their own while marked
// at home: the couples' matching had taken them out of the lists they are
// placed from); 0.15.0 lets couples form up to 84
// (re-partnering; 20–59 before) and split less often with age (after 35,
// by a factor e per split_age_scale years), starts students at home as
// others of their age, and more of the young in couples, and fits the
// four rates of couples to SSB's living arrangements, then refits twelve
// of the migration behaviour (targets/fitted/norway-2026-11-28e): the
// share of adults in a couple no longer falls from 55 % to 40 % over a
// 30-year run, but from 57 % to 53 %; 0.14.2 adds living_arrangements.csv,
// the adults by age group, sex and living arrangement (the other files are
// unchanged); 0.14.1 leaves a programme's
// arrivals out of the emigration scale's sum through their tenth year, as
// the census that takes them out of the residents counts them (from a
// programme's tenth year on, others' emigration was about 0.1 % low;
// a baseline is unchanged); 0.14.0 gives 22 % of the population
// a taste for small places in destination choice (migration.SmallTaste,
// params small_taste_*) and refits the migration behaviour with rural
// Oppland's gross migration as a target (targets/fitted/norway-2026-11-28d);
// 0.13.0 leaves an immigration programme's recent arrivals
// (population.Programme) out of the population that national emigration
// and immigration scale with (a baseline is unchanged); 0.12.0 gives emigration an age
// profile (world.Rates.EmigrationByAge: households emigrate at a
// propensity by the head's age, about as young as immigrants, where every
// age left equally often; the national rate is kept), which takes the
// population of 2050 from 3.8 % above SSB's main projection to 1.0 % and
// has deaths overtake births in the late 2040s, and refits the migration
// behaviour (targets/fitted/norway-2026-11-28c); 0.11.0 follows a national population
// projection year by year (world.Projections; by default SSB's 2024 main
// alternative: total fertility rising from 1.42 to 1.66, life expectancy
// from 83.3 to 87.4 years in 2050 and net migration falling from 41,093
// to 16,482 a year in 2030, where 0.10.0 held the rates of 2024: 69,000
// immigrants a year and a population 20 % larger in 30 years), counts
// the start's immigrants' years since arrival as the engine does (0 for
// those who arrived in the year before, not 1) and refits the migration
// behaviour (targets/fitted/norway-2026-11-28b); 0.10.0 starts in balance (the first
// year's room for movers is the share of the stock the model's own
// leavers free, 5.2 %, not 8 %; synthetic tenures go back from the age at
// SSB's moving rates by age; students start with the years left of the
// education step's steady state) and refits the migration behaviour
// (targets/fitted/norway-2026-11-28); 0.9.4 adds key_year.csv to settle
// compare's folder, the rows of deltas.csv of the key year (the tick draws
// the same numbers as 0.9.3's, faster; every file of a run is unchanged);
// 0.9.3 adds the components of a
// change in residents (births, deaths, in_domestic, out_domestic,
// immigrants, emigrants, net_international) to settle compare's
// deltas.csv and report, and keeps a user world's files in a run's folder
// (world/); a run's tables are unchanged; 0.9.2 rounds flows.csv's cells
// cumulatively by origin where 1/scale is not whole (scale 0.3), so that
// an origin's flows add up to its out_domestic (they lost up to 1 % of the
// moves; at scales such as 1, 0.1 or 0.01 nothing changes); 0.9.1 adds study.csv, the students
// at each region's study places wherever they are registered (the other
// files are unchanged); 0.9.0 draws a person's deaths,
// births, leaving home, partnering and splits, retirement, job changes,
// education, emigration, decision to move, destination and place in a
// region's lottery for dwellings from keyed uniforms (state.Keyed: a hash
// of the seed, the event, the year and the person) instead of a chunk's
// sequence, so that a scenario and its baseline keep their common random
// numbers (the same model; other random numbers); 0.8.0 counts a region's dwellings on
// the market with weight 1 in destination choice (0.5 before), leaves the
// count out of the move motive and the opportunity factor, and refits the
// migration behaviour (util_size of families and the established bounded
// at −0.1); 0.7.0 gives women their own migration schedule, run
// young_women_shift years ahead of men's, and refits; 0.6.0 keeps those who grew up in a
// region there (home_stay_factor holds their moves beyond the commute but
// a graduate's, study_registered_home keeps far students' registered
// address until they graduate, a child's home region follows the family
// until 16), draws the start's students by sex and refits the migration
// behaviour with the shares living where they grew up checked and
// opportunity_weight fitted; 0.5.0 gives women and men their own
// education (at the start and in who applies to study), spreads the
// completion of upper secondary school over 19–30, lets students leave
// without a degree (study_dropout_rate), lowers master_share from 0.5 to
// 0.35 and refits the migration behaviour to it, and adds housing.csv's
// households_without_dwelling; 0.4.0 adds population.csv and
// housing.csv and counts higher_education of regions.csv as documented,
// from age 25 (it counted degrees at any age; the simulation itself is
// unchanged), 0.3.1 adds grew_up.csv (the other
// files are unchanged), 0.3.0 matches movers and immigrants
// seeking work in the year they arrive (labour.Model.Newcomers), 0.2.0
// weighs broadband as an amenity and lets a youth programme keep people.
const Version = "0.15.1"

// Sim is one simulation run. It is not safe for concurrent use; its own
// parallelism is internal.
type Sim struct {
	s             *state.State
	interventions []intervention.Spec

	demography    demography.Model
	education     education.Model
	labour        labour.Model
	housing       housing.Model
	migration     migration.Model
	international international.Model

	obs   observer
	steps []step // the tick, in order (Step)
}

// step is one step of the tick, named for BenchmarkSteps.
type step struct {
	name string
	run  func(s *state.State)
}

// tick returns the steps of a tick in the order of MODEL.md.
func (sim *Sim) tick() []step {
	return []step{
		{"begin", func(s *state.State) { s.BeginTick() }},
		{"interventions", func(s *state.State) { intervention.Apply(s, sim.interventions) }}, // 1. in force this year
		{"demography", sim.demography.Step},                                                  // 2. deaths, births, ageing, households
		{"education", sim.education.Step},                                                    // 3. study entry and graduation
		{"labour", sim.labour.Step},                                                          // 4. jobs, retirement, matching
		{"housing", sim.housing.Step},                                                        // 5. prices and construction
		{"migration", sim.migration.Step},                                                    // 6. internal migration
		{"international", sim.international.Step},                                            // 7. emigration and immigration
		{"newcomers", func(s *state.State) { // 4, continued: movers and immigrants seeking work
			sim.labour.Newcomers(s)
			s.Year++
		}},
		{"observe", func(*state.State) { sim.observe() }}, // 8. record
	}
}

// New synthesises the population of w and returns a Sim at the start year.
// Cost: O(population), 0.6 to 1.5 s for Norway at scale 1 on two cores
// (README, Speed).
func New(w *world.World, cfg Config) (*Sim, error) {
	if !(cfg.Scale > 0 && cfg.Scale <= 1) {
		return nil, fmt.Errorf("engine: scale %g is out of range; use 0 < scale ≤ 1", cfg.Scale)
	}
	if why := synth.CheckScale(w, cfg.Scale); why != "" {
		return nil, fmt.Errorf("engine: %s", why)
	}
	if cfg.StartYear != 0 && cfg.StartYear != w.StartYear {
		return nil, fmt.Errorf("engine: start year %d differs from the world's %d", cfg.StartYear, w.StartYear)
	}
	if cfg.Workers < 0 || cfg.Workers > state.MaxWorkers {
		return nil, fmt.Errorf("engine: workers %d; use 1 to %d (0 = one per CPU)", cfg.Workers, state.MaxWorkers)
	}
	name := cfg.Projection
	if name == "" {
		name = world.DefaultProjection
	}
	proj := world.FindProjection(name)
	if proj == nil {
		return nil, fmt.Errorf("engine: unknown projection %q; use one of %s", name, strings.Join(world.ProjectionNames(), ", "))
	}
	for _, sp := range cfg.Interventions {
		if err := intervention.Check(sp, w); err != nil {
			return nil, err
		}
	}
	n := w.N()
	s := &state.State{
		World:      w,
		P:          cfg.Behaviour,
		Regions:    make([]state.RegionState, n),
		Minutes:    append([]float32(nil), w.Minutes...),
		Year:       w.StartYear,
		Seed:       cfg.Seed,
		Scale:      cfg.Scale,
		Projection: proj,
	}
	s.SetWorkers(cfg.Workers)
	for r := range s.Regions {
		reg := &w.Regions[r]
		rs := &s.Regions[r]
		rs.StudyPlaces = float64(reg.StudyPlaces) * cfg.Scale
		rs.Broadband = reg.Amenities.Broadband
		rs.Cooperation = -1
	}
	s.RebuildReach()
	s.Persons = *synth.Population(w, cfg.Scale, cfg.Seed, s.ForEach)
	sim := &Sim{s: s, interventions: cfg.Interventions}
	sim.steps = sim.tick()
	secondHomes(s)
	s.BeginTick() // an empty ledger for the start row
	sim.observe() // census for the initial jobs and dwellings
	sim.education.Init(s)
	sim.labour.Init(s)
	sim.housing.Init(s)
	sim.observe()
	// No tick has counted leavers yet: the first year's moves are rationed
	// by the usual turnover of the stock.
	for r := range s.Regions {
		s.Regions[r].Vacated = migration.Turnover * s.Regions[r].Dwellings
	}
	return sim, nil
}

// Year returns the current year (the state describes 1 January of it).
func (sim *Sim) Year() int { return sim.s.Year }

// Workers returns the number of goroutines used.
func (sim *Sim) Workers() int { return sim.s.Workers }

// World returns the simulated world.
func (sim *Sim) World() *world.World { return sim.s.World }

// State gives read access to the state for tests and tools; callers must
// not change it.
func (sim *Sim) State() *state.State { return sim.s }

// Step simulates one year in the order of MODEL.md and returns the record of
// the new 1 January, valid until the next Step.
func (sim *Sim) Step() *record.Year {
	for _, st := range sim.steps {
		st.run(sim.s)
	}
	return &sim.obs.rec
}

// Observe returns the record of the current 1 January: stocks counted then,
// flows of the tick that led there (zero for the start row). It is valid
// until the next Step.
func (sim *Sim) Observe() *record.Year { return &sim.obs.rec }

// secondHomes gives about one household in five (state.SecondHomeShare)
// whose head is 45 or older a second home, in a region chosen by
// state.Cabins. Its adults are that region's part-time residents.
func secondHomes(s *state.State) {
	c := &s.Cabins
	p := &s.Persons
	c.Update(s)
	g := s.Stream(state.StreamSynthesis, 1<<33)
	for h, head := range p.First {
		if head == population.None || p.Age[head] < state.SecondHomeAge || g.Float64() >= state.SecondHomeShare {
			continue
		}
		d := c.Draw(int(p.Region[head]), g.Float64())
		for j := p.First[h]; j != population.None; j = p.Next[j] {
			if p.Age[j] >= 18 {
				p.Second[j] = uint16(d)
			}
		}
	}
}
