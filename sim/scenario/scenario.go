// Package scenario reads scenario files: TOML that names a world, a horizon,
// a seed and a sample scale ([scenario]), overrides behavioural parameters
// ([behaviour]) and schedules policy interventions ([[intervention]]). The
// format is documented in scenarios/README.md.
//
// Start with Load (or Parse for bytes in memory), then LoadWorld, which loads
// the scenario's world and resolves every intervention's target regions, and
// Config, which gives the engine its configuration:
//
//	s, err := scenario.Load("scenarios/baseline.toml")
//	w, err := s.LoadWorld()
//	sim, err := engine.New(w, s.Config(w))
//
// Every error names the file, the line, the key and the fix:
//
//	rogfast.toml:19: intervention[1].regions: unknown region "Stavangr" in world norway-2024; did you mean "Stavanger" (1103)?
//
// Parse and LoadWorld report every problem they find at once (as Errors).
package scenario

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/tomlpos"
	"github.com/settle-sim/settle/sim/world"
)

// Limits of [scenario] values.
const (
	MaxYears      = intervention.MaxYears // 200: a parameter in years may span the longest run
	DefaultWorld  = "norway-2024"
	DefaultSeed   = 1
	DefaultScale  = 1.0
	maxNameLength = 100
)

// Scenario is a parsed scenario file. Parse fills everything but the
// interventions' target regions, which need the world: LoadWorld resolves
// them (and StartYear when the file leaves it out).
type Scenario struct {
	File        string // the path as given to Load, or the name given to Parse
	SHA256      string // hex SHA-256 of the file's bytes, for the manifest
	Text        string // the file's text, for reports that state their assumptions
	Name        string // letters, digits, - and _: names the results folder
	Description string
	// World is an embedded world's name, or the absolute path of a regions CSV.
	World string
	// TravelTimes is the absolute path of a travel-time CSV, or "".
	TravelTimes string
	// StartYear is the year whose 1 January the population describes: the
	// file's start_year until LoadWorld (0 when the file does not give it),
	// then the world's (the two must agree).
	StartYear int
	Years     int // simulated years, 1..MaxYears
	Seed      uint64
	Scale     float64 // 0 < Scale ≤ 1: the sampled share of the population
	// Projection names the national projection the run follows
	// (world.Projections; world.DefaultProjection unless the file says).
	Projection string
	// Behaviour is params.Default with the file's [behaviour] overrides applied.
	Behaviour params.Params
	// Overrides are the parameters the file set, by name.
	Overrides map[string]float64
	// Interventions are the [[intervention]] entries in file order. Their
	// Regions are empty until LoadWorld resolves the targets.
	Interventions []intervention.Spec

	targets   []targets // parallel to Interventions
	fileYears int       // years as the file gave it (a caller may change Years)
	fileScale float64   // scale as the file gave it (0: not given)
	lines     keyLines
	resolved  *world.World // the world the targets were resolved against
	given     *world.World // Overrides.World
}

// Override is a behaviour parameter the file sets, with its default.
type Override struct {
	Name           string
	Value, Default float64
}

// SortedOverrides returns the file's [behaviour] overrides by name, each
// with its default (for settle validate and the comparison report).
func (s *Scenario) SortedOverrides() []Override {
	def := params.Default()
	out := make([]Override, 0, len(s.Overrides))
	for name, v := range s.Overrides {
		d, _ := def.Get(name)
		out = append(out, Override{name, v, d})
	}
	slices.SortFunc(out, func(a, b Override) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// targets is what an [[intervention]] entry said about its regions, kept
// until the world is known.
type targets struct {
	path       string    // "intervention[n]"
	regions    []rawName // regions = [...]
	centrality []int     // centrality = [...]
	county     []rawName // county = "..." or [...]
	countyList bool      // county was given as a list
}

type rawName struct {
	s    string
	line int
}

// Late says of each intervention that starts after the last year a run of
// years from start simulates (start+years−1) that it does: "NAME
// (FILE:LINE) starts in Y, after the last simulated year L". Such an
// intervention changes nothing in that run; callers add what that means.
func (s *Scenario) Late(start, years int) []string {
	last := start + years - 1
	var out []string
	for _, sp := range s.Interventions {
		if sp.FromYear > last {
			out = append(out, fmt.Sprintf("%s (%s:%d) starts in %d, after the last simulated year %d", sp.Name, sp.File, sp.Line, sp.FromYear, last))
		}
	}
	return out
}

// Selection returns how intervention i chose its regions when it chose
// them by county and centrality class rather than by a regions list: the
// counties and classes as the file gave them (both empty otherwise). Its
// Regions are what they selected in the world resolved against.
func (s *Scenario) Selection(i int) (counties []string, centrality []int) {
	t := &s.targets[i]
	if t.regions != nil {
		return nil, nil
	}
	for _, c := range t.county {
		counties = append(counties, c.s)
	}
	return counties, append([]int(nil), t.centrality...)
}

func (t *targets) any() bool {
	return t.regions != nil || t.centrality != nil || t.county != nil
}

// Overrides replace values of the file's [scenario] table, as settle run's
// --seed, --years and --scale do. ParseWith and LoadWith apply them before
// the checks that depend on them: an intervention from 2040 is no mistake
// in a 5-year file run for 20 years.
type Overrides struct {
	Seed  *uint64 // nil = the file's seed
	Years int     // 0 = the file's years
	Scale float64 // 0 = the file's scale
	// World, if not nil, is the world the file is read against: a run's,
	// which output.LoadWorld may have read from the copies in the run's
	// folder. The file's world and travel_times paths are then not
	// looked for on disk, and its problems are checked against World.
	World *world.World
}

// Load reads and parses the scenario file at path.
func Load(path string) (*Scenario, error) { return LoadWith(path, Overrides{}) }

// LoadWith reads and parses the scenario file at path with the overrides o.
func LoadWith(path string, o Overrides) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check the path of the scenario file", path, err)
	}
	return ParseWith(path, data, o)
}

// Parse parses data as the scenario file named file; a world or travel-time
// path in it is relative to file's directory. It checks everything that
// does not need the world, and returns Errors listing every problem; when
// it finds any, it also loads the world (if it can) and adds what
// LoadWorld would find, so that one problem does not hide another.
func Parse(file string, data []byte) (*Scenario, error) {
	return ParseWith(file, data, Overrides{})
}

// ParseWith is Parse with the overrides o applied after the [scenario]
// table is read and before the checks that depend on them. The file's own
// values are still checked (a bad years = 0 is reported even with --years).
func ParseWith(file string, data []byte, o Overrides) (*Scenario, error) {
	s := &Scenario{
		File:       file,
		SHA256:     world.SHA256Hex(data),
		Text:       string(data),
		Seed:       DefaultSeed,
		Scale:      DefaultScale,
		Projection: world.DefaultProjection,
		Behaviour:  params.Default(),
		Overrides:  map[string]float64{},
		given:      o.World,
	}
	if e := tomlpos.CheckUTF8(data); e != nil {
		return nil, encodingError(file, data, e)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, SyntaxError(file, data, err)
	}
	s.lines = scanKeyLines(string(data))
	p := newProblems(file, s.lines)

	misspelt := map[string]bool{} // tables an unknown one is taken for
	for _, key := range sortedKeys(doc) {
		switch key {
		case "scenario", "behaviour", "intervention":
		default:
			p.Add(key, "%s", unknownTop(key, doc[key]))
			switch doc[key].(type) {
			case map[string]any, []map[string]any:
				misspelt[nearTable(key)] = true
			}
		}
	}
	if sc, ok := doc["scenario"]; !ok {
		// [senario] already says what to write.
		if !misspelt["scenario"] {
			p.AddAt(1, "scenario", "missing [scenario] table; start the file with [scenario] and at least name, world and years")
		}
	} else if m, ok := sc.(map[string]any); !ok {
		p.Add("scenario", "expected a table, got %s; write it as a [scenario] table", describe(sc))
	} else {
		s.parseScenario(p, m)
	}
	s.override(o)
	if b, ok := doc["behaviour"]; ok {
		if m, ok := b.(map[string]any); ok {
			s.parseBehaviour(p, m)
		} else {
			p.Add("behaviour", "expected a table, got %s; write it as a [behaviour] table of name = value lines", describe(b))
		}
	}
	if iv, ok := doc["intervention"]; ok {
		if list, ok := iv.([]map[string]any); ok {
			for i, m := range list {
				s.parseIntervention(p, fmt.Sprintf("intervention[%d]", i+1), m)
			}
		} else {
			p.Add("intervention", "expected [[intervention]] entries (double brackets), got %s; write each intervention as its own [[intervention]] table", describe(iv))
		}
	}
	// The interventions' years are checked by Resolve, against the world's
	// start year: a start_year in the file only documents it, and may be
	// wrong.
	s.checkNames(p)
	if len(p.Errs) > 0 {
		s.checkWorldToo(p)
		return nil, p.Err()
	}
	return s, nil
}

// override applies o. A longer horizon widens the years the interventions
// may start in (checkYears); a shorter one does not narrow them.
func (s *Scenario) override(o Overrides) {
	if o.Seed != nil {
		s.Seed = *o.Seed
	}
	if o.Years != 0 {
		s.Years = o.Years
	}
	if o.Scale != 0 {
		s.Scale = o.Scale
	}
}

// scenarioKeys are the keys of [scenario].
var scenarioKeys = []string{"name", "description", "world", "travel_times", "start_year", "years", "seed", "scale", "projection"}

// tableHeaders are the tables of a scenario as their headers are written.
var tableHeaders = map[string]string{"scenario": "[scenario]", "behaviour": "[behaviour]", "intervention": "[[intervention]]"}

// nearTable returns the table of a scenario that the unknown top-level
// name key most likely means ("interventions", "senario", "behavior",
// "Intervention"), or "".
func nearTable(key string) string {
	return params.Suggest(key, []string{"scenario", "behaviour", "intervention"})
}

// unknownTop explains a key or table outside the three tables.
func unknownTop(key string, v any) string {
	header := "[" + key + "]"
	switch v.(type) {
	case map[string]any:
	case []map[string]any: // [[key]]: an array of tables
		header = "[[" + key + "]]"
	default:
		what := "a key outside the tables"
		switch _, err := new(params.Params).Get(key); {
		case slices.Contains(scenarioKeys, key):
			return fmt.Sprintf("%s; %s belongs in the [scenario] table: move it below [scenario]", what, key)
		case err == nil || params.IsPhased(key):
			return fmt.Sprintf("%s; %s is a behaviour parameter: move it below [behaviour]", what, key)
		case slices.Contains(intervention.CommonKeys, key):
			return fmt.Sprintf("%s; %s belongs in an [[intervention]] entry: move it below [[intervention]]", what, key)
		}
		return what + "; a scenario has [scenario], [behaviour] and [[intervention]] tables, and every key belongs in one of them"
	}
	msg := fmt.Sprintf("unknown table %s; ", header)
	sug := nearTable(key)
	if sug == "" {
		return msg + "a scenario has [scenario], [behaviour] and [[intervention]] tables"
	}
	want := tableHeaders[sug]
	switch {
	case strings.EqualFold(key, sug):
		return msg + fmt.Sprintf("table names are lower-case: write %s", want)
	case key == "behavior":
		return msg + fmt.Sprintf("the table has the British spelling: write %s", want)
	case key == sug+"s":
		return msg + fmt.Sprintf("the name is singular: write %s", want)
	}
	return msg + fmt.Sprintf("did you mean %s?", want)
}

// validName is what a scenario name may hold: letters (æ, ø, å and the
// Sámi letters too, composed or with combining marks), decimal digits, -
// and _. It names the results folder (output.SafeName keeps the same).
var validName = regexp.MustCompile(`^[\p{L}\p{M}\p{Nd}_-]+$`)

func (s *Scenario) parseScenario(p *problems, m map[string]any) {
	for _, key := range sortedKeys(m) {
		path := "scenario." + key
		v := m[key]
		switch key {
		case "name":
			name, ok := text(p, path, v, `"baseline"`)
			if !ok {
				continue
			}
			switch {
			case name == "":
				p.Add(path, `the name is empty; give the scenario a name of letters, digits, - and _, e.g. name = "baseline"`)
			case len(name) > maxNameLength:
				p.Add(path, "the name is %d characters long; use at most %d", len(name), maxNameLength)
			case !validName.MatchString(name):
				p.Add(path, "%q has characters other than letters, digits, - and _ (it names the results folder); use e.g. name = %q", name, sanitize(name))
			}
			s.Name = name
		case "description":
			s.Description, _ = text(p, path, v, `"what this scenario asks"`)
		case "world":
			w, ok := text(p, path, v, `"norway-2024"`)
			if ok {
				s.World = w
			}
		case "travel_times":
			t, ok := text(p, path, v, `"travel-times.csv"`)
			if ok {
				// "" is no file, as leaving the key out (documented).
				s.TravelTimes = strings.TrimSpace(t)
			}
		case "start_year":
			if y, ok := integer(p, path, v); ok {
				if y <= 0 {
					p.Add(path, "start_year = %d is not a year; give the world's start year, e.g. start_year = 2024, or leave it out", y)
				} else {
					s.StartYear = int(y)
				}
			}
		case "years":
			if y, ok := integer(p, path, v); ok {
				if y < 1 || y > MaxYears {
					p.Add(path, "years = %d is out of range; simulate between 1 and %d years, e.g. years = 30", y, MaxYears)
				} else {
					s.Years, s.fileYears = int(y), int(y)
				}
			}
		case "seed":
			if n, ok := integer(p, path, v); ok {
				if n < 0 {
					p.Add(path, "seed = %d is negative; use a whole number 0 or above, e.g. seed = 1", n)
				} else {
					s.Seed = uint64(n)
				}
			}
		case "scale":
			if x, ok := number(p, path, v); ok {
				if !(x > 0 && x <= 1) {
					p.Add(path, "scale = %g is out of range; use a share above 0 and at most 1 (1 = the whole population, 0.1 = a 10%% sample)%s", x, strings.Replace(PercentHint(x), "write ", "write scale = ", 1))
				} else {
					s.Scale, s.fileScale = x, x
				}
			}
		case "projection":
			if name, ok := text(p, path, v, strconv.Quote(world.DefaultProjection)); ok {
				if world.FindProjection(name) == nil {
					p.Add(path, "%s", unknownProjection(name))
				} else {
					s.Projection = name
				}
			}
		default:
			unknownKey(p, path, key, scenarioKeys, "[scenario]")
		}
	}
	if _, ok := m["name"]; !ok {
		p.Add("scenario", `missing name; add name = "…" (letters, digits, - and _: it names the results folder)`)
	}
	if _, ok := m["years"]; !ok {
		p.Add("scenario", "missing years; add years = 30 (the number of years to simulate, 1 to %d)", MaxYears)
	}
	if _, ok := m["world"]; !ok {
		p.Add("scenario", "missing world; add world = %q (or the path of a regions CSV)", DefaultWorld)
	}
	if s.World != "" {
		s.resolveWorldPath(p)
	}
}

// isPath reports whether a world value is a file path rather than the name
// of an embedded world (which has no extension): "regions.txt" is a file
// next to the scenario, not in the current directory.
func isPath(w string) bool {
	return strings.ContainsAny(w, `/\`) || filepath.Ext(w) != ""
}

func (s *Scenario) resolveWorldPath(p *problems) {
	dir := filepath.Dir(s.File)
	abs := func(rel string) string {
		if !filepath.IsAbs(rel) {
			rel = filepath.Join(dir, rel)
		}
		if a, err := filepath.Abs(rel); err == nil {
			return a
		}
		return rel
	}
	// An embedded world's name is checked by LoadWorld (world.Load knows
	// them); a world given (Overrides.World) is not looked for.
	if isPath(s.World) {
		s.World = abs(s.World)
		if _, err := os.Stat(s.World); err != nil && s.given == nil {
			p.Add("scenario.world", "cannot read the world file %s: %v; give the path of a regions CSV relative to the scenario file, or an embedded world such as %q%s", s.World, output.UnwrapPath(err), DefaultWorld, runCopyHint(s.File))
		}
	}
	if s.TravelTimes != "" {
		s.TravelTimes = abs(s.TravelTimes)
		if _, err := os.Stat(s.TravelTimes); err != nil && s.given == nil {
			p.Add("scenario.travel_times", "cannot read the travel-time file %s: %v; give the path of a from,to,minutes CSV relative to the scenario file%s", s.TravelTimes, output.UnwrapPath(err), runCopyHint(s.File))
		}
	}
}

// runCopyHint says, for the copy of a scenario a run keeps in its folder
// (output.ScenarioCopy beside a manifest), where the copy's world files
// are: its relative paths name the originals, relative to the original's
// folder, which a run's folder is not. "" for any other file.
func runCopyHint(file string) string {
	dir := filepath.Dir(file)
	if filepath.Base(file) != output.ScenarioCopy {
		return ""
	}
	m, err := output.ReadManifest(dir)
	if err != nil || m.ScenarioFile == "" {
		return ""
	}
	orig := m.ScenarioPath()
	hint := fmt.Sprintf(" (this is the copy of %s a run keeps in its folder: its paths are relative to %s", orig, filepath.Dir(orig))
	if _, err := os.Stat(filepath.Join(dir, output.WorldCopyDir)); err == nil {
		hint += fmt.Sprintf("; the run's copies of its world files are in %s", filepath.Join(dir, output.WorldCopyDir)+string(filepath.Separator))
	}
	return hint + ")"
}

func (s *Scenario) parseBehaviour(p *problems, m map[string]any) {
	for _, key := range sortedKeys(m) {
		path := "behaviour." + key
		if sub, ok := m[key].(map[string]any); ok {
			if !params.IsPhased(key) {
				if _, err := s.Behaviour.Get(key); err != nil {
					p.Add(path, "%v", err)
				} else {
					p.Add(path, "%s is a single number, not set per life phase; write %s = value", key, key)
				}
				continue
			}
			for _, phase := range sortedKeys(sub) {
				s.setParam(p, path+"."+phase, key+"."+phase, sub[phase])
			}
			continue
		}
		s.setParam(p, path, key, m[key])
	}
}

func (s *Scenario) setParam(p *problems, path, name string, v any) {
	if _, ok := v.(map[string]any); ok {
		p.Add(path, "expected a number, got a table; write %s = value", name)
		return
	}
	x, ok := number(p, path, v)
	if !ok {
		return
	}
	if err := s.Behaviour.Set(name, x); err != nil {
		msg := err.Error()
		if i := strings.LastIndexByte(name, '.'); i >= 0 && strings.HasPrefix(msg, "unknown") && params.IsPhased(name[:i]) {
			msg = fmt.Sprintf("%q is not a life phase of %s; use one of %s", name[i+1:], name[:i], strings.Join(params.PhaseNames[:], ", "))
			if sug := params.Suggest(name[i+1:], params.PhaseNames[:]); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
		}
		p.Add(path, "%s", msg)
		return
	}
	s.Overrides[name] = x
}

func (s *Scenario) parseIntervention(p *problems, path string, m map[string]any) {
	sp := intervention.Spec{File: s.File, Line: s.lines.line(path), Params: map[string]intervention.Value{}}
	t := targets{path: path}
	fromOK, toOK := false, false // from_year and to_year given and whole numbers
	for _, key := range sortedKeys(m) {
		kp := path + "." + key
		v := m[key]
		switch key {
		case "kind":
			sp.Kind, _ = text(p, kp, v, `"region_enlargement"`)
		case "name":
			sp.Name, _ = text(p, kp, v, `"Rogfast"`)
		case "regions":
			t.regions = names(p, kp, v, `["Stavanger", "Haugesund"]`)
			if emptyList(v) {
				p.Add(kp, `the regions list is empty; list at least one region code or name, e.g. regions = ["Stavanger"], or leave regions out for a national intervention`)
			}
		case "county":
			t.county = names(p, kp, v, `"Vestland"`)
			_, t.countyList = v.([]any)
			if emptyList(v) {
				p.Add(kp, `the county list is empty; give a county name or code, e.g. county = "Vestland"`)
			}
		case "centrality":
			t.centrality = s.centrality(p, kp, v)
		case "from_year":
			if y, ok := integer(p, kp, v); ok {
				sp.FromYear, fromOK = int(y), true
			}
		case "to_year":
			if y, ok := integer(p, kp, v); ok {
				sp.ToYear, toOK = int(y), true
			}
		case "phase_in_years":
			if y, ok := integer(p, kp, v); ok {
				if y < 0 {
					p.Add(kp, "phase_in_years = %d is negative; use 0 (full effect from from_year) or more years, e.g. phase_in_years = 3", y)
				} else {
					sp.PhaseInYears = int(y)
				}
			}
		default:
			if val, ok := s.value(p, kp, v, paramSpec(m, key)); ok {
				sp.Params[key] = val
			}
		}
	}
	// Kinds are lower-case; "Campus" is campus, as region and county
	// names match in any case. Only the canonical name is used after
	// this (in the name it gives an entry, reports and sweeps).
	if k := strings.ToLower(sp.Kind); intervention.Kinds[k] != nil {
		sp.Kind = k
	}
	s.numbersInText(p, path, &sp)
	if _, ok := m["kind"]; !ok {
		p.Add(path, "missing kind; add kind = \"…\", one of %s", strings.Join(intervention.KindNames(), ", "))
	} else if _, isText := m["kind"].(string); isText {
		for _, fe := range intervention.Validate(&sp) {
			key := path + "." + fe.Key
			line := fe.Line
			if line == 0 {
				line = s.lines.line(key)
			}
			p.AddAt(line, key, "%s", fe.Msg)
		}
	}
	if sp.Name == "" {
		sp.Name = sp.Kind
	}
	if _, ok := m["from_year"]; !ok {
		p.Add(path, "missing from_year; add from_year = YEAR, the first year the intervention is in force")
	}
	// A year already reported bad is no year to compare with.
	if fromOK && toOK && sp.ToYear < sp.FromYear {
		p.Add(path+".to_year", "to_year = %d is before from_year = %d; give a last year on or after from_year, or leave to_year out (no end)", sp.ToYear, sp.FromYear)
	}
	if t.regions != nil && (t.centrality != nil || t.county != nil) {
		other := "centrality"
		if t.county != nil {
			other = "county"
		}
		p.Add(path+"."+other, "both regions and %s are given; list the regions, or select them by centrality and/or county, not both", other)
	}
	_, hasRegions := m["regions"]
	_, hasCentrality := m["centrality"]
	_, hasCounty := m["county"]
	if k, ok := intervention.Kinds[sp.Kind]; ok && !k.National && !hasRegions && !hasCentrality && !hasCounty {
		p.Add(path, "%s needs target regions; add regions = [\"…\"] (codes or names), centrality = [5, 6] or county = \"…\"", sp.Kind)
	}
	s.Interventions = append(s.Interventions, sp)
	s.targets = append(s.targets, t)
}

// numbersInText reports the number parameters of sp given as text that
// reads as a number written as TOML does not (share = "20 %", coverage =
// "0,9"), with the number meant, which it puts in their place so that
// intervention.Validate neither repeats the problem nor reports the
// parameter missing.
func (s *Scenario) numbersInText(p *problems, path string, sp *intervention.Spec) {
	k := intervention.Kinds[sp.Kind]
	if k == nil {
		return
	}
	for _, ps := range k.Params {
		v, given := sp.Params[ps.Key]
		if !given || v.IsBool || v.IsList || !(ps.Kind == "" || ps.Kind == "number" || ps.Kind == "integer") {
			continue
		}
		kp := path + "." + ps.Key
		what := "a number"
		if ps.Kind == "integer" {
			what = "a whole number"
		}
		if v.IsNum {
			// jobs = 1.500 or 2.000: a thousands separator as Norwegians
			// write it, which TOML reads as 1.5 or 2 (a count of 2 passed
			// unremarked). So too an amount of kroner, which has no third
			// decimal (relocation_grant = 400.000 was a grant of 400 NOK).
			if raw := s.rawValue(kp, ps.Key); (ps.Kind == "integer" || ps.Unit == "NOK") && dotThousands.MatchString(raw) {
				whole := strings.ReplaceAll(raw, ".", "")
				p.Add(kp, "%s = %s reads as %s; TOML has no thousands separators: write %s = %s if the dot separates thousands",
					ps.Key, raw, strconv.FormatFloat(v.Num, 'g', -1, 64), ps.Key, whole)
				v.Num, _ = strconv.ParseFloat(whole, 64)
				sp.Params[ps.Key] = v
			}
			continue
		}
		text := strings.TrimSpace(v.Str)
		if (ps.Kind == "integer" || ps.Unit == "NOK") && dotThousands.MatchString(text) {
			// jobs = "1.500", relocation_grant = "400.000": the dots
			// separate thousands (1.5 would be refused as a count, and a
			// grant of 400 NOK is not what was meant). Before the
			// reading below, which took the dot for a decimal point.
			whole := strings.ReplaceAll(text, ".", "")
			p.Add(kp, "expected %s, got the text %q; write %s = %s without quotes: TOML has no thousands separators", what, v.Str, ps.Key, whole)
			v.Num, _ = strconv.ParseFloat(whole, 64)
		} else if n, ok := readNumber(kp, text); ok {
			p.Add(kp, "expected %s, got the text %q; %s", what, v.Str, numberFix(kp, ps.Key, v.Str, true))
			v.Num, _ = strconv.ParseFloat(n.value, 64)
		} else if _, err := strconv.ParseFloat(text, 64); err == nil {
			continue // "0.9": intervention.Validate says to write it without quotes
		} else if m := withUnit.FindStringSubmatch(text); m != nil && !multiplier.MatchString(text) {
			// "400 000 NOK", "kr 250 000", "1500 jobs": the number, without
			// its unit (the parameter's documentation says what the unit
			// is). Not "2,5 mill" or "100k": the number alone is not the
			// amount meant.
			num, why := m[1], ""
			n, ok := readNumber(kp, num)
			switch {
			case dotThousands.MatchString(num):
				// "kr 400.000": thousands, not 400 kroner.
				num, why = strings.ReplaceAll(num, ".", ""), "; TOML has no thousands separators"
			case ok && n.alt != "":
				// "NOK 50,000": 50000 with a thousands separator, or 50
				// with a decimal comma.
				p.Add(kp, "expected %s, got the text %q; write %s = %s if the comma separates thousands, or %s = %s if it is a decimal comma: the number without its unit or other words; %s",
					what, v.Str, ps.Key, n.alt, ps.Key, n.value, n.why)
				v.Num, _ = strconv.ParseFloat(n.alt, 64)
				v.IsNum, v.Str = true, ""
				sp.Params[ps.Key] = v
				continue
			case ok:
				num, why = n.value, "; "+n.why
			default:
				if _, err := strconv.ParseFloat(num, 64); err != nil {
					continue
				}
			}
			p.Add(kp, "expected %s, got the text %q; write %s = %s, the number without its unit or other words%s", what, v.Str, ps.Key, num, why)
			v.Num, _ = strconv.ParseFloat(num, 64)
		} else {
			continue
		}
		v.IsNum, v.Str = true, ""
		sp.Params[ps.Key] = v
	}
}

var (
	// dotThousands is a whole number with dots between groups of three
	// digits (1.500, 12.000.000).
	dotThousands = regexp.MustCompile(`^[+-]?[1-9]\d{0,2}(\.\d{3})+$`)
	// withUnit is a number with words or a currency before or after it
	// ("400 000 NOK", "kr 250 000", "30 per year"); the number is the
	// first group.
	// multiplier is a word that scales the number beside it ("2,5 mill",
	// "100k", "3 tusen"): no number alone is the amount meant.
	multiplier = regexp.MustCompile(`(?i)(\d\s*k\b|\b(tusen|thousand|mill|million|millioner|mln|mrd|milliard|milliarder|billion|bn)\b)`)
	withUnit   = regexp.MustCompile(`^\s*(?:[\p{L}\p{Sc}]+\.?\s*)?([+-]?\d(?:[\d ,.\x{a0}\x{202f}\x{2009}]*\d)?)\s*(?:[\p{L}\p{Sc}][\p{L}\p{Sc}\s./-]*)?$`)
)

// rawValue returns the value of key as written on the line of path in the
// file (its comment removed), or "" when that line does not set key
// itself (an inline table).
func (s *Scenario) rawValue(path, key string) string {
	l := s.lines.line(path)
	lines := strings.Split(s.Text, "\n")
	if l < 1 || l > len(lines) {
		return ""
	}
	k, v, ok := lineKey(strings.TrimRight(lines[l-1], "\r"))
	if !ok || lastKey(k) != key {
		return ""
	}
	return v
}

// centrality reads a class or a list of classes 1..6.
func (s *Scenario) centrality(p *problems, path string, v any) []int {
	if classes, got, ok := classesInText(v); ok {
		p.Add(path, "expected a class or a list of classes, got %s; write centrality = %s (numbers, without quotes)", got, formatClasses(classes))
		return []int{}
	}
	if str, isText := v.(string); isText {
		if _, err := strconv.Atoi(strings.TrimSpace(str)); err != nil {
			p.Add(path, "expected a class or a list of classes (SSB's 1 = most central to 6 = least central), got %s; write e.g. centrality = [5, 6]", describe(v))
			return []int{}
		}
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := []int{}
	for i, el := range list {
		ep := path
		if _, isList := v.([]any); isList {
			ep = fmt.Sprintf("%s[%d]", path, i+1)
		}
		c, ok := integer(p, ep, el)
		if !ok {
			continue
		}
		if c < 1 || c > 6 {
			p.Add(ep, "centrality class %d does not exist; SSB's classes run from 1 (most central) to 6 (least central), e.g. centrality = [5, 6]", c)
			continue
		}
		if slices.Contains(out, int(c)) {
			p.Add(ep, "centrality class %d is listed twice; list each class once", c)
			continue
		}
		out = append(out, int(c))
	}
	if len(list) == 0 {
		p.Add(path, "the centrality list is empty; list classes from 1 (most central) to 6 (least), e.g. centrality = [5, 6]")
	}
	return out
}

var (
	classRange = regexp.MustCompile(`^(\d+)\s*(?:-|–|—|\.\.|to|til)\s*(\d+)$`)
	classSep   = regexp.MustCompile(`\s*(?:[,;/&+]|\s|\bog\b|\band\b)\s*`)
)

// classesInText returns the centrality classes that v, given as text,
// means: "5-6" (also 5–6, 5..6, 5 to 6, 5 til 6), "5, 6" (also 5 og 6, 5
// and 6, [5, 6]) or the list ["5", "6"], with how v was written; ok only
// when they are at least two and all classes 1..6 (a single "5" is
// integer's case).
func classesInText(v any) (classes []int, got string, ok bool) {
	var parts []string
	switch x := v.(type) {
	case string:
		t := strings.Trim(strings.TrimSpace(x), "[]() ")
		if m := classRange.FindStringSubmatch(t); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			if a > b {
				a, b = b, a
			}
			for c := a; c <= b && c <= 7; c++ {
				parts = append(parts, strconv.Itoa(c))
			}
		} else {
			parts = classSep.Split(t, -1)
		}
		got = describe(v)
	case []any:
		texts := 0
		for _, el := range x {
			switch e := el.(type) {
			case string:
				parts = append(parts, e)
				texts++
			case int64:
				parts = append(parts, strconv.FormatInt(e, 10))
			default:
				return nil, "", false
			}
		}
		if texts == 0 {
			return nil, "", false
		}
		got = "numbers in quotes"
	default:
		return nil, "", false
	}
	if _, isList := v.([]any); !isList && len(parts) < 2 {
		return nil, "", false
	}
	for _, part := range parts {
		c, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || c < 1 || c > 6 {
			return nil, "", false
		}
		classes = append(classes, c)
	}
	return classes, got, len(classes) > 0
}

func formatClasses(classes []int) string {
	s := make([]string, len(classes))
	for i, c := range classes {
		s[i] = strconv.Itoa(c)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// value converts a kind-specific TOML value.
func (s *Scenario) value(p *problems, path string, v any, ps *intervention.ParamSpec) (intervention.Value, bool) {
	numeric := ps != nil && (ps.Kind == "" || ps.Kind == "number" || ps.Kind == "integer")
	val := intervention.Value{Line: s.lines.line(path)}
	switch x := v.(type) {
	case int64:
		val.Num, val.IsNum = float64(x), true
	case float64:
		val.Num, val.IsNum = x, true
	case string:
		val.Str = x
	case bool:
		val.Bool, val.IsBool = x, true
		if x {
			val.Num = 1
		}
	case []any:
		val.IsList = true
		val.List = []string{}
		for i, el := range x {
			str, ok := el.(string)
			if !ok {
				// No kind takes a list of numbers: relocation_grant = [50000]
				// is one number in brackets (a list parameter's [3] is not).
				_, isInt := el.(int64)
				_, isFloat := el.(float64)
				isInt, isFloat = isInt && numeric, isFloat && numeric
				switch {
				case (isInt || isFloat) && len(x) == 1:
					p.Add(path, "expected one value, got a list; write %s = %v without the brackets", lastKey(path), el)
				case isInt || isFloat:
					p.Add(path, "expected one value, got a list of %d numbers; give one (a list here holds names in quotes), or one intervention for each value", len(x))
				case ps != nil && len(ps.Choices) > 0:
					// skill_levels = [3]: "3" is no level either.
					p.Add(fmt.Sprintf("%s[%d]", path, i+1), "expected one of %s in quotes in this list, got %s; write e.g. %s = [%q]",
						intervention.QuoteAll(ps.Choices), describe(el), lastKey(path), ps.Choices[len(ps.Choices)-1])
				default:
					p.Add(fmt.Sprintf("%s[%d]", path, i+1), "expected text in quotes in this list, got %s; write it as %q", describe(el), fmt.Sprint(el))
				}
				return val, false
			}
			val.List = append(val.List, str)
		}
	default:
		p.Add(path, "expected a number, text, true/false or a list of text, got %s; see the kind's parameters in scenarios/README.md", describe(v))
		return val, false
	}
	return val, true
}

// paramSpec returns the parameter key of the kind the intervention table
// m names (in any case), or nil.
func paramSpec(m map[string]any, key string) *intervention.ParamSpec {
	name, _ := m["kind"].(string)
	k := intervention.Kinds[strings.ToLower(strings.TrimSpace(name))]
	if k == nil {
		return nil
	}
	for i := range k.Params {
		if k.Params[i].Key == key {
			return &k.Params[i]
		}
	}
	return nil
}

// checkNames rejects two interventions with the same explicit name.
func (s *Scenario) checkNames(p *problems) {
	seen := map[string]int{}
	for i := range s.Interventions {
		path := s.targets[i].path
		if _, given := s.lines[path+".name"]; !given {
			continue
		}
		// Sweeps find a name in any case: "Fibre" and "fibre" are one.
		name := s.Interventions[i].Name
		if j, dup := seen[strings.ToLower(name)]; dup {
			p.Add(path+".name", "the name %q is already used by the intervention at line %d; give each intervention its own name", name, s.Interventions[j].Line)
			continue
		}
		seen[strings.ToLower(name)] = i
	}
}

// checkScale reports a scale too small for the world w: one at which the
// simulated person every region keeps inflates the population
// (synth.ScaleBias).
func (s *Scenario) checkScale(p *problems, w *world.World) {
	as := ""
	switch {
	case s.fileScale == 0:
		as = " (as overridden)"
	case s.Scale != s.fileScale:
		as = fmt.Sprintf(" (as overridden; the file has scale = %g)", s.fileScale)
	}
	// A world × scale whose persons a run cannot number (synth.TooMany).
	if why := synth.TooMany(w, s.Scale); why != "" {
		p.Add("scenario.scale", "scale = %g%s is too large for world %s: %s", s.Scale, as, filepath.Base(w.Name), why)
		return
	}
	b := synth.ScaleBias(w, s.Scale)
	if !(b > synth.MaxScaleBias) {
		return
	}
	p.Add("scenario.scale", "scale = %g%s is too small for world %s: %d of its %d regions (the smallest) would each keep one simulated person, counted as %s residents, which overstates the population by %s; use scale = %g or more",
		s.Scale, as, filepath.Base(w.Name), synth.Topped(w, s.Scale), w.N(), output.Group(int64(math.Round(1/s.Scale))), synth.BiasText(b), synth.MinScale(w))
}

// checkYears checks the interventions' years against the years simulated
// in world w, start … start+years−1 from its start year, years being the file's or, when longer, Years as
// overridden (settle run --years 20, or a caller that sets Years before
// LoadWorld). A shorter Years (settle run --years 2) does not make the file
// wrong: interventions beyond the shorter horizon simply never take effect.
func (s *Scenario) checkYears(p *problems, w *world.World) {
	start := w.StartYear
	years := max(s.fileYears, s.Years)
	last := start + years - 1
	how := "simulate more years"
	if s.fileYears > 0 && s.Years > s.fileYears {
		how = fmt.Sprintf("simulate more years (years = %d in the file, %d as overridden)", s.fileYears, s.Years)
	}
	for i := range s.Interventions {
		sp := &s.Interventions[i]
		path := s.targets[i].path + ".from_year"
		if _, given := s.lines[path]; !given {
			continue
		}
		switch {
		case sp.FromYear < start:
			p.Add(path, "from_year = %d is before the start year %d; use %d or later (world %s describes the population on 1 January %d, where the simulation starts)", sp.FromYear, start, start, filepath.Base(w.Name), start)
		case years > 0 && sp.FromYear > last:
			p.Add(path, "from_year = %d is after the last simulated year %d; use a year from %d to %d, or %s", sp.FromYear, last, start, last, how)
		}
	}
}

// Helpers that read a TOML value of one type, adding a problem otherwise.

func text(p *problems, path string, v any, example string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.Add(path, "expected text in quotes, got %s; write %s = %s", describe(v), lastKey(path), example)
	}
	return s, ok
}

func integer(p *problems, path string, v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			notFinite(p, path, x, "whole number")
		case x == math.Trunc(x) && math.Abs(x) < 1<<53:
			return int64(x), true
		case x == math.Trunc(x):
			p.Add(path, "%s = %g is too large for a whole number; write e.g. %s = %s", lastKey(path), x, lastKey(path), keyExample(path))
		default:
			p.Add(path, "expected a whole number, got %g; write %s = %g", x, lastKey(path), math.Round(x))
		}
		return 0, false
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			p.Add(path, "expected a whole number, got the text %q; write %s = %d without quotes", x, lastKey(path), n)
			return 0, false
		}
		if fix := numberFix(path, lastKey(path), x, true); fix != "" { // "2 030"
			p.Add(path, "expected a whole number, got the text %q; %s", x, fix)
			return 0, false
		}
		if key := lastKey(path); strings.HasSuffix(key, "year") {
			for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006", "2006-01-02T15:04:05"} {
				if d, err := time.Parse(layout, strings.TrimSpace(x)); err == nil {
					p.Add(path, "expected a year, got the text %q; write %s = %d without quotes", x, key, d.Year())
					return 0, false
				}
			}
		}
	case time.Time:
		// from_year = 2027-01-01 is a TOML date: the year is what was meant.
		if key := lastKey(path); strings.HasSuffix(key, "year") && x.Location().String() != "time-local" {
			note := ""
			if x.Month() != time.January || x.Day() != 1 {
				note = " (the simulation steps whole years, from 1 January)"
			}
			p.Add(path, "expected a year, got %s; write %s = %d%s", describe(v), key, x.Year(), note)
			return 0, false
		}
	}
	example := "1"
	if strings.HasSuffix(lastKey(path), "year") {
		example = "2025"
	}
	p.Add(path, "expected a whole number, got %s; write e.g. %s = %s", describe(v), lastKey(path), example)
	return 0, false
}

func number(p *problems, path string, v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			notFinite(p, path, x, "number")
			return 0, false
		}
		return x, true
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			p.Add(path, "expected a number, got the text %q; write %s = %s without quotes", x, lastKey(path), strconv.FormatFloat(f, 'g', -1, 64))
			return 0, false
		}
		if fix := numberFix(path, lastKey(path), x, true); fix != "" { // "0,05", "20 %"
			p.Add(path, "expected a number, got the text %q; %s", x, fix)
			return 0, false
		}
	}
	p.Add(path, "expected a number, got %s; write e.g. %s = 1.0", describe(v), lastKey(path))
	return 0, false
}

// notFinite reports nan, inf or -inf, which TOML reads as floats, where a
// number (what) is expected: no amount of anything, nor a year.
func notFinite(p *problems, path string, x float64, what string) {
	key := lastKey(path)
	p.Add(path, "%s = %s is not a number settle can use; write a finite %s, e.g. %s = %s",
		key, strconv.FormatFloat(x, 'g', -1, 64), what, key, keyExample(path))
}

// keyExamples are valid values of the [scenario] and [[intervention]]
// keys that take numbers, for messages.
var keyExamples = map[string]string{
	"years": "30", "seed": "1", "start_year": "2024", "scale": "0.1",
	"from_year": "2025", "to_year": "2030", "phase_in_years": "3", "centrality": "[5, 6]",
}

// keyExample returns a valid value of the key at path: its entry in
// keyExamples, a behaviour parameter's default, or 1.
func keyExample(path string) string {
	key := lastKey(path)
	if ex, ok := keyExamples[key]; ok {
		return ex
	}
	if name, ok := strings.CutPrefix(displayKey(path), "behaviour."); ok {
		def := params.Default()
		if d, err := def.Get(name); err == nil {
			return strconv.FormatFloat(d, 'g', -1, 64)
		}
	}
	return "1"
}

// emptyList reports whether v is a list without elements (not one whose
// elements were all refused: regions = [1818] is a number to quote, not an
// empty list).
func emptyList(v any) bool {
	l, ok := v.([]any)
	return ok && len(l) == 0
}

// names reads a string or a list of strings, with each one's line.
func names(p *problems, path string, v any, example string) []rawName {
	if str, ok := v.(string); ok {
		return []rawName{{str, keyLines(p.Lines).line(path)}}
	}
	list, ok := v.([]any)
	if !ok {
		if n, isInt := v.(int64); isInt {
			example = fmt.Sprintf("[%q]", strconv.FormatInt(n, 10))
		}
		p.Add(path, "expected a list of codes or names in quotes, got %s; write %s = %s", describe(v), lastKey(path), example)
		return nil
	}
	out := []rawName{}
	for i, el := range list {
		ep := fmt.Sprintf("%s[%d]", path, i+1)
		switch x := el.(type) {
		case string:
			out = append(out, rawName{x, keyLines(p.Lines).line(ep)})
		case int64:
			p.Add(ep, "expected a code or name in quotes, got the number %d; write it as %q (codes keep their leading zeros, e.g. \"0301\")", x, fmt.Sprint(x))
		default:
			p.Add(ep, "expected a code or name in quotes, got %s; write %s = %s", describe(el), lastKey(path), example)
		}
	}
	return out
}

// unknownProjection explains a projection name that is none of
// world.Projections.
func unknownProjection(name string) string {
	msg := fmt.Sprintf("projection = %q is not a projection Settle knows; ", name)
	if sug := params.Suggest(name, world.ProjectionNames()); sug != "" {
		msg += fmt.Sprintf("did you mean %q? ", sug)
	}
	var list []string
	for _, pr := range world.Projections {
		list = append(list, fmt.Sprintf("%q (%s)", pr.Name, pr.Title))
	}
	return msg + "use one of " + strings.Join(list, ", ") + ", or leave it out for " + strconv.Quote(world.DefaultProjection)
}

func unknownKey(p *problems, path, key string, known []string, where string) {
	msg := fmt.Sprintf("unknown key %q in %s; ", key, where)
	if sug := params.Suggest(key, known); sug != "" {
		msg += fmt.Sprintf("did you mean %q?", sug)
	} else {
		msg += "the keys are " + strings.Join(known, ", ")
	}
	p.Add(path, "%s", msg)
}

func lastKey(path string) string {
	path = displayKey(path)
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return "the text " + strconv.Quote(x)
	case int64:
		return "the whole number " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	case time.Time:
		// The decoder marks local dates and times by their zone's name.
		switch x.Location().String() {
		case "date-local":
			return "the date " + x.Format("2006-01-02")
		case "time-local":
			return "the time " + x.Format("15:04:05")
		case "datetime-local":
			return "the date and time " + x.Format("2006-01-02T15:04:05")
		}
		return "the date and time " + x.Format(time.RFC3339)
	}
	return fmt.Sprintf("a %T", v)
}

// sanitize turns s into a valid name, for the fix hint.
func sanitize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "my-scenario"
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
