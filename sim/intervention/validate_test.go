package intervention

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The catalogue is consistent: keys unique, kinds known, ranges sane, every
// rule naming real keys, and an example for every number in messages.
func TestCatalogue(t *testing.T) {
	if len(Kinds) < 14 {
		t.Errorf("%d kinds", len(Kinds))
	}
	for kind, k := range Kinds {
		if k.Kind != kind || k.Doc == "" {
			t.Errorf("%s: bad KindSpec %+v", kind, k)
		}
		seen := map[string]bool{}
		for _, p := range k.Params {
			if seen[p.Key] || slices.Contains(CommonKeys, p.Key) || p.Doc == "" {
				t.Errorf("%s.%s: duplicate, common or undocumented key", kind, p.Key)
			}
			seen[p.Key] = true
			switch p.Kind {
			case "", "number", "integer":
				if !(p.Min <= p.Max) {
					t.Errorf("%s.%s: range %g..%g", kind, p.Key, p.Min, p.Max)
				}
				if _, ok := examples[p.Key]; !ok {
					t.Errorf("%s.%s: no example", kind, p.Key)
				}
			case "string", "list":
				if len(p.Choices) == 0 {
					t.Errorf("%s.%s: no choices", kind, p.Key)
				}
			case "bool":
			default:
				t.Errorf("%s.%s: unknown Kind %q", kind, p.Key, p.Kind)
			}
		}
	}
	for kind, r := range kindRules {
		k, ok := Kinds[kind]
		if !ok {
			t.Errorf("rules for unknown kind %s", kind)
			continue
		}
		for _, key := range append(slices.Clone(r.anyOf), r.openMin...) {
			if k.param(key) == nil {
				t.Errorf("rules of %s name unknown key %s", kind, key)
			}
		}
	}
}

// exampleSpec returns a Spec of kind with every parameter set to its example
// (only the first of an exclusive group).
func exampleSpec(t *testing.T, kind string) *Spec {
	k := Kinds[kind]
	s := &Spec{Kind: kind, Params: map[string]Value{}}
	keys, excl := AnyOf(kind)
	for i := range k.Params {
		p := &k.Params[i]
		if excl && slices.Contains(keys[1:], p.Key) {
			continue
		}
		var v Value
		switch p.Kind {
		case "bool":
			v = Value{IsBool: true, Bool: true, Num: 1}
		case "string":
			v = Value{Str: p.Choices[len(p.Choices)-1]}
		case "list":
			v = Value{IsList: true, List: p.Choices[:1]}
		default:
			x, err := strconv.ParseFloat(example(p), 64)
			if err != nil {
				t.Fatal(err)
			}
			v = Value{Num: x, IsNum: true}
		}
		s.Params[p.Key] = v
	}
	return s
}

func TestValidateExamples(t *testing.T) {
	for _, kind := range KindNames() {
		s := exampleSpec(t, kind)
		if errs := Validate(s); len(errs) != 0 {
			t.Errorf("%s: %v", kind, errs)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	for _, c := range []struct {
		kind   string
		params map[string]Value
		key    string
		want   string
	}{
		{"campuss", nil, "kind", `did you mean "campus"`},
		{"campus", map[string]Value{}, "students", "campus needs students; add students = 500"},
		{"campus", map[string]Value{"students": {Str: "many"}}, "students", "expected a whole number, got the text \"many\""},
		{"campus", map[string]Value{"students": {Num: 1.5, IsNum: true}}, "students", "not a whole number"},
		{"broadband", map[string]Value{"coverage": {Num: -0.1, IsNum: true}}, "coverage", "use a value between 0 and 1"},
		{"broadband", map[string]Value{"coverage": {Num: 0.9, IsNum: true}, "speed": {Num: 1, IsNum: true}}, "speed", "its parameters are coverage"},
		// Keys of the other tables, written under an intervention.
		{"campus", map[string]Value{"students": {Num: 500, IsNum: true}, "seed": {Num: 3, IsNum: true}}, "seed", `campus has no parameter "seed"; seed is a key of [scenario], for the whole run: move it there, above the interventions`},
		{"campus", map[string]Value{"students": {Num: 500, IsNum: true}, "move_scale": {Num: 1.2, IsNum: true}}, "move_scale", `campus has no parameter "move_scale"; move_scale is a behaviour parameter, for the whole run: set it in [behaviour]`},
		{"campus", map[string]Value{"students": {Num: 500, IsNum: true}, "years": {Num: 3, IsNum: true}}, "years", "to end it, give to_year, the last year it is in force"},
		{"region_enlargement", map[string]Value{}, "travel_time_factor", "needs one of travel_time_factor, minutes_saved or minutes"},
		{"region_enlargement", map[string]Value{"travel_time_factor": {Num: 0, IsNum: true}}, "travel_time_factor", "above 0 and at most 1"},
		{"region_enlargement", map[string]Value{"minutes_saved": {Num: -5, IsNum: true}}, "minutes_saved", "at least 0"},
		{"immigration", map[string]Value{}, "workers_per_year", "at least one of workers_per_year, refugees_per_year, integration"},
		{"remote_work", map[string]Value{"share": {Num: 0.1, IsNum: true}, "requires_broadband": {Num: 2, IsNum: true}}, "requires_broadband", "expected true or false"},
		{"remote_work", map[string]Value{"share": {Num: 0.1, IsNum: true}, "skill_levels": {IsList: true, List: []string{"high", "high"}}}, "skill_levels", "listed twice"},
		{"remote_work", map[string]Value{"share": {Num: 0.1, IsNum: true}, "skill_levels": {IsList: true, List: []string{}}}, "skill_levels", "empty"},
		{"business_development", map[string]Value{"jobs": {Num: 10, IsNum: true}, "skill_level": {Str: "hi"}}, "skill_level", `not one of "low", "medium", "high"`},
		{"business_development", map[string]Value{"jobs": {Num: 10, IsNum: true}, "skill_level": {Str: "high"}, "years": {Num: 0, IsNum: true}}, "years", "between 1 and 200"},
		{"municipal_cooperation", map[string]Value{"share": {Num: 1, IsNum: true}}, "share", "takes no parameters"},
		{"part_time_residents", map[string]Value{"days_per_year": {Num: 400, IsNum: true}}, "days_per_year", "between 0 and 365"},
		{"youth", map[string]Value{"attachment_boost": {Num: -1, IsNum: true}}, "attachment_boost", "between 0 and 10"},
		{"youth", map[string]Value{"attachment_boost": {Num: 11, IsNum: true}}, "attachment_boost", "between 0 and 10"},
		{"housing", map[string]Value{"dwellings_per_year": {Num: 10, IsNum: true}, "price_subsidy": {Num: 0.95, IsNum: true}}, "price_subsidy", "between 0 and 0.9"},
		{"reputation", map[string]Value{"boost": {Num: 2, IsNum: true, Line: 7}}, "boost", "between -1 and 1"},
		// nan and inf are TOML floats: no number of anything, whatever the range.
		{"housing", map[string]Value{"dwellings_per_year": {Num: math.Inf(1), IsNum: true, Line: 8}}, "dwellings_per_year", "dwellings_per_year = +Inf is not a number settle can use; write a finite whole number between 0 and 10,000,000, e.g. dwellings_per_year = 50"},
		{"housing", map[string]Value{"dwellings_per_year": {Num: math.NaN(), IsNum: true}}, "dwellings_per_year", "dwellings_per_year = NaN is not a number settle can use"},
		{"business_development", map[string]Value{"jobs": {Num: math.Inf(1), IsNum: true}, "skill_level": {Str: "high"}}, "jobs", "jobs = +Inf is not a number settle can use; write a finite whole number between -10,000,000 and 10,000,000, e.g. jobs = 200"},
		{"business_development", map[string]Value{"jobs": {Num: 10, IsNum: true}, "skill_level": {Str: "high"}, "years": {Num: math.Inf(1), IsNum: true}}, "years", "years = +Inf is not a number settle can use; write a finite whole number between 1 and 200, e.g. years = 5"},
		{"immigration", map[string]Value{"workers_per_year": {Num: math.Inf(1), IsNum: true}}, "workers_per_year", "workers_per_year = +Inf is not a number settle can use"},
		{"campus", map[string]Value{"students": {Num: math.Inf(-1), IsNum: true}}, "students", "students = -Inf is not a number settle can use; write a finite whole number between -10,000,000 and 10,000,000, e.g. students = 500"},
		{"part_time_residents", map[string]Value{"second_homes": {Num: math.Inf(1), IsNum: true}}, "second_homes", "second_homes = +Inf is not a number settle can use"},
		{"region_enlargement", map[string]Value{"minutes_saved": {Num: math.Inf(1), IsNum: true}}, "minutes_saved", "minutes_saved = +Inf is not a number settle can use; write a finite number at least 0, e.g. minutes_saved = 15"},
		{"recruitment", map[string]Value{"relocation_grant": {Num: math.Inf(1), IsNum: true}}, "relocation_grant", "relocation_grant = +Inf is not a number settle can use; write a finite number at least 0, e.g. relocation_grant = 100000"},
		{"youth", map[string]Value{"attachment_boost": {Num: math.NaN(), IsNum: true}}, "attachment_boost", "attachment_boost = NaN is not a number settle can use; write a finite number between 0 and 10"},
		// Counts have a bound, stated in the range: a larger one overflows
		// the engine's whole numbers (jobs = 9223372036854775807 became
		// −9223372036854775808 jobs).
		{"business_development", map[string]Value{"jobs": {Num: 9223372036854775807, IsNum: true}, "skill_level": {Str: "high"}}, "jobs", "jobs = 9.223372036854776e+18 is out of range; use a value between -10,000,000 and 10,000,000"},
		{"business_development", map[string]Value{"jobs": {Num: -9223372036854775807, IsNum: true}, "skill_level": {Str: "high"}}, "jobs", "use a value between -10,000,000 and 10,000,000"},
		{"business_development", map[string]Value{"jobs": {Num: 10, IsNum: true}, "skill_level": {Str: "high"}, "years": {Num: 1000, IsNum: true}}, "years", "years = 1000 is out of range; use a value between 1 and 200"},
		{"housing", map[string]Value{"dwellings_per_year": {Num: 20000000, IsNum: true}}, "dwellings_per_year", "dwellings_per_year = 20000000 is out of range; use a value between 0 and 10,000,000"},
		{"housing", map[string]Value{"dwellings_per_year": {Num: 10, IsNum: true}, "years": {Num: 201, IsNum: true}}, "years", "between 1 and 200"},
		{"campus", map[string]Value{"students": {Num: -10000001, IsNum: true}}, "students", "between -10,000,000 and 10,000,000"},
		{"part_time_residents", map[string]Value{"second_homes": {Num: 1e12, IsNum: true}}, "second_homes", "between 0 and 10,000,000"},
		// Immigrants become simulated persons: 999999999999 a year ran out of memory.
		{"immigration", map[string]Value{"workers_per_year": {Num: 999999999999, IsNum: true}}, "workers_per_year", "workers_per_year = 999999999999 is out of range; use a value between 0 and 1,000,000"},
		{"immigration", map[string]Value{"refugees_per_year": {Num: 1000001, IsNum: true}}, "refugees_per_year", "between 0 and 1,000,000"},
	} {
		errs := Validate(&Spec{Kind: c.kind, Params: c.params})
		found := false
		for _, e := range errs {
			if e.Key == c.key && strings.Contains(e.Msg, c.want) && strings.Contains(e.Msg, ";") {
				found = true
				if v, ok := c.params[c.key]; ok && e.Line != v.Line {
					t.Errorf("%s: line %d, want %d", c.kind, e.Line, v.Line)
				}
			}
		}
		if !found {
			t.Errorf("%s %v: want %s: …%s…; got %v", c.kind, c.params, c.key, c.want, errs)
		}
	}
}

func TestBoolNormalised(t *testing.T) {
	s := &Spec{Kind: "remote_work", Params: map[string]Value{
		"share":              {Num: 0.1, IsNum: true},
		"requires_broadband": {Num: 1, IsNum: true},
	}}
	if errs := Validate(s); errs != nil {
		t.Fatal(errs)
	}
	if v := s.Params["requires_broadband"]; !v.IsBool || !v.Bool || v.Num != 1 {
		t.Errorf("1 → %+v", v)
	}
	s.Params["requires_broadband"] = Value{IsBool: true}
	if errs := Validate(s); errs != nil || s.Flag("requires_broadband") {
		t.Errorf("false → %+v %v", s.Params["requires_broadband"], errs)
	}
}

func TestAccessors(t *testing.T) {
	s := &Spec{Kind: "housing", Params: map[string]Value{"dwellings_per_year": {Num: 40, IsNum: true}}}
	if s.Num("dwellings_per_year") != 40 || s.Num("price_subsidy") != 0 || s.Text("for") != "all" || !s.Has("dwellings_per_year") || s.Has("for") {
		t.Errorf("housing accessors")
	}
	r := &Spec{Kind: "remote_work", Params: map[string]Value{}}
	if !reflect.DeepEqual(r.Strings("skill_levels"), []string{"low", "medium", "high"}) || !r.Flag("requires_broadband") {
		t.Errorf("remote_work defaults")
	}
	e := &Spec{Kind: "region_enlargement", Params: map[string]Value{"minutes_saved": {Num: 20, IsNum: true}}}
	if e.Num("travel_time_factor") != 1 || e.Num("minutes_saved") != 20 {
		t.Errorf("region_enlargement: factor %g, minutes %g", e.Num("travel_time_factor"), e.Num("minutes_saved"))
	}
	defer func() {
		if recover() == nil {
			t.Error("unknown key did not panic")
		}
	}()
	s.Num("no_such_key")
}

func TestCheckTargets(t *testing.T) {
	for _, c := range []struct {
		kind    string
		regions []int
		ok      bool
	}{
		{"broadband", nil, true},
		{"campus", nil, false},
		{"campus", []int{3}, true},
		{"region_enlargement", []int{3}, false},
		{"region_enlargement", []int{3, 4}, true},
		{"municipal_cooperation", []int{1}, false},
	} {
		err := CheckTargets(&Spec{Kind: c.kind, Regions: c.regions})
		if (err == nil) != c.ok {
			t.Errorf("%s %v: %v", c.kind, c.regions, err)
		}
	}
}

func TestRangeText(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		min, max float64
		open     bool
		want     string
	}{
		{0, 1, false, "between 0 and 1"},
		{0, 1, true, "above 0 and at most 1"},
		{0, inf, false, "at least 0"},
		{-inf, inf, false, "of any size (negative or positive)"},
		{-inf, 5, false, "at most 5"},
		{-1e7, 1e7, false, "between -10,000,000 and 10,000,000"},
		{0, 365, false, "between 0 and 365"},
	} {
		if got := RangeText(&ParamSpec{Min: c.min, Max: c.max}, c.open); got != c.want {
			t.Errorf("%v: %q, want %q", c, got, c.want)
		}
	}
}

// TestUnknownKindPointsToKind: an unknown kind that names what a kind does
// points to it, matching whole words ("road" is not "broadband") and
// quoting the description up to the end of its clause, not into a number.
func TestUnknownKindPointsToKind(t *testing.T) {
	for kind, want := range map[string]string{
		"starter_homes": `see kind "housing", parameter for: who the dwellings are for: all, young (starter homes for people under 35) or families (households with children); the kinds are `,
		"road":          `see kind "region_enlargement": a new road, tunnel, bridge or ferry-free connection`,
		"rent":          `(at most 0.9: destination choice weighs the log of the net price, so a free dwelling would be infinitely attractive); the kinds are`,
		"xyzzy":         `unknown intervention kind "xyzzy"; the kinds are broadband,`,
		"school":        `see kind "childcare_services": better kindergartens, schools`, // a plural in the description
	} {
		errs := Validate(&Spec{Kind: kind})
		if len(errs) != 1 || errs[0].Key != "kind" || !strings.Contains(errs[0].Msg, want) {
			t.Errorf("kind %q: %v, want %q", kind, errs, want)
		}
	}
}
