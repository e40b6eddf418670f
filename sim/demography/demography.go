// Package demography is step 2 of the tick: deaths, births, ageing, young
// adults leaving home, and couples forming and splitting.
//
// Event draws run in parallel over chunks of persons; the events are then
// applied in chunk order, so the result does not depend on the workers.
package demography

import (
	"math"
	"slices"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Model holds the per-chunk event buffers, reused every tick.
type Model struct {
	chunks []events
	women  [][]int32 // couple seekers by region
	men    [][]int32
	keys   []uint64 // scratch for sorting seekers
	// Event probabilities by key, set every tick.
	death, fert, adult state.Rates
}

// The status of a person for the adult events (the key of Model.adult is
// status·(MaxAge+1) + age).
const (
	statusAtHome = iota // living with their parents: may leave home
	statusSplit         // in a couple, in the lower slot of the two: the couple may split
	statusSingle        // single: may seek a partner
	statusNone          // in a couple, in the higher slot
)

// status[atHome<<2 | partnered<<1 | partner in a higher slot] (an adult at
// home never splits: the parental home comes first).
var status = [8]uint8{
	0b000: statusSingle, 0b010: statusNone, 0b011: statusSplit,
	0b100: statusAtHome, 0b110: statusAtHome, 0b111: statusAtHome,
	0b001: statusSingle, 0b101: statusAtHome, // impossible: no partner above
}

// b2u8 is 1 for true and 0 for false (compiled without a branch).
func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

type events struct {
	deaths, births, leave, seek, split, adults []int32
}

// PartneredFertility is how many times more often a woman in a couple gives
// birth than a single woman of the same age. With it, about 90 % of births
// are to mothers in a couple (SSB: about 89 % of births are to married or
// cohabiting mothers). Each year the rates of both groups are set from the
// share of women of each age in a couple, so that the national age-specific
// rates are reproduced exactly in expectation.
const PartneredFertility = 6.0

// Step runs deaths, births, ageing, leaving home and couple dynamics.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, events{})
	}
	rates := &s.World.Rates
	P := &s.P
	var mort [2][world.MaxAge + 1]float64
	for sx := 0; sx < 2; sx++ {
		for a := range mort[sx] {
			mort[sx][a] = math.Min(1, rates.Mortality[sx][a]*P.MortalityScale)
		}
	}
	var fert [2][world.MaxAge + 1]float64 // [single, partnered]
	for a := range fert[0] {
		pi := s.PartneredWomen[a]
		single := rates.Fertility[a] * P.FertilityScale / (1 - pi + pi*PartneredFertility)
		fert[0][a], fert[1][a] = single, single*PartneredFertility
	}
	var leave, couple [world.MaxAge + 1]float64
	for a := 18; a < 30; a++ {
		leave[a] = P.LeaveHomeRate
	}
	for a := 20; a < 60; a++ {
		// Couple formation peaks around 27 and falls with age.
		couple[a] = P.CoupleRate * math.Exp(-math.Abs(float64(a)-27)/12)
	}
	// The event probabilities by key, drawn by thinning (state.Rates):
	// death by sex and age; birth by sex, partnered and age (women 15–49);
	// for adults, one of three exclusive events by status and age: leaving
	// the parental home (adults at home), a split (for each couple once,
	// through the partner in the lower slot) or seeking a partner (singles).
	const A = world.MaxAge + 1
	var tab [4 * A]float64
	copy(tab[:], mort[0][:])
	copy(tab[A:], mort[1][:])
	m.death.Set(tab[:2*A])
	tab = [4 * A]float64{}
	for a := 15; a < 50; a++ {
		tab[a], tab[A+a] = fert[0][a], fert[1][a]
	}
	m.fert.Set(tab[:]) // keys 2A… (men) have probability 0
	tab = [4 * A]float64{}
	for a := 18; a < A; a++ {
		tab[statusAtHome*A+a] = leave[a]
		tab[statusSplit*A+a] = P.SplitRate
		tab[statusSingle*A+a] = couple[a]
	}
	m.adult.Set(tab[:])

	s.ForChunks(state.StreamDemography, func(c, lo, hi int, g *state.RNG) {
		ev := &m.chunks[c]
		ev.deaths, ev.births, ev.leave, ev.seek, ev.split, ev.adults = ev.deaths[:0], ev.births[:0], ev.leave[:0], ev.seek[:0], ev.split[:0], ev.adults[:0]
		var dDeath, dFert, dAdult state.Draws
		dDeath.Start(&m.death, g)
		dFert.Start(&m.fert, g)
		dAdult.Start(&m.adult, g)
		// The keys are computed without branches on the person's
		// attributes (their outcomes are unpredictable); only events, which
		// are rare, branch.
		for i := lo; i < hi; i++ {
			f := p.Flags[i]
			if f&population.Alive == 0 {
				continue
			}
			age, sex := int(p.Age[i]), int(p.Sex[i])&1
			if k := sex*A + age; dDeath.Candidate(k) && dDeath.Accept(k, g) {
				ev.deaths = append(ev.deaths, int32(i))
				continue
			}
			q := p.Partner[i]
			partnered := int(b2u8(q != population.None))
			if k := (2*sex+partnered)*A + age; dFert.Candidate(k) && dFert.Accept(k, g) {
				ev.births = append(ev.births, int32(i))
			}
			atHome := int(f/population.AtHome) & 1
			st := int(status[atHome<<2|partnered<<1|int(b2u8(q > int32(i)))])
			if k := st*A + age; dAdult.Candidate(k) && dAdult.Accept(k, g) {
				switch st {
				case statusAtHome:
					ev.leave = append(ev.leave, int32(i))
				case statusSplit:
					ev.split = append(ev.split, int32(i))
				case statusSingle:
					ev.seek = append(ev.seek, int32(i))
				}
			}
			// Ageing, tenure and years since arrival (capped).
			p.Age[i] = uint8(age) + b2u8(age < world.MaxAge)
			if age == 17 {
				ev.adults = append(ev.adults, int32(i))
			}
			t := p.Tenure[i]
			p.Tenure[i] = t + b2u8(t < 255)
			y := p.Years[i]
			p.Years[i] = y + uint8(f/population.Immigrant)&1&b2u8(y < 255)
		}
	})

	acc := s.Ledger.Accounts
	for c := 0; c < nc; c++ {
		for _, i := range m.chunks[c].adults {
			p.TurnedAdult(i)
		}
	}
	// Deaths, in chunk order.
	for c := 0; c < nc; c++ {
		for _, i := range m.chunks[c].deaths {
			r := p.Region[i]
			acc[r].Deaths++
			if p.Act[i] == population.Employed {
				s.Regions[p.Work[i]].Filled[p.JobSkill[i]]--
			}
			p.Remove(i)
		}
	}
	// Births: a child joins the mother's household. Girls are 48.7 % of
	// births (SSB: about 1,055 boys per 1,000 girls).
	g := s.Stream(state.StreamDemography, 1<<31)
	for c := 0; c < nc; c++ {
		for _, mo := range m.chunks[c].births {
			if !p.Live(mo) {
				continue
			}
			sex := uint8(1)
			if g.Float64() < 0.487 {
				sex = 0
			}
			if p.Flags[mo]&population.AtHome != 0 {
				// A mother living with her parents sets up her own household.
				p.Leave(mo)
				p.NewHousehold(mo)
				p.Flags[mo] &^= population.AtHome
			}
			r := p.Region[mo]
			child := p.Add(population.Person{Age: 0, Sex: sex, Act: population.Child,
				Flags: population.AtHome, Region: r, Work: population.NoRegion, Home: r, Second: p.Second[mo]})
			p.Join(child, p.HH[mo])
			acc[r].Births++
		}
	}
	// Leaving home: a new one-person household in the same region.
	for c := 0; c < nc; c++ {
		for _, i := range m.chunks[c].leave {
			if !p.Live(i) || p.Flags[i]&population.AtHome == 0 {
				continue
			}
			p.Leave(i)
			p.NewHousehold(i)
			p.Flags[i] &^= population.AtHome
		}
	}
	// Splits (drawn through the partner in the lower slot): the man (or,
	// in a same-sex couple, the partner in the higher slot) leaves with a
	// household of his own; children stay with the mother. Both may then
	// move.
	for c := 0; c < nc; c++ {
		for _, i := range m.chunks[c].split {
			q := p.Partner[i]
			if !p.Live(i) || q == population.None {
				continue
			}
			if p.Sex[i] == 1 && p.Sex[q] == 0 {
				i, q = q, i
			}
			p.Partner[i], p.Partner[q] = population.None, population.None
			p.Leave(q)
			p.NewHousehold(q)
			p.Flags[i] |= population.NewPartner
			p.Flags[q] |= population.NewPartner
		}
	}
	m.couples(s, nc)
}

// couples pairs this year's seekers: first within their region, then the
// remaining women with remaining men in regions within commuting reach.
// When partners live in different regions, the smaller household moves to
// the other's region (a family move).
// nc is the number of chunks of this tick's event pass.
func (m *Model) couples(s *state.State, nc int) {
	p := &s.Persons
	n := s.N()
	if len(m.women) != n {
		m.women = make([][]int32, n)
		m.men = make([][]int32, n)
	}
	for r := 0; r < n; r++ {
		m.women[r], m.men[r] = m.women[r][:0], m.men[r][:0]
	}
	for c := range m.chunks[:nc] {
		for _, i := range m.chunks[c].seek {
			if !p.Live(i) || p.Partner[i] != population.None || p.Flags[i]&population.AtHome != 0 {
				continue
			}
			r := p.Region[i]
			if p.Sex[i] == 0 {
				m.women[r] = append(m.women[r], i)
			} else {
				m.men[r] = append(m.men[r], i)
			}
		}
	}
	// byAge sorts seekers by age, then slot: through keys age<<32 | slot,
	// so that the sort reads each seeker's age once.
	byAge := func(l []int32) {
		m.keys = m.keys[:0]
		for _, i := range l {
			m.keys = append(m.keys, uint64(p.Age[i])<<32|uint64(uint32(i)))
		}
		slices.Sort(m.keys)
		for k, x := range m.keys {
			l[k] = int32(uint32(x))
		}
	}
	g := s.Stream(state.StreamCouples, 0)
	// Within the region: sorted by age, so partners are of similar age; a
	// random share of each list is held back for partners from nearby
	// regions (about a third of couples are formed across municipalities).
	for r := 0; r < n; r++ {
		w, mm := m.women[r], m.men[r]
		byAge(w)
		byAge(mm)
		// The unpaired are kept in place at the front of each list.
		restW, restM := w[:0], mm[:0]
		wi, mi := 0, 0
		for wi < len(w) && mi < len(mm) {
			if g.Float64() < 0.33 {
				restW = append(restW, w[wi])
				wi++
				continue
			}
			pair(s, w[wi], mm[mi], &g)
			wi++
			mi++
		}
		restW = append(restW, w[wi:]...)
		restM = append(restM, mm[mi:]...)
		m.women[r], m.men[r] = restW, restM
	}
	// Across regions within commuting reach: the first region with a man
	// seeking, scanning the reachable regions from a random one.
	for r := 0; r < n; r++ {
		reach := s.Reach[r]
		for _, wv := range m.women[r] {
			start := g.IntN(len(reach))
			for k := range reach {
				q := reach[(start+k)%len(reach)]
				if int(q) == r || len(m.men[q]) == 0 {
					continue
				}
				l := m.men[q]
				pair(s, wv, l[len(l)-1], &g)
				m.men[q] = l[:len(l)-1]
				break
			}
		}
	}
}

// pair makes a and b partners in one household. If they live in different
// regions, the smaller household moves (ties: a random one).
func pair(s *state.State, a, b int32, g *state.RNG) {
	p := &s.Persons
	p.Partner[a], p.Partner[b] = b, a
	p.Flags[a] |= population.NewPartner
	p.Flags[b] |= population.NewPartner
	ha, hb := p.HH[a], p.HH[b]
	mover, stayer := hb, ha
	if sa, sb := p.Size(ha), p.Size(hb); sa < sb || sa == sb && g.Float64() < 0.5 {
		mover, stayer = ha, hb
	}
	dest := int(p.Region[p.First[stayer]])
	s.MoveHousehold(mover, dest, state.MotiveFamily)
	p.Merge(mover, stayer)
}
