package intervention

import (
	"fmt"

	"github.com/settle-sim/settle/sim/state"
)

// MaxAttachBoost is the largest attachment_boost the engine simulates, in
// utility: the range of util_home itself (sim/params). Destination choice
// multiplies the weight of the home region by exp(util_home + boost); 10
// already makes returning home all but certain for anyone who moves.
const MaxAttachBoost = 10

func init() {
	registerMechanism("youth", mechanism{apply: youth, check: checkYouth})
	registerMechanism("immigration", mechanism{apply: immigration, check: checkImmigration})
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

// checkYouth refuses a boost beyond the range of util_home.
func checkYouth(sp *Spec) (string, string) {
	if v := sp.Num("attachment_boost"); v > MaxAttachBoost {
		return "attachment_boost", fmt.Sprintf("attachment_boost = %g is beyond the range of util_home (at most %d utility; util_home is 0.5–2.2 by default); use at most %d, e.g. attachment_boost = 0.5", v, MaxAttachBoost, MaxAttachBoost)
	}
	return "", ""
}

// immigration runs the integration programme: Retention = strength ×
// integration in the target regions (or everywhere), combined with other
// programmes as 1 − (1 − a)(1 − b). The international step multiplies the
// emigration rate of immigrants in their first ten years who live there by
// 1 − Retention.
func immigration(s *state.State, sp *Spec, st float64) {
	v := st * sp.Num("integration")
	for _, r := range targets(s, sp) {
		rs := &s.Regions[r]
		rs.Retention = combine(rs.Retention, v)
	}
}

// checkImmigration refuses extra inflows: the international step draws the
// number of immigrants from the national rate and has no lever for more.
func checkImmigration(sp *Spec) (string, string) {
	for _, key := range []string{"workers_per_year", "refugees_per_year"} {
		if sp.Num(key) > 0 {
			return key, "extra immigration needs engine support that this version lacks (the international step has no lever for arrivals on top of the national rate); remove " + key + " (integration is simulated), or raise immigration_scale in [behaviour] for more immigration nationally"
		}
	}
	return "", ""
}
