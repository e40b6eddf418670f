// Package intervention is the hook through which scenario [[intervention]]
// entries change the model. A Spec is what the scenario file said (validated
// and with its targets resolved to region indices); the engine calls Apply
// at step 1 of every tick with an Env that exposes the levers.
//
// The catalogue of kinds and their mechanisms is documented in
// docs/interventions.md; kinds are registered in Kinds.
package intervention

import "fmt"

// Spec is one [[intervention]] entry of a scenario.
type Spec struct {
	Kind    string
	Name    string // label in reports; defaults to Kind
	Regions []int  // resolved target region indices; empty = national
	// FromYear is the first year in force; ToYear the last (0 = no end).
	FromYear, ToYear int
	// PhaseInYears ramps the effect in linearly over this many years.
	PhaseInYears int
	// Params holds the kind's own parameters by key.
	Params map[string]Value
	// File and Line locate the entry for error messages.
	File string
	Line int
}

// Value is a kind-specific parameter value: a number, a string, a list of
// strings or a boolean. A boolean (TOML true/false) has IsBool set and Num
// 1 or 0, so a "bool" parameter reads the same whether it was written as
// true/false or 1/0 (Validate normalises both forms).
type Value struct {
	Num    float64
	Str    string
	List   []string
	IsNum  bool
	IsList bool
	Line   int
	Bool   bool
	IsBool bool
}

// Strength returns how much of the intervention is in force in year: 0 before
// FromYear and after ToYear, ramping linearly to 1 over PhaseInYears.
func (s *Spec) Strength(year int) float64 {
	if year < s.FromYear || (s.ToYear != 0 && year > s.ToYear) {
		return 0
	}
	if s.PhaseInYears <= 0 {
		return 1
	}
	f := float64(year-s.FromYear+1) / float64(s.PhaseInYears)
	return min(f, 1)
}

// ParamSpec describes one kind-specific parameter.
type ParamSpec struct {
	Key      string
	Doc      string
	Unit     string
	Min, Max float64
	Required bool
	Default  float64
	Kind     string // "number" (default), "string", "list"
	Choices  []string
}

// KindSpec describes one intervention kind.
type KindSpec struct {
	Kind     string
	Doc      string
	National bool // may apply without target regions
	Params   []ParamSpec
}

// Kinds is the catalogue, keyed by kind. Filled by the kinds' files.
var Kinds = map[string]*KindSpec{}

func register(k *KindSpec) {
	if _, dup := Kinds[k.Kind]; dup {
		panic(fmt.Sprintf("intervention: kind %q registered twice", k.Kind))
	}
	Kinds[k.Kind] = k
}
