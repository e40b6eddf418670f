// Package state holds everything that changes during a simulation: the
// persons and households, the regions' jobs, dwellings and prices, the
// travel times in force, and the random streams. The submodel packages
// (demography, education, labour, housing, migration, international) read
// and change a *State; the engine owns the order in which they run.
//
// Parallel work goes through ForChunks, which splits the person slots into
// fixed chunks with their own random stream, so results never depend on the
// number of workers.
package state

import (
	mbits "math/bits"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/world"
)

// ChunkSize is the number of person slots in one unit of parallel work.
// It fixes the random streams: changing it changes results (not so the
// number of workers).
const ChunkSize = 1 << 15

// Stages name the random streams of the tick's steps.
const (
	StreamSynthesis = iota + 1
	StreamDemography
	StreamCouples
	StreamEducation
	StreamLabour
	StreamMatching
	StreamHousing
	StreamMigration
	StreamInternational
	StreamInterventions
	StreamConversion // part-time residents who become full residents
	StreamArrivals   // immigrants on top of the national inflow
	StreamRation     // the fraction of a last dwelling in a region's lottery (migration)
	StreamHomeStay   // whether a native's move beyond the commute is held (migration, per person and year)
	// The kinds of keyed draws (State.Keyed): one uniform per person,
	// kind and year.
	KeyDeath       // death (demography)
	KeyBirth       // giving birth (demography)
	KeyAdult       // leaving home, a split or seeking a partner (demography)
	KeyCabin       // a second home at SecondHomeAge (demography)
	KeyRetire      // retirement (labour)
	KeyJobMove     // losing or finding a job, seeking work at 18 (labour)
	KeyMove        // the decision to move (migration)
	KeyDestination // where to (migration)
	KeyRation      // the place in a region's lottery for its dwellings (migration)
	KeyEducation   // a student's or a young adult's draws (education, Keyed.RNG)
	KeyEmigration  // a household head's emigration (international)
	// StreamTaste decides a person's taste class for the destination
	// choice (migration: params small_taste_share), by slot and year of
	// birth, so that it lasts their life.
	StreamTaste
)

// RegionState is the changing part of a region, in sampled units.
type RegionState struct {
	Jobs   [world.NumSkills]float64 // jobs located here
	Filled [world.NumSkills]int32   // jobs held (recounted each tick)
	// Sponsored counts the posts business development has added here that
	// are still open (at most the vacancies; the labour step lowers it as
	// they are filled): vacancies are withdrawn only beyond these.
	Sponsored [world.NumSkills]float64
	Dwellings float64
	Price     float64 // price index, national start mean = 1
	// Counted at the end of every tick (SetCensus).
	Households int32 // households living here
	// Vacated is the dwellings the region's leavers freed in the last
	// tick: the residents who moved out, emigrated or died, times the
	// households per resident (set by the engine's observation; at the
	// start, migration.Turnover of the stock). Moves into the region are
	// rationed by these and the empty dwellings (migration.available).
	Vacated    float64
	Residents  int32 // persons living here
	Immigrants int32 // residents born abroad (networks for newcomers)
	Students   int32 // students whose study place is here

	// Stocks that interventions build and the tick keeps (never reset).
	// Reserved[g] is the part of the vacant dwellings built for group g
	// (ReservedYoung, ReservedFamilies) and not yet taken by a household of
	// that group; it is part of Dwellings.
	Reserved [NumReserved]float64
	// Census of part-time residents: adults from elsewhere with a second
	// home here (SetCensus).
	PartTime int32

	// Levers set by interventions each year (neutral values: 1 for factors,
	// 0 for boosts).
	Broadband   float64                  // coverage 0–1
	RemoteShare [world.NumSkills]float64 // share of jobs here that are remote-capable, with broadband required where the worker lives
	// RemoteAnywhere is the share of jobs here that are remote-capable
	// without broadband (remote_work with requires_broadband = false).
	RemoteAnywhere [world.NumSkills]float64
	// HybridShare and HybridAnywhere are the parts of RemoteShare and
	// RemoteAnywhere that hybrid programmes added (office_days_per_week >
	// 0): their workers carry population.Hybrid.
	HybridShare, HybridAnywhere [world.NumSkills]float64
	// OfficeDays is the days a week a hybrid worker of a job here still
	// travels to it, averaged over the hybrid programmes weighted by the
	// shares they add (0: none).
	OfficeDays   float64
	AmenityBoost world.Amenities // added to the amenity scores
	Reputation   float64         // added utility in destination choice
	Visibility   float64         // recruitment: added weight on vacancies seen from elsewhere
	AttachBoost  float64         // youth: added home-region attachment
	StudyPlaces  float64         // study places (sampled)
	Retention    float64         // integration: cut in emigration of immigrants (0–1)
	// ExtraImmigrants are the immigrants settled here this year on top of
	// the national inflow, by ExtraWorkers and ExtraRefugees (sampled).
	ExtraImmigrants [2]float64
	SecondHomeAdd   float64 // second homes added this year (sampled), held by households elsewhere
	StayDays        float64 // days a year a part-time resident spends here; 0 = BaseStayDays
	Conversion      float64 // yearly probability that a part-time resident's household moves here
	// HousingBoost holds the dwellings built this year by programmes, for
	// the young, families and all (HousingYoung …).
	HousingBoost [3]float64
	// Subsidy is the share of the price paid by programmes, as seen by the
	// households of each life phase that choose this region.
	Subsidy     [params.NumPhases]float64
	Cooperation int32 // municipal cooperation group, −1 none
}

// Groups of targeted dwellings: the index of RegionState.HousingBoost
// (with HousingAll) and of RegionState.Reserved.
const (
	ReservedYoung    = iota // households in the student and early-career phases
	ReservedFamilies        // households with children
	NumReserved
	HousingAll = NumReserved // HousingBoost index of dwellings for everyone
)

// ReservedFor returns the group of targeted dwellings a household of life
// phase ph may take, or −1.
func ReservedFor(ph int) int {
	switch ph {
	case params.Student, params.EarlyCareer:
		return ReservedYoung
	case params.Family:
		return ReservedFamilies
	}
	return -1
}

// Extra immigrant kinds: the index of RegionState.ExtraImmigrants.
const (
	ExtraWorkers = iota
	ExtraRefugees
)

// BaseStayDays is the days a year a part-time resident spends in the
// second-home region when no intervention says otherwise: Norwegian
// holiday homes are used about 40–50 days a year (Ellingsen & Arnesen,
// Fritidsboliger og fritidsboligbruk, Østlandsforskning 2014; SSB's
// travel surveys).
const BaseStayDays = 40

// HomeAge is the age from which a person's home region (population.Persons.Home,
// where they grew up) stays fixed: SSB counts where people grew up as their
// municipality of residence at 16, so a child's home region moves with the
// family until then (Mover.MovePerson).
const HomeAge = 16

// State is the simulation state.
type State struct {
	World   *world.World
	P       params.Params
	Persons population.Persons
	Regions []RegionState
	// Minutes is the travel-time matrix in force (interventions change it).
	Minutes []float32
	// Reach[r] lists the regions within the accepted commute of r (incl. r).
	Reach [][]int32

	// Ledger records the current tick's events.
	Ledger Ledger

	// National counts from the census (SetCensus).
	Residents, RecentImmigrants int64
	// PartneredWomen[age] is the share of women of that age living in a couple.
	PartneredWomen [world.MaxAge + 1]float64
	// Ages[age] counts the residents of that age (simulated persons),
	// RecentByAge[age] those of them who immigrated under ten years ago, and
	// ProgrammeByAge[age] those of these who came with an immigration
	// programme (population.Programme).
	Ages, RecentByAge, ProgrammeByAge [world.MaxAge + 1]int64

	Year    int
	Seed    uint64
	Scale   float64
	Workers int

	// Projection is the national projection the run follows (nil: the
	// world's rates held); National are its rates for Year (NationalRates,
	// which BeginTick calls).
	Projection *world.Projection
	National   world.National
	national   *world.Projection // the projection National was set for

	// Newcomers lists the persons who moved between regions or arrived
	// from abroad this tick and were seeking work when they did (having
	// given up a job beyond the commute, or without one): the labour market
	// matches them where they now live before the tick ends
	// (labour.Model.Newcomers). In no particular order and possibly with
	// repeats (a slot freed and taken again); reset by BeginTick.
	Newcomers []int32

	movers []Mover // per worker, for ForMoves

	// Cabins chooses the regions of second homes (synthesis and the
	// yearly acquisitions of demography).
	Cabins Cabins
}

// N is the number of regions.
func (s *State) N() int { return len(s.Regions) }

// TravelMinutes returns the travel time in force from i to j.
func (s *State) TravelMinutes(i, j int) float32 { return s.Minutes[i*len(s.Regions)+j] }

// MaxWorkers bounds the goroutines of one simulation: more than the CPUs
// never makes it faster, and the per-worker counters cost memory and time
// in every tick (a typo of --workers 100000 took minutes for the teaching
// world that runs in a second).
const MaxWorkers = 1024

// SetWorkers sets the number of goroutines used by ForChunks (0 = all CPUs).
func (s *State) SetWorkers(n int) {
	if n <= 0 {
		n = runtime.NumCPU()
	}
	s.Workers = n
}

// RebuildReach recomputes Reach from Minutes and the accepted commute.
func (s *State) RebuildReach() {
	n := s.N()
	lim := float32(s.P.CommuteMinutes)
	if s.Reach == nil {
		s.Reach = make([][]int32, n)
	}
	for i := 0; i < n; i++ {
		r := s.Reach[i][:0]
		for j := 0; j < n; j++ {
			if i == j || s.Minutes[i*n+j] <= lim {
				r = append(r, int32(j))
			}
		}
		s.Reach[i] = r
	}
}

// NumChunks returns the number of chunks the current slots split into.
func (s *State) NumChunks() int { return (s.Persons.Len() + ChunkSize - 1) / ChunkSize }

// ForChunks calls fn(chunk, lo, hi, rng) for every chunk of person slots
// [lo, hi), on s.Workers goroutines. rng is the chunk's own stream for this
// year and stage. fn must only write to slots in [lo, hi) and to per-chunk
// buffers; it returns when all chunks are done.
func (s *State) ForChunks(stage int, fn func(chunk, lo, hi int, rng *RNG)) {
	s.ForChunksW(stage, func(_, c, lo, hi int, rng *RNG) { fn(c, lo, hi, rng) })
}

// ForChunksW is ForChunks that also passes the index w ∈ [0, s.Workers) of
// the goroutine running the chunk, for per-worker accumulators. Which worker
// runs which chunk changes from run to run, so fn may use w only for sums
// whose result does not depend on the order of the terms (integer counts).
func (s *State) ForChunksW(stage int, fn func(w, chunk, lo, hi int, rng *RNG)) {
	n := s.Persons.Len()
	s.ForEachW(s.NumChunks(), func(w, c int) {
		lo := c * ChunkSize
		hi := min(lo+ChunkSize, n)
		rng := s.Stream(stage, uint64(c))
		fn(w, c, lo, hi, &rng)
	})
}

// ForEach calls fn(k) for k in [0, n) on s.Workers goroutines.
func (s *State) ForEach(n int, fn func(k int)) {
	s.ForEachW(n, func(_, k int) { fn(k) })
}

// WorkerCounters returns b as nw zeroed rows of n counters, one per worker
// of ForEachW or ForChunksW, reusing its memory when the shape is the same
// as before.
func WorkerCounters(b [][]int32, nw, n int) [][]int32 {
	if len(b) != nw || nw > 0 && len(b[0]) != n {
		b = make([][]int32, nw)
		for w := range b {
			b[w] = make([]int32, n)
		}
		return b
	}
	for w := range b {
		clear(b[w])
	}
	return b
}

// ForEachW is ForEach that also passes the index w ∈ [0, s.Workers) of the
// goroutine making the call (see ForChunksW for what w may be used for).
// The items are handed out in increasing order, one at a time or, when
// there are many, in small blocks.
func (s *State) ForEachW(n int, fn func(w, k int)) {
	nw := min(s.Workers, n)
	if nw <= 1 {
		for k := 0; k < n; k++ {
			fn(0, k)
		}
		return
	}
	// Many small items (the couples formed across regions, 10,000 a
	// year at scale 1) are handed out in blocks: one at a time, the
	// workers spent more time passing the counter between them than on
	// the items. A block is at most a 64th of each worker's share.
	block := int64(max(1, n/(64*nw)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(block) - block)
				if k >= n {
					return
				}
				for end := min(k+int(block), n); k < end; k++ {
					fn(w, k)
				}
			}
		}()
	}
	wg.Wait()
}

// Stream returns the random stream for this year, a stage and a sub-stream
// index (a chunk, a region …). Streams are independent of each other and of
// the number of workers.
func (s *State) Stream(stage int, sub uint64) RNG {
	return rng.New(s.Seed, rng.Mix(uint64(s.Year), uint64(stage), sub))
}

// RNG is the random stream type used by the submodels.
type RNG = rng.RNG

// PhaseNoFamily returns the life phase of person i without the family test,
// which needs the household: when maybeFamily is true, the phase is Family
// if HasChildren(i), else the returned one.
func (s *State) PhaseNoFamily(i int32) (phase int, maybeFamily bool) {
	p := &s.Persons
	age := p.Age[i]
	switch {
	case p.Act[i] == population.Child || (age < 18 && p.Flags[i]&population.AtHome != 0):
		return params.Child, false
	case p.Act[i] == population.Student:
		return params.Student, false
	case age >= 67:
		return params.Senior, false
	case age < 35:
		return params.EarlyCareer, p.HH[i] != population.None
	}
	return params.Established, p.HH[i] != population.None
}

// HasChildren reports whether anyone else in i's household is under 18. O(1).
func (s *State) HasChildren(i int32) bool {
	p := &s.Persons
	k := p.Kids[p.HH[i]]
	if p.Age[i] < 18 {
		k--
	}
	return k > 0
}

// Phase returns the life phase of person i (params.Child … params.Senior).
func (s *State) Phase(i int32) int {
	ph, maybeFamily := s.PhaseNoFamily(i)
	if maybeFamily && s.HasChildren(i) {
		return params.Family
	}
	return ph
}

// Skill returns the skill level an education qualifies for.
func Skill(edu uint8) int {
	switch edu {
	case population.EduBasic:
		return world.SkillLow
	case population.EduUpperSecondary:
		return world.SkillMedium
	}
	return world.SkillHigh
}

// Account holds one region's flows during the current tick (sampled units).
type Account struct {
	Births, Deaths          int64
	InDomestic, OutDomestic int64
	Immigrants, Emigrants   int64
	NetHigherEd             int64 // net migration of persons with higher education
}

// Motives of moves (record.MotiveNames) and the flow table's sizes.
const (
	MotiveStudy   = record.MotiveStudy
	MotiveCareer  = record.MotiveCareer
	MotiveHousing = record.MotiveHousing
	MotiveFamily  = record.MotiveFamily
	MotiveReturn  = record.MotiveReturn
	MotiveAmenity = record.MotiveAmenity
	NumAgeGroups  = record.NumAgeGroups
	NumMotives    = record.NumMotives
)

// Ledger is what the tick records while it runs: per-region accounts, the
// dense origin × destination × age group × motive flow table and moves by
// sex and single year of age. Reset at the start of every tick.
type Ledger struct {
	Accounts []Account
	// Flows is written only by MovePerson, which also marks the block of
	// the entry in touched, so that reset and EachFlow visit only the
	// blocks written this tick instead of all n²·NumAgeGroups·NumMotives
	// entries.
	Flows   []int32 // ((o*n+d)*NumAgeGroups+ag)*NumMotives+motive
	Moves   [2][world.MaxAge + 1]int64
	touched []uint64 // bit b: block b of flowBlock entries of Flows written
}

// flowBlock is the number of Flows entries per touched bit (one cache line).
const flowBlock = 16

func (l *Ledger) reset(s *State) {
	if n := s.N(); len(l.Accounts) != n {
		l.Accounts = make([]Account, n)
		l.Flows = make([]int32, n*n*NumAgeGroups*NumMotives)
		l.touched = make([]uint64, (len(l.Flows)/flowBlock+64)/64)
	}
	clear(l.Accounts)
	// The blocks written, scattered over the table: part by part in
	// parallel.
	s.ForEach(s.Workers, func(part int) {
		l.EachBlockOf(part, s.Workers, func(lo, hi int) { clear(l.Flows[lo:hi]) })
	})
	clear(l.touched)
	l.Moves = [2][world.MaxAge + 1]int64{}
}

// addFlow adds one move to entry k of Flows.
func (l *Ledger) addFlow(k int) {
	l.Flows[k]++
	b := k / flowBlock
	l.touched[b/64] |= 1 << (b % 64)
}

// EachBlock calls fn(lo, hi) for every block Flows[lo:hi] written this
// tick, in increasing order; every non-zero entry of Flows is in one.
// Cost O(n²·NumAgeGroups·NumMotives/1024 + written blocks).
func (l *Ledger) EachBlock(fn func(lo, hi int)) { l.EachBlockOf(0, 1, fn) }

// EachBlockOf is EachBlock for part part of parts of the table (whole
// words of touched bits, in order), so that parts can be read in parallel
// and their results joined in order.
func (l *Ledger) EachBlockOf(part, parts int, fn func(lo, hi int)) {
	first, end := len(l.touched)*part/parts, len(l.touched)*(part+1)/parts
	for w, bits := range l.touched[first:end] {
		w += first
		for bits != 0 {
			b := w*64 + mbits.TrailingZeros64(bits)
			bits &= bits - 1
			lo := b * flowBlock
			fn(lo, min(lo+flowBlock, len(l.Flows)))
		}
	}
}

// BeginTick clears the ledger and sets the year's national rates. The persons' trigger flags and the census
// (RegionState.Residents …) are refreshed by the engine's observation pass
// at the end of the previous tick (SetCensus).
func (s *State) BeginTick() {
	s.Ledger.reset(s)
	s.Newcomers = s.Newcomers[:0]
	s.NationalRates()
}

// NationalRates returns the national rates of Year along Projection,
// computing them when the year or the projection has changed since.
func (s *State) NationalRates() *world.National {
	if s.national != s.Projection || s.National.Year != s.Year || s.National.TotalFertility == 0 {
		s.National = s.World.Rates.In(s.Projection, s.Year)
		s.national = s.Projection
	}
	return &s.National
}

// Census holds one region's counts from the observation pass.
type Census struct {
	Residents, Households, Immigrants, RecentImmigrants, Students int32
	PartTime                                                      int32 // adults from elsewhere with a second home here
}

// SetCensus stores the counts of the observation pass in the regions.
func (s *State) SetCensus(c []Census) {
	s.RecentImmigrants, s.Residents = 0, 0
	for r := range c {
		rs := &s.Regions[r]
		rs.Residents, rs.Households, rs.Immigrants, rs.Students = c[r].Residents, c[r].Households, c[r].Immigrants, c[r].Students
		rs.PartTime = c[r].PartTime
		s.RecentImmigrants += int64(c[r].RecentImmigrants)
		s.Residents += int64(c[r].Residents)
	}
}

// MoveHousehold moves every member of household h to region dest, records
// the moves with motive, and applies their consequences: tenure restarts,
// and a job beyond the accepted commute from dest is lost unless KeepsJob.
// Members already in dest are not counted. Sequential use only (see
// ForMoves for moves in parallel).
//
// A household of a group that targeted dwellings are built for (see
// ReservedFor, by the life phase of its head) takes one of them in dest
// while any stand empty there.
func (s *State) MoveHousehold(h int32, dest int, motive int) {
	mv := Mover{s: s}
	mv.MoveHousehold(h, dest, motive)
}

// TakeReserved records that a household of life phase ph moves into a
// dwelling in region r: when dwellings built for its group stand empty
// there, it takes one of them. Sequential use only.
func (s *State) TakeReserved(r, ph int) {
	mv := Mover{s: s}
	mv.TakeReserved(r, ph)
}

// MaxHybridMinutes is the longest one-way travel time a hybrid worker
// accepts however few office days: beyond four hours the trip is weekly
// commuting with a second dwelling, which the model does not represent.
const MaxHybridMinutes = 240

// HybridCommute returns the longest one-way travel time accepted by a
// worker who travels to the workplace days a week (0 < days ≤ 5): the time
// that keeps the weekly commuting time of a daily commuter with the
// accepted commute c, c·5/days, at most MaxHybridMinutes (and never less
// than c).
func HybridCommute(c, days float64) float64 {
	return max(c, min(c*5/days, MaxHybridMinutes))
}

// KeepsJob reports whether employed person j keeps the job after moving to
// region dest: when the job is within the accepted commute from dest, or
// when it is remote-capable and either fully remote or hybrid
// (population.Hybrid) with the job within the hybrid commute
// (HybridCommute with the office days of the job's region's hybrid
// programmes; none when they have ended).
func (s *State) KeepsJob(j int32, dest int) bool {
	p := &s.Persons
	w := int(p.Work[j])
	m := float64(s.Minutes[dest*s.N()+w])
	if m <= s.P.CommuteMinutes {
		return true
	}
	if p.Flags[j]&population.Remote == 0 {
		return false
	}
	if p.Flags[j]&population.Hybrid == 0 {
		return true // fully remote
	}
	// A hybrid job whose programme has ended (no office days in force) is
	// worked at the office again: the plain commute.
	days := s.Regions[w].OfficeDays
	return days > 0 && m <= HybridCommute(s.P.CommuteMinutes, days)
}

// MovePerson moves one person (see MoveHousehold). Sequential use only.
func (s *State) MovePerson(j int32, dest int, motive int) {
	mv := Mover{s: s}
	mv.MovePerson(j, dest, motive)
}
