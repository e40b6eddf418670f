// Package compare runs scenarios side by side and measures what an
// intervention changes: each scenario is simulated in several replicates
// with common random numbers (replicate k uses seed base+k in every
// scenario, so the runs differ only by what the scenarios change), and the
// replicates give each difference a 90 % interval.
//
// Start with NewPlan, which checks that the scenarios can be compared (the
// same world, start year, years and scale), then Plan.Run, which simulates
// every run in turn and keeps only the aggregated figures (memory does not
// grow with the number of replicates), then Result.Write for the tables:
//
//	deltas.csv            every region, centrality class, county, the
//	                      nation and the interventions' target groups, every
//	                      year and metric: baseline mean, scenario mean, the
//	                      difference and its 90 % interval
//	key_year.csv          the rows of deltas.csv of the key year (the
//	                      report's), for spreadsheets
//	attractiveness.csv    net domestic migration over the run split into what
//	                      job growth explains and the residual attractiveness
//	attractiveness_model.csv  the yearly regressions behind it
//	flows_by_age_motive.csv  net moves into the focus units over the run
//	                      by age group and motive, and their totals, the
//	                      difference and its 90 % interval
//	pyramids.csv          the focus units' residents by sex and age group,
//	                      first and last year
//	compare.json          what was compared, how, and every run's manifest
//
// The interval of a difference is the t-interval of the mean of the paired
// differences across replicates: mean ± t(0.95, n−1)·sd/√n, with a count's
// sd taken as at least one simulated person, 1/scale, the step in which
// its differences come (Delta.Step), unless every paired difference is
// zero. It says how precisely the replicates pin down the model's expected
// effect, narrows as replicates are added, and does not include
// uncertainty in the model's parameters. A scenario compared with itself
// gives differences and intervals of exactly zero. Every file names a
// difference's interval diff_lo90 and diff_hi90. Summary sentences (Result.Sentences) are made
// from the same numbers as deltas.csv. sim/report draws the charts, the map
// and report.html.
package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/tomlpos"
	"github.com/settle-sim/settle/sim/world"
)

// PlanOptions override the scenario files for every scenario; zero values
// keep the files' values.
type PlanOptions struct {
	Replicates int      // runs per scenario (≥ 1)
	Seed       *uint64  // base seed; nil = the baseline file's seed
	Years      int      // 0 = the files' years
	Scale      float64  // 0 = the files' scale
	Cmdline    []string // the command line, for compare.json
}

// Plan is a checked comparison, ready to run.
type Plan struct {
	// Scenarios are the scenarios compared; the first is the baseline. They
	// are resolved against World.
	Scenarios  []*scenario.Scenario
	World      *world.World
	Replicates int
	Seed       uint64 // replicate k (0-based) runs with Seed+k
	StartYear  int
	Years      int
	Scale      float64
	// Units are the reporting units (every region first, in the world's
	// order, then the groups); Focus indexes the units charted and
	// summarised: the union of the scenarios' own, which ScenarioFocus
	// gives.
	Units []Unit
	Focus []int
	own   [][]int
	// targets are each scenario's own units (indices into Units), those
	// of own and those left out of it: Targets.
	targets [][]int
	// sharedName: a scenario has the baseline's name (RunName).
	sharedName bool
	// runNames are the scenarios' folder names under the runs folder,
	// without the replicate (runFolders).
	runNames []string
	// worldFiles are World.Files with each scenario's own paths (one of
	// them may name a copy of the baseline's file), for its runs'
	// manifests.
	worldFiles [][]world.File
	// Notes are remarks for the user (a scenario whose own seed is
	// overridden …); Warnings what the world's files probably got wrong
	// (world.World.Warnings), shown as settle validate shows them.
	Notes    []string
	Warnings []string
	Cmdline  []string
}

// IncompatibleError reports two scenarios that cannot be compared.
type IncompatibleError struct {
	Baseline, File string // scenario files
	Key            string // the [scenario] key that differs
	// Line is the line of Key in File, 0 when the file does not set it:
	// the message then reads FILE:LINE:, as a scenario's own problems do
	// (a years or scale that differed named no line, a start_year its
	// line).
	Line          int
	BaselineValue string
	Value         string
	Flag          string // the flag that sets it for all, if any
	// Contents is set when Value and BaselineValue are worlds of other
	// data (WorldDifference): what differs. Files at two paths are
	// compared by what they hold, so the paths alone do not say why.
	Contents string
	// Embedded is set when one of the two is an embedded world and the
	// other a user's files: the embedded world's name.
	Embedded string
	// Lacks is set with Embedded when the user's files lack a part of the
	// embedded world that is not in its regions CSV (embeddedExtras): a
	// copy of that file alone is then another world.
	Lacks string
}

func (e *IncompatibleError) Error() string {
	const need = "every scenario of a comparison needs the same world, start_year, years and scale"
	if e.Embedded != "" {
		msg := fmt.Sprintf("%s: scenario.%s = %s gives another world than the baseline %s's %s = %s: %s. An embedded world and a user's files are one world when they load the same data",
			e.File, e.Key, e.Value, e.Baseline, e.Key, e.BaselineValue, e.Contents)
		if e.Lacks != "" {
			msg += fmt.Sprintf(", and %s is more than its regions CSV (%s): a copy of that file alone is another world, and settle worlds --export %s writes all of it", e.Embedded, e.Lacks, e.Embedded)
		}
		return msg + fmt.Sprintf("; %s: name %q in both files, or, to study a world of your own, the same files in the baseline too", need, e.Embedded)
	}
	if e.Contents != "" {
		return fmt.Sprintf("%s: scenario.%s = %s holds other data than the baseline %s's (%s = %s): %s; %s: name the same files in both, or copies with the same contents",
			e.File, e.Key, e.Value, e.Baseline, e.Key, e.BaselineValue, e.Contents, need)
	}
	fix := "use the same value in both files"
	if e.Flag != "" {
		fix += ", or give " + e.Flag + " to set it for every scenario"
	}
	file := e.File
	if e.Line > 0 {
		file += ":" + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("%s: scenario.%s = %s differs from the baseline %s (%s = %s); %s: %s",
		file, e.Key, e.Value, e.Baseline, e.Key, e.BaselineValue, need, fix)
}

// embeddedExtras say what an embedded world adds to its regions CSV, for
// the message of a copy that lacks it (IncompatibleError.Lacks), and
// whether a copy lacks it: a scenario without travel_times, a world
// without study places.
var embeddedExtras = map[string]struct {
	text  string
	lacks func(s *scenario.Scenario, w *world.World) bool
}{
	"teaching": {"it adds the ferry's travel times of its travel.csv, which a copy gives as travel_times",
		func(s *scenario.Scenario, _ *world.World) bool { return s.TravelTimes == "" }},
	"norway-2024": {"it adds the study places of its campuses.csv, which a copy gives in a study_places column",
		func(_ *scenario.Scenario, w *world.World) bool {
			return !slices.ContainsFunc(w.Regions, func(r world.Region) bool { return r.StudyPlaces > 0 })
		}},
}

// NewPlan checks the scenarios (the first is the baseline) and loads their
// world once. The scenarios are changed: opts' overrides are applied and
// their interventions resolved.
func NewPlan(scenarios []*scenario.Scenario, opts PlanOptions) (*Plan, error) {
	if len(scenarios) < 2 {
		return nil, errors.New("compare: give a baseline and at least one scenario")
	}
	if opts.Replicates < 1 {
		return nil, fmt.Errorf("compare: %d replicates; give 1 or more", opts.Replicates)
	}
	for _, s := range scenarios {
		if opts.Years != 0 {
			s.Years = opts.Years
		}
		if opts.Scale != 0 {
			s.Scale = opts.Scale
		}
	}
	b := scenarios[0]
	// A user's world file at another path is the same world when it holds
	// the same bytes (its SHA-256, as the runs' manifests record it): a
	// byte-identical copy of the baseline's regions file was refused as
	// another world. Copies are noted.
	hashes := map[string]string{}
	var copies []string
	// byData are the scenarios whose world is compared with the
	// baseline's by the data they load (WorldDifference): one of the two
	// is an embedded world, the other a user's files, which have no
	// SHA-256 to compare (an embedded world is more than its regions
	// file), or the two are user files of other bytes.
	byData := map[int]bool{}
	// errs are the problems of each scenario (indexed as scenarios), all
	// reported together in the order of the files: a comparison of
	// several files with problems named only the first file's.
	errs := make([][]error, len(scenarios))
	// bad are the scenarios whose world or targets cannot be resolved
	// against the baseline's world, which the later checks skip.
	bad := map[int]bool{}
	failed := func() error {
		var all []error
		for _, e := range errs {
			all = append(all, e...)
		}
		return errors.Join(all...)
	}
	// check adds to errs what differs between the baseline and the
	// scenarios not in skip in the [scenario] keys.
	check := func(skip map[int]bool, keys ...string) {
		for si := 1; si < len(scenarios); si++ {
			if skip[si] {
				continue
			}
			s := scenarios[si]
			// embedded: the baseline's world or the scenario's is one
			// built into settle, the other read from a user's file.
			embedded := filepath.IsAbs(b.World) != filepath.IsAbs(s.World)
			diff := func(key, bv, v, flag string) {
				if bv != v {
					errs[si] = append(errs[si], &IncompatibleError{Baseline: b.File, File: s.File, Key: key, Line: keyLine(s, "scenario."+key),
						BaselineValue: bv, Value: v, Flag: flag})
				}
			}
			// sameFile compares a world's file of the baseline, bv, with
			// the scenario's, v: embedded worlds by name, user files
			// (absolute paths after scenario.Load) by their contents. A
			// baseline's file that cannot be read is left to the loading
			// of its world, whose message says why.
			sameFile := func(key, bv, v string) {
				if bv == v {
					return
				}
				if embedded && (key == "world" || bv == "" || v == "") {
					// An embedded world against a user's files: the same
					// world if they load the same data (its regions file
					// alone is not all of it).
					byData[si] = true
					return
				}
				if !filepath.IsAbs(bv) || !filepath.IsAbs(v) {
					diff(key, strconv.Quote(bv), strconv.Quote(v), "")
					return
				}
				bs, berr := fileSHA256(hashes, bv)
				ss, serr := fileSHA256(hashes, v)
				switch {
				case berr != nil:
					// The baseline's world fails to load below.
				case serr != nil:
					errs[si] = append(errs[si], fmt.Errorf("%s: scenario.%s = %q cannot be read (%v); every scenario of a comparison needs the same world: name the baseline's file %s", s.File, key, v, output.UnwrapPath(serr), bv))
				case bs != ss:
					// Other bytes may hold the same data (a copy saved
					// from a spreadsheet: a byte-order mark, Windows line
					// endings, an empty column): compared by what they
					// load.
					byData[si] = true
				default:
					copies = append(copies, fmt.Sprintf("%s names %s as %s, a copy of the baseline's %s (the same SHA-256, %s…): they are one world here", s.File, v, key, bv, bs[:12]))
				}
			}
			for _, k := range keys {
				switch k {
				case "world":
					sameFile(k, b.World, s.World)
				case "travel_times":
					sameFile(k, b.TravelTimes, s.TravelTimes)
				case "start_year":
					diff(k, strconv.Itoa(b.StartYear), strconv.Itoa(s.StartYear), "")
				case "years":
					diff(k, strconv.Itoa(b.Years), strconv.Itoa(s.Years), "--years N")
				case "scale":
					diff(k, strconv.FormatFloat(b.Scale, 'g', -1, 64), strconv.FormatFloat(s.Scale, 'g', -1, 64), "--scale X")
				}
			}
		}
	}
	check(nil, "world", "travel_times")
	for si, e := range errs {
		if len(e) > 0 {
			bad[si] = true
		}
	}
	w, err := b.LoadWorld()
	if err != nil {
		return nil, errors.Join(err, failed())
	}
	// The worlds compared by their data: each loaded as its scenario
	// names it, its files kept for its runs' manifests.
	own := make([]*world.World, len(scenarios))
	for si := range scenarios {
		if !byData[si] || bad[si] {
			continue
		}
		s := scenarios[si]
		sw, err := world.Load(s.World, s.TravelTimes)
		if err != nil {
			errs[si] = append(errs[si], fmt.Errorf("%s: scenario.world = %q: %w", s.File, s.World, err))
			bad[si] = true
			continue
		}
		bv, v := worldText(b.World, b.TravelTimes), worldText(s.World, s.TravelTimes)
		if d := WorldDifference(w, sw); d != "" {
			e := &IncompatibleError{Baseline: b.File, File: s.File, Key: "world", BaselineValue: bv, Value: v, Contents: d}
			// The embedded one of the two, if one is, and whether the
			// user's files lack what it adds to its regions CSV.
			user, uw := s, sw
			switch {
			case !filepath.IsAbs(b.World):
				e.Embedded = b.World
			case !filepath.IsAbs(s.World):
				e.Embedded, user, uw = s.World, b, w
			}
			if x, ok := embeddedExtras[e.Embedded]; ok && x.lacks(user, uw) {
				e.Lacks = x.text
			}
			errs[si] = append(errs[si], e)
			bad[si] = true
			continue
		}
		own[si] = sw
		copies = append(copies, fmt.Sprintf("%s names world = %s, and the baseline %s world = %s: they load the same regions, travel times and national rates, so they are one world here (named %s in the report)",
			s.File, v, b.File, bv, w.Name))
	}
	for si := 1; si < len(scenarios); si++ {
		if bad[si] {
			continue
		}
		if err := scenarios[si].Resolve(w); err != nil {
			errs[si] = append(errs[si], err)
			bad[si] = true
		}
	}
	// After Resolve, which gives start_year the world's when the file
	// leaves it out and checks the interventions against the file's years
	// (a start_year it refused is not said twice). The years and the
	// scale do not depend on the world: every file's are checked.
	check(bad, "start_year")
	check(nil, "years", "scale")
	if err := failed(); err != nil {
		return nil, err
	}
	p := &Plan{Scenarios: scenarios, World: w, Replicates: opts.Replicates, Seed: b.Seed,
		StartYear: w.StartYear, Years: b.Years, Scale: b.Scale, Cmdline: opts.Cmdline}
	if b.StartYear != 0 {
		p.StartYear = b.StartYear
	}
	p.Notes = append(p.Notes, copies...)
	p.Warnings = slices.Clone(w.Warnings)
	// Each run's manifest names the files its own scenario names (a
	// copy's path), which settle run of that scenario reads.
	p.worldFiles = make([][]world.File, len(scenarios))
	for i, s := range scenarios {
		if own[i] != nil {
			// Its own world's files, with their hashes (none for an
			// embedded world without travel_times).
			p.worldFiles[i] = slices.Clone(own[i].Files)
			continue
		}
		files := slices.Clone(w.Files)
		for k := range files {
			switch files[k].Role {
			case world.RegionsFile:
				files[k].Path = s.World
			case world.TravelFile:
				files[k].Path = s.TravelTimes
			}
		}
		p.worldFiles[i] = files
	}
	seen := map[string]bool{} // a file given twice is noted once
	for _, s := range scenarios {
		if seen[s.File] {
			continue
		}
		seen[s.File] = true
		for _, n := range s.Late(p.StartYear, p.Years) {
			p.Notes = append(p.Notes, n+": it has no effect in this comparison")
		}
		// What settle validate and settle run warn about, as warnings.
		p.Warnings = append(p.Warnings, intervention.Implausible(s.Interventions, w)...)
		// A new link measured against travel times that have no ferries
		// (Norway's, all estimated): settle validate says so under its
		// times, and so does the comparison.
		if n := w.N(); w.EstimatedPairs == n*(n-1) {
			for _, sp := range s.Interventions {
				if sp.Kind == "region_enlargement" {
					p.Notes = append(p.Notes, fmt.Sprintf("%s (%s:%d) shortens travel times that %s estimates from the regions' centres as by road, with no ferries: where the link replaces a ferry, the time it saves is understated; give the real times with travel_times, or the link's own time as minutes",
						sp.Label(), sp.File, sp.Line, w.Name))
				}
			}
		}
	}
	if opts.Seed != nil {
		p.Seed = *opts.Seed
	} else {
		for _, s := range scenarios[1:] {
			if s.Seed != b.Seed {
				p.Notes = append(p.Notes, fmt.Sprintf("%s has seed = %d, the baseline %s seed = %d: every scenario runs with the seeds %s (common random numbers)",
					s.File, s.Seed, b.File, b.Seed, p.seedText()))
			}
		}
	}
	// The compared scenarios' names label the rows of deltas.csv, the
	// charts' titles and the report: two of one name were mixed up (the
	// second's chart overwrote the first's). The baseline may share its
	// name with one (a null comparison of a file with itself).
	//
	// Names that differ only in case are refused too. Their charts' and
	// runs' files are told apart (-2: chartFiles in sim/report,
	// runFolders), but deltas.csv and the other tables are read in
	// spreadsheets and databases that ignore case (Excel's filters and
	// pivot tables, most SQL collations): the rows of North and north are
	// one scenario there, their figures added up or mixed without a word.
	// Names that only become alike as file names (Ås and As, "a b" and
	// a-b) are distinct labels, and compared.
	key := strings.ToLower
	names := map[string]int{}
	for i, s := range scenarios {
		if i == 0 {
			continue
		}
		if j, ok := names[key(s.Name)]; ok {
			if scenarios[j].File == s.File {
				return nil, fmt.Errorf("%s is listed twice (as the %s and %s file); compare each scenario once", s.File, ordinal(j+1), ordinal(i+1))
			}
			if scenarios[j].Name != s.Name {
				return nil, fmt.Errorf("%s and %s are named %q and %q, which differ only in case: the name labels each scenario's rows in deltas.csv and the other tables, and spreadsheets and databases that ignore case (Excel's filters and pivot tables, for one) would take the two for one scenario and mix their rows; give one of them a name of its own in [scenario] (name = %q, say)",
					scenarios[j].File, s.File, scenarios[j].Name, s.Name, s.Name+"-2")
			}
			return nil, fmt.Errorf("%s and %s are both named %q: the name labels the rows of deltas.csv, the charts and the report; give each its own name in [scenario]", scenarios[j].File, s.File, s.Name)
		}
		names[key(s.Name)] = i
	}
	if j, ok := names[key(b.Name)]; ok {
		// Its kept runs go to runs/baseline-NAME-rK (RunName).
		p.sharedName = true
		switch {
		case scenarios[j].File == b.File:
		case scenarios[j].Name == b.Name:
			p.Notes = append(p.Notes, fmt.Sprintf("%s is named %q, as the baseline %s is: the report calls both by it", scenarios[j].File, b.Name, b.File))
		default:
			p.Notes = append(p.Notes, fmt.Sprintf("%s is named %q and the baseline %s %q: the report tells them apart by case only", scenarios[j].File, scenarios[j].Name, b.File, b.Name))
		}
	}
	// Each run's folder under --keep-runs is its own (a scenario named
	// baseline-NAME beside one sharing the baseline's NAME took the
	// baseline's folder after it had run): runFolders makes them so, and
	// this checks it before anything runs.
	p.runNames = runFolders(scenarios, p.sharedName)
	folders := map[string]int{}
	for i := range scenarios {
		f := strings.ToLower(p.RunName(i, 1))
		if j, ok := folders[f]; ok {
			return nil, fmt.Errorf("%s and %s would keep their runs in one folder, runs/%s: give one of them another name in [scenario]", scenarios[j].File, scenarios[i].File, p.RunName(i, 1))
		}
		folders[f] = i
	}
	var dropped [][]int
	p.Units, p.Focus, p.own, dropped = buildUnits(w, scenarios)
	p.targets = make([][]int, len(scenarios))
	for si := range scenarios {
		for _, f := range p.own[si] {
			p.targets[si] = append(p.targets[si], p.Focus[f])
		}
		p.targets[si] = append(p.targets[si], dropped[si]...)
	}
	for si, left := range dropped {
		if len(left) == 0 {
			continue
		}
		names := make([]string, len(left))
		for k, u := range left {
			names[k] = p.Units[u].Name
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s: the summary, report and charts cover %d of its target units; the other %d (%s) are in deltas.csv and attractiveness.csv",
			scenarios[si].Name, len(p.own[si]), len(left), strings.Join(names, "; ")))
	}
	p.Notes = append(p.Notes, p.smallUnits()...)
	return p, nil
}

// SmallUnit is the number of simulated persons below which a target unit
// is noted as too small to tell an effect from chance (smallUnits).
const SmallUnit = 1000

// smallUnits notes, in one line, the scenarios' target units with fewer
// than SmallUnit simulated persons at the start: their differences are a
// few simulated movers, whose chance moves the replicates' pairing does
// not remove after the first years (docs/compare.md); and the scale that
// would give each about SmallUnit.
func (p *Plan) smallUnits() []string {
	var small []string
	need := 0.0 // the scale the smallest needs
	seen := map[int]bool{}
	for si := 1; si < len(p.Scenarios); si++ {
		for _, f := range p.own[si] {
			u := p.Focus[f]
			unit := &p.Units[u]
			if seen[u] || (unit.Level != LevelRegion && unit.Level != LevelTarget) {
				continue
			}
			seen[u] = true
			pop := 0
			for _, r := range unit.Regions {
				pop += p.World.Regions[r].Population
			}
			sim := float64(pop) * p.Scale
			if pop == 0 || sim >= SmallUnit {
				continue
			}
			small = append(small, fmt.Sprintf("%s (%s)", unit.Name, output.Group(int64(sim+0.5))))
			need = max(need, SmallUnit/float64(pop))
		}
	}
	if len(small) == 0 {
		return nil
	}
	verb := "has"
	if len(small) > 1 {
		verb = "have"
	}
	list := phrase.And(small) + " " + verb
	note := fmt.Sprintf("%s fewer than %s simulated persons at scale %g (one for every %s residents): their differences are those of a few simulated movers, and chance can look like an effect",
		list, output.Group(SmallUnit), p.Scale, output.Group(int64(1/p.Scale+0.5)))
	if need <= 1 {
		// What the larger scale costs, which the note did not say: a run's
		// time grows about in proportion to its scale (its persons).
		scale := roundUp2(need)
		note += fmt.Sprintf("; --scale %s gives each about %s, and each run takes about %s times as long",
			strconv.FormatFloat(scale, 'g', 2, 64), output.Group(SmallUnit), timesText(scale/p.Scale))
	} else {
		note += "; even at scale 1 one has fewer: use more replicates"
	}
	return []string{note}
}

// roundUp2 rounds x up to two significant digits (0.0351 → 0.036).
func roundUp2(x float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Ceil(x/e-1e-9) * e
}

// timesText writes a factor as a rough figure: two significant digits
// under 10 (3.6, 9), whole numbers above (36, 120).
func timesText(x float64) string {
	if x >= 10 {
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

func (p *Plan) seedText() string {
	if p.Replicates == 1 {
		return strconv.FormatUint(p.Seed, 10)
	}
	return fmt.Sprintf("%d…%d", p.Seed, p.Seed+uint64(p.Replicates)-1)
}

// ScenarioFocus returns the focus units of scenario s (indices into Focus):
// the regions its interventions target, one by one when an intervention
// targets at most four, and each intervention's targets together; or the
// nation and the centrality classes when none targets regions. The
// baseline (0) has none.
func (p *Plan) ScenarioFocus(s int) []int { return p.own[s] }

// Runs returns the number of simulations the plan makes.
func (p *Plan) Runs() int { return p.Replicates * len(p.Scenarios) }

// RunOptions control Plan.Run.
type RunOptions struct {
	Workers int // goroutines per run; 0 = one per CPU. Never changes the results.
	// Progress, if not nil, is called after every simulated year with the
	// number of runs finished and the years done of the current run.
	Progress func(runsDone, year int)
	// RunsDir, if not empty, is a folder into which every run also writes
	// its own run folder (regions.csv, flows.csv … as settle run does):
	// RunsDir/<scenario>-r<replicate> (RunName: the name in ASCII,
	// baseline-<name>-r<k> for the baseline when a scenario has its name).
	RunsDir string
}

// Run is one simulation of a comparison.
type Run struct {
	Scenario  int // index in Plan.Scenarios
	Replicate int // 1-based
	Seed      uint64
	Dir       string // its run folder under RunsDir, or ""
	Manifest  output.Manifest
}

// RunName is the folder name of a run under the runs folder:
// runFolders' name of its scenario and -r<replicate>. It does not change
// p, so runs may ask for their names concurrently (a Plan not made by
// NewPlan names its runs anew on each call).
func (p *Plan) RunName(s, replicate int) string {
	names := p.runNames
	if names == nil {
		names = runFolders(p.Scenarios, p.sharedName)
	}
	return names[s] + "-r" + strconv.Itoa(replicate)
}

// runFolders names the scenarios' runs under the runs folder, as
// sim/report names their charts: FileName of the scenario's name, ASCII
// (runs/holmøy-bridge-r1 was the only file name of a comparison that kept
// ø, which zip tools, mail and shells garble and which may be spelt in two
// ways), the baseline's baseline-NAME when a scenario shares its name
// (sharedName: both wrote runs/NAME-r1). Names that come out alike in any
// case (Ås and As; North and north are one folder on macOS and Windows;
// a scenario named baseline-base beside the baseline-base above) get -2,
// -3 … in the order of the scenarios.
func runFolders(scenarios []*scenario.Scenario, sharedName bool) []string {
	seen := map[string]bool{}
	out := make([]string, len(scenarios))
	for i, s := range scenarios {
		name := output.ASCIIFileName(s.Name)
		if i == 0 && sharedName {
			name = "baseline-" + name
		}
		n := name
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = name + "-" + strconv.Itoa(k)
		}
		seen[strings.ToLower(n)] = true
		out[i] = n
	}
	return out
}

// Run simulates every scenario Replicates times, run after run, with all
// workers, and returns the aggregated figures. Replicate k of every
// scenario runs with seed Seed+k−1. Cost: Runs() simulations; memory holds
// two runs' tables and the accumulators, whatever the number of replicates.
// Ctrl-C (ctx) stops after the current year with ctx's error.
func (p *Plan) Run(ctx context.Context, opts RunOptions) (*Result, error) {
	start := time.Now()
	years := p.Years + 1
	nu, nf := len(p.Units), len(p.Focus)
	res := &Result{Plan: p, Start: start, YearList: make([]int, years)}
	for i := range res.YearList {
		res.YearList[i] = p.StartYear + i
	}
	ns := len(p.Scenarios)
	size := int(NumMetrics) * nu * years
	res.level = make([]*welford, ns)
	res.diff = make([]*welford, ns)
	res.flows = make([]*welford, ns)
	res.pyramids = make([]*welford, ns)
	res.models = make([][]Model, ns)
	res.totals = make([]*welford, ns)
	res.totalDiff = make([]*welford, ns)
	res.runFlows = make([]*welford, ns)
	res.runFlowDiff = make([]*welford, ns)
	res.cumDiff = make([]*welford, ns)
	cumSize := len(cumMetrics) * nu * years
	for s := range ns {
		res.level[s] = newWelford(size)
		res.diff[s] = newWelford(size)
		res.flows[s] = newWelford(nf * years * flowCells)
		res.pyramids[s] = newWelford(2 * nf * 2 * PyramidGroups)
		res.models[s] = make([]Model, years)
		res.totals[s] = newWelford(numTotals * nu)
		res.totalDiff[s] = newWelford(numTotals * nu)
		res.runFlows[s] = newWelford(nf * runFlowCells)
		res.runFlowDiff[s] = newWelford(nf * runFlowCells)
		res.cumDiff[s] = newWelford(cumSize)
	}
	obs := newObserver(p.Units, p.Focus, p.World.N(), years)
	base := newTable(nu, years, nf)
	baseTotals := make([]float64, numTotals*nu)
	totals := make([]float64, numTotals*nu)
	baseRunFlows := make([]float64, nf*runFlowCells)
	runFlows := make([]float64, nf*runFlowCells)
	baseCum := make([]float64, cumSize)
	cum := make([]float64, cumSize)
	done := 0
	for k := range p.Replicates {
		seed := p.Seed + uint64(k)
		for s, sc := range p.Scenarios {
			obs.reset()
			run, err := p.simulate(ctx, sc, s, k+1, seed, obs, opts, func(y int) {
				if opts.Progress != nil {
					opts.Progress(done, y)
				}
			})
			if err != nil {
				return nil, err
			}
			res.Runs = append(res.Runs, run)
			t := obs.t
			t.periodTotals(totals)
			t.runFlows(runFlows)
			t.cumulative(cum)
			res.level[s].add(t.vals)
			res.flows[s].add(t.flows)
			res.pyramids[s].add(t.pyramids)
			res.totals[s].add(totals)
			res.runFlows[s].add(runFlows)
			for i, m := range t.model {
				a := &res.models[s][i]
				a.Slope += m.Slope / float64(p.Replicates)
				a.Intercept += m.Intercept / float64(p.Replicates)
				a.R2 += m.R2 / float64(p.Replicates)
				a.Regions = m.Regions
			}
			if s == 0 {
				copy(base.vals, t.vals)
				copy(baseTotals, totals)
				copy(baseRunFlows, runFlows)
				copy(baseCum, cum)
			}
			res.diff[s].addDiff(t.vals, base.vals)
			res.totalDiff[s].addDiff(totals, baseTotals)
			res.runFlowDiff[s].addDiff(runFlows, baseRunFlows)
			res.cumDiff[s].addDiff(cum, baseCum)
			done++
			if opts.Progress != nil {
				opts.Progress(done, 0)
			}
		}
	}
	res.End = time.Now()
	return res, nil
}

// simulate runs one scenario with one seed into obs.
func (p *Plan) simulate(ctx context.Context, sc *scenario.Scenario, s, replicate int, seed uint64, obs *observer, opts RunOptions, progress func(year int)) (Run, error) {
	cfg := sc.Config(p.World)
	cfg.Seed = seed
	cfg.Scale = p.Scale
	cfg.Workers = opts.Workers
	run := Run{Scenario: s, Replicate: replicate, Seed: seed}
	started := time.Now()
	sim, err := engine.New(p.World, cfg)
	if err != nil {
		return run, fmt.Errorf("%s: %w", sc.File, err)
	}
	host, _ := os.Hostname()
	run.Manifest = output.Manifest{
		EngineVersion:      engine.Version,
		EngineBuild:        engine.Build(),
		EngineBinarySHA256: engine.BinarySHA256(),
		ScenarioFile:       sc.File,
		ScenarioSHA256:     sc.SHA256,
		ScenarioName:       sc.Name,
		World:              sc.World,
		WorldFiles:         p.worldFiles[s],
		Seed:               seed,
		Scale:              p.Scale,
		Workers:            sim.Workers(),
		StartYear:          p.StartYear,
		Projection:         sc.Projection,
		Years:              p.Years,
		StartTime:          started,
		// The settle run command that reproduces this run bit for bit.
		CommandLine: []string{"settle", "run", sc.File, "--seed", strconv.FormatUint(seed, 10),
			"--scale", strconv.FormatFloat(p.Scale, 'g', -1, 64), "--years", strconv.Itoa(p.Years)},
		GoVersion: runtime.Version(),
		Hostname:  host,
		// The command line's scenario path is relative to it.
		WorkingDir: workingDir(),
	}
	var out *output.Run
	if opts.RunsDir != "" {
		run.Dir = filepath.Join(opts.RunsDir, p.RunName(s, replicate))
		if out, err = output.Create(run.Dir, p.World, run.Manifest); err != nil {
			return run, err
		}
		if err := out.WriteScenario(sc.Text); err != nil {
			out.Close(err)
			return run, err
		}
	}
	write := func() error {
		if out == nil {
			return nil
		}
		return out.Write(sim.Observe())
	}
	step := func() error {
		rec := sim.Observe()
		obs.observe(rec, 0)
		obs.pyramid(sim.State(), false)
		if err := write(); err != nil {
			return err
		}
		for y := 1; y <= p.Years; y++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			obs.observe(sim.Step(), y)
			if err := write(); err != nil {
				return err
			}
			progress(y)
		}
		obs.pyramid(sim.State(), true)
		return nil
	}()
	if out != nil {
		if err := out.Close(step); err != nil && step == nil {
			step = err
		}
	}
	if step != nil {
		return run, step
	}
	run.Manifest.EndTime = time.Now()
	run.Manifest.YearsCompleted = p.Years
	run.Manifest.LastYear = p.StartYear + p.Years
	run.Manifest.Complete = true
	return run, nil
}

// Period totals of the flow metrics per unit, for attractiveness.csv.
const (
	totalNetDomestic = iota
	totalExplained
	totalAttractiveness
	numTotals
)

var totalMetrics = [numTotals]Metric{NetDomestic, ExplainedByJobs, Attractiveness}

// periodTotals sums the flow metrics of every unit over the run's years.
func (t *table) periodTotals(out []float64) {
	for k, m := range totalMetrics {
		for u := range t.units {
			s := 0.0
			for y := range t.years {
				s += *t.at(m, u, y)
			}
			out[k*t.units+u] = s
		}
	}
}

// cumMetrics are the flow metrics whose sums from the start are kept per
// replicate (Result.CumulativeDelta), and cumIndex each metric's place
// among them (−1 for a stock).
var cumMetrics, cumIndex = func() ([]Metric, [NumMetrics]int) {
	var ms []Metric
	var idx [NumMetrics]int
	for m := range NumMetrics {
		idx[m] = -1
		if m.Flow() {
			idx[m] = len(ms)
			ms = append(ms, m)
		}
	}
	return ms, idx
}()

// cumulative writes into out ([cumMetrics][unit][year]) each flow metric
// of every unit summed over the years up to and including each year (the
// start row's flows are zero).
func (t *table) cumulative(out []float64) {
	for k, m := range cumMetrics {
		for u := range t.units {
			o := out[(k*t.units+u)*t.years:]
			s := 0.0
			for y := range t.years {
				s += *t.at(m, u, y)
				o[y] = s
			}
		}
	}
}

// flowCells is the number of age group × motive cells of a unit's year.
const flowCells = record.NumAgeGroups * record.NumMotives

// runFlowCells is the number of a unit's cells of net moves over the run:
// by age group and all ages together (AllAges), each by motive and all
// motives together (AllMotives).
const runFlowCells = (record.NumAgeGroups + 1) * (record.NumMotives + 1)

// AllAges and AllMotives, as the age group and motive of FlowDelta, sum
// the age groups and the motives.
const (
	AllAges    = record.NumAgeGroups
	AllMotives = record.NumMotives
)

// runFlows sums each focus unit's net moves by age group and motive over
// the run's years into out (focus × age group or AllAges × motive or
// AllMotives). The sums are kept per replicate, so that their intervals
// account for how the age groups and motives vary together.
func (t *table) runFlows(out []float64) {
	clear(out)
	const row = record.NumMotives + 1
	for f := range len(t.flows) / (t.years * flowCells) {
		o := out[f*runFlowCells : (f+1)*runFlowCells]
		for y := 1; y < t.years; y++ {
			in := t.flows[(f*t.years+y)*flowCells:]
			for g := range record.NumAgeGroups {
				for m := range record.NumMotives {
					v := in[g*record.NumMotives+m]
					o[g*row+m] += v
					o[g*row+AllMotives] += v
					o[AllAges*row+m] += v
					o[AllAges*row+AllMotives] += v
				}
			}
		}
	}
}

// tQuantile returns the 95th percentile of Student's t with n−1 degrees of
// freedom, for the two-sided 90 % interval of a mean of n values.
func tQuantile(n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.95)
}

// ordinal writes n as 1st, 2nd, 3rd, 4th … (11th to 13th included).
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// keyLine returns the line of the key path ("scenario.years") in s's
// file, or 0 when the file does not set it.
func keyLine(s *scenario.Scenario, path string) int {
	return tomlpos.ScanLines(s.Text)[path]
}

// fileSHA256 returns the hex SHA-256 of the file at path, as world.File
// records it, remembering it in seen.
func fileSHA256(seen map[string]string, path string) (string, error) {
	if h, ok := seen[path]; ok {
		return h, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	seen[path] = world.SHA256Hex(data)
	return seen[path], nil
}

// workingDir is the folder the process runs in ("" when unknown).
func workingDir() string {
	wd, _ := os.Getwd()
	return wd
}

// worldText writes a scenario's world and travel times as its file gives
// them: "teaching", or "/data/regions.csv" with travel_times =
// "/data/travel.csv".
func worldText(w, travel string) string {
	if travel == "" {
		return strconv.Quote(w)
	}
	return fmt.Sprintf("%q with travel_times = %q", w, travel)
}

// regionsDiffer names the regions of a that b lacks and those b adds, by
// code, five of each at most: " (without Utsira (1151), Stord (4614) and
// Fitjar (4615); with Stord-Fitjar (4690))", " (without A (1), B (2), C
// (3), D (4), E (5) and 2 others)", or "".
func regionsDiffer(a, b *world.World) string {
	codes := func(w *world.World) map[string]bool {
		m := make(map[string]bool, w.N())
		for i := range w.Regions {
			m[w.Regions[i].Code] = true
		}
		return m
	}
	ca, cb := codes(a), codes(b)
	list := func(w *world.World, other map[string]bool) string {
		var names []string
		for i := range w.Regions {
			if r := &w.Regions[i]; !other[r.Code] {
				names = append(names, fmt.Sprintf("%s (%s)", r.Name, r.Code))
			}
		}
		const show = 5
		if len(names) > show {
			return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d other%s", len(names)-show, map[bool]string{true: "s"}[len(names)-show > 1])
		}
		return phrase.And(names)
	}
	var parts []string
	if l := list(a, cb); l != "" {
		parts = append(parts, "without "+l)
	}
	if l := list(b, ca); l != "" {
		parts = append(parts, "with "+l)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// WorldDifference says what differs between the data of the worlds a and
// b that a simulation reads (start year, regions, travel times, national
// rates), the first difference of each in b against a, or "" when nothing
// does. Their names, sources and files are not compared: the worlds are
// the same to the engine when the rest is. The regions' data and the
// travel times are said first, then the attributes synthesised from them
// (a regions file without the travel times of an embedded world differs
// in both, the cause being the travel times).
func WorldDifference(a, b *world.World) string {
	if a.StartYear != b.StartYear {
		return fmt.Sprintf("the start year is %d against %d", b.StartYear, a.StartYear)
	}
	if a.N() != b.N() {
		return fmt.Sprintf("it has %d regions against %d%s", b.N(), a.N(), regionsDiffer(a, b))
	}
	// first keeps the first of what differs and counts the rest.
	type first struct {
		text string
		n    int
	}
	add := func(f *first, text string) {
		if f.n == 0 {
			f.text = text
		}
		f.n++
	}
	var data, synth, minutes first
	for i := range a.Regions {
		ra, rb := &a.Regions[i], &b.Regions[i]
		what := ""
		switch {
		case ra.Code != rb.Code || ra.Name != rb.Name:
			what = fmt.Sprintf("%s (%s) against %s (%s)", rb.Name, rb.Code, ra.Name, ra.Code)
		case ra.Population != rb.Population:
			what = fmt.Sprintf("population %s against %s", output.Group(int64(rb.Population)), output.Group(int64(ra.Population)))
		case ra.StudyPlaces != rb.StudyPlaces:
			what = fmt.Sprintf("study places %s against %s", output.Group(int64(rb.StudyPlaces)), output.Group(int64(ra.StudyPlaces)))
		case ra.Lat != rb.Lat || ra.Lon != rb.Lon:
			what = fmt.Sprintf("position %g, %g against %g, %g", rb.Lat, rb.Lon, ra.Lat, ra.Lon)
		case ra.Centrality != rb.Centrality || ra.CentralityIndex != rb.CentralityIndex:
			what = fmt.Sprintf("centrality class %d (index %g) against %d (%g)", rb.Centrality, rb.CentralityIndex, ra.Centrality, ra.CentralityIndex)
		case ra.County != rb.County || ra.CountyCode != rb.CountyCode || ra.AdminCentre != rb.AdminCentre:
			what = fmt.Sprintf("county %q, administrative centre %q against %q, %q", rb.County, rb.AdminCentre, ra.County, ra.AdminCentre)
		case ra.AreaKm2 != rb.AreaKm2:
			what = fmt.Sprintf("area %g km² against %g", rb.AreaKm2, ra.AreaKm2)
		case !reflect.DeepEqual(*ra, *rb):
			add(&synth, ra.Name)
			continue
		default:
			continue
		}
		add(&data, ra.Name+"'s "+what)
	}
	if len(a.Minutes) == len(b.Minutes) {
		n := a.N()
		for k := range a.Minutes {
			if a.Minutes[k] != b.Minutes[k] {
				add(&minutes, fmt.Sprintf("%s to %s takes %.0f minutes against %.0f", a.Regions[k/n].Name, a.Regions[k%n].Name, b.Minutes[k], a.Minutes[k]))
			}
		}
	} else {
		add(&minutes, "its matrix has another size")
	}
	more := func(f first, noun string) string {
		if f.n > 1 {
			return fmt.Sprintf("%s (and %d other %s)", f.text, f.n-1, noun)
		}
		return f.text
	}
	var out []string
	if data.n > 0 {
		out = append(out, "region data: "+more(data, "regions"))
	}
	if minutes.n > 0 {
		out = append(out, "travel times: "+more(minutes, "ordered pairs"))
	}
	switch {
	case synth.n > 0 && len(out) > 0:
		out = append(out, fmt.Sprintf("and so the attributes synthesised from them (centrality, prices, jobs, amenities …) of %d regions", synth.n))
	case synth.n > 0:
		out = append(out, "the attributes synthesised for "+more(synth, "regions")+" (centrality, prices, jobs, amenities …)")
	}
	if !reflect.DeepEqual(a.Rates, b.Rates) {
		out = append(out, "the national rates")
	}
	return strings.Join(out, "; ")
}
