package intervention

import (
	"math"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/state"
)

// ReputationUtility is the utility in destination choice of a reputation
// boost of 1: about the weight of one amenity score averaged over the adult
// life phases (the default util_services, util_culture and util_nature
// average 0.34–0.46 over student … senior, sim/params), so a boost of 1
// makes a region as much more attractive as a full step up one amenity
// score, for everyone.
const ReputationUtility = 0.5

// MaxSubsidy is the largest price subsidy the engine simulates: destination
// choice weighs the log of the price net of the subsidy, so a free dwelling
// (subsidy 1) would be infinitely attractive. Larger values of
// price_subsidy are refused, and several programmes together are capped
// here.
const MaxSubsidy = 0.9

func init() {
	registerMechanism("campus", mechanism{apply: campus})
	registerMechanism("housing", mechanism{apply: housing})
	registerMechanism("place_development", mechanism{apply: placeDevelopment})
	registerMechanism("childcare_services", mechanism{apply: childcareServices})
	registerMechanism("reputation", mechanism{apply: reputation})
}

// campus adds strength × students study places (sampled: × scale) to each
// target region, never leaving fewer than zero. Admission fills free places
// (applicants rank campuses drawn by their places and travel time, and take
// the first of their choices with a free place);
// destination choice weighs the log of study places (util_campus); and
// knowledge jobs grow faster in a region with study places.
func campus(s *state.State, sp *Spec, st float64) {
	add := st * sp.Num("students") * s.Scale
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		rs.StudyPlaces = math.Max(0, rs.StudyPlaces+add)
	}
}

// housing adds strength × dwellings_per_year dwellings (sampled: × scale)
// in each target region to HousingBoost[for] in each of the first `years`
// years in force (every year in force when years is not given); the housing
// step adds them to the stock, where they stay. Dwellings for the young
// (households in the student and early-career phases: under 35 without
// children) or for families (households with children) are reserved for
// them while they stand empty (state.Reserved): destination choice counts
// them among the vacant dwellings only for that group. price_subsidy
// lowers the price that the group (everyone for for = "all") sees in
// destination choice: Subsidy = strength × price_subsidy, combined with
// other programmes as 1 − (1 − a)(1 − b), at most MaxSubsidy, for every
// year in force.
func housing(s *state.State, sp *Spec, st float64) {
	build := true
	if y := int(sp.Num("years")); y > 0 && s.Year-sp.FromYear >= y {
		build = false
	}
	g, phases := state.HousingAll, allPhases
	switch sp.Text("for") {
	case "young":
		g, phases = state.ReservedYoung, youngPhases
	case "families":
		g, phases = state.ReservedFamilies, familyPhases
	}
	add := st * sp.Num("dwellings_per_year") * s.Scale
	sub := st * sp.Num("price_subsidy")
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		if build {
			rs.HousingBoost[g] += add
		}
		subsidise(rs, phases, sub)
	}
}

// Life phases that housing programmes and relocation grants address.
var (
	allPhases     = []int{params.Student, params.EarlyCareer, params.Family, params.Established, params.Senior}
	youngPhases   = []int{params.Student, params.EarlyCareer}
	familyPhases  = []int{params.Family}
	workingPhases = []int{params.EarlyCareer, params.Family, params.Established}
)

// subsidise adds a price subsidy sub for the households of the given life
// phases: combined with the subsidies in force as 1 − (1 − a)(1 − b), at
// most MaxSubsidy.
func subsidise(rs *state.RegionState, phases []int, sub float64) {
	if sub <= 0 {
		return
	}
	for _, ph := range phases {
		rs.Subsidy[ph] = math.Min(MaxSubsidy, combine(rs.Subsidy[ph], sub))
	}
}

// boostAmenity adds b to *boost so that the world's score plus the boost
// stays within [0, 1].
func boostAmenity(boost *float64, score, b float64) {
	*boost = math.Min(math.Max(score+*boost+b, 0), 1) - score
}

// placeDevelopment adds strength × boost to the centre, culture and nature
// scores of each target region (kept within 0–1). Destination choice weighs
// culture + centre/2 by util_culture and nature by util_nature.
func placeDevelopment(s *state.State, sp *Spec, st float64) {
	b := st * sp.Num("boost")
	for _, r := range sp.Regions {
		a := &s.World.Regions[r].Amenities
		x := &s.Regions[r].AmenityBoost
		boostAmenity(&x.Centre, a.Centre, b)
		boostAmenity(&x.Culture, a.Culture, b)
		boostAmenity(&x.Nature, a.Nature, b)
	}
}

// childcareServices adds strength × boost to the services score of each
// target region (kept within 0–1); destination choice weighs it by
// util_services (most for families and seniors).
func childcareServices(s *state.State, sp *Spec, st float64) {
	b := st * sp.Num("boost")
	for _, r := range sp.Regions {
		boostAmenity(&s.Regions[r].AmenityBoost.Services, s.World.Regions[r].Amenities.Services, b)
	}
}

// reputation adds strength × boost × ReputationUtility to the utility of
// each target region in every household's destination choice (and so to
// the log-sum that makes better alternatives raise the moving propensity).
func reputation(s *state.State, sp *Spec, st float64) {
	u := st * sp.Num("boost") * ReputationUtility
	for _, r := range sp.Regions {
		s.Regions[r].Reputation += u
	}
}
