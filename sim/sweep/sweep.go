// Package sweep runs parameter sweeps: many simulations of one base
// scenario with some of its values varied (behaviour parameters,
// intervention parameters, the scale, the years), each measured
// by a few metrics, written as one tidy table. The sweep file format and
// the metric language are documented in docs/sweeps.md.
//
// Start with Load, which reads a sweep file, its base scenario and world,
// expands the design into points and checks every point before anything
// runs; then Run, which runs the points' replicates side by side (each a
// single-threaded engine, so memory grows with the workers, not with the
// runs) and writes runs.csv and runs.parquet:
//
//	sw, err := sweep.Load("scenarios/sweeps/teaching-levers.toml")
//	res, err := sweep.Run(ctx, sw, sweep.Options{Dir: "results/sweep", Workers: 2})
//
// A sweep can be cut into shards (Options.Shard) that run on different
// machines, for example as a Slurm job array; Merge joins their folders
// into the same bytes a single machine writes.
//
// Seeds: replicate r of every point runs with seed s+r, where s is the
// sweep's seed ([sweep] seed; the seed is no [[parameter]]). The same replicate
// thus uses the same random numbers at every point (common random numbers):
// differences between points are the parameters', not the seed's. A run is
// reproduced by settle run with the base scenario, the point's values and
// --seed s+r.
package sweep

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/sweep/design"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/tomlpos"
	"github.com/settle-sim/settle/sim/world"
)

// Designs a sweep file may name.
const (
	Grid           = "grid"
	LatinHypercube = "latin_hypercube"
	Sobol          = "sobol"
)

// Designs lists the designs in the order the docs give them.
var Designs = []string{Grid, LatinHypercube, Sobol}

// Limits of a sweep.
const (
	MaxPoints     = 1_000_000
	MaxRuns       = 10_000_000
	MaxReplicates = 10_000
)

// Sweep is a loaded, checked sweep file: its base scenario and world, its
// parameters, metrics and points. It is read-only once Load returns and safe
// for concurrent use.
type Sweep struct {
	File   string // the path as given to Load
	SHA256 string // hex SHA-256 of the file's bytes
	Name   string // letters, digits, - and _: names the results folder

	Design     string // one of Designs
	Samples    int    // latin_hypercube: points; sobol: base samples N (points N·(k+2)); grid: 0
	Replicates int    // runs per point, each with its own seed
	Seed       uint64 // base seed of the runs and the seed of the design's sampling

	Params  []Param  // in file order
	Metrics []Metric // expanded, in file order
	Points  []Point

	Scenario *scenario.Scenario // the base scenario, resolved against World
	World    *world.World
	// worldData are the bytes of World's user files as read, for the
	// copies in the sweep's folder (output.WorldData).
	worldData *output.WorldData

	// Overrides are the values given beside the file (LoadWith).
	Overrides Overrides

	base engine.Config
	data []byte // the file's bytes (SHA256's), copied into the sweep's folder
}

// Param is one [[parameter]] entry.
type Param struct {
	Path string // as written: behaviour.move_scale, intervention.Rogfast.travel_time_factor, scale …
	Line int    // line of its values or range
	// Values is the list given (List), or the one fixed value.
	Values []float64
	List   bool
	// Range: values from Min to Max; a grid takes Steps evenly spaced ones
	// (Min and Max included), other designs sample the interval.
	Range    bool
	Min, Max float64
	Steps    int
	// Integer parameters (years, an intervention's whole-number
	// parameters and years) only take whole values.
	Integer bool

	key    string // parameter[n]
	target target
	flag   string // the flag that set its value (--scale, --years), or ""
}

// Varies reports whether the parameter takes more than one value.
func (p *Param) Varies() bool { return p.Range || (p.List && len(p.Values) > 1) }

// at maps u in [0,1) onto the parameter: a range linearly (whole numbers
// uniformly for an integer range), a list by taking one of its values,
// each with the same probability.
func (p *Param) at(u float64) float64 {
	switch {
	case p.List:
		return p.Values[min(int(u*float64(len(p.Values))), len(p.Values)-1)]
	case p.Integer:
		return min(math.Floor(p.Min+float64(u*(p.Max-p.Min+1))), p.Max)
	}
	// float64(): the product rounded before the sum, so that no platform
	// fuses them (arm64's FMADD) and a point is the same bits everywhere.
	return p.Min + float64(u*(p.Max-p.Min))
}

// levels returns a grid's values of the parameter.
func (p *Param) levels() []float64 {
	if !p.Range {
		return p.Values
	}
	out := make([]float64, p.Steps)
	for i := range out {
		out[i] = p.Min + (p.Max-p.Min)*float64(i)/float64(p.Steps-1)
		if p.Integer {
			out[i] = math.Round(out[i])
		} else {
			// 0.1 + 0.6·3/4 is 0.5499999999999999 in floating point:
			// run and write the 0.55 meant.
			out[i] = roundDigits(out[i])
		}
	}
	// The ends as given (the first level is Min exactly, as the last
	// is Max), whatever their digits.
	out[0], out[p.Steps-1] = p.Min, p.Max
	return out
}

// Kinds of target.
const (
	tBehaviour = iota
	tIntervention
	tScale
	tYears
)

// target is what a parameter path addresses.
type target struct {
	kind int
	name string // the behaviour parameter, or the intervention's key
	iv   int    // the intervention's index in the scenario
}

// Point is one combination of the parameters' values.
type Point struct {
	Index int
	// Block is the point's matrix in a sobol design: A, B, AB1 …; "" otherwise.
	Block  string
	Values []float64 // one per Param
}

// Runs returns the number of runs: points × replicates.
func (sw *Sweep) Runs() int { return len(sw.Points) * sw.Replicates }

// Job is one run of a sweep: run id = point·replicates + replicate.
type Job struct {
	ID, Point, Replicate int
	Seed                 uint64
	Years                int
	Config               engine.Config // Workers 0: the caller decides
}

// Job returns the run with id id (0 ≤ id < Runs()).
func (sw *Sweep) Job(id int) Job {
	pt, rep := id/sw.Replicates, id%sw.Replicates
	cfg, years, _ := sw.apply(sw.Points[pt].Values)
	cfg.Seed += uint64(rep)
	return Job{ID: id, Point: pt, Replicate: rep, Seed: cfg.Seed, Years: years, Config: cfg}
}

// VaryingParams returns the indices of the parameters that vary.
func (sw *Sweep) VaryingParams() []int {
	var out []int
	for i := range sw.Params {
		if sw.Params[i].Varies() {
			out = append(out, i)
		}
	}
	return out
}

// Load reads and checks the sweep file at path (see Parse).
func Load(path string) (*Sweep, error) { return LoadWith(path, Overrides{}) }

// LoadWith is Load with o replacing values of the file.
func LoadWith(path string, o Overrides) (*Sweep, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check the path of the sweep file", path, err)
	}
	return ParseWith(path, data, o)
}

// Overrides replace values of a sweep file, for a trial of a smaller
// sweep, as settle sweep's --scale, --years and --replicates do; zero
// keeps the file's. Scale and Years fix the parameter of that path (it
// must not vary in the file) or add it as a fixed one. The manifest
// records them, and a sweep is resumed or merged only with the same.
type Overrides struct {
	Scale      float64 `json:"scale,omitempty"`
	Years      int     `json:"years,omitempty"`
	Replicates int     `json:"replicates,omitempty"`
}

// IsZero reports whether o replaces nothing.
func (o Overrides) IsZero() bool { return o == Overrides{} }

// Flags gives o as the flags of settle sweep that set it.
func (o Overrides) Flags() []string {
	var f []string
	if o.Scale != 0 {
		f = append(f, "--scale", FormatValue(o.Scale))
	}
	if o.Years != 0 {
		f = append(f, "--years", strconv.Itoa(o.Years))
	}
	if o.Replicates != 0 {
		f = append(f, "--replicates", strconv.Itoa(o.Replicates))
	}
	return f
}

// String gives o as its flags ("none" for none).
func (o Overrides) String() string {
	if o.IsZero() {
		return "none"
	}
	return strings.Join(o.Flags(), " ")
}

// with says how a sweep ran with o: "without overrides", or "with
// --scale 0.04 --replicates 1".
func (o Overrides) with() string {
	if o.IsZero() {
		return "without overrides"
	}
	return "with " + o.String()
}

// override applies o (see Overrides) after the file's [sweep] table and
// parameters are read.
func (sw *Sweep) override(p *problems, o Overrides) {
	sw.Overrides = o
	if o.Replicates != 0 {
		if o.Replicates < 1 || o.Replicates > MaxReplicates {
			p.AddAt(0, "--replicates", "%d replicates; give a whole number from 1 to %d", o.Replicates, MaxReplicates)
		} else {
			sw.Replicates = o.Replicates
		}
	}
	set := func(flag string, kind int, x float64, path string, integer bool) {
		for i := range sw.Params {
			pr := &sw.Params[i]
			if pr.target.kind != kind {
				continue
			}
			if pr.Varies() {
				p.AddAt(pr.Line, pr.key+".path", "the sweep varies %s, which %s would fix: leave out %s, or give %s one value here", pr.Path, flag, flag, pr.Path)
				return
			}
			pr.Values, pr.List, pr.Range, pr.flag = []float64{x}, false, false, flag
			return
		}
		sw.Params = append(sw.Params, Param{Path: path, Values: []float64{x}, Integer: integer, key: flag, target: target{kind: kind}, flag: flag})
	}
	if o.Scale != 0 {
		set("--scale", tScale, o.Scale, "scale", false)
	}
	if o.Years != 0 {
		set("--years", tYears, float64(o.Years), "years", true)
	}
}

// problems collects the errors of a sweep file (tomlpos.Problems): one
// FILE:LINE: KEY: what is wrong; the fix, a line each. The line says which
// element of a list: values[2] is shown as values, but parameter[2] keeps
// its number.
type problems = tomlpos.Problems

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// sweepKeys are the keys of [sweep].
var sweepKeys = []string{"name", "description", "scenario", "design", "samples", "replicates", "seed"}

// paramKeys are the keys of a [[parameter]] entry.
var paramKeys = []string{"path", "values", "range", "steps"}

// Parse parses data as the sweep file named file, loads its base scenario
// (a path relative to file) and world, expands the design into points and
// checks every point: a value a point would give that the scenario does
// not accept is an error naming the sweep file, the line and the
// parameter. It returns scenario.Errors listing every problem found.
func Parse(file string, data []byte) (*Sweep, error) { return ParseWith(file, data, Overrides{}) }

// ParseWith is Parse with o replacing values of the file (Overrides).
func ParseWith(file string, data []byte, o Overrides) (*Sweep, error) {
	sw := &Sweep{File: file, SHA256: world.SHA256Hex(data), Design: Grid, Replicates: 1, data: slices.Clone(data)}
	// A file saved as Latin-1 or UTF-16 is named as such, with the fix.
	if e := tomlpos.CheckUTF8(data); e != nil {
		return nil, scenario.Errors{{File: file, Line: e.Line, Key: "toml", Msg: e.Error()}}
	}
	var doc map[string]any
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) && strings.Contains(pe.Message, "has already been defined") && pe.LastKey != "" {
			line, _ := tomlpos.Of(pe, data)
			return nil, scenario.Errors{{File: file, Line: line, Key: tomlpos.Numbered(data, line, pe.LastKey), Msg: "the key is set twice in its table; remove one of them"}}
		}
		// The scenario's report: the line, the key and the fix of the
		// commonest mistakes, with the line and a caret.
		var e *scenario.Error
		if !errors.As(scenario.SyntaxError(file, data, err), &e) {
			e = &scenario.Error{File: file, Line: 1, Key: "toml", Msg: err.Error() + "; fix the TOML syntax"}
		}
		return nil, scenario.Errors{e}
	}
	p := &problems{File: file, Lines: tomlpos.ScanLines(string(data)), NoLine: 1, Tables: []string{"parameter"}}
	for _, key := range sortedKeys(doc) {
		if !slices.Contains([]string{"sweep", "parameter", "metrics"}, key) {
			msg := fmt.Sprintf("unknown key %q; a sweep file has a [sweep] table, [[parameter]] entries and a [metrics] table", key)
			if s := params.Suggest(key, []string{"sweep", "parameter", "metrics"}); s != "" {
				msg = fmt.Sprintf("unknown key %q; did you mean %q?", key, s)
			} else if slices.Contains(sweepKeys, key) {
				msg = fmt.Sprintf("%s belongs in the [sweep] table; move it below [sweep]", key)
			}
			p.Add(key, "%s", msg)
		}
	}
	tbl, ok := doc["sweep"].(map[string]any)
	if !ok {
		p.AddAt(1, "sweep", "missing [sweep] table; start the file with [sweep] and scenario = \"the base scenario file\"")
		return nil, p.Err()
	}
	sw.parseTable(p, tbl)
	if sw.Scenario == nil {
		return nil, p.Err()
	}
	if _, given := tbl["seed"]; !given {
		sw.Seed = sw.Scenario.Seed
	}
	sw.base = sw.Scenario.Config(sw.World)

	switch list := doc["parameter"].(type) {
	case nil:
		// A replication study: one point, the base scenario, run
		// replicates times (a sampled design says it needs parameters).
	case []map[string]any:
		for i, m := range list {
			sw.parseParam(p, fmt.Sprintf("parameter[%d]", i+1), m)
		}
	default:
		p.Add("parameter", "expected [[parameter]] entries (double brackets); write each parameter as its own [[parameter]] table")
	}
	sw.override(p, o)
	seen := map[string]string{}
	for _, pr := range sw.Params {
		id := fmt.Sprint(pr.target)
		if other, dup := seen[id]; dup {
			p.Add(pr.key+".path", "%s addresses the same value as %s; give each parameter once", pr.Path, other)
		}
		seen[id] = pr.key
	}

	start := sw.World.StartYear
	switch m := doc["metrics"].(type) {
	case nil:
		for _, d := range [][2]string{{"population", "population"}, {"moves_per_1000", "moves_per_1000"}} {
			ms, _ := parseMetric(d[0], d[1], 1, sw.World, start)
			sw.Metrics = append(sw.Metrics, ms...)
		}
	case map[string]any:
		// In file order: the decoder's keys come in document order.
		for _, k := range md.Keys() {
			if len(k) != 2 || k[0] != "metrics" {
				continue
			}
			name := k[1]
			key := "metrics." + name
			expr, ok := m[name].(string)
			if !ok {
				p.Add(key, "expected an expression in quotes, e.g. %s = \"population(centrality=1..3)\"", name)
				continue
			}
			ms, msg := parseMetric(name, expr, p.Line(key), sw.World, start)
			if msg != "" {
				p.Add(key, "%s", msg)
				continue
			}
			sw.Metrics = append(sw.Metrics, ms...)
		}
		if len(m) == 0 {
			p.Add("metrics", "the [metrics] table is empty; add name = \"expression\" lines, e.g. central = \"population(centrality=1..3)\", or leave the table out for population and moves_per_1000")
		}
	default:
		p.Add("metrics", "expected a [metrics] table of name = \"expression\" lines")
	}
	names := map[string]bool{}
	for _, m := range sw.Metrics {
		if names[m.Name] {
			p.AddAt(m.Line, "metrics", "two metrics are named %s (an expansion by region, class or year can make a name another entry uses); rename one", m.Name)
		}
		names[m.Name] = true
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	sw.expand(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	sw.check(p)
	return sw, p.Err()
}

func (sw *Sweep) parseTable(p *problems, tbl map[string]any) {
	for _, key := range sortedKeys(tbl) {
		path := "sweep." + key
		v := tbl[key]
		switch key {
		case "name":
			s, ok := v.(string)
			if !ok || !validName.MatchString(s) || len(s) > 100 {
				p.Add(path, "%s is not a name of ASCII letters a–z, digits, - and _ (it names the results folder and the Slurm jobs, so æ, ø and å are written ae, o and a); e.g. name = \"teaching-levers\"", describe(v))
				continue
			}
			sw.Name = s
		case "description":
			if _, ok := v.(string); !ok {
				p.Add(path, "expected text in quotes")
			}
		case "design":
			s, _ := v.(string)
			if !slices.Contains(Designs, s) {
				msg := fmt.Sprintf("%s is not a design; use one of %s", describe(v), strings.Join(Designs, ", "))
				if sug := params.Suggest(s, Designs); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
				p.Add(path, "%s", msg)
				continue
			}
			sw.Design = s
		case "samples":
			n, ok := v.(int64)
			if !ok || n < 2 || n > MaxPoints {
				p.Add(path, "samples = %s; give a whole number from 2 to %d (for sobol a power of two, e.g. 64)", describe(v), MaxPoints)
				continue
			}
			sw.Samples = int(n)
		case "replicates":
			n, ok := v.(int64)
			if !ok || n < 1 || n > MaxReplicates {
				p.Add(path, "replicates = %s; give a whole number from 1 to %d (runs per point, each with its own seed)", describe(v), MaxReplicates)
				continue
			}
			sw.Replicates = int(n)
		case "seed":
			n, ok := v.(int64)
			if !ok || n < 0 {
				p.Add(path, "seed = %s; give a whole number 0 or above, e.g. seed = 1", describe(v))
				continue
			}
			sw.Seed = uint64(n)
		case "scenario":
		default:
			msg := fmt.Sprintf("unknown key %q in [sweep]; ", key)
			if s := params.Suggest(key, sweepKeys); s != "" {
				msg += fmt.Sprintf("did you mean %q?", s)
			} else {
				msg += "the keys are " + strings.Join(sweepKeys, ", ")
			}
			p.Add(path, "%s", msg)
		}
	}
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(sw.File), filepath.Ext(sw.File))
		if !validName.MatchString(sw.Name) {
			sw.Name = "sweep"
		}
	}
	switch {
	case sw.Design == Grid && sw.Samples != 0:
		p.Add("sweep.samples", "a grid runs every combination of the values; samples is for latin_hypercube and sobol designs: remove it")
	case sw.Design != Grid && sw.Samples == 0 && p.Lines["sweep.samples"] == 0:
		p.Add("sweep.design", "a %s design needs samples = N (the number of points for latin_hypercube; the base samples for sobol, a power of two such as 64)", sw.Design)
	case sw.Design == Sobol && sw.Samples&(sw.Samples-1) != 0:
		lo := 1 << (63 - bits.LeadingZeros64(uint64(sw.Samples)))
		p.Add("sweep.samples", "samples = %d is not a power of two; Sobol' points are balanced in blocks of 2^m: use %d or %d", sw.Samples, lo, 2*lo)
	}

	sc, ok := tbl["scenario"].(string)
	if !ok || sc == "" {
		p.Add("sweep", "missing scenario; add scenario = \"../baseline.toml\" (the base scenario, relative to this file)")
		return
	}
	path := sc
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(sw.File), sc)
	}
	s, err := scenario.Load(path)
	if err != nil {
		p.Add("sweep.scenario", "the base scenario %s cannot be used:\n%s", sc, indent(err))
		return
	}
	w, err := s.LoadWorld()
	if err != nil {
		p.Add("sweep.scenario", "the base scenario %s cannot be used:\n%s", sc, indent(err))
		return
	}
	// The world's files, for the copies the sweep's folder keeps, read
	// now, as the world was (a later change is not copied as this world).
	wd, err := output.ReadWorldData(w.Files)
	if err != nil {
		p.Add("sweep.scenario", "the world of the base scenario %s cannot be kept:\n%s", sc, indent(err))
		return
	}
	sw.Scenario, sw.World, sw.worldData = s, w, wd
}

func indent(err error) string {
	return "\t" + strings.ReplaceAll(err.Error(), "\n", "\n\t")
}

func (sw *Sweep) parseParam(p *problems, key string, m map[string]any) {
	pr := Param{key: key, Line: p.Line(key)}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(paramKeys, k) {
			msg := fmt.Sprintf("unknown key %q in [[parameter]]; ", k)
			if s := params.Suggest(k, append(paramKeys, "min", "max", "value")); s == "min" || s == "max" {
				msg += "write the range as range = { min = …, max = … }"
			} else if s == "value" {
				msg += "did you mean \"values\"? (one value stays fixed, a list expands)"
			} else if s != "" {
				msg += fmt.Sprintf("did you mean %q?", s)
			} else {
				msg += "the keys are " + strings.Join(paramKeys, ", ")
			}
			p.Add(key+"."+k, "%s", msg)
		}
	}
	path, ok := m["path"].(string)
	if !ok {
		p.Add(key, "missing path; add path = \"behaviour.move_scale\" (behaviour.<parameter>, intervention.<name or number>.<key>, scale or years)")
		return
	}
	pr.Path = path
	if strings.ContainsAny(path, ",\"\n") {
		p.Add(key+".path", "%q has a comma or quote, which cannot name a column of runs.parquet; address an intervention by its number, e.g. intervention.2.share", path)
		return
	}
	t, integer, msg := sw.resolve(path)
	if msg != "" {
		p.Add(key+".path", "%s", msg)
		return
	}
	pr.target, pr.Integer = t, integer

	_, hasValues := m["values"]
	_, hasRange := m["range"]
	switch {
	case hasValues && hasRange:
		p.Add(key+".range", "both values and range are given; give a list of values or a range, not both")
		return
	case hasValues:
		pr.Line = p.Line(key + ".values")
		sw.parseValues(p, &pr, key+".values", m["values"])
	case hasRange:
		pr.Line = p.Line(key + ".range")
		pr.Range = true
		r, ok := m["range"].(map[string]any)
		if !ok {
			p.Add(key+".range", "expected range = { min = …, max = … }, got %s", describe(m["range"]))
			return
		}
		for _, k := range sortedKeys(r) {
			if k != "min" && k != "max" {
				p.Add(key+".range."+k, "unknown key %q in the range; write range = { min = …, max = … }", k)
			}
		}
		lo, ok1 := num(r["min"])
		hi, ok2 := num(r["max"])
		switch {
		case !ok1 || !ok2:
			p.Add(key+".range", "a range needs numbers min and max; write range = { min = 0.5, max = 1.5 }")
			return
		case !(lo < hi):
			p.Add(key+".range", "min = %g is not below max = %g; give min < max, or values = %g to keep it fixed", lo, hi, lo)
			return
		case integer && (lo != math.Trunc(lo) || hi != math.Trunc(hi)):
			wlo, whi := sw.wholeBounds(t)
			p.Add(key+".range", "%s takes whole numbers; give whole min and max, e.g. range = { min = %g, max = %g }", path, math.Max(math.Ceil(lo), wlo), math.Min(math.Floor(hi), whi))
			return
		}
		pr.Min, pr.Max = lo, hi
	default:
		p.Add(key, "missing values; give values = [a, b, …] (each value a point), values = x (fixed) or range = { min = …, max = … }")
		return
	}
	if s, ok := m["steps"]; ok {
		n, isInt := s.(int64)
		switch {
		case !pr.Range:
			p.Add(key+".steps", "steps is for a range; with values the list gives the points: remove steps")
		case sw.Design != Grid:
			p.Add(key+".steps", "steps is for a grid; a %s design samples the range itself: remove steps", sw.Design)
		case !isInt || n < 2:
			p.Add(key+".steps", "steps = %s; give a whole number of 2 or more (values evenly spaced from min to max, both included)", describe(s))
		default:
			pr.Steps = int(n)
			if pr.Integer && float64(n) > pr.Max-pr.Min+1 {
				p.Add(key+".steps", "steps = %d gives repeated whole numbers between %g and %g; use at most %g steps", n, pr.Min, pr.Max, pr.Max-pr.Min+1)
			}
		}
	} else if pr.Range && sw.Design == Grid {
		p.Add(key+".range", "a grid needs the number of values of a range; add steps = N (evenly spaced from min to max), or list the values")
	}
	sw.Params = append(sw.Params, pr)
}

func (sw *Sweep) parseValues(p *problems, pr *Param, key string, v any) {
	one := func(path string, x any) (float64, bool) {
		f, ok := num(x)
		if b, isBool := x.(bool); isBool {
			f, ok = b2f(b), true
		}
		if !ok {
			p.Add(path, "expected a number, got %s; write e.g. values = [0.9, 1.1]", describe(x))
			return 0, false
		}
		if pr.Integer && f != math.Trunc(f) {
			p.Add(path, "%s takes whole numbers, got %g; write %g", pr.Path, f, sw.wholeNear(pr.target, f))
			return 0, false
		}
		return f, true
	}
	list, isList := v.([]any)
	if !isList {
		if f, ok := one(key, v); ok {
			pr.Values = []float64{f}
		}
		return
	}
	pr.List = true
	if len(list) == 0 {
		p.Add(key, "the list is empty; give at least one value (a list expands, one value stays fixed), e.g. values = [0.9, 1.1]")
		return
	}
	for i, x := range list {
		if f, ok := one(fmt.Sprintf("%s[%d]", key, i+1), x); ok {
			if slices.Contains(pr.Values, f) {
				p.Add(fmt.Sprintf("%s[%d]", key, i+1), "%g is listed twice; list each value once", f)
				continue
			}
			pr.Values = append(pr.Values, f)
		}
	}
}

// resolve finds what path addresses in the base scenario; it returns the
// target, whether it takes whole numbers, or an error message.
func (sw *Sweep) resolve(path string) (target, bool, string) {
	top := strings.TrimPrefix(path, "scenario.")
	switch top {
	case "scale":
		return target{kind: tScale}, false, ""
	case "years":
		return target{kind: tYears}, true, ""
	case "seed":
		return target{}, false, sw.seedParamMsg()
	}
	if name, ok := strings.CutPrefix(path, "behaviour."); ok {
		if params.IsPhased(name) {
			return target{}, false, fmt.Sprintf("%s is set per life phase, and a sweep sets one phase a [[parameter]] entry: write path = \"behaviour.%s.early_career\", with the phase one of %s (an entry for each phase to vary)",
				path, name, strings.Join(params.PhaseNames[:], ", "))
		}
		if _, err := new(params.Params).Get(name); err != nil {
			return target{}, false, fmt.Sprintf("%v", err)
		}
		in, _ := params.Lookup(name)
		return target{kind: tBehaviour, name: name}, in.Whole, ""
	}
	rest, ok := strings.CutPrefix(path, "intervention")
	if !ok {
		msg := fmt.Sprintf("unknown parameter path %q; ", path)
		if params.IsPhased(path) {
			return target{}, false, msg + fmt.Sprintf("behaviour parameters are written behaviour.NAME, and %s one phase at a time: behaviour.%s.early_career, with the phase one of %s",
				path, path, strings.Join(params.PhaseNames[:], ", "))
		}
		if _, err := new(params.Params).Get(path); err == nil || params.IsPhased(strings.Split(path, ".")[0]) {
			return target{}, false, msg + fmt.Sprintf("behaviour parameters are written behaviour.%s", path)
		}
		if near := params.Suggest(top, []string{"scale", "years"}); near != "" {
			return target{}, false, msg + fmt.Sprintf("did you mean %q? Use behaviour.<parameter>, intervention.<name or number>.<key>, scale or years", near)
		}
		return target{}, false, msg + "use behaviour.<parameter>, intervention.<name or number>.<key>, scale or years"
	}
	// intervention.NAME.KEY, intervention.N.KEY or intervention[N].KEY.
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 {
		return target{}, false, fmt.Sprintf("%q names no key of an intervention; write intervention.<name or number>.<key>, e.g. intervention.Rogfast.travel_time_factor", path)
	}
	who, key := strings.TrimPrefix(rest[:i], "."), rest[i+1:]
	if strings.HasPrefix(who, "[") && strings.HasSuffix(who, "]") {
		who = who[1 : len(who)-1]
	}
	ivs := sw.Scenario.Interventions
	iv := -1
	if n, err := strconv.Atoi(who); err == nil && n >= 1 && n <= len(ivs) {
		iv = n - 1
	} else {
		// By name: exactly, else ignoring case; a name that several
		// interventions share (two of one kind without a name take the
		// kind's name) would change only the first, so it is refused.
		var same []int
		for j := range ivs {
			if ivs[j].Name == who {
				same = append(same, j)
			}
		}
		if len(same) == 0 {
			for j := range ivs {
				if strings.EqualFold(ivs[j].Name, who) {
					same = append(same, j)
				}
			}
		}
		if len(same) > 1 {
			var nums []string
			for _, j := range same {
				nums = append(nums, strconv.Itoa(j+1))
			}
			return target{}, false, fmt.Sprintf("%d interventions of the base scenario are named %q (numbers %s); give each its own name = \"…\" in the scenario, or write intervention.%d.%s for the first", len(same), ivs[same[0]].Name, strings.Join(nums, ", "), same[0]+1, key)
		}
		if len(same) == 1 {
			iv = same[0]
		}
	}
	if iv < 0 {
		if len(ivs) == 0 {
			return target{}, false, fmt.Sprintf("the base scenario %s has no [[intervention]] entries; add the intervention to it, then sweep its parameters", sw.Scenario.File)
		}
		var names []string
		for j, sp := range ivs {
			names = append(names, fmt.Sprintf("%q (%d)", sp.Name, j+1))
		}
		return target{}, false, fmt.Sprintf("the base scenario has no intervention %q; its interventions are %s", who, strings.Join(names, ", "))
	}
	sp := &ivs[iv]
	switch key {
	case "from_year", "to_year", "phase_in_years":
		return target{kind: tIntervention, name: key, iv: iv}, true, ""
	}
	if slices.Contains(intervention.CommonKeys, key) {
		return target{}, false, fmt.Sprintf("%s of %s is not a number; a sweep varies numbers only (the numbers are its kind's parameters and from_year, to_year, phase_in_years); for other choices make one base scenario each", key, sp.Name)
	}
	k := intervention.Kinds[sp.Kind]
	var numeric []string
	var found *intervention.ParamSpec
	for j := range k.Params {
		ps := &k.Params[j]
		if ps.Kind == "" || ps.Kind == "number" || ps.Kind == "integer" || ps.Kind == "bool" {
			numeric = append(numeric, ps.Key)
		}
		if ps.Key == key {
			found = ps
		}
	}
	numeric = append(numeric, "from_year", "to_year", "phase_in_years")
	switch {
	case found == nil:
		msg := fmt.Sprintf("%s (%s) has no parameter %q", sp.Name, sp.Kind, key)
		if s := params.Suggest(key, numeric); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return target{}, false, msg + "; the parameters a sweep can vary are " + strings.Join(numeric, ", ")
	case !slices.Contains(numeric, key):
		return target{}, false, fmt.Sprintf("%s of %s is %s, not a number; a sweep varies numbers only (make one base scenario per choice); the numbers are %s",
			key, sp.Kind, found.Kind, strings.Join(numeric, ", "))
	}
	return target{kind: tIntervention, name: key, iv: iv}, found.Kind == "integer" || found.Kind == "bool", ""
}

// wholeBounds returns the whole numbers a whole-number parameter of target
// t accepts, as far as they are known before the points are checked:
// years from 1, a behaviour parameter's range, an
// intervention's years from the start year and its parameters' ranges.
func (sw *Sweep) wholeBounds(t target) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	switch t.kind {
	case tYears:
		return 1, scenario.MaxYears
	case tBehaviour:
		if in, ok := params.Lookup(t.name); ok {
			return in.Min, in.Max
		}
	case tIntervention:
		switch t.name {
		case "from_year", "to_year":
			return float64(sw.World.StartYear), hi
		case "phase_in_years":
			return 0, hi
		}
		if k := intervention.Kinds[sw.Scenario.Interventions[t.iv].Kind]; k != nil {
			for _, ps := range k.Params {
				if ps.Key == t.name {
					return ps.Min, ps.Max
				}
			}
		}
	}
	return lo, hi
}

// seedParamMsg is the error of a [[parameter]] with path = "seed": the
// runs' seeds come from [sweep] seed and replicates. A swept seed ran
// replicate r of a point with seed v+r, so that points overlapped (seed 2
// at point 0 replicate 1 and point 1 replicate 0: identical runs), runs.csv
// had two seed columns, and settle sensitivity regressed on the seed as
// if it were an input.
func (sw *Sweep) seedParamMsg() string {
	// No seed list: --replicates, applied after the parameters are read,
	// may change it (the dry run's plan lists the seeds).
	return "the seed cannot be swept: replicate r of every point runs with seed s + r, where s is seed in [sweep] (else the base scenario's seed), so every point runs the same seeds; remove this [[parameter]], and for more seeds per point raise replicates in [sweep] (or --replicates), for other seeds set seed = N in [sweep]"
}

// Seeds names the seeds the runs of shard s use (the whole sweep when s
// is): replicate r runs with seed Seed + r at every point, so "seeds 1 …
// 40" for 40 replicates; a shard may run only some of them ("seeds 1, 3,
// 5 … 39").
func (sw *Sweep) Seeds(s Shard) string {
	if s.Whole() || len(sw.Points) == 0 {
		return SeedRange(sw.Seed, sw.Replicates)
	}
	reps := make([]bool, sw.Replicates)
	n := 0
	// Run ids s.Index + k·s.Count; their replicates repeat after
	// Replicates of them.
	for k := range sw.Replicates {
		id := s.Index + k*s.Count
		if id >= sw.Runs() {
			break
		}
		if r := id % sw.Replicates; !reps[r] {
			reps[r] = true
			n++
		}
	}
	var seeds []uint64
	for r, ok := range reps {
		if ok {
			seeds = append(seeds, sw.Seed+uint64(r))
		}
	}
	switch {
	case n == 0:
		return "no seeds"
	case n == 1:
		return fmt.Sprintf("seed %d", seeds[0])
	case seeds[n-1]-seeds[0] == uint64(n-1):
		return SeedRange(seeds[0], n)
	}
	const show = 6
	str := make([]string, n)
	for i, x := range seeds {
		str[i] = strconv.FormatUint(x, 10)
	}
	if n <= show+1 {
		return "seeds " + phrase.And(str)
	}
	return "seeds " + strings.Join(str[:show], ", ") + " … " + str[n-1]
}

// CorrelationNote is the absolute correlation between two parameters of a
// design above which settle sweep and settle sensitivity say what it means
// for regression coefficients.
const CorrelationNote = 0.2

// Correlation returns the correlation of largest absolute value between
// two varying parameters over the sweep's points, and their paths ("" when
// fewer than two vary). A grid's is 0; a latin_hypercube's is kept small
// (design.LatinHypercube) but not 0.
func (sw *Sweep) Correlation() (r float64, a, b string) {
	vals := make([][]float64, len(sw.Points))
	for p, pt := range sw.Points {
		vals[p] = pt.Values
	}
	var paths []string
	for _, pr := range sw.Params {
		paths = append(paths, pr.Path)
	}
	return correlation(vals, sw.VaryingParams(), paths)
}

// Correlation is Sweep.Correlation of a finished sweep's points.
func (res *Results) Correlation() (r float64, a, b string) {
	var vary []int
	var paths []string
	for i, p := range res.Manifest.Parameters {
		if p.Varies {
			vary = append(vary, i)
		}
		paths = append(paths, p.Path)
	}
	return correlation(res.Points, vary, paths)
}

func correlation(points [][]float64, vary []int, paths []string) (float64, string, string) {
	if len(vary) < 2 || len(points) < 3 {
		return 0, "", ""
	}
	x := make([][]float64, len(points))
	for p, vals := range points {
		x[p] = make([]float64, len(vary))
		for j, i := range vary {
			x[p][j] = vals[i]
		}
	}
	r, a, b := design.MaxCorrelation(x)
	return r, paths[vary[a]], paths[vary[b]]
}

// CorrelationText says what a correlation r between the parameters a and
// b of a design means for regression coefficients.
func CorrelationText(r float64, a, b string) string {
	return fmt.Sprintf("the design's parameters %s and %s correlate at r = %.2f over its points (%.0f %% of their variance shared): standardised regression coefficients of correlated parameters share their effects, so they are less certain and their squares no longer read as shares of the variance; more points, or a sobol design, tell the parameters apart",
		a, b, r, 100*r*r)
}

// SeedRange names the seeds of replicates runs from seed: "seed 3",
// "seeds 1 and 2", "seeds 1 … 40".
func SeedRange(seed uint64, replicates int) string {
	switch replicates {
	case 1:
		return fmt.Sprintf("seed %d", seed)
	case 2:
		return fmt.Sprintf("seeds %d and %d", seed, seed+1)
	}
	return fmt.Sprintf("seeds %d … %d", seed, seed+uint64(replicates)-1)
}

// wholeNear returns the whole number nearest f that target t accepts:
// the fix to suggest for a fraction (years = 0.2: 1, not 0).
func (sw *Sweep) wholeNear(t target, f float64) float64 {
	lo, hi := sw.wholeBounds(t)
	r := math.Round(f)
	if r < lo {
		r = math.Ceil(lo)
	}
	if r > hi {
		r = math.Floor(hi)
	}
	return r
}

// expand makes the points of the design.
func (sw *Sweep) expand(p *problems) {
	vary := sw.VaryingParams()
	fixed := func() []float64 {
		v := make([]float64, len(sw.Params))
		for i := range sw.Params {
			if !sw.Params[i].Range {
				v[i] = sw.Params[i].Values[0]
			}
		}
		return v
	}
	switch sw.Design {
	case Grid:
		levels := make([]int, len(sw.Params))
		vals := make([][]float64, len(sw.Params))
		n := 1
		for i := range sw.Params {
			vals[i] = sw.Params[i].levels()
			levels[i] = len(vals[i])
			n *= levels[i]
			if n > MaxPoints {
				p.Add("parameter", "the grid has more than %d points; list fewer values, or use design = \"latin_hypercube\" with samples", MaxPoints)
				return
			}
		}
		for k, idx := range design.Grid(levels) {
			v := make([]float64, len(sw.Params))
			for i, l := range idx {
				v[i] = vals[i][l]
			}
			sw.Points = append(sw.Points, Point{Index: k, Values: v})
		}
	case LatinHypercube, Sobol:
		if len(vary) == 0 {
			p.Add("sweep.design", "a %s design samples the parameters that vary, and none does; give a parameter a list of values or a range, or for a replication study of the base scenario leave out design (a grid of one point, run replicates times)", sw.Design)
			return
		}
		var us [][]float64
		if sw.Design == LatinHypercube {
			us = design.LatinHypercube(sw.Samples, len(vary), sw.Seed)
		} else {
			if len(vary) > design.MaxSobolDim/2 {
				p.Add("sweep.design", "a sobol design can vary at most %d parameters (%d vary); fix some, or use latin_hypercube", design.MaxSobolDim/2, len(vary))
				return
			}
			if sw.Samples*(len(vary)+2) > MaxPoints {
				p.Add("sweep.samples", "samples = %d gives %d points; use fewer samples", sw.Samples, sw.Samples*(len(vary)+2))
				return
			}
			var err error
			if us, err = design.Saltelli(sw.Samples, len(vary), sw.Seed); err != nil {
				p.Add("sweep.design", "%v", err)
				return
			}
		}
		vals := make([][]float64, len(us))
		for k, u := range us {
			vals[k] = make([]float64, len(vary))
			for j, i := range vary {
				vals[k][j] = sw.Params[i].at(u[j])
			}
		}
		coarse := slices.ContainsFunc(vary, func(i int) bool { return sw.Params[i].List || sw.Params[i].Integer })
		if sw.Design == LatinHypercube && coarse {
			// A list's levels and whole numbers are coarser than the
			// unit cube the design decorrelated: their values can
			// correlate more (norway-lhs.toml's list of three took
			// its |r| from 0.05 to 0.13; rearranged again, 0.06).
			// Continuous ranges keep the cube's order (a linear map
			// keeps its correlations), and the work is spared.
			design.Decorrelate(vals, sw.Seed)
		}
		for k := range us {
			v := fixed()
			for j, i := range vary {
				v[i] = vals[k][j]
			}
			pt := Point{Index: k, Values: v}
			if sw.Design == Sobol {
				pt.Block = design.SaltelliBlock(k, len(vary)).Name()
			}
			sw.Points = append(sw.Points, pt)
		}
	}
	if len(sw.Points)*sw.Replicates > MaxRuns {
		p.Add("sweep.replicates", "%d points × %d replicates is more than %d runs; run fewer", len(sw.Points), sw.Replicates, MaxRuns)
	}
}

// check applies every point and reports, per parameter, the first value
// the scenario does not accept, and per metric the first point whose years
// it does not fit.
func (sw *Sweep) check(p *problems) {
	reported := map[string]bool{}
	// A sampled design need not draw a range's ends: check them first, at
	// the first point's other values.
	for i := range sw.Params {
		pr := &sw.Params[i]
		if !pr.Range || len(sw.Points) == 0 {
			continue
		}
		for _, end := range []float64{pr.Min, pr.Max} {
			vals := slices.Clone(sw.Points[0].Values)
			vals[i] = end
			_, _, errs := sw.apply(vals)
			for _, e := range errs {
				if e.param == i && !reported[pr.key] {
					reported[pr.key] = true
					p.AddAt(pr.Line, pr.key+".range", "%s (the range's end %s = %s)", e.msg, pr.Path, FormatValue(end))
				}
			}
		}
	}
	for _, pt := range sw.Points {
		_, years, errs := sw.apply(pt.Values)
		for _, e := range errs {
			pr := &sw.Params[e.param]
			if reported[pr.key] {
				continue
			}
			reported[pr.key] = true
			where := ""
			if len(sw.Points) > 1 {
				where = fmt.Sprintf(" (point %d: %s)", pt.Index, sw.describePoint(pt))
			}
			key := pr.key + ".values"
			if pr.Range {
				key = pr.key + ".range"
			}
			line := pr.Line
			if pr.List {
				if j := slices.Index(pr.Values, pt.Values[e.param]); j >= 0 {
					line = p.Line(fmt.Sprintf("%s[%d]", key, j+1))
				}
			}
			if pr.flag != "" { // the value is the flag's, not the file's
				line, key = 0, pr.flag
			}
			p.AddAt(line, key, "%s%s", e.msg, where)
		}
		for i := range sw.Metrics {
			m := &sw.Metrics[i]
			if reported["metrics."+m.Name] {
				continue
			}
			if msg := m.checkYears(sw.World.StartYear, years); msg != "" {
				reported["metrics."+m.Name] = true
				p.AddAt(m.Line, "metrics."+m.Name, "%s (point %d simulates %s)", msg, pt.Index, plural(years, "year"))
			}
		}
	}
}

func (sw *Sweep) describePoint(pt Point) string {
	var parts []string
	for i := range sw.Params {
		if sw.Params[i].Varies() {
			parts = append(parts, sw.Params[i].Path+" = "+FormatValue(pt.Values[i]))
		}
	}
	return strings.Join(parts, ", ")
}

type paramError struct {
	param int
	msg   string
}

// apply returns the engine configuration (seed of replicate 0) and the
// years of the point with the parameters' values vals, and what the
// scenario would not accept.
func (sw *Sweep) apply(vals []float64) (engine.Config, int, []paramError) {
	cfg := sw.base
	cfg.Seed = sw.Seed
	cfg.Interventions = slices.Clone(sw.base.Interventions)
	years := sw.Scenario.Years
	var errs []paramError
	yearsSet := false          // a parameter (or --years) gives the point's years
	touched := map[int][]int{} // intervention → parameters that set it
	for i := range sw.Params {
		pr := &sw.Params[i]
		v := vals[i]
		t := pr.target
		switch t.kind {
		case tBehaviour:
			if err := cfg.Behaviour.Set(t.name, v); err != nil {
				errs = append(errs, paramError{i, err.Error()})
			}
		case tScale:
			switch {
			case !(v > 0 && v <= 1):
				errs = append(errs, paramError{i, fmt.Sprintf("scale = %g is out of range; use a share above 0 and at most 1%s", v, scenario.PercentHint(v))})
			case synth.CheckScale(sw.World, v) != "":
				// engine.New would refuse the point's runs, after the
				// points before it had run.
				errs = append(errs, paramError{i, strings.Replace(synth.CheckScale(sw.World, v), "scale ", "scale = ", 1)})
			}
			cfg.Scale = v
		case tYears:
			if v < 1 || v > scenario.MaxYears {
				errs = append(errs, paramError{i, fmt.Sprintf("years = %g is out of range; simulate between 1 and %d years", v, scenario.MaxYears)})
			}
			years, yearsSet = int(v), true
		case tIntervention:
			if _, done := touched[t.iv]; !done {
				sp := cfg.Interventions[t.iv]
				sp.Params = maps(sp.Params)
				cfg.Interventions[t.iv] = sp
			}
			touched[t.iv] = append(touched[t.iv], i)
			sp := &cfg.Interventions[t.iv]
			switch t.name {
			case "from_year":
				sp.FromYear = int(v)
			case "to_year":
				sp.ToYear = int(v)
			case "phase_in_years":
				sp.PhaseInYears = int(v)
			default:
				sp.Params[t.name] = intervention.Value{Num: v, IsNum: true, Line: pr.Line}
			}
		}
	}
	start := sw.World.StartYear
	ivs := make([]int, 0, len(touched))
	for iv := range touched {
		ivs = append(ivs, iv)
	}
	slices.Sort(ivs)
	for _, iv := range ivs {
		sp := &cfg.Interventions[iv]
		who := touched[iv]
		blame := func(key string) int {
			for _, i := range who {
				if sw.Params[i].target.name == key {
					return i
				}
			}
			return who[0]
		}
		bad := false
		for _, fe := range intervention.Validate(sp) {
			errs = append(errs, paramError{blame(fe.Key), fmt.Sprintf("%s (intervention %q)", fe.Msg, sp.Name)})
			bad = true
		}
		last := start + years - 1
		switch {
		case sp.FromYear < start:
			errs = append(errs, paramError{blame("from_year"), fmt.Sprintf("from_year = %d is before the start year %d (intervention %q); use %d or later", sp.FromYear, start, sp.Name, start)})
			bad = true
		case sp.FromYear > last && !yearsSet:
			// The base scenario's own horizon: it would refuse this
			// from_year. When the sweep sets the years, a point that ends
			// before the intervention starts is no mistake in the file:
			// LateInterventions notes it, as settle run --years does.
			errs = append(errs, paramError{blame("from_year"), fmt.Sprintf("from_year = %d is after the last year %d the base scenario simulates (intervention %q); use a year from %d to %d, or add a [[parameter]] with path = \"years\" that simulates up to %d", sp.FromYear, last, sp.Name, start, last, sp.FromYear)})
			bad = true
		case sp.ToYear != 0 && sp.ToYear < sp.FromYear:
			errs = append(errs, paramError{blame("to_year"), fmt.Sprintf("to_year = %d is before from_year = %d (intervention %q); give a later year", sp.ToYear, sp.FromYear, sp.Name)})
			bad = true
		case sp.PhaseInYears < 0:
			errs = append(errs, paramError{blame("phase_in_years"), fmt.Sprintf("phase_in_years = %d is negative (intervention %q); use 0 or more", sp.PhaseInYears, sp.Name)})
			bad = true
		}
		if !bad {
			if err := intervention.Check(*sp, sw.World); err != nil {
				errs = append(errs, paramError{who[0], err.Error()})
			}
		}
	}
	return cfg, years, errs
}

// maxLateGroups is the most notes LateInterventions gives an intervention.
const maxLateGroups = 4

// LateInterventions notes each intervention of the base scenario that
// starts after the last year a point simulates (a from_year swept past the
// years, or years set by a parameter or --years that end before it): it
// changes nothing at those points, which therefore repeat the points
// without it. A note names the intervention, its line, the start and last
// years and the points, in the words of settle run --years: "NAME
// (FILE:LINE) starts in 2040, after the last simulated year 2028 (5
// years): it changes nothing in this sweep", or "…: it changes nothing at
// points 1 and 3 (2 of the 4 points)". A from_year past the base
// scenario's own years is an error of Load instead, unless the sweep sets
// the years.
func (sw *Sweep) LateInterventions() []string {
	ivs := sw.Scenario.Interventions
	if len(ivs) == 0 {
		return nil
	}
	start := sw.World.StartYear
	type late struct{ from, years int }
	groups := make([]map[late][]int, len(ivs))
	order := make([][]late, len(ivs)) // per intervention, the groups by their first point
	for _, pt := range sw.Points {
		cfg, years, _ := sw.apply(pt.Values)
		for i := range ivs {
			from := cfg.Interventions[i].FromYear
			if from <= start+years-1 {
				continue
			}
			if groups[i] == nil {
				groups[i] = map[late][]int{}
			}
			k := late{from, years}
			if groups[i][k] == nil {
				order[i] = append(order[i], k)
			}
			groups[i][k] = append(groups[i][k], pt.Index)
		}
	}
	var out []string
	for i, sp := range ivs {
		for g, k := range order[i] {
			pts := groups[i][k]
			if g == maxLateGroups {
				n := 0
				for _, k := range order[i][g:] {
					n += len(groups[i][k])
				}
				out = append(out, fmt.Sprintf("%s (%s:%d) also starts after the last simulated year at %s more (other start years or years): it changes nothing there; settle sweep --dry-run lists the points",
					sp.Name, sp.File, sp.Line, plural(n, "point")))
				break
			}
			msg := fmt.Sprintf("%s (%s:%d) starts in %d, after the last simulated year %d (%s): it changes nothing ", sp.Name, sp.File, sp.Line, k.from, start+k.years-1, plural(k.years, "year"))
			if len(pts) == len(sw.Points) {
				msg += "in this sweep"
			} else {
				msg += fmt.Sprintf("at %s (%d of the %d points)", pointList(pts), len(pts), len(sw.Points))
			}
			out = append(out, msg)
		}
	}
	return out
}

// pointList names points: "point 3", "points 1 and 3", "points 1, 3, 5,
// 7, 9, 11 … 99" (the first six and the last).
func pointList(pts []int) string {
	if len(pts) == 1 {
		return fmt.Sprintf("point %d", pts[0])
	}
	const show = 6
	head, sep := pts[:len(pts)-1], " and "
	if len(head) > show {
		head, sep = head[:show], " … "
	}
	s := make([]string, len(head))
	for i, p := range head {
		s[i] = strconv.Itoa(p)
	}
	return "points " + strings.Join(s, ", ") + sep + strconv.Itoa(pts[len(pts)-1])
}

func maps(m map[string]intervention.Value) map[string]intervention.Value {
	out := make(map[string]intervention.Value, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Digits is the number of significant digits a metric value keeps in the
// journal, runs.csv and runs.parquet, and a grid's level of a range. A
// count scaled back by 1/scale is exact only in decimal: 13 persons at
// scale 0.03 are 433.333…, which floating point makes 433.33333333333337,
// and 6306 are 210200.00000000003. Twelve digits drop such artefacts
// (433.333333333, 210200) and keep every value far finer than any
// simulation resolves; a value exact in fewer digits (a population of
// 6001234) is unchanged.
const Digits = 12

// roundDigits rounds v to Digits significant digits: the float64 nearest
// the decimal of Digits digits nearest v. It depends on v alone, so the
// runs' values are the same whichever worker or machine computed them.
func roundDigits(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', Digits, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// FormatMetric formats a metric value as the journal, runs.csv and
// runs.parquet hold it: rounded to Digits significant digits, then as
// FormatValue writes it (433.333333333, 210200).
func FormatMetric(v float64) string { return FormatValue(roundDigits(v)) }

// FormatValue formats a parameter value or metric value as runs.csv
// writes it: the shortest decimal that reads back as the same float64,
// without an exponent (a population is 6001234, not 6.001234e+06) unless
// the number is tiny or huge.
func FormatValue(v float64) string {
	if a := math.Abs(v); a == 0 || a >= 1e-6 && a < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatValue(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}
