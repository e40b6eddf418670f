package intervention

import (
	"fmt"

	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// mechanisms maps a kind to the function that changes the state for one
// year, given the spec and its strength (0–1) this year. Kinds without a
// mechanism are refused by Check, so no scenario silently does nothing.
var mechanisms = map[string]func(s *state.State, sp *Spec, strength float64){}

// Check reports whether sp can be simulated.
func Check(sp Spec, w *world.World) error {
	if _, ok := mechanisms[sp.Kind]; !ok {
		return fmt.Errorf("%s:%d: intervention kind %q has no mechanism in this engine version yet; remove the entry or see docs/interventions.md for the kinds available", sp.File, sp.Line, sp.Kind)
	}
	return nil
}

// Apply runs step 1 of the tick: every intervention in force this year
// changes the state, in the order of the scenario file.
func Apply(s *state.State, specs []Spec) {
	for k := range specs {
		sp := &specs[k]
		if st := sp.Strength(s.Year); st > 0 {
			mechanisms[sp.Kind](s, sp, st)
		}
	}
}
