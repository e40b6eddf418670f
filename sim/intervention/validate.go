package intervention

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
)

// FieldError is a problem with one key of an [[intervention]] entry. The
// scenario package turns it into FILE:LINE: KEY: MSG.
type FieldError struct {
	Key  string // the entry's key, e.g. "travel_time_factor"
	Line int    // line of the offending value; 0 when the key is missing or the Spec has no lines
	Msg  string // what is wrong; how to fix it
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Key, e.Msg)
	}
	return e.Key + ": " + e.Msg
}

// KindNames returns the catalogue's kinds, sorted.
func KindNames() []string {
	names := make([]string, 0, len(Kinds))
	for k := range Kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// MinRegions returns the least number of target regions the kind needs:
// 0 for a national kind, 1 for one that needs a target, 2 for kinds that
// connect regions (region_enlargement, municipal_cooperation).
func MinRegions(kind string) int {
	k, ok := Kinds[kind]
	if !ok {
		return 0
	}
	if n := kindRules[kind].minRegions; n > 0 {
		return n
	}
	if k.National {
		return 0
	}
	return 1
}

// OpenMin reports whether the lower bound of the kind's parameter key is
// excluded (the value must be above Min).
func OpenMin(kind, key string) bool {
	return slices.Contains(kindRules[kind].openMin, key)
}

// AnyOf returns the keys of which the kind needs at least one, and whether
// exactly one must be given; nil when the kind has no such rule.
func AnyOf(kind string) (keys []string, exclusive bool) {
	r := kindRules[kind]
	return r.anyOf, r.exclusive
}

// PhasesIn reports whether the kind takes phase_in_years (one that is on or
// off, as a municipal cooperation, does not).
func PhasesIn(kind string) bool { return !kindRules[kind].noPhaseIn }

// kindMentioning returns the kind, and the parameter of it, whose
// description mentions what an unknown kind name says in words, as whole
// words ("starter_homes": housing's for, "starter homes for people under
// 35"; "road" is not "broadband"), when exactly one kind does; nil
// otherwise.
func kindMentioning(name string) (*KindSpec, *ParamSpec) {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	if len(strings.Join(words, "")) < 4 {
		return nil, nil
	}
	re := regexp.MustCompile(`\b` + strings.Join(mapQuote(words), `[\s_-]+`) + `(?:e?s)?\b`) // "school" finds "schools"
	var kind *KindSpec
	var param *ParamSpec
	found := 0
	for _, name := range KindNames() {
		k := Kinds[name]
		var p *ParamSpec
		hit := re.MatchString(strings.ToLower(k.Doc))
		for i := range k.Params {
			if !hit && re.MatchString(strings.ToLower(k.Params[i].Doc)) {
				hit, p = true, &k.Params[i]
			}
		}
		if hit {
			kind, param = k, p
			found++
		}
	}
	if found != 1 {
		return nil, nil
	}
	return kind, param
}

func mapQuote(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = regexp.QuoteMeta(w)
	}
	return out
}

// shortDoc is the description of p, or of k when p is nil, up to the end
// of its first clause: a semicolon, or a full stop followed by a space,
// outside brackets ("at most 0.9" and "(hybrid work; …)" do not end it).
func shortDoc(k *KindSpec, p *ParamSpec) string {
	d := k.Doc
	if p != nil {
		d = p.Doc
	}
	depth := 0
	for i, r := range d {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case depth == 0 && (r == ';' || r == '.' && (i+1 == len(d) || d[i+1] == ' ')):
			return d[:i]
		}
	}
	return d
}

// Validate checks s.Kind and s.Params against the catalogue and normalises
// "bool" parameters given as 1/0 (Bool and IsBool set). It does not look at
// targets or years (see CheckTargets). It returns every problem found, in
// the order of the kind's parameters, unknown keys last.
func Validate(s *Spec) []*FieldError {
	k, ok := Kinds[s.Kind]
	if !ok {
		msg := fmt.Sprintf("unknown intervention kind %q; ", s.Kind)
		if sug := params.Suggest(s.Kind, KindNames()); sug != "" {
			msg += fmt.Sprintf("did you mean %q? ", sug)
		} else if k, p := kindMentioning(s.Kind); k != nil {
			// "starter_homes": what it names is part of another kind.
			where := "see kind " + strconv.Quote(k.Kind)
			if p != nil {
				where += ", parameter " + p.Key
			}
			msg += fmt.Sprintf("%s: %s; ", where, shortDoc(k, p))
		}
		msg += "the kinds are " + strings.Join(KindNames(), ", ")
		return []*FieldError{{Key: "kind", Msg: msg}}
	}
	var errs []*FieldError
	for i := range k.Params {
		p := &k.Params[i]
		v, given := s.Params[p.Key]
		if !given {
			if p.Required {
				errs = append(errs, &FieldError{Key: p.Key, Msg: fmt.Sprintf(
					"%s needs %s; add %s = %s — %s", s.Kind, p.Key, p.Key, example(p), p.Doc)})
			}
			continue
		}
		if msg := checkValue(s.Kind, p, &v); msg != "" {
			errs = append(errs, &FieldError{Key: p.Key, Line: v.Line, Msg: msg})
			continue
		}
		s.Params[p.Key] = v
	}
	if r := kindRules[s.Kind]; len(r.anyOf) > 0 {
		var given []string
		for _, key := range r.anyOf {
			if _, ok := s.Params[key]; ok {
				given = append(given, key)
			}
		}
		switch {
		case len(given) == 0 && r.exclusive:
			errs = append(errs, &FieldError{Key: r.anyOf[0], Msg: fmt.Sprintf(
				"%s needs one of %s or %s; add one of them, e.g. %s = %s", s.Kind, strings.Join(r.anyOf[:len(r.anyOf)-1], ", "), r.anyOf[len(r.anyOf)-1], r.anyOf[0], example(k.param(r.anyOf[0])))})
		case len(given) == 0:
			errs = append(errs, &FieldError{Key: r.anyOf[0], Msg: fmt.Sprintf(
				"%s needs at least one of %s; add one, e.g. %s = %s", s.Kind, strings.Join(r.anyOf, ", "), r.anyOf[0], example(k.param(r.anyOf[0])))})
		case len(given) > 1 && r.exclusive:
			errs = append(errs, &FieldError{Key: given[1], Line: s.Params[given[1]].Line, Msg: fmt.Sprintf(
				"%s takes either %s, not both; remove one of them", s.Kind, strings.Join(given, " or "))})
		}
	}
	if kindRules[s.Kind].noPhaseIn && s.PhaseInYears > 0 {
		errs = append(errs, &FieldError{Key: "phase_in_years", Msg: fmt.Sprintf(
			"%s is either in force or not, so phase_in_years = %d cannot ramp it in; remove phase_in_years (from_year and to_year say when it is in force)", s.Kind, s.PhaseInYears)})
	}
	var unknown []string
	for key := range s.Params {
		if k.param(key) == nil {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)
	for _, key := range unknown {
		errs = append(errs, &FieldError{Key: key, Line: s.Params[key].Line, Msg: k.unknownMsg(key)})
	}
	return errs
}

// scenarioKeys are the keys of [scenario] that an intervention does not
// have (name is one of its CommonKeys).
// (years is said apart: under an intervention it means how long).
var scenarioKeys = []string{"description", "world", "travel_times", "start_year", "seed", "scale"}

// CommonKeys are the keys every [[intervention]] entry may have besides its
// kind's parameters.
var CommonKeys = []string{"kind", "name", "regions", "centrality", "county", "from_year", "to_year", "phase_in_years"}

func (k *KindSpec) param(key string) *ParamSpec {
	for i := range k.Params {
		if k.Params[i].Key == key {
			return &k.Params[i]
		}
	}
	return nil
}

func (k *KindSpec) unknownMsg(key string) string {
	keys := make([]string, len(k.Params))
	for i, p := range k.Params {
		keys[i] = p.Key
	}
	msg := fmt.Sprintf("%s has no parameter %q", k.Kind, key)
	// A key of another table, written under the intervention (a seed for
	// the campus's runs): said where it goes.
	if slices.Contains(scenarioKeys, key) {
		return msg + fmt.Sprintf("; %s is a key of [scenario], for the whole run: move it there, above the interventions", key)
	}
	if key == "years" {
		return msg + "; to end it, give to_year, the last year it is in force (years of [scenario] is the length of the run)"
	}
	if _, err := new(params.Params).Get(key); err == nil && k.param(key) == nil {
		return msg + fmt.Sprintf("; %s is a behaviour parameter, for the whole run: set it in [behaviour]", key)
	}
	if sug := params.Suggest(key, append(keys, CommonKeys...)); sug != "" {
		return msg + fmt.Sprintf("; did you mean %q?", sug)
	}
	for _, other := range KindNames() {
		if other != k.Kind && Kinds[other].param(key) != nil {
			msg += fmt.Sprintf(" (%s is a parameter of %s)", key, other)
			break
		}
	}
	if len(keys) == 0 {
		return msg + "; remove it: " + k.Kind + " takes no parameters besides " + strings.Join(CommonKeys, ", ")
	}
	return msg + "; its parameters are " + strings.Join(keys, ", ")
}

// checkValue checks v against p and normalises booleans; it returns "" or
// the message.
func checkValue(kind string, p *ParamSpec, v *Value) string {
	switch p.Kind {
	case "bool":
		switch {
		case v.IsBool:
			v.Num = b2f(v.Bool)
		case v.IsNum && (v.Num == 0 || v.Num == 1):
			v.IsBool, v.Bool = true, v.Num == 1
		default:
			return fmt.Sprintf("expected true or false, got %s; write %s = true or %s = false", describe(v), p.Key, p.Key)
		}
		return ""
	case "string":
		if v.IsNum || v.IsList || v.IsBool {
			return fmt.Sprintf("expected one of %s in quotes, got %s; write %s = %q", QuoteAll(p.Choices), describe(v), p.Key, p.Choices[0])
		}
		if !slices.Contains(p.Choices, v.Str) {
			return fmt.Sprintf("%q is not one of %s; %s", v.Str, QuoteAll(p.Choices), suggestChoice(v.Str, p))
		}
		return ""
	case "list":
		if !v.IsList {
			ex := p.Choices[0]
			if !v.IsNum && !v.IsBool {
				ex = v.Str
			}
			return fmt.Sprintf("expected a list of %s, got %s; write %s = [%q]", QuoteAll(p.Choices), describe(v), p.Key, ex)
		}
		if len(v.List) == 0 {
			return fmt.Sprintf("the list is empty; list at least one of %s, or leave %s out for all of them", QuoteAll(p.Choices), p.Key)
		}
		for i, s := range v.List {
			if !slices.Contains(p.Choices, s) {
				return fmt.Sprintf("%q is not one of %s; %s", s, QuoteAll(p.Choices), suggestChoice(s, p))
			}
			if slices.Contains(v.List[:i], s) {
				return fmt.Sprintf("%q is listed twice; list each once", s)
			}
		}
		return ""
	}
	// "number", "integer" or "".
	if !v.IsNum {
		hint := fmt.Sprintf("write a number, e.g. %s = %s", p.Key, example(p))
		if f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64); err == nil && !v.IsList && !v.IsBool {
			hint = fmt.Sprintf("write %s = %s without quotes", p.Key, strconv.FormatFloat(f, 'g', -1, 64))
		}
		return fmt.Sprintf("expected %s, got %s; %s", numberType(p), describe(v), hint)
	}
	open := OpenMin(kind, p.Key)
	if math.IsNaN(v.Num) || math.IsInf(v.Num, 0) {
		// nan and inf are TOML floats, but no amount of anything.
		return fmt.Sprintf("%s = %s is not a number settle can use; write a finite %s %s, e.g. %s = %s",
			p.Key, strconv.FormatFloat(v.Num, 'g', -1, 64), strings.TrimPrefix(numberType(p), "a "), RangeText(p, open), p.Key, example(p))
	}
	// The range first: a whole number suggested for 10000000.5 would be
	// out of it.
	if v.Num < p.Min || (open && v.Num == p.Min) || v.Num > p.Max {
		return fmt.Sprintf("%s = %s is out of range; use a value %s — %s", p.Key, num(v.Num), RangeText(p, open), p.Doc)
	}
	if p.Kind == "integer" && v.Num != math.Trunc(v.Num) {
		return fmt.Sprintf("%s = %s is not a whole number; write %s = %s", p.Key, num(v.Num), p.Key, num(math.Round(v.Num)))
	}
	return ""
}

// RangeText says in words which values p accepts, e.g. "between 0 and 1",
// "at least 0", "above 0 and at most 1", "of any size".
func RangeText(p *ParamSpec, openMin bool) string {
	lo, hi := !math.IsInf(p.Min, -1), !math.IsInf(p.Max, 1)
	low := "at least"
	if openMin {
		low = "above"
	}
	switch {
	case lo && hi && !openMin:
		return fmt.Sprintf("between %s and %s", bound(p.Min), bound(p.Max))
	case lo && hi:
		return fmt.Sprintf("above %s and at most %s", bound(p.Min), bound(p.Max))
	case lo:
		return fmt.Sprintf("%s %s", low, bound(p.Min))
	case hi:
		return fmt.Sprintf("at most %s", bound(p.Max))
	}
	return "of any size (negative or positive)"
}

// num writes a value for messages as it is written in a file: in full up
// to 10^15 (20000000 and 10000000.5, not 2e+07 and 1.00000005e+07), larger
// ones as the float they are.
func num(x float64) string {
	if math.Abs(x) < 1e15 && (x == 0 || math.Abs(x) >= 1e-6) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// bound writes a range's bound: 0.9, 365, and a large whole number with
// thousands separators (10,000,000, not 1e+07).
func bound(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) >= 10000 && math.Abs(x) < 1e15 {
		return output.Group(int64(x))
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func numberType(p *ParamSpec) string {
	if p.Kind == "integer" {
		return "a whole number"
	}
	return "a number"
}

// example returns a valid value of p as TOML text, for messages.
func example(p *ParamSpec) string {
	switch p.Kind {
	case "bool":
		return "true"
	case "string":
		return strconv.Quote(p.Choices[0])
	case "list":
		return "[" + strconv.Quote(p.Choices[len(p.Choices)-1]) + "]"
	}
	if ex, ok := examples[p.Key]; ok {
		return ex
	}
	if p.Min > 0 && !math.IsInf(p.Min, 0) {
		return strconv.FormatFloat(p.Min, 'g', -1, 64)
	}
	return "1"
}

func suggestChoice(s string, p *ParamSpec) string {
	if sug := params.Suggest(s, p.Choices); sug != "" {
		return fmt.Sprintf("did you mean %q?", sug)
	}
	return "use one of them, e.g. " + p.Key + " = " + example(p)
}

func describe(v *Value) string {
	switch {
	case v.IsBool:
		return strconv.FormatBool(v.Bool)
	case v.IsNum:
		return "the number " + strconv.FormatFloat(v.Num, 'g', -1, 64)
	case v.IsList:
		return "a list"
	}
	return "the text " + strconv.Quote(v.Str)
}

// QuoteAll writes the choices of a parameter, each in quotes: "low", "medium".
func QuoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// CheckTargets checks the number of resolved target regions against the
// kind: a kind that is not national needs at least one, and
// region_enlargement and municipal_cooperation need two.
func CheckTargets(s *Spec) *FieldError {
	n := MinRegions(s.Kind)
	switch {
	case len(s.Regions) >= n:
		return nil
	case len(s.Regions) == 0:
		return &FieldError{Key: "regions", Msg: fmt.Sprintf(
			"%s needs target regions; add regions = [\"…\"] (codes or names), centrality = [5, 6] or county = \"…\"", s.Kind)}
	}
	return &FieldError{Key: "regions", Msg: fmt.Sprintf(
		"%s needs at least %d regions but the targets select %d; list at least %d regions", s.Kind, n, len(s.Regions), n)}
}

// Num returns the number parameter key: its value when the scenario gave it,
// otherwise the catalogue's default. It panics if the kind has no such
// parameter (a bug in the caller, not in the scenario).
func (s *Spec) Num(key string) float64 {
	p := s.spec(key)
	if v, ok := s.Params[key]; ok {
		return v.Num
	}
	return p.Default
}

// Flag returns the "bool" parameter key, or its default.
func (s *Spec) Flag(key string) bool {
	p := s.spec(key)
	if v, ok := s.Params[key]; ok {
		return v.Num != 0
	}
	return p.Default != 0
}

// Text returns the "string" parameter key, or its default (the first choice).
func (s *Spec) Text(key string) string {
	p := s.spec(key)
	if v, ok := s.Params[key]; ok {
		return v.Str
	}
	if len(p.Choices) > 0 {
		return p.Choices[0]
	}
	return ""
}

// Strings returns the "list" parameter key, or its default (every choice).
func (s *Spec) Strings(key string) []string {
	p := s.spec(key)
	if v, ok := s.Params[key]; ok {
		return v.List
	}
	return slices.Clone(p.Choices)
}

// Has reports whether the scenario gave the parameter key.
func (s *Spec) Has(key string) bool {
	_, ok := s.Params[key]
	return ok
}

func (s *Spec) spec(key string) *ParamSpec {
	k, ok := Kinds[s.Kind]
	if !ok {
		panic(fmt.Sprintf("intervention: unknown kind %q", s.Kind))
	}
	p := k.param(key)
	if p == nil {
		panic(fmt.Sprintf("intervention: kind %q has no parameter %q", s.Kind, key))
	}
	return p
}
