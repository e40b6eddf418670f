package web

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// Spec is a scenario as the browser's form holds it. The server turns it
// into scenario TOML (Spec.TOML) and checks it with sim/scenario, so the
// web app accepts exactly what `settle run` accepts, with the same
// messages; it adds only the server's own limits (Limits).
type Spec struct {
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	World       string  `json:"world"`
	Years       int     `json:"years"`
	Seed        uint64  `json:"seed"`
	Scale       float64 `json:"scale"`
	// Projection names the national projection the rates follow
	// (world.Projections); "" is the default.
	Projection    string             `json:"projection,omitempty"`
	Behaviour     map[string]float64 `json:"behaviour,omitempty"`
	Interventions []Intervention     `json:"interventions,omitempty"`
}

// Intervention is one [[intervention]] entry of a Spec. Regions are codes
// (or names) of the world's regions; Params holds the kind's own
// parameters as JSON gives them: numbers, text, true/false or lists of text.
type Intervention struct {
	Kind    string   `json:"kind"`
	Name    string   `json:"name,omitempty"`
	Regions []string `json:"regions,omitempty"`
	// County and Centrality select the regions instead of a Regions list
	// (those of the counties, of the classes, or of both that match both),
	// as the scenario format's county and centrality keys do; Regions is
	// then not written. SpecOf gives Regions too, what they select, for the
	// form to show.
	County       []string       `json:"county,omitempty"`
	Centrality   []int          `json:"centrality,omitempty"`
	FromYear     int            `json:"fromYear"`
	ToYear       int            `json:"toYear,omitempty"`
	PhaseInYears int            `json:"phaseInYears,omitempty"`
	Params       map[string]any `json:"params,omitempty"`
}

// Limits are what a server allows beyond the scenario format's own checks:
// they keep one user from occupying the machine.
type Limits struct {
	// MaxPersons is the largest simulated population (scale × the world's
	// population): the cost of a simulated year grows with it.
	MaxPersons int
	MaxYears   int // the longest run
}

// MaxScale returns the largest scale the limits allow in w (at most 1).
func (lim Limits) MaxScale(w *world.World) float64 {
	if w.Population() <= 0 {
		return 1
	}
	// Rounded down to three significant digits, so that the number shown
	// is itself allowed.
	x := float64(lim.MaxPersons) / float64(w.Population())
	if x >= 1 {
		return 1
	}
	// Through decimal text: Floor(x/p)·p gave 0.036000000000000004,
	// which the page and its messages showed.
	e := int(math.Floor(math.Log10(x))) - 2
	digits := math.Floor(x / math.Pow(10, float64(e)))
	y, _ := strconv.ParseFloat(strconv.FormatFloat(digits, 'f', 0, 64)+"e"+strconv.Itoa(e), 64)
	for y > x { // a decimal above x by its rounding: one step down
		digits--
		y, _ = strconv.ParseFloat(strconv.FormatFloat(digits, 'f', 0, 64)+"e"+strconv.Itoa(e), 64)
	}
	return y
}

// MaxSeed is the largest seed a scenario file holds (TOML integers are
// signed 64-bit).
const MaxSeed = math.MaxInt64

// Problem is one thing wrong with a Spec (or, as a warning, probably not
// what was meant). Key uses the scenario's key paths (scenario.scale,
// intervention[2].regions) so the browser can point at the field and name
// it by its label; Message is in the form's words (formWords), without the
// key's own name; Line is the line of the generated TOML (0 for the
// server's own limits).
type Problem struct {
	Key     string `json:"key"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// SpecError lists the problems of a Spec; its text is one problem a line.
type SpecError struct {
	File     string
	Problems []Problem
}

func (e *SpecError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s: %s", e.File, p.Line, p.Key, p.Message)
		} else {
			fmt.Fprintf(&b, "%s: %s", p.Key, p.Message)
		}
	}
	return b.String()
}

// bareKey is what TOML allows as an unquoted key.
var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// checkLimits checks what the TOML cannot express safely or what the server
// refuses, before the scenario package sees the text.
func (sp *Spec) checkLimits(lim Limits, worlds map[string]*world.World) []Problem {
	var ps []Problem
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	w, ok := worlds[sp.World]
	if !ok {
		add("scenario.world", "unknown world %q; the web app runs the embedded worlds %s", sp.World, strings.Join(sortedKeys(worlds), ", "))
	}
	// In the form's words: the page puts the field's label in front.
	switch {
	case math.IsNaN(sp.Scale) || sp.Scale <= 0 || sp.Scale > 1:
		add("scenario.scale", "%g is out of range; give a share above 0 and at most 1 (0.05 is a 5 %% sample)", sp.Scale)
	case ok && sp.Scale > lim.MaxScale(w):
		add("scenario.scale", "%g would simulate %s persons; this server allows at most %s, so give a scale of at most %g in %s (settle serve --max-persons raises the limit)",
			sp.Scale, phrase.Group(int64(math.Round(sp.Scale*float64(w.Population())))), phrase.Group(int64(lim.MaxPersons)), lim.MaxScale(w), sp.World)
	}
	if sp.Years < 1 || sp.Years > lim.MaxYears {
		add("scenario.years", "%d is out of range for this server; simulate 1 to %d years (settle serve --max-years raises the limit)", sp.Years, lim.MaxYears)
	}
	// A seed the scenario format cannot hold (a TOML integer is signed):
	// said here, before the TOML parser would point at the number.
	if sp.Seed > MaxSeed {
		add("scenario.seed", "%d is too large; give a whole number from 0 to %s", sp.Seed, phrase.Group(MaxSeed))
	}
	for name := range sp.Behaviour {
		for _, part := range strings.Split(name, ".") {
			if !bareKey.MatchString(part) {
				add("behaviour", "%q is not a parameter name; names are letters, digits and _ (settle validate --params lists them)", name)
				break
			}
		}
	}
	for i, iv := range sp.Interventions {
		path := fmt.Sprintf("intervention[%d]", i+1)
		for key, v := range iv.Params {
			if !bareKey.MatchString(key) {
				add(path, "%q is not a parameter name; the kind's parameters are in docs/interventions.md", key)
				continue
			}
			switch x := v.(type) {
			case float64, string, bool:
				if f, ok := x.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
					add(path+"."+key, "give a finite number")
				}
			case []any:
				for _, el := range x {
					if _, ok := el.(string); !ok {
						add(path+"."+key, "expected a list of text, got %v", el)
						break
					}
				}
			default:
				add(path+"."+key, "expected a number, text, true/false or a list of text")
			}
		}
	}
	return ps
}

// TOML writes the Spec as a scenario file. Region targets are written as
// codes with their names in a comment when w is given. The output is the
// same for the same Spec (keys sorted where the form has no order).
func (sp *Spec) TOML(w *world.World) []byte {
	var b strings.Builder
	b.WriteString("# Written by settle serve. Run it with: settle run FILE\n\n")
	b.WriteString("[scenario]\n")
	fmt.Fprintf(&b, "name = %s\n", tomlString(sp.Name))
	if sp.Description != "" {
		fmt.Fprintf(&b, "description = %s\n", tomlString(sp.Description))
	}
	fmt.Fprintf(&b, "world = %s\n", tomlString(sp.World))
	fmt.Fprintf(&b, "years = %d\n", sp.Years)
	fmt.Fprintf(&b, "seed = %d\n", sp.Seed)
	fmt.Fprintf(&b, "scale = %s\n", tomlNumber(sp.Scale))
	if sp.Projection != "" {
		fmt.Fprintf(&b, "projection = %s\n", tomlString(sp.Projection))
	}
	if len(sp.Behaviour) > 0 {
		b.WriteString("\n[behaviour]\n")
		for _, name := range sortedKeys(sp.Behaviour) {
			fmt.Fprintf(&b, "%s = %s\n", name, tomlNumber(sp.Behaviour[name]))
		}
	}
	for _, iv := range sp.Interventions {
		b.WriteString("\n[[intervention]]\n")
		fmt.Fprintf(&b, "kind = %s\n", tomlString(iv.Kind))
		if iv.Name != "" {
			fmt.Fprintf(&b, "name = %s\n", tomlString(iv.Name))
		}
		if len(iv.County) > 0 || len(iv.Centrality) > 0 {
			if len(iv.County) > 0 {
				q := make([]string, len(iv.County))
				for k, c := range iv.County {
					q[k] = tomlString(c)
				}
				fmt.Fprintf(&b, "county = [%s]\n", strings.Join(q, ", "))
			}
			if len(iv.Centrality) > 0 {
				q := make([]string, len(iv.Centrality))
				for k, c := range iv.Centrality {
					q[k] = strconv.Itoa(c)
				}
				fmt.Fprintf(&b, "centrality = [%s]\n", strings.Join(q, ", "))
			}
		} else if len(iv.Regions) > 0 {
			q := make([]string, len(iv.Regions))
			var names []string
			for k, r := range iv.Regions {
				q[k] = tomlString(r)
				if w != nil {
					if i, err := w.Lookup(r); err == nil && w.Regions[i].Code == r {
						names = append(names, w.Regions[i].Name)
					}
				}
			}
			fmt.Fprintf(&b, "regions = [%s]", strings.Join(q, ", "))
			if len(names) == len(iv.Regions) {
				b.WriteString("  # " + oneLine(strings.Join(names, ", ")))
			}
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "from_year = %d\n", iv.FromYear)
		if iv.ToYear != 0 {
			fmt.Fprintf(&b, "to_year = %d\n", iv.ToYear)
		}
		if iv.PhaseInYears != 0 {
			fmt.Fprintf(&b, "phase_in_years = %d\n", iv.PhaseInYears)
		}
		for _, key := range paramOrder(iv) {
			fmt.Fprintf(&b, "%s = %s\n", key, tomlValue(iv.Params[key]))
		}
	}
	return []byte(b.String())
}

// paramOrder lists an intervention's parameters in the catalogue's order,
// unknown ones last (sorted): the scenario check reports those.
func paramOrder(iv Intervention) []string {
	var keys []string
	if k, ok := intervention.Kinds[iv.Kind]; ok {
		for _, p := range k.Params {
			if _, given := iv.Params[p.Key]; given {
				keys = append(keys, p.Key)
			}
		}
	}
	for _, key := range sortedKeys(iv.Params) {
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	return keys
}

func tomlValue(v any) string {
	switch x := v.(type) {
	case float64:
		return tomlNumber(x)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return tomlString(x)
	case []any:
		q := make([]string, len(x))
		for i, el := range x {
			q[i] = tomlValue(el)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case []string:
		q := make([]string, len(x))
		for i, el := range x {
			q[i] = tomlString(el)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return `""` // checkLimits refuses other types
}

// tomlNumber writes whole numbers without a decimal point (so that integer
// parameters read as integers) and others in the shortest exact form.
func tomlNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func oneLine(s string) string { return strings.Map(func(r rune) rune { return max(r, ' ') }, s) }

// compile turns the Spec into a checked scenario in world w: the server's
// limits, then scenario.Parse of the TOML (every key and range, as settle
// run checks them), then Resolve against w (region names, years) and
// intervention.Check (kinds the engine cannot simulate yet). On failure
// the error is a *SpecError.
func (sp *Spec) compile(lim Limits, worlds map[string]*world.World) (*scenario.Scenario, *world.World, []byte, error) {
	file := "web-scenario.toml"
	if bareKey.MatchString(sp.Name) {
		file = sp.Name + ".toml"
	}
	ps := sp.checkLimits(lim, worlds)
	w, ok := worlds[sp.World]
	// A scale or a number of years beyond the server's limits is reported
	// with the rest: the scenario is checked with values inside them, so
	// that its other problems (a region's typo, a parameter out of range)
	// show at once instead of after the first is fixed. Other problems of
	// checkLimits (an unknown world, names the TOML cannot hold) stop here.
	check := *sp
	for _, p := range ps {
		switch {
		case !ok:
		case p.Key == "scenario.scale":
			check.Scale = lim.MaxScale(w)
			continue
		case p.Key == "scenario.years":
			check.Years = lim.MaxYears
			continue
		}
		return nil, nil, nil, &SpecError{File: file, Problems: ps}
	}
	data := check.TOML(w)
	s, err := scenario.Parse(file, data)
	if err == nil {
		err = s.Resolve(w)
	}
	if err != nil {
		return nil, nil, data, &SpecError{File: file, Problems: append(ps, inFormWords(specError(file, err).Problems, data)...)}
	}
	for i, iv := range s.Interventions {
		if err := intervention.Check(iv, w); err != nil {
			ps = append(ps, inFormWords([]Problem{{Key: fmt.Sprintf("intervention[%d].kind", i+1), Line: iv.Line, Message: err.Error()}}, data)...)
		}
		// A selection with a regions list too (SpecOf gives both): the
		// TOML holds the selection, so the list must be what it selects.
		given := sp.Interventions[i]
		if len(given.Regions) == 0 || len(given.County)+len(given.Centrality) == 0 {
			continue
		}
		var sel []string
		for _, r := range iv.Regions {
			sel = append(sel, w.Regions[r].Code)
		}
		codes := make([]string, 0, len(given.Regions))
		for _, r := range given.Regions {
			if k, err := w.Lookup(r); err == nil {
				codes = append(codes, w.Regions[k].Code)
			}
		}
		slices.Sort(sel)
		slices.Sort(codes)
		if !slices.Equal(slices.Compact(codes), sel) {
			ps = append(ps, Problem{Key: fmt.Sprintf("intervention[%d].regions", i+1), Line: iv.Line,
				Message: fmt.Sprintf("give regions or county and centrality, not both: the %d regions listed are not the %d the selection picks", len(given.Regions), len(sel))})
		}
	}
	if len(ps) > 0 {
		return nil, nil, data, &SpecError{File: file, Problems: ps}
	}
	return s, w, data, nil
}

// inFormWords rewrites the scenario checks' problems in the form's words
// (formWords); data is the TOML they were found in, whose lines name
// interventions ("the intervention at line 14": intervention 2).
func inFormWords(ps []Problem, data []byte) []Problem {
	starts := ivLines(data)
	ivOfLine := func(line int) string {
		k := 0
		for i, l := range starts {
			if l <= line {
				k = i + 1
			}
		}
		if k == 0 {
			return ""
		}
		return fmt.Sprintf("intervention %d", k)
	}
	out := make([]Problem, len(ps))
	for i, p := range ps {
		p.Message = formWords(p.Key, p.Message, ivOfLine)
		out[i] = p
	}
	return out
}

// ivLines returns the line of each [[intervention]] header of a scenario
// the server wrote (Spec.TOML), 1-based.
func ivLines(data []byte) []int {
	var out []int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "[[intervention]]" {
			out = append(out, i+1)
		}
	}
	return out
}

// specError converts the scenario package's errors to a SpecError.
func specError(file string, err error) *SpecError {
	var es scenario.Errors
	var e *scenario.Error
	switch {
	case errors.As(err, &es):
		ps := make([]Problem, len(es))
		for i, e := range es {
			ps[i] = Problem{Key: e.Key, Line: e.Line, Message: e.Msg}
		}
		return &SpecError{File: file, Problems: ps}
	case errors.As(err, &e):
		return &SpecError{File: file, Problems: []Problem{{Key: e.Key, Line: e.Line, Message: e.Msg}}}
	}
	return &SpecError{File: file, Problems: []Problem{{Key: "scenario", Message: err.Error()}}}
}

// SpecOf returns the Spec of a scenario resolved in world w: its targets
// as region codes, and a county or centrality selection as such (with the
// regions it selected), its parameters as JSON values.
func SpecOf(s *scenario.Scenario, w *world.World) Spec {
	sp := Spec{Name: s.Name, Description: s.Description, World: s.World, Years: s.Years, Seed: s.Seed, Scale: s.Scale}
	if s.Projection != world.DefaultProjection {
		sp.Projection = s.Projection // the default is left out, as a new form leaves it
	}
	if len(s.Overrides) > 0 {
		sp.Behaviour = map[string]float64{}
		for k, v := range s.Overrides {
			sp.Behaviour[k] = v
		}
	}
	for k, in := range s.Interventions {
		iv := Intervention{Kind: in.Kind, Name: in.Name, FromYear: in.FromYear, ToYear: in.ToYear, PhaseInYears: in.PhaseInYears, Params: map[string]any{}}
		for _, r := range in.Regions {
			iv.Regions = append(iv.Regions, w.Regions[r].Code)
		}
		iv.County, iv.Centrality = s.Selection(k)
		for k, v := range in.Params {
			switch {
			case v.IsList:
				l := make([]any, len(v.List))
				for i, s := range v.List {
					l[i] = s
				}
				iv.Params[k] = l
			case v.IsBool:
				iv.Params[k] = v.Bool
			case v.IsNum:
				iv.Params[k] = v.Num
			default:
				iv.Params[k] = v.Str
			}
		}
		sp.Interventions = append(sp.Interventions, iv)
	}
	return sp
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
