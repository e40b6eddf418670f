// Package output writes the results of one simulation run to a folder:
// regions.csv, flows.csv, migration_by_age.csv, grew_up.csv, population.csv,
// housing.csv, study.csv, living_arrangements.csv and manifest.json (see
// results/README.md for the columns; their names are a contract that later
// tools rely on).
//
// Start with Create, call Run.Write once with the start record
// (engine.Sim.Observe) and once per simulated year (engine.Sim.Step), then
// Run.Close. The tables are streamed into NAME.tmp and renamed by Close, so
// no file under its final name is ever half-written; until Close finishes a
// complete run, the folder holds an INCOMPLETE file and a manifest with
// "complete": false, which also mark a run that was killed outright.
//
// Counts in a record are of simulated (sampled) persons. Run scales them
// back to the real population by record.Year.Weight, rounding in a way that
// keeps the accounting identity exact in the files at any scale:
//
//	population(t+1) = population(t) + births − deaths + in_domestic − out_domestic + immigrants − emigrants
//
// Each flow component is rounded to an integer and the population is
// carried forward from the rounded start population, rather than rounded
// afresh each year. At scale 1 every figure is the exact simulated integer.
//
// The CSV bytes depend only on the records and the world: no maps are
// iterated and no clock is read, so the same run gives the same files.
package output

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// File names in a run folder.
const (
	RegionsFile    = "regions.csv"
	FlowsFile      = "flows.csv"
	AgesFile       = "migration_by_age.csv"
	GrewUpFile     = "grew_up.csv"
	PopulationFile = "population.csv"
	HousingFile    = "housing.csv"
	StudyFile      = "study.csv"
	LivingFile     = "living_arrangements.csv"
	ManifestFile   = "manifest.json"
	// ScenarioCopy is the scenario file as the run read it (WriteScenario).
	ScenarioCopy   = "scenario.toml"
	IncompleteFile = "INCOMPLETE"
)

// TableFiles are the CSV tables of a run folder, in the order Write
// writes them.
var TableFiles = []string{RegionsFile, FlowsFile, AgesFile, GrewUpFile, PopulationFile, HousingFile, StudyFile, LivingFile}

// tableHeaders are the headers of TableFiles, in its order.
var tableHeaders = [][]string{RegionsHeader, FlowsHeader, AgesHeader, GrewUpHeader, PopulationHeader, HousingHeader, StudyHeader, LivingHeader}

// RegionsHeader, FlowsHeader and AgesHeader are the CSV headers: the
// contract later tools rely on. Change them only with a new major version.
var (
	RegionsHeader = []string{"year", "code", "name", "population", "births", "deaths",
		"in_domestic", "out_domestic", "immigrants", "emigrants", "net_migration",
		"age_0_19", "age_20_39", "age_40_66", "age_67_plus", "higher_education",
		"employed", "unemployed", "jobs", "vacancies", "in_commuters", "out_commuters",
		"remote_workers", "students", "part_time_residents", "dwellings", "price_index"}
	FlowsHeader = []string{"year", "origin", "destination", "age_group", "motive", "moves"}
	AgesHeader  = []string{"year", "age", "sex", "population", "moves"}
	// GrewUpHeader: per region, year and age of record.GrewUpAges, the
	// persons born in Norway of that age who grew up in the region and
	// those of them who live there.
	GrewUpHeader = []string{"year", "code", "name", "age", "grew_up", "living_there"}
	// PopulationHeader: per region and year, the residents by age group
	// (those of flows.csv), sex and education level.
	PopulationHeader = []string{"year", "code", "name", "age_group", "sex", "education", "persons"}
	// HousingHeader: per region and year, the households, the dwellings,
	// those of them without a household and the households beyond them.
	HousingHeader = []string{"year", "code", "name", "households", "dwellings", "vacant_dwellings", "households_without_dwelling"}
	// StudyHeader: per region and year, the study places and the students
	// whose study place is there, wherever they are registered (regions.csv's
	// students counts them where they are registered).
	StudyHeader = []string{"year", "code", "name", "study_places", "students_studying_here"}
	// LivingHeader: per region and year, the adults by age group (those of
	// SSB's household statistics), sex and living arrangement
	// (record.LivingNames).
	LivingHeader = []string{"year", "code", "name", "age_group", "sex", "living", "persons"}
)

// sexNames are the sex codes of migration_by_age.csv, indexed like
// record.Year.Population.
var sexNames = [2]string{"f", "m"}

// Run writes one run folder. It is not safe for concurrent use.
type Run struct {
	dir      string
	regions  []world.Region
	manifest Manifest

	regionsCSV, flowsCSV, agesCSV, grewUpCSV *csvFile
	populationCSV, housingCSV, studyCSV      *csvFile
	livingCSV                                *csvFile

	// CSV fields (each with its comma) prepared once.
	codes, names                  [][]byte
	ageGroups, motives, education [][]byte
	livingAges, livings           [][]byte
	yearField                     []byte

	records  int     // records written; the first is the start population
	lastYear int     // Year of the last record
	pop      []int64 // population carried forward at real scale, per region
	sum      summer
	closed   bool
}

// Create starts writing a run into dir for a simulation of w. dir is
// created (with its parents) if it does not exist; if it exists it must be
// empty, else Create refuses to touch it. m describes the run: Create sets
// its StartTime if it is zero, and Close sets EndTime, Complete and
// YearsCompleted.
//
// Create writes manifest.json with "complete": false and an INCOMPLETE
// file at once, so a run that dies without Close is marked as such, and
// copies the user's world files of m.WorldFiles into the folder
// (ReadWorldData, checked before the folder is made).
func Create(dir string, w *world.World, m Manifest) (*Run, error) {
	// The world's files are checked before the folder is claimed: a file
	// changed since it was read leaves no folder behind.
	worldData, err := ReadWorldData(m.WorldFiles)
	if err != nil {
		return nil, err
	}
	return CreateWith(dir, w, worldData, m)
}

// CreateWith is Create with the world's files read beforehand
// (ReadWorldData of m.WorldFiles, when the world was), for a caller that
// makes dir itself (NewRunDir) and must not make it for a run refused
// for its world's files.
func CreateWith(dir string, w *world.World, worldData *WorldData, m Manifest) (*Run, error) {
	if w == nil || w.N() == 0 {
		return nil, errors.New("output: a run needs a world with at least one region")
	}
	var err error
	if worldData == nil {
		if worldData, err = ReadWorldData(m.WorldFiles); err != nil {
			return nil, err
		}
	}
	if err := claimDir(dir); err != nil {
		return nil, err
	}
	if m.StartTime.IsZero() {
		m.StartTime = time.Now()
	}
	if m.WorkingDir == "" {
		// Relative paths in the manifest (the scenario, the command
		// line) are relative to it.
		m.WorkingDir, _ = os.Getwd()
	}
	m.Complete = false
	r := &Run{
		dir:      dir,
		regions:  w.Regions,
		manifest: m,
		pop:      make([]int64, w.N()),
	}
	r.sum.init(w.N())
	for i := range w.Regions {
		r.codes = append(r.codes, field(w.Regions[i].Code))
		r.names = append(r.names, field(w.Regions[i].Name))
	}
	for _, s := range record.AgeGroupNames {
		r.ageGroups = append(r.ageGroups, field(s))
	}
	for _, s := range record.MotiveNames {
		r.motives = append(r.motives, field(s))
	}
	for _, s := range record.EducationNames {
		r.education = append(r.education, field(s))
	}
	for _, s := range record.LivingAgeNames {
		r.livingAges = append(r.livingAges, field(s))
	}
	for _, s := range record.LivingNames {
		r.livings = append(r.livings, field(s))
	}
	if err = writeManifest(r.dir, &r.manifest); err == nil {
		err = WriteData(filepath.Join(dir, IncompleteFile), []byte(runningText(&r.manifest)))
	}
	if err == nil {
		err = worldData.Write(dir)
	}
	for k, c := range r.tables() {
		if err == nil {
			*c, err = createCSV(filepath.Join(dir, TableFiles[k]), tableHeaders[k])
		}
	}
	if err != nil {
		for _, c := range r.csvs() {
			if c != nil {
				c.f.Close()
				os.Remove(c.path + tmpSuffix)
			}
		}
		return nil, fmt.Errorf("creating the run folder %s: %w", dir, err)
	}
	return r, nil
}

// Dir returns the run folder.
func (r *Run) Dir() string { return r.dir }

// YearsCompleted returns the number of simulated years written (not
// counting the start population).
func (r *Run) YearsCompleted() int { return max(r.records-1, 0) }

// tables are the fields of the tables, in the order of TableFiles.
func (r *Run) tables() []**csvFile {
	return []**csvFile{&r.regionsCSV, &r.flowsCSV, &r.agesCSV, &r.grewUpCSV, &r.populationCSV, &r.housingCSV, &r.studyCSV, &r.livingCSV}
}

func (r *Run) csvs() []*csvFile {
	var out []*csvFile
	for _, c := range r.tables() {
		out = append(out, *c)
	}
	return out
}

// scaled converts a sampled count to the real population.
func scaled(x int64, weight float64) int64 {
	if weight == 1 {
		return x
	}
	return int64(math.Round(float64(x) * weight))
}

// Write appends one year's record to the tables. The first record is the
// start population (its flows are expected to be zero); each later one must
// be the next year. It costs O(regions + flows + ages) and does not retain
// y, so the engine may reuse it.
//
// Write panics if y does not fit the world (a broken engine invariant). An
// I/O error is returned, and Close then keeps the years written before it.
func (r *Run) Write(y *record.Year) error {
	if r.closed {
		panic("output: Write after Close")
	}
	if len(y.Regions) != len(r.regions) {
		panic(fmt.Sprintf("output: record of %d has %d regions, the world has %d", y.Year, len(y.Regions), len(r.regions)))
	}
	if r.records > 0 && y.Year != r.lastYear+1 {
		panic(fmt.Sprintf("output: record of %d follows %d", y.Year, r.lastYear))
	}
	if !(y.Weight >= 1) || math.IsInf(y.Weight, 0) {
		panic(fmt.Sprintf("output: record of %d has weight %g; it must be 1/scale ≥ 1", y.Year, y.Weight))
	}
	if err := r.err(); err != nil {
		return err
	}
	first := r.records == 0
	r.yearField = strconv.AppendInt(r.yearField[:0], int64(y.Year), 10)
	r.yearField = append(r.yearField, ',')
	pop := slices.Clone(r.pop)
	r.writeRegions(y, first)
	r.writeFlows(y)
	r.writeAges(y)
	r.writeGrewUp(y)
	r.writePopulation(y)
	r.writeHousing(y)
	r.writeStudy(y)
	r.writeLiving(y)
	for _, c := range r.csvs() {
		c.flush()
	}
	if err := r.err(); err != nil {
		r.pop = pop // the year is not in the files
		return err
	}
	for _, c := range r.csvs() {
		c.commit()
	}
	r.sum.add(y, r.pop, first)
	r.records++
	r.lastYear = y.Year
	r.manifest.LastYear = y.Year
	return nil
}

// err returns the first write error of the tables.
func (r *Run) err() error {
	for _, c := range r.csvs() {
		if c.err != nil {
			return fmt.Errorf("writing %s: %w", c.path+tmpSuffix, c.err)
		}
	}
	return nil
}

func (r *Run) writeRegions(y *record.Year, first bool) {
	c, w := r.regionsCSV, y.Weight
	for i := range y.Regions {
		in := &y.Regions[i]
		births, deaths := scaled(in.Births, w), scaled(in.Deaths, w)
		inDom, outDom := scaled(in.InDomestic, w), scaled(in.OutDomestic, w)
		imm, emi := scaled(in.Immigrants, w), scaled(in.Emigrants, w)
		if first {
			r.pop[i] = scaled(in.Population, w)
		} else {
			r.pop[i] += births - deaths + inDom - outDom + imm - emi
		}
		r.regionRow(c, i)
		c.int(r.pop[i])
		c.int(births)
		c.int(deaths)
		c.int(inDom)
		c.int(outDom)
		c.int(imm)
		c.int(emi)
		c.int(inDom - outDom + imm - emi)
		for _, v := range [...]int64{
			in.Age0to19, in.Age20to39, in.Age40to66, in.Age67Plus, in.HigherEducation,
			in.Employed, in.Unemployed, in.Jobs, in.Vacancies,
			in.InCommuters, in.OutCommuters, in.RemoteWorkers,
			in.Students, in.PartTimeResidents, in.Dwellings,
		} {
			c.int(scaled(v, w))
		}
		c.float(in.PriceIndex, 4)
		c.endRow()
	}
}

// writeFlows writes the year's flows. Where 1/scale is not whole, the
// cells of an origin are rounded cumulatively (each cell is the rounded
// running total of the origin's moves less the rounded total before it),
// so that an origin's cells add up to its out_domestic in regions.csv
// exactly, and rounding adds no bias: rounded one by one, the many cells
// of one simulated move (3.33 at scale 0.3) all lost a third, 1 % of the
// moves in all.
func (r *Run) writeFlows(y *record.Year) {
	c := r.flowsCSV
	var sum, done int64 // the origin's simulated moves so far, and their rounded total
	for i := range y.Flows {
		f := &y.Flows[i]
		if i > 0 && f.Origin < y.Flows[i-1].Origin {
			panic(fmt.Sprintf("output: the flows of %d are not sorted by origin", y.Year)) // record.Year says they are
		}
		if i == 0 || f.Origin != y.Flows[i-1].Origin {
			sum, done = 0, 0
		}
		if int(f.Origin) >= len(r.regions) || int(f.Destination) >= len(r.regions) ||
			int(f.AgeGroup) >= record.NumAgeGroups || int(f.Motive) >= record.NumMotives {
			panic(fmt.Sprintf("output: flow %+v of %d is outside the world or the categories", f.FlowKey, y.Year))
		}
		c.raw(r.yearField)
		c.raw(r.codes[f.Origin])
		c.raw(r.codes[f.Destination])
		c.raw(r.ageGroups[f.AgeGroup])
		c.raw(r.motives[f.Motive])
		sum += f.Moves
		total := scaled(sum, y.Weight)
		c.int(total - done)
		done = total
		c.endRow()
	}
}

// at returns s[i], or 0 beyond the end of s (a nil Moves in the start record).
func at(s []int64, i int) int64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func (r *Run) writeAges(y *record.Year) {
	c := r.agesCSV
	for sex := range y.Population {
		if len(y.Population[sex]) > world.MaxAge+1 || len(y.Moves[sex]) > world.MaxAge+1 {
			panic(fmt.Sprintf("output: record of %d has ages beyond world.MaxAge = %d", y.Year, world.MaxAge))
		}
	}
	for age := 0; age <= world.MaxAge; age++ {
		for sex, name := range sexNames {
			c.raw(r.yearField)
			c.int(int64(age))
			c.str(name)
			c.int(scaled(at(y.Population[sex], age), y.Weight))
			c.int(scaled(at(y.Moves[sex], age), y.Weight))
			c.endRow()
		}
	}
}

func (r *Run) writeGrewUp(y *record.Year) {
	c := r.grewUpCSV
	for i := range y.Regions {
		in := &y.Regions[i]
		for k, age := range record.GrewUpAges {
			r.regionRow(c, i)
			c.int(int64(age))
			c.int(scaled(in.GrewUp[k], y.Weight))
			c.int(scaled(in.LivingThere[k], y.Weight))
			c.endRow()
		}
	}
}

func (r *Run) writePopulation(y *record.Year) {
	if len(y.Structure) != len(y.Regions) {
		panic(fmt.Sprintf("output: record of %d has the population structure of %d regions, not %d", y.Year, len(y.Structure), len(y.Regions)))
	}
	c := r.populationCSV
	for i := range y.Regions {
		st := &y.Structure[i]
		for ag := range record.NumAgeGroups {
			for sex, name := range sexNames {
				for e := range record.NumEducation {
					r.regionRow(c, i)
					c.raw(r.ageGroups[ag])
					c.str(name)
					c.raw(r.education[e])
					c.int(scaled(st[sex][ag][e], y.Weight))
					c.endRow()
				}
			}
		}
	}
}

func (r *Run) writeLiving(y *record.Year) {
	if len(y.Living) != len(y.Regions) {
		panic(fmt.Sprintf("output: record of %d has the living arrangements of %d regions, not %d", y.Year, len(y.Living), len(y.Regions)))
	}
	c := r.livingCSV
	for i := range y.Regions {
		lv := &y.Living[i]
		for ag := range record.NumLivingAges {
			for sex, name := range sexNames {
				for k := range record.NumLiving {
					r.regionRow(c, i)
					c.raw(r.livingAges[ag])
					c.str(name)
					c.raw(r.livings[k])
					c.int(scaled(lv[sex][ag][k], y.Weight))
					c.endRow()
				}
			}
		}
	}
}

// regionRow starts a row of region i in this year's record: the year,
// the region's code and its name, the first columns of every table by
// region.
func (r *Run) regionRow(c *csvFile, i int) {
	c.raw(r.yearField)
	c.raw(r.codes[i])
	c.raw(r.names[i])
}

func (r *Run) writeHousing(y *record.Year) {
	c := r.housingCSV
	for i := range y.Regions {
		in := &y.Regions[i]
		r.regionRow(c, i)
		// The last two from the scaled stock and households, so that
		// dwellings − households = vacant − without at any scale.
		hh, dw := scaled(in.Households, y.Weight), scaled(in.Dwellings, y.Weight)
		c.int(hh)
		c.int(dw)
		c.int(max(0, dw-hh))
		c.int(max(0, hh-dw))
		c.endRow()
	}
}

func (r *Run) writeStudy(y *record.Year) {
	c := r.studyCSV
	for i := range y.Regions {
		in := &y.Regions[i]
		r.regionRow(c, i)
		c.int(int64(math.Round(in.StudyPlaces * y.Weight)))
		c.int(scaled(in.StudyPlaceStudents, y.Weight))
		c.endRow()
	}
}

// Close finishes the run. stop is why the run ended early (an interrupt, an
// engine error), or nil when every year was simulated. Close renames the
// tables to their final names, each holding the whole years written so far,
// and rewrites manifest.json. A complete run (stop == nil, no write error)
// loses its INCOMPLETE file; an incomplete one gets an INCOMPLETE file that
// says how far it got and how to rerun it.
//
// Close returns the first error it met writing; calling it twice panics.
func (r *Run) Close(stop error) error {
	if r.closed {
		panic("output: Close called twice")
	}
	r.closed = true
	var errs []error
	failed := r.err() != nil
	for _, c := range r.csvs() {
		if err := c.finish(failed); err != nil {
			errs = append(errs, err)
		}
	}
	m := &r.manifest
	m.EndTime = time.Now()
	m.YearsCompleted = r.YearsCompleted()
	m.Complete = stop == nil && len(errs) == 0 && m.YearsCompleted >= m.Years
	m.Stopped = ""
	if !m.Complete {
		switch {
		case stop != nil:
			m.Stopped = StopReason(stop.Error())
			if errors.Is(stop, context.Canceled) && !strings.Contains(m.Stopped, "interrupted") {
				m.Stopped = Interrupted + ": " + m.Stopped
			}
		case len(errs) > 0:
			m.Stopped = errs[0].Error()
		default:
			m.Stopped = fmt.Sprintf("only %d of %d years were written", m.YearsCompleted, m.Years)
		}
	}
	if m.Complete {
		if err := writeManifest(r.dir, m); err != nil {
			errs = append(errs, err)
		} else if err := os.Remove(filepath.Join(r.dir, IncompleteFile)); err != nil {
			errs = append(errs, err)
		}
	} else if err := r.writeMarkers(m.Stopped); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Interrupted is why a run stopped by Ctrl-C or a SIGTERM ended, in the
// manifest's "stopped" and the INCOMPLETE file.
const Interrupted = "interrupted (Ctrl-C or SIGTERM)"

// StopReason is the reason a run stopped (a manifest's "stopped") in plain
// words for its user: Go's "context canceled", which the interrupted runs
// of settle compare --keep-runs recorded (and Close passes on no more),
// reads Interrupted.
func StopReason(stopped string) string {
	return strings.ReplaceAll(stopped, context.Canceled.Error(), Interrupted)
}

// writeMarkers writes the manifest as it is and an INCOMPLETE file that
// says why the run is not (yet) complete.
func (r *Run) writeMarkers(why string) error {
	if err := writeManifest(r.dir, &r.manifest); err != nil {
		return err
	}
	return WriteData(filepath.Join(r.dir, IncompleteFile), []byte(incompleteText(&r.manifest, r.records, why)))
}

// Summary returns the key figures of the run so far (see Summary).
func (r *Run) Summary() *Summary {
	return r.sum.summary(r.regions, r.pop, r.dir)
}

// WriteScenario writes text, the scenario file as the run read it (its
// SHA-256 is the manifest's scenario_sha256; the command line's flags
// override it), into the run's folder as ScenarioCopy: a run is read and
// explained with the interventions it ran even when the file has since
// changed or moved.
func (r *Run) WriteScenario(text string) error {
	return WriteData(filepath.Join(r.dir, ScenarioCopy), []byte(text))
}
