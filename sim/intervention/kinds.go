package intervention

import "math"

// The catalogue: every kind a scenario may name, with the schema of its own
// parameters. Validate checks a Spec against it; the mechanisms that turn a
// kind into changes of the model live in the engine and are documented in
// docs/interventions.md.
//
// ParamSpec.Kind is one of:
//   - "number" (or ""): any number within [Min, Max];
//   - "integer": a whole number within [Min, Max];
//   - "bool": true/false (1/0 accepted);
//   - "string": one of Choices; when optional its default is Choices[0];
//   - "list": a list of distinct Choices; when optional its default is all Choices.
//
// An optional number's default is Default; a "bool" default is Default != 0.

var inf = math.Inf(1)

// Bounds of the whole-number parameters that count things. A count beyond
// them is no policy (Norway has about 2.8 million dwellings and 3 million
// jobs in all), and float64 → int conversions of larger ones overflow; the
// range text of each parameter (RangeText) states its bound.
const (
	// MaxCount bounds the dwellings, jobs, study places and second homes
	// an entry adds (or removes) in each target region: 10,000,000.
	MaxCount = 10_000_000
	// MaxPersonsPerYear bounds the immigrants an entry settles each year
	// (real scale): 1,000,000, over ten times Norway's total immigration.
	// Every one of them is a simulated person (× scale) for the rest of
	// the run, with a family on top, so the bound is lower than MaxCount:
	// 1,000,000 a year is some 300,000 simulated persons a year at scale
	// 0.2, which a run holds.
	MaxPersonsPerYear = 1_000_000
	// MaxYears bounds a parameter in years: the longest run
	// (scenario.MaxYears, which imports this package).
	MaxYears = 200
)

// Skill levels of jobs, in the order of world.SkillLow, SkillMedium, SkillHigh.
var skillLevels = []string{"low", "medium", "high"}

// rules are the checks that do not fit one ParamSpec.
type rules struct {
	// minRegions is the least number of resolved target regions.
	minRegions int
	// anyOf: at least one of these keys must be given; with exclusive, exactly one.
	anyOf     []string
	exclusive bool
	// openMin lists keys whose Min is excluded (the value must be above it).
	openMin []string
	// noPhaseIn: the kind is on or off, phase_in_years is refused.
	noPhaseIn bool
}

// kindRules is keyed by kind; it is never modified after initialisation.
var kindRules = map[string]rules{
	"region_enlargement":    {minRegions: 2, anyOf: []string{"travel_time_factor", "minutes_saved", "minutes"}, exclusive: true, openMin: []string{"travel_time_factor"}},
	"recruitment":           {anyOf: []string{"visibility", "relocation_grant"}},
	"immigration":           {anyOf: []string{"workers_per_year", "refugees_per_year", "integration"}},
	"part_time_residents":   {anyOf: []string{"second_homes", "days_per_year", "conversion_rate"}},
	"municipal_cooperation": {minRegions: 2, noPhaseIn: true},
}

// examples are valid values used in error messages ("add share = 0.2").
var examples = map[string]string{
	"travel_time_factor": "0.6", "minutes_saved": "15", "minutes": "40", "share": "0.2", "office_days_per_week": "2",
	"coverage": "0.95", "dwellings_per_year": "50", "years": "5", "price_subsidy": "0.1",
	"students": "500", "visibility": "0.5", "relocation_grant": "100000", "workers_per_year": "200",
	"refugees_per_year": "100", "integration": "0.3", "second_homes": "100", "days_per_year": "60",
	"conversion_rate": "0.02", "attachment_boost": "0.5", "boost": "0.1", "jobs": "200",
}

func boost(what string) ParamSpec {
	return ParamSpec{Key: "boost", Doc: "change of " + what + " (amenity scores are 0–1; the result is kept within 0–1)",
		Unit: "score", Min: -1, Max: 1, Required: true}
}

func init() {
	for _, k := range []*KindSpec{
		{
			Kind: "region_enlargement",
			Doc:  "a new road, tunnel, bridge or ferry-free connection: travel times between every pair of the listed regions are cut (needs at least two regions)",
			Params: []ParamSpec{
				{Key: "travel_time_factor", Doc: "factor on the travel time between each pair of listed regions (0.6 = 40 % shorter); give this, minutes_saved or minutes", Unit: "factor", Min: 0, Max: 1, Default: 1},
				{Key: "minutes_saved", Doc: "minutes cut from the one-way travel time between each pair of listed regions; give this, travel_time_factor or minutes", Unit: "minutes", Min: 0, Max: inf},
				{Key: "minutes", Doc: "the one-way travel time between each pair of listed regions once the link is open, as a route planner gives it (a pair already closer keeps its time); give this, travel_time_factor or minutes_saved", Unit: "minutes", Min: MinMinutes, Max: inf},
			},
		},
		{
			Kind:     "remote_work",
			Doc:      "a share of jobs becomes location-independent (remote-capable); national when no regions are given, otherwise the jobs located in the target regions",
			National: true,
			Params: []ParamSpec{
				{Key: "share", Doc: "share of the jobs at the listed skill levels that become remote-capable", Unit: "share", Min: 0, Max: 1, Required: true},
				{Key: "skill_levels", Doc: "skill levels of the jobs concerned", Kind: "list", Choices: skillLevels},
				{Key: "office_days_per_week", Doc: "days a week a remote worker still travels to the workplace (hybrid work; 0 = fully remote)", Unit: "days/week", Min: 0, Max: 5},
				{Key: "requires_broadband", Doc: "whether the chance that a matched worker gets one of these jobs scales with the broadband coverage where the worker lives (checked when the job is offered, not after a move; default true)", Kind: "bool", Default: 1},
			},
		},
		{
			Kind:     "broadband",
			Doc:      "high-speed broadband build-out: raises the broadband coverage of the target regions (or of every region when none are given), for remote-capable jobs and as an amenity",
			National: true,
			Params: []ParamSpec{
				{Key: "coverage", Doc: "share of households with high-speed broadband once the build-out is complete (coverage already above it is kept)", Unit: "share", Min: 0, Max: 1, Required: true},
			},
		},
		{
			Kind: "housing",
			Doc:  "active housing policy: dwellings built in the target regions each year, optionally aimed at a group and with a price subsidy",
			Params: []ParamSpec{
				{Key: "dwellings_per_year", Doc: "dwellings built each year in each target region, on top of market construction (real scale)", Unit: "dwellings/year", Min: 0, Max: MaxCount, Required: true, Kind: "integer"},
				{Key: "years", Doc: "number of years of building, counted from from_year (default: every year the intervention is in force)", Unit: "years", Min: 1, Max: MaxYears, Kind: "integer"},
				{Key: "for", Doc: "who the dwellings are for: all, young (starter homes for people under 35) or families (households with children)", Kind: "string", Choices: []string{"all", "young", "families"}},
				{Key: "price_subsidy", Doc: "share of the price (or rent) paid by the programme, for the group the dwellings are for (at most 0.9: destination choice weighs the log of the net price, so a free dwelling would be infinitely attractive)", Unit: "share", Min: 0, Max: MaxSubsidy},
			},
		},
		{
			Kind: "campus",
			Doc:  "opens, expands, shrinks or closes higher-education study places in the target regions",
			Params: []ParamSpec{
				{Key: "students", Doc: "study places added in each target region (negative: removed; a closure removes all of them)", Unit: "study places", Min: -MaxCount, Max: MaxCount, Required: true, Kind: "integer"},
			},
		},
		{
			Kind: "recruitment",
			Doc:  "makes the target regions' careers visible to job seekers elsewhere, and pays people who move there",
			Params: []ParamSpec{
				{Key: "visibility", Doc: "how much of the information gap about the target regions' jobs is closed for job seekers living elsewhere (1 = as well known as their local jobs)", Unit: "share", Min: 0, Max: 1},
				{Key: "relocation_grant", Doc: "grant to a working-age household that settles in a target region (acts as a price subsidy in its choice of destination)", Unit: "NOK", Min: 0, Max: inf},
			},
		},
		{
			Kind:     "immigration",
			Doc:      "extra labour or refugee immigration settled in the target regions (or nationally), and an integration programme that raises retention",
			National: true,
			Params: []ParamSpec{
				{Key: "workers_per_year", Doc: "extra labour immigrants arriving each year with a job, their families on top (real scale, a total spread over the target regions by their jobs; at most 1,000,000 a year, over ten times Norway's total immigration)", Unit: "persons/year", Min: 0, Max: MaxPersonsPerYear, Kind: "integer"},
				{Key: "refugees_per_year", Doc: "extra refugees settled each year (real scale, a total spread over the target regions by population; at most 1,000,000 a year, over ten times Norway's total immigration)", Unit: "persons/year", Min: 0, Max: MaxPersonsPerYear, Kind: "integer"},
				{Key: "integration", Doc: "strength of the integration programme: the share by which immigrants' onward and return migration from the target regions is cut", Unit: "share", Min: 0, Max: 1},
			},
		},
		{
			Kind: "part_time_residents",
			Doc:  "second-home owners in the target regions: more of them, longer stays, and easier conversion to full residents",
			Params: []ParamSpec{
				{Key: "second_homes", Doc: "extra second homes used by part-time residents in each target region (real scale)", Unit: "dwellings", Min: 0, Max: MaxCount, Kind: "integer"},
				{Key: "days_per_year", Doc: "days a year a part-time resident spends in the region", Unit: "days/year", Min: 0, Max: 365},
				{Key: "conversion_rate", Doc: "yearly probability that a part-time resident becomes a full resident", Unit: "share/year", Min: 0, Max: 1},
			},
		},
		{
			Kind: "youth",
			Doc:  "mobilising youth: a stronger attachment to the target regions among those who grew up there, so fewer of them leave and more return",
			Params: []ParamSpec{
				{Key: "attachment_boost", Doc: "added to the home-region attachment (util_home, 0.5–2.2 by default) of people who grew up in a target region (at most 10: beyond that returning home is all but certain for anyone who moves)", Unit: "utility", Min: 0, Max: MaxAttachBoost, Required: true},
			},
		},
		{
			Kind:   "place_development",
			Doc:    "place and town-centre development: centre quality, culture and nature amenities of the target regions",
			Params: []ParamSpec{boost("the centre, culture and nature scores")},
		},
		{
			Kind:   "childcare_services",
			Doc:    "better kindergartens, schools and health and care services in the target regions",
			Params: []ParamSpec{boost("the services score")},
		},
		{
			Kind:   "reputation",
			Doc:    "a region's image: how attractive it appears to people choosing where to live",
			Params: []ParamSpec{{Key: "boost", Doc: "change of the region's standing in destination choice, in amenity-score steps: boost × 0.5 utility for every household (negative: a worse image)", Unit: "score", Min: -1, Max: 1, Required: true}},
		},
		{
			Kind: "business_development",
			Doc:  "jobs added (or, with a negative number, lost: a plant closure or a relocated state agency) in the target regions",
			Params: []ParamSpec{
				{Key: "jobs", Doc: "jobs added in each target region (negative: jobs lost)", Unit: "jobs", Min: -MaxCount, Max: MaxCount, Required: true, Kind: "integer"},
				{Key: "skill_level", Doc: "skill level of the jobs", Kind: "string", Choices: skillLevels, Required: true},
				{Key: "years", Doc: "years over which the jobs are added in equal steps", Unit: "years", Min: 1, Max: MaxYears, Default: 1, Kind: "integer"},
			},
		},
		{
			Kind: "municipal_cooperation",
			Doc:  "the target municipalities act as one housing and labour market in recruitment and planning (needs at least two regions)",
		},
	} {
		register(k)
	}
}
