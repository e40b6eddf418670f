// Package world owns the places a simulation runs in: regions with their
// attributes, the travel-time matrix between them and the national rates
// (mortality, fertility, international migration) that apply to all of them.
//
// Start with Load, which takes the name of an embedded world ("norway-2024",
// "teaching") or the path of a user's regions CSV. A World is immutable once
// loaded; interventions that change travel times or amenities work on the
// engine's own copies.
package world

import (
	"crypto/sha256"
	"encoding/hex"
)

// Skill levels of jobs and of the education that qualifies for them.
const (
	SkillLow    = iota // basic or no completed upper secondary
	SkillMedium        // upper secondary / vocational
	SkillHigh          // higher education (bachelor or more)
	NumSkills
)

// Amenities are region qualities used in destination choice, each a score
// in [0, 1] relative to the other regions of the world (1 = best).
type Amenities struct {
	Broadband float64 // share of households with high-speed broadband (0–1)
	Services  float64 // health, care and childcare services
	Culture   float64 // culture, festivals, retail and urban life
	Nature    float64 // access to nature and outdoor life
	Centre    float64 // quality of the town centre
}

// Region is one municipality (or invented region) at the start year.
// Fields marked "synthesised" are derived by documented methods where the
// data lacks them (see synth.go).
type Region struct {
	Index           int     // position in World.Regions
	Code            string  // e.g. "0301"; leading zeros kept
	Name            string  // e.g. "Oslo"
	CountyCode      string  // may be empty for user worlds
	County          string  // may be empty for user worlds
	AdminCentre     string  // may be empty
	AreaKm2         float64 // 0 when unknown
	Lat, Lon        float64 // WGS84 centroid
	Centrality      int     // SSB centrality class 1 (most central) … 6 (least)
	CentralityIndex float64 // SSB centrality index 0–1000
	Population      int     // residents on 1 January of the start year (real, not sampled)

	StudyPlaces int // higher-education study places (campuses.csv), real scale

	// Synthesised.
	PriceIndex     float64   // dwelling price level, national population-weighted mean = 1
	DwellingsPerHH float64   // dwellings per household (1 + vacancy share)
	JobsPerWorker  float64   // jobs located here per employed resident (>1 in commuting centres)
	EducationBias  float64   // multiplier on the national higher-education propensity
	AgeShift       float64   // years the age structure is shifted older (+) or younger (−)
	Amenities      Amenities // region qualities
}

// World is a set of regions, the travel times between them and national rates.
type World struct {
	Name      string // "norway-2024", "teaching" or the path of a user CSV
	StartYear int    // the year whose 1 January the population describes
	Regions   []Region
	// Minutes is the n×n travel-time matrix by road (and ferry), row-major:
	// Minutes[i*n+j] is the one-way travel time from region i to region j.
	// The diagonal holds the typical internal travel time of the region.
	Minutes []float32
	Rates   Rates
	// Sources documents where each attribute came from, for the README and manifest.
	Sources []string
	// GivenPairs is the number of ordered pairs of the travel matrix set by
	// travel-time files (the others are estimated from the centroids);
	// DerivedClasses the number of regions whose centrality class was
	// derived from the population within reach (no class in the data).
	GivenPairs, DerivedClasses int
	// Warnings are what a user's files probably got wrong though they
	// load (codes without their leading zero, a region far from all the
	// others, travel times too fast or too slow to be real), for settle
	// validate and settle run to show; none for an embedded world.
	Warnings []string
	// EstimatedPairs is the number of ordered pairs between two regions
	// that no travel-time file gives (estimated from the centroids).
	EstimatedPairs int
	// GivenInternal is the number of regions whose internal travel time
	// (the diagonal) the user's travel-time file sets, by a pair from a
	// region to itself; SkippedZeros the zeros on the diagonal it has (a
	// full matrix's), which are skipped: those regions keep the internal
	// time estimated from their area.
	GivenInternal, SkippedZeros int
	// Files are the user's files the world was read from (a regions CSV, a
	// travel-time CSV; none for an embedded world without travel_times),
	// with their hashes, so that a run's manifest pins them.
	Files []File
}

// File is a user file a world was read from.
type File struct {
	Role   string `json:"role"` // "regions" or "travel_times"
	Path   string `json:"path"` // as given to Load (absolute for a scenario's files)
	SHA256 string `json:"sha256"`
}

// Roles of File.
const (
	RegionsFile = "regions"
	TravelFile  = "travel_times"
)

func newFile(role, path string, data []byte) File {
	return File{Role: role, Path: path, SHA256: SHA256Hex(data)}
}

// SHA256Hex is the SHA-256 of data in hex, as File.SHA256 and the
// manifests record a file.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// N returns the number of regions.
func (w *World) N() int { return len(w.Regions) }

// TravelMinutes returns the one-way travel time from region i to region j.
func (w *World) TravelMinutes(i, j int) float32 { return w.Minutes[i*len(w.Regions)+j] }

// Population returns the total real population at the start year.
func (w *World) Population() int {
	t := 0
	for i := range w.Regions {
		t += w.Regions[i].Population
	}
	return t
}

// MaxAge is the oldest single year of age represented; older persons are
// kept at MaxAge.
const MaxAge = 105

// Rates are the national demographic rates of a world.
type Rates struct {
	// Mortality[sex][age] is the probability of dying within a year
	// (sex 0 = female, 1 = male).
	Mortality [2][MaxAge + 1]float64
	// Fertility[age] is births per woman per year at that age (ASFR).
	Fertility [MaxAge + 1]float64
	// AgeStructure[sex][age] is the national population share by sex and age,
	// used to synthesise each region's age structure (shifted by Region.AgeShift).
	AgeStructure [2][MaxAge + 1]float64
	// ImmigrationRate and EmigrationRate are yearly international moves per
	// resident (national totals divided by population).
	ImmigrationRate float64
	EmigrationRate  float64
	// ImmigrantAge[age] is the age distribution of immigrants (sums to 1).
	ImmigrantAge [MaxAge + 1]float64
	// EmigrationByAge[age] is a household's relative propensity to
	// emigrate by the age of its head (emigrationByAge); the engine scales
	// it so that the national rate is EmigrationRate.
	EmigrationByAge [MaxAge + 1]float64
	// HigherEducation[age] is the national share with higher education
	// (bachelor or more) at that age; MasterShare is the share of those with
	// a master's degree or more.
	HigherEducation [MaxAge + 1]float64
	MasterShare     float64
	// HigherEducationSex[sex][age] is the factor on HigherEducation for
	// women (0) and men (1): younger women have higher education more
	// often than men, older men more often than women.
	HigherEducationSex [2][MaxAge + 1]float64
	// UpperSecondary[age] is the share whose highest level is upper secondary
	// or vocational.
	UpperSecondary [MaxAge + 1]float64
	// Employment[age] is the share employed at that age (national).
	Employment [MaxAge + 1]float64
}
