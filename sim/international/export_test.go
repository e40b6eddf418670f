package international

import "github.com/settle-sim/settle/sim/state"

// Weight is weight, for the tests.
func (m *Model) Weight(s *state.State, F float64) float64 { return m.weight(s, F) }
