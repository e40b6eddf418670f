// Package education is step 3 of the tick: completion of upper secondary
// school, applications for higher education, admission to study places,
// and graduation after a bachelor (three years) or a master (two more).
//
// A student's study region is kept in Persons.Work. A new student whose
// study place is beyond the accepted commute leaves home and moves there
// (motive "study"): education = mobility.
package education

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// StudyLeft packs the years left (low 4 bits) and whether the degree is a
// master's (high bit).
const masterBit = population.StudyMaster

// UpperSecondaryGap sets the completion of upper secondary school by sex:
// women's share is 4 % above the world's share by age and men's 4 % below,
// 85 % and 79 % by 30 (SSB's education levels by sex: in 2011, 19 % of
// women and 25 % of men aged 25–29 had basic education only).
const UpperSecondaryGap = 0.04

// EntrySex is the factor on the yearly probabilities of applying to higher
// education of women (0) and men (1): women go on to higher education far
// more often (SSB: about 60 % of women and 40 % of men aged 25–39 had
// higher education in 2020). Study places are the capacity (most campuses
// are full), so the factors set who studies more than how many do.
var EntrySex = [2]float64{1.4, 0.6}

// Model holds per-chunk buffers and the study-place choice tables.
type Model struct {
	chunks   [][]entry
	grads    [][]int32
	stock    [][]int32   // per chunk, continuing students per study region
	campuses []int32     // regions with study places
	cdf      [][]float64 // per origin, over campuses
	free     []float64   // per region, study places not taken (sampled units)
	order    []entry
	// complete[sex][age] is the yearly probability that a person of that
	// sex and age with basic education completes upper secondary.
	complete [2][world.MaxAge + 1]float64
	keys     []uint64      // sortQueue's buffers
	spare    []uint64      // (radixSort's second one)
	queue    []entry       // the entries in the queue's order (sortQueue)
	adm      []admission   // the admitted, in the order admitted
	admitted [][]admission // per chunk of the admitted person
	movers   []admission   // the admitted who move, in the order admitted
	filled   [][]int32     // per chunk: jobs left by the admitted, per region and skill
}

// admission is an applicant admitted to a campus.
type admission struct {
	person int32
	campus uint16
	years  uint8
	// far: the campus is beyond the accepted commute from home. move: far,
	// and no partner or children at home tie them to where they live (the
	// tied commute to study or study at a distance).
	far, move bool
}

type entry struct {
	person int32
	years  uint8  // StudyLeft at entry
	home   uint16 // the region they apply from
	prio   uint64 // the place in the admission queue
	seed   uint64 // the applicant's own draws of their ranked choices
	first  uint16 // their first choice, drawn in the parallel pass
}

// Step graduates finishing students and admits new ones.
//
// Applications: from 19 to 30, those with basic education complete upper
// secondary school with a yearly probability by sex and age that gives the
// world's share with upper secondary education or more by age
// (world.Rates: 60 % at 19, 73 % at 21, 82 % at 30), women UpperSecondaryGap
// above it and men below. Everyone with upper secondary
// education and no degree who is not studying applies for a bachelor with
// a yearly probability: at 19–24 one that makes study_entry_share of them
// apply within the six years, at 25–34 late_study_rate, both times
// EntrySex of their sex (study_entry_share is thus the six-year share at
// the unfactored rate: about 100 % of women and 84 % of men apply within
// the six years); those aged 25–34
// with a bachelor's degree apply for a master with late_study_rate too. A
// bachelor takes three years, a master two, each a year more with
// probability study_delay_share. master_share of the bachelor graduates go
// straight on to a master where they studied, without applying, while
// their campus has places. Every year a student may leave without a degree
// (study_dropout_rate, half of it for a master's student): they keep the
// level they had, seek work and may move, as graduates do (the Graduated
// trigger stands for leaving study); like anyone with their level they
// may apply again.
//
// Admission, as in Norway's coordinated admission (Samordna opptak): study
// places are the capacity; each applicant ranks up to study_choices
// campuses, drawn (with repetition) from the gravity model of Choice, and
// the applicants, in a random order, are admitted to the first of their
// choices with a free place. Those whose choices are all full do not start
// this year and may apply again. A campus far from most applicants fills
// only if enough of them rank it.
//
// Every applicant's place in the queue and their choices come from draws of
// their own in the parallel pass, so that two runs with the same seed (a
// scenario and its baseline) give the same person the same draws.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	n := s.N()
	nc := s.NumChunks()
	m.grow(s)
	m.tables(s)
	var young, late [2]float64
	for sex, f := range EntrySex {
		young[sex] = min(1, f*(1-math.Pow(1-s.P.StudyEntryShare, 1.0/6)))
		late[sex] = min(1, s.P.LateStudyRate*f)
	}
	master, delay := s.P.MasterShare, s.P.StudyDelayShare
	drop := [2]float64{s.P.StudyDropout, s.P.StudyDropout / 2} // bachelor, master
	s.ForChunks(state.StreamEducation, func(c, lo, hi int, g *state.RNG) {
		es, gs, stock := m.chunks[c][:0], m.grads[c][:0], m.stock[c]
		clear(stock)
		// The chunk's attribute slices in locals: after each store through
		// p the compiler would reload the slice headers.
		flags, ages, acts, works := p.Flags[lo:hi], p.Age[lo:hi], p.Act[lo:hi], p.Work[lo:hi]
		left, edus, regions, sexes := p.StudyLeft[lo:hi], p.Edu[lo:hi], p.Region[lo:hi], p.Sex[lo:hi]
		kEdu := s.Keyed(state.KeyEducation)
		for j, f := range flags {
			if f&population.Alive == 0 {
				continue
			}
			age := ages[j]
			if acts[j] != population.Student {
				// Those who draw nothing below (no school to complete, no
				// degree to apply for) get no stream.
				edu := edus[j]
				if age < 19 || age > 34 || !(edu == population.EduBasic && age <= 30 || edu == population.EduUpperSecondary || edu == population.EduBachelor && age > 24) {
					continue
				}
			}
			// The person's own draws (common random numbers).
			pg := kEdu.RNG(lo + j)
			g := &pg
			switch {
			case acts[j] == population.Student:
				w := int(works[j])
				if g.Float64() < drop[left[j]>>7] {
					gs = append(gs, ^int32(lo+j)) // negative: leaving without a degree
					continue
				}
				if left[j]&0x0f > 1 && w < n {
					left[j]--
					stock[w]++
					continue
				}
				// The last year (or no study place left to go on at).
				left[j] &= masterBit
				if left[j] == 0 && w < n && s.Regions[w].StudyPlaces > 0 && g.Float64() < master {
					// Straight on to a master at the same place.
					edus[j] = max(edus[j], population.EduBachelor)
					left[j] = studyYears(2, delay, g) | masterBit
					stock[w]++
					continue
				}
				gs = append(gs, int32(lo+j))
			case age >= 19 && age <= 34:
				sex := sexes[j] & 1
				if edus[j] == population.EduBasic && age <= 30 && g.Float64() < m.complete[sex][age] {
					edus[j] = population.EduUpperSecondary
				}
				edu := edus[j]
				apply := young[sex]
				switch {
				case age > 24 && (edu == population.EduUpperSecondary || edu == population.EduBachelor):
					apply = late[sex]
				case edu != population.EduUpperSecondary:
					continue // a bachelor needs upper secondary education
				}
				if g.Float64() >= apply || len(m.campuses) == 0 {
					continue
				}
				e := entry{person: int32(lo + j), home: uint16(regions[j]), prio: g.Uint64(), seed: g.Uint64()}
				e.first = uint16(m.firstChoice(int(e.home), e.seed))
				if edu == population.EduBachelor {
					e.years = studyYears(2, delay, g) | masterBit
				} else {
					e.years = studyYears(3, delay, g)
				}
				es = append(es, e)
			}
		}
		m.chunks[c], m.grads[c] = es, gs
	})
	for c := 0; c < nc; c++ {
		for _, i := range m.grads[c] {
			// A degree never lowers the level (a master's student may
			// already hold one from before); those who drop out keep
			// theirs.
			switch {
			case i < 0: // left without a degree
				i = ^i
			case p.StudyLeft[i]&masterBit != 0:
				p.Edu[i] = max(p.Edu[i], population.EduMaster)
			default:
				p.Edu[i] = max(p.Edu[i], population.EduBachelor)
			}
			p.StudyLeft[i] = 0
			p.Act[i] = population.Unemployed
			p.Work[i] = population.NoRegion
			p.ShareTrigger(i, population.Graduated)
		}
	}
	// Free places: the capacity less the students who go on studying.
	for r := range m.free {
		m.free[r] = s.Regions[r].StudyPlaces
	}
	for c := 0; c < nc; c++ {
		for r, k := range m.stock[c] {
			m.free[r] -= float64(k)
		}
	}
	m.order = m.order[:0]
	for c := 0; c < nc; c++ {
		m.order = append(m.order, m.chunks[c]...)
	}
	m.queue, m.keys, m.spare = sortQueue(m.order, queueIndexBits, m.keys, m.spare, m.queue)
	// Admission in the queue's order; what it does to the persons comes
	// after (admission reads none of it).
	k := max(1, int(s.P.StudyChoices))
	lim := float32(s.P.CommuteMinutes)
	m.adm = m.adm[:0]
	for x := range m.queue {
		e := &m.queue[x]
		c := m.choose(e, k)
		if c < 0 {
			continue
		}
		m.free[c]--
		m.adm = append(m.adm, admission{person: e.person, campus: uint16(c), years: e.years,
			far: s.Minutes[int(e.home)*n+c] > lim})
	}
	// Who of those admitted far from home moves there: a partner or
	// children at home tie them to where they live. Decided in parallel
	// (reading the household of each is a fetch from memory), then the
	// admitted are handed to their chunks, and the movers listed, in the
	// order admitted.
	const block = 4096
	s.ForEach((len(m.adm)+block-1)/block, func(b int) {
		for x := range m.adm[b*block : min(len(m.adm), (b+1)*block)] {
			a := &m.adm[x+b*block]
			i := a.person
			a.move = a.far && p.Partner[i] == population.None &&
				(p.Flags[i]&population.AtHome != 0 || !s.HasChildren(i))
		}
	})
	for c := range m.admitted {
		m.admitted[c] = m.admitted[c][:0]
	}
	m.movers = m.movers[:0]
	for _, a := range m.adm {
		ch := int(a.person) / state.ChunkSize
		m.admitted[ch] = append(m.admitted[ch], a)
		if a.move {
			m.movers = append(m.movers, a)
		}
	}
	m.enrol(s)
}

// firstChoice returns the campus an applicant from region o with choice
// seed seed ranks first: the first draw of choose.
func (m *Model) firstChoice(o int, seed uint64) int {
	g := rng.New(seed, 0)
	return m.rankedChoice(m.cdf[o], &g)
}

// rankedChoice draws one ranked choice of an applicant whose region's
// cumulative campus weights are cdf.
func (m *Model) rankedChoice(cdf []float64, g *rng.RNG) int {
	nk := len(cdf)
	return int(m.campuses[min(sort.SearchFloat64s(cdf, g.Float64()*cdf[nk-1]), nk-1)])
}

// choose returns the first of applicant e's k ranked choices with a free
// place, or −1. The first choice comes from the parallel pass; the others
// are drawn here, from the same stream, only when it is full.
func (m *Model) choose(e *entry, k int) int {
	if m.free[e.first] >= 0.5 {
		return int(e.first)
	}
	cdf := m.cdf[e.home]
	g := rng.New(e.seed, 0)
	g.Float64() // the first choice's draw
	for j := 1; j < k; j++ {
		c := m.rankedChoice(cdf, &g)
		if m.free[c] >= 0.5 {
			return c
		}
	}
	return -1
}

// Init gives the students of a synthesised population a study place where
// they live: a campus within the accepted commute, by the gravity model of
// Choice among those with free places, else the nearest campus with a free
// place (students registered at home while they study elsewhere, as many
// Norwegian students are), else the nearest campus. Synthesis cannot move
// them, so the start population of every region stays that of the data.
// In a world without study places there are no students: they become job
// seekers.
func (m *Model) Init(s *state.State) {
	p := &s.Persons
	n := s.N()
	m.grow(s)
	m.tables(s)
	g := s.Stream(state.StreamEducation, 1<<40)
	m.order = m.order[:0]
	for i := range p.Act {
		if p.Flags[i]&population.Alive != 0 && p.Act[i] == population.Student {
			m.order = append(m.order, entry{person: int32(i)})
		}
	}
	for i := len(m.order) - 1; i > 0; i-- {
		j := g.IntN(i + 1)
		m.order[i], m.order[j] = m.order[j], m.order[i]
	}
	for r := range m.free {
		m.free[r] = s.Regions[r].StudyPlaces
	}
	lim := float32(s.P.CommuteMinutes)
	for _, e := range m.order {
		i := e.person
		if len(m.campuses) == 0 {
			p.Act[i] = population.Unemployed
			p.StudyLeft[i] = 0
			continue
		}
		o := int(p.Region[i])
		cdf := m.cdf[o]
		near := func(c int32) bool { return s.Minutes[o*n+int(c)] <= lim && m.free[c] >= 0.5 }
		// Within the commute, by gravity among those with free places.
		sum := 0.0
		prev := 0.0
		for k, c := range m.campuses {
			if near(c) {
				sum += cdf[k] - prev
			}
			prev = cdf[k]
		}
		best := -1
		if sum > 0 {
			u := g.Float64() * sum
			prev, acc := 0.0, 0.0
			for k, c := range m.campuses {
				if near(c) {
					acc += cdf[k] - prev
					if best < 0 && u < acc {
						best = int(c)
					}
				}
				prev = cdf[k]
			}
		}
		if best < 0 {
			// The nearest with a free place, else the nearest.
			nearFree, near := -1, -1
			for _, c := range m.campuses {
				if near < 0 || s.Minutes[o*n+int(c)] < s.Minutes[o*n+near] {
					near = int(c)
				}
				if m.free[c] >= 0.5 && (nearFree < 0 || s.Minutes[o*n+int(c)] < s.Minutes[o*n+nearFree]) {
					nearFree = int(c)
				}
			}
			best = near
			if nearFree >= 0 {
				best = nearFree
			}
		}
		m.free[best]--
		p.Work[i] = uint16(best)
	}
}

// studyYears returns the normed years, one more with probability delay.
func studyYears(normed uint8, delay float64, g *state.RNG) uint8 {
	if g.Float64() < delay {
		return normed + 1
	}
	return normed
}

// grow sizes the per-chunk and per-region buffers.
func (m *Model) grow(s *state.State) {
	n, nc := s.N(), s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
		m.grads = append(m.grads, nil)
		m.stock = append(m.stock, make([]int32, n))
		m.admitted = append(m.admitted, nil)
		m.filled = append(m.filled, make([]int32, n*world.NumSkills))
	}
	if len(m.free) != n {
		m.free = make([]float64, n)
	}
}

// enrol makes the admitted students at their campus: a job they held is
// left (chunk by chunk in parallel, the jobs left counted per chunk and
// added in chunk order), and those whose campus is beyond the accepted
// commute, with no partner and no children at home, leave home and move
// there (motive study), one after the other in the order admitted, as the
// households they leave and take come from one free list.
func (m *Model) enrol(s *state.State) {
	p := &s.Persons
	n := s.N()
	s.ForEach(len(m.admitted), func(c int) {
		fl := m.filled[c]
		clear(fl)
		for _, a := range m.admitted[c] {
			i := a.person
			if p.Act[i] == population.Employed {
				fl[int(p.Work[i])*world.NumSkills+int(p.JobSkill[i])]++
			}
			p.Act[i] = population.Student
			p.Work[i] = a.campus
			p.StudyLeft[i] = a.years
		}
	})
	for c := range m.admitted {
		if len(m.admitted[c]) == 0 {
			continue
		}
		for x, k := range m.filled[c][:n*world.NumSkills] {
			s.Regions[x/world.NumSkills].Filled[x%world.NumSkills] -= k
		}
	}
	for _, a := range m.movers {
		i := a.person
		// Some study away registered at their parents' (study_registered_home):
		// no registered move. A hash of the person and year decides, so
		// that the other draws of the step stay what they are.
		if q := s.P.StudyAtHome; q > 0 && rng.Uniform(rng.Mix(s.Seed, state.StreamEducation, uint64(s.Year), uint64(i))) < q {
			continue
		}
		p.Flags[i] &^= population.AtHome
		if p.Shares(i) {
			p.Leave(i)
			p.NewHousehold(i)
		}
		s.MovePerson(i, int(a.campus), state.MotiveStudy)
	}
}

// Choice returns the probability that an applicant from region o makes
// campus c their first choice: proportional to its study places (the
// breadth of what it offers) times (travel minutes + 10)^−study_distance_decay.
func Choice(s *state.State, o, c int) float64 {
	n := s.N()
	sum, w := 0.0, 0.0
	for r := 0; r < n; r++ {
		if s.Regions[r].StudyPlaces > 0 {
			x := attraction(s, o, r)
			sum += x
			if r == c {
				w = x
			}
		}
	}
	if sum == 0 {
		return 0
	}
	return w / sum
}

// attraction is campus c's weight in the first choice from region o: its
// places times (travel minutes + 10)^−study_distance_decay.
func attraction(s *state.State, o, c int) float64 {
	return s.Regions[c].StudyPlaces * math.Pow(float64(s.Minutes[o*s.N()+c])+10, -s.P.StudyDistance)
}

// tables recomputes the first-choice tables of Choice.
func (m *Model) tables(s *state.State) {
	n := s.N()
	// Completion of upper secondary: the yearly probability that takes the
	// share with it from one age's to the next's.
	rates := &s.World.Rates
	for sex, f := range [2]float64{1 + UpperSecondaryGap, 1 - UpperSecondaryGap} {
		prev := 0.0
		for a := 19; a <= 30; a++ {
			c := min(1, f*(rates.HigherEducation[a]+rates.UpperSecondary[a]))
			m.complete[sex][a] = 0
			if c > prev && prev < 1 {
				m.complete[sex][a] = (c - prev) / (1 - prev)
			}
			prev = max(prev, c)
		}
	}
	m.campuses = m.campuses[:0]
	for r := 0; r < n; r++ {
		if s.Regions[r].StudyPlaces > 0 {
			m.campuses = append(m.campuses, int32(r))
		}
	}
	if len(m.cdf) != n {
		m.cdf = make([][]float64, n)
	}
	s.ForEach(n, func(o int) {
		cdf := m.cdf[o][:0]
		acc := 0.0
		for _, c := range m.campuses {
			acc += attraction(s, o, int(c))
			cdf = append(cdf, acc)
		}
		m.cdf[o] = cdf
	})
}

// CompletionRate returns the yearly probability that a person of sex (0
// women, 1 men) and age with basic education completes upper secondary
// school, as set by the last Step.
func (m *Model) CompletionRate(sex, age int) float64 { return m.complete[sex][age] }

// queueIndexBits is the number of low bits of sortQueue's keys that hold
// an entry's index: up to 2^24 applicants a year are sorted as integers.
const queueIndexBits = 24

// sortQueue returns the entries of order in the admission queue's order:
// by priority, ties (a pair in 2^40) by their place in order. Below
// 2^indexBits entries it sorts integers whose high bits are the priority
// and low indexBits bits the index, several times faster than sorting the
// entries, then gathers the entries in that order in a loop of nothing
// else (they are scattered over memory, and so many are fetched at once);
// from 2^indexBits entries on it sorts order itself, stably by priority.
// keys, spare and queue are buffers reused from call to call; sortQueue
// returns them, grown as needed.
func sortQueue(order []entry, indexBits int, keys, spare []uint64, queue []entry) (q []entry, k, sp []uint64) {
	mask := uint64(1)<<indexBits - 1
	if len(order) > int(mask) {
		slices.SortStableFunc(order, func(a, b entry) int { return cmp.Compare(a.prio>>indexBits, b.prio>>indexBits) })
		return append(queue[:0], order...), keys, spare
	}
	keys = keys[:0]
	for x, e := range order {
		keys = append(keys, e.prio&^mask|uint64(x))
	}
	keys, spare = radixSort(keys, spare)
	queue = slices.Grow(queue[:0], len(keys))[:len(keys)]
	for x, key := range keys {
		queue[x] = order[key&mask]
	}
	return queue, keys, spare
}

// radixSort sorts keys in increasing order (a least-significant-digit radix
// sort: six passes of 11 bits, each a counting sort, several times faster
// than a comparison sort for the admission queue's ~90,000 random keys). It
// returns the sorted keys and the other buffer, which it grows from spare
// as needed; both reuse their memory from one call to the next. Fewer
// than 2^31 keys (the counts are int32).
func radixSort(keys, spare []uint64) (sorted, buf []uint64) {
	const bits, passes = 11, 6 // 66 ≥ 64 bits
	spare = slices.Grow(spare[:0], len(keys))[:len(keys)]
	if len(keys) < 2 {
		return keys, spare
	}
	var count [passes][1 << bits]int32
	for _, k := range keys {
		for d := 0; d < passes; d++ {
			count[d][k>>(d*bits)&(1<<bits-1)]++
		}
	}
	src, dst := keys, spare
	for d := 0; d < passes; d++ {
		c := &count[d]
		if int(c[src[0]>>(d*bits)&(1<<bits-1)]) == len(src) {
			continue // every key has this digit
		}
		var sum int32
		for x, k := range c {
			c[x] = sum
			sum += k
		}
		for _, k := range src {
			x := k >> (d * bits) & (1<<bits - 1)
			dst[c[x]] = k
			c[x]++
		}
		src, dst = dst, src
	}
	return src, dst
}
