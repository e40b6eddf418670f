package calibrate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
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
	// much improvement before the fit stops; 0 means 10 + 4 per parameter.
	Patience int
	// Restarts is how many times a converged fit starts again around its
	// best point with a fresh simplex, while evaluations remain.
	Restarts int

	// The validation run at the fitted point: a larger scale and other
	// seeds, to show the fit is not an artefact of the calibration's sample.
	ValidateScale float64  // 0 = min(1, 2·Scale)
	ValidateSeeds []uint64 // nil = two seeds that the calibration does not use

	unusedBounds []string // bounds given for parameters not fitted
	restartsSet  bool     // restarts was given (0 is a valid choice)
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
// the caller must Check the spec before using it.
func ReadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check the path of the targets file", path, err)
	}
	return parseSpec(path, data)
}

// ParseSpec parses the optional [calibration] table of a targets file (other
// tables are the targets' and are ignored here) and fills the defaults of
// everything it leaves out. Every error names the file and the key:
//
//	norway.toml: calibration.bounds.base_mu2: [40, 10] is not an interval; give [min, max] with min < max
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

// parseSpec is ParseSpec without the Check.
func parseSpec(file string, data []byte) (*Spec, error) {
	sum := sha256.Sum256(data)
	s := &Spec{File: file, SHA256: hex.EncodeToString(sum[:])}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		// The line, the key and the fix, as for a scenario.
		return nil, scenario.SyntaxError(file, data, err)
	}
	ps := &parser{file: file}
	var bounds map[string][2]float64
	switch c := doc["calibration"].(type) {
	case nil:
	case map[string]any:
		bounds = ps.table(s, c)
	default:
		ps.add("calibration", "expected a table, got %T; write it as a [calibration] table", c)
	}
	if ps.err != nil {
		return nil, ps.err
	}
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

type parser struct {
	file string
	err  error
}

func (p *parser) add(key, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s: %s: %s", p.file, key, fmt.Sprintf(format, args...))
	}
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
		switch k {
		case "targets":
			s.Targets = p.str(key, v)
			if s.Targets == "" {
				p.add(key, "empty; give the path of the targets file, relative to this file, or leave the key out when the targets are in this file")
			}
		case "world":
			s.World = p.str(key, v)
		case "travel_times":
			// "" is no file, as leaving the key out (as in a scenario).
			s.TravelTimes = strings.TrimSpace(p.str(key, v))
		case "method":
			s.Method = p.str(key, v)
		case "scale":
			s.Scale = p.num(key, v)
		case "step":
			s.Step = p.num(key, v)
		case "tolerance":
			s.Tolerance = p.num(key, v)
		case "validate_scale":
			s.ValidateScale = p.num(key, v)
		case "years":
			s.Years = p.int(key, v)
		case "max_evals":
			s.MaxEvals = p.int(key, v)
		case "patience":
			s.Patience = p.int(key, v)
		case "restarts":
			s.Restarts = p.int(key, v)
			s.restartsSet = true
		case "seeds":
			s.Seeds = p.seeds(key, v)
		case "validate_seeds":
			s.ValidateSeeds = p.seeds(key, v)
		case "params":
			list, ok := v.([]any)
			if !ok {
				p.add(key, `expected a list of parameter names, e.g. params = ["base_a2", "phase_factor.student"]`)
				continue
			}
			for _, x := range list {
				names = append(names, p.str(key, x))
			}
			if names == nil {
				names = []string{} // an empty list is an error, not the default
			}
		case "bounds":
			m, ok := v.(map[string]any)
			if !ok {
				p.add(key, "expected a table of name = [min, max], e.g. [calibration.bounds] then base_mu2 = [15, 30]")
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
			p.add(key, "%s", msg)
		}
	}
	if names != nil {
		s.Params = make([]Param, len(names))
		for i, n := range names {
			s.Params[i].Name = n
		}
	}
	return bounds
}

func (p *parser) str(key string, v any) string {
	s, ok := v.(string)
	if !ok {
		p.add(key, "expected a quoted text, got %v", v)
	}
	return s
}

func (p *parser) num(key string, v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	p.add(key, "expected a number, got %v", v)
	return 0
}

func (p *parser) int(key string, v any) int {
	x, ok := v.(int64)
	if !ok || x < 0 || x > math.MaxInt32 {
		p.add(key, "expected a whole number of 1 or more, got %v", v)
		return 0
	}
	return int(x)
}

func (p *parser) seeds(key string, v any) []uint64 {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		p.add(key, "expected a list of seeds, e.g. [1, 2]")
		return nil
	}
	out := make([]uint64, len(list))
	for i, x := range list {
		n, ok := x.(int64)
		if !ok || n < 0 {
			p.add(key, "seed %v is not a whole number of 0 or more", x)
			return nil
		}
		out[i] = uint64(n)
	}
	return out
}

// bounds reads name = [min, max] entries; a per-phase parameter may be
// written phase_factor.student = [..] (a dotted key) or as a table.
func (p *parser) bounds(key string, m map[string]any) map[string][2]float64 {
	out := map[string][2]float64{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			name := prefix + k
			if sub, ok := v.(map[string]any); ok {
				walk(name+".", sub)
				continue
			}
			list, ok := v.([]any)
			if !ok || len(list) != 2 {
				p.add(key+"."+name, "expected [min, max], got %v", v)
				continue
			}
			out[name] = [2]float64{p.num(key+"."+name, list[0]), p.num(key+"."+name, list[1])}
		}
	}
	walk("", m)
	return out
}

// fill sets the defaults and applies the bounds (checked later by Check).
func (s *Spec) fill(bounds map[string][2]float64) {
	if s.World == "" {
		s.World = DefaultWorld
	}
	if s.Scale == 0 {
		s.Scale = DefaultScale
	}
	if s.Years == 0 {
		s.Years = DefaultYears
	}
	if s.Seeds == nil {
		s.Seeds = append([]uint64(nil), DefaultSeeds...)
	}
	if s.Method == "" {
		s.Method = DefaultMethod
	}
	if s.MaxEvals == 0 {
		s.MaxEvals = DefaultMaxEvals
	}
	if s.Step == 0 {
		s.Step = DefaultStep
	}
	if s.Tolerance == 0 {
		s.Tolerance = DefaultTolerance
	}
	if !s.restartsSet {
		s.Restarts = DefaultRestarts
	}
	if s.Params == nil {
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
// ranges, a positive scale and so on. The error names the file, the key and
// the fix.
func (s *Spec) Check() error {
	at := func(key, format string, args ...any) error {
		return fmt.Errorf("%s: calibration.%s: %s", s.File, key, fmt.Sprintf(format, args...))
	}
	if len(s.unusedBounds) > 0 {
		n := s.unusedBounds[0]
		return at("bounds."+n, "%s has bounds but is not in calibration.params; add it to params or remove its bounds", n)
	}
	if len(s.Params) == 0 {
		return at("params", `no parameters to fit; list some, e.g. params = ["base_a2", "base_mu2"] (settle validate --params lists them all)`)
	}
	seen := map[string]bool{}
	def := params.Default()
	for _, p := range s.Params {
		if seen[p.Name] {
			return at("params", "%s is listed twice; list each parameter once", p.Name)
		}
		seen[p.Name] = true
		if _, err := def.Get(p.Name); err != nil {
			return at("params", "%v", err)
		}
		in, _ := params.Lookup(p.Name)
		if in.Whole {
			return at("params", "%s takes whole numbers, and Nelder–Mead fits continuous parameters; leave it out, or compare its values with settle sweep", p.Name)
		}
		if !(p.Min < p.Max) {
			return at("bounds."+p.Name, "[%g, %g] is not an interval; give [min, max] with min < max", p.Min, p.Max)
		}
		if p.Min < in.Min || p.Max > in.Max {
			return at("bounds."+p.Name, "[%g, %g] reaches outside the parameter's range [%g, %g]; narrow it", p.Min, p.Max, in.Min, in.Max)
		}
	}
	switch {
	case !(s.Scale > 0 && s.Scale <= 1):
		return at("scale", "%g is out of range; the scale is the simulated share of the population, 0 < scale ≤ 1 (default %g)", s.Scale, DefaultScale)
	case s.Years < 1 || s.Years > 200:
		return at("years", "%d is out of range; give 1 to 200 simulated years per evaluation (default %d)", s.Years, DefaultYears)
	case len(s.Seeds) == 0:
		return at("seeds", "no seeds; give at least one, e.g. seeds = [1, 2]")
	case s.MaxEvals < len(s.Params)+2:
		return at("max_evals", "%d evaluations cannot fit %d parameters; allow at least %d (the start and a first simplex)", s.MaxEvals, len(s.Params), len(s.Params)+2)
	case !(s.Step > 0 && s.Step <= 10):
		return at("step", "%g is out of range; give an initial step in logit units between 0 and 10 (default %g)", s.Step, DefaultStep)
	case !(s.Tolerance >= 0 && s.Tolerance < 1):
		return at("tolerance", "%g is out of range; give a relative improvement between 0 and 1 (default %g)", s.Tolerance, DefaultTolerance)
	case s.Restarts < 0:
		return at("restarts", "%d is negative; give a number of restarts, or 0 for none", s.Restarts)
	case s.Patience < 0:
		return at("patience", "%d is negative; give a number of iterations, or 0 for the default", s.Patience)
	case s.ValidateScale < 0 || s.ValidateScale > 1 || math.IsNaN(s.ValidateScale):
		return at("validate_scale", "%g is out of range; 0 < scale ≤ 1, or leave it out for twice the calibration scale", s.ValidateScale)
	}
	if dup := duplicate(s.Seeds); dup >= 0 {
		return at("seeds", "seed %d is listed twice; each seed must differ", s.Seeds[dup])
	}
	found := false
	for _, m := range Methods {
		found = found || m == s.Method
	}
	if !found {
		return at("method", "unknown method %q; use one of %s", s.Method, strings.Join(Methods, ", "))
	}
	return nil
}

func duplicate(xs []uint64) int {
	for i := range xs {
		for j := range i {
			if xs[i] == xs[j] {
				return i
			}
		}
	}
	return -1
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
// the file and the key (calibration.world or calibration.travel_times).
func (s *Spec) LoadWorld() (*world.World, error) {
	w, err := world.Load(s.World, s.TravelTimes)
	if err != nil {
		key := "world"
		if s.TravelTimes != "" && strings.Contains(err.Error(), s.TravelTimes) {
			key = "travel_times"
		}
		return nil, fmt.Errorf("%s: calibration.%s: %w", s.File, key, err)
	}
	return w, nil
}
