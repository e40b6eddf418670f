package state

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/world"
)

// movesState returns the three-region state of small with 3000 random
// households (1–4 members of mixed ages, education, jobs in any region,
// some remote, some with a second home), reserved dwellings in every
// region, and a move for each household: its destination and motive.
func movesState(t *testing.T, workers int) (*State, []int32, []int, []int) {
	s := small(t)
	s.SetWorkers(workers)
	p := &s.Persons
	g := rng.New(5, 6)
	var hhs []int32
	var dest, motive []int
	for h := 0; h < 3000; h++ {
		r := uint16(g.IntN(3))
		var hh int32 = -1
		for m := 0; m < 1+g.IntN(4); m++ {
			x := population.Person{Age: uint8(g.IntN(90)), Sex: uint8(g.IntN(2)), Edu: uint8(g.IntN(4)),
				Act: uint8(g.IntN(6)), JobSkill: uint8(g.IntN(world.NumSkills)), Tenure: 5, Region: r,
				Work: population.NoRegion, Second: population.NoRegion}
			if x.Act == population.Employed {
				x.Work = uint16(g.IntN(3))
				s.Regions[x.Work].Filled[x.JobSkill]++
				if g.IntN(4) == 0 {
					x.Flags |= population.Remote
				}
			}
			if g.IntN(5) == 0 {
				x.Second = uint16(g.IntN(3))
			}
			i := p.Add(x)
			if hh < 0 {
				hh = p.NewHousehold(i)
			} else {
				p.Join(i, hh)
			}
		}
		hhs = append(hhs, hh)
		dest = append(dest, g.IntN(3))
		motive = append(motive, g.IntN(NumMotives))
	}
	for r := range s.Regions {
		s.Regions[r].Reserved = [NumReserved]float64{300.5, 100}
		s.Regions[r].OfficeDays = 2
	}
	return s, hhs, dest, motive
}

// TestForMovesSameAsSequential checks that moving disjoint households with
// ForMoves on 1, 2 and 8 workers leaves the persons, the ledger and the
// regions (jobs held, reserved dwellings) exactly as MoveHousehold one
// after the other does.
func TestForMovesSameAsSequential(t *testing.T) {
	ref, hhs, dest, motive := movesState(t, 1)
	for k, h := range hhs {
		ref.MoveHousehold(h, dest[k], motive[k])
	}
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			s, _, _, _ := movesState(t, workers)
			const per = 37 // households per call
			s.ForMoves((len(hhs)+per-1)/per, func(mv *Mover, c int) {
				for k := c * per; k < min(len(hhs), (c+1)*per); k++ {
					mv.MoveHousehold(hhs[k], dest[k], motive[k])
				}
			})
			if !reflect.DeepEqual(s.Persons, ref.Persons) {
				t.Error("persons differ")
			}
			if !reflect.DeepEqual(s.Ledger.Accounts, ref.Ledger.Accounts) || s.Ledger.Moves != ref.Ledger.Moves ||
				!reflect.DeepEqual(s.Ledger.Flows, ref.Ledger.Flows) || !reflect.DeepEqual(s.Ledger.touched, ref.Ledger.touched) {
				t.Error("ledger differs")
			}
			for r := range s.Regions {
				if s.Regions[r].Filled != ref.Regions[r].Filled || s.Regions[r].Reserved != ref.Regions[r].Reserved {
					t.Errorf("region %d: filled %v reserved %v, sequential %v %v", r, s.Regions[r].Filled, s.Regions[r].Reserved,
						ref.Regions[r].Filled, ref.Regions[r].Reserved)
				}
			}
		})
	}
	var in int64
	for _, a := range ref.Ledger.Accounts {
		in += a.InDomestic
	}
	if in == 0 || ref.Regions[0].Reserved[0] == 300.5 {
		t.Fatal("the test moved nobody or took no reserved dwelling")
	}
}
