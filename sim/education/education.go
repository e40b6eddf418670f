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
	campuses []int32     // regions with study places
	cdf      [][]float64 // per origin, over campuses
}

type entry struct {
	person int32
	campus int32
}

// Step graduates finishing students and enrols new ones.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	n := s.N()
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
		m.grads = append(m.grads, nil)
	}
	m.tables(s)
	// Yearly entry probability at 19–24 so that StudyEntryShare of those
	// eligible enter within the six years.
	entryP := 1 - math.Pow(1-s.P.StudyEntryShare, 1.0/6)
	master := s.P.MasterShare
	s.ForChunks(state.StreamEducation, func(c, lo, hi int, g *state.RNG) {
		es, gs := m.chunks[c][:0], m.grads[c][:0]
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
				if left == 0 {
					gs = append(gs, int32(i))
				}
			case age >= 19 && age <= 24:
				if age == 19 && p.Edu[i] == population.EduBasic && g.Float64() < UpperSecondaryCompletion {
					p.Edu[i] = population.EduUpperSecondary
				}
				if p.Edu[i] != population.EduUpperSecondary {
					continue // higher education needs upper secondary
				}
				u1, u2 := g.Two()
				if u1 < entryP && len(m.campuses) > 0 {
					o := int(p.Region[i])
					k := sort.SearchFloat64s(m.cdf[o], u2*m.cdf[o][len(m.campuses)-1])
					es = append(es, entry{int32(i), m.campuses[min(k, len(m.campuses)-1)]})
					years := uint8(3)
					if g.Float64() < master {
						years = 5 | masterBit
					}
					p.StudyLeft[i] = years
				}
			}
		}
		m.chunks[c], m.grads[c] = es, gs
	})
	lim := float32(s.P.CommuteMinutes)
	for c := 0; c < nc; c++ {
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
		for _, e := range m.chunks[c] {
			i := e.person
			if p.Act[i] == population.Employed {
				s.Regions[p.Work[i]].Filled[p.JobSkill[i]]--
			}
			p.Act[i] = population.Student
			p.Work[i] = uint16(e.campus)
			r := int(p.Region[i])
			// Within the commute, or with a partner or children at home, the
			// student commutes rather than moving.
			parent := p.Flags[i]&population.AtHome == 0 && s.HasChildren(i)
			if s.Minutes[r*n+int(e.campus)] <= lim || p.Partner[i] != population.None || parent {
				continue
			}
			p.Flags[i] &^= population.AtHome
			if p.Size(p.HH[i]) > 1 {
				p.Leave(i)
				p.NewHousehold(i)
			}
			s.MovePerson(i, int(e.campus), state.MotiveStudy)
		}
	}
}

// tables recomputes the study-place choice: the chance of choosing campus j
// from region o is proportional to its places, scaled down where they are
// oversubscribed, times (travel minutes + 10)^−decay.
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
	attract := make([]float64, len(m.campuses))
	for k, c := range m.campuses {
		places := s.Regions[c].StudyPlaces
		fill := float64(s.Regions[c].Students) / places
		attract[k] = places * math.Min(1, 1/math.Max(fill, 1e-9))
	}
	s.ForEach(n, func(o int) {
		cdf := m.cdf[o][:0]
		acc := 0.0
		for k, c := range m.campuses {
			acc += attract[k] * math.Pow(float64(s.Minutes[o*n+int(c)])+10, -decay)
			cdf = append(cdf, acc)
		}
		m.cdf[o] = cdf
	})
}
