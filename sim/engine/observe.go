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
	cStudyPlace  // students whose study place is here
	cOther       // activities without a counter of their own
	cGrewUp      // record.Region.GrewUp: record.NumGrewUpAges counters, by home region
	cLivingThere = cGrewUp + record.NumGrewUpAges
	cLiving      = cLivingThere + record.NumGrewUpAges // livingCells counters: adults by sex, age group and living arrangement
	numCounters  = cLiving + livingCells
)

// commuteSpare is the number of spare in-commuter counters (a power of 2).
const commuteSpare = 8

// Bit positions of the flags counted without a branch.
const (
	immigrantBit = 1 // population.Immigrant
	remoteBit    = 2 // population.Remote
	atHomeBit    = 3 // population.AtHome
	headBit      = 8 // population.Head
	programmeBit = 10
)

// The bit positions above must be those of the flags (a compile-time check).
var _ = [1]int{}[(population.Immigrant^1<<immigrantBit)|(population.Remote^1<<remoteBit)|(population.Head^1<<headBit)|(population.AtHome^1<<atHomeBit)|(population.Programme^1<<programmeBit)]

// actCounter maps an activity to the counter it adds to (cOther: none).
var actCounter = [...]int{
	population.Child:      cOther,
	population.Student:    cStudents,
	population.Employed:   cEmployed,
	population.Unemployed: cUnemployed,
	population.Inactive:   cOther,
	population.Retired:    cOther,
}

// grewUpSlot maps an age to 1 + its index in record.GrewUpAges, 0 for the
// other ages.
var grewUpSlot = func() (b [world.MaxAge + 1]uint8) {
	for k, a := range record.GrewUpAges {
		b[a] = uint8(k + 1)
	}
	return b
}()

// ageGroup maps an age to its record.AgeGroup.
var ageGroup = func() (b [world.MaxAge + 1]uint8) {
	for a := range b {
		b[a] = uint8(record.AgeGroup(a))
	}
	return b
}()

// The cells of a region in observer.st: sex, then age group, then
// education level.
const (
	structSex   = record.NumAgeGroups * record.NumEducation
	structCells = 2 * structSex
)

// The living counters of a region's row, from cLiving on: sex, then age
// group (1 + record.LivingAge), then living arrangement. Age group 0 holds
// the children, not recorded.
const (
	livingSex   = (record.NumLivingAges + 1) * record.NumLiving
	livingCells = 2 * livingSex
)

// livingRow maps a sex and an age to the first of their living counters,
// counted from cLiving: age group 1 + record.LivingAge (0 for children).
var livingRow = func() (b [2][world.MaxAge + 1]uint16) {
	for sx := range b {
		for a := range b[sx] {
			b[sx][a] = uint16(sx*livingSex + (record.LivingAge(a)+1)*record.NumLiving)
		}
	}
	return b
}()

// livingOf maps partner<<3 | at home<<2 | head<<1 | alone in the household
// to a person's living arrangement (record.LivingNames): a partner makes a
// couple, else living at home is with a parent, else a head is alone or a
// lone parent, and the rest is other.
var livingOf = [16]uint8{
	record.LivingOther, record.LivingOther, record.LivingLoneParent, record.LivingAlone,
	record.LivingWithParents, record.LivingWithParents, record.LivingWithParents, record.LivingWithParents,
	record.LivingCouple, record.LivingCouple, record.LivingCouple, record.LivingCouple,
	record.LivingCouple, record.LivingCouple, record.LivingCouple, record.LivingCouple,
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
	// Per worker (integer counts, so the sums do not depend on which
	// worker counted which chunk): (n+1)*numCounters region counters, the
	// last row absorbing NoRegion; persons by sex and age; women in a
	// couple by age.
	cnt [][]int32
	// In-commuters by work region, then commuteSpare counters absorbing
	// the others (cnt's cInCommuters column stays 0).
	inc [][]int32
	pop [][2][world.MaxAge + 1]int32
	wp  [][world.MaxAge + 1]int32
	ra  [][world.MaxAge + 1]int32 // recent immigrants (under ten years) by age
	pa  [][world.MaxAge + 1]int32 // those of them who came with a programme
	// st: per worker, residents by region, sex, age group and education
	// level (the cells of a region: structSex, structCells).
	st     [][]int32
	rec    record.Year
	flows  [][]record.Flow // per part of the flow table
	census []state.Census
}

// b2i is 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// observe counts the state in one parallel pass: the record of the current
// 1 January, the census the next tick starts from (state.SetCensus), and
// the clearing of this tick's trigger flags.
func (sim *Sim) observe() {
	s := sim.s
	o := &sim.obs
	p := &s.Persons
	n := s.N()
	nw := s.Workers
	o.cnt = state.WorkerCounters(o.cnt, nw, (n+1)*numCounters)
	o.inc = state.WorkerCounters(o.inc, nw, n+commuteSpare)
	o.st = state.WorkerCounters(o.st, nw, n*structCells)
	if len(o.pop) != nw {
		o.pop = make([][2][world.MaxAge + 1]int32, nw)
		o.wp = make([][world.MaxAge + 1]int32, nw)
		o.ra = make([][world.MaxAge + 1]int32, nw)
		o.pa = make([][world.MaxAge + 1]int32, nw)
	}
	clear(o.pop)
	clear(o.wp)
	clear(o.ra)
	clear(o.pa)
	s.ForChunksW(0, func(w, c, lo, hi int, _ *state.RNG) {
		cnt := o.cnt[w]
		inc := o.inc[w]
		st := o.st[w]
		pop := &o.pop[w]
		wp := &o.wp[w]
		ra := &o.ra[w]
		pa := &o.pa[w]
		flags := p.Flags[lo:hi]
		region, work, second := p.Region[lo:hi], p.Work[lo:hi], p.Second[lo:hi]
		ages, sexes, edus, acts, years, partners := p.Age[lo:hi], p.Sex[lo:hi], p.Edu[lo:hi], p.Act[lo:hi], p.Years[lo:hi], p.Partner[lo:hi]
		homes, nexts := p.Home[lo:hi], p.Next[lo:hi]
		// The counts of the person's region are added without a branch
		// on the person's attributes: the outcomes are unpredictable, the
		// additions cheap. The population is the sum of the age bands.
		for i, f := range flags {
			if f&population.Alive == 0 {
				continue
			}
			if f&population.Triggers != 0 {
				flags[i] = f &^ population.Triggers
			}
			r := int(region[i])
			row := cnt[r*numCounters : r*numCounters+numCounters]
			age := ages[i] // ≤ world.MaxAge
			sx := sexes[i] & 1
			pop[sx][age]++
			partnered := b2i(partners[i] != population.None)
			wp[age] += int32(1-sx) & partnered
			imm := int32(f>>immigrantBit) & 1
			row[cHouseholds] += int32(f>>headBit) & 1
			row[cImmigrants] += imm
			recent := imm & b2i(years[i] < 10)
			row[cRecentImmigrants] += recent
			ra[age] += recent
			pa[age] += recent & int32(f>>programmeBit) & 1
			row[cAge0+int(ageBand[age])]++
			st[r*structCells+int(sx)*structSex+int(ageGroup[age])*record.NumEducation+int(edus[i]&3)]++
			// The living arrangement: a head whose household has no next
			// member lives alone.
			// (None is −1: a reference's sign bit says it is empty.)
			arr := partnered<<3 | int32(f>>atHomeBit)&1<<2 | int32(f>>headBit)&1<<1 | int32(uint32(nexts[i])>>31)
			row[cLiving+int(livingRow[sx][age])+int(livingOf[arr])]++
			act := acts[i]
			row[actCounter[act]]++
			employed := b2i(act == population.Employed)
			wk := int(work[i])
			commuter := employed & b2i(wk != r) & b2i(wk != int(population.NoRegion))
			row[cRemote] += employed & int32(f>>remoteBit) & 1
			row[cOutCommuters] += commuter
			// The in-commuters counted at the work region without a
			// branch (whether a person commutes is unpredictable): the
			// others add to one of commuteSpare spare counters in turn, so
			// that one addition does not wait for the previous one.
			spare := n + i&(commuteSpare-1)
			inc[spare+int(commuter)*(wk-spare)]++
			// Students and part-time residents are a minority: a branch
			// costs less than adding zero for the others.
			if act == population.Student {
				cnt[min(wk, n)*numCounters+cStudyPlace]++ // NoRegion counts in the spare row
			}
			if sh := int(second[i]); sh != int(population.NoRegion) {
				cnt[sh*numCounters+cPartTime]++
			}
			// Those born in Norway at the ages of record.GrewUpAges (a few
			// per cent), counted by the region they grew up in.
			if k := int(grewUpSlot[age]); k != 0 && imm == 0 {
				h := min(int(homes[i]), n)
				cnt[h*numCounters+cGrewUp+k-1]++
				cnt[h*numCounters+cLivingThere+k-1] += b2i(h == r)
			}
		}
	})
	rec := &o.rec
	rec.Year = s.Year
	rec.Weight = 1 / s.Scale
	if len(rec.Regions) != n {
		rec.Regions = make([]record.Region, n)
		rec.Structure = make([]record.Structure, n)
		rec.Living = make([]record.Living, n)
		rec.Population = [2][]int64{make([]int64, world.MaxAge+1), make([]int64, world.MaxAge+1)}
		rec.Moves = [2][]int64{make([]int64, world.MaxAge+1), make([]int64, world.MaxAge+1)}
	}
	if len(o.census) != n {
		o.census = make([]state.Census, n)
	}
	var tot [numCounters]int64
	for r := 0; r < n; r++ {
		tot = [numCounters]int64{}
		for w := 0; w < nw; w++ {
			row := o.cnt[w][r*numCounters : r*numCounters+numCounters]
			for k := range tot {
				tot[k] += int64(row[k])
			}
		}
		for w := 0; w < nw; w++ {
			tot[cInCommuters] += int64(o.inc[w][r])
		}
		lvr := &rec.Living[r]
		for sx := range 2 {
			for ag := range record.NumLivingAges {
				for k := range record.NumLiving {
					lvr[sx][ag][k] = tot[cLiving+sx*livingSex+(ag+1)*record.NumLiving+k]
				}
			}
		}
		st := &rec.Structure[r]
		*st = record.Structure{}
		var higherEd int64
		for w := 0; w < nw; w++ {
			cells := o.st[w][r*structCells : (r+1)*structCells]
			for sx := range 2 {
				for ag := range record.NumAgeGroups {
					for e := range record.NumEducation {
						v := int64(cells[sx*structSex+ag*record.NumEducation+e])
						st[sx][ag][e] += v
						// Higher education: bachelor or master, aged 25
						// or more (the age groups from 25–34 on).
						if e >= population.EduBachelor && ag >= record.AgeGroup(25) {
							higherEd += v
						}
					}
				}
			}
		}
		tot[cPop] = tot[cAge0] + tot[cAge20] + tot[cAge40] + tot[cAge67] // every person is in one age band
		o.census[r] = state.Census{Residents: int32(tot[cPop]), Households: int32(tot[cHouseholds]),
			Immigrants: int32(tot[cImmigrants]), RecentImmigrants: int32(tot[cRecentImmigrants]), Students: int32(tot[cStudyPlace]),
			PartTime: int32(tot[cPartTime])}
		rs := &s.Regions[r]
		acc := &s.Ledger.Accounts[r]
		// The dwellings this tick's leavers freed, for the next tick's
		// rationing of moves (migration.available).
		rs.Vacated = 0
		if tot[cPop] > 0 {
			rs.Vacated = float64(acc.OutDomestic+acc.Emigrants+acc.Deaths) * float64(tot[cHouseholds]) / float64(tot[cPop])
		}
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
			HigherEducation: higherEd,
			Employed:        tot[cEmployed], Unemployed: tot[cUnemployed],
			Jobs: int64(jobs + 0.5), Vacancies: int64(vac + 0.5),
			InCommuters: tot[cInCommuters], OutCommuters: tot[cOutCommuters], RemoteWorkers: tot[cRemote],
			Students: tot[cStudents], PartTimeResidents: tot[cPartTime],
			StudyPlaceStudents: tot[cStudyPlace], StudyPlaces: rs.StudyPlaces,
			Dwellings:            int64(rs.Dwellings + 0.5),
			Households:           tot[cHouseholds],
			VacantDwellings:      int64(max(0, rs.Dwellings-float64(tot[cHouseholds])) + 0.5),
			Crowded:              int64(max(0, float64(tot[cHouseholds])-rs.Dwellings) + 0.5),
			PriceIndex:           rs.Price,
			NetMigrationHigherEd: acc.NetHigherEd,
		}
		for k := range record.NumGrewUpAges {
			rec.Regions[r].GrewUp[k] = tot[cGrewUp+k]
			rec.Regions[r].LivingThere[k] = tot[cLivingThere+k]
		}
	}
	for sx := 0; sx < 2; sx++ {
		for a := 0; a <= world.MaxAge; a++ {
			var t int64
			for w := 0; w < nw; w++ {
				t += int64(o.pop[w][sx][a])
			}
			rec.Population[sx][a] = t
			rec.Moves[sx][a] = s.Ledger.Moves[sx][a]
		}
	}
	for a := 0; a <= world.MaxAge; a++ {
		var t int64
		for w := 0; w < nw; w++ {
			t += int64(o.wp[w][a])
		}
		s.PartneredWomen[a] = float64(t) / float64(max(1, rec.Population[0][a]))
		t = 0
		for w := 0; w < nw; w++ {
			t += int64(o.ra[w][a])
		}
		s.Ages[a] = rec.Population[0][a] + rec.Population[1][a]
		s.RecentByAge[a] = t
		t = 0
		for w := 0; w < nw; w++ {
			t += int64(o.pa[w][a])
		}
		s.ProgrammeByAge[a] = t
	}
	// The flows, read part by part of the table in parallel (the blocks
	// written are scattered over it) and joined in order.
	fl := s.Ledger.Flows
	for len(o.flows) < nw {
		o.flows = append(o.flows, nil)
	}
	s.ForEach(nw, func(part int) {
		out := o.flows[part][:0]
		s.Ledger.EachBlockOf(part, nw, func(lo, hi int) {
			for k := lo; k < hi; k++ {
				v := fl[k]
				if v == 0 {
					continue
				}
				mo := k % state.NumMotives
				rest := k / state.NumMotives
				ag := rest % state.NumAgeGroups
				rest /= state.NumAgeGroups
				out = append(out, record.Flow{
					FlowKey: record.FlowKey{Origin: uint16(rest / n), Destination: uint16(rest % n), AgeGroup: uint8(ag), Motive: uint8(mo)},
					Moves:   int64(v),
				})
			}
		})
		o.flows[part] = out
	})
	rec.Flows = rec.Flows[:0]
	for _, part := range o.flows[:nw] {
		rec.Flows = append(rec.Flows, part...)
	}
	s.SetCensus(o.census)
}
