package intervention

import "github.com/settle-sim/settle/sim/state"

// MinMinutes is the shortest one-way travel time a region_enlargement leaves
// between two regions: even over a new bridge a trip from one municipality's
// centre to another's takes a few minutes (the shortest internal travel
// times of norway-2024's small town municipalities are of this order). A
// pair already closer than this keeps its time.
const MinMinutes = 5

func init() {
	registerMechanism("region_enlargement", mechanism{apply: enlarge})
}

// enlarge cuts the travel time in force between every ordered pair of
// distinct target regions: t·(1 − strength·(1 − travel_time_factor)), or
// t − strength·minutes_saved, never below MinMinutes, or to minutes:
// t − strength·(t − minutes) where t is longer. Only the listed pairs
// change (no re-routing of other trips through the new link); the diagonal
// (travel within a region) is kept. The engine reads the matrix in
// commuting (s.Reach, the accepted commute), job matching (offers decay
// with minutes), destination choice (distance decay) and study choice.
func enlarge(s *state.State, sp *Spec, st float64) {
	n := s.N()
	factor, saved, to := 1.0, 0.0, -1.0
	switch {
	case sp.Has("minutes"):
		to = sp.Num("minutes")
	case sp.Has("minutes_saved"):
		saved = st * sp.Num("minutes_saved")
	default:
		factor = 1 - st*(1-sp.Num("travel_time_factor"))
	}
	for _, i := range sp.Regions {
		for _, j := range sp.Regions {
			if i == j {
				continue
			}
			old := float64(s.Minutes[i*n+j])
			t := max(old*factor-saved, min(old, MinMinutes))
			if to >= 0 {
				t = old - st*max(0, old-to)
			}
			s.Minutes[i*n+j] = float32(t)
		}
	}
}
