// Package labour is step 4 of the tick: job creation and loss by region and
// skill level, retirements, separations, entry into and exit from the
// labour force, and the matching of job seekers to vacancies they can
// reach: in their region, within the accepted commute, or anywhere for
// remote-capable jobs.
package labour

import (
	"math"
	"slices"
	"sort"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Flow rates between non-employment states (yearly), chosen to keep the
// registered unemployment rate near Norway's 3–4 % (SSB LFS 2024) and the
// employment rate of 20–66-year-olds near 78 %.
const (
	entrySeeking   = 0.6  // share of 18-year-olds who start seeking work (the rest are in school or inactive)
	inactiveToSeek = 0.08 // inactive persons under 62 who start seeking
	youngToSeek    = 0.15 // the same under 30
	seekToInactive = 0.2  // seekers who give up
	matchEff       = 4.0  // matching efficiency: P(job) = 1 − exp(−matchEff·V/S) over reachable V and S
	matchRounds    = 3    // rounds of offers per year
)

// Compatibility[seeker skill][job level] weighs the vacancies a seeker can
// take: their own level and below (over-qualified work is common for the
// young and for immigrants), and with experience one level up.
var Compatibility = [world.NumSkills][world.NumSkills]float64{
	{1, 0.5, 0},
	{0.5, 1, 0.1},
	{0.2, 0.5, 1},
}

const (
	commuteScale = 20.0 // minutes: job offers decay as exp(−minutes/commuteScale) within the commute
	// ownRegion is how many times more a job in the seeker's own region
	// weighs than one elsewhere at the same travel time, at the start
	// (Init) and in matching alike: most people work where they live (SSB:
	// about a third of the employed work in another municipality). Without
	// it in matching, the share of the employed commuting out rose from 29 %
	// to 50 % in 30 years.
	ownRegion = 3.0
)

// FrictionalVacancies is the share of jobs vacant in a balanced labour
// market: the vacancy rate at the start (SSB: about 3 % of jobs vacant in
// 2023–24), and the level above which vacancies are withdrawn (withdraw).
const FrictionalVacancies = 0.03

// Model holds per-chunk seeker lists and matching scratch space.
type Model struct {
	chunks  [][]int32
	retired [][]int32 // per chunk: retired this year
	offers  [][]offer
	cdf     [][world.NumSkills][]float64 // per region and skill, over Reach
	vac     [][world.NumSkills]float64
	seek    [][world.NumSkills]float64
	vReach  [][world.NumSkills]float64
	veff    [][world.NumSkills]float64 // by region and own skill: vacancies the seeker can take, this round
	pjob    [][world.NumSkills]float64 // by region and own skill: probability of an offer, this round
	sReach  [][world.NumSkills]float64
	layoff  [][world.NumSkills]float64
	lastPop []float64
	// Per worker (integer counts, so the sums do not depend on which worker
	// counted which chunk): jobs held by region*NumSkills+skill, and
	// seekers by region*NumSkills+own skill.
	filled, seekers [][]int32
	rates           []float64 // scratch for move
	// shareTriggers: per chunk, triggers for partners in other chunks;
	// all of them by the partner's chunk, and where each chunk's end.
	shared   [][]trigger
	sharedBy []trigger
	sharedAt []int
	// late is set while the rounds under way are those of the newcomers
	// (Newcomers), who search for the part of the year left after they
	// arrived (hire).
	late bool
	// Transition probabilities by key, set every tick (Step).
	retire, move state.Rates
	decay        [][]float64 // per region, per Reach entry: exp(−minutes/commuteScale)
	decayOf      []float32   // the travel matrix decay was computed for

	// After matching: seekers left unemployed by their own skill level, and
	// jobs held by job level (national), for the next year's labour demand.
	unemployed, employed [world.NumSkills]float64
	matched              [world.NumSkills]float64

	// The national pool of jobs made remote-capable by interventions
	// (remotePool): per job level, cumulative vacancies over the regions
	// needing broadband [0] or not [1]; seekers in the country by skill.
	rcdf    [world.NumSkills][2][]float64
	seekNat [world.NumSkills]float64
}

// Init assigns every employed person of a freshly synthesised population a
// work region within the commute (weighted by the jobs located there,
// world.Region.JobsPerWorker, and by distance), makes them remote-capable
// with the parameter's share, and creates each region's jobs: those filled
// plus a 3 % vacancy rate (SSB: about 3 % of jobs vacant in 2023–24).
func (m *Model) Init(s *state.State) {
	p := &s.Persons
	n := s.N()
	// Attractiveness of a work region: its population times jobs per worker.
	attr := make([]float64, n)
	for r := 0; r < n; r++ {
		attr[r] = float64(s.World.Regions[r].Population) * s.World.Regions[r].JobsPerWorker
	}
	cdfs := make([][]float64, n)
	for r := 0; r < n; r++ {
		reach := s.Reach[r]
		c := make([]float64, len(reach))
		acc := 0.0
		for k, j := range reach {
			wgt := attr[j] * math.Exp(-float64(s.Minutes[r*n+int(j)])/commuteScale)
			if int(j) == r {
				wgt *= ownRegion
			}
			acc += wgt
			c[k] = acc
		}
		cdfs[r] = c
	}
	s.ForChunks(state.StreamSynthesis, func(c, lo, hi int, g *state.RNG) {
		for i := lo; i < hi; i++ {
			if p.Flags[i]&population.Alive == 0 || p.Act[i] != population.Employed {
				continue // students have their study place from education.Init
			}
			r := int(p.Region[i])
			u1, u2 := g.Two()
			cdf := cdfs[r]
			k := 0
			for k < len(cdf)-1 && cdf[k] < u1*cdf[len(cdf)-1] {
				k++
			}
			p.Work[i] = uint16(s.Reach[r][k])
			if p.JobSkill[i] == world.SkillHigh && u2 < s.P.RemoteShareHigh {
				p.Flags[i] |= population.Remote
			}
		}
	})
	m.recount(s)
	for r := range s.Regions {
		for k := 0; k < world.NumSkills; k++ {
			s.Regions[r].Jobs[k] = float64(s.Regions[r].Filled[k]) * (1 + FrictionalVacancies)
		}
	}
	// The local demand the first year's growth is measured from counts the
	// part-time residents as jobs does (they used to be left out here, so
	// every region with second homes gained local-service jobs in the first
	// year and lost them again in the second).
	m.lastPop = localDemand(s)
}

// localDemand is the population local-service jobs follow: the residents,
// and the part-time residents for the share of the year they spend here.
func localDemand(s *state.State) []float64 {
	pop := make([]float64, s.N())
	for r := range pop {
		rs := &s.Regions[r]
		days := rs.StayDays
		if days <= 0 {
			days = state.BaseStayDays
		}
		pop[r] = float64(rs.Residents) + float64(rs.PartTime)*days/365
	}
	return pop
}

// recount sets Filled from the persons (sequential; called once a tick).
func (m *Model) recount(s *state.State) {
	p := &s.Persons
	for r := range s.Regions {
		s.Regions[r].Filled = [world.NumSkills]int32{}
	}
	for i := range p.Act {
		if p.Act[i] == population.Employed && p.Flags[i]&population.Alive != 0 {
			s.Regions[p.Work[i]].Filled[p.JobSkill[i]]++
		}
	}
}

// Step runs the labour market for one year.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	n := s.N()
	P := &s.P
	m.jobs(s)
	if len(m.layoff) != n {
		m.layoff = make([][world.NumSkills]float64, n)
	}
	// Where jobs fell below the workers holding them, the excess is laid off.
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			f := float64(s.Regions[r].Filled[k])
			m.layoff[r][k] = 0
			if f > s.Regions[r].Jobs[k] && f > 0 {
				m.layoff[r][k] = (f - s.Regions[r].Jobs[k]) / f
			}
		}
	}
	retire := RetirementHazard(P.RetirementAge)
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
		m.retired = append(m.retired, nil)
	}
	nw := s.Workers
	m.filled = state.WorkerCounters(m.filled, nw, (n+1)*world.NumSkills)
	m.seekers = state.WorkerCounters(m.seekers, nw, n*world.NumSkills)
	// The yearly transitions, drawn by keyed uniforms (state.Keyed) against
	// these tables (state.Rates): retirement by age; then, for those who
	// stay, by activity: a job ends (separation, plus the layoffs where
	// jobs fell below the workers holding them) by work region and skill,
	// a seeker gives up, an inactive person starts seeking, by age.
	m.retire.Set(retire[:])
	A := world.MaxAge + 1
	keyUnemployed, keyInactive := n*world.NumSkills, n*world.NumSkills+1
	if cap(m.rates) < keyInactive+A {
		m.rates = make([]float64, keyInactive+A)
	}
	rates := m.rates[:keyInactive+A]
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			rates[r*world.NumSkills+k] = P.SeparationRate + m.layoff[r][k]
		}
	}
	rates[keyUnemployed] = seekToInactive
	for a := 0; a < A; a++ {
		rate := 0.0
		switch {
		case a < 30:
			rate = youngToSeek
		case a < 62:
			rate = inactiveToSeek
		}
		rates[keyInactive+a] = rate
	}
	m.move.Set(rates)
	// By activity: whether the job row is the person's own, the spare row
	// (n*NumSkills) otherwise, the key of the yearly event, and the mask
	// of the thresholds: children, students and the retired draw too, but
	// against a threshold of 0, which is never met.
	var byAct [8]struct {
		employed, spare, base, inactive int
		mask                            uint64
	}
	for a := range byAct {
		t := &byAct[a]
		t.spare = n * world.NumSkills
		switch a {
		case population.Employed:
			t.employed, t.spare, t.mask = 1, 0, ^uint64(0)
		case population.Unemployed:
			t.base, t.mask = keyUnemployed, ^uint64(0)
		case population.Inactive:
			t.base, t.inactive, t.mask = keyInactive, 1, ^uint64(0)
		}
	}
	s.ForChunksW(state.StreamLabour, func(w, c, lo, hi int, g *state.RNG) {
		seekers := m.chunks[c][:0]
		retired := m.retired[c][:0]
		filled := m.filled[w] // (n+1)*NumSkills: the last row counts nobody
		kRetire, kMove := s.Keyed(state.KeyRetire), s.Keyed(state.KeyJobMove)
		flags, acts, ages, works, skills := p.Flags[lo:hi], p.Act[lo:hi], p.Age[lo:hi], p.Work[lo:hi], p.JobSkill[lo:hi]
		for j, f := range flags {
			if f&population.Alive == 0 {
				continue
			}
			i := lo + j
			act, age := acts[j], int(ages[j])
			// The row of the job held (the spare row for those without
			// one), the key of the yearly event (by job, unemployed, or
			// inactive by age) and the mask of the draws, all without a
			// branch on the activity: it differs from slot to slot
			// unpredictably, and mispredicted branches cost more than
			// the hashes below.
			t := &byAct[act&7]
			job := (int(works[j])*world.NumSkills+int(skills[j]))*t.employed + t.spare
			filled[job]++ // undone below if the job ends this year
			key := job*t.employed + t.base + age*t.inactive
			in := t.mask
			retire := kRetire.Below(i, m.retire.T(age)&in)
			event := kMove.Below(i, m.move.T(key)&in)
			if retire {
				if act == population.Employed {
					filled[job]--
					works[j] = population.NoRegion
				}
				acts[j] = population.Retired
				retired = append(retired, int32(i))
				continue
			}
			if event {
				switch act {
				case population.Employed:
					filled[job]--
					acts[j] = population.Unemployed
					works[j] = population.NoRegion
					flags[j] |= population.LostJob // shared with the partner below
					seekers = append(seekers, int32(i))
				case population.Unemployed:
					acts[j] = population.Inactive
				case population.Inactive:
					acts[j] = population.Unemployed
					seekers = append(seekers, int32(i))
				}
				continue
			}
			if act == population.Unemployed {
				seekers = append(seekers, int32(i)) // still seeking
			}
			// Children turning 18 (under 18 nobody is in the labour
			// force) join it as seekers or inactive.
			if act == population.Child && age >= 18 {
				acts[j] = population.Inactive
				if kMove.U(i) < entrySeeking {
					acts[j] = population.Unemployed
					seekers = append(seekers, int32(i))
				}
			}
		}
		// Seekers by region and own skill level, for matching.
		counts := m.seekers[w]
		for _, i := range seekers {
			counts[int(p.Region[i])*world.NumSkills+state.Skill(p.Edu[i])]++
		}
		m.chunks[c] = seekers
		m.retired[c] = retired
	})
	m.shareTriggers(s, nc)
	for r := 0; r < n; r++ {
		var f [world.NumSkills]int32
		for w := range m.filled {
			for k := range f {
				f[k] += m.filled[w][r*world.NumSkills+k]
			}
		}
		s.Regions[r].Filled = f
	}
	m.match(s)
	m.withdraw(s)
}

// Newcomers matches the persons who moved between regions or arrived from
// abroad this tick seeking work (state.State.Newcomers) to the vacancies
// within reach of where they now live: matching goes on for the rest of
// the year after the moves, as the year's first rounds did before them.
// Without it, every mover who gave up a job beyond the commute and every
// immigrant stayed unemployed until the next year's matching, which put a
// third of the year's unemployed among them and unemployment at 6.5 %
// instead of the Labour Force Survey's 4 %. Newcomers compete with all the
// seekers of the year within reach (the vacancies are those left after the
// first rounds and the moves); like seekers of the first rounds, they take
// up offers in slot order while vacancies last. Run after migration and
// immigration; it changes no one else.
func (m *Model) Newcomers(s *state.State) {
	p := &s.Persons
	list := s.Newcomers
	slices.Sort(list)
	list = slices.Compact(list)
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
		m.retired = append(m.retired, nil)
	}
	for c := range m.chunks[:nc] {
		m.chunks[c] = m.chunks[c][:0]
	}
	n := s.N()
	late := 0
	var lateSeekers [world.NumSkills]float64
	for _, i := range list {
		if int(i) >= p.Len() || !p.Live(i) || p.Act[i] != population.Unemployed {
			continue // emigrated, or its slot taken by someone not seeking
		}
		c := int(i) / state.ChunkSize
		m.chunks[c] = append(m.chunks[c], i)
		r, own := int(p.Region[i]), state.Skill(p.Edu[i])
		m.seek[r][own]++
		lateSeekers[own]++
		late++
	}
	if late == 0 {
		return
	}
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			m.vac[r][k] = math.Max(0, s.Regions[r].Jobs[k]-float64(s.Regions[r].Filled[k]))
		}
	}
	before := m.matched
	m.late = true
	for round := matchRounds; round < 2*matchRounds; round++ {
		if !m.matchRound(s, round) {
			break
		}
	}
	// The newcomers left seeking count among the unemployed that the next
	// year's labour demand responds to (jobs), as the jobs they took count
	// among those held.
	for k := 0; k < world.NumSkills; k++ {
		held := 0.0
		for r := 0; r < n; r++ {
			held += float64(s.Regions[r].Filled[k])
		}
		m.unemployed[k] += lateSeekers[k] - (m.matched[k] - before[k])
		m.employed[k] = held
	}
}

// hire returns the probability that a seeker finds a job in a year of
// search at the hiring rate a = matchEff·V/S: 1 − e^(−a). A newcomer
// (m.late) arrives at a time t spread evenly over the year and searches for
// the rest of it, so finds one with probability ∫₀¹ 1 − e^(−a·t) dt =
// 1 − (1 − e^(−a))/a: half the rate's yearly chance for few vacancies,
// less than that when jobs are easy to find (1 − 1/a for large a).
func (m *Model) hire(a float64) float64 {
	if !m.late {
		return 1 - math.Exp(-a)
	}
	if a < 1e-6 {
		return a / 2
	}
	return 1 + math.Expm1(-a)/a
}

// withdraw gives up, in every region and at every skill level, the share
// vacancy_withdrawal of the vacancies left after matching beyond the
// frictional FrictionalVacancies of the jobs: posts that found no worker
// within reach in a year are not kept open for ever. Without it, trend
// growth of jobs where the labour force does not follow (knowledge jobs
// beyond the graduates, any job in a shrinking region) piles up as
// vacancies: 15 % of all jobs after 30 years, 29 % in centrality class 6.
// Demand thereby follows supply downwards too, as job_supply_response makes
// it follow upwards. The posts business development added and that are
// still open (Sponsored, at most the vacancies) are kept: the programme
// funds them until they are filled.
func (m *Model) withdraw(s *state.State) {
	w := s.P.VacancyWithdrawal
	if w <= 0 {
		return
	}
	for r := range s.Regions {
		rs := &s.Regions[r]
		for k := range rs.Jobs {
			vacant := rs.Jobs[k] - float64(rs.Filled[k])
			// The programmes' posts still open: none below zero (closures
			// net against plants in any order), no more than the vacancies.
			rs.Sponsored[k] = min(max(rs.Sponsored[k], 0), max(0, vacant))
			if excess := vacant - FrictionalVacancies*rs.Jobs[k] - rs.Sponsored[k]; excess > 0 {
				rs.Jobs[k] -= w * excess
			}
		}
	}
}

// shareTriggers shares the triggers of the year's job losers and retirees
// with their partners (population.ShareTrigger): chunk by chunk in
// parallel for partners in the same chunk, then, for the others, by the
// partner's chunk. Setting a flag commutes, so the result is that of
// sharing them one after the other.
func (m *Model) shareTriggers(s *state.State, nc int) {
	p := &s.Persons
	for len(m.shared) < nc {
		m.shared = append(m.shared, nil)
	}
	s.ForEach(nc, func(c int) {
		lo, hi := int32(c*state.ChunkSize), int32(min((c+1)*state.ChunkSize, p.Len()))
		out := m.shared[c][:0]
		share := func(i int32, t uint16) {
			p.Flags[i] |= t
			if q := p.Partner[i]; q != population.None {
				if q >= lo && q < hi {
					p.Flags[q] |= t
				} else {
					out = append(out, trigger{q, t})
				}
			}
		}
		for _, i := range m.chunks[c] {
			if p.Flags[i]&population.LostJob != 0 {
				share(i, population.LostJob)
			}
		}
		for _, i := range m.retired[c] {
			share(i, population.NewRetiree)
		}
		m.shared[c] = out
	})
	// The partners in other chunks, grouped by their chunk.
	if cap(m.sharedAt) < nc+1 {
		m.sharedAt = make([]int, nc+1)
	}
	at := m.sharedAt[:nc+1]
	clear(at)
	for c := 0; c < nc; c++ {
		for _, x := range m.shared[c] {
			at[x.person/state.ChunkSize+1]++
		}
	}
	for c := 0; c < nc; c++ {
		at[c+1] += at[c]
	}
	if cap(m.sharedBy) < at[nc] {
		m.sharedBy = make([]trigger, at[nc])
	}
	by := m.sharedBy[:at[nc]]
	for c := 0; c < nc; c++ {
		for _, x := range m.shared[c] {
			d := x.person / state.ChunkSize
			by[at[d]] = x
			at[d]++
		}
	}
	// at[d] is now the end of chunk d's entries.
	s.ForEach(nc, func(d int) {
		start := 0
		if d > 0 {
			start = at[d-1]
		}
		for _, x := range by[start:at[d]] {
			p.Flags[x.person] |= x.flag
		}
	})
}

// trigger is a trigger flag to set on a person.
type trigger struct {
	person int32
	flag   uint16
}

// RetirementHazard returns the yearly probability of retiring by age: a
// logistic in age (scale 1.5 years) from 55, certain at 75, centred so that
// the mean age of retirement of a cohort reaching 55 is mean (mortality
// aside). The centre is found by bisection.
func RetirementHazard(mean float64) [world.MaxAge + 1]float64 {
	var h [world.MaxAge + 1]float64
	fill := func(centre float64) float64 {
		surv, m := 1.0, 0.0
		for a := 55; a <= world.MaxAge; a++ {
			h[a] = 1 / (1 + math.Exp(-(float64(a)-centre)/1.5))
			if a >= 75 {
				h[a] = 1
			}
			m += float64(a) * surv * h[a]
			surv *= 1 - h[a]
		}
		return m
	}
	lo, hi := 40.0, 90.0
	for k := 0; k < 60; k++ {
		c := (lo + hi) / 2
		if fill(c) < mean {
			lo = c
		} else {
			hi = c
		}
	}
	fill((lo + hi) / 2)
	return h
}

// jobs updates the jobs of every region and skill level: the trend part
// grows at the skill's national rate, knowledge jobs faster in central
// regions and around campuses (MODEL.md: academisation); the local-service
// part follows the region's population.
func (m *Model) jobs(s *state.State) {
	n := s.N()
	P := &s.P
	pop := localDemand(s)
	growth := [world.NumSkills]float64{P.JobGrowthLow, P.JobGrowthMedium, P.JobGrowthHigh}
	for r := 0; r < n; r++ {
		reg := &s.World.Regions[r]
		popGrowth := 0.0
		if m.lastPop[r] > 0 {
			popGrowth = pop[r]/m.lastPop[r] - 1
		}
		for k := 0; k < world.NumSkills; k++ {
			g := growth[k]
			if k == world.SkillHigh {
				g += P.JobCentrality * (float64(3.5) - float64(reg.Centrality))
				if s.Regions[r].StudyPlaces > 0 {
					g += P.JobCentrality
				}
			}
			s.Regions[r].Jobs[k] *= 1 + (1-P.LocalServiceJobs)*g + P.LocalServiceJobs*popGrowth
			s.Regions[r].Jobs[k] = math.Max(0, s.Regions[r].Jobs[k])
		}
	}
	m.lastPop = pop
	// Labour demand follows supply in the long run: where seekers exceed the
	// natural rate, SupplyResponse of the excess becomes jobs at that skill
	// level, spread over the regions in proportion to their jobs.
	for k := 0; k < world.NumSkills; k++ {
		excess := m.unemployed[k] - P.NaturalUnemp/(1-P.NaturalUnemp)*m.employed[k]
		if excess <= 0 {
			continue
		}
		total := 0.0
		for r := 0; r < n; r++ {
			total += s.Regions[r].Jobs[k]
		}
		if total <= 0 {
			continue
		}
		f := 1 + P.SupplyResponse*excess/total
		for r := 0; r < n; r++ {
			s.Regions[r].Jobs[k] *= f
		}
	}
}

// match assigns seekers to vacancies within reach. A seeker finds a job
// with probability 1 − exp(−matchEff·V/S), where V and S are the vacancies
// (weighted by the regions' recruitment visibility) and seekers of their
// skill within reach; the job's region is drawn in proportion to its
// vacancies, decaying with commuting time. Seekers with higher education
// take medium-skill jobs when none of their own level is within reach.
//
// The draws are made in parallel from the vacancies at the start of
// matching; offers are then taken up in slot order while vacancies last, so
// the result does not depend on the workers.
func (m *Model) match(s *state.State) {
	n := s.N()
	if len(m.vac) != n {
		m.vac = make([][world.NumSkills]float64, n)
		m.seek = make([][world.NumSkills]float64, n)
		m.vReach = make([][world.NumSkills]float64, n)
		m.sReach = make([][world.NumSkills]float64, n)
		m.cdf = make([][world.NumSkills][]float64, n)
		m.veff = make([][world.NumSkills]float64, n)
		m.pjob = make([][world.NumSkills]float64, n)
	}
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			m.vac[r][k] = math.Max(0, s.Regions[r].Jobs[k]-float64(s.Regions[r].Filled[k]))
			seekers := int32(0) // counted in Step's pass
			for w := range m.seekers {
				seekers += m.seekers[w][r*world.NumSkills+k]
			}
			m.seek[r][k] = float64(seekers)
		}
	}
	m.decays(s)
	m.matched = [world.NumSkills]float64{}
	m.late = false
	// Offers that collide with a vacancy already taken are redrawn from the
	// remaining vacancies, for a few rounds.
	for round := 0; round < matchRounds; round++ {
		if !m.matchRound(s, round) {
			break
		}
	}
	for k := 0; k < world.NumSkills; k++ {
		seekers, held := 0.0, 0.0
		for r := 0; r < n; r++ {
			seekers += m.seek[r][k]
			held += float64(s.Regions[r].Filled[k])
		}
		m.unemployed[k], m.employed[k] = seekers-m.matched[k], held
	}
}

// matchRound draws offers for the seekers in m.chunks and takes them up; it
// leaves the seekers whose offer was taken by someone else in m.chunks for
// another round and reports whether there are any.
func (m *Model) matchRound(s *state.State, round int) bool {
	p := &s.Persons
	baseRemote := [world.NumSkills]float64{world.SkillHigh: s.P.RemoteShareHigh}
	n := s.N()
	nc := s.NumChunks()
	s.ForEach(n, func(r int) {
		var v, sr [world.NumSkills]float64
		reach := s.Reach[r]
		for _, j := range reach {
			vis := visibility(s, r, int(j))
			for k := 0; k < world.NumSkills; k++ {
				v[k] += m.vac[j][k] * vis
				sr[k] += m.seek[j][k]
			}
		}
		m.vReach[r], m.sReach[r] = v, sr
		// A seeker of skill own living in r finds a job with probability
		// 1 − exp(−matchEff·veff/seekers), veff the vacancies of the job
		// levels own can take.
		for own := 0; own < world.NumSkills; own++ {
			veff := 0.0
			for l := 0; l < world.NumSkills; l++ {
				veff += Compatibility[own][l] * v[l]
			}
			m.veff[r][own] = veff
			m.pjob[r][own] = m.hire(matchEff * veff / math.Max(1, sr[own]))
		}
		for k := 0; k < world.NumSkills; k++ {
			c := m.cdf[r][k][:0]
			acc := 0.0
			for x, j := range reach {
				wgt := m.vac[j][k] * visibility(s, r, int(j)) * m.decay[r][x]
				if int(j) == r {
					wgt *= ownRegion
				}
				acc += wgt
				c = append(c, acc)
			}
			m.cdf[r][k] = c
		}
	})
	for len(m.offers) < nc {
		m.offers = append(m.offers, nil)
	}
	anywhere := m.remotePool(s)
	s.ForEach(nc, func(c int) {
		g := s.Stream(state.StreamMatching, uint64(round)<<32|uint64(c))
		offers := m.offers[c][:0]
		for _, i := range m.chunks[c] {
			r := int(p.Region[i])
			own := state.Skill(p.Edu[i])
			// Effective vacancies over the job levels the seeker can take,
			// and the level of the offer in proportion to them.
			veff := m.veff[r][own]
			u1, u2 := g.Two()
			pj := m.pjob[r][own]
			if u1 >= pj {
				if anywhere {
					if o, ok := m.remoteOffer(s, i, r, own, &g); ok {
						offers = append(offers, o)
					}
				}
				continue
			}
			k, t := 0, g.Float64()*veff
			for ; k < world.NumSkills-1; k++ {
				t -= Compatibility[own][k] * m.vReach[r][k]
				if t < 0 {
					break
				}
			}
			cdf := m.cdf[r][k]
			if u1 >= pj || len(cdf) == 0 || cdf[len(cdf)-1] <= 0 {
				continue
			}
			x := sort.SearchFloat64s(cdf, u2*cdf[len(cdf)-1])
			x = min(x, len(cdf)-1)
			// A remote-capable job needs broadband where the worker lives.
			// (or, for jobs made remote without that need, none).
			// The hybrid part of the remote-capable jobs is the lower end
			// of the one uniform: a world without hybrid programmes draws
			// the same numbers.
			job := &s.Regions[s.Reach[r][x]]
			bb := s.Regions[r].Broadband
			u := g.Float64()
			remote := u < (job.RemoteShare[k]+baseRemote[k])*bb+job.RemoteAnywhere[k]
			hybrid := u < job.HybridShare[k]*bb+job.HybridAnywhere[k]
			kind := uint8(0)
			if remote {
				kind = remoteJob
				if hybrid {
					kind = hybridJob
				}
			}
			offers = append(offers, offer{i, s.Reach[r][x], uint8(k), kind, uint8(own), false})
		}
		m.offers[c] = offers
	})
	// Which offers are taken up, in slot order (reading no person); then
	// the new jobs are written into the persons, chunk by chunk in
	// parallel.
	again := false
	for c := 0; c < nc; c++ {
		left := m.chunks[c][:0]
		offers := m.offers[c]
		for x := range offers {
			o := &offers[x]
			j, k := o.region, int(o.skill)
			if m.vac[j][k] < 1 {
				left = append(left, o.person) // taken by an earlier seeker
				again = true
				continue
			}
			o.taken = true
			m.vac[j][k]--
			m.matched[o.own]++
			s.Regions[j].Filled[k]++
		}
		m.chunks[c] = left
	}
	s.ForEach(nc, func(c int) {
		for _, o := range m.offers[c] {
			if !o.taken {
				continue
			}
			i := o.person
			p.Act[i] = population.Employed
			p.Work[i] = uint16(o.region)
			p.JobSkill[i] = o.skill
			p.Flags[i] &^= population.Remote | population.Hybrid
			switch o.kind {
			case remoteJob:
				p.Flags[i] |= population.Remote
			case hybridJob:
				p.Flags[i] |= population.Remote | population.Hybrid
			}
		}
	})
	return again
}

// CooperationVisibility is the weight added to the vacancies of a member
// of a municipal cooperation for seekers living in another member: the
// members recruit jointly (one job portal, joint recruitment campaigns), so
// their vacancies are as visible across the group as full recruitment
// visibility makes them.
const CooperationVisibility = 1

// visibility returns the weight of region j's vacancies for a seeker living
// in region r: 1 for the seeker's own region (whose jobs weigh ownRegion in
// the choice of job); for another, 1 plus j's recruitment visibility times
// ownRegion − 1 (visibility 1 makes j's jobs as well known as local ones),
// plus CooperationVisibility when r and j are members of one municipal
// cooperation.
func visibility(s *state.State, r, j int) float64 {
	if r == j {
		return 1
	}
	v := 1 + s.Regions[j].Visibility*(ownRegion-1)
	if g := s.Regions[r].Cooperation; g >= 0 && s.Regions[j].Cooperation == g {
		v += CooperationVisibility
	}
	return v
}

// remotePool sets, for this round, the vacancies of jobs made remote-capable
// by interventions (RegionState.RemoteShare and RemoteAnywhere): per job
// level, the cumulative vacancies over the regions, of those that need
// broadband where the worker lives and of those that do not, and the
// seekers in the whole country by skill. It reports whether there are any
// such vacancies (none in a scenario without remote_work, whose matching is
// then unchanged).
func (m *Model) remotePool(s *state.State) bool {
	n := s.N()
	found := false
	for l := 0; l < world.NumSkills; l++ {
		for b := 0; b < 2; b++ {
			c := m.rcdf[l][b][:0]
			acc := 0.0
			for j := 0; j < n; j++ {
				// Fully remote jobs only: a hybrid one needs its worker
				// within the hybrid commute, and is offered as local
				// jobs are.
				rs := &s.Regions[j]
				share := rs.RemoteShare[l] - rs.HybridShare[l]
				if b == 1 {
					share = rs.RemoteAnywhere[l] - rs.HybridAnywhere[l]
				}
				share = max(share, 0)
				acc += m.vac[j][l] * share
				c = append(c, acc)
			}
			m.rcdf[l][b] = c
			found = found || acc > 0
		}
	}
	m.seekNat = [world.NumSkills]float64{}
	for r := 0; r < n; r++ {
		for k := 0; k < world.NumSkills; k++ {
			m.seekNat[k] += m.seek[r][k]
		}
	}
	return found
}

// remoteOffer draws, for seeker i of skill own living in r who had no
// offer within the commute, an offer of a job made remote-capable by an
// intervention anywhere in the country (MODEL.md: matching reaches
// anywhere for remote-capable jobs). The seeker competes with every seeker
// of the country: the chance is 1 − exp(−matchEff·V/S) with V the remote
// vacancies of the levels own can take (those needing broadband weighed by
// the coverage where the seeker lives) and S the seekers of own's skill in
// the country; the level, then the region, are drawn in proportion to the
// vacancies.
func (m *Model) remoteOffer(s *state.State, i int32, r, own int, g *state.RNG) (offer, bool) {
	bb := s.Regions[r].Broadband
	var w [world.NumSkills][2]float64
	v := 0.0
	for l := 0; l < world.NumSkills; l++ {
		c := &m.rcdf[l]
		w[l][0] = Compatibility[own][l] * bb * c[0][len(c[0])-1]
		w[l][1] = Compatibility[own][l] * c[1][len(c[1])-1]
		v += w[l][0] + w[l][1]
	}
	u1, u2 := g.Two()
	if v <= 0 || u1 >= m.hire(matchEff*v/math.Max(1, m.seekNat[own])) {
		return offer{}, false
	}
	t := u2 * v
	for l := 0; l < world.NumSkills; l++ {
		for b := 0; b < 2; b++ {
			if t >= w[l][b] || w[l][b] <= 0 {
				t -= w[l][b]
				continue
			}
			c := m.rcdf[l][b]
			x := sort.SearchFloat64s(c, t/w[l][b]*c[len(c)-1])
			return offer{i, int32(min(x, len(c)-1)), uint8(l), remoteJob, uint8(own), false}, true
		}
	}
	return offer{}, false
}

// offer is a job offered to a seeker: the person, the job's region and
// level, whether it is remote-capable (and hybrid), the seeker's own skill
// level, and whether the seeker took it up.
type offer struct {
	person int32
	region int32
	skill  uint8
	kind   uint8 // 0, remoteJob or hybridJob (in one byte: offers are many, 12 bytes each)
	own    uint8
	taken  bool
}

// Kinds of offer: a remote-capable job, and one with office days.
const (
	remoteJob = 1 + iota
	hybridJob
)

// decays caches exp(−minutes/commuteScale) for every Reach entry; rebuilt
// when the travel matrix in force changes.
func (m *Model) decays(s *state.State) {
	n := s.N()
	if len(m.decayOf) == len(s.Minutes) && len(m.decay) == n {
		same := true
		for i := range s.Minutes {
			if s.Minutes[i] != m.decayOf[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	m.decayOf = append(m.decayOf[:0], s.Minutes...)
	m.decay = make([][]float64, n)
	for r := 0; r < n; r++ {
		d := make([]float64, len(s.Reach[r]))
		for x, j := range s.Reach[r] {
			d[x] = math.Exp(-float64(s.Minutes[r*n+int(j)]) / commuteScale)
		}
		m.decay[r] = d
	}
}
