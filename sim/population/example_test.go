package population_test

import (
	"fmt"

	"github.com/settle-sim/settle/sim/population"
)

// members lists the slots of household h from its head.
func members(p *population.Persons, h int32) []int32 {
	var out []int32
	for j := p.First[h]; j != population.None; j = p.Next[j] {
		out = append(out, j)
	}
	return out
}

// A couple forms: a single mother's household and a single man's merge,
// a child is born, and later the couple splits. The package keeps the
// household lists, head flags and child counts; callers set partners.
func Example() {
	var p population.Persons
	mum := p.Add(population.Person{Age: 31, Sex: 0})
	son := p.Add(population.Person{Age: 4, Sex: 1, Flags: population.AtHome})
	man := p.Add(population.Person{Age: 33, Sex: 1})
	h := p.NewHousehold(mum)
	p.Join(son, h)
	g := p.NewHousehold(man)
	fmt.Println("mother's household:", members(&p, h), "kids", p.Kids[h])

	// A couple: the smaller household moves in with the larger.
	p.Partner[mum], p.Partner[man] = man, mum
	p.Merge(g, h)
	fmt.Println("after Merge:", members(&p, h), "kids", p.Kids[h], "household", g, "free:", p.First[g] == population.None)

	// A birth joins the mother's household (and reuses no slot: none is free).
	baby := p.Add(population.Person{Age: 0, Flags: population.AtHome})
	p.Join(baby, p.HH[mum])
	fmt.Println("after a birth:", members(&p, h), "kids", p.Kids[h])

	// A split: partners are cleared by the caller; the man leaves.
	p.Partner[mum], p.Partner[man] = population.None, population.None
	p.Leave(man)
	k := p.NewHousehold(man)
	fmt.Println("after the split:", members(&p, h), "and", members(&p, k), "(household", g, "reused)")
	fmt.Println("check:", p.Check())
	// Output:
	// mother's household: [0 1] kids 1
	// after Merge: [0 2 1] kids 1 household 1 free: true
	// after a birth: [0 3 2 1] kids 2
	// after the split: [0 3 1] and [2] (household 1 reused)
	// check: <nil>
}

// Compact lays each household's members side by side, from the head, and
// drops free slots.
func ExamplePersons_Compact() {
	var p population.Persons
	a := p.Add(population.Person{Age: 70})
	b := p.Add(population.Person{Age: 40})
	c := p.Add(population.Person{Age: 38})
	d := p.Add(population.Person{Age: 8})
	p.NewHousehold(a)
	h := p.NewHousehold(b)
	p.Join(d, h)
	p.Join(c, h)
	p.Remove(a) // frees slot 0 and household 0
	fmt.Println("before:", p.Len(), "slots, household", h, "=", members(&p, h))
	p.Compact()
	fmt.Println("after:", p.Len(), "slots, household", p.HH[0], "=", members(&p, p.HH[0]), "ages", p.Age)
	// Output:
	// before: 4 slots, household 1 = [1 2 3]
	// after: 3 slots, household 0 = [0 1 2] ages [40 38 8]
}
