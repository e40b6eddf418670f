// Package demography is step 2 of the tick: deaths, births, ageing, young
// adults leaving home, and couples forming and splitting.
//
// Event draws run in parallel over chunks of persons; the events are then
// applied in chunk order, so the result does not depend on the workers.
package demography

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Model holds the per-chunk event buffers, reused every tick.
type Model struct {
	chunks []events
	women  [][]int32 // couple seekers by region
	men    [][]int32
	// Couples (couples): household sizes of the seekers, per worker
	// scratch, the pairs planned within each region and across regions.
	sizeW, sizeM [][]int32
	scratch      [][]uint64
	marks        state.Marks // households of seekers
	within       [][]pairing
	across       []pairing
	// Event probabilities by key, set every tick.
	death, fert, adult state.Rates
	byRegion           []regionEvents
	filled             [][]int32 // per worker: jobs given up by deaths, by region*NumSkills+skill
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

// events are one chunk's draws, in slot order. Those applied by region
// (applyByRegion) carry the person's region; seekers are paired later.
type events struct {
	deaths, births, leave, split, adults []event
	seek                                 []int32
	cabins                               []cabin
}

// cabin is a head reaching state.SecondHomeAge without a second home, with
// the draws that decide whether the household acquires one and where.
type cabin struct {
	head, household int32
	u1, u2          float64
}

// event is a person with an event this tick.
type event struct {
	i      int32
	region uint16
	atHome bool // births: the mother lives with her parents
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
	rates := s.NationalRates() // the world's rates along the projection, this year
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
	for a := 20; a < 85; a++ {
		// Seeking a partner peaks around 27 and falls with age, later
		// as re-partnering after a split or a partner's death.
		couple[a] = P.CoupleRate * math.Exp(-math.Abs(float64(a)-27)/P.CoupleAgeScale)
	}
	// The event probabilities by key (state.Rates), drawn by keyed uniforms:
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
		// Splits fall with age (and the couple's duration) after 35.
		tab[statusSplit*A+a] = P.SplitRate * math.Min(1, math.Exp(-(float64(a)-35)/P.SplitAgeScale))
		tab[statusSingle*A+a] = couple[a]
	}
	m.adult.Set(tab[:])

	s.ForChunks(state.StreamDemography, func(c, lo, hi int, g *state.RNG) {
		ev := &m.chunks[c]
		ev.deaths, ev.births, ev.leave, ev.seek, ev.split, ev.adults = ev.deaths[:0], ev.births[:0], ev.leave[:0], ev.seek[:0], ev.split[:0], ev.adults[:0]
		ev.cabins = ev.cabins[:0]
		// An event records the region, read only for the few with one.
		at := func(i int) event { return event{i: int32(i), region: p.Region[i]} }
		kDeath, kBirth, kAdult, kCabin := s.Keyed(state.KeyDeath), s.Keyed(state.KeyBirth), s.Keyed(state.KeyAdult), s.Keyed(state.KeyCabin)
		// The keys are computed without branches on the person's
		// attributes (their outcomes are unpredictable); only events, which
		// are rare, branch. The chunk's attribute slices are held in
		// locals: the loop writes ages, tenures and years, and after each
		// store through p the compiler would reload the slice headers.
		flags, ages, sexes, partners := p.Flags[lo:hi], p.Age[lo:hi], p.Sex[lo:hi], p.Partner[lo:hi]
		tenures, years := p.Tenure[lo:hi], p.Years[lo:hi]
		for j, f := range flags {
			if f&population.Alive == 0 {
				continue
			}
			i := lo + j
			age, sex := int(ages[j]), int(sexes[j])&1
			if k := sex*A + age; kDeath.Below(i, m.death.T(k)) {
				ev.deaths = append(ev.deaths, at(i))
				continue
			}
			q := partners[j]
			partnered := int(b2u8(q != population.None))
			atHome := int(f/population.AtHome) & 1
			birth := false
			// Most persons have no chance of some events (men and children
			// give no birth): they draw too, against a threshold of 0 that
			// is never met. Skipping their draws took a branch on sex and
			// age, which alternate unpredictably from slot to slot, and the
			// mispredictions cost more than the hashes (the pass −15 %).
			if kBirth.Below(i, m.fert.T((2*sex+partnered)*A+age)) {
				e := at(i)
				e.atHome = atHome != 0
				ev.births = append(ev.births, e)
				birth = true
			}
			st := int(status[atHome<<2|partnered<<1|int(b2u8(q > int32(i)))])
			if kAdult.Below(i, m.adult.T(st*A+age)) {
				switch st {
				case statusAtHome:
					// A mother at home leaves home with her child anyway.
					if !birth {
						ev.leave = append(ev.leave, at(i))
					}
				case statusSplit:
					ev.split = append(ev.split, at(i))
				case statusSingle:
					ev.seek = append(ev.seek, int32(i))
				}
			}
			// Ageing, tenure and years since arrival (capped).
			ages[j] = uint8(age) + b2u8(age < world.MaxAge)
			if age == 17 {
				ev.adults = append(ev.adults, at(i))
			}
			if age == state.SecondHomeAge-1 && f&population.Head != 0 && p.Second[i] == population.NoRegion {
				h := kCabin.Bits(i)
				u1, u2 := float64(uint32(h))*0x1p-32, float64(h>>32)*0x1p-32
				ev.cabins = append(ev.cabins, cabin{int32(i), p.HH[i], u1, u2})
			}
			t := tenures[j]
			tenures[j] = t + b2u8(t < 255)
			y := years[j]
			years[j] = y + uint8(f/population.Immigrant)&1&b2u8(y < 255)
		}
	})

	m.applyByRegion(s, nc)
	m.couples(s, nc)
	m.cabins(s, nc)
}

// cabins gives the share state.SecondHomeShare of the households whose head
// reached state.SecondHomeAge this year without a second home one, in a
// region chosen by state.Cabins, to the head and the partner (the owners; as
// at the start, adult children at home do not get one of their own, and
// newborns none): the cohorts reaching the age of cabin owners replace the
// owners who die, so ownership stays about what it was at the start.
// Households that have broken up since the draw are skipped: the head died,
// or left it (a split: the man leaving heads a new household). In chunk
// order; a few thousand households a year.
func (m *Model) cabins(s *state.State, nc int) {
	p := &s.Persons
	s.Cabins.Update(s)
	for c := 0; c < nc; c++ {
		for _, e := range m.chunks[c].cabins {
			i := e.head
			if e.u1 >= state.SecondHomeShare || !p.Live(i) || p.HH[i] != e.household || p.First[e.household] != i || p.Second[i] != population.NoRegion {
				continue
			}
			d := uint16(s.Cabins.Draw(int(p.Region[i]), e.u2))
			p.Second[i] = d
			if q := p.Partner[i]; q != population.None && p.HH[q] == e.household && p.Second[q] == population.NoRegion {
				p.Second[q] = d
			}
		}
	}
}

// applyByRegion carries out the year's deaths, births, departures from the
// parental home and splits. Every event concerns one household, and a
// household lives in one region, so the regions are processed in
// parallel, each in chunk order; what regions share is handed out
// beforehand in the order a sequential pass would use it (the slots of the
// newborn, household ids, the sex of each child), jobs given up are added
// up per worker, and freed slots and households are returned in chunk
// order. The result is that of applying the events one after the other:
// adults (members turning 18), deaths, births, departures, splits.
func (m *Model) applyByRegion(s *state.State, nc int) {
	p := &s.Persons
	n := s.N()
	if len(m.byRegion) != n {
		m.byRegion = make([]regionEvents, n)
	}
	for r := range m.byRegion {
		e := &m.byRegion[r]
		e.adults, e.deaths, e.births, e.leave, e.split = e.adults[:0], e.deaths[:0], e.births[:0], e.leave[:0], e.split[:0]
	}
	for c := 0; c < nc; c++ {
		ev := &m.chunks[c]
		for k := range ev.adults {
			e := &m.byRegion[ev.adults[k].region]
			e.adults = append(e.adults, ev.adults[k].i)
		}
		for k := range ev.deaths {
			e := &m.byRegion[ev.deaths[k].region]
			e.deaths = append(e.deaths, ev.deaths[k].i)
		}
	}
	nw := s.Workers
	m.filled = state.WorkerCounters(m.filled, nw, n*world.NumSkills)
	// Deaths (after the adults' household counts): each emptied household
	// is kept with the death for release in chunk order.
	s.ForEachW(n, func(w, r int) {
		e := &m.byRegion[r]
		for _, i := range e.adults {
			p.TurnedAdult(i)
		}
		filled := m.filled[w]
		for k, i := range e.deaths {
			if p.Act[i] == population.Employed {
				filled[int(p.Work[i])*world.NumSkills+int(p.JobSkill[i])]++
			}
			e.deaths[k] = p.RemoveHeld(i) // the slot is in the chunk's list
		}
		s.Ledger.Accounts[r].Deaths += int64(len(e.deaths))
	})
	for r := range s.Regions {
		for k := 0; k < world.NumSkills; k++ {
			for w := range m.filled {
				s.Regions[r].Filled[k] -= m.filled[w][r*world.NumSkills+k]
			}
		}
	}
	// Free the slots and households in chunk order.
	for r := range m.byRegion {
		m.byRegion[r].next = 0
	}
	for c := 0; c < nc; c++ {
		for _, d := range m.chunks[c].deaths {
			e := &m.byRegion[d.region]
			if h := e.deaths[e.next]; h != population.None {
				p.ReleaseHousehold(h)
			}
			e.next++
			p.Release(d.i)
		}
	}
	// Hand out, in chunk order, the newborns' slots and sexes (girls are
	// 48.7 % of births; SSB: about 1,055 boys per 1,000 girls) and a
	// household for each mother at home, each departure from home and each
	// split whose partner is alive.
	g := s.Stream(state.StreamDemography, 1<<31)
	for c := 0; c < nc; c++ {
		ev := &m.chunks[c]
		for _, b := range ev.births {
			x := birth{mother: b.i, child: p.Reserve(), household: population.None, sex: 1}
			if g.Float64() < 0.487 {
				x.sex = 0
			}
			if b.atHome {
				x.household = p.ReserveHousehold()
			}
			e := &m.byRegion[b.region]
			e.births = append(e.births, x)
		}
	}
	for c := 0; c < nc; c++ {
		for _, l := range m.chunks[c].leave {
			e := &m.byRegion[l.region]
			e.leave = append(e.leave, move{l.i, p.ReserveHousehold()})
		}
	}
	for c := 0; c < nc; c++ {
		for _, sp := range m.chunks[c].split {
			if p.Partner[sp.i] == population.None {
				continue // the partner died this year
			}
			e := &m.byRegion[sp.region]
			e.split = append(e.split, move{sp.i, p.ReserveHousehold()})
		}
	}
	// Births, departures and splits, by region.
	s.ForEach(n, func(r int) {
		e := &m.byRegion[r]
		e.unused = e.unused[:0]
		// leave takes i out of its household into household h; a person
		// alone keeps their household and h is returned later.
		leave := func(i, h int32) {
			if old := p.LeaveHeld(i); old != population.None {
				e.unused = append(e.unused, h)
				h = old
			}
			p.NewHouseholdAt(i, h)
		}
		for _, b := range e.births {
			mo := b.mother
			if !p.Live(mo) {
				panic(fmt.Sprintf("demography: birth to slot %d, which is free", mo))
			}
			if b.household != population.None {
				// A mother living with her parents sets up her own household.
				leave(mo, b.household)
				p.Flags[mo] &^= population.AtHome
			}
			p.AddAt(b.child, population.Person{Age: 0, Sex: b.sex, Act: population.Child,
				Flags: population.AtHome, Region: uint16(r), Work: population.NoRegion, Home: uint16(r), Second: population.NoRegion})
			p.Join(b.child, p.HH[mo])
		}
		s.Ledger.Accounts[r].Births += int64(len(e.births))
		// Leaving home: a new one-person household in the same region.
		for _, l := range e.leave {
			leave(l.i, l.household)
			p.Flags[l.i] &^= population.AtHome
		}
		// Splits (drawn through the partner in the lower slot): the man
		// (or, in a same-sex couple, the partner in the higher slot) leaves
		// with a household of his own; children stay with the mother. Both
		// may then move.
		for _, sp := range e.split {
			i := sp.i
			q := p.Partner[i]
			if p.Sex[i] == 1 && p.Sex[q] == 0 {
				i, q = q, i
			}
			p.Partner[i], p.Partner[q] = population.None, population.None
			leave(q, sp.household)
			p.Flags[i] |= population.NewPartner
			p.Flags[q] |= population.NewPartner
		}
	})
	for r := range m.byRegion {
		for _, h := range m.byRegion[r].unused {
			p.ReleaseHousehold(h)
		}
	}
}

// regionEvents are one region's events of the year in chunk order.
type regionEvents struct {
	adults []int32
	deaths []int32 // slots, then (after removal) the households they emptied
	next   int     // the next death to release
	births []birth
	leave  []move // departures from home
	split  []move // splits, through the partner in the lower slot
	unused []int32
}

// birth is a birth with what it was handed: the child's slot and sex, and
// a household for a mother at home (else None).
type birth struct {
	mother, child, household int32
	sex                      uint8
}

// move is a person who leaves their household (or whose partner does) for
// a new one.
type move struct{ i, household int32 }

// couples pairs this year's seekers: first within their region, then the
// remaining women with remaining men in regions within commuting reach.
// When partners live in different regions, the smaller household moves to
// the other's region (a family move).
// nc is the number of chunks of this tick's event pass.
//
// The pairing draws from one stream, region after region, but what it
// reads of the households (their sizes, the region of the stayer) does not
// change while it runs as long as no two seekers share a household and
// every household lives in one region (the model's invariant, which
// applyByRegion also relies on): then the pairs are planned in one
// cheap sequential pass over the seekers, from sizes fetched region by
// region in parallel, and carried out in parallel (within a region, by
// region; across regions, pair by pair through state.ForMoves), the
// emptied households freed in the order of the pairs. Otherwise (never
// seen, but not excluded) the seekers are paired one after the other as
// planned.
func (m *Model) couples(s *state.State, nc int) {
	p := &s.Persons
	n := s.N()
	if len(m.women) != n {
		m.women = make([][]int32, n)
		m.men = make([][]int32, n)
		m.sizeW = make([][]int32, n)
		m.sizeM = make([][]int32, n)
		m.within = make([][]pairing, n)
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
	nw := s.Workers
	for len(m.scratch) < nw {
		m.scratch = append(m.scratch, nil)
	}
	// By region in parallel: the seekers sorted by age (then slot), the
	// sizes of their households, and whether the plan holds (no two
	// seekers in one household).
	var bad atomic.Bool
	m.marks.Reset(p.Households())
	s.ForEachW(n, func(w, r int) {
		keys := m.scratch[w]
		w0, m0 := m.women[r], m.men[r]
		byAge(p, w0, &keys)
		byAge(p, m0, &keys)
		var twice bool
		m.sizeW[r], twice = sizes(p, w0, m.sizeW[r], &m.marks)
		if twice {
			bad.Store(true)
		}
		m.sizeM[r], twice = sizes(p, m0, m.sizeM[r], &m.marks)
		if twice {
			bad.Store(true)
		}
		m.scratch[w] = keys
	})
	g := s.Stream(state.StreamCouples, 0)
	if bad.Load() || pairInOrder {
		m.couplesInOrder(s, &g)
		return
	}
	// The plan, in the order of the draws. Within the region: sorted by
	// age, so partners are of similar age; a random share of each list is
	// held back for partners from nearby regions (about a third of couples
	// are formed across municipalities). The unpaired are kept in place at
	// the front of each list, with their sizes.
	for r := 0; r < n; r++ {
		w, mm := m.women[r], m.men[r]
		sw, sm := m.sizeW[r], m.sizeM[r]
		pl := m.within[r][:0]
		restW, restM := w[:0], mm[:0]
		restSW, restSM := sw[:0], sm[:0]
		wi, mi := 0, 0
		for wi < len(w) && mi < len(mm) {
			if g.Float64() < 0.33 {
				restW, restSW = append(restW, w[wi]), append(restSW, sw[wi])
				wi++
				continue
			}
			pl = append(pl, pairing{a: w[wi], b: mm[mi], aMoves: moves(sw[wi], sm[mi], &g)})
			wi++
			mi++
		}
		restW, restSW = append(restW, w[wi:]...), append(restSW, sw[wi:]...)
		restM, restSM = append(restM, mm[mi:]...), append(restSM, sm[mi:]...)
		m.women[r], m.men[r], m.sizeW[r], m.sizeM[r] = restW, restM, restSW, restSM
		m.within[r] = pl
	}
	// Across regions within commuting reach: the first region with a man
	// seeking, scanning the reachable regions from a random one. The
	// stayer's household lives where the stayer does.
	m.across = m.across[:0]
	for r := 0; r < n; r++ {
		reach := s.Reach[r]
		for k0, wv := range m.women[r] {
			start := g.IntN(len(reach))
			for k := range reach {
				q := reach[(start+k)%len(reach)]
				if int(q) == r || len(m.men[q]) == 0 {
					continue
				}
				l, ls := m.men[q], m.sizeM[q]
				x := pairing{a: wv, b: l[len(l)-1], aMoves: moves(m.sizeW[r][k0], ls[len(ls)-1], &g)}
				x.dest = int32(r)
				if x.aMoves {
					x.dest = q
				}
				m.across = append(m.across, x)
				m.men[q], m.sizeM[q] = l[:len(l)-1], ls[:len(ls)-1]
				break
			}
		}
	}
	// Carry out the plan: within regions (no one moves), then across.
	s.ForEach(n, func(r int) {
		for k := range m.within[r] {
			x := &m.within[r][k]
			x.emptied = couple(p, x.a, x.b, x.aMoves)
		}
	})
	for r := 0; r < n; r++ {
		for _, x := range m.within[r] {
			if x.emptied != population.None {
				p.ReleaseHousehold(x.emptied)
			}
		}
	}
	s.ForMoves(len(m.across), func(mv *state.Mover, k int) {
		x := &m.across[k]
		mover := p.HH[x.a]
		if !x.aMoves {
			mover = p.HH[x.b]
		}
		mv.MoveHousehold(mover, int(x.dest), state.MotiveFamily)
		x.emptied = couple(p, x.a, x.b, x.aMoves)
	})
	for _, x := range m.across {
		if x.emptied != population.None {
			p.ReleaseHousehold(x.emptied)
		}
	}
}

// pairInOrder makes couples always pair one after the other (tests).
var pairInOrder bool

// pairing is a planned couple: woman a, man b, whether a's household is
// the one that joins the other's, the region the couple lives in (pairs
// across regions), and the household emptied.
type pairing struct {
	a, b    int32
	aMoves  bool
	dest    int32
	emptied int32
}

// moves reports whether, of two households of sizes sa and sb, the first
// moves to the second: the smaller moves, ties are drawn.
func moves(sa, sb int32, g *state.RNG) bool {
	return sa < sb || sa == sb && g.Float64() < 0.5
}

// couple makes a and b partners in one household, the household of a
// joining b's if aMoves, else the reverse, and returns the household
// emptied (for ReleaseHousehold) or None. It writes only a, b, their
// households and members.
func couple(p *population.Persons, a, b int32, aMoves bool) int32 {
	p.Partner[a], p.Partner[b] = b, a
	p.Flags[a] |= population.NewPartner
	p.Flags[b] |= population.NewPartner
	mover, stayer := p.HH[b], p.HH[a]
	if aMoves {
		mover, stayer = stayer, mover
	}
	if p.MergeHeld(mover, stayer) {
		return mover
	}
	return population.None
}

// sizes returns the household sizes of the seekers l in out, adding
// their households to marks, and whether one of them was there already.
func sizes(p *population.Persons, l []int32, out []int32, marks *state.Marks) ([]int32, bool) {
	out = out[:0]
	twice := false
	for _, i := range l {
		h := p.HH[i]
		twice = marks.Add(h) || twice
		out = append(out, int32(p.Size(h)))
	}
	return out, twice
}

// byAge sorts seekers by age, then slot: through keys age<<32 | slot, so
// that the sort reads each seeker's age once.
func byAge(p *population.Persons, l []int32, keys *[]uint64) {
	k := (*keys)[:0]
	for _, i := range l {
		k = append(k, uint64(p.Age[i])<<32|uint64(uint32(i)))
	}
	slices.Sort(k)
	for j, x := range k {
		l[j] = int32(uint32(x))
	}
	*keys = k
}

// couplesInOrder pairs the seekers sorted by age in m.women and m.men one
// after the other (see couples).
func (m *Model) couplesInOrder(s *state.State, g *state.RNG) {
	n := s.N()
	for r := 0; r < n; r++ {
		w, mm := m.women[r], m.men[r]
		// The unpaired are kept in place at the front of each list.
		restW, restM := w[:0], mm[:0]
		wi, mi := 0, 0
		for wi < len(w) && mi < len(mm) {
			if g.Float64() < 0.33 {
				restW = append(restW, w[wi])
				wi++
				continue
			}
			pair(s, w[wi], mm[mi], g)
			wi++
			mi++
		}
		restW = append(restW, w[wi:]...)
		restM = append(restM, mm[mi:]...)
		m.women[r], m.men[r] = restW, restM
	}
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
				pair(s, wv, l[len(l)-1], g)
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
