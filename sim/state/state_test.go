package state

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/world"
)

// withSlots returns a state whose persons have n slots (ForChunks only
// looks at their number).
func withSlots(n, workers int) *State {
	s := &State{Seed: 11, Year: 2030}
	s.Persons.Age = make([]uint8, n)
	s.SetWorkers(workers)
	return s
}

// TestForChunksCoversEverySlot checks that ForChunks visits every slot
// exactly once in chunks of ChunkSize, hands each chunk its own stream
// (Stream(stage, chunk)) and does so identically for 1, 2 and 8 workers.
func TestForChunksCoversEverySlot(t *testing.T) {
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17} {
		var ref []uint64
		for _, workers := range []int{1, 2, 8} {
			t.Run(fmt.Sprintf("slots=%d/workers=%d", n, workers), func(t *testing.T) {
				s := withSlots(n, workers)
				visits := make([]uint8, n)
				first := make([]uint64, s.NumChunks())
				var calls atomic.Int64
				s.ForChunks(StreamLabour, func(c, lo, hi int, g *RNG) {
					calls.Add(1)
					if lo != c*ChunkSize || hi != min(lo+ChunkSize, n) {
						t.Errorf("chunk %d covers [%d, %d)", c, lo, hi)
					}
					for i := lo; i < hi; i++ {
						visits[i]++ // each chunk writes only its own slots
					}
					first[c] = g.Uint64()
				})
				if want := (n + ChunkSize - 1) / ChunkSize; int(calls.Load()) != want || s.NumChunks() != want {
					t.Errorf("%d calls, NumChunks %d, want %d", calls.Load(), s.NumChunks(), want)
				}
				for i, v := range visits {
					if v != 1 {
						t.Fatalf("slot %d visited %d times", i, v)
					}
				}
				for c, x := range first {
					g := s.Stream(StreamLabour, uint64(c))
					if g.Uint64() != x {
						t.Errorf("chunk %d did not get Stream(StreamLabour, %d)", c, c)
					}
				}
				if ref == nil {
					ref = first
				} else if fmt.Sprint(ref) != fmt.Sprint(first) {
					t.Errorf("the chunks' streams differ from 1 worker's")
				}
			})
		}
	}
}

// TestForEach checks that ForEach calls fn once for every index, for more
// and fewer workers than items.
func TestForEach(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		for _, n := range []int{0, 1, 5, 1000} {
			s := withSlots(0, workers)
			got := make([]atomic.Int32, n)
			s.ForEach(n, func(k int) { got[k].Add(1) })
			for k := range got {
				if v := got[k].Load(); v != 1 {
					t.Errorf("workers %d, n %d: index %d called %d times", workers, n, k, v)
				}
			}
		}
	}
}

// streamID names one stream for the collision test.
type streamID struct {
	year, stage int
	sub         uint64
}

// TestStreamsDistinct checks that distinct (year, stage, sub) give distinct
// streams and that the same triple gives the same stream, for every stage,
// chunk indices and sub-stream ids below 2³².
func TestStreamsDistinct(t *testing.T) {
	var ids []streamID
	for year := 2024; year <= 2026; year++ {
		for stage := 0; stage <= StreamInterventions; stage++ {
			for c := uint64(0); c < 40; c++ {
				ids = append(ids, streamID{year, stage, c})
			}
			ids = append(ids, streamID{year, stage, 1 << 31}, streamID{year, stage, 1<<32 - 1})
		}
	}
	checkDistinct(t, ids)
	s := &State{Seed: 3, Year: 2024}
	a, b := s.Stream(StreamMigration, 5), s.Stream(StreamMigration, 5)
	if a.Uint64() != b.Uint64() {
		t.Error("the same stream id gave different streams")
	}
	s2 := &State{Seed: 4, Year: 2024}
	c := s2.Stream(StreamMigration, 5)
	a = s.Stream(StreamMigration, 5)
	if a.Uint64() == c.Uint64() {
		t.Error("seeds 3 and 4 gave the same stream")
	}
}

// TestStreamsDistinctLargeSub checks the contract "streams are independent
// of each other" for the sub-stream ids at or above 2³² that callers use:
// labour's matching rounds (round<<32 | chunk) and the engine's second
// homes (StreamSynthesis, 1<<33).
func TestStreamsDistinctLargeSub(t *testing.T) {
	var ids []streamID
	for stage := 1; stage <= StreamInterventions; stage++ {
		for c := uint64(0); c < 8; c++ {
			ids = append(ids, streamID{2024, stage, c})
		}
	}
	for round := uint64(1); round < 3; round++ {
		for c := uint64(0); c < 8; c++ {
			ids = append(ids, streamID{2024, StreamMatching, round<<32 | c})
		}
	}
	ids = append(ids, streamID{2024, StreamSynthesis, 1 << 33})
	checkDistinct(t, ids)
}

func checkDistinct(t *testing.T, ids []streamID) {
	t.Helper()
	seen := map[[2]uint64]streamID{}
	for _, x := range ids {
		s := &State{Seed: 1, Year: x.year}
		g := s.Stream(x.stage, x.sub)
		key := [2]uint64{g.Uint64(), g.Uint64()}
		if y, dup := seen[key]; dup {
			t.Errorf("stream %+v is the same as %+v", x, y)
			continue
		}
		seen[key] = x
	}
}

// small builds a state of three regions in a row, 0 —40 min— 1 —40 min—
// 2 (so 0 to 2 is 80 minutes, beyond the 60-minute commute).
func small(t *testing.T) *State {
	t.Helper()
	w := &world.World{Regions: make([]world.Region, 3), Minutes: []float32{
		10, 40, 80,
		40, 10, 40,
		80, 40, 10,
	}}
	s := &State{World: w, P: params.Default(), Regions: make([]RegionState, 3), Minutes: append([]float32(nil), w.Minutes...), Seed: 1, Year: 2024, Scale: 1}
	s.SetWorkers(1)
	s.RebuildReach()
	s.BeginTick()
	return s
}

func TestRebuildReach(t *testing.T) {
	s := small(t)
	want := [][]int32{{0, 1}, {0, 1, 2}, {1, 2}}
	if fmt.Sprint(s.Reach) != fmt.Sprint(want) {
		t.Errorf("reach %v, want %v", s.Reach, want)
	}
	s.P.CommuteMinutes = 30
	s.RebuildReach()
	want = [][]int32{{0}, {1}, {2}}
	if fmt.Sprint(s.Reach) != fmt.Sprint(want) {
		t.Errorf("reach with a 30-minute commute %v, want %v (every region reaches itself)", s.Reach, want)
	}
	s.P.CommuteMinutes = 0
	s.Minutes[1*3+1] = 5
	s.RebuildReach()
	if fmt.Sprint(s.Reach[1]) != "[1]" {
		t.Errorf("reach of 1 with a zero commute %v, want [1]", s.Reach[1])
	}
}

// TestMovePerson checks the bookkeeping of a move: flows, accounts, moves
// by sex and age, tenure, a job lost beyond the commute (not a remote one),
// a second home in the destination given up, and nothing for a move to
// where one already lives.
func TestMovePerson(t *testing.T) {
	s := small(t)
	p := &s.Persons
	worker := p.Add(population.Person{Age: 30, Sex: 0, Edu: population.EduMaster, Act: population.Employed,
		JobSkill: world.SkillHigh, Tenure: 9, Region: 0, Work: 1, Second: 2})
	remote := p.Add(population.Person{Age: 50, Sex: 1, Act: population.Employed, JobSkill: world.SkillLow,
		Flags: population.Remote, Tenure: 9, Region: 0, Work: 0, Second: population.NoRegion})
	h := p.NewHousehold(worker)
	p.Join(remote, h)
	s.Regions[1].Filled[world.SkillHigh] = 1
	s.Regions[0].Filled[world.SkillLow] = 1

	s.MoveHousehold(h, 2, MotiveCareer)
	n := s.N()
	flow := func(o, d, ag, m int) int32 { return s.Ledger.Flows[((o*n+d)*NumAgeGroups+ag)*NumMotives+m] }
	if f1, f2 := flow(0, 2, 2, MotiveCareer), flow(0, 2, 4, MotiveCareer); f1 != 1 || f2 != 1 {
		t.Errorf("flows 0→2 career: %d at 25–34, %d at 45–54; want 1 and 1", f1, f2)
	}
	a0, a2 := s.Ledger.Accounts[0], s.Ledger.Accounts[2]
	if a0.OutDomestic != 2 || a2.InDomestic != 2 || a0.NetHigherEd != -1 || a2.NetHigherEd != 1 {
		t.Errorf("accounts: origin %+v, destination %+v", a0, a2)
	}
	if s.Ledger.Moves[0][30] != 1 || s.Ledger.Moves[1][50] != 1 {
		t.Errorf("moves by sex and age not recorded")
	}
	// Region 2 is 40 minutes from work region 1: the job is kept.
	if p.Act[worker] != population.Employed || p.Region[worker] != 2 || p.Tenure[worker] != 0 || p.Second[worker] != population.NoRegion {
		t.Errorf("worker after the move: act %d region %d tenure %d second %d", p.Act[worker], p.Region[worker], p.Tenure[worker], p.Second[worker])
	}
	// Region 2 is 80 minutes from work region 0, but the job is remote.
	if p.Act[remote] != population.Employed || p.Work[remote] != 0 {
		t.Errorf("remote worker lost the job")
	}
	// Moving on to region 0 puts work region 1 at 40 minutes: kept; a
	// non-remote job in 2 from 0 is 80 minutes: lost.
	p.Work[worker] = 2
	s.Regions[1].Filled[world.SkillHigh], s.Regions[2].Filled[world.SkillHigh] = 0, 1
	s.MovePerson(worker, 0, MotiveHousing)
	if p.Act[worker] != population.Unemployed || p.Work[worker] != population.NoRegion || s.Regions[2].Filled[world.SkillHigh] != 0 {
		t.Errorf("job beyond the commute kept: act %d work %d filled %d", p.Act[worker], p.Work[worker], s.Regions[2].Filled[world.SkillHigh])
	}
	before := s.Ledger
	before.Flows = append([]int32(nil), s.Ledger.Flows...)
	before.Accounts = append([]Account(nil), s.Ledger.Accounts...)
	p.Tenure[worker] = 3
	s.MovePerson(worker, 0, MotiveHousing)
	if p.Tenure[worker] != 3 || fmt.Sprint(before.Accounts) != fmt.Sprint(s.Ledger.Accounts) || fmt.Sprint(before.Flows) != fmt.Sprint(s.Ledger.Flows) {
		t.Error("a move to the current region was recorded")
	}
}

// TestPhase checks the life phases (MODEL.md) and that PhaseNoFamily with
// HasChildren agrees with Phase.
func TestPhase(t *testing.T) {
	s := small(t)
	p := &s.Persons
	add := func(age uint8, act uint8, flags uint16) int32 {
		return p.Add(population.Person{Age: age, Act: act, Flags: flags})
	}
	child := add(10, population.Child, population.AtHome)
	young := add(25, population.Employed, 0)
	mother := add(36, population.Employed, 0)
	kid := add(3, population.Child, population.AtHome)
	single := add(50, population.Unemployed, 0)
	student := add(22, population.Student, 0)
	senior := add(70, population.Retired, 0)
	youngParent := add(30, population.Employed, 0)
	baby := add(0, population.Child, population.AtHome)
	h := p.NewHousehold(mother)
	p.Join(kid, h)
	p.Join(child, h)
	k := p.NewHousehold(youngParent)
	p.Join(baby, k)
	for _, i := range []int32{young, single, student, senior} {
		p.NewHousehold(i)
	}
	cases := []struct {
		name string
		i    int32
		want int
	}{
		{"child", child, params.Child},
		{"early career", young, params.EarlyCareer},
		{"mother of children", mother, params.Family},
		{"young parent", youngParent, params.Family},
		{"single 50", single, params.Established},
		{"student", student, params.Student},
		{"senior", senior, params.Senior},
	}
	for _, c := range cases {
		if got := s.Phase(c.i); got != c.want {
			t.Errorf("%s: phase %s, want %s", c.name, params.PhaseNames[got], params.PhaseNames[c.want])
		}
		ph, maybe := s.PhaseNoFamily(c.i)
		if maybe && s.HasChildren(c.i) {
			ph = params.Family
		}
		if ph != c.want {
			t.Errorf("%s: PhaseNoFamily gives %s, want %s", c.name, params.PhaseNames[ph], params.PhaseNames[c.want])
		}
	}
	if s.HasChildren(kid) != true || s.HasChildren(baby) != false {
		t.Errorf("HasChildren: a child with a sibling %v, an only child %v; want true, false", s.HasChildren(kid), s.HasChildren(baby))
	}
}

func TestSkill(t *testing.T) {
	want := map[uint8]int{population.EduBasic: world.SkillLow, population.EduUpperSecondary: world.SkillMedium,
		population.EduBachelor: world.SkillHigh, population.EduMaster: world.SkillHigh}
	for e, k := range want {
		if got := Skill(e); got != k {
			t.Errorf("Skill(%d) = %d, want %d", e, got, k)
		}
	}
}

// TestSetCensus checks that the census is stored and summed nationally.
func TestSetCensus(t *testing.T) {
	s := small(t)
	s.SetCensus([]Census{{Residents: 10, Households: 4, Immigrants: 2, RecentImmigrants: 1, Students: 3},
		{Residents: 5, RecentImmigrants: 2}, {Residents: 1}})
	if s.Residents != 16 || s.RecentImmigrants != 3 || s.Regions[0].Households != 4 || s.Regions[0].Students != 3 || s.Regions[0].Immigrants != 2 {
		t.Errorf("census: residents %d, recent immigrants %d, region 0 %+v", s.Residents, s.RecentImmigrants, s.Regions[0])
	}
}

// TestMarks checks that Marks reports households added twice, across
// goroutines.
func TestMarks(t *testing.T) {
	var m Marks
	for round := 0; round < 2; round++ {
		m.Reset(1500 + 500*round)
		var twice [2][]bool
		done := make(chan int)
		for g := 0; g < 2; g++ {
			go func() {
				twice[g] = make([]bool, 1500)
				for h := int32(g); h < 1500; h += 2 {
					twice[g][h] = m.Add(h / 3 * 3)
				}
				done <- g
			}()
		}
		<-done
		<-done
		for h := int32(0); h < 1500; h++ {
			if !m.Has(h) != (h%3 != 0) {
				t.Fatalf("round %d: Has(%d) = %v", round, h, m.Has(h))
			}
		}
		n := 0
		for g := range twice {
			for _, x := range twice[g] {
				if x {
					n++
				}
			}
		}
		if n != 1000 { // of the 1500 additions, 500 households, each added 3 times
			t.Fatalf("round %d: %d additions found their household, want 1000", round, n)
		}
	}
}

// TestWorkerCounters: rows are zeroed, their memory reused when the shape
// is unchanged, and made anew when the workers or the row length change.
func TestWorkerCounters(t *testing.T) {
	b := WorkerCounters(nil, 2, 3)
	if len(b) != 2 || len(b[0]) != 3 || len(b[1]) != 3 {
		t.Fatalf("shape %d×%d, want 2×3", len(b), len(b[0]))
	}
	b[0][1], b[1][2] = 5, 7
	row := &b[0][0]
	b = WorkerCounters(b, 2, 3)
	if &b[0][0] != row || b[0][1] != 0 || b[1][2] != 0 {
		t.Errorf("same shape: memory reused %v, rows %v", &b[0][0] == row, b)
	}
	if b = WorkerCounters(b, 3, 3); len(b) != 3 || len(b[2]) != 3 {
		t.Errorf("three workers: shape %d rows", len(b))
	}
	if b = WorkerCounters(b, 3, 4); len(b[0]) != 4 {
		t.Errorf("rows of 4: got %d", len(b[0]))
	}
}
