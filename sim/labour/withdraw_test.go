package labour

import (
	"math"
	"testing"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/state"
)

// withdraw gives up the share vacancy_withdrawal of the vacancies beyond the
// frictional 3 % of the jobs, keeps the open posts of business development,
// and lowers those to the vacancies left once they are filled.
func TestWithdraw(t *testing.T) {
	s := &state.State{P: params.Default(), Regions: make([]state.RegionState, 5)}
	s.P.VacancyWithdrawal = 0.5
	// Region 0: 1000 jobs, 900 held: 100 vacant, 30 frictional, 70 beyond.
	s.Regions[0].Jobs[0], s.Regions[0].Filled[0] = 1000, 900
	// Region 1: vacancies below the frictional level.
	s.Regions[1].Jobs[1], s.Regions[1].Filled[1] = 1000, 980
	// Region 2: 200 vacant, 60 of them a programme's open posts.
	s.Regions[2].Jobs[2], s.Regions[2].Filled[2], s.Regions[2].Sponsored[2] = 1000, 800, 60
	// Region 3: a programme's 500 posts, of which all but 10 are filled.
	s.Regions[3].Jobs[0], s.Regions[3].Filled[0], s.Regions[3].Sponsored[0] = 1000, 990, 500
	// Region 4: a closure netted against a plant left the programmes' posts
	// negative; they count as none.
	s.Regions[4].Jobs[1], s.Regions[4].Filled[1], s.Regions[4].Sponsored[1] = 1000, 900, -50
	var m Model
	m.withdraw(s)
	for _, c := range []struct {
		r, k            int
		jobs, sponsored float64
	}{
		{0, 0, 1000 - 0.5*70, 0},
		{1, 1, 1000, 0},
		{2, 2, 1000 - 0.5*(200-30-60), 60},
		{3, 0, 1000, 10},
		{4, 1, 1000 - 0.5*70, 0},
	} {
		rs := &s.Regions[c.r]
		if math.Abs(rs.Jobs[c.k]-c.jobs) > 1e-9 || math.Abs(rs.Sponsored[c.k]-c.sponsored) > 1e-9 {
			t.Errorf("region %d skill %d: jobs %g, open programme posts %g; want %g and %g", c.r, c.k, rs.Jobs[c.k], rs.Sponsored[c.k], c.jobs, c.sponsored)
		}
	}
	// Withdrawal 0 leaves the jobs alone.
	s.P.VacancyWithdrawal = 0
	before := s.Regions[0].Jobs
	m.withdraw(s)
	if s.Regions[0].Jobs != before {
		t.Errorf("vacancy_withdrawal 0 changed the jobs: %v → %v", before, s.Regions[0].Jobs)
	}
}
