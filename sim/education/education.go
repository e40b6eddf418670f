// Package education is step 3 of the tick: completion of upper secondary
// school, entry into higher education with the choice of a study place, and
// graduation after three (bachelor) or five (master) years.
//
// A student's study region is kept in Persons.Work. A new student whose
// study place is beyond the accepted commute leaves home and moves there
// (motive "study"): education = mobility.
package education

import (
	"math"
	"sort"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
)

// StudyLeft packs the years left (low 4 bits) and whether the degree is a
// master's (high bit).
const masterBit = 0x80

// UpperSecondaryCompletion is the share of a cohort that completes upper
// secondary school by 19 (SSB: about 80 % within five years of starting).
const UpperSecondaryCompletion = 0.8

// Model holds per-chunk buffers and the study-place choice tables.
type Model struct {
	chunks   [][]entry
	grads    [][]int32
	stock    [][]int32   // per chunk, continuing students per study region
	campuses []int32     // regions with study places
	cdf      [][]float64 // per origin, over campuses
	free     []float64   // per region, study places not taken (sampled units)
	order    []entry
	weights  []float64
}

type entry struct {
	person int32
	u      float64 // the draw of the first choice
	years  uint8   // StudyLeft at entry
}

// seqStream is the sub-stream index of the sequential admission draws (the
// parallel pass uses the chunk indices); initStream that of the study
// places given to the synthesised students.
const (
	seqStream  = 1 << 40
	initStream = 1<<40 + 1
)

// Step graduates finishing students and admits new ones.
//
// Entry: at 19, UpperSecondaryCompletion of those with basic education
// complete upper secondary school. Everyone with upper secondary education
// and no degree who is not studying applies for a bachelor with a yearly
// probability: at 19–24 one that makes study_entry_share of them apply
// within the six years, at 25–34 late_study_rate; those aged 25–34 with a
// bachelor's degree apply for a master with late_study_rate too. A bachelor
// takes three years, a master two, each a year more with probability
// study_delay_share; master_share of the bachelor graduates go straight on
// to a master where they studied.
//
// Admission: study places are the capacity. Applicants are taken in a
// random order; each draws a first choice from the gravity model of Choice
// and is admitted where a place is free; if it is full, they take the next
// choice drawn the same way among the campuses that still have free places
// (HK-dir: three in five applicants get their first choice). When no place
// is free anywhere, the applicant does not start this year and may apply
// again.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	n := s.N()
	m.grow(s)
	m.tables(s)
	young := 1 - math.Pow(1-s.P.StudyEntryShare, 1.0/6)
	late := s.P.LateStudyRate
	master, delay := s.P.MasterShare, s.P.StudyDelayShare
	s.ForChunks(state.StreamEducation, func(c, lo, hi int, g *state.RNG) {
		es, gs, stock := m.chunks[c][:0], m.grads[c][:0], m.stock[c]
		clear(stock)
		for i := lo; i < hi; i++ {
			f := p.Flags[i]
			if f&population.Alive == 0 {
				continue
			}
			age := p.Age[i]
			switch {
			case p.Act[i] == population.Student:
				left := p.StudyLeft[i]&0x0f - 1
				p.StudyLeft[i] = p.StudyLeft[i]&masterBit | left
				if left == 0 && p.StudyLeft[i]&masterBit == 0 && g.Float64() < master {
					// Straight on to a master at the same place.
					p.Edu[i] = population.EduBachelor
					p.StudyLeft[i] = studyYears(2, delay, g) | masterBit
					left = 2
				}
				if left == 0 {
					gs = append(gs, int32(i))
				} else if w := p.Work[i]; int(w) < n {
					stock[w]++
				}
			case age >= 19 && age <= 34:
				if age == 19 && p.Edu[i] == population.EduBasic && g.Float64() < UpperSecondaryCompletion {
					p.Edu[i] = population.EduUpperSecondary
				}
				edu := p.Edu[i]
				apply := young
				switch {
				case age > 24 && (edu == population.EduUpperSecondary || edu == population.EduBachelor):
					apply = late
				case edu != population.EduUpperSecondary:
					continue // a bachelor needs upper secondary education
				}
				u1, u2 := g.Two()
				if u1 >= apply || len(m.campuses) == 0 {
					continue
				}
				if edu == population.EduBachelor {
					es = append(es, entry{int32(i), u2, studyYears(2, delay, g) | masterBit})
				} else {
					es = append(es, entry{int32(i), u2, studyYears(3, delay, g)})
				}
			}
		}
		m.chunks[c], m.grads[c] = es, gs
	})
	for c := range m.chunks {
		for _, i := range m.grads[c] {
			if p.StudyLeft[i]&masterBit != 0 {
				p.Edu[i] = population.EduMaster
			} else {
				p.Edu[i] = population.EduBachelor
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
	for c := range m.stock {
		for r, k := range m.stock[c] {
			m.free[r] -= float64(k)
		}
	}
	m.order = m.order[:0]
	for c := range m.chunks {
		m.order = append(m.order, m.chunks[c]...)
	}
	g := s.Stream(state.StreamEducation, seqStream)
	m.admit(s, &g, false, func(e entry, campus int) { m.enrol(s, e, campus) })
}

// Init gives the students of a synthesised population a study place by the
// admission of Step (in a random order, first choices, then the next free
// campus); where no place is free, the student keeps their first choice.
func (m *Model) Init(s *state.State) {
	p := &s.Persons
	m.grow(s)
	m.tables(s)
	g := s.Stream(state.StreamEducation, initStream)
	m.order = m.order[:0]
	for i := range p.Act {
		if p.Flags[i]&population.Alive != 0 && p.Act[i] == population.Student {
			m.order = append(m.order, entry{person: int32(i), u: g.Float64()})
		}
	}
	for r := range m.free {
		m.free[r] = s.Regions[r].StudyPlaces
	}
	m.admit(s, &g, true, func(e entry, campus int) { p.Work[e.person] = uint16(campus) })
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
	}
	if len(m.free) != n {
		m.free = make([]float64, n)
	}
}

// admit shuffles m.order and places each applicant: the first choice where
// a place is free, else a choice among the campuses with free places. With
// overfill, an applicant who finds no free place anywhere takes the first
// choice all the same; without, they are not admitted.
func (m *Model) admit(s *state.State, g *state.RNG, overfill bool, place func(e entry, campus int)) {
	if len(m.campuses) == 0 {
		return
	}
	for i := len(m.order) - 1; i > 0; i-- {
		j := g.IntN(i + 1)
		m.order[i], m.order[j] = m.order[j], m.order[i]
	}
	p := &s.Persons
	nk := len(m.campuses)
	if cap(m.weights) < nk {
		m.weights = make([]float64, nk)
	}
	wts := m.weights[:nk]
	full := false // no place free anywhere
	for _, e := range m.order {
		cdf := m.cdf[p.Region[e.person]]
		k := min(sort.SearchFloat64s(cdf, e.u*cdf[nk-1]), nk-1)
		c := int(m.campuses[k])
		if m.free[c] < 0.5 && !full {
			// The next choice, among the campuses with a free place.
			sum, prev := 0.0, 0.0
			for j, cj := range m.campuses {
				w := cdf[j] - prev
				prev = cdf[j]
				if m.free[cj] < 0.5 {
					w = 0
				}
				sum += w
				wts[j] = sum
			}
			if sum > 0 {
				j := min(sort.SearchFloat64s(wts, g.Float64()*sum), nk-1)
				c = int(m.campuses[j])
			} else {
				full = true
			}
		}
		if m.free[c] < 0.5 && !overfill {
			continue
		}
		m.free[c]--
		place(e, c)
	}
}

// enrol makes person e a student at campus c. Within the accepted commute,
// or with a partner or children at home, the student commutes rather than
// moving; otherwise they leave home and move there (motive study).
func (m *Model) enrol(s *state.State, e entry, c int) {
	p := &s.Persons
	n := s.N()
	i := e.person
	if p.Act[i] == population.Employed {
		s.Regions[p.Work[i]].Filled[p.JobSkill[i]]--
	}
	p.Act[i] = population.Student
	p.Work[i] = uint16(c)
	p.StudyLeft[i] = e.years
	r := int(p.Region[i])
	parent := p.Flags[i]&population.AtHome == 0 && s.HasChildren(i)
	if s.Minutes[r*n+c] <= float32(s.P.CommuteMinutes) || p.Partner[i] != population.None || parent {
		return
	}
	p.Flags[i] &^= population.AtHome
	if p.Size(p.HH[i]) > 1 {
		p.Leave(i)
		p.NewHousehold(i)
	}
	s.MovePerson(i, c, state.MotiveStudy)
}

// Choice returns the probability that an applicant from region o makes
// campus c their first choice: proportional to its study places (the
// breadth of what it offers) times (travel minutes + 10)^−study_distance_decay.
func Choice(s *state.State, o, c int) float64 {
	n := s.N()
	sum, w := 0.0, 0.0
	for r := 0; r < n; r++ {
		if places := s.Regions[r].StudyPlaces; places > 0 {
			x := places * math.Pow(float64(s.Minutes[o*n+r])+10, -s.P.StudyDistance)
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

// tables recomputes the first-choice tables of Choice.
func (m *Model) tables(s *state.State) {
	n := s.N()
	m.campuses = m.campuses[:0]
	for r := 0; r < n; r++ {
		if s.Regions[r].StudyPlaces > 0 {
			m.campuses = append(m.campuses, int32(r))
		}
	}
	if len(m.cdf) != n {
		m.cdf = make([][]float64, n)
	}
	decay := s.P.StudyDistance
	s.ForEach(n, func(o int) {
		cdf := m.cdf[o][:0]
		acc := 0.0
		for _, c := range m.campuses {
			acc += s.Regions[c].StudyPlaces * math.Pow(float64(s.Minutes[o*n+int(c)])+10, -decay)
			cdf = append(cdf, acc)
		}
		m.cdf[o] = cdf
	})
}
