package compare

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
)

// File names written by Result.Write.
const (
	DeltasFile          = "deltas.csv"
	KeyYearFile         = "key_year.csv"
	AttractivenessFile  = "attractiveness.csv"
	AttractModelFile    = "attractiveness_model.csv"
	FlowsFile           = "flows_by_age_motive.csv"
	PyramidsFile        = "pyramids.csv"
	ManifestFile        = "compare.json"
	IntervalDescription = "90 % t-interval of the mean of the paired differences across replicates: mean ± t(0.95, n−1)·max(sd, 1/scale)/√n, a count's spread taken as at least one simulated person (0 to 0 where every pair of runs is alike; the price index and the attractiveness decomposition's explained part and attractiveness: mean ± t(0.95, n−1)·sd/√n)"
)

// DeltasHeader is the header of deltas.csv.
var DeltasHeader = []string{"scenario", "level", "code", "name", "year", "metric",
	"baseline_mean", "scenario_mean", "difference", "diff_lo90", "diff_hi90", "diff_sd", "replicates"}

// The headers of the other tables (docs/compare.md gives each, and a test
// checks it). A difference's 90 % interval is diff_lo90 and diff_hi90 in
// every file: flows_by_age_motive.csv called it difference_lo and
// difference_hi, and a script that read one file's interval failed on
// the other's.
var (
	attractivenessHeader = []string{"scenario", "level", "code", "name", "from_year", "to_year", "net_domestic", "explained_by_jobs",
		"attractiveness", "attractiveness_difference", "diff_lo90", "diff_hi90"}
	modelHeader = []string{"scenario", "year", "slope", "intercept", "r2", "regions", "replicates"}
	flowsHeader = []string{"scenario", "level", "code", "name", "from_year", "to_year", "age_group", "motive",
		"baseline_net_moves", "scenario_net_moves", "difference", "diff_lo90", "diff_hi90"}
	pyramidsHeader = []string{"scenario", "level", "code", "name", "year", "sex", "age_group", "residents"}
)

// Write writes the tables and compare.json into dir, which must exist, with
// the last year as the key year of key_year.csv. Each file is written under
// a temporary name and renamed when complete.
func (r *Result) Write(dir string) error { return r.WriteContext(context.Background(), dir, 0) }

// WriteContext is Write with the key year year (0: the last; the report's,
// settle compare --year) that stops before the next file once ctx is done
// (Ctrl-C), with ctx's error: the files written so far are complete, the
// others not begun.
func (r *Result) WriteContext(ctx context.Context, dir string, year int) error {
	if year == 0 {
		year = r.LastYear()
	}
	yi := r.YearIndex(year)
	if yi < 0 {
		return fmt.Errorf("compare: key year %d is outside the comparison's years %d–%d", year, r.YearList[0], r.LastYear())
	}
	writeKeyYear := func(dir string) error { return r.writeDeltaRows(filepath.Join(dir, KeyYearFile), yi, yi+1) }
	for _, f := range []func(string) error{r.writeDeltas, writeKeyYear, r.writeAttractiveness, r.writeModels, r.writeFlows, r.writePyramids, r.writeManifest} {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f(dir); err != nil {
			return err
		}
	}
	return nil
}

// num formats x with dec decimals; NaN is an empty cell and −0 is 0.
func num(x float64, dec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if s[0] == '-' {
		zero := true
		for _, c := range s[1:] {
			if c != '0' && c != '.' {
				zero = false
				break
			}
		}
		if zero {
			s = s[1:]
		}
	}
	return s
}

// Num formats x as in the tables with the decimals of metric m.
func Num(x float64, m Metric) string { return num(x, m.Decimals()) }

func (r *Result) writeDeltas(dir string) error {
	return r.writeDeltaRows(filepath.Join(dir, DeltasFile), 0, len(r.YearList))
}

// writeDeltaRows writes the rows of deltas.csv of the year indices [from,
// to) to path: all of them (deltas.csv), or those of the key year
// (key_year.csv: every unit and metric in about 12,000 rows a scenario for
// Norway, where deltas.csv has about 365,000 and three scenarios' rows
// are more than a spreadsheet opens).
func (r *Result) writeDeltaRows(path string, from, to int) error {
	return writeTable(path, DeltasHeader, func(row func(...string) error) error {
		for s := 1; s < len(r.Plan.Scenarios); s++ {
			name := r.Plan.Scenarios[s].Name
			for u := range r.Plan.Units {
				if !r.Plan.Shows(s, u) {
					continue
				}
				unit := &r.Plan.Units[u]
				for m := range NumMetrics {
					dec := m.Decimals()
					for yi := from; yi < to; yi++ {
						year := r.YearList[yi]
						d := r.Delta(s, u, m, yi)
						if err := row(name, unit.Level, unit.Code, unit.Name, strconv.Itoa(year), MetricNames[m],
							num(d.Baseline, dec), num(d.Scenario, dec), num(d.Difference, dec),
							num(d.Lo, dec), num(d.Hi, dec), num(d.SD, dec), strconv.Itoa(d.Replicates)); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
}

func (r *Result) writeAttractiveness(dir string) error {
	from, to := strconv.Itoa(r.YearList[min(1, len(r.YearList)-1)]), strconv.Itoa(r.LastYear())
	return writeTable(filepath.Join(dir, AttractivenessFile), attractivenessHeader, func(row func(...string) error) error {
		for s, sc := range r.Plan.Scenarios {
			for u := range r.Plan.Units {
				if !r.Plan.Shows(s, u) {
					continue
				}
				unit := &r.Plan.Units[u]
				d := r.Decomposition(s, u)
				diff, lo, hi := "", "", ""
				if s > 0 {
					dd := r.DecompositionDelta(s, u, Attractiveness)
					diff, lo, hi = num(dd.Difference, 1), num(dd.Lo, 1), num(dd.Hi, 1)
				}
				if err := row(sc.Name, unit.Level, unit.Code, unit.Name, from, to,
					num(d.NetDomestic, 1), num(d.Explained, 1), num(d.Attractiveness, 1), diff, lo, hi); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (r *Result) writeModels(dir string) error {
	return writeTable(filepath.Join(dir, AttractModelFile), modelHeader, func(row func(...string) error) error {
		for s, sc := range r.Plan.Scenarios {
			for yi := 1; yi < len(r.YearList); yi++ {
				m := r.models[s][yi]
				if err := row(sc.Name, strconv.Itoa(r.YearList[yi]), num(m.Slope, 4), num(m.Intercept, 4), num(m.R2, 4),
					strconv.Itoa(m.Regions), strconv.Itoa(r.Plan.Replicates)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (r *Result) writeFlows(dir string) error {
	yi := len(r.YearList) - 1
	from, to := strconv.Itoa(r.YearList[min(1, yi)]), strconv.Itoa(r.LastYear())
	return writeTable(filepath.Join(dir, FlowsFile), flowsHeader, func(row func(...string) error) error {
		for s := 1; s < len(r.Plan.Scenarios); s++ {
			for _, f := range r.Plan.ScenarioFocus(s) {
				unit := &r.Plan.Units[r.Plan.Focus[f]]
				// Each age group's motives and their total, then every
				// age's: the report's table, totals and all, whose
				// sentence sends the reader here for the intervals.
				for g := 0; g <= AllAges; g++ {
					for m := 0; m <= AllMotives; m++ {
						d := r.FlowDelta(s, f, g, m)
						if err := row(r.Plan.Scenarios[s].Name, unit.Level, unit.Code, unit.Name, from, to,
							FlowAgeName(g), FlowMotiveName(m), num(d.Baseline, 1), num(d.Scenario, 1), num(d.Difference, 1),
							num(d.Lo, 1), num(d.Hi, 1)); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
}

// AllFlows names the total over the age groups or the motives in
// flows_by_age_motive.csv's age_group and motive columns.
const AllFlows = "all"

// FlowAgeName is age group g as flows_by_age_motive.csv writes it: as
// flows.csv ("0-17" … "67+"), AllFlows for AllAges.
func FlowAgeName(g int) string {
	if g == AllAges {
		return AllFlows
	}
	return record.AgeGroupNames[g]
}

// FlowMotiveName is motive m as flows_by_age_motive.csv writes it: as
// flows.csv ("study" … "amenity"), AllFlows for AllMotives.
func FlowMotiveName(m int) string {
	if m == AllMotives {
		return AllFlows
	}
	return record.MotiveNames[m]
}

func (r *Result) writePyramids(dir string) error {
	years := [2]int{r.YearList[0], r.LastYear()}
	return writeTable(filepath.Join(dir, PyramidsFile), pyramidsHeader, func(row func(...string) error) error {
		for s, sc := range r.Plan.Scenarios {
			for f, u := range r.Plan.Focus {
				if !r.Plan.Shows(s, u) {
					continue
				}
				unit := &r.Plan.Units[u]
				for e, end := range []bool{false, true} {
					p := r.Pyramid(s, f, end)
					for sx, sex := range []string{"f", "m"} {
						for g := range PyramidGroups {
							if err := row(sc.Name, unit.Level, unit.Code, unit.Name, strconv.Itoa(years[e]), sex,
								PyramidGroupName(g), num(p[sx][g], 1)); err != nil {
								return err
							}
						}
					}
				}
			}
		}
		return nil
	})
}

// ManifestScenario describes a compared scenario in compare.json.
type ManifestScenario struct {
	Role   string `json:"role"` // baseline or scenario
	Name   string `json:"name"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Text is the file's text: the interventions and parameters compared,
	// readable without the file (whose SHA-256 is above).
	Text string `json:"text"`
}

// ManifestRun is one run in compare.json.
type ManifestRun struct {
	Scenario  string          `json:"scenario"`
	Replicate int             `json:"replicate"`
	Seed      uint64          `json:"seed"`
	Dir       string          `json:"dir,omitempty"` // its run folder, when the runs were kept
	Manifest  output.Manifest `json:"manifest"`
}

// Manifest is compare.json: what was compared and how, and the manifest of
// every run, each enough to reproduce that run bit for bit with settle run.
type Manifest struct {
	EngineVersion string `json:"engine_version"`
	EngineBuild   string `json:"engine_build,omitempty"` // engine.Build
	// WorkingDir is the folder the comparison ran in: the scenario files
	// and the runs' command lines are relative to it.
	WorkingDir  string             `json:"working_dir,omitempty"`
	CommandLine []string           `json:"command_line"`
	World       string             `json:"world"`
	StartYear   int                `json:"start_year"`
	Years       int                `json:"years"`
	Scale       float64            `json:"scale"`
	Replicates  int                `json:"replicates"`
	Seeds       []uint64           `json:"seeds"`
	Interval    string             `json:"interval"`
	StartTime   time.Time          `json:"start_time"`
	EndTime     time.Time          `json:"end_time"`
	Scenarios   []ManifestScenario `json:"scenarios"`
	Runs        []ManifestRun      `json:"runs"`
}

// Manifest returns what compare.json holds.
func (r *Result) Manifest() Manifest {
	p := r.Plan
	m := Manifest{EngineVersion: engine.Version, EngineBuild: engine.Build(), CommandLine: p.Cmdline, World: p.World.Name, StartYear: p.StartYear,
		Years: p.Years, Scale: p.Scale, Replicates: p.Replicates, Interval: IntervalDescription,
		StartTime: r.Start, EndTime: r.End}
	m.WorkingDir = workingDir()
	for k := range p.Replicates {
		m.Seeds = append(m.Seeds, p.Seed+uint64(k))
	}
	for i, s := range p.Scenarios {
		role := "scenario"
		if i == 0 {
			role = "baseline"
		}
		m.Scenarios = append(m.Scenarios, ManifestScenario{role, s.Name, s.File, s.SHA256, s.Text})
	}
	for _, run := range r.Runs {
		m.Runs = append(m.Runs, ManifestRun{p.Scenarios[run.Scenario].Name, run.Replicate, run.Seed, run.Dir, run.Manifest})
	}
	return m
}

func (r *Result) writeManifest(dir string) error {
	b, err := json.MarshalIndent(r.Manifest(), "", "  ")
	if err != nil {
		return err
	}
	return output.WriteData(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// writeTable writes a CSV file through output.WriteFile.
func writeTable(path string, header []string, rows func(row func(...string) error) error) error {
	return output.WriteFile(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		err := cw.Write(header)
		if err == nil {
			err = rows(func(rec ...string) error { return cw.Write(rec) })
		}
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		return err
	})
}
