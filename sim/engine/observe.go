package engine

import (
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Counters per region gathered by the observation pass.
const (
	cPop = iota
	cAge0
	cAge20
	cAge40
	cAge67
	cHigherEd
	cEmployed
	cUnemployed
	cInCommuters
	cOutCommuters
	cRemote
	cStudents
	cPartTime
	cHouseholds
	cImmigrants
	cRecentImmigrants
	cStudyPlace // students whose study place is here
	cOther      // activities without a counter of their own
	numCounters
)

// actCounter maps an activity to the counter it adds to (cOther: none).
var actCounter = [...]int{
	population.Child:      cOther,
	population.Student:    cStudents,
	population.Employed:   cEmployed,
	population.Unemployed: cUnemployed,
	population.Inactive:   cOther,
	population.Retired:    cOther,
}

// ageBand maps an age to its regions.csv age group (0–19, 20–39, 40–66, 67+).
var ageBand = func() (b [world.MaxAge + 1]uint8) {
	for a := range b {
		switch {
		case a < 20:
		case a < 40:
			b[a] = 1
		case a < 67:
			b[a] = 2
		default:
			b[a] = 3
		}
	}
	return b
}()

type observer struct {
	chunks [][]int64                    // per chunk: n*numCounters
	pop    [][2][world.MaxAge + 1]int64 // per chunk
	wp     [][world.MaxAge + 1]int64    // per chunk: women in a couple by age
	rec    record.Year
	census []state.Census
}

// observe counts the state in one parallel pass: the record of the current
// 1 January, the census the next tick starts from (state.SetCensus), and
// the clearing of this tick's trigger flags.
func (sim *Sim) observe() {
	s := sim.s
	o := &sim.obs
	p := &s.Persons
	n := s.N()
	nc := s.NumChunks()
	for len(o.chunks) < nc {
		o.chunks = append(o.chunks, make([]int64, n*numCounters))
		o.pop = append(o.pop, [2][world.MaxAge + 1]int64{})
		o.wp = append(o.wp, [world.MaxAge + 1]int64{})
	}
	s.ForChunks(0, func(c, lo, hi int, _ *state.RNG) {
		cnt := o.chunks[c]
		clear(cnt)
		pop := &o.pop[c]
		*pop = [2][world.MaxAge + 1]int64{}
		wp := &o.wp[c]
		*wp = [world.MaxAge + 1]int64{}
		for i := lo; i < hi; i++ {
			f := p.Flags[i]
			if f&population.Alive == 0 {
				continue
			}
			if f&population.Triggers != 0 {
				p.Flags[i] = f &^ population.Triggers
			}
			r := int(p.Region[i]) * numCounters
			if f&population.Head != 0 {
				cnt[r+cHouseholds]++
			}
			if f&population.Immigrant != 0 {
				cnt[r+cImmigrants]++
				if p.Years[i] < 10 {
					cnt[r+cRecentImmigrants]++
				}
			}
			age := p.Age[i]
			pop[p.Sex[i]][age]++
			if p.Sex[i] == 0 && p.Partner[i] != population.None {
				wp[age]++
			}
			cnt[r+cPop]++
			cnt[r+cAge0+int(ageBand[age])]++
			cnt[r+cHigherEd] += int64(p.Edu[i] >> 1) // EduBachelor and EduMaster are 2 and 3
			act := p.Act[i]
			cnt[r+actCounter[act]]++
			switch act {
			case population.Employed:
				if f&population.Remote != 0 {
					cnt[r+cRemote]++
				}
				if w := int(p.Work[i]); w != int(p.Region[i]) && p.Work[i] != population.NoRegion {
					cnt[r+cOutCommuters]++
					cnt[w*numCounters+cInCommuters]++
				}
			case population.Student:
				if w := p.Work[i]; w != population.NoRegion {
					cnt[int(w)*numCounters+cStudyPlace]++
				}
			}
			if sh := p.Second[i]; sh != population.NoRegion {
				cnt[int(sh)*numCounters+cPartTime]++
			}
		}
	})
	rec := &o.rec
	rec.Year = s.Year
	rec.Weight = 1 / s.Scale
	if len(rec.Regions) != n {
		rec.Regions = make([]record.Region, n)
		rec.Population = [2][]int64{make([]int64, world.MaxAge+1), make([]int64, world.MaxAge+1)}
		rec.Moves = [2][]int64{make([]int64, world.MaxAge+1), make([]int64, world.MaxAge+1)}
	}
	if len(o.census) != n {
		o.census = make([]state.Census, n)
	}
	var tot [numCounters]int64
	for r := 0; r < n; r++ {
		tot = [numCounters]int64{}
		for c := 0; c < nc; c++ {
			for k := 0; k < numCounters; k++ {
				tot[k] += o.chunks[c][r*numCounters+k]
			}
		}
		o.census[r] = state.Census{Residents: int32(tot[cPop]), Households: int32(tot[cHouseholds]),
			Immigrants: int32(tot[cImmigrants]), RecentImmigrants: int32(tot[cRecentImmigrants]), Students: int32(tot[cStudyPlace]),
			PartTime: int32(tot[cPartTime])}
		rs := &s.Regions[r]
		acc := &s.Ledger.Accounts[r]
		var jobs, vac float64
		for k := 0; k < world.NumSkills; k++ {
			jobs += rs.Jobs[k]
			vac += max(0, rs.Jobs[k]-float64(rs.Filled[k]))
		}
		rec.Regions[r] = record.Region{
			Population: tot[cPop],
			Births:     acc.Births, Deaths: acc.Deaths,
			InDomestic: acc.InDomestic, OutDomestic: acc.OutDomestic,
			Immigrants: acc.Immigrants, Emigrants: acc.Emigrants,
			Age0to19: tot[cAge0], Age20to39: tot[cAge20], Age40to66: tot[cAge40], Age67Plus: tot[cAge67],
			HigherEducation: tot[cHigherEd],
			Employed:        tot[cEmployed], Unemployed: tot[cUnemployed],
			Jobs: int64(jobs + 0.5), Vacancies: int64(vac + 0.5),
			InCommuters: tot[cInCommuters], OutCommuters: tot[cOutCommuters], RemoteWorkers: tot[cRemote],
			Students: tot[cStudents], PartTimeResidents: tot[cPartTime],
			Dwellings:            int64(rs.Dwellings + 0.5),
			PriceIndex:           rs.Price,
			NetMigrationHigherEd: acc.NetHigherEd,
		}
	}
	for sx := 0; sx < 2; sx++ {
		for a := 0; a <= world.MaxAge; a++ {
			var t int64
			for c := 0; c < nc; c++ {
				t += o.pop[c][sx][a]
			}
			rec.Population[sx][a] = t
			rec.Moves[sx][a] = s.Ledger.Moves[sx][a]
		}
	}
	for a := 0; a <= world.MaxAge; a++ {
		var t int64
		for c := 0; c < nc; c++ {
			t += o.wp[c][a]
		}
		s.PartneredWomen[a] = float64(t) / float64(max(1, rec.Population[0][a]))
	}
	rec.Flows = rec.Flows[:0]
	fl := s.Ledger.Flows
	for k, v := range fl {
		if v == 0 {
			continue
		}
		mo := k % state.NumMotives
		rest := k / state.NumMotives
		ag := rest % state.NumAgeGroups
		rest /= state.NumAgeGroups
		rec.Flows = append(rec.Flows, record.Flow{
			FlowKey: record.FlowKey{Origin: uint16(rest / n), Destination: uint16(rest % n), AgeGroup: uint8(ag), Motive: uint8(mo)},
			Moves:   int64(v),
		})
	}
	s.SetCensus(o.census)
}
