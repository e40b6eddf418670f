package state

import (
	"math"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// A Mover carries out moves between regions and records them (see
// MoveHousehold): directly into the ledger and the regions, as
// State.MoveHousehold does, or, inside ForMoves, into its worker's own
// buffers, which are added up when all workers are done, so that the
// households of different calls can move in parallel.
type Mover struct {
	s *State
	b *moveBuf // nil: record directly
}

// moveBuf holds one worker's share of the records of ForMoves. Every entry
// is a count, so the sums do not depend on which worker made which move.
type moveBuf struct {
	accounts []Account
	moves    [2][world.MaxAge + 1]int64
	flows    []int32 // keys of Ledger.Flows, one per move
	filled   []int32 // jobs given up, by region*NumSkills + skill
	reserved []int32 // reserved dwellings taken, by region*NumReserved + group
	seekers  []int32 // movers seeking work (State.Newcomers)
}

// ForMoves calls fn(mv, k) for k in [0, n) on s.Workers goroutines, each
// with the Mover of its worker. Calls must move disjoint sets of persons
// and change nothing else shared but through mv; their records (ledger
// accounts, flows, moves by age, jobs given up, reserved dwellings taken)
// are added up when all are done, which gives the same ledger and regions
// as making the moves one after the other, in any order.
func (s *State) ForMoves(n int, fn func(mv *Mover, k int)) {
	nr := s.N()
	for len(s.movers) < s.Workers {
		s.movers = append(s.movers, Mover{s: s, b: &moveBuf{}})
	}
	for w := range s.movers {
		mv := &s.movers[w]
		mv.s = s
		b := mv.b
		if len(b.accounts) != nr {
			b.accounts = make([]Account, nr)
			b.filled = make([]int32, nr*world.NumSkills)
			b.reserved = make([]int32, nr*NumReserved)
		}
		clear(b.accounts)
		clear(b.filled)
		clear(b.reserved)
		b.moves = [2][world.MaxAge + 1]int64{}
		b.flows = b.flows[:0]
		b.seekers = b.seekers[:0]
	}
	s.ForEachW(n, func(w, k int) { fn(&s.movers[w], k) })
	l := &s.Ledger
	// The flows, each worker adding those of one range of the table
	// (whole words of the touched bits) from all the buffers: the entries
	// written are scattered over the table, and the sums are counts.
	parts := len(s.movers)
	const align = flowBlock * 64
	s.ForEach(parts, func(part int) {
		lo := len(l.Flows) * part / parts / align * align
		hi := len(l.Flows) * (part + 1) / parts / align * align
		if part == parts-1 {
			hi = len(l.Flows)
		}
		for w := range s.movers {
			for _, k := range s.movers[w].b.flows {
				if int(k) >= lo && int(k) < hi {
					l.addFlow(int(k))
				}
			}
		}
	})
	for w := range s.movers {
		b := s.movers[w].b
		s.Newcomers = append(s.Newcomers, b.seekers...)
		for r := range b.accounts {
			a, x := &l.Accounts[r], &b.accounts[r]
			a.Births += x.Births
			a.Deaths += x.Deaths
			a.InDomestic += x.InDomestic
			a.OutDomestic += x.OutDomestic
			a.Immigrants += x.Immigrants
			a.Emigrants += x.Emigrants
			a.NetHigherEd += x.NetHigherEd
		}
		for sx := range b.moves {
			for a, v := range b.moves[sx] {
				l.Moves[sx][a] += v
			}
		}
		for r := range s.Regions {
			rs := &s.Regions[r]
			for k := 0; k < world.NumSkills; k++ {
				rs.Filled[k] -= b.filled[r*world.NumSkills+k]
			}
			for g := 0; g < NumReserved; g++ {
				// Taking one at a time, max(0, x − 1), k times is
				// max(0, x − k) for x ≥ 0, exactly.
				if t := b.reserved[r*NumReserved+g]; t > 0 {
					rs.Reserved[g] = math.Max(0, rs.Reserved[g]-float64(t))
				}
			}
		}
	}
}

// MoveHousehold is State.MoveHousehold, recorded through mv.
func (mv *Mover) MoveHousehold(h int32, dest int, motive int) {
	s := mv.s
	p := &s.Persons
	// Only where dwellings built for a group stand empty does the
	// household's group (the life phase of its head) matter.
	if rs := &s.Regions[dest]; rs.Reserved != [NumReserved]float64{} {
		if head := p.First[h]; head != population.None && int(p.Region[head]) != dest {
			mv.TakeReserved(dest, s.Phase(head))
		}
	}
	for j := p.First[h]; j != population.None; j = p.Next[j] {
		mv.MovePerson(j, dest, motive)
	}
}

// TakeReserved is State.TakeReserved, recorded through mv.
func (mv *Mover) TakeReserved(r, ph int) {
	g := ReservedFor(ph)
	if g < 0 {
		return
	}
	if mv.b != nil {
		mv.b.reserved[r*NumReserved+g]++
		return
	}
	rs := &mv.s.Regions[r]
	rs.Reserved[g] = math.Max(0, rs.Reserved[g]-1)
}

// MovePerson is State.MovePerson, recorded through mv.
func (mv *Mover) MovePerson(j int32, dest int, motive int) {
	s := mv.s
	p := &s.Persons
	n := s.N()
	from := int(p.Region[j])
	if from == dest {
		return
	}
	age := p.Age[j]
	key := ((from*n+dest)*NumAgeGroups+record.AgeGroup(int(age)))*NumMotives + motive
	acc, moves := s.Ledger.Accounts, &s.Ledger.Moves
	if b := mv.b; b != nil {
		acc, moves = b.accounts, &b.moves
		b.flows = append(b.flows, int32(key))
	} else {
		s.Ledger.addFlow(key)
	}
	acc[from].OutDomestic++
	acc[dest].InDomestic++
	if p.Edu[j] >= population.EduBachelor {
		acc[from].NetHigherEd--
		acc[dest].NetHigherEd++
	}
	moves[p.Sex[j]][age]++
	p.Region[j] = uint16(dest)
	p.Tenure[j] = 0
	// Where one grew up is where one lives at 16 (SSB's measure): a
	// child's home region follows the family until then.
	if age < HomeAge {
		p.Home[j] = uint16(dest)
	}
	if p.Act[j] == population.Employed && !s.KeepsJob(j, dest) {
		if w, k := int(p.Work[j]), int(p.JobSkill[j]); mv.b != nil {
			mv.b.filled[w*world.NumSkills+k]++
		} else {
			s.Regions[w].Filled[k]--
		}
		p.Act[j] = population.Unemployed
		p.Work[j] = population.NoRegion
	}
	if p.Act[j] == population.Unemployed {
		if mv.b != nil {
			mv.b.seekers = append(mv.b.seekers, j)
		} else {
			s.Newcomers = append(s.Newcomers, j)
		}
	}
	if p.Second[j] == uint16(dest) {
		p.Second[j] = population.NoRegion
	}
}
