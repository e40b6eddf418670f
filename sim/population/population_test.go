package population

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The tests give every person an identity that survives Compact: the pair
// (Region, Home) holds a 32-bit serial number, which the package never
// reads or changes.
func id(p *Persons, i int32) uint32 { return uint32(p.Region[i])<<16 | uint32(p.Home[i]) }

func withID(x Person, n uint32) Person {
	x.Region, x.Home = uint16(n>>16), uint16(n)
	return x
}

// shadow is an independent model of who lives with whom: households as
// sets of identities, partners by identity. The property test applies every
// operation to both and compares them.
type shadow struct {
	hh      map[uint32]int // identity -> shadow household
	partner map[uint32]uint32
	age     map[uint32]uint8
	next    int
}

// households returns the sorted members of every shadow household.
func (m *shadow) households() map[int][]uint32 {
	out := map[int][]uint32{}
	for x, g := range m.hh {
		out[g] = append(out[g], x)
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}

// compare checks p against the shadow: the same living identities, each
// with the same co-members, partner and age.
func compare(p *Persons, m *shadow) error {
	hhs := m.households()
	slot := map[uint32]int32{}
	for i := int32(0); i < int32(p.Len()); i++ {
		if p.Live(i) {
			if _, dup := slot[id(p, i)]; dup {
				return fmt.Errorf("identity %d in two slots", id(p, i))
			}
			slot[id(p, i)] = i
		}
	}
	if len(slot) != len(m.hh) {
		return fmt.Errorf("%d living persons, shadow has %d", len(slot), len(m.hh))
	}
	for x, g := range m.hh {
		i, ok := slot[x]
		if !ok {
			return fmt.Errorf("identity %d missing", x)
		}
		if p.Age[i] != m.age[x] {
			return fmt.Errorf("identity %d: age %d, want %d", x, p.Age[i], m.age[x])
		}
		var got []uint32
		for j := p.First[p.HH[i]]; j != None; j = p.Next[j] {
			got = append(got, id(p, j))
		}
		slices.Sort(got)
		if want := hhs[g]; !slices.Equal(got, want) {
			return fmt.Errorf("identity %d lives with %v, want %v", x, got, want)
		}
		q, has := m.partner[x]
		switch {
		case has && (p.Partner[i] == None || id(p, p.Partner[i]) != q):
			return fmt.Errorf("identity %d: partner slot %d, want identity %d", x, p.Partner[i], q)
		case !has && p.Partner[i] != None:
			return fmt.Errorf("identity %d: partner slot %d, want none", x, p.Partner[i])
		}
	}
	return nil
}

// TestRandomOperations applies a long random sequence of the operations the
// submodels use (births, immigrant households, deaths, leaving home,
// couples forming by merging households, splits, ageing with TurnedAdult,
// shared triggers, Compact) and checks after every one that Check passes
// and that the households and partners equal those of an independent
// shadow model.
func TestRandomOperations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var p Persons
	m := &shadow{hh: map[uint32]int{}, partner: map[uint32]uint32{}, age: map[uint32]uint8{}}
	newID := func() uint32 { m.next++; return uint32(m.next) }
	shadowHH := 0
	newShadowHH := func() int { shadowHH++; return shadowHH }
	slotOf := func(x uint32) int32 {
		for i := int32(0); i < int32(p.Len()); i++ {
			if p.Live(i) && id(&p, i) == x {
				return i
			}
		}
		t.Fatalf("identity %d not found", x)
		return None
	}
	randomLive := func() (int32, bool) {
		if len(m.hh) == 0 {
			return None, false
		}
		keys := make([]uint32, 0, len(m.hh))
		for x := range m.hh {
			keys = append(keys, x)
		}
		slices.Sort(keys) // map order is random; the test must not be
		return slotOf(keys[r.IntN(len(keys))]), true
	}
	counts := map[string]int{}
	const ops = 4000
	for step := 0; step < ops; step++ {
		op := r.IntN(10)
		name := ""
		switch op {
		case 0, 1: // immigrant household of one adult
			name = "immigrant"
			x := newID()
			age := uint8(18 + r.IntN(60))
			i := p.Add(withID(Person{Age: age, Sex: uint8(r.IntN(2))}, x))
			p.NewHousehold(i)
			m.hh[x], m.age[x] = newShadowHH(), age
		case 2: // birth into a random household
			mo, ok := randomLive()
			if !ok {
				continue
			}
			name = "birth"
			x := newID()
			i := p.Add(withID(Person{Age: 0, Flags: AtHome}, x))
			p.Join(i, p.HH[mo])
			m.hh[x], m.age[x] = m.hh[id(&p, mo)], 0
		case 3: // death or emigration of one person
			i, ok := randomLive()
			if !ok {
				continue
			}
			name = "remove"
			x := id(&p, i)
			p.Remove(i)
			if q, has := m.partner[x]; has {
				delete(m.partner, q)
				delete(m.partner, x)
			}
			delete(m.hh, x)
			delete(m.age, x)
		case 4: // leave the household for one's own
			i, ok := randomLive()
			if !ok || m.partner[id(&p, i)] != 0 {
				continue
			}
			name = "leave"
			p.Leave(i)
			h := p.NewHousehold(i)
			if p.First[h] != i || p.Flags[i]&Head == 0 {
				t.Fatalf("step %d: NewHousehold(%d) did not make it the head", step, i)
			}
			m.hh[id(&p, i)] = newShadowHH()
		case 5: // two singles form a couple; the smaller household merges into the other
			a, ok1 := randomLive()
			b, ok2 := randomLive()
			if !ok1 || !ok2 || a == b || p.Partner[a] != None || p.Partner[b] != None || p.HH[a] == p.HH[b] {
				continue
			}
			name = "couple"
			p.Partner[a], p.Partner[b] = b, a
			from, into := p.HH[a], p.HH[b]
			if p.Size(from) > p.Size(into) {
				from, into = into, from
			}
			gFrom, gInto := m.hh[id(&p, p.First[from])], m.hh[id(&p, p.First[into])]
			head := p.First[into]
			p.Merge(from, into)
			if p.First[into] != head {
				t.Fatalf("step %d: Merge changed the head of the receiving household", step)
			}
			for x, g := range m.hh {
				if g == gFrom {
					m.hh[x] = gInto
				}
			}
			m.partner[id(&p, a)], m.partner[id(&p, b)] = id(&p, b), id(&p, a)
		case 6: // a couple splits; one partner leaves
			i, ok := randomLive()
			if !ok || p.Partner[i] == None {
				continue
			}
			name = "split"
			q := p.Partner[i]
			p.Partner[i], p.Partner[q] = None, None
			p.Leave(q)
			p.NewHousehold(q)
			delete(m.partner, id(&p, i))
			delete(m.partner, id(&p, q))
			m.hh[id(&p, q)] = newShadowHH()
		case 7: // everyone ages a year; 17-year-olds turning 18 are reported
			name = "ageing"
			for i := int32(0); i < int32(p.Len()); i++ {
				if !p.Live(i) || p.Age[i] == 255 {
					continue
				}
				p.Age[i]++
				if p.Age[i] == 18 {
					p.TurnedAdult(i)
				}
				m.age[id(&p, i)] = p.Age[i]
			}
		case 8: // a trigger is shared with the partner
			i, ok := randomLive()
			if !ok {
				continue
			}
			name = "trigger"
			p.ShareTrigger(i, LostJob)
			if p.Flags[i]&LostJob == 0 || p.Partner[i] != None && p.Flags[p.Partner[i]]&LostJob == 0 {
				t.Fatalf("step %d: ShareTrigger did not reach both partners", step)
			}
		case 9:
			if r.IntN(5) != 0 {
				continue
			}
			name = "compact"
			p.Compact()
			for i := int32(0); i < int32(p.Len()); i++ {
				if !p.Live(i) {
					t.Fatalf("step %d: free slot %d left after Compact", step, i)
				}
			}
			for h := range p.First {
				if p.First[h] == None {
					t.Fatalf("step %d: free household %d left after Compact", step, h)
				}
			}
		}
		counts[name]++
		if err := p.Check(); err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		if err := compare(&p, m); err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		for i := int32(0); i < int32(p.Len()); i++ {
			if p.Live(i) && p.Shares(i) != (p.Size(p.HH[i]) > 1) {
				t.Fatalf("step %d (%s): Shares(%d) = %v with %d members", step, name, i, p.Shares(i), p.Size(p.HH[i]))
			}
		}
	}
	for _, name := range []string{"immigrant", "birth", "remove", "leave", "couple", "split", "ageing", "trigger", "compact"} {
		if counts[name] < 10 {
			t.Errorf("operation %s ran only %d times; the test does not exercise it", name, counts[name])
		}
	}
	t.Logf("%d operations %v; %d persons in %d slots at the end", ops, counts, len(m.hh), p.Len())
}

// TestFreeListsLIFO checks that freed person slots and household ids are
// reused last-in first-out, so the arrays do not grow while deaths match
// births.
func TestFreeListsLIFO(t *testing.T) {
	var p Persons
	var s [4]int32
	for k := range s {
		s[k] = p.Add(Person{Age: 30})
		p.NewHousehold(s[k])
	}
	h1, h3 := p.HH[s[1]], p.HH[s[3]]
	p.Remove(s[1])
	p.Remove(s[3])
	if got := p.Add(Person{Age: 40}); got != s[3] {
		t.Errorf("first Add after removing slots %d then %d reused %d, want %d", s[1], s[3], got, s[3])
	} else if h := p.NewHousehold(got); h != h3 {
		t.Errorf("NewHousehold reused household %d, want %d", h, h3)
	}
	if got := p.Add(Person{Age: 40}); got != s[1] {
		t.Errorf("second Add reused %d, want %d", got, s[1])
	} else if h := p.NewHousehold(got); h != h1 {
		t.Errorf("NewHousehold reused household %d, want %d", h, h1)
	}
	if p.Len() != 4 || p.Households() != 4 {
		t.Errorf("%d slots and %d households, want 4 and 4: freed slots were not reused", p.Len(), p.Households())
	}
	// A reused slot starts clean: no partner, household or next member.
	a, b := p.Add(Person{Age: 50}), p.Add(Person{Age: 50})
	p.NewHousehold(a)
	p.Join(b, p.HH[a])
	p.Partner[a], p.Partner[b] = b, a
	p.Remove(b)
	c := p.Add(Person{Age: 1})
	if c != b || p.Partner[c] != None || p.HH[c] != None || p.Next[c] != None || p.Partner[a] != None {
		t.Errorf("reused slot %d: partner %d, household %d, next %d; former partner's partner %d; want all None",
			c, p.Partner[c], p.HH[c], p.Next[c], p.Partner[a])
	}
	p.Join(c, p.HH[a])
	if err := p.Check(); err != nil {
		t.Error(err)
	}
}

// TestLeaveHead checks that when the head leaves, another member becomes
// head (flag included) and that the last member leaving frees the household.
func TestLeaveHead(t *testing.T) {
	var p Persons
	mum := p.Add(Person{Age: 40})
	kid := p.Add(Person{Age: 10})
	teen := p.Add(Person{Age: 17})
	h := p.NewHousehold(mum)
	p.Join(kid, h)
	p.Join(teen, h)
	if p.Kids[h] != 2 || p.Size(h) != 3 {
		t.Fatalf("kids %d size %d, want 2 and 3", p.Kids[h], p.Size(h))
	}
	p.Leave(mum)
	p.NewHousehold(mum)
	if head := p.First[h]; head == mum || p.Flags[head]&Head == 0 || p.Flags[mum]&Head == 0 {
		t.Errorf("after the head left: head %d (flag %v)", head, p.Flags[head]&Head != 0)
	}
	p.Age[teen] = 18
	p.TurnedAdult(teen)
	if p.Kids[h] != 1 {
		t.Errorf("kids %d after one turned 18, want 1", p.Kids[h])
	}
	p.Leave(kid)
	p.Leave(teen)
	if p.First[h] != None {
		t.Errorf("household %d not freed when its last member left", h)
	}
	p.NewHousehold(kid)
	p.NewHousehold(teen)
	if err := p.Check(); err != nil {
		t.Error(err)
	}
}

// TestCompactPreserves checks that Compact keeps every person's attributes,
// partner and household, lays each household's members side by side from
// the head, renumbers households densely in order of their head's new slot
// and is a deterministic function of the layout.
func TestCompactPreserves(t *testing.T) {
	build := func() *Persons {
		r := rand.New(rand.NewPCG(7, 7))
		var p Persons
		var live []int32
		for n := uint32(1); n <= 3000; n++ {
			x := withID(Person{Age: uint8(r.IntN(90)), Sex: uint8(r.IntN(2)), Edu: uint8(r.IntN(4)),
				Act: uint8(r.IntN(6)), JobSkill: uint8(r.IntN(3)), Flags: uint16(r.IntN(2)) * Immigrant,
				Years: uint8(r.IntN(30)), StudyLeft: uint8(r.IntN(5)), Tenure: uint8(r.IntN(60)),
				Work: uint16(r.IntN(100)), Second: uint16(r.IntN(100))}, n)
			i := p.Add(x)
			if len(live) > 0 && r.IntN(2) == 0 {
				p.Join(i, p.HH[live[r.IntN(len(live))]])
			} else {
				p.NewHousehold(i)
			}
			live = append(live, i)
			if r.IntN(4) == 0 { // free some slots, so Compact has holes to close
				k := r.IntN(len(live))
				p.Remove(live[k])
				live = slices.Delete(live, k, k+1)
			}
		}
		for k := 0; k+1 < len(live); k += 7 {
			a, b := live[k], live[k+1]
			if p.Partner[a] == None && p.Partner[b] == None && p.HH[a] == p.HH[b] {
				p.Partner[a], p.Partner[b] = b, a
			}
		}
		return &p
	}
	type rec struct {
		x       Person
		partner uint32 // identity, 0 none
		members []uint32
	}
	snapshot := func(p *Persons) map[uint32]rec {
		out := map[uint32]rec{}
		for i := int32(0); i < int32(p.Len()); i++ {
			if !p.Live(i) {
				continue
			}
			var x rec
			x.x = Person{p.Age[i], p.Sex[i], p.Edu[i], p.Act[i], p.JobSkill[i], p.Flags[i],
				p.Years[i], p.StudyLeft[i], p.Tenure[i], p.Region[i], p.Work[i], p.Home[i], p.Second[i]}
			if q := p.Partner[i]; q != None {
				x.partner = id(p, q)
			}
			for j := p.First[p.HH[i]]; j != None; j = p.Next[j] {
				x.members = append(x.members, id(p, j))
			}
			out[id(p, i)] = x
		}
		return out
	}
	p := build()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	before := snapshot(p)
	slots := p.Len()
	p.Compact()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	after := snapshot(p)
	if len(after) != len(before) || p.Len() != len(before) {
		t.Fatalf("%d persons in %d slots after Compact, %d before (in %d slots)", len(after), p.Len(), len(before), slots)
	}
	for x, b := range before {
		a := after[x]
		if a.x != b.x || a.partner != b.partner || !slices.Equal(a.members, b.members) {
			t.Fatalf("identity %d changed: before %+v, after %+v", x, b, a)
		}
	}
	// Members adjacent, households dense and ordered by head slot.
	lastHead := int32(-1)
	for h, head := range p.First {
		if head <= lastHead {
			t.Fatalf("household %d has head %d after the previous head %d", h, head, lastHead)
		}
		lastHead = head
		k := head
		for j := head; j != None; j = p.Next[j] {
			if j != k {
				t.Fatalf("household %d: member %d not adjacent (want slot %d)", h, j, k)
			}
			k++
		}
	}
	// Deterministic, and idempotent on a compact layout.
	q := build()
	q.Compact()
	if !slices.Equal(p.Age, q.Age) || !slices.Equal(p.Partner, q.Partner) || !slices.Equal(p.First, q.First) || !slices.Equal(p.Home, q.Home) {
		t.Error("Compact of the same layout gave different results")
	}
	q.Compact()
	if !slices.Equal(p.Home, q.Home) || !slices.Equal(p.Next, q.Next) || !slices.Equal(p.First, q.First) {
		t.Error("Compact of a compact layout changed it")
	}
}

// TestPlace checks that Place puts populations one after the other, each
// laid out as Compact lays it out, with its references shifted, and that
// the result keeps the invariants.
func TestPlace(t *testing.T) {
	mk := func(base uint32) *Persons {
		var p Persons
		x := p.Add(withID(Person{Age: 50}, base+9)) // removed below: a hole
		a := p.Add(withID(Person{Age: 35}, base+1))
		d := p.Add(withID(Person{Age: 70}, base+4))
		b := p.Add(withID(Person{Age: 33, Sex: 1}, base+2))
		c := p.Add(withID(Person{Age: 3}, base+3))
		p.NewHousehold(x)
		h := p.NewHousehold(a)
		p.NewHousehold(d)
		p.Join(b, h)
		p.Join(c, h)
		p.Partner[a], p.Partner[b] = b, a
		p.Remove(x)
		return &p
	}
	p, q := mk(0), mk(100)
	var all Persons
	var l Layout
	for _, src := range []*Persons{p, q} {
		n, h := src.Count()
		if n != 4 || h != 2 {
			t.Fatalf("Count = %d persons, %d households, want 4 and 2", n, h)
		}
		off, hoff := all.Extend(n, h)
		all.Place(src, off, hoff, &l)
	}
	if err := all.Check(); err != nil {
		t.Fatal(err)
	}
	if all.Len() != 8 || all.Households() != 4 {
		t.Fatalf("%d slots, %d households, want 8 and 4", all.Len(), all.Households())
	}
	// Each half is its population compacted, with references shifted.
	for k, src := range []*Persons{p, q} {
		src.Compact()
		off, hoff := int32(4*k), int32(2*k)
		for i := range int32(4) {
			if all.Age[off+i] != src.Age[i] || all.Flags[off+i] != src.Flags[i] || id(&all, off+i) != id(src, i) {
				t.Errorf("slot %d is not slot %d of population %d compacted", off+i, i, k)
			}
			if all.HH[off+i] != src.HH[i]+hoff || all.Next[off+i] != shifted(src.Next[i], off) || all.Partner[off+i] != shifted(src.Partner[i], off) {
				t.Errorf("slot %d: household %d, next %d, partner %d; want those of slot %d shifted by %d and %d", off+i, all.HH[off+i], all.Next[off+i], all.Partner[off+i], i, off, hoff)
			}
		}
		for h := range int32(2) {
			if all.First[hoff+h] != src.First[h]+off || all.Kids[hoff+h] != src.Kids[h] {
				t.Errorf("household %d: head %d, kids %d; want household %d's shifted", hoff+h, all.First[hoff+h], all.Kids[hoff+h], h)
			}
		}
	}
	if a, b := all.Partner[4], all.Partner[6]; id(&all, a) != 102 || id(&all, b) != 101 {
		t.Errorf("second population's partners are identities %d and %d, want 102 and 101", id(&all, a), id(&all, b))
	}
}

// shifted is v+by, None staying None.
func shifted(v, by int32) int32 {
	if v == None {
		return None
	}
	return v + by
}

// TestCheckFindsViolations checks that Check reports each broken invariant.
func TestCheckFindsViolations(t *testing.T) {
	mk := func() (*Persons, int32, int32, int32) {
		var p Persons
		a, b, c := p.Add(Person{Age: 40}), p.Add(Person{Age: 40, Sex: 1}), p.Add(Person{Age: 5})
		h := p.NewHousehold(a)
		p.Join(b, h)
		p.Join(c, h)
		p.Partner[a], p.Partner[b] = b, a
		return &p, a, b, c
	}
	cases := []struct {
		name    string
		corrupt func(p *Persons, a, b, c int32)
	}{
		{"one-sided partner", func(p *Persons, a, b, c int32) { p.Partner[b] = c }},
		{"wrong kids count", func(p *Persons, a, b, c int32) { p.Kids[0] = 2 }},
		{"head flag on a member", func(p *Persons, a, b, c int32) { p.Flags[b] |= Head }},
		{"no head flag", func(p *Persons, a, b, c int32) { p.Flags[a] &^= Head }},
		{"wrong household id", func(p *Persons, a, b, c int32) { p.HH[c] = 5 }},
		{"living person in no household", func(p *Persons, a, b, c int32) {
			p.Add(Person{Age: 20})
		}},
		{"aged without TurnedAdult", func(p *Persons, a, b, c int32) { p.Age[c] = 18 }},
	}
	p, _, _, _ := mk()
	if err := p.Check(); err != nil {
		t.Fatalf("valid household: %v", err)
	}
	for _, tc := range cases {
		p, a, b, c := mk()
		tc.corrupt(p, a, b, c)
		if err := p.Check(); err == nil {
			t.Errorf("%s: Check found nothing", tc.name)
		}
	}
}

// TestNewHead checks who heads a household after its head leaves: the
// leaver's partner when a member, else the oldest member (members join
// after the head, so the list's next is the last child to join), and that
// an adult who becomes head no longer counts as living at home.
func TestNewHead(t *testing.T) {
	var p Persons
	mum := p.Add(Person{Age: 40})
	partner := p.Add(Person{Age: 44})
	old := p.Add(Person{Age: 19, Flags: AtHome})
	baby := p.Add(Person{Age: 0})
	h := p.NewHousehold(mum)
	p.Join(partner, h)
	p.Join(old, h)
	p.Join(baby, h) // the list: mum, baby, old, partner
	p.Partner[mum], p.Partner[partner] = partner, mum
	p.Leave(mum)
	p.NewHousehold(mum)
	if p.First[h] != partner || p.Flags[partner]&Head == 0 || p.Flags[baby]&Head != 0 {
		t.Errorf("after the head left, head %d; want her partner %d", p.First[h], partner)
	}
	p.Partner[mum], p.Partner[partner] = None, None
	p.Leave(partner)
	p.NewHousehold(partner)
	if p.First[h] != old || p.Flags[old]&Head == 0 || p.Flags[old]&AtHome != 0 {
		t.Errorf("after the partner left, head %d (flags %b); want the oldest, %d, no longer at home", p.First[h], p.Flags[p.First[h]], old)
	}
	if p.Size(h) != 2 || p.Kids[h] != 1 {
		t.Errorf("size %d, kids %d; want 2 and 1", p.Size(h), p.Kids[h])
	}
	if err := p.Check(); err != nil {
		t.Error(err)
	}
}
