// Package international is step 7 of the tick: emigration of resident
// households and the arrival of immigrants, who settle where jobs and
// networks (earlier immigrants) are, or are placed by the national
// settlement programme in proportion to population.
package international

import (
	"math"
	"sort"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Model holds per-chunk buffers.
type Model struct {
	chunks  [][]emigrant // per chunk: the heads of emigrating households
	weights []float64    // per chunk: Σ size × propensity of its heads (weight)
	ratio   float64      // weight's sum over the census's, when last summed
	cdf     []float64
	ageCDF  []float64
	// Guide tables of cdf (this year's) and ageCDF.
	regions, ages guide
	heads         []int32 // the household heads the last arrive added
	// Scratch of emigrate (by region) and arrive.
	byRegion []regionRemovals
	filled   [][]int32 // per worker: jobs given up, by region*NumSkills+skill
	arrivals []arrival
	families []family
}

// emigrant is the head of an emigrating household and its region.
type emigrant struct {
	head   int32
	region uint16
}

// arrival is an immigrant planned by arrive: the slot and the person.
type arrival struct {
	slot int32
	x    population.Person
}

// family is an arriving household: its id and its members in
// arrivals[first:first+n], the head first, then in the order they join;
// with partner, the second member is the head's partner.
type family struct {
	household, first, n int32
	partner             bool
}

// Immigrant households: adults aged 25–45 bring a partner with this
// probability, and children (0–2) with the next (SSB: about a quarter of
// immigrants arrive as family members).
const (
	partnerShare = 0.3
	childShare   = 0.5
)

// Education of adult immigrants (SSB: about a third have higher education,
// with large differences by country of origin).
var immigrantEdu = [4]float64{0.4, 0.25, 0.22, 0.13}

// headShift moves the Head flag onto the Alive flag, immigrantShift the
// Immigrant flag and programmeShift the Programme flag onto bit 0 (a
// compile-time check below that they are single bits, Alive the lowest).
const (
	headShift      = 8
	immigrantShift = 1
	programmeShift = 10
)

var _ = [1]int{}[(population.Head^population.Alive<<headShift)|(population.Alive^1)|(population.Immigrant^1<<immigrantShift)|(population.Programme^1<<programmeShift)]

// ratioYears is how often (in simulated years) the emigration weight is
// summed over the households; in the years between it is estimated from
// the census (weight).
const ratioYears = 5

// weight returns Σ over households of size × the head's emigration
// propensity (world.Rates.EmigrationByAge, times F for a recent
// immigrant), the recent arrivals of immigration programmes
// (population.Programme) left out (Step). Summing it over the households
// is dear (about 15 ms of a year for Norway), so it is done in the first
// year and every ratioYears after, and in the years between estimated
// from the census: the same sum over residents of the propensity of their
// own age, times the ratio of the two sums when last summed. The make-up
// of households by age changes slowly, but not evenly: for Norway with
// the default behaviour the estimate runs 0.8, 1.8, 2.5 and 3.1 % above
// the sum in the four years after the first, and within 1 % later
// (TestEmigrationWeightEstimate, on 1 January), so emigration is that
// much below the rate until the next sum; far from the defaults
// (emigration_scale 10, immigrant_emigration_factor 20) recent immigrants
// leave so fast that it runs 10–30 % low. A state without a census (made
// by hand) is summed every year.
func (m *Model) weight(s *state.State, F float64) float64 {
	byAge := emigrationByAge(s)
	var census float64
	for a, x := range byAge {
		pa := s.ProgrammeByAge[a]
		census += x * (float64(s.Ages[a]-pa) + (F-1)*float64(s.RecentByAge[a]-pa))
	}
	if census > 0 && m.ratio > 0 && (s.Year-s.World.StartYear)%ratioYears != 0 {
		return census * m.ratio
	}
	nc := s.NumChunks()
	if len(m.weights) != nc {
		m.weights = make([]float64, nc)
	}
	p := &s.Persons
	factor := [2]float64{1, F}
	// Σ over residents of their head's propensity, without a branch (every
	// slot reads its head: members of a household mostly lie side by
	// side, so the reads hit the cache), a programme's recent arrivals
	// counting 0: those the census counted as under ten years on 1
	// January (State.ProgrammeByAge), whose years have gone up by one
	// since (demography), so up to ten now.
	s.ForChunks(0, func(c, lo, hi int, _ *state.RNG) {
		var w [4]float64 // four sums, so that one addition does not wait for the last
		hh, years := p.HH[lo:hi], p.Years[lo:hi]
		for j, f := range p.Flags[lo:hi] {
			// A free slot (household None) reads slot 0's household and
			// counts 0.
			h := max(p.First[max(hh[j], 0)], 0)
			recent := int(p.Flags[h]>>immigrantShift) & 1 & int(b2u(p.Years[h] < 10))
			programme := int(f>>programmeShift) & 1 & int(b2u(years[j] <= 10))
			w[j&3] += float64(int(f&population.Alive)&^programme) * byAge[p.Age[h]] * factor[recent]
		}
		m.weights[c] = (w[0] + w[1]) + (w[2] + w[3])
	})
	var total float64
	for _, w := range m.weights { // in chunk order: the same sum for any number of workers
		total += w
	}
	m.ratio = 0
	if census > 0 {
		m.ratio = total / census
	}
	return total
}

// uniform is the propensity of a world without EmigrationByAge (a world
// made by hand): every age alike.
var uniform = func() (u [world.MaxAge + 1]float64) {
	for a := range u {
		u[a] = 1
	}
	return u
}()

// emigrationByAge returns the world's emigration propensity by the head's
// age, or uniform where the world has none (all zero: no one would ever
// emigrate).
func emigrationByAge(s *state.State) *[world.MaxAge + 1]float64 {
	t := &s.World.Rates.EmigrationByAge
	for _, x := range t {
		if x > 0 {
			return t
		}
	}
	return &uniform
}

// b2u is 1 for true and 0 for false (compiled without a branch).
func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// Step emigrates and immigrates for one year.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	P := &s.P
	rates := s.NationalRates() // this year's (world.Rates.In)
	// Emigration by household, decided by the head, at a propensity by the
	// head's age (world.Rates.EmigrationByAge: emigrants are young), times
	// ImmigrantEmig for recent immigrants (under ten years), less an
	// integration programme's retention. The scale k makes the expected
	// emigrants the world's rate × the residents: k = residents /
	// Σ_heads size × propensity, the retention left out of the sum, so
	// that a programme keeps its emigrants without raising others'
	// (weight).
	//
	// The recent arrivals of immigration programmes (population.Programme:
	// an immigration intervention's workers and refugees and their
	// families) come on top of the national flows: they are left out of
	// the residents and the sum, so that they change neither the national
	// immigration nor the others' emigration, and emigrate themselves at
	// the scale of everyone else (as recent immigrants, less the
	// retention). Before engine 0.13.0 they counted: each young one
	// weighs about six residents, and others emigrated about 5 × the rate
	// fewer a year per such arrival. The scale still follows the rest of
	// the run's population: a scenario that keeps more recent immigrants
	// (retention) or their children lowers others' emigration a little
	// (docs/model.md, Known limitations).
	var programme int64
	for _, x := range s.ProgrammeByAge {
		programme += x
	}
	total := float64(s.Residents - programme)
	F := P.ImmigrantEmig
	base := rates.EmigrationRate * P.EmigrationScale
	byAge := emigrationByAge(s)
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
	}
	k := total / math.Max(m.weight(s, F), 1e-9)
	var maxAge float64
	for _, x := range byAge {
		maxAge = max(maxAge, x)
	}
	// Each living head's keyed uniform u (state.Keyed): a head with u
	// below the highest rate pmax has its own rate computed, and emigrates
	// when u is below it too. Exact: P(u < rate) = rate.
	pmax := math.Min(1, base*k*maxAge*math.Max(1, F))
	pNative := math.Min(1, base*k*maxAge)
	s.ForChunks(state.StreamInternational, func(c, lo, hi int, g *state.RNG) {
		out := m.chunks[c][:0]
		// Each living head's own draw (common random numbers); an
		// emigrant records the region, read only for the few.
		flags := p.Flags[lo:hi]
		kEmig := s.Keyed(state.KeyEmigration)
		// Every slot draws, against a bound of 0 (never below) unless it
		// holds a living head: heads and others alternate unpredictably,
		// and a mispredicted branch costs more than the hash.
		// The bound by head (bit 1) and immigrant (bit 0).
		bound := [4]float64{0, 0, pNative, pmax}
		for j, f := range flags {
			i := lo + j
			u := kEmig.U(i)
			if !(u < bound[int(f>>headShift&f)&population.Alive<<1|int(f>>immigrantShift)&1]) {
				continue
			}
			r := base * k * byAge[p.Age[i]]
			if f&population.Immigrant != 0 && p.Years[i] < 10 {
				r *= F * (1 - s.Regions[p.Region[i]].Retention)
			}
			if u < r {
				out = append(out, emigrant{int32(i), p.Region[i]})
			}
		}
		m.chunks[c] = out
	})
	m.emigrate(s, nc)
	m.immigrate(s, total)
}

// emigrate removes the households whose heads m.chunks lists. A household
// lives in one region, so regions are processed in parallel, each in chunk
// order; jobs given up are added up per worker, and the freed slots and
// households are returned in chunk order (members in household order), as
// removing the households one after the other would.
func (m *Model) emigrate(s *state.State, nc int) {
	p := &s.Persons
	n := s.N()
	if len(m.byRegion) != n {
		m.byRegion = make([]regionRemovals, n)
	}
	for r := range m.byRegion {
		x := &m.byRegion[r]
		x.heads, x.households, x.slots = x.heads[:0], x.households[:0], x.slots[:0]
		x.nextHousehold, x.nextSlot = 0, 0
	}
	for c := 0; c < nc; c++ {
		for _, e := range m.chunks[c] {
			x := &m.byRegion[e.region]
			x.heads = append(x.heads, e.head)
		}
	}
	nw := s.Workers
	m.filled = state.WorkerCounters(m.filled, nw, n*world.NumSkills)
	acc := s.Ledger.Accounts
	s.ForEachW(n, func(w, r int) {
		filled := m.filled[w]
		x := &m.byRegion[r]
		for _, head := range x.heads {
			h := p.HH[head]
			members := int32(0)
			// Each removal takes the household's head; the next head is
			// whoever population.Persons makes it (the oldest), so the loop
			// takes the head each time rather than walking the list.
			for j := p.First[h]; j != population.None; j = p.First[h] {
				acc[r].Emigrants++
				if p.Edu[j] >= population.EduBachelor {
					acc[r].NetHigherEd--
				}
				if p.Act[j] == population.Employed {
					filled[int(p.Work[j])*world.NumSkills+int(p.JobSkill[j])]++
				}
				p.RemoveHeld(j) // the household empties with the last member
				x.slots = append(x.slots, j)
				members++
			}
			x.households = append(x.households, removal{h, members})
		}
	})
	for r := range s.Regions {
		for k := 0; k < world.NumSkills; k++ {
			for w := range m.filled {
				s.Regions[r].Filled[k] -= m.filled[w][r*world.NumSkills+k]
			}
		}
	}
	for c := 0; c < nc; c++ {
		for _, e := range m.chunks[c] {
			x := &m.byRegion[e.region]
			hh := x.households[x.nextHousehold]
			x.nextHousehold++
			p.ReleaseHousehold(hh.household)
			for _, j := range x.slots[x.nextSlot : x.nextSlot+int(hh.members)] {
				p.Release(j)
			}
			x.nextSlot += int(hh.members)
		}
	}
}

// regionRemovals are one region's emigrating households in chunk order:
// their heads, then the households removed with their sizes and the slots
// freed, member after member.
type regionRemovals struct {
	heads                   []int32
	households              []removal
	slots                   []int32
	nextHousehold, nextSlot int
}

// removal is a household removed and its number of members.
type removal struct{ household, members int32 }

// immigrate adds this year's immigrants.
func (m *Model) immigrate(s *state.State, pop float64) {
	P := &s.P
	n := s.N()
	g := s.Stream(state.StreamInternational, 1<<31)
	target := g.Round(s.NationalRates().ImmigrationRate * P.ImmigrationScale * pop)
	// Settlement weights: refugees in proportion to population; the others
	// by vacancies and the share of earlier immigrants (networks).
	m.cdf = m.cdf[:0]
	if cap(m.cdf) < 2*n {
		m.cdf = make([]float64, 0, 2*n)
	}
	var totRes float64
	for r := 0; r < n; r++ {
		totRes += float64(s.Regions[r].Residents)
	}
	acc := 0.0
	for r := 0; r < n; r++ { // refugees
		acc += P.RefugeeShare * float64(s.Regions[r].Residents) / math.Max(totRes, 1)
		m.cdf = append(m.cdf, acc)
	}
	var wsum float64
	w := make([]float64, n)
	for r := 0; r < n; r++ {
		rs := &s.Regions[r]
		vac := 0.0
		for k := 0; k < world.NumSkills; k++ {
			vac += math.Max(0, rs.Jobs[k]-float64(rs.Filled[k]))
		}
		net := float64(rs.Immigrants) / math.Max(1, float64(rs.Residents))
		w[r] = (vac + 0.02*float64(rs.Residents)) * (1 + 5*net)
		wsum += w[r]
	}
	for r := 0; r < n; r++ {
		acc += (1 - P.RefugeeShare) * w[r] / math.Max(wsum, 1e-9)
		m.cdf = append(m.cdf, acc)
	}
	if len(m.ageCDF) == 0 {
		a := 0.0
		for _, x := range s.World.Rates.ImmigrantAge {
			a += x
			m.ageCDF = append(m.ageCDF, a)
		}
		m.ages.set(m.ageCDF, m.ageCDF[len(m.ageCDF)-1])
	}
	m.regions.set(m.cdf, acc)
	m.arrive(s, target, false, false, func() int { return m.regions.find(g.Float64()) % n }, m.drawAge, &g)
	m.extra(s)
}

// drawAge draws an immigrant's age from the world's age distribution.
func (m *Model) drawAge(g *state.RNG) int {
	return min(m.ages.find(g.Float64()), world.MaxAge)
}

// guide draws from a cumulative table: find(u) is
// sort.SearchFloat64s(cdf, u·total), the smallest i with cdf[i] ≥ u·total,
// for u ∈ [0, 1), found by a short scan from where the table's bucket of
// u starts instead of a binary search, whose steps are unpredictable
// branches. Exact: u ≥ b/guideBuckets in bucket b, so u·total is at least
// (b/guideBuckets)·total, also once rounded, and the answer at least that
// value's.
type guide struct {
	cdf   []float64
	total float64
	start []int32 // by bucket: the answer for its lowest u
}

const guideBuckets = 1024

func (t *guide) set(cdf []float64, total float64) {
	t.cdf, t.total = cdf, total
	t.start = t.start[:0]
	for b := 0; b < guideBuckets; b++ {
		t.start = append(t.start, int32(sort.SearchFloat64s(cdf, float64(b)/guideBuckets*total)))
	}
}

func (t *guide) find(u float64) int {
	x := u * t.total
	i := int(t.start[int(u*guideBuckets)])
	for i < len(t.cdf) && t.cdf[i] < x {
		i++
	}
	return i
}

// Labour immigrants recruited by an immigration programme are 20–49 years
// old (SSB: most labour immigrants arrive in their twenties and thirties).
const workerMinAge, workerAges = 20, 30

// extra settles the immigrants that immigration programmes add on top of
// the national inflow (RegionState.ExtraImmigrants, sampled, rounded at
// random): refugees with the national immigrants' ages, and labour
// immigrants aged 20–49 who arrive with a job in the region (see employ),
// their partners and children coming on top of the number (a programme of
// 300 workers brings 300 workers). It draws nothing when no region has
// any.
func (m *Model) extra(s *state.State) {
	for r := range s.Regions {
		ex := s.Regions[r].ExtraImmigrants
		if ex[state.ExtraWorkers] <= 0 && ex[state.ExtraRefugees] <= 0 {
			continue
		}
		g := s.Stream(state.StreamArrivals, uint64(r))
		region := func() int { return r }
		m.arrive(s, g.Round(ex[state.ExtraRefugees]), false, true, region, m.drawAge, &g)
		m.arrive(s, g.Round(ex[state.ExtraWorkers]), true, true, region, func(g *state.RNG) int { return workerMinAge + g.IntN(workerAges) }, &g)
		employ(s, r, m.heads)
	}
}

// employ gives the labour immigrants heads (the adults of working age who
// head the households just added; partners seek work like other
// immigrants) a job at their skill level in region r: a vacant one
// while any is vacant, else a new one. Employers recruited them for those
// jobs, so recruitment from abroad is also labour demand.
func employ(s *state.State, r int, heads []int32) {
	p := &s.Persons
	rs := &s.Regions[r]
	for _, i := range heads {
		if p.Act[i] != population.Unemployed {
			continue
		}
		k := state.Skill(p.Edu[i])
		if rs.Jobs[k]-float64(rs.Filled[k]) < 1 {
			rs.Jobs[k]++
		}
		rs.Filled[k]++
		p.Act[i] = population.Employed
		p.Work[i] = uint16(r)
		p.JobSkill[i] = uint8(k)
	}
}

// arrive adds target immigrants in households: each household's region from
// region and the age of its first member from age; children come with a
// parent, and adults aged 25–45 with a partner (partnerShare) and children
// (childShare). With heads, target counts the households' first members
// (labour immigrants), whose families come on top; otherwise every person.
// It leaves the heads of the households it added in m.heads (slots may be
// reused ones, anywhere in the population). With programme, the arrivals
// are flagged population.Programme.
func (m *Model) arrive(s *state.State, target int, heads, programme bool, region func() int, age func(*state.RNG) int, g *state.RNG) {
	p := &s.Persons
	added := 0
	m.heads = m.heads[:0]
	m.arrivals, m.families = m.arrivals[:0], m.families[:0]
	// The draws, slots and households in the order of adding them one after
	// the other; the persons are written below, in parallel. newFamily
	// starts a household headed by the arrival just added.
	newFamily := func() *family {
		m.families = append(m.families, family{household: p.ReserveHousehold(), first: int32(len(m.arrivals) - 1)})
		return &m.families[len(m.families)-1]
	}
	// room: whether a family member fits in the target.
	room := func() bool { return heads || added < target }
	count := 1 // a family member's share of the target
	if heads {
		count = 0
	}
	for added < target {
		r := region()
		age := age(g)
		sex := uint8(g.IntN(2))
		if age < 18 && added+2 > target {
			age = 18 + g.IntN(30) // room for one more person only: an adult
		}
		if age < 18 {
			// A child arrives with a parent 22–39 years older (children
			// come as family members), who heads the household.
			parent := m.add(s, programme, r, min(age+22+g.IntN(18), world.MaxAge), uint8(g.IntN(2)), g)
			f := newFamily()
			m.heads = append(m.heads, parent)
			m.add(s, programme, r, age, sex, g)
			f.n = 2
			added += 2
			continue
		}
		head := m.add(s, programme, r, age, sex, g)
		f := newFamily()
		f.n = 1
		m.heads = append(m.heads, head)
		added++
		if age >= 25 && age <= 45 && room() && g.Float64() < partnerShare {
			m.add(s, programme, r, max(18, age+g.IntN(7)-3), 1-sex, g)
			f.n++
			f.partner = true
			added += count
			if g.Float64() < childShare {
				for c := 1 + g.IntN(2); c > 0 && room(); c-- {
					m.add(s, programme, r, g.IntN(13), uint8(g.IntN(2)), g)
					f.n++
					added += count
				}
			}
		}
	}
	const block = 1024 // households per unit of parallel work
	s.ForEach((len(m.families)+block-1)/block, func(b int) {
		for _, f := range m.families[b*block : min((b+1)*block, len(m.families))] {
			members := m.arrivals[f.first : f.first+f.n]
			for _, a := range members {
				p.AddAt(a.slot, a.x)
			}
			head := members[0].slot
			p.NewHouseholdAt(head, f.household)
			for _, a := range members[1:] {
				p.Join(a.slot, f.household)
			}
			if f.partner {
				q := members[1].slot
				p.Partner[head], p.Partner[q] = q, head
			}
		}
	})
}

func (m *Model) add(s *state.State, programme bool, r, age int, sex uint8, g *state.RNG) int32 {
	p := &s.Persons
	x := population.Person{Age: uint8(age), Sex: sex, Flags: population.Immigrant,
		Region: uint16(r), Work: population.NoRegion, Home: uint16(r), Second: population.NoRegion}
	if programme {
		x.Flags |= population.Programme
	}
	switch {
	case age < 18:
		x.Act = population.Child
		x.Flags |= population.AtHome
	case age >= 67:
		x.Act = population.Retired
	default:
		u := g.Float64()
		for e, sh := range immigrantEdu {
			if u < sh || e == 3 {
				x.Edu = uint8(e)
				break
			}
			u -= sh
		}
		x.Act = population.Unemployed
	}
	i := p.Reserve() // the person is written by arrive
	m.arrivals = append(m.arrivals, arrival{i, x})
	if x.Act == population.Unemployed {
		s.Newcomers = append(s.Newcomers, i)
	}
	acc := &s.Ledger.Accounts[r]
	acc.Immigrants++
	if x.Edu >= population.EduBachelor {
		acc.NetHigherEd++
	}
	return i
}
