// Package migration is step 6 of the tick: internal migration by household.
//
// First, whether to move: a household head's yearly probability is a base
// hazard by age and sex (the young-adult and constant components of a
// Rogers–Castro schedule, women's ahead of men's; children move with their
// parents), scaled by life phase, by
// triggers this year (job loss, graduation, a new or lost partner,
// retirement), by cumulative inertia (years in the region), for recent
// immigrants, and by how much better the alternatives are
// than the current region (the log-sum of destination utilities). Young
// adults still living with their parents decide for themselves and leave
// home when they move.
//
// Then where: a multinomial logit over all other regions with utility
//
//	U(o→d) = V_phase,skill(d) + β_distance·log(minutes(o,d) + 10) + β_home·[d = home]
//
// where V weighs reachable matching jobs and vacancies, price, size,
// services, culture, nature, study places and reputation with weights
// that depend on the life phase (params.Util*), plus the log of the
// dwellings on the market (util_dwellings: how many alternatives the
// region holds, not a motive). The choice is sampled exactly, home bonus
// included. The move's dominant motive is the component of the utility
// gain that is largest (career, housing, amenity, study; the count of
// dwellings is in none of them), unless a trigger or the home region
// decides it (family, return).
//
// A move needs a dwelling: where more households choose a region than it
// has dwellings to find this year, a lottery picks those who move in, and
// the others stay (ration).
package migration

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

const (
	numPhases = params.NumPhases
	numSkills = world.NumSkills
)

// Motive components of a region's utility.
const (
	compCareer = iota
	compHousing
	compAmenity
	compStudy
	numComp
)

// Model holds the destination-choice tables, rebuilt every tick.
type Model struct {
	n int
	// cdf[((ph*numSkills+k)*n+o)*n + d]: cumulative choice weights from o.
	cdf []float64
	// rcdf[(ph*n+o)*n + d]: the same without the labour market, for remote
	// workers (chooseRemote); rv their utilities per (phase, region), then
	// exp(V − max V).
	rcdf, rv []float64
	// tcdf and tv: the same for those with a taste for small places
	// (params small_taste_share), who weigh no labour market either;
	// built only when the share is above 0.
	tcdf, tv []float64
	// v and comp per (phase, skill, region); ev = exp(v − max v), ls the log-sums.
	v, ev, ls []float64
	comp      [][numComp]float64
	// opp is the opportunity multiplier per (phase, skill, origin).
	opp []float64
	// dist[ph][o*n+d] = (minutes+10)^β_distance, cached per travel matrix.
	dist     [numPhases][]float64
	distKey  []float32
	distBeta [numPhases]float64
	chunks   [][]decision
	base     [2][world.MaxAge + 1]float64     // by sex (0 women) and age: BaseHazard
	trigger  [population.Triggers + 1]float64 // multiplier by trigger bits
	tenure   [11]float64                      // multiplier by years in the region (cumulative inertia)
	// The labour and housing market seen from each region (markets).
	reachJobs, reachVac [][numSkills]float64
	vacantDw            []float64
	seen                []int32 // scratch: the group that last counted a region
	conv                [][]int32
	bnd                 bounds        // the bound on moveProb
	cands               [][]candidate // per chunk: this tick's candidates
	walks               [][]int32     // per chunk: scratch of householdFacts
	// leaveHome: households with a member leaving alone, with more than
	// one, and the members left in those.
	marks, twice state.Marks
	left         map[int32]int
	// ration: the dwellings to move into by region, the decisions by
	// destination (flat indices, from start[d]) and those dropped.
	room        []float64
	start, next []int32
	order       []int32
	dropped     []bool
	flatDec     []*decision // ration: the decisions by flat index (poolHousing)
	place       []float64   // ration: the decision's place in its lottery, by flat index
}

// triggerFactor returns the product of the multipliers of the trigger flags in t.
func (m *Model) triggerFactor(t uint16) float64 { return m.trigger[t] }

// candidate is a decision-maker whose keyed uniform u is below the bound
// on their moving probability: the move is decided from the exact
// probability, which needs the facts of the household (householdFacts).
type candidate struct {
	person int32
	u      float64
	alone  bool
	kids   bool // someone else in the household is under 18 (state.HasChildren)
	school bool // kids, and one of them is of school age (6–15)
}

type decision struct {
	person int32
	dest   int32
	motive uint8
	alone  bool // a young adult leaving the parental home
	// For those leaving alone (leaveHome): whether the person is the only
	// member of the household, whether another of its members leaves
	// alone too, and the household the person gets.
	sole, shared bool
	household    int32
}

func (m *Model) idx(ph, k, o int) int { return (ph*numSkills+k)*m.n + o }

// Step decides and carries out this year's internal moves.
func (m *Model) Step(s *state.State) {
	m.tables(s)
	p := &s.Persons
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
		m.cands = append(m.cands, nil)
		m.walks = append(m.walks, nil)
	}
	m.setBounds(s)
	smallShare := s.P.SmallTasteShare
	s.ForChunks(state.StreamMigration, func(c, lo, hi int, g *state.RNG) {
		out := m.chunks[c][:0]
		cands := m.cands[c][:0]
		// Each decision-maker's keyed uniform (state.Keyed) against a
		// cheap bound on their moving probability from the flags, sex,
		// age, tenure, education and region picks the candidates; only
		// theirs is computed exactly, and they move when the same uniform
		// is below it. The destination is drawn with another keyed
		// uniform, so that a person's choice depends on no one else's
		// draws (common random numbers).
		kMove, kDest := s.Keyed(state.KeyMove), s.Keyed(state.KeyDestination)
		b := &m.bnd
		bound := b.region
		flags := p.Flags[lo:hi]
		tenure, ages, sexes, edus, regions, acts := p.Tenure[lo:hi], p.Age[lo:hi], p.Sex[lo:hi], p.Edu[lo:hi], p.Region[lo:hi], p.Act[lo:hi]
		for j, f := range flags {
			// Household heads and young adults at home decide, once they
			// have lived a year in the region.
			if f&population.Alive == 0 || f&(population.Head|population.AtHome) == 0 {
				continue
			}
			t := tenure[j]
			age := min(int(ages[j]), world.MaxAge)
			alone := f&population.AtHome != 0 && age >= 18
			if t == 0 || !alone && f&population.Head == 0 {
				continue
			}
			i := lo + j
			o := int(regions[j])
			band := int(b.band[2*b2i(acts[j] == population.Student)+b2i(alone)][age])
			x := b.base[sexes[j]&1][age] * b.tenure[min(t, 10)] * b.trigger[f&population.Triggers] *
				b.immigrant[f/population.Immigrant&1] *
				bound[(o*numBands+band)*numSkills+int(skillOf[edus[j]&3])]
			if u := kMove.U(i); u < x {
				cands = append(cands, candidate{person: int32(i), u: u, alone: alone})
			}
		}
		// The candidates' exact probabilities, once what they need of the
		// households has been fetched for all of them (householdFacts).
		householdFacts(s, cands, &m.walks[c])
		for _, cd := range cands {
			i := cd.person
			prob, ph, k := m.moveProb(s, i, cd.alone, cd.kids, cd.school)
			if !(cd.u < prob) {
				continue
			}
			f := p.Flags[i]
			o, home := int(p.Region[i]), int(p.Home[i])
			var dst int
			// Those with a taste for small places weigh no labour market;
			// fully remote workers choose among all regions (their job
			// goes along); hybrid ones as others do, since they keep the
			// job only within the hybrid commute.
			switch {
			case smallShare > 0 && SmallTaste(s, i):
				dst = m.chooseIn(s, m.tcdf[(ph*m.n+o)*m.n:(ph*m.n+o+1)*m.n], ph, o, home, kDest.U(int(i)))
			case f&(population.Remote|population.Hybrid) == population.Remote && p.Act[i] == population.Employed:
				dst = m.chooseRemote(s, ph, o, home, kDest.U(int(i)))
			default:
				dst = m.choose(s, ph, k, o, home, kDest.U(int(i)))
			}
			if dst < 0 {
				continue
			}
			// Rootedness (home_stay_factor): one born in Norway who lives
			// where they grew up leaves its commuting reach only with
			// this probability; moves within it keep the ties, and so
			// does a graduate's move (whose register catches up with
			// where they studied). A hash of the person and year decides
			// (a keyed draw of its own), so that every other draw is the
			// same for any value of the factor.
			if P := &s.P; P.HomeStay < 1 && home == o && f&(population.Immigrant|population.Graduated) == 0 &&
				s.Minutes[o*m.n+dst] > float32(P.CommuteMinutes) &&
				rng.Uniform(rng.Mix(s.Seed, state.StreamHomeStay, uint64(s.Year), uint64(i))) >= P.HomeStay {
				continue
			}
			out = append(out, decision{person: i, dest: int32(dst), motive: uint8(m.motive(ph, k, o, dst, home, f&population.Triggers)), alone: cd.alone})
		}
		m.cands[c] = cands
		m.chunks[c] = out
	})
	m.ration(s, nc)
	// Young adults leaving home first, so a household that also moves no
	// longer takes them along; then the households.
	m.leaveHome(s, nc)
	// Each decision moves its own household (one decision-maker per
	// household, and those leaving alone have left it), so the households
	// move in parallel.
	s.ForMoves(nc, func(mv *state.Mover, c int) {
		for _, dc := range m.chunks[c] {
			if !dc.alone {
				mv.MoveHousehold(p.HH[dc.person], int(dc.dest), int(dc.motive))
			}
		}
	})
	m.convert(s)
}

// SmallTaste reports whether the person in slot i has a taste for small
// places (params small_taste_share): a uniform keyed by the slot and the
// year of birth, so that the class lasts the person's life (a slot is
// theirs while they live) and is the same in every scenario with the seed
// (common random numbers).
func SmallTaste(s *state.State, i int32) bool {
	born := s.Year - int(s.Persons.Age[i])
	return rng.Uniform(rng.Mix(s.Seed, state.StreamTaste, uint64(i), uint64(born))) < s.P.SmallTasteShare
}

// BaseHazard is the base moving propensity of a decision-maker of sex sx
// (0 women, 1 men) aged a, before the move scale and the other factors: a
// Rogers–Castro labour-force peak and a constant (base_*). Women's
// schedule runs young_women_shift years ahead of men's (they move
// earlier, SSB), and from 18 to 24 it is young_women_factor times higher
// (they also move more), tapering to no difference by 30 so that the
// schedule has no step.
func BaseHazard(P *params.Params, sx, a int) float64 {
	x := float64(a) - P.BaseMu2
	if sx == 0 {
		x += P.YoungWomenShift
	}
	h := P.BaseA2*math.Exp(-P.BaseAlpha2*x-math.Exp(-P.BaseLambda2*x)) + P.BaseC
	if sx == 0 && a >= 18 && a < 30 {
		taper := min(1, float64(30-a)/6) // 1 at 18–24, 5/6 at 25 … 1/6 at 29
		h *= 1 + (P.YoungWomen-1)*taper
	}
	return h
}

// selectLowest reorders lots (flat indices of decisions) so that its first
// k are the k lowest by place, ties by index (a total order, so the set does
// not depend on how it is found): Hoare's selection, linear on average,
// where sorting every lottery cost about 40 ms of CPU a year at scale 1.
func selectLowest(lots []int32, k int, place []float64) {
	less := func(a, b int32) bool { return place[a] < place[b] || place[a] == place[b] && a < b }
	lo, hi := 0, len(lots)-1
	for k > 0 && k < len(lots) && lo < hi {
		mid := lo + (hi-lo)/2
		if less(lots[mid], lots[lo]) {
			lots[mid], lots[lo] = lots[lo], lots[mid]
		}
		if less(lots[hi], lots[lo]) {
			lots[hi], lots[lo] = lots[lo], lots[hi]
		}
		if less(lots[hi], lots[mid]) {
			lots[hi], lots[mid] = lots[mid], lots[hi]
		}
		pivot := lots[mid]
		i, j := lo, hi
		for i <= j {
			for less(lots[i], pivot) {
				i++
			}
			for less(pivot, lots[j]) {
				j--
			}
			if i <= j {
				lots[i], lots[j] = lots[j], lots[i]
				i++
				j--
			}
		}
		// [lo, j] ≤ pivot ≤ [i, hi], and j < i: narrow to the side that
		// holds position k (the first index after the k lowest).
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// ration drops the moves into a region beyond the dwellings a household can
// find there this year (available: the empty ones beyond the normal vacancy
// plus those last year's leavers freed): each
// moving household and each young adult leaving home needs one. Where more
// decisions name a region than it has dwellings, a lottery among them
// picks as many as it has, the fraction of a last dwelling taken with its
// probability (the region's own stream): those of the lowest places, each
// decision-maker's place a keyed uniform (state.KeyRation), so that a
// decision's chance does not depend on who else applied (common random
// numbers) nor the result on the workers; the others stay where they are
// this year. A young adult
// whose own move is dropped still moves along if the household's move is
// kept. The decisions kept keep their order. Slots follow the regions
// people were synthesised in, so an order by slot would favour some
// origins; the lottery does not. Moves into a region by conversion of part-time
// residents and by immigration are not rationed.
func (m *Model) ration(s *state.State, nc int) {
	n := s.N()
	if len(m.room) != n {
		m.room = make([]float64, n)
		m.start = make([]int32, n+1)
	}
	// The decisions by destination, each in chunk order (a counting sort
	// of their flat indices).
	clear(m.start)
	for c := 0; c < nc; c++ {
		for _, dc := range m.chunks[c] {
			m.start[dc.dest+1]++
		}
	}
	over := false
	for d := 0; d < n; d++ {
		m.room[d] = available(s, d)
		if float64(m.start[d+1]) > m.room[d] || !(m.room[d] >= 0) {
			over = true
		}
		m.start[d+1] += m.start[d]
	}
	if !over {
		return
	}
	total := int(m.start[n])
	m.order = slices.Grow(m.order[:0], total)[:total]
	m.dropped = slices.Grow(m.dropped[:0], total)[:total]
	clear(m.dropped)
	next := m.next[:0]
	next = append(next, m.start[:n]...)
	flat := int32(0)
	kRation := s.Keyed(state.KeyRation)
	m.place = slices.Grow(m.place[:0], total)[:total]
	for c := 0; c < nc; c++ {
		for _, dc := range m.chunks[c] {
			m.order[next[dc.dest]] = flat
			m.place[flat] = kRation.U(int(dc.person))
			next[dc.dest]++
			flat++
		}
	}
	m.next = next
	for d := 0; d < n; d++ {
		lots := m.order[m.start[d]:m.start[d+1]]
		room := m.room[d]
		if float64(len(lots)) <= room {
			continue
		}
		keep := 0
		g := s.Stream(state.StreamRation, uint64(d))
		if room > 0 { // false for NaN too
			keep = int(room)
			if g.Float64() < room-float64(keep) {
				keep++
			}
		}
		// The keep of the lowest places win. A member of a municipal
		// cooperation offers the others it turns away to the other members
		// in the order of their places (poolHousing), so they are sorted
		// too; elsewhere their order does not matter.
		selectLowest(lots, keep, m.place)
		if s.Regions[d].Cooperation >= 0 {
			rest := lots[keep:]
			slices.SortFunc(rest, func(a, b int32) int {
				if m.place[a] != m.place[b] {
					return cmp.Compare(m.place[a], m.place[b])
				}
				return cmp.Compare(a, b)
			})
		}
		for _, k := range lots[keep:] {
			m.dropped[k] = true
		}
	}
	m.poolHousing(s, nc)
	flat = 0
	for c := 0; c < nc; c++ {
		out := m.chunks[c]
		kept := out[:0]
		for _, dc := range out {
			if !m.dropped[flat] {
				kept = append(kept, dc)
			}
			flat++
		}
		m.chunks[c] = kept
	}
}

// poolHousing makes each municipal cooperation one housing market too
// (MODEL.md: "a group of municipalities acting as one housing and labour
// market"): a mover turned away by a member's dwellings (ration) is housed
// in another member with room left, the one with the most (the lowest
// index of equals), never the mover's own region; the move keeps its
// motive. Sequential and without random draws, so the outputs stay the
// same for any number of workers.
func (m *Model) poolHousing(s *state.State, nc int) {
	n := s.N()
	groups := 0
	for d := 0; d < n; d++ {
		groups = max(groups, int(s.Regions[d].Cooperation)+1)
	}
	if groups == 0 {
		return
	}
	m.flatDec = m.flatDec[:0]
	for c := 0; c < nc; c++ {
		for k := range m.chunks[c] {
			m.flatDec = append(m.flatDec, &m.chunks[c][k])
		}
	}
	p := &s.Persons
	spare := make([]float64, n) // room left after the members' own movers
	for g := int32(0); g < int32(groups); g++ {
		var members []int
		for d := 0; d < n; d++ {
			if s.Regions[d].Cooperation == g {
				members = append(members, d)
			}
		}
		if len(members) < 2 {
			continue
		}
		for _, d := range members {
			kept := 0
			for _, k := range m.order[m.start[d]:m.start[d+1]] {
				if !m.dropped[k] {
					kept++
				}
			}
			spare[d] = math.Floor(math.Max(0, m.room[d]-float64(kept)))
		}
		for _, d := range members {
			for _, k := range m.order[m.start[d]:m.start[d+1]] {
				if !m.dropped[k] {
					continue
				}
				dc := m.flatDec[k]
				origin := int(p.Region[dc.person])
				best := -1
				for _, e := range members {
					if e != d && e != origin && spare[e] >= 1 && (best < 0 || spare[e] > spare[best]) {
						best = e
					}
				}
				if best < 0 {
					continue
				}
				spare[best]--
				dc.dest = int32(best)
				m.dropped[k] = false
			}
		}
	}
}

// leaveHome carries out the decisions of young adults to leave the
// parental home alone, as one after the other in chunk order would: each
// leaves the household (freeing it if it empties), gets a new one and
// moves. What they share is the free list of households: a person alone in
// the household keeps it (it is freed and taken again), the others take
// the next free one. So the households are handed out first, in order,
// from whether each is alone when leaving; then those whose household no
// other leaves with them leave and move in parallel, and the others one
// after the other.
func (m *Model) leaveHome(s *state.State, nc int) {
	p := &s.Persons
	m.marks.Reset(p.Households())
	m.twice.Reset(p.Households())
	s.ForEach(nc, func(c int) {
		out := m.chunks[c]
		for k := range out {
			dc := &out[k]
			if !dc.alone {
				continue
			}
			i := dc.person
			h := p.HH[i]
			dc.sole, dc.household = false, h
			if h == population.None {
				continue
			}
			dc.sole = p.First[h] == i && p.Next[i] == population.None
			if m.marks.Add(h) {
				m.twice.Add(h)
			}
		}
	})
	// Households handed out in order. Where several members leave, the
	// last one left is alone.
	left := m.left
	clear(left)
	any := false
	for c := 0; c < nc; c++ {
		out := m.chunks[c]
		for k := range out {
			dc := &out[k]
			if !dc.alone {
				continue
			}
			h := dc.household // the current one, from above
			dc.shared = h != population.None && m.twice.Has(h)
			if dc.shared {
				if left == nil {
					left = map[int32]int{}
				}
				n, ok := left[h]
				if !ok {
					n = p.Size(h)
				}
				dc.sole = n == 1
				left[h] = n - 1
				any = true
			}
			if !dc.sole {
				dc.household = p.ReserveHousehold()
			}
		}
	}
	m.left = left
	// leave: a household emptied is dc.household.
	leave := func(dc *decision) {
		p.LeaveHeld(dc.person)
		p.NewHouseholdAt(dc.person, dc.household)
		p.Flags[dc.person] &^= population.AtHome
	}
	s.ForMoves(nc, func(mv *state.Mover, c int) {
		out := m.chunks[c]
		for k := range out {
			if dc := &out[k]; dc.alone && !dc.shared {
				leave(dc)
				mv.TakeReserved(int(dc.dest), params.EarlyCareer)
				mv.MovePerson(dc.person, int(dc.dest), int(dc.motive))
			}
		}
	})
	if !any {
		return
	}
	for c := 0; c < nc; c++ {
		out := m.chunks[c]
		for k := range out {
			if dc := &out[k]; dc.alone && dc.shared {
				leave(dc)
				s.TakeReserved(int(dc.dest), params.EarlyCareer)
				s.MovePerson(dc.person, int(dc.dest), int(dc.motive))
			}
		}
	}
}

// b2f is 1 for true and 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// skillOf is state.Skill by education level.
var skillOf = [4]uint8{world.SkillLow, world.SkillMedium, world.SkillHigh, world.SkillHigh}

// Bands of decision-makers for the bound on the moving probability: the
// life phases each can be in.
const (
	bandYoung   = iota // under 35: early career or family
	bandMiddle         // 35–66: established or family
	bandOld            // 67 and over: senior
	bandAlone          // an adult leaving the parental home: early career
	bandStudent        // a student, at any age
	numBands
)

// bandPhases lists the phases of each band.
var bandPhases = [numBands][]int{
	bandYoung:   {params.EarlyCareer, params.Family},
	bandMiddle:  {params.Established, params.Family},
	bandOld:     {params.Senior},
	bandAlone:   {params.EarlyCareer},
	bandStudent: {params.Student},
}

// bounds holds the factors of the bound on a decision-maker's moving
// probability (moveProb), rebuilt every tick: each is the exact factor or
// one at least as large.
type bounds struct {
	base      [2][world.MaxAge + 1]float64 // by sex and age: base hazard, move scale, young women
	band      [4][world.MaxAge + 1]uint8   // by 2·student + alone, and age
	tenure    [11]float64
	trigger   [population.Triggers + 1]float64
	immigrant [2]float64 // by the Immigrant flag: the recent-immigrant factor if above 1
	// region[(o*numBands+band)*numSkills+k]: the largest phase factor times
	// opportunity over the band's phases, with the school-child and
	// integration factors where they exceed 1.
	region []float64
}

// setBounds fills m.bnd from the tables of this tick.
func (m *Model) setBounds(s *state.State) {
	P := &s.P
	b := &m.bnd
	for a := 0; a <= world.MaxAge; a++ {
		for sx := 0; sx < 2; sx++ {
			b.base[sx][a] = m.base[sx][a] * P.MoveScale
		}
		switch {
		case a < 35:
			b.band[0][a] = bandYoung
		case a < 67:
			b.band[0][a] = bandMiddle
		default:
			b.band[0][a] = bandOld
		}
		b.band[1][a] = bandAlone
		b.band[2][a], b.band[3][a] = bandStudent, bandStudent
	}
	b.tenure = m.tenure
	b.trigger = m.trigger
	b.immigrant = [2]float64{1, max(1, P.ImmigrantMove)}
	n := m.n
	if len(b.region) != n*numBands*numSkills {
		b.region = make([]float64, n*numBands*numSkills)
	}
	for o := 0; o < n; o++ {
		extra := max(1, 1-s.Regions[o].Retention)
		for band, phases := range bandPhases {
			for k := 0; k < numSkills; k++ {
				x := 0.0
				for _, ph := range phases {
					f := P.PhaseFactor[ph] * m.opp[m.idx(ph, k, o)]
					if ph == params.Family {
						f *= max(1, P.SchoolChild)
					}
					x = max(x, f)
				}
				b.region[(o*numBands+band)*numSkills+k] = x * extra
			}
		}
	}
}

// moveProb returns the probability that decision-maker i moves this year
// (capped at 0.95), the life phase and the skill level: a household head,
// or a young adult leaving the parental home (alone). It is a yearly
// hazard by sex and age (BaseHazard: women's schedule ahead of men's),
// times the phase factor and the opportunity of the origin for the phase
// and skill, for recent immigrants, an integration programme where they
// live, tenure, triggers
// and, for families, school-age children. It is at most the bound made of
// the factors in m.bnd.
func (m *Model) moveProb(s *state.State, i int32, alone, kids, school bool) (prob float64, ph, k int) {
	p := &s.Persons
	P := &s.P
	ph, family := s.PhaseNoFamily(i)
	if alone {
		ph, family = params.EarlyCareer, false
		if p.Act[i] == population.Student {
			ph = params.Student
		}
	}
	if ph == params.Child {
		return 0, ph, 0
	}
	f := p.Flags[i]
	age := p.Age[i]
	o := int(p.Region[i])
	k = state.Skill(p.Edu[i])
	// A student studying beyond the commute keeps the registered address
	// they had (study_registered_home: at their parents' or their own)
	// until graduating.
	if P.StudyAtHome > 0 && ph == params.Student &&
		p.Work[i] != population.NoRegion && s.Minutes[o*m.n+int(p.Work[i])] > float32(P.CommuteMinutes) {
		return 0, ph, k
	}
	prob = m.base[p.Sex[i]&1][age] * P.MoveScale
	if f&population.Immigrant != 0 && p.Years[i] <= 5 {
		prob *= P.ImmigrantMove
	}
	// An integration programme where they live keeps newcomers
	// (intervention "immigration": integration).
	if ret := s.Regions[o].Retention; ret > 0 && f&population.Immigrant != 0 && p.Years[i] < 10 {
		prob *= 1 - ret
	}
	prob *= m.tenure[min(p.Tenure[i], 10)]
	// Triggers (shared by partners, see population.Triggers).
	prob *= m.triggerFactor(f & population.Triggers)
	if family && kids {
		ph = params.Family
		if school {
			prob *= P.SchoolChild
		}
	}
	prob *= P.PhaseFactor[ph] * m.opp[m.idx(ph, k, o)]
	// A stronger attachment to the region they grew up in and still live
	// in (intervention "youth") is utility they would give up by moving:
	// it lowers the propensity as a smaller gain of the alternatives
	// does, exp(opportunity_weight × Δ) with the utility gap Δ bounded by
	// 3 as in m.opp. Only a factor ≤ 1, so the bound on the probability holds.
	if b := s.Regions[o].AttachBoost; b > 0 && int(p.Home[i]) == o {
		prob *= math.Exp(-P.OpportunityW * math.Min(3, b))
	}
	return min(prob, 0.95), ph, k
}

// convert moves part-time residents to their second-home region for good:
// each household whose head has a second home in a region with a
// Conversion rate (part_time_residents) moves there with that yearly
// probability, with the motive amenity. It draws nothing when no region has
// a rate, so the baseline is unchanged.
func (m *Model) convert(s *state.State) {
	any := false
	for r := range s.Regions {
		any = any || s.Regions[r].Conversion > 0
	}
	if !any {
		return
	}
	p := &s.Persons
	nc := s.NumChunks()
	for len(m.conv) < nc {
		m.conv = append(m.conv, nil)
	}
	s.ForChunks(state.StreamConversion, func(c, lo, hi int, g *state.RNG) {
		out := m.conv[c][:0]
		for i := lo; i < hi; i++ {
			if p.Flags[i]&(population.Alive|population.Head) != population.Alive|population.Head {
				continue
			}
			sh := p.Second[i]
			if sh == population.NoRegion || sh == p.Region[i] {
				continue
			}
			if rate := s.Regions[sh].Conversion; rate > 0 && g.Float64() < rate {
				out = append(out, int32(i))
			}
		}
		m.conv[c] = out
	})
	for c := 0; c < nc; c++ {
		for _, i := range m.conv[c] {
			s.MoveHousehold(p.HH[i], int(p.Second[i]), state.MotiveAmenity)
		}
	}
}

// householdFacts sets, for the candidates cs that head a household, kids
// (state.HasChildren) and, where the school-child factor applies, school
// (a member aged 6–15). It works in stages over all candidates, each
// reading one thing per candidate (the household, its count of children,
// then the members, one step of every walk at a time), so that the
// memory of many households is fetched at once rather than one after
// the other. walk is scratch space.
func householdFacts(s *state.State, cs []candidate, walk *[]int32) {
	p := &s.Persons
	for k := range cs {
		c := &cs[k]
		c.kids, c.school = false, false
		if h := p.HH[c.person]; !c.alone && h != population.None {
			c.kids = p.Kids[h]-int32(b2i(p.Age[c.person] < 18)) > 0
		}
	}
	if !(s.P.SchoolChild < 1) {
		return
	}
	// Walks: candidate index and the member reached.
	w := (*walk)[:0]
	for k := range cs {
		if cs[k].kids {
			w = append(w, int32(k), p.First[p.HH[cs[k].person]])
		}
	}
	for len(w) > 0 {
		live := w[:0]
		for x := 0; x < len(w); x += 2 {
			k, j := w[x], w[x+1]
			if a := p.Age[j]; a >= 6 && a <= 15 {
				cs[k].school = true
				continue
			}
			if j = p.Next[j]; j != population.None {
				live = append(live, k, j)
			}
		}
		w = live
	}
	*walk = w
}

// choose samples a destination from o for a person of phase ph and skill k
// with home region home, from the logit with the home bonus added exactly:
// P(home) = w_h·e^B / (W − w_h + w_h·e^B); otherwise the choice is drawn
// from the table over the other regions in one search (the draw skips
// home's interval). It returns −1 only when no region has weight.
func (m *Model) choose(s *state.State, ph, k, o, home int, u float64) int {
	n := m.n
	return m.chooseIn(s, m.cdf[m.idx(ph, k, o)*n:m.idx(ph, k, o)*n+n], ph, o, home, u)
}

// chooseRemote is choose for a household whose decision-maker works
// remotely: the job goes along, so the destinations are weighed without
// their labour market (remote tables, see tables).
func (m *Model) chooseRemote(s *state.State, ph, o, home int, u float64) int {
	n := m.n
	return m.chooseIn(s, m.rcdf[(ph*n+o)*n:(ph*n+o)*n+n], ph, o, home, u)
}

// chooseIn draws from one origin's cumulative row (see choose).
func (m *Model) chooseIn(s *state.State, row []float64, ph, o, home int, u float64) int {
	n := m.n
	total := row[n-1]
	if total <= 0 {
		return -1
	}
	if home == o {
		return m.search(row, u*total, o)
	}
	start := 0.0 // cumulative weight before home
	if home > 0 {
		start = row[home-1]
	}
	wh := row[home] - start
	bonus := math.Exp(s.P.UtilHome[ph] + s.Regions[home].AttachBoost)
	pHome := wh * bonus / (total - wh + wh*bonus)
	if u < pHome {
		return home
	}
	if total-wh <= 0 {
		return -1
	}
	// A fresh uniform over the other regions' weight, mapped past home.
	x := (u - pHome) / (1 - pHome) * (total - wh)
	if x >= start {
		x += wh
	}
	return m.search(row, x, o)
}

// search returns the region whose interval of the cumulative row holds x,
// never o (whose interval is empty) or a region of zero weight.
func (m *Model) search(row []float64, x float64, o int) int {
	d := sort.Search(len(row), func(i int) bool { return row[i] > x })
	if d >= len(row) {
		d = len(row) - 1
		for d > 0 && (d == o || row[d] == row[d-1]) {
			d--
		}
	}
	return d
}

// motive returns the dominant motive of a move from o to d.
func (m *Model) motive(ph, k, o, d, home int, trig uint16) int {
	switch {
	case d == home && home != o:
		return state.MotiveReturn
	case trig&population.NewPartner != 0:
		return state.MotiveFamily
	case trig&(population.LostJob|population.Graduated) != 0:
		return state.MotiveCareer
	case ph == params.Student:
		return state.MotiveStudy
	}
	co, cd := m.comp[m.idx(ph, k, o)], m.comp[m.idx(ph, k, d)]
	best, bestGain := state.MotiveHousing, 0.0
	motives := [numComp]int{state.MotiveCareer, state.MotiveHousing, state.MotiveAmenity, state.MotiveStudy}
	for c := 0; c < numComp; c++ {
		if gain := cd[c] - co[c]; gain > bestGain {
			best, bestGain = motives[c], gain
		}
	}
	if trig&population.NewRetiree != 0 && best == state.MotiveCareer {
		return state.MotiveAmenity
	}
	return best
}

// tables rebuilds the utilities, the choice tables and the opportunity
// multipliers from the current state.
func (m *Model) tables(s *state.State) {
	n := s.N()
	P := &s.P
	if m.n != n {
		m.n = n
		m.cdf = make([]float64, numPhases*numSkills*n*n)
		m.v = make([]float64, numPhases*numSkills*n)
		m.comp = make([][numComp]float64, numPhases*numSkills*n)
		m.opp = make([]float64, numPhases*numSkills*n)
		m.rcdf = make([]float64, numPhases*n*n)
		m.rv = make([]float64, numPhases*n)
		m.tcdf, m.tv = nil, nil
	}
	small := P.SmallTasteShare > 0
	if small && len(m.tcdf) != numPhases*n*n {
		m.tcdf = make([]float64, numPhases*n*n)
		m.tv = make([]float64, numPhases*n)
	}
	// Base hazard by age (Rogers–Castro labour and constant components).
	for a := range m.base[0] {
		m.base[0][a], m.base[1][a] = BaseHazard(P, 0, a), BaseHazard(P, 1, a)
	}
	for y := range m.tenure {
		m.tenure[y] = math.Max(0.3, 1-P.TenureDecay*float64(y))
	}
	for t := range m.trigger {
		f := 1.0
		if t&population.LostJob != 0 {
			f *= P.JobLossMove
		}
		if t&population.Graduated != 0 {
			f *= P.GraduateMove
		}
		if t&population.NewPartner != 0 {
			f *= P.PartnerMove
		}
		if t&population.NewRetiree != 0 {
			f *= P.RetireMove
		}
		m.trigger[t] = f
	}
	m.distances(s)
	inv := 1 / s.Scale // utilities use real-scale counts, so they do not depend on scale
	m.markets(s)
	for j := 0; j < n; j++ {
		rs := &s.Regions[j]
		reg := &s.World.Regions[j]
		reachJobs, reachVac, vacant := m.reachJobs[j], m.reachVac[j], m.vacantDw[j]
		// Dwellings built for a group stand empty for the others.
		reserved := 0.0
		for g := range rs.Reserved {
			reserved += rs.Reserved[g]
		}
		reserved = min(reserved, vacant)
		a := reg.Amenities
		b := rs.AmenityBoost
		for ph := 1; ph < numPhases; ph++ {
			amen := P.UtilSize[ph]*math.Log(1+float64(rs.Residents)*inv) +
				P.UtilServices[ph]*(a.Services+b.Services) +
				P.UtilCulture[ph]*(a.Culture+b.Culture+0.5*(a.Centre+b.Centre)) +
				P.UtilNature[ph]*(a.Nature+b.Nature) +
				P.UtilBroadband[ph]*(rs.Broadband-a.Broadband) +
				rs.Reputation
			vacantDw := vacant - reserved
			if g := state.ReservedFor(ph); g >= 0 {
				vacantDw += min(rs.Reserved[g], reserved)
			}
			vacantDw = math.Max(1, vacantDw)
			// What a dwelling here offers (comp: the motives, and the
			// opportunity of those living here), and how many dwellings
			// there are to choose among (dwell: the destination's size).
			house := P.UtilPrice[ph] * math.Log(rs.Price*(1-rs.Subsidy[ph]))
			dwell := P.UtilDwell * math.Log(vacantDw*inv)
			study := P.UtilCampus[ph] * math.Log(1+rs.StudyPlaces*inv)
			for k := 0; k < numSkills; k++ {
				career := P.UtilJobs[ph]*math.Log(1+reachJobs[k]*inv) +
					P.UtilVacancy[ph]*math.Log(1+reachVac[k]*inv*(1+rs.Visibility))
				x := m.idx(ph, k, j)
				m.comp[x] = [numComp]float64{career, house, amen, study}
				m.v[x] = career + house + amen + study + dwell
			}
			m.rv[ph*n+j] = house + amen + study + dwell
			if small {
				m.tv[ph*n+j] = m.rv[ph*n+j] + (P.SmallTasteSize-P.UtilSize[ph])*math.Log(1+float64(rs.Residents)*inv) +
					P.SmallTasteNature*(a.Nature+b.Nature)
			}
		}
	}
	// exp(U) = exp(V_d − max V)·(minutes + 10)^β: the exponentials of V
	// (shifted by their maximum for numerical safety) once per phase and
	// skill, the distance factors from the cache.
	if len(m.ev) != len(m.v) {
		m.ev = make([]float64, len(m.v))
		m.ls = make([]float64, len(m.v))
	}
	var vmax [numPhases][numSkills]float64
	for ph := 1; ph < numPhases; ph++ {
		for k := 0; k < numSkills; k++ {
			vrow := m.v[m.idx(ph, k, 0) : m.idx(ph, k, 0)+n]
			mx := math.Inf(-1)
			for _, v := range vrow {
				mx = math.Max(mx, v)
			}
			vmax[ph][k] = mx
			for d, v := range vrow {
				m.ev[m.idx(ph, k, d)] = math.Exp(v - mx)
			}
		}
	}
	// Remote tables: the same utilities without the labour market, for
	// households whose decision-maker's job goes along (chooseRemote).
	// The tables of the taste for small places likewise.
	for ph := 1; ph < numPhases; ph++ {
		vs := [][]float64{m.rv[ph*n : ph*n+n]}
		if small {
			vs = append(vs, m.tv[ph*n:ph*n+n])
		}
		for _, v := range vs {
			mx := math.Inf(-1)
			for _, x := range v {
				mx = math.Max(mx, x)
			}
			for j, x := range v {
				v[j] = math.Exp(x - mx) // from here on exp(V − max V)
			}
		}
	}
	s.ForEach(n, func(o int) {
		for ph := 1; ph < numPhases; ph++ {
			dist := m.dist[ph][o*n : o*n+n]
			cum := func(ev, row []float64) {
				acc := 0.0
				for d := 0; d < n; d++ {
					if d != o {
						acc += ev[d] * dist[d]
					}
					row[d] = acc
				}
			}
			cum(m.rv[ph*n:ph*n+n], m.rcdf[(ph*n+o)*n:(ph*n+o)*n+n])
			if small {
				cum(m.tv[ph*n:ph*n+n], m.tcdf[(ph*n+o)*n:(ph*n+o)*n+n])
			}
		}
	})
	// Choice tables per origin, and log-sums.
	ls := m.ls
	s.ForEach(n, func(o int) {
		for ph := 1; ph < numPhases; ph++ {
			dist := m.dist[ph][o*n : o*n+n]
			for k := 0; k < numSkills; k++ {
				ev := m.ev[m.idx(ph, k, 0) : m.idx(ph, k, 0)+n]
				row := m.cdf[m.idx(ph, k, o)*n : m.idx(ph, k, o)*n+n]
				acc := 0.0
				for d := 0; d < n; d++ {
					if d != o {
						acc += ev[d] * dist[d]
					}
					row[d] = acc
				}
				ls[m.idx(ph, k, o)] = math.Log(acc) + vmax[ph][k]
			}
		}
	})
	// Opportunity: exp(w·(Δ_o − mean Δ)), Δ_o = log-sum − V_o, mean weighted
	// by residents so the national moving rate is unchanged. V_o here is
	// what a dwelling in o offers its household (the components, without
	// the count of dwellings on the market there): how many others could
	// move in does not make those living in o better off.
	for ph := 1; ph < numPhases; ph++ {
		for k := 0; k < numSkills; k++ {
			mean, wsum := 0.0, 0.0
			for o := 0; o < n; o++ {
				w := float64(s.Regions[o].Residents)
				mean += w * (ls[m.idx(ph, k, o)] - m.offers(m.idx(ph, k, o)))
				wsum += w
			}
			mean /= math.Max(wsum, 1)
			for o := 0; o < n; o++ {
				delta := ls[m.idx(ph, k, o)] - m.offers(m.idx(ph, k, o)) - mean
				m.opp[m.idx(ph, k, o)] = math.Exp(P.OpportunityW * math.Max(-3, math.Min(3, delta)))
			}
		}
	}
}

// offers returns what a dwelling in the region of utility index x (idx)
// offers its household: the sum of the components, V without the count of
// dwellings on the market.
func (m *Model) offers(x int) float64 {
	c := &m.comp[x]
	return c[0] + c[1] + c[2] + c[3]
}

// Turnover is the share of a region's dwellings that come on the market in
// the first year besides those standing empty, before there is a year of
// leavers to count (state.RegionState.Vacated): the share the model's own
// leavers (out-movers, emigrants, the dead) free in the years that follow,
// 5.0–5.7 % of the stock nationally. The 8 % of Norway's sales and
// lettings (Eiendom Norge) count moves within a municipality too, which
// free no dwelling here; with it the first year had 46 moves per 1000
// against 41 and 39.5 in the next two, and Oslo gained 15,800 against
// 1,900.
const Turnover = 0.052

// available returns the dwellings a household choosing region r can find
// there in a year (sampled units): those standing empty beyond the region's
// normal vacancy, plus those its leavers freed in the last tick
// (RegionState.Vacated). A fixed turnover of 8 % of the stock, whatever the
// number leaving, let a region in demand take more households than it had
// dwellings year after year (45 municipalities grew by more than half in
// 20 years, scale 0.3; now about 20). The normal vacancy (the start's
// dwellings per household, world.Region.DwellingsPerHH: about 4 % of the
// stock empty in central regions, 10 % in the periphery) is not on the
// market: holiday use, decay, estates. Counting it let small places near a
// regional centre fill it in the first year (at full scale 17 municipalities
// grew over 10 % in 2025, Beiarn by 20 %, none in any later year). Without the
// turnover a region whose households fill its stock would offer nothing, its
// utility would collapse, it would empty, fill again the year after, and so
// on (a two-year cycle that Oslo showed); a region with residents always
// has some leavers at full scale, though in a small sample a small region
// may have none in a year (and then offers only its empty dwellings).
// Vacated stands in for this year's turnover: dwellings freed last year and
// not taken again are counted among the empty ones as well.
func available(s *state.State, r int) float64 {
	rs := &s.Regions[r]
	return math.Max(0, rs.Dwellings/s.World.Regions[r].DwellingsPerHH-float64(rs.Households)) + rs.Vacated
}

// markets sets, for every region, the jobs and vacancies within the
// accepted commute and the dwellings available (available; sampled units). The members of
// a municipal cooperation (RegionState.Cooperation) act as one labour
// market: each sees the jobs and vacancies within commuting reach of any
// member (each region counted once); each keeps its own dwellings here
// (poolHousing houses in another member those its dwellings turn away).
func (m *Model) markets(s *state.State) {
	n := s.N()
	if len(m.vacantDw) != n {
		m.reachJobs = make([][numSkills]float64, n)
		m.reachVac = make([][numSkills]float64, n)
		m.vacantDw = make([]float64, n)
		m.seen = make([]int32, n)
	}
	groups := false
	for j := 0; j < n; j++ {
		var jobs, vac [numSkills]float64
		for _, q := range s.Reach[j] {
			for k := 0; k < numSkills; k++ {
				jobs[k] += s.Regions[q].Jobs[k]
				vac[k] += math.Max(0, s.Regions[q].Jobs[k]-float64(s.Regions[q].Filled[k]))
			}
		}
		m.reachJobs[j], m.reachVac[j] = jobs, vac
		m.vacantDw[j] = available(s, j)
		groups = groups || s.Regions[j].Cooperation >= 0
	}
	if !groups {
		return
	}
	// Pool each group once, at its first member, then copy to the others.
	for j := range m.seen {
		m.seen[j] = -1
	}
	done := map[int32]int{}
	for j := 0; j < n; j++ {
		g := s.Regions[j].Cooperation
		if g < 0 {
			continue
		}
		if first, ok := done[g]; ok {
			m.reachJobs[j], m.reachVac[j] = m.reachJobs[first], m.reachVac[first]
			continue
		}
		done[g] = j
		var jobs, vac [numSkills]float64
		for i := j; i < n; i++ {
			if s.Regions[i].Cooperation != g {
				continue
			}
			for _, q := range s.Reach[i] {
				if m.seen[q] == g {
					continue
				}
				m.seen[q] = g
				for k := 0; k < numSkills; k++ {
					jobs[k] += s.Regions[q].Jobs[k]
					vac[k] += math.Max(0, s.Regions[q].Jobs[k]-float64(s.Regions[q].Filled[k]))
				}
			}
		}
		m.reachJobs[j], m.reachVac[j] = jobs, vac
	}
}

// distances caches (minutes + 10)^β per phase; rebuilt when the travel
// matrix in force or the distance weights change.
func (m *Model) distances(s *state.State) {
	n := m.n
	same := len(m.distKey) == len(s.Minutes)
	for ph := 0; same && ph < numPhases; ph++ {
		same = m.distBeta[ph] == s.P.UtilDistance[ph]
	}
	for i := 0; same && i < len(s.Minutes); i++ {
		same = m.distKey[i] == s.Minutes[i]
	}
	if same {
		return
	}
	m.distKey = append(m.distKey[:0], s.Minutes...)
	for ph := 1; ph < numPhases; ph++ {
		beta := s.P.UtilDistance[ph]
		m.distBeta[ph] = beta
		if len(m.dist[ph]) != n*n {
			m.dist[ph] = make([]float64, n*n)
		}
		for i, mins := range s.Minutes {
			m.dist[ph][i] = math.Pow(float64(mins)+10, beta)
		}
	}
}
