// Package record holds what a simulation observes each year: per-region
// accounts, origin–destination flows by age group and motive, and moves by
// single year of age and sex. All counts are of simulated (sampled) persons;
// multiply by Year.Weight to get real-population figures (the output package
// does this).
package record

// Motives of a move (MODEL.md): the dominant reason recorded with each move.
const (
	MotiveStudy = iota
	MotiveCareer
	MotiveHousing
	MotiveFamily
	MotiveReturn
	MotiveAmenity
	NumMotives
)

// MotiveNames are the names written to flows.csv.
var MotiveNames = [NumMotives]string{"study", "career", "housing", "family", "return", "amenity"}

// Age groups of flows.csv.
const NumAgeGroups = 7

// AgeGroupNames are the labels written to flows.csv.
var AgeGroupNames = [NumAgeGroups]string{"0-17", "18-24", "25-34", "35-44", "45-54", "55-66", "67+"}

// AgeGroup returns the flows.csv age group of an age in years.
func AgeGroup(age int) int {
	switch {
	case age < 18:
		return 0
	case age < 25:
		return 1
	case age < 35:
		return 2
	case age < 45:
		return 3
	case age < 55:
		return 4
	case age < 67:
		return 5
	}
	return 6
}

// GrewUpAges are the ages at which Region.GrewUp and LivingThere count the
// persons who grew up in a region: 35, the age of SSB's statistic of
// people living in the municipality they grew up in (about half in
// Norway, 45 % of those from centrality class 5 and 35 % from class 6),
// and ten years either side.
var GrewUpAges = [NumGrewUpAges]int{25, 35, 45}

// NumGrewUpAges is the number of GrewUpAges.
const NumGrewUpAges = 3

// NumEducation is the number of education levels (MODEL.md: basic, upper
// secondary or vocational, bachelor, master or more; population.Edu*).
const NumEducation = 4

// EducationNames are the education levels written to population.csv.
var EducationNames = [NumEducation]string{"basic", "upper_secondary", "bachelor", "master"}

// Structure is one region's residents on 1 January by sex (0 female, 1
// male), age group (AgeGroup) and education level (EducationNames).
type Structure [2][NumAgeGroups][NumEducation]int64

// Living arrangements of adults (living_arrangements.csv), each adult in one:
// in a couple (with their partner, and any children); living with a
// parent (a young adult who has not left home); alone (a household of
// one); a lone parent (a household's head without a partner, with
// children of any age at home); other (an adult in a household who is
// none of these, rare in the model: it has no flat-shares or households
// of two families).
const (
	LivingCouple = iota
	LivingWithParents
	LivingAlone
	LivingLoneParent
	LivingOther
	NumLiving
)

// LivingNames are the living arrangements written to living_arrangements.csv.
var LivingNames = [NumLiving]string{"couple", "with_parents", "alone", "lone_parent", "other"}

// NumLivingAges is the number of adult age groups of living_arrangements.csv.
const NumLivingAges = 7

// LivingAgeNames are the age groups of living_arrangements.csv: adults, in the
// groups of SSB's household statistics.
var LivingAgeNames = [NumLivingAges]string{"18-19", "20-24", "25-29", "30-44", "45-66", "67-79", "80+"}

// LivingAge returns the living_arrangements.csv age group of an adult's age, −1
// under 18.
func LivingAge(age int) int {
	switch {
	case age < 18:
		return -1
	case age < 20:
		return 0
	case age < 25:
		return 1
	case age < 30:
		return 2
	case age < 45:
		return 3
	case age < 67:
		return 4
	case age < 80:
		return 5
	}
	return 6
}

// Living is one region's adults on 1 January by sex (0 female, 1 male),
// age group (LivingAge) and living arrangement (LivingNames).
type Living [2][NumLivingAges][NumLiving]int64

// Region is one region's account for one year. Stocks (Population, the age
// groups, Employed …) are on 1 January of the row's year, after the events;
// flows (Births … Emigrants) happened during the year before it. In the first
// row of a run the flows are zero.
type Region struct {
	Population                                int64
	Births, Deaths                            int64
	InDomestic, OutDomestic                   int64
	Immigrants, Emigrants                     int64
	Age0to19, Age20to39, Age40to66, Age67Plus int64
	HigherEducation                           int64 // residents aged 25+ with bachelor or more (from Year.Structure)
	Employed, Unemployed                      int64 // residents
	Jobs, Vacancies                           int64 // located in the region (sampled, like persons)
	InCommuters, OutCommuters, RemoteWorkers  int64
	Students                                  int64 // residents in higher education (registered here, wherever they study)
	// StudyPlaceStudents counts the students whose study place (campus) is
	// here, wherever they are registered; StudyPlaces is the region's
	// capacity (sampled, like persons).
	StudyPlaceStudents   int64
	StudyPlaces          float64
	PartTimeResidents    int64 // second-home residents from elsewhere
	Dwellings            int64
	Households           int64 // private households living here
	VacantDwellings      int64 // dwellings without a household: Dwellings − Households, at least 0
	Crowded              int64 // households beyond the dwellings: Households − Dwellings, at least 0
	PriceIndex           float64
	NetMigrationHigherEd int64 // net domestic+international migration of persons with higher education
	// GrewUp[k] counts the persons born in Norway aged GrewUpAges[k] on
	// 1 January whose home region (where they grew up) is this one,
	// wherever they live now; LivingThere[k] those of them who live here.
	GrewUp, LivingThere [NumGrewUpAges]int64
}

// NetMigration returns domestic and international net migration.
func (r *Region) NetMigration() int64 {
	return r.InDomestic - r.OutDomestic + r.Immigrants - r.Emigrants
}

// FlowKey identifies a cell of the flow table.
type FlowKey struct {
	Origin, Destination uint16 // region indices
	AgeGroup, Motive    uint8
}

// Flow is a nonzero cell of the flow table.
type Flow struct {
	FlowKey
	Moves int64
}

// Year is everything observed for one year.
type Year struct {
	Year    int
	Regions []Region
	// Flows are the moves between regions during the year before Year,
	// sorted by origin, destination, age group, motive.
	Flows []Flow
	// Population[sex][age] on 1 January of Year and Moves[sex][age]: moves
	// between regions during the year before it, by age at the move.
	// sex 0 = female, 1 = male.
	Population [2][]int64
	Moves      [2][]int64
	// Structure[r] is region r's residents by sex, age group and education
	// level (nil in records that do not have it).
	Structure []Structure
	// Living[r] is region r's adults by sex, age group and living
	// arrangement (nil in records that do not have it).
	Living []Living
	// Weight converts sampled counts to the real population (1/scale, exact
	// at scale 1). Jobs, Vacancies and Dwellings are sampled like persons.
	Weight float64
}
