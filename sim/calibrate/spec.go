package calibrate

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/tomlpos"
	"github.com/settle-sim/settle/sim/world"
)

// Methods are the optimisers Spec.Method may name. (gonum's CmaEsChol was
// tried and left out: in gonum v0.17 it does not converge on a 4-parameter
// sphere within 800 evaluations, where Nelder–Mead needs about 300.)
var Methods = []string{"nelder-mead"}

// Defaults of a Spec. The scale and years keep one evaluation of Norway
// under a second per seed on two cores (measured: synthesis 0.18 s and ten
// years 0.48 s at scale 0.05), so a few hundred evaluations fit in minutes.
const (
	DefaultWorld    = "norway-2024"
	DefaultScale    = 0.05
	DefaultYears    = 10
	DefaultMethod   = "nelder-mead"
	DefaultMaxEvals = 200
	// DefaultStep is the initial simplex size in logit units: 0.3 moves a
	// parameter in the middle of its bounds by 7.5 % of their width, enough
	// to see past the sampling noise of a reduced scale.
	DefaultStep = 0.3
	// DefaultTolerance is the relative fall in the best loss that counts as
	// progress for the convergence test.
	DefaultTolerance = 1e-3
	// DefaultRestarts restarts a converged simplex twice around its best
	// point: on a rugged loss the first convergence is often premature.
	DefaultRestarts = 2
)

// DefaultSeeds are the common random numbers of a calibration: every
// evaluation runs these seeds and averages their losses.
var DefaultSeeds = []uint64{1, 2}

// DefaultParams are fitted when the spec names none: the Rogers–Castro
// shape of the base moving hazard, the life-phase multipliers that shape it
// for students and families, the young women's factor and the distance decay
// of the early-career destination choice.
var DefaultParams = []string{
	"base_a2", "base_mu2", "base_alpha2", "base_lambda2", "base_c",
	"phase_factor.student", "phase_factor.family",
	"young_women_factor", "util_distance.early_career",
}

// Param is one fitted parameter: a params name and the closed interval it is
// searched in (by default the parameter's whole range).
type Param struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// Spec says what to fit and how. The zero value is not useful; ParseSpec
// fills the defaults, and Check validates a Spec built by hand.
type Spec struct {
	File   string // the file it was read from, for errors and provenance
	SHA256 string // hex SHA-256 of the file's bytes
	// Targets is the targets file (relative paths resolved against File's
	// folder), or "" when the targets are in File itself beside the
	// [calibration] table.
	Targets string

	Params []Param
	// World is an embedded world's name or the path of a regions CSV
	// (relative paths are resolved against File's folder by ParseSpec).
	World string
	// TravelTimes is the path of a travel-time CSV (from,to,minutes) whose
	// pairs replace the times estimated from the centroids, as a
	// scenario's travel_times (resolved against File's folder), or "".
	TravelTimes string
	Scale       float64  // 0 < Scale ≤ 1
	Years       int      // simulated years per evaluation
	Seeds       []uint64 // common random numbers: the same seeds every evaluation

	Method    string  // one of Methods
	MaxEvals  int     // evaluations of the loss, the start point included
	Step      float64 // initial step in logit units
	Tolerance float64 // relative improvement of the best loss that counts
	// Patience is how many iterations of the method may pass without that
	// much improvement before the fit stops; 0 (in a Spec built by hand;
	// a file leaves the key out) means 10 + 4 per parameter.
	Patience int
	// Restarts is how many times a converged fit starts again around its
	// best point with a fresh simplex, while evaluations remain; 0 is
	// none.
	Restarts int

	// The validation run at the fitted point: a larger scale and other
	// seeds, to show the fit is not an artefact of the calibration's sample.
	ValidateScale float64  // 0 (in a Spec built by hand; a file leaves the key out) = min(1, 2·Scale)
	ValidateSeeds []uint64 // nil = two seeds that the calibration does not use

	unusedBounds []string // bounds given for parameters not fitted
	// given holds the keys of the [calibration] table the file sets to a
	// value that could be read ("scale", "bounds"): a key that is not in it
	// took its default, and a key that is in it is checked as written (a
	// 0 is not "the default").
	given map[string]bool
	// bad holds the keys whose value could not be read; their problem is
	// in read, and Check does not add follow-on problems about them.
	// "params[]" is a params list whose unreadable elements name no
	// parameter (numbers): its bounds are still checked.
	bad  map[string]bool
	read scenario.Errors // the problems found reading the table, reported by Check
	// lines says where each key is written, for messages (nil in a Spec
	// built by hand, whose problems have no line).
	lines tomlpos.Lines
	// paramAt is the element of calibration.params (from 1) each of Params
	// was read from, for the line of a problem with it; nil when the
	// params are the defaults.
	paramAt []int
}

// specKeys are the keys of the [calibration] table.
var specKeys = []string{"targets", "world", "travel_times", "scale", "years", "seeds", "params", "bounds", "method",
	"max_evals", "step", "tolerance", "patience", "restarts", "validate_scale", "validate_seeds"}

// LoadSpec reads the [calibration] table of the TOML file at path (see
// ParseSpec).
func LoadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check the path of the targets file", path, err)
	}
	return ParseSpec(path, data)
}

// ReadSpec reads a calibration file like LoadSpec but does not Check it,
// so that a caller can override fields (settle calibrate's flags) first;
// the caller must Check the spec before using it. Only a file that cannot
// be read or is not TOML is an error here: the problems of the table are
// kept for Check, which reports them with its own, all at once.
func ReadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check the path of the targets file", path, err)
	}
	return parseSpec(path, data)
}

// ParseSpec parses the optional [calibration] table of a targets file (other
// tables are the targets' and are ignored here) and fills the defaults of
// the keys it leaves out; a key that is written is checked as written. The
// error lists every problem, sorted by line, one a line as
// FILE:LINE: KEY: what is wrong; how to fix it (scenario.Errors):
//
//	norway.toml:12: calibration.bounds.base_mu2: [40, 10] is not an interval; give [min, max] with min < max
func ParseSpec(file string, data []byte) (*Spec, error) {
	s, err := parseSpec(file, data)
	if err != nil {
		return nil, err
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseSpec is ParseSpec without the Check: the problems of the table are
// in s.read.
func parseSpec(file string, data []byte) (*Spec, error) {
	s := &Spec{File: file, SHA256: world.SHA256Hex(data)}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		// The line, the key and the fix, as for a scenario.
		return nil, scenario.SyntaxError(file, data, err)
	}
	s.lines = tomlpos.ScanLines(string(data))
	ps := &parser{problems: problems{File: file, Lines: s.lines}, given: map[string]bool{}, bad: map[string]bool{}}
	var bounds map[string][2]float64
	switch c := doc["calibration"].(type) {
	case nil:
	case map[string]any:
		bounds = ps.table(s, c)
	default:
		ps.Add("calibration", "expected a table, got %s; write it as a [calibration] table", shown(c))
	}
	s.given, s.bad, s.read, s.paramAt = ps.given, ps.bad, ps.Errs, ps.paramAt
	s.fill(bounds)
	if strings.ContainsAny(s.World, `/\.`) && !filepath.IsAbs(s.World) {
		s.World = filepath.Join(filepath.Dir(file), s.World)
	}
	if s.TravelTimes != "" && !filepath.IsAbs(s.TravelTimes) {
		s.TravelTimes = filepath.Join(filepath.Dir(file), s.TravelTimes)
	}
	if s.Targets != "" && !filepath.IsAbs(s.Targets) {
		s.Targets = filepath.Join(filepath.Dir(file), s.Targets)
	}
	return s, nil
}

// problems collects the problems of a calibration file (tomlpos.Problems:
// FILE:LINE: KEY: message, sorted by line), as those of scenarios and
// sweeps are. A key no line writes has no line (0): a Spec built by hand
// has no lines at all. Keys are shown without their list element numbers
// (calibration.seeds[2] as calibration.seeds): the line says which.
type problems = tomlpos.Problems

type parser struct {
	problems
	given, bad map[string]bool
	paramAt    []int // see Spec.paramAt
}

func (p *parser) table(s *Spec, c map[string]any) map[string][2]float64 {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var bounds map[string][2]float64
	var names []string
	for _, k := range keys {
		v := c[k]
		key := "calibration." + k
		ok := true
		switch k {
		case "targets":
			if s.Targets, ok = p.str(key, v); ok && strings.TrimSpace(s.Targets) == "" {
				p.Add(key, "empty; give the path of the targets file, relative to this file, or leave the key out when the targets are in this file")
				ok = false
			}
		case "world":
			if s.World, ok = p.str(key, v); ok && strings.TrimSpace(s.World) == "" {
				p.Add(key, "empty; name an embedded world or give the path of a regions CSV (relative to this file), or leave the key out for %q", DefaultWorld)
				s.World, ok = "", false
			}
		case "travel_times":
			// "" is no file, as leaving the key out (as in a scenario).
			s.TravelTimes, ok = p.str(key, v)
			s.TravelTimes = strings.TrimSpace(s.TravelTimes)
		case "method":
			s.Method, ok = p.str(key, v)
		case "scale":
			s.Scale, ok = p.num(key, v)
		case "step":
			s.Step, ok = p.num(key, v)
		case "tolerance":
			s.Tolerance, ok = p.num(key, v)
		case "validate_scale":
			s.ValidateScale, ok = p.num(key, v)
		case "years":
			s.Years, ok = p.int(key, v)
		case "max_evals":
			s.MaxEvals, ok = p.int(key, v)
		case "patience":
			s.Patience, ok = p.int(key, v)
		case "restarts":
			s.Restarts, ok = p.int(key, v)
		case "seeds":
			s.Seeds, ok = p.seeds(key, v, "seeds = [1, 2]", "for seeds 1 and 2")
		case "validate_seeds":
			s.ValidateSeeds, ok = p.seeds(key, v, "validate_seeds = [101, 102]", "for two seeds from 101 that seeds does not use")
		case "params":
			// The names that could be read are fitted (so that max_evals
			// is checked against them), and a problem with the others
			// keeps Check from adding follow-ons.
			var hidden bool
			names, ok, hidden = p.names(key, v)
			p.given[k] = true
			if !ok && !hidden {
				// Only elements that cannot name a parameter (a number,
				// true) were unreadable: the bounds of parameters not
				// listed are still worth a problem, but not "no
				// parameters to fit".
				p.bad["params[]"] = true
				continue
			}
		case "bounds":
			m, isTable := v.(map[string]any)
			if !isTable {
				p.Add(key, "expected a table of name = [min, max], e.g. [calibration.bounds] then base_mu2 = [15, 30]; got %s", shown(v))
				continue
			}
			bounds = p.bounds(key, m)
		default:
			msg := fmt.Sprintf("unknown key %q in [calibration]", k)
			if sug := params.Suggest(k, specKeys); sug != "" {
				msg += fmt.Sprintf("; did you mean %q?", sug)
			} else {
				msg += "; the keys are " + strings.Join(specKeys, ", ")
			}
			p.Add(key, "%s", msg)
			continue
		}
		if ok {
			p.given[k] = true
		} else {
			p.bad[k] = true
		}
	}
	if p.given["params"] {
		s.Params = make([]Param, len(names))
		for i, n := range names {
			s.Params[i].Name = n
		}
	}
	return bounds
}

// names reads the params list: the names that are text, with the element
// each came from in paramAt. hidden says that a name may be hidden in a
// value that could not be read (the list is no list, or an element is a
// list or table with text in it: ["base_a2", ["base_c"]]).
func (p *parser) names(key string, v any) (names []string, ok, hidden bool) {
	names = []string{} // an empty list is an error, not the default
	list, isList := v.([]any)
	if !isList {
		p.Add(key, `expected a list of parameter names, e.g. params = ["base_a2", "phase_factor.student"]; got %s`, shown(v))
		return names, false, holdsText(v) // params = "base_a2" may name the bounded one; params = 3 names none
	}
	ok = true
	for i, x := range list {
		el := fmt.Sprintf("%s[%d]", key, i+1)
		n, isText := x.(string)
		if !isText {
			p.Add(el, `expected the name of a parameter in quotes, e.g. "base_a2"; got %s`, shown(x))
			ok = false
			hidden = hidden || holdsText(x)
			continue
		}
		names = append(names, n)
		p.paramAt = append(p.paramAt, i+1)
	}
	return names, ok, hidden
}

// holdsText reports whether v, a decoded TOML value, is text or holds some.
func holdsText(v any) bool {
	switch x := v.(type) {
	case string:
		return true
	case []any:
		return slices.ContainsFunc(x, holdsText)
	case map[string]any:
		for _, y := range x {
			if holdsText(y) {
				return true
			}
		}
	}
	return false
}

func (p *parser) str(key string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.Add(key, "expected a quoted text, got %s", shown(v))
	}
	return s, ok
}

func (p *parser) num(key string, v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	p.Add(key, "expected a number, got %s", shown(v))
	return 0, false
}

// int reads a whole number; its range is Check's.
func (p *parser) int(key string, v any) (int, bool) {
	x, ok := v.(int64)
	if !ok {
		p.Add(key, "expected a whole number, got %s", shown(v))
		return 0, false
	}
	if x < math.MinInt32 || x > math.MaxInt32 {
		p.Add(key, "%d is far out of range; give a number in the key's range (docs/calibration.md lists them)", x)
		return 0, false
	}
	return int(x), true
}

// seeds reads a list of seeds; example is how to write one, and what says
// what leaving the key out gives.
func (p *parser) seeds(key string, v any, example, what string) ([]uint64, bool) {
	list, ok := v.([]any)
	if !ok {
		p.Add(key, "expected a list of seeds, e.g. %s; got %s", example, shown(v))
		return nil, false
	}
	if len(list) == 0 {
		p.Add(key, "the list is empty; give at least one seed, e.g. %s, or leave the key out %s", example, what)
		return nil, false
	}
	out := make([]uint64, 0, len(list))
	for i, x := range list {
		n, isInt := x.(int64)
		if !isInt || n < 0 {
			p.Add(fmt.Sprintf("%s[%d]", key, i+1), "seed %s is not a whole number of 0 or more", shown(x))
			ok = false
			continue
		}
		out = append(out, uint64(n))
	}
	if !ok {
		return nil, false
	}
	return out, true
}

// bounds reads name = [min, max] entries; a per-phase parameter may be
// written phase_factor.student = [..] (a dotted key) or as a table. An
// entry that cannot be read is left out (its parameter keeps its whole
// range) after its problem is recorded.
func (p *parser) bounds(key string, m map[string]any) map[string][2]float64 {
	out := map[string][2]float64{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v, name := m[k], prefix+k
			if sub, ok := v.(map[string]any); ok {
				walk(name+".", sub)
				continue
			}
			list, ok := v.([]any)
			if !ok || len(list) != 2 {
				p.Add(key+"."+name, "expected [min, max], got %s", shown(v))
				continue
			}
			lo, ok1 := p.num(key+"."+name, list[0])
			hi, ok2 := p.num(key+"."+name, list[1])
			if ok1 && ok2 {
				out[name] = [2]float64{lo, hi}
			}
		}
	}
	walk("", m)
	return out
}

// shown is a TOML value as a message quotes it: text in quotes, a
// decimal with its point (so that 10.0 does not read as a whole number).
func shown(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") {
			s += ".0"
		}
		return s
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	case []any: // as written: ["base_c"], not [base_c]
		el := make([]string, len(x))
		for i, y := range x {
			el[i] = shown(y)
		}
		return "[" + strings.Join(el, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// fill sets the defaults of the keys the file leaves out and applies the
// bounds (checked later by Check).
func (s *Spec) fill(bounds map[string][2]float64) {
	if !s.given["world"] {
		s.World = DefaultWorld
	}
	if !s.given["scale"] {
		s.Scale = DefaultScale
	}
	if !s.given["years"] {
		s.Years = DefaultYears
	}
	if !s.given["seeds"] {
		s.Seeds = append([]uint64(nil), DefaultSeeds...)
	}
	if !s.given["method"] {
		s.Method = DefaultMethod
	}
	if !s.given["max_evals"] {
		s.MaxEvals = DefaultMaxEvals
	}
	if !s.given["step"] {
		s.Step = DefaultStep
	}
	if !s.given["tolerance"] {
		s.Tolerance = DefaultTolerance
	}
	if !s.given["restarts"] {
		s.Restarts = DefaultRestarts
	}
	// patience and validate_scale left out stay 0, which Spec's methods
	// take as their defaults (the validation scale follows a --scale).
	if !s.given["params"] {
		for _, n := range DefaultParams {
			s.Params = append(s.Params, Param{Name: n})
		}
	}
	for i := range s.Params {
		pr := &s.Params[i]
		if in, ok := params.Lookup(pr.Name); ok && pr.Min == 0 && pr.Max == 0 {
			pr.Min, pr.Max = in.Min, in.Max
		}
		if b, ok := bounds[pr.Name]; ok {
			pr.Min, pr.Max = b[0], b[1]
			delete(bounds, pr.Name)
		}
	}
	// Bounds for a parameter that is not fitted are a mistake; Check reports
	// them.
	for name := range bounds {
		s.unusedBounds = append(s.unusedBounds, name)
	}
	sort.Strings(s.unusedBounds)
}

// Check validates the spec: known parameters, intervals inside their
// ranges, a positive scale and so on. The error lists every problem, with
// the problems found reading the file, sorted by line: FILE:LINE: KEY:
// what is wrong; how to fix it (scenario.Errors; FILE: KEY: … for a Spec
// built by hand).
func (s *Spec) Check() error {
	p := &problems{File: s.File, Lines: s.lines, Errs: slices.Clone(s.read)}
	at := func(key, format string, args ...any) { p.Add("calibration."+key, format, args...) }
	if !s.bad["params"] {
		for _, n := range s.unusedBounds {
			if params.IsPhased(n) {
				at("bounds."+n, "%s is set per life phase; give each phase's bounds in [calibration.bounds], e.g. %s.%s = [min, max] or %s = { %s = [min, max] }, and list that phase in calibration.params (\"%s.%s\")",
					n, n, examplePhase(n), n, examplePhase(n), n, examplePhase(n))
				continue
			}
			at("bounds."+n, "%s has bounds but is not in calibration.params; add it to params or remove its bounds", n)
		}
		if len(s.Params) == 0 && !s.bad["params[]"] {
			at("params", `no parameters to fit; list some, e.g. params = ["base_a2", "base_mu2"] (settle validate --params lists them all)`)
		}
	}
	seen := map[string]bool{}
	def := params.Default()
	for i, pr := range s.Params {
		el := "params"
		if i < len(s.paramAt) {
			el = fmt.Sprintf("params[%d]", s.paramAt[i])
		}
		if seen[pr.Name] {
			at(el, "%s is listed twice; list each parameter once", pr.Name)
			continue
		}
		seen[pr.Name] = true
		if _, err := def.Get(pr.Name); err != nil {
			if params.IsPhased(pr.Name) {
				at(el, `%s is set per life phase; list each phase to fit, e.g. params = ["%s.%s"], with phase one of %s`,
					pr.Name, pr.Name, examplePhase(pr.Name), strings.Join(phases(pr.Name), ", "))
			} else {
				at(el, "%v", err)
			}
			continue
		}
		in, _ := params.Lookup(pr.Name)
		if in.Whole {
			at(el, "%s takes whole numbers, and Nelder–Mead fits continuous parameters; leave it out, or compare its values with settle sweep", pr.Name)
			continue
		}
		if !(pr.Min < pr.Max) {
			at("bounds."+pr.Name, "[%g, %g] is not an interval; give [min, max] with min < max", pr.Min, pr.Max)
		} else if pr.Min < in.Min || pr.Max > in.Max {
			at("bounds."+pr.Name, "[%g, %g] reaches outside the parameter's range [%g, %g]; narrow it", pr.Min, pr.Max, in.Min, in.Max)
		}
	}
	if !(s.Scale > 0 && s.Scale <= 1) {
		at("scale", "%g is out of range; the scale is the simulated share of the population, 0 < scale ≤ 1: give e.g. scale = 0.1, or leave the key out for %g", s.Scale, DefaultScale)
	}
	if s.Years < 1 || s.Years > 200 {
		at("years", "%d is out of range; give 1 to 200 simulated years per evaluation, or leave the key out for %d", s.Years, DefaultYears)
	}
	if len(s.Seeds) == 0 {
		at("seeds", "no seeds; give at least one, e.g. seeds = [1, 2]")
	}
	for _, i := range duplicates(s.Seeds) {
		at(fmt.Sprintf("seeds[%d]", i+1), "seed %d is listed twice; each seed must differ", s.Seeds[i])
	}
	// The parameters that will be fitted: known, each once (an unknown or
	// repeated name is its own problem above, and "4 evaluations cannot
	// fit 4 parameters" of one valid name misled).
	fitted := map[string]bool{}
	for _, pr := range s.Params {
		if _, ok := params.Lookup(pr.Name); ok {
			fitted[pr.Name] = true
		}
	}
	if need := len(fitted) + 2; len(fitted) > 0 && s.MaxEvals < need {
		or := ""
		if need <= DefaultMaxEvals {
			or = fmt.Sprintf(", or leave the key out for %d", DefaultMaxEvals)
		}
		at("max_evals", "%s cannot fit %s; allow at least %d (the start and a first simplex)%s",
			count(s.MaxEvals, "evaluation"), count(len(fitted), "parameter"), need, or)
	}
	if !(s.Step > 0 && s.Step <= 10) {
		at("step", "%g is out of range; give an initial step in logit units with 0 < step ≤ 10, or leave the key out for %g", s.Step, DefaultStep)
	}
	if !(s.Tolerance >= 0 && s.Tolerance < 1) {
		at("tolerance", "%g is out of range; give a relative improvement with 0 ≤ tolerance < 1, or leave the key out for %g", s.Tolerance, DefaultTolerance)
	}
	if s.Restarts < 0 {
		at("restarts", "%d is negative; give a number of restarts, 0 for none, or leave the key out for %d", s.Restarts, DefaultRestarts)
	}
	// A written patience or validate_scale of 0 is refused: only leaving
	// the key out gives the default (0 stands for it in a Spec built by
	// hand).
	if s.Patience < 0 || s.given["patience"] && s.Patience == 0 {
		at("patience", "%d is out of range; give 1 or more iterations, or leave the key out for 10 + 4 per parameter", s.Patience)
	}
	if v := s.ValidateScale; v < 0 || v > 1 || math.IsNaN(v) || s.given["validate_scale"] && v == 0 {
		at("validate_scale", "%g is out of range; give 0 < validate_scale ≤ 1, or leave the key out for twice the calibration scale (at most 1)", v)
	}
	if s.ValidateSeeds != nil && len(s.ValidateSeeds) == 0 {
		at("validate_seeds", "no seeds; give at least one, e.g. validate_seeds = [101, 102], or leave the key out for two seeds that seeds does not use")
	}
	for _, i := range duplicates(s.ValidateSeeds) {
		at(fmt.Sprintf("validate_seeds[%d]", i+1), "seed %d is listed twice; each seed must differ", s.ValidateSeeds[i])
	}
	if !slices.Contains(Methods, s.Method) {
		at("method", "unknown method %q; use one of %s, or leave the key out for %s", s.Method, strings.Join(Methods, ", "), DefaultMethod)
	}
	return p.Err()
}

// Problem returns an error about key of the [calibration] table ("scale",
// "bounds.base_mu2") at the line where the file writes it (or its table's
// line, when the key took its default): FILE:LINE: calibration.KEY: msg.
func (s *Spec) Problem(key, msg string) error {
	p := &problems{File: s.File, Lines: s.lines}
	p.Add("calibration."+key, "%s", msg)
	return p.Errs[0]
}

// phases returns the phases a per-phase parameter has.
func phases(name string) []string {
	var out []string
	for _, ph := range params.PhaseNames {
		if _, ok := params.Lookup(name + "." + ph); ok {
			out = append(out, ph)
		}
	}
	return out
}

// examplePhase is a phase of a per-phase parameter for the examples of
// messages: early_career where it has one.
func examplePhase(name string) string {
	ph := phases(name)
	if len(ph) == 0 || slices.Contains(ph, "early_career") {
		return "early_career"
	}
	return ph[0]
}

// count is "1 parameter", "2 parameters".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// duplicates returns the indices of the seeds that repeat an earlier one.
func duplicates(xs []uint64) []int {
	var out []int
	for i := range xs {
		for j := range i {
			if xs[i] == xs[j] {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// validation returns the scale and seeds of the validation run.
func (s *Spec) validation() (float64, []uint64) {
	scale := s.ValidateScale
	if scale == 0 {
		scale = math.Min(1, 2*s.Scale)
	}
	seeds := s.ValidateSeeds
	if seeds == nil {
		// Two seeds the calibration does not use.
		used := map[uint64]bool{}
		for _, x := range s.Seeds {
			used[x] = true
		}
		for x := uint64(101); len(seeds) < 2; x++ {
			if !used[x] {
				seeds = append(seeds, x)
			}
		}
	}
	return scale, seeds
}

// patience returns the number of iterations without progress that stops
// the fit.
func (s *Spec) patience() int {
	if s.Patience > 0 {
		return s.Patience
	}
	return 10 + 4*len(s.Params)
}

// LoadWorld loads the spec's world with its travel-time file (world.Load),
// as every evaluation and the validation run simulate it. An error names
// the file, the line and the key (calibration.world or
// calibration.travel_times).
func (s *Spec) LoadWorld() (*world.World, error) {
	// A regions file that is not there is relative to this file (world.Load
	// would say "to the scenario file").
	if strings.ContainsAny(s.World, `/\.`) {
		if _, err := os.Stat(s.World); errors.Is(err, fs.ErrNotExist) {
			return nil, s.Problem("world", fmt.Sprintf("regions file %s does not exist; give the path of a regions CSV relative to the folder of %s, or an embedded world such as %q",
				s.World, s.File, DefaultWorld))
		}
	}
	w, err := world.Load(s.World, s.TravelTimes)
	if err != nil && !strings.ContainsAny(s.World, `/\.`) {
		// A name that is no embedded world: the fix world = "ok.csv" when
		// this file's folder has ok.csv (as for a scenario).
		if _, e := world.LoadIn(filepath.Dir(s.File), s.World, ""); e != nil {
			err = e
		}
	}
	if err != nil {
		key := "world"
		if s.TravelTimes != "" && strings.Contains(err.Error(), s.TravelTimes) {
			key = "travel_times"
		}
		return nil, &wrapped{s.Problem(key, err.Error()), err}
	}
	return w, nil
}

// wrapped is a problem with the file whose cause stays reachable by
// errors.Is and errors.As.
type wrapped struct {
	problem error
	cause   error
}

func (e *wrapped) Error() string { return e.problem.Error() }
func (e *wrapped) Unwrap() error { return e.cause }
