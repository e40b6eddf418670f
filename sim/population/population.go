// Package population stores the synthetic persons and households of a
// simulation as a structure of arrays: one slice per attribute, indexed by a
// person's slot. Slots of the dead and emigrated are reused by births and
// immigrants, so the arrays stay compact and an update of one attribute over
// all persons streams through memory.
//
// Households are the units that move together: a linked list of member slots
// (First, Next). The package keeps the two structures consistent; callers
// change attributes directly.
package population

import (
	"fmt"
	"slices"
)

// NoRegion marks an empty region field (no work region, no second home).
const NoRegion = ^uint16(0)

// None marks an empty person or household reference.
const None = int32(-1)

// Education levels (MODEL.md).
const (
	EduBasic = iota
	EduUpperSecondary
	EduBachelor
	EduMaster
)

// Activities (MODEL.md).
const (
	Child      = iota // under 18, not in the labour force
	Student           // in higher education
	Employed          // holds a job in Work
	Unemployed        // seeking work
	Inactive          // of working age, not seeking
	Retired
)

// Flags, one bit each.
const (
	Alive      = 1 << iota // the slot holds a living resident
	Immigrant              // born abroad
	Remote                 // holds or seeks a remote-capable job
	AtHome                 // an adult still living with their parents
	Graduated              // graduated this year (migration trigger)
	LostJob                // lost a job this year (migration trigger)
	NewPartner             // formed or left a couple this year (migration trigger)
	NewRetiree             // retired this year (migration trigger)
	Head                   // first member of a household (kept by the household operations)
	Hybrid                 // with Remote: the job is hybrid, with office days (state.KeepsJob)
	// Programme marks an immigrant who arrived through an immigration
	// programme (an intervention), on top of the national inflow; while
	// recent (under ten years) they are left out of the population the
	// national emigration and immigration rates scale with
	// (international.Model.Step).
	Programme
)

// Triggers are the flags cleared after every tick. A trigger concerns the
// household's move: whoever sets one on a person sets it on their partner
// too (ShareTrigger), so the decision needs only the head's flags.
const Triggers = Graduated | LostJob | NewPartner | NewRetiree

// StudyMaster is the bit of Persons.StudyLeft set while a student studies
// for a master's degree.
const StudyMaster = 0x80

// Persons is the structure of arrays. All slices have the same length (the
// number of slots); a slot without the Alive flag is free.
type Persons struct {
	Age       []uint8
	Sex       []uint8 // 0 female, 1 male
	Edu       []uint8
	Act       []uint8
	JobSkill  []uint8  // skill level of the job held (world.Skill*)
	Flags     []uint16 // Alive, Immigrant, …
	Tenure    []uint8  // years in the current region (capped at 255)
	Years     []uint8  // years since arrival for immigrants
	StudyLeft []uint8  // students: years of study left (low 4 bits), StudyMaster for a master's degree
	Region    []uint16 // residence
	Work      []uint16 // work region, NoRegion when not employed
	Home      []uint16 // where the person grew up (attachment): the region they lived in at 16, for a child the region they live in (state.HomeAge)
	Second    []uint16 // second-home region, NoRegion if none
	Partner   []int32  // partner's slot or None
	HH        []int32  // household
	Next      []int32  // next member of the same household or None

	free []int32 // free slots, used last-in first-out

	// Households.
	First []int32 // first member (the head) of each household, None if free
	// Kids counts the members under 18 of each household. Kept by the
	// household operations; a member turning 18 must be reported with
	// TurnedAdult.
	Kids   []int32
	hhFree []int32
}

// Len returns the number of slots (living or free).
func (p *Persons) Len() int { return len(p.Age) }

// Live reports whether slot i holds a living resident.
func (p *Persons) Live(i int32) bool { return p.Flags[i]&Alive != 0 }

// Grow makes room for n more slots without reallocating later.
func (p *Persons) Grow(n int) {
	p.Age = growU8(p.Age, n)
	p.Sex = growU8(p.Sex, n)
	p.Edu = growU8(p.Edu, n)
	p.Act = growU8(p.Act, n)
	p.JobSkill = growU8(p.JobSkill, n)
	p.Flags = growU16(p.Flags, n)
	p.Tenure = growU8(p.Tenure, n)
	p.Years = growU8(p.Years, n)
	p.StudyLeft = growU8(p.StudyLeft, n)
	p.Region = growU16(p.Region, n)
	p.Work = growU16(p.Work, n)
	p.Home = growU16(p.Home, n)
	p.Second = growU16(p.Second, n)
	p.Partner = growI32(p.Partner, n)
	p.HH = growI32(p.HH, n)
	p.Next = growI32(p.Next, n)
}

// GrowHouseholds makes room for n more households without reallocating
// later.
func (p *Persons) GrowHouseholds(n int) {
	p.First = growI32(p.First, n)
	p.Kids = growI32(p.Kids, n)
}

func growU8(s []uint8, n int) []uint8 {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]uint8, len(s), len(s)+n)
	copy(t, s)
	return t
}

func growU16(s []uint16, n int) []uint16 {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]uint16, len(s), len(s)+n)
	copy(t, s)
	return t
}

func growI32(s []int32, n int) []int32 {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]int32, len(s), len(s)+n)
	copy(t, s)
	return t
}

// Person is the attribute set of a new person.
type Person struct {
	Age, Sex, Edu, Act, JobSkill uint8
	Flags                        uint16
	Years, StudyLeft, Tenure     uint8
	Region, Work, Home, Second   uint16
}

// Add places a new person in a free slot (or a new one) and returns the slot.
// The person belongs to no household until Join or NewHousehold.
func (p *Persons) Add(x Person) int32 {
	i := p.Reserve()
	p.AddAt(i, x)
	return i
}

// Reserve takes the slot the next Add would use (a free one, last freed
// first, or a new one) and holds it for AddAt, so that slots can be handed
// out in a fixed order before persons are added concurrently. Sequential
// use only.
func (p *Persons) Reserve() int32 {
	if n := len(p.free); n > 0 {
		i := p.free[n-1]
		p.free = p.free[:n-1]
		return i
	}
	i := int32(len(p.Age))
	p.Age = extend(p.Age)
	p.Sex = extend(p.Sex)
	p.Edu = extend(p.Edu)
	p.Act = extend(p.Act)
	p.JobSkill = extend(p.JobSkill)
	p.Flags = extend(p.Flags)
	p.Tenure = extend(p.Tenure)
	p.Years = extend(p.Years)
	p.StudyLeft = extend(p.StudyLeft)
	p.Region = extend(p.Region)
	p.Work = extend(p.Work)
	p.Home = extend(p.Home)
	p.Second = extend(p.Second)
	p.Partner = extend(p.Partner)
	p.HH = extend(p.HH)
	p.Next = extend(p.Next)
	return i
}

// extend appends a zero to s. Within the capacity it only lengthens s,
// without writing the element, which is zero already: the room beyond a
// slice's length is zeroed when it is allocated (make, append), and the
// slices shrink only by Reset (after which the element holds a stale value
// until AddAt writes it; see Reset). Reserve then reads and writes no
// person's memory (AddAt does, in parallel), and a new slot's page is
// first touched there.
func extend[T uint8 | uint16 | int32](s []T) []T {
	if len(s) < cap(s) {
		return s[:len(s)+1]
	}
	return append(s, 0)
}

// AddAt places a new person in slot i, which Reserve returned (see Add).
// It writes slot i only, so calls for different slots may run concurrently.
func (p *Persons) AddAt(i int32, x Person) {
	p.Age[i], p.Sex[i], p.Edu[i], p.Act[i], p.JobSkill[i] = x.Age, x.Sex, x.Edu, x.Act, x.JobSkill
	p.Flags[i] = x.Flags | Alive
	p.Tenure[i], p.Years[i], p.StudyLeft[i] = x.Tenure, x.Years, x.StudyLeft
	p.Region[i], p.Work[i], p.Home[i], p.Second[i] = x.Region, x.Work, x.Home, x.Second
	p.Partner[i], p.HH[i], p.Next[i] = None, None, None
}

// Remove frees slot i (death or emigration): it leaves its household and its
// partner becomes single. The slot is reused by a later Add.
func (p *Persons) Remove(i int32) {
	if h := p.RemoveHeld(i); h != None {
		p.ReleaseHousehold(h)
	}
	p.Release(i)
}

// RemoveHeld is Remove without handing slot i and, if it empties, i's
// household to the free lists: it returns that household (or None), and
// the caller frees both later with Release and ReleaseHousehold, in an
// order of its choosing. It writes only i, its household and its partner,
// so removals from different households (partners share one) may run
// concurrently.
func (p *Persons) RemoveHeld(i int32) (emptied int32) {
	if !p.Live(i) {
		panic(fmt.Sprintf("population: Remove of free slot %d", i))
	}
	emptied = p.LeaveHeld(i)
	if q := p.Partner[i]; q != None {
		p.Partner[q] = None
		p.Partner[i] = None
	}
	p.Flags[i] = 0
	return emptied
}

// Release makes slot i, removed with RemoveHeld, free for reuse (last
// released, first reused). Sequential use only.
func (p *Persons) Release(i int32) { p.free = append(p.free, i) }

// ReleaseHousehold makes household h, emptied by RemoveHeld or LeaveHeld,
// free for reuse (last released, first reused). Sequential use only.
func (p *Persons) ReleaseHousehold(h int32) { p.hhFree = append(p.hhFree, h) }

// ReserveHousehold takes the household id the next NewHousehold would use
// and holds it for NewHouseholdAt (see Reserve). Sequential use only.
func (p *Persons) ReserveHousehold() int32 {
	if n := len(p.hhFree); n > 0 {
		h := p.hhFree[n-1]
		p.hhFree = p.hhFree[:n-1]
		return h
	}
	h := int32(len(p.First))
	p.First = append(p.First, None)
	p.Kids = append(p.Kids, 0)
	return h
}

// NewHousehold makes i the only member of a new household and returns its id.
// i must not belong to a household.
func (p *Persons) NewHousehold(i int32) int32 {
	h := p.ReserveHousehold()
	p.NewHouseholdAt(i, h)
	return h
}

// NewHouseholdAt is NewHousehold with the id h that ReserveHousehold
// returned. It writes only i and h.
func (p *Persons) NewHouseholdAt(i, h int32) {
	if p.HH[i] != None {
		panic(fmt.Sprintf("population: person %d already in household %d", i, p.HH[i]))
	}
	p.First[h] = i
	p.Kids[h] = 0
	if p.Age[i] < 18 {
		p.Kids[h] = 1
	}
	p.HH[i] = h
	p.Next[i] = None
	p.Flags[i] |= Head
}

// Join adds i (in no household) to household h, after its head.
func (p *Persons) Join(i, h int32) {
	if p.HH[i] != None {
		panic(fmt.Sprintf("population: person %d already in household %d", i, p.HH[i]))
	}
	head := p.First[h]
	p.HH[i] = h
	if p.Age[i] < 18 {
		p.Kids[h]++
	}
	p.Next[i] = p.Next[head]
	p.Next[head] = i
}

// Leave takes i out of its household (freeing the household if it empties).
// Cost O(household size).
func (p *Persons) Leave(i int32) {
	if h := p.LeaveHeld(i); h != None {
		p.ReleaseHousehold(h)
	}
}

// LeaveHeld is Leave without freeing the household if it empties: it
// returns that household (or None) for ReleaseHousehold (see RemoveHeld).
// It writes only i and its household.
func (p *Persons) LeaveHeld(i int32) (emptied int32) {
	h := p.HH[i]
	if h == None {
		return None
	}
	emptied = None
	if p.Age[i] < 18 {
		p.Kids[h]--
	}
	if p.First[h] == i {
		p.Flags[i] &^= Head
		p.First[h] = p.Next[i]
		if p.First[h] == None {
			emptied = h
		} else {
			p.newHead(h, p.Partner[i])
		}
	} else {
		for j := p.First[h]; j != None; j = p.Next[j] {
			if p.Next[j] == i {
				p.Next[j] = p.Next[i]
				break
			}
		}
	}
	p.HH[i] = None
	p.Next[i] = None
	return emptied
}

// newHead makes the head of household h, whose head has just left: the
// leaver's partner q when q is a member, else the oldest member (the first
// in the list of those as old). Members join after the head, so the first
// in the list is often the youngest child: a child left heading the
// household of its parent's partner took the household's decisions. An
// adult who heads the household no longer lives at home.
func (p *Persons) newHead(h, q int32) {
	first := p.First[h]
	best, before := first, None
	for prev, j := None, first; j != None; prev, j = j, p.Next[j] {
		if j == q {
			best, before = j, prev
			break
		}
		if p.Age[j] > p.Age[best] {
			best, before = j, prev
		}
	}
	if best != first {
		p.Next[before] = p.Next[best]
		p.Next[best] = first
		p.First[h] = best
	}
	p.Flags[best] |= Head
	if p.Age[best] >= 18 {
		p.Flags[best] &^= AtHome
	}
}

// Merge moves every member of household from into household into, freeing from.
func (p *Persons) Merge(from, into int32) {
	if p.MergeHeld(from, into) {
		p.ReleaseHousehold(from)
	}
}

// MergeHeld is Merge without handing household from to the free list: it
// reports whether from was emptied (from ≠ into), and the caller frees it
// later with ReleaseHousehold (see RemoveHeld). It writes only the two
// households and their members, so merges of disjoint pairs of households
// may run concurrently.
func (p *Persons) MergeHeld(from, into int32) bool {
	if from == into {
		return false
	}
	head := p.First[into]
	last := p.First[from]
	for j := last; j != None; j = p.Next[j] {
		p.HH[j] = into
		last = j
	}
	p.Flags[p.First[from]] &^= Head
	p.Kids[into] += p.Kids[from]
	p.Kids[from] = 0
	p.Next[last] = p.Next[head]
	p.Next[head] = p.First[from]
	p.First[from] = None
	return true
}

// ShareTrigger sets trigger t on i and on i's partner.
func (p *Persons) ShareTrigger(i int32, t uint16) {
	p.Flags[i] |= t
	if q := p.Partner[i]; q != None {
		p.Flags[q] |= t
	}
}

// TurnedAdult records that member i of a household has just turned 18.
func (p *Persons) TurnedAdult(i int32) {
	if h := p.HH[i]; h != None {
		p.Kids[h]--
	}
}

// Households returns the number of household ids (live or free).
func (p *Persons) Households() int { return len(p.First) }

// Shares reports whether person i lives in a household with others (its
// Size above 1), in O(1): i is not its first member, or not its last.
func (p *Persons) Shares(i int32) bool {
	h := p.HH[i]
	return h != None && (p.First[h] != i || p.Next[i] != None)
}

// Size returns the number of members of household h. Cost O(size).
func (p *Persons) Size(h int32) int {
	n := 0
	for j := p.First[h]; j != None; j = p.Next[j] {
		n++
	}
	return n
}

// Check verifies the invariants that tie persons and households together
// and returns the first violation: every living person is in exactly one
// household, listed from its head, which carries the Head flag; partners
// are mutual and alive; free slots are in no household. Cost O(slots).
func (p *Persons) Check() error {
	seen := make([]bool, p.Len())
	for h, head := range p.First {
		kids := int32(0)
		for j := head; j != None; j = p.Next[j] {
			if p.Age[j] < 18 {
				kids++
			}
			if !p.Live(j) {
				return fmt.Errorf("household %d lists free slot %d", h, j)
			}
			if p.HH[j] != int32(h) {
				return fmt.Errorf("person %d listed in household %d but records %d", j, h, p.HH[j])
			}
			if seen[j] {
				return fmt.Errorf("person %d listed twice", j)
			}
			seen[j] = true
			if (p.Flags[j]&Head != 0) != (j == head) {
				return fmt.Errorf("person %d: Head flag %v but head of household %d is %d", j, p.Flags[j]&Head != 0, h, head)
			}
		}
		if kids != p.Kids[h] {
			return fmt.Errorf("household %d has %d members under 18 but counts %d", h, kids, p.Kids[h])
		}
	}
	for i := range p.Age {
		if !p.Live(int32(i)) {
			continue
		}
		if !seen[i] {
			return fmt.Errorf("living person %d is in no household", i)
		}
		if q := p.Partner[i]; q != None && (!p.Live(q) || p.Partner[q] != int32(i)) {
			return fmt.Errorf("person %d has partner %d who is not theirs", i, q)
		}
	}
	return nil
}

// Compact lays the persons out again so that the members of each household
// are adjacent (households in the order of their lowest slot, members from
// the head), drops free slots and renumbers households densely. Passes
// that look at a household's members then read neighbouring memory. The
// layout is a deterministic function of the current one. Cost O(slots).
func (p *Persons) Compact() {
	n, h := p.Count()
	var q Persons
	q.Grow(cap(p.Age))
	q.GrowHouseholds(len(p.First))
	q.Extend(n, h)
	q.Place(p, 0, 0, nil)
	*p = q
}

// Reset empties p for reuse, keeping its memory. The room beyond the
// length then holds stale values, not zeros: a slot from Reserve looks
// like an old person (Alive even) until AddAt writes every attribute, as
// Place writes every slot Extend made. So Reset only populations whose
// slots are filled as they are made (Add; Extend then Place), never one
// whose reserved slots others may read before AddAt (the engine's).
func (p *Persons) Reset() {
	p.Age, p.Sex, p.Edu, p.Act = p.Age[:0], p.Sex[:0], p.Edu[:0], p.Act[:0]
	p.JobSkill, p.Tenure, p.Years, p.StudyLeft = p.JobSkill[:0], p.Tenure[:0], p.Years[:0], p.StudyLeft[:0]
	p.Flags = p.Flags[:0]
	p.Region, p.Work, p.Home, p.Second = p.Region[:0], p.Work[:0], p.Home[:0], p.Second[:0]
	p.Partner, p.HH, p.Next = p.Partner[:0], p.HH[:0], p.Next[:0]
	p.First, p.Kids = p.First[:0], p.Kids[:0]
	p.free, p.hhFree = p.free[:0], p.hhFree[:0]
}

// Count returns the number of living persons and of households with
// members.
func (p *Persons) Count() (persons, households int) {
	for _, f := range p.Flags {
		persons += int(f & Alive)
	}
	for _, head := range p.First {
		if head != None {
			households++
		}
	}
	return persons, households
}

// Extend adds n slots and h household ids after the last ones and returns
// the first of each, for Place to fill; until then they hold no valid
// person or household. Sequential use only.
func (p *Persons) Extend(n, h int) (off, hoff int32) {
	off, hoff = int32(p.Len()), int32(len(p.First))
	p.Grow(n)
	p.GrowHouseholds(h)
	m := p.Len() + n
	p.Age, p.Sex, p.Edu, p.Act = p.Age[:m], p.Sex[:m], p.Edu[:m], p.Act[:m]
	p.JobSkill, p.Tenure, p.Years, p.StudyLeft = p.JobSkill[:m], p.Tenure[:m], p.Years[:m], p.StudyLeft[:m]
	p.Flags = p.Flags[:m]
	p.Region, p.Work, p.Home, p.Second = p.Region[:m], p.Work[:m], p.Home[:m], p.Second[:m]
	p.Partner, p.HH, p.Next = p.Partner[:m], p.HH[:m], p.Next[:m]
	k := len(p.First) + h
	p.First, p.Kids = p.First[:k], p.Kids[:k]
	return off, hoff
}

// Layout is the scratch memory of Place. One per goroutine, reused, saves
// Place its allocations.
type Layout struct {
	perm  []int32 // new slot − off → slot in q
	newOf []int32 // slot in q → new slot − off
	hhNew []int32 // household in q → new id − hoff
}

// Place writes the living persons of q into slots off, off+1, … of p and
// q's households into ids hoff, hoff+1, …, laid out as Compact lays out q,
// with the references shifted accordingly. Those slots and ids (as many as
// q's Count) must exist, made by Extend. Place writes only them and reads
// only q, so placements of disjoint ranges may run concurrently. l may be
// nil. It returns the number of persons and households placed.
func (p *Persons) Place(q *Persons, off, hoff int32, l *Layout) (persons, households int) {
	if l == nil {
		l = &Layout{}
	}
	n := q.Len()
	perm := l.perm[:0]
	newOf := fillNone(l.newOf, n)
	for i := 0; i < n; i++ {
		if !q.Live(int32(i)) || newOf[i] != None {
			continue
		}
		h := q.HH[i]
		if h == None {
			newOf[i] = int32(len(perm))
			perm = append(perm, int32(i))
			continue
		}
		for j := q.First[h]; j != None; j = q.Next[j] {
			newOf[j] = int32(len(perm))
			perm = append(perm, j)
		}
	}
	// Households numbered in order of their head's new slot.
	hhNew := fillNone(l.hhNew, len(q.First))
	nh := int32(0)
	for _, old := range perm {
		if h := q.HH[old]; h != None && hhNew[h] == None {
			hhNew[h] = nh
			p.First[hoff+nh] = off + newOf[q.First[h]]
			p.Kids[hoff+nh] = q.Kids[h]
			nh++
		}
	}
	l.perm, l.newOf, l.hhNew = perm, newOf, hhNew
	end := off + int32(len(perm))
	permute(p.Age[off:end], q.Age, perm)
	permute(p.Sex[off:end], q.Sex, perm)
	permute(p.Edu[off:end], q.Edu, perm)
	permute(p.Act[off:end], q.Act, perm)
	permute(p.JobSkill[off:end], q.JobSkill, perm)
	permute(p.Tenure[off:end], q.Tenure, perm)
	permute(p.Years[off:end], q.Years, perm)
	permute(p.StudyLeft[off:end], q.StudyLeft, perm)
	permute(p.Flags[off:end], q.Flags, perm)
	permute(p.Region[off:end], q.Region, perm)
	permute(p.Work[off:end], q.Work, perm)
	permute(p.Home[off:end], q.Home, perm)
	permute(p.Second[off:end], q.Second, perm)
	renumber(p.Partner[off:end], q.Partner, perm, newOf, off)
	renumber(p.Next[off:end], q.Next, perm, newOf, off)
	renumber(p.HH[off:end], q.HH, perm, hhNew, hoff)
	return len(perm), int(nh)
}

// fillNone returns s resized to n elements, all None.
func fillNone(s []int32, n int) []int32 {
	s = slices.Grow(s[:0], n)[:n]
	for i := range s {
		s[i] = None
	}
	return s
}

// permute sets dst[k] = src[perm[k]].
func permute[T uint8 | uint16](dst, src []T, perm []int32) {
	for k, old := range perm {
		dst[k] = src[old]
	}
}

// renumber sets dst[k] to the new number of the reference src[perm[k]]:
// newOf of it plus by, None staying None.
func renumber(dst, src, perm, newOf []int32, by int32) {
	for k, old := range perm {
		v := src[old]
		if v != None {
			v = newOf[v] + by
		}
		dst[k] = v
	}
}
