package intervention

import (
	"slices"

	"github.com/settle-sim/settle/sim/state"
)

// MaxAttachBoost is the largest attachment_boost the engine simulates, in
// utility: the range of util_home itself (sim/params). Destination choice
// multiplies the weight of the home region by exp(util_home + boost); 10
// already makes returning home all but certain for anyone who moves.
const MaxAttachBoost = 10

func init() {
	registerMechanism("youth", mechanism{apply: youth})
	registerMechanism("immigration", mechanism{apply: immigration})
	registerMechanism("part_time_residents", mechanism{apply: partTimeResidents})
	registerMechanism("municipal_cooperation", mechanism{apply: cooperation})
}

// youth adds strength × attachment_boost (utility) to the home-region
// attachment of everyone who grew up in a target region: destination
// choice multiplies the weight of the home region by
// exp(util_home + AttachBoost), wherever the person lives now.
func youth(s *state.State, sp *Spec, st float64) {
	b := st * sp.Num("attachment_boost")
	for _, r := range sp.Regions {
		s.Regions[r].AttachBoost += b
	}
}

// immigration settles extra immigrants and runs the integration
// programme. workers_per_year and refugees_per_year (real scale; ×
// strength × scale) are spread over the target regions (or all regions):
// labour immigrants in proportion to the jobs located there, refugees in
// proportion to the residents; the international step adds them on top of
// the national inflow (labour immigrants aged 20–49 who head their
// household arrive with a job at their skill level in the region, a vacant
// one or, when none is vacant, a new one: employers recruited them; refugees
// with the national immigrants' ages, children with a parent). Integration:
// Retention = strength × integration in the target regions, combined with
// other programmes as 1 − (1 − a)(1 − b); the international step multiplies
// the emigration rate, and internal migration the moving propensity, of
// immigrants in their first ten years who live there by 1 − Retention.
func immigration(s *state.State, sp *Spec, st float64) {
	v := st * sp.Num("integration")
	ts := targets(s, sp)
	workers := st * sp.Num("workers_per_year") * s.Scale
	refugees := st * sp.Num("refugees_per_year") * s.Scale
	var jobs, residents float64
	for _, r := range ts {
		for _, j := range s.Regions[r].Jobs {
			jobs += j
		}
		residents += float64(s.Regions[r].Residents)
	}
	for _, r := range ts {
		rs := &s.Regions[r]
		rs.Retention = combine(rs.Retention, v)
		if workers > 0 && jobs > 0 {
			j := 0.0
			for _, x := range rs.Jobs {
				j += x
			}
			rs.ExtraImmigrants[state.ExtraWorkers] += workers * j / jobs
		}
		if refugees > 0 && residents > 0 {
			rs.ExtraImmigrants[state.ExtraRefugees] += refugees * float64(rs.Residents) / residents
		}
	}
}

// partTimeResidents: second_homes (real scale, × scale) are added in each
// target region as a stock, the share rampUp(t, 1, phase_in_years) of them
// by the end of the t-th year in force, each year's flow given by the
// housing step to households elsewhere (nearby ones more likely, see
// housing.Model); their adults become the region's part-time residents.
// days_per_year sets the days a part-time resident spends there (StayDays;
// by default state.BaseStayDays): the labour step counts part-time
// residents as residents for that share of the year in the local demand
// that local-service jobs follow. conversion_rate: a household with a
// second home in the region moves there for good with that yearly
// probability × strength (motive amenity; programmes combine as
// 1 − (1 − a)(1 − b)).
func partTimeResidents(s *state.State, sp *Spec, st float64) {
	t := s.Year - sp.FromYear + 1
	flow := sp.Num("second_homes") * (rampUp(t, 1, sp.PhaseInYears) - rampUp(t-1, 1, sp.PhaseInYears)) * s.Scale
	conv := st * sp.Num("conversion_rate")
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		rs.SecondHomeAdd += flow
		if sp.Has("days_per_year") {
			base := rs.StayDays
			if base <= 0 {
				base = state.BaseStayDays
			}
			rs.StayDays = max(1e-9, base+st*(sp.Num("days_per_year")-base))
		}
		rs.Conversion = combine(rs.Conversion, conv)
	}
}

// cooperation makes the target regions one municipal cooperation group (a
// region already in a group joins the groups into one). Destination choice
// then sees, from each member, the jobs and vacancies within commuting
// reach of any member (one labour market, migration.Model), movers a
// member's dwellings turn away are housed in another member with room
// (one housing market, migration.poolHousing), and job matching weighs a member's
// vacancies for seekers in the other members by labour.
// CooperationVisibility more (joint recruitment). The phase-in ramp does not
// apply: membership is on or off.
func cooperation(s *state.State, sp *Spec, _ float64) {
	g := int32(sp.Regions[0])
	var old []int32
	for _, r := range sp.Regions {
		g = min(g, int32(r))
		if c := s.Regions[r].Cooperation; c >= 0 {
			old = append(old, c)
			g = min(g, c)
		}
	}
	for r := range s.Regions {
		if slices.Contains(old, s.Regions[r].Cooperation) {
			s.Regions[r].Cooperation = g
		}
	}
	for _, r := range sp.Regions {
		s.Regions[r].Cooperation = g
	}
}
