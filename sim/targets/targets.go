// Package targets reads calibration targets: statistics a simulated baseline
// should reproduce (moving rates by age and sex, overall moves per 1000, the
// peak age of the migration schedule, the distance decay of flows, the
// centralisation of the population), each with the source it comes from.
//
// Targets are data in a TOML file (targets/norway.toml holds Norway's, from
// MODEL.md); start with Load. Package fit computes the same statistics from
// a run and compares them with the targets.
//
// Every error names the file, the line, the key and the fix:
//
//	norway.toml:12: moves_per_thousand: min 46 is above max 41; swap them
package targets

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/tomlpos"
	"github.com/settle-sim/settle/sim/world"
)

// Targets are statistics a simulated baseline should reproduce, with
// sources. A nil pointer or empty slice means the statistic is not targeted.
type Targets struct {
	File         string // the path given to Load, or the name given to Parse
	Name, Source string // provenance text
	// StartYear and Years are the window the statistics are computed over:
	// the moves of the Years years from 1 January StartYear, that is the
	// record rows StartYear+1 … StartYear+Years of a run. StartYear 0 means
	// the run's start year; Years 0 means to the end of the run.
	StartYear, Years int

	// AgeRates are moves between regions per 1000 by age group (and
	// optionally sex); see fit for how the simulated rates are measured.
	AgeRates []AgeRate
	// MovesPerThousand is the overall number of moves between regions per
	// 1000 residents (mean population) per year.
	MovesPerThousand *Interval
	// PeakAge is the age of the peak of the single-year migration schedule.
	PeakAge *Interval
	// WomenOverMen is an age range in which women must move more than men.
	WomenOverMen *AgeRange
	// WomenEarlier is the age range in which the peaks of women's and
	// men's moving schedules (smoothed over three years of age) are
	// sought: women's must come first (they move earlier).
	WomenEarlier *AgeRange
	// RogersCastro is a reference model schedule; it is reported against the
	// one fitted to the simulated rates, not checked.
	RogersCastro *RogersCastro
	// DistanceExponent is the gravity exponent of flows against distance
	// (a positive number: flows fall off as distance^−exponent).
	DistanceExponent *Interval
	// SameCountyShare is the share of moves between regions of the same county.
	SameCountyShare *Interval
	// CentralityGain are groups of centrality classes whose share of the
	// population must rise (or fall) through domestic migration over the window.
	CentralityGain []ClassShare
	// GrewUp are shares of the people of an age who live in the
	// municipality they grew up in, by the centrality of that municipality.
	GrewUp []GrewUpShare
	// Gross are observed gross domestic in- and out-migration rates of
	// groups of regions, shown by settle fit against the simulated rates
	// of the same regions: checked and in the loss with Within, else
	// references.
	Gross []GrossMigration
	// Living are observed shares of the adults of an age group (and sex)
	// in one living arrangement (living_arrangements.csv), shown by settle
	// fit against the simulated shares over the window: checked and in
	// the loss with Within, else references.
	Living []LivingShare
}

// LivingShare is the share of the adults aged Lo…Hi (and of sex Sex: "",
// "f" or "m") who live in the arrangement Living (one of
// record.LivingNames: couple, with_parents, alone, lone_parent, other).
// The ages span whole groups of record.LivingAgeNames (18-19, 20-24, 25-29,
// 30-44, 45-66, 67-79, 80+), the groups a run records.
type LivingShare struct {
	Lo, Hi int // ages, inclusive; Hi = world.MaxAge for an open group ("67+")
	Sex    string
	Living string
	Share  float64
	// Within is the accepted absolute error of the share (nil: a
	// reference, shown but not checked and not in fit.Loss).
	Within *float64
	Weight float64 // weight in fit.Loss (Parse defaults it to 1)
	Source string
}

// Label returns e.g. "20-29" or "67+, women".
func (l LivingShare) Label() string {
	a := AgeRate{Lo: l.Lo, Hi: l.Hi}.Label()
	switch l.Sex {
	case "f":
		return a + ", women"
	case "m":
		return a + ", men"
	}
	return a
}

// GrossMigration is the observed domestic migration into and out of the
// regions Regions (codes) taken together, per 1000 residents a year: moves
// from and to the other regions of the world (package fit measures the
// simulated rates over the window, per 1000 residents on 1 January of
// each year's start).
type GrossMigration struct {
	Name    string   // a label, e.g. "Oppland, classes 5-6"
	Regions []string // region codes
	In, Out float64  // per 1000 residents a year
	// Within is the accepted absolute error of each rate, per 1000 a year
	// (nil: references, shown but not checked and not in fit.Loss).
	Within *float64
	Weight float64 // weight of each rate in fit.Loss (Parse defaults it to 1)
	Source string
}

// GrewUpShare is the share of the persons born in Norway aged Age who grew
// up in a region of the centrality classes Classes (every region when
// empty) and live there (package fit, Stats.GrewUpShare).
type GrewUpShare struct {
	Classes []int
	Age     int // one of record.GrewUpAges
	Share   float64
	// Within is the accepted absolute error of the share (nil: a
	// reference, shown but not checked and not in fit.Loss).
	Within *float64
	Weight float64 // weight in fit.Loss (Load defaults it to 1)
	Source string
}

// Label returns "class 6", "classes 1-3" or "all regions".
func (g GrewUpShare) Label() string {
	switch len(g.Classes) {
	case 0:
		return "all regions"
	case 1:
		return "class " + compactList(g.Classes)
	}
	return "classes " + compactList(g.Classes)
}

// AgeRate is a target moving rate of an age group.
type AgeRate struct {
	Lo, Hi      int    // ages, inclusive; Hi = world.MaxAge for an open group ("70+")
	Sex         string // "" (both), "f" or "m"
	PerThousand float64
	// Tolerance is the accepted relative error: 0.2 accepts 80–120 % of PerThousand.
	Tolerance float64
	// ReportOnly rows are shown but neither checked nor part of the loss.
	ReportOnly bool
	Weight     float64 // weight in fit.Loss (Load defaults it to 1)
	Source     string
}

// Label returns the group as written in a targets file: "20-24", "70+",
// with " f" or " m" for one sex.
func (r AgeRate) Label() string {
	s := fmt.Sprintf("%d-%d", r.Lo, r.Hi)
	if r.Hi >= world.MaxAge {
		s = fmt.Sprintf("%d+", r.Lo)
	}
	if r.Sex != "" {
		s += " " + r.Sex
	}
	return s
}

// Interval is an accepted range with an optional preferred point.
type Interval struct {
	Min, Max float64
	// Target is the preferred value in [Min, Max]; NaN (as Load sets it when
	// the file gives none) means the midpoint. Use Point.
	Target float64
	Weight float64 // weight in fit.Loss (Load defaults it to 1)
	Source string
}

// Point returns Target, or the midpoint of the interval when Target is NaN.
func (iv *Interval) Point() float64 {
	if math.IsNaN(iv.Target) {
		return (iv.Min + iv.Max) / 2
	}
	return iv.Target
}

// Contains reports whether Min ≤ x ≤ Max.
func (iv *Interval) Contains(x float64) bool { return x >= iv.Min && x <= iv.Max }

// AgeRange is a range of ages, inclusive.
type AgeRange struct {
	Lo, Hi int
	Source string
}

// ClassShare says that the population share of the centrality classes
// Classes, taken together, must rise (Gain) or fall through domestic
// migration over the window.
type ClassShare struct {
	Classes []int // SSB centrality classes 1 (most central) … 6
	Gain    bool
	// PerThousand is the observed net domestic migration of the classes
	// per 1000 residents a year (nil: none given). The fit shows it against
	// the simulated one: a reference size when Within is nil, a checked
	// target (and a term of fit.Loss) when it is set.
	PerThousand *float64
	// Within is the accepted absolute error of the net rate, per 1000 a
	// year (nil: the rate is a reference, not checked).
	Within *float64
	// ReportOnly rows are shown (the direction and the size) but neither
	// checked nor part of the loss: observations the model is compared
	// with without being fitted to them.
	ReportOnly bool
	Weight     float64 // weight in fit.Loss (Load defaults it to 1)
	Source     string
}

// Label returns "classes 1-3 gain" or similar.
func (c ClassShare) Label() string {
	s := make([]string, len(c.Classes))
	for i, k := range c.Classes {
		s[i] = strconv.Itoa(k)
	}
	dir := "lose"
	if c.Gain {
		dir = "gain"
	}
	name := "classes "
	if len(s) == 1 {
		name = "class "
	}
	return name + compactList(c.Classes) + " " + dir
}

// compactList writes 1,2,3,5 as "1-3,5".
func compactList(x []int) string {
	var b strings.Builder
	for i := 0; i < len(x); {
		j := i
		for j+1 < len(x) && x[j+1] == x[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", x[i], x[j])
		} else {
			fmt.Fprintf(&b, "%d", x[i])
		}
		i = j + 1
	}
	return b.String()
}

// Schedule is a Rogers–Castro model migration schedule (Rogers and Castro
// 1981) with its childhood and labour-force components and a constant:
//
//	m(x) = A1·exp(−Alpha1·x) + A2·exp(−Alpha2·(x−Mu2) − exp(−Lambda2·(x−Mu2))) + C
//
// in moves per person per year at age x.
type Schedule struct {
	A1, Alpha1               float64
	A2, Mu2, Alpha2, Lambda2 float64
	C                        float64
}

// Rate returns m(x), moves per person per year at age x.
func (s Schedule) Rate(x float64) float64 {
	u := x - s.Mu2
	return s.A1*math.Exp(-s.Alpha1*x) + s.A2*math.Exp(-s.Alpha2*u-math.Exp(-s.Lambda2*u)) + s.C
}

// Peak returns the age in [10, 50] where the schedule is highest and the
// rate there. The labour-force component alone peaks at
// Mu2 + ln(Lambda2/Alpha2)/Lambda2; the childhood component shifts it a
// little, so the peak is found numerically (a grid, then golden section).
func (s Schedule) Peak() (age, rate float64) {
	best := 10.0
	for x := 10.0; x <= 50; x += 0.25 {
		if s.Rate(x) > s.Rate(best) {
			best = x
		}
	}
	lo, hi := math.Max(10, best-0.25), math.Min(50, best+0.25)
	g := (math.Sqrt(5) - 1) / 2
	for range 60 {
		a, b := hi-g*(hi-lo), lo+g*(hi-lo)
		if s.Rate(a) > s.Rate(b) {
			hi = b
		} else {
			lo = a
		}
	}
	age = (lo + hi) / 2
	return age, s.Rate(age)
}

// RogersCastro is a reference schedule with its source.
type RogersCastro struct {
	Schedule
	Source string
}

// Load reads and parses the targets file at path.
func Load(path string) (*Targets, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once
		}
		return nil, fmt.Errorf("%s: %w; check the path of the targets file (e.g. targets/norway.toml)", path, err)
	}
	return Parse(path, data)
}

// Error is one problem in a targets file: FILE:LINE: KEY: what is wrong;
// the fix (tomlpos.Error, as every TOML file of Settle reports them).
type Error = tomlpos.Error

// Errors is every problem found in a file, sorted by line.
type Errors = tomlpos.Errors

// The file's layout, decoded by BurntSushi/toml.
type (
	fileIntv struct {
		Min    *float64 `toml:"min"`
		Max    *float64 `toml:"max"`
		Target *float64 `toml:"target"`
		Weight *float64 `toml:"weight"`
		Source string   `toml:"source"`
	}
	fileGroup struct {
		Ages        string   `toml:"ages"`
		Sex         string   `toml:"sex"`
		PerThousand *float64 `toml:"per_thousand"`
		Tolerance   *float64 `toml:"tolerance"`
		ReportOnly  bool     `toml:"report_only"`
		Weight      *float64 `toml:"weight"`
		Source      string   `toml:"source"`
	}
	fileRates struct {
		Tolerance *float64    `toml:"tolerance"`
		Weight    *float64    `toml:"weight"`
		Source    string      `toml:"source"`
		Groups    []fileGroup `toml:"groups"`
	}
	fileRange struct {
		Ages   string `toml:"ages"`
		Source string `toml:"source"`
	}
	fileRC struct {
		A1      *float64 `toml:"a1"`
		Alpha1  *float64 `toml:"alpha1"`
		A2      *float64 `toml:"a2"`
		Mu2     *float64 `toml:"mu2"`
		Alpha2  *float64 `toml:"alpha2"`
		Lambda2 *float64 `toml:"lambda2"`
		C       *float64 `toml:"c"`
		Source  string   `toml:"source"`
	}
	fileClass struct {
		Classes     []int    `toml:"classes"`
		Change      string   `toml:"change"`
		PerThousand *float64 `toml:"per_thousand"`
		Within      *float64 `toml:"within"`
		ReportOnly  bool     `toml:"report_only"`
		Weight      *float64 `toml:"weight"`
		Source      string   `toml:"source"`
	}
	fileGrewUp struct {
		Classes []int    `toml:"classes"`
		Age     *int     `toml:"age"`
		Share   *float64 `toml:"share"`
		Within  *float64 `toml:"within"`
		Weight  *float64 `toml:"weight"`
		Source  string   `toml:"source"`
	}
	fileLiving struct {
		Ages   string   `toml:"ages"`
		Sex    string   `toml:"sex"`
		Living string   `toml:"living"`
		Share  *float64 `toml:"share"`
		Within *float64 `toml:"within"`
		Weight *float64 `toml:"weight"`
		Source string   `toml:"source"`
	}
	fileGross struct {
		Name    string   `toml:"name"`
		Regions []string `toml:"regions"`
		In      *float64 `toml:"in_per_thousand"`
		Out     *float64 `toml:"out_per_thousand"`
		Within  *float64 `toml:"within"`
		Weight  *float64 `toml:"weight"`
		Source  string   `toml:"source"`
	}
	file struct {
		Name             string       `toml:"name"`
		Source           string       `toml:"source"`
		StartYear        int          `toml:"start_year"`
		Years            int          `toml:"years"`
		AgeRates         *fileRates   `toml:"age_rates"`
		MovesPerThousand *fileIntv    `toml:"moves_per_thousand"`
		PeakAge          *fileIntv    `toml:"peak_age"`
		WomenOverMen     *fileRange   `toml:"women_over_men"`
		WomenEarlier     *fileRange   `toml:"women_earlier"`
		RogersCastro     *fileRC      `toml:"rogers_castro"`
		DistanceExponent *fileIntv    `toml:"distance_exponent"`
		SameCountyShare  *fileIntv    `toml:"same_county_share"`
		CentralityShare  []fileClass  `toml:"centrality_share"`
		GrewUp           []fileGrewUp `toml:"living_where_grew_up"`
		Gross            []fileGross  `toml:"gross_migration"`
		Living           []fileLiving `toml:"living_arrangement"`
	}
)

// CalibrationTable is the top-level table that settle calibrate reads beside
// the targets (package calibrate); Parse ignores it and its sub-tables.
const CalibrationTable = "calibration"

// topKeys are the known top-level keys, for did-you-mean hints.
var topKeys = []string{"name", "source", "start_year", "years", "age_rates", "moves_per_thousand",
	"peak_age", "women_over_men", "women_earlier", "rogers_castro", "distance_exponent", "same_county_share", "centrality_share",
	"living_where_grew_up", "gross_migration", "living_arrangement"}

var tableKeys = map[string][]string{
	"age_rates":            {"tolerance", "weight", "source", "groups"},
	"age_rates.groups":     {"ages", "sex", "per_thousand", "tolerance", "report_only", "weight", "source"},
	"interval":             {"min", "max", "target", "weight", "source"},
	"women_over_men":       {"ages", "source"},
	"women_earlier":        {"ages", "source"},
	"rogers_castro":        {"a1", "alpha1", "a2", "mu2", "alpha2", "lambda2", "c", "source"},
	"centrality_share":     {"classes", "change", "per_thousand", "within", "report_only", "weight", "source"},
	"living_where_grew_up": {"classes", "age", "share", "within", "weight", "source"},
	"gross_migration":      {"name", "regions", "in_per_thousand", "out_per_thousand", "within", "weight", "source"},
	"living_arrangement":   {"ages", "sex", "living", "share", "within", "weight", "source"},
}

var decodeLine = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// Parse parses data as the targets file named file.
func Parse(name string, data []byte) (*Targets, error) {
	// A file saved as Latin-1 or UTF-16 is named as such, with the fix,
	// not as the decoder's "invalid UTF-8 byte".
	if e := tomlpos.CheckUTF8(data); e != nil {
		return nil, &Error{File: name, Line: e.Line, Key: "toml", Msg: e.Error()}
	}
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, decodeError(name, data, err)
	}
	p := &problems{Problems: tomlpos.Problems{File: name, Lines: tomlpos.ScanLines(string(data)), NoLine: 1, Tables: append(slices.Clone(arrayTables), "groups")}}
	for _, k := range md.Undecoded() {
		// A [calibration] table is settle calibrate's (its spec may sit
		// beside the targets, docs/calibration.md): not a target, and
		// checked by package calibrate.
		if k[0] == CalibrationTable {
			continue
		}
		p.unknown(k)
	}
	t := &Targets{File: name, Name: f.Name, Source: f.Source, StartYear: f.StartYear, Years: f.Years}
	if f.StartYear < 0 {
		p.Add("start_year", "%d is negative; give the calendar year the window starts (e.g. 2024) or 0 for the run's start", f.StartYear)
	}
	if f.Years < 0 {
		p.Add("years", "%d is negative; give the number of years in the window, or 0 for the whole run", f.Years)
	}
	if r := f.AgeRates; r != nil {
		t.AgeRates = p.ageRates(r)
	}
	t.MovesPerThousand = p.interval("moves_per_thousand", f.MovesPerThousand, 0, math.Inf(1))
	t.PeakAge = p.interval("peak_age", f.PeakAge, 0, world.MaxAge)
	t.DistanceExponent = p.interval("distance_exponent", f.DistanceExponent, math.Inf(-1), math.Inf(1))
	t.SameCountyShare = p.interval("same_county_share", f.SameCountyShare, 0, 1)
	if r := f.WomenOverMen; r != nil {
		lo, hi, ok := p.ages("women_over_men.ages", r.Ages)
		if ok {
			t.WomenOverMen = &AgeRange{Lo: lo, Hi: hi, Source: r.Source}
		}
	}
	if r := f.WomenEarlier; r != nil {
		lo, hi, ok := p.ages("women_earlier.ages", r.Ages)
		if ok && hi-lo < 2 {
			p.Add("women_earlier.ages", "ages = %q is too narrow to compare when women and men move; give a range of several years, e.g. ages = \"18-34\"", r.Ages)
		} else if ok {
			t.WomenEarlier = &AgeRange{Lo: lo, Hi: hi, Source: r.Source}
		}
	}
	if rc := f.RogersCastro; rc != nil {
		t.RogersCastro = p.rogersCastro(rc)
	}
	for i, c := range f.CentralityShare {
		key := fmt.Sprintf("centrality_share[%d]", i+1)
		cs := ClassShare{Classes: append([]int(nil), c.Classes...), ReportOnly: c.ReportOnly, Weight: p.weight(key+".weight", c.Weight, 1), Source: c.Source}
		switch strings.ToLower(c.Change) {
		case "gain":
			cs.Gain = true
		case "lose":
		case "":
			p.Add(key, `missing change; write change = "gain" or change = "lose"`)
		default:
			p.Add(key+".change", `%q is not a change; write change = "gain" or change = "lose"`, c.Change)
		}
		if c.PerThousand != nil {
			v := *c.PerThousand
			cs.PerThousand = &v
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1000 {
				p.Add(key+".per_thousand", "per_thousand = %v is not a rate; write the net domestic migration per 1000 residents a year, e.g. -6", v)
			} else if cs.Gain && v < 0 || !cs.Gain && v > 0 && c.Change != "" {
				p.Add(key+".per_thousand", "per_thousand = %v contradicts change = %q; give a rate of the same sign", v, c.Change)
			}
		}
		if c.Within != nil {
			v := *c.Within
			cs.Within = &v
			switch {
			case !(v > 0) || math.IsInf(v, 0):
				p.Add(key+".within", "within = %v is not an accepted error; write a positive number of moves per 1000 a year, e.g. within = 3", v)
			case c.PerThousand == nil:
				p.Add(key+".within", "within needs the rate it bounds; add per_thousand = … (net domestic migration per 1000 a year)")
			case c.ReportOnly:
				p.Add(key+".within", "within = %v bounds a row that report_only = true leaves unchecked; drop one of the two", v)
			}
		}
		if c.ReportOnly && c.Weight != nil {
			p.Add(key+".weight", "weight = %v has no effect on a report_only row, which is not in the loss; drop one of the two", *c.Weight)
		}
		if len(cs.Classes) == 0 {
			p.Add(key, "missing classes; write e.g. classes = [1, 2, 3] (SSB centrality classes 1–6)")
		}
		p.classes(key, cs.Classes)
		if slices.Equal(cs.Classes, []int{1, 2, 3, 4, 5, 6}) {
			p.Add(key+".classes", "classes 1 to 6 are the whole country, whose net domestic migration is zero: it can neither gain nor lose; list some of the classes, e.g. classes = [5, 6]")
		}
		t.CentralityGain = append(t.CentralityGain, cs)
	}
	for i, g := range f.GrewUp {
		t.GrewUp = append(t.GrewUp, p.grewUp(fmt.Sprintf("living_where_grew_up[%d]", i+1), g))
	}
	for i, g := range f.Gross {
		t.Gross = append(t.Gross, p.gross(fmt.Sprintf("gross_migration[%d]", i+1), g))
	}
	for i, l := range f.Living {
		key := fmt.Sprintf("living_arrangement[%d]", i+1)
		x := p.living(key, l)
		for j, y := range t.Living {
			if x.Lo == y.Lo && x.Hi == y.Hi && x.Sex == y.Sex && x.Living == y.Living {
				p.Add(key, "ages %s, %s are already targeted by living_arrangement[%d]; give each share once", x.Label(), x.Living, j+1)
			}
		}
		t.Living = append(t.Living, x)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if t.empty() {
		return nil, &Error{File: name, Line: 1, Key: "targets", Msg: "the file sets no targets; add e.g. [moves_per_thousand] with min and max (see targets/norway.toml)"}
	}
	return t, nil
}

func (t *Targets) empty() bool {
	return len(t.AgeRates) == 0 && t.MovesPerThousand == nil && t.PeakAge == nil && t.WomenOverMen == nil && t.WomenEarlier == nil &&
		t.RogersCastro == nil && t.DistanceExponent == nil && t.SameCountyShare == nil && len(t.CentralityGain) == 0 &&
		len(t.GrewUp) == 0 && len(t.Gross) == 0 && len(t.Living) == 0
}

// classes sorts a list of centrality classes and reports classes that do
// not exist or are listed twice.
func (p *problems) classes(key string, list []int) {
	sort.Ints(list)
	for j, k := range list {
		if k < 1 || k > 6 {
			p.Add(key+".classes", "class %d does not exist; SSB centrality classes are 1 (most central) to 6", k)
		} else if j > 0 && list[j-1] == k {
			p.Add(key+".classes", "class %d is listed twice; list each class once", k)
		}
	}
}

// grewUp checks one [[living_where_grew_up]] entry.
func (p *problems) grewUp(key string, f fileGrewUp) GrewUpShare {
	g := GrewUpShare{Classes: append([]int(nil), f.Classes...), Age: 35, Weight: p.weight(key+".weight", f.Weight, 1), Source: f.Source}
	p.classes(key, g.Classes)
	if f.Age != nil {
		g.Age = *f.Age
		if !slices.Contains(record.GrewUpAges[:], g.Age) {
			p.Add(key+".age", "age %d is not recorded; settle counts where people grew up at the ages %v (grew_up.csv)", g.Age, record.GrewUpAges)
		}
	}
	switch {
	case f.Share == nil:
		p.Add(key, "missing share; write the share who live where they grew up, e.g. share = 0.5")
	case !(*f.Share >= 0 && *f.Share <= 1):
		p.Add(key+".share", "share = %v is not a share; write a number from 0 to 1, e.g. share = 0.45 for 45 %%", *f.Share)
	default:
		g.Share = *f.Share
	}
	if f.Within != nil {
		v := *f.Within
		g.Within = &v
		if !(v > 0 && v <= 1) {
			p.Add(key+".within", "within = %v is not an accepted error of a share; write a number above 0 and at most 1, e.g. within = 0.1", v)
		}
	}
	return g
}

// gross checks one [[gross_migration]] entry.
func (p *problems) gross(key string, f fileGross) GrossMigration {
	g := GrossMigration{Name: strings.TrimSpace(f.Name), Weight: p.weight(key+".weight", f.Weight, 1), Source: f.Source}
	if g.Name == "" {
		p.Add(key, `missing name; label the regions, e.g. name = "Oppland, classes 5-6"`)
	}
	if len(f.Regions) == 0 {
		p.Add(key, `missing regions; list the codes of the regions the rates are of, e.g. regions = ["3431", "3432"]`)
	}
	seen := map[string]bool{}
	for _, c := range f.Regions {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
			p.Add(key+".regions", "a region code is empty; write each code in quotes, e.g. \"3431\"")
		case seen[c]:
			p.Add(key+".regions", "region %s is listed twice; list each region once", c)
		default:
			seen[c] = true
			g.Regions = append(g.Regions, c)
		}
	}
	rate := func(k string, v *float64) float64 {
		switch {
		case v == nil:
			p.Add(key, "missing %s; write the observed moves per 1000 residents a year, e.g. %s = 32.4", k, k)
		case !(*v >= 0 && *v <= 1000):
			p.Add(key+"."+k, "%s = %v is not a rate; write the moves per 1000 residents a year, from 0 to 1000", k, *v)
		default:
			return *v
		}
		return math.NaN()
	}
	g.In, g.Out = rate("in_per_thousand", f.In), rate("out_per_thousand", f.Out)
	if f.Within != nil {
		v := *f.Within
		g.Within = &v
		if !(v > 0) || math.IsInf(v, 0) {
			p.Add(key+".within", "within = %v is not an accepted error; write a positive number of moves per 1000 a year, e.g. within = 8", v)
		}
	} else if f.Weight != nil {
		p.Add(key+".weight", "weight = %v has no effect without within, which makes the rates checked and part of the loss; add within or drop weight", *f.Weight)
	}
	return g
}

// living checks one [[living_arrangement]] entry.
func (p *problems) living(key string, f fileLiving) LivingShare {
	l := LivingShare{Sex: f.Sex, Living: strings.TrimSpace(f.Living), Weight: p.weight(key+".weight", f.Weight, 1), Source: f.Source}
	var ok bool
	if l.Lo, l.Hi, ok = p.agesLike(key+".ages", f.Ages, `"20-29" or "67+"`, `ages = "20-29" or ages = "67+"`); ok {
		// The ages must span whole recorded groups.
		starts := map[int]bool{}
		for a := 18; a <= world.MaxAge; a++ {
			if g := record.LivingAge(a); g >= 0 && (a == 18 || record.LivingAge(a-1) != g) {
				starts[a] = true
			}
		}
		if !starts[l.Lo] || l.Hi != world.MaxAge && !starts[l.Hi+1] {
			p.Add(key+".ages", "ages %q do not span whole age groups; settle records living arrangements in the groups %s (living_arrangements.csv), so write e.g. ages = \"20-29\" or \"67+\"", f.Ages, strings.Join(record.LivingAgeNames[:], ", "))
		}
	}
	switch f.Sex {
	case "", "f", "m":
	default:
		p.Add(key+".sex", "sex = %q; write \"f\" or \"m\", or leave sex out for both", f.Sex)
	}
	switch {
	case l.Living == "":
		p.Add(key, "missing living; write one of %s, e.g. living = \"couple\"", strings.Join(record.LivingNames[:], ", "))
	case !slices.Contains(record.LivingNames[:], l.Living):
		p.Add(key+".living", "living = %q is not a living arrangement settle records; write one of %s", l.Living, strings.Join(record.LivingNames[:], ", "))
	}
	switch {
	case f.Share == nil:
		p.Add(key, "missing share; write the share of these adults in this arrangement, e.g. share = 0.29")
	case !(*f.Share >= 0 && *f.Share <= 1):
		p.Add(key+".share", "share = %v is not a share; write a number from 0 to 1, e.g. share = 0.29 for 29 %%", *f.Share)
	default:
		l.Share = *f.Share
	}
	if f.Within != nil {
		v := *f.Within
		l.Within = &v
		if !(v > 0 && v <= 1) {
			p.Add(key+".within", "within = %v is not an accepted error of a share; write a number above 0 and at most 1, e.g. within = 0.05", v)
		}
	} else if f.Weight != nil {
		p.Add(key+".weight", "weight = %v has no effect without within, which makes the share checked and part of the loss; add within or drop weight", *f.Weight)
	}
	return l
}

// decodeError turns a decoder error into an Error with a line.
func decodeError(name string, data []byte, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		line, _ := tomlpos.Of(pe, data)
		if strings.Contains(pe.Message, "has already been defined") {
			return lineError(name, data, line, pe.LastKey, strings.TrimSuffix(pe.Message, "."))
		}
		// A syntax error: the scenario's report, with the fix of the
		// commonest mistakes and the line with a caret.
		var e *Error // scenario.Error is the same type
		if errors.As(scenario.SyntaxError(name, data, err), &e) {
			return e
		}
		return lineError(name, data, line, pe.LastKey, strings.TrimSuffix(pe.Message, "."))
	}
	if m := decodeLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return lineError(name, data, line, m[2], m[3])
	}
	return &Error{File: name, Line: 1, Key: "toml", Msg: err.Error()}
}

// lineError is the Error of the decoder's message msg about key on line,
// with the fix.
func lineError(name string, data []byte, line int, key, msg string) error {
	if key == "" {
		key = "toml"
	}
	// The decoder's key has no element numbers: take the numbered key set
	// on the error's line ("age_rates.groups[2].per_thousand").
	plain := key
	key, _ = numberedKey(tomlpos.ScanLines(string(data)), plain, line)
	base := stripIndices(key)
	switch m := typeRe.FindStringSubmatch(msg); {
	case slices.Contains(arrayTables, base) && strings.Contains(msg, "map["):
		// [centrality_share] where [[centrality_share]] was meant.
		msg = fmt.Sprintf("[%s] is one table here, but each entry is written [[%s]] (double brackets); write [[%s]] above every entry", base, base, base)
	case m != nil:
		fix := typeFix(m[2])
		if base[strings.LastIndexByte(base, '.')+1:] == "regions" {
			fix = `write the region codes in quotes, e.g. regions = ["3431", "3432"]`
		}
		// A number in quotes: the line itself, unquoted.
		if src := strings.Split(string(data), "\n"); tomlType(m[2]) == "a number" && line >= 1 && line <= len(src) {
			last := key[strings.LastIndexByte(key, '.')+1:]
			if i := strings.LastIndexByte(last, ']'); i >= 0 {
				last = last[i+1:]
			}
			if q := regexp.MustCompile(`\b` + regexp.QuoteMeta(last) + `\s*=\s*"\s*([-+0-9.eE]+)\s*"`).FindStringSubmatch(src[line-1]); q != nil {
				if _, err := strconv.ParseFloat(q[1], 64); err == nil {
					fix = fmt.Sprintf("write %s = %s without quotes", last, q[1])
				}
			}
		}
		msg = fmt.Sprintf("expected %s, got %s; %s", tomlType(m[2]), tomlType(m[1]), fix)
	case mismatchRe.MatchString(msg):
		// A list of numbers where tables go (groups = [3, 4]).
		m := mismatchRe.FindStringSubmatch(msg)
		fix := typeFix(m[1])
		if tomlType(m[1]) == "a table" && strings.HasSuffix(stripIndices(key), "groups") {
			fix = `write each group as a table, e.g. groups = [ { ages = "20-24", per_thousand = 130 } ]`
		}
		msg = fmt.Sprintf("expected %s, got %s; %s", tomlType(m[1]), tomlType(m[2]), fix)
	case strings.Contains(msg, "incompatible types") || strings.Contains(msg, "cannot"):
		msg += "; give a value of the right type (numbers without quotes, text in quotes)"
	case strings.Contains(msg, "has already been defined"):
		key = tomlpos.Numbered(data, line, plain) // the scanner knows the key's first line only
		msg = "the key is set twice in its table; remove one of them"
	default:
		msg = "invalid TOML: " + msg + "; fix the syntax of this line (text in quotes, one key = value a line)"
	}
	return &Error{File: name, Line: line, Key: key, Msg: msg}
}

// arrayTables are the top-level keys written as arrays of tables
// ([[key]]); with age_rates' groups, the tables whose entries error
// messages number (Parse).
var arrayTables = []string{"centrality_share", "living_where_grew_up", "gross_migration", "living_arrangement"}

// mismatchRe matches the decoder's message for a value of the wrong type
// inside a list ("type mismatch for targets.fileGroup: expected table but
// found int64").
var mismatchRe = regexp.MustCompile(`type mismatch for [\w.]+: expected (\w+) but found (\w+)`)

// typeRe matches the decoder's message for a value of the wrong type.
var typeRe = regexp.MustCompile(`incompatible types: TOML value has type (\w+); destination has type (\w+)`)

// tomlType names a decoder type (TOML's or Go's) in words.
func tomlType(t string) string {
	switch t {
	case "string":
		return "text"
	case "float", "float64", "integer", "int", "int64":
		return "a number"
	case "bool":
		return "true or false"
	case "array", "slice":
		return "a list"
	case "table", "map", "struct":
		return "a table"
	}
	return t
}

// typeFix says how to write a value of the wanted decoder type.
func typeFix(want string) string {
	switch tomlType(want) {
	case "a number":
		return "write the number without quotes"
	case "text":
		return `write text in quotes, e.g. source = "SSB"`
	case "a list":
		return "write a list in [ ], e.g. classes = [5, 6]"
	}
	return "give a value of the right type (numbers without quotes, text in quotes)"
}

// problems collects the errors of one file (tomlpos.Problems), each
// unknown key once.
type problems struct {
	tomlpos.Problems
	reported map[string]bool // unknown keys reported
}

// knownKeys returns the keys the table at path (a top-level key, or
// age_rates.groups) may hold: the top-level keys for an empty path, nil for
// a path that holds no keys.
func knownKeys(path []string) []string {
	switch len(path) {
	case 0:
		return topKeys
	case 1:
		switch path[0] {
		case "moves_per_thousand", "peak_age", "distance_exponent", "same_county_share":
			return tableKeys["interval"]
		}
		return tableKeys[path[0]]
	case 2:
		if path[0] == "age_rates" && path[1] == "groups" {
			return tableKeys["age_rates.groups"]
		}
	}
	return nil
}

// unknown reports a key the file layout does not have: the first element
// of its path that is not known where it stands, once (the keys inside an
// unknown table are not reported one by one).
func (p *problems) unknown(k toml.Key) {
	path := []string(k)
	i := 0
	for i < len(path)-1 && slices.Contains(knownKeys(path[:i]), path[i]) {
		i++
	}
	path = path[:i+1]
	key := strings.Join(path, ".")
	if p.reported[key] {
		return
	}
	if p.reported == nil {
		p.reported = map[string]bool{}
	}
	p.reported[key] = true
	last, known := path[i], knownKeys(path[:i])
	// The decoder's key has no element numbers: find the first line that
	// sets this key in any element ("centrality_share[2].clases").
	where, line := numberedKey(p.Lines, key, 0)
	if line == 0 {
		line = p.Line(key)
	}
	msg := fmt.Sprintf("unknown key %q; ", last)
	switch s := suggest(last, known); {
	case s != "":
		msg += fmt.Sprintf("did you mean %q?", s)
	case len(known) > 0:
		msg += "the keys here are " + strings.Join(known, ", ")
	default:
		// Below a value that holds no keys (name = "…" as a table, say):
		// there is no list to offer, and an empty one helps nobody.
		msg += fmt.Sprintf("%s holds no keys; remove it (targets/norway.toml shows the layout)", strings.Join(path[:i], "."))
	}
	p.Errs = append(p.Errs, &Error{File: p.File, Line: line, Key: where, Msg: msg})
}

// numberedKey returns the numbered form of key, a decoder's key without
// element numbers, as lines set it ("age_rates.groups[2].per_thousand"),
// and its line: the key set on line, or with line 0 on the first line
// that sets it. Of the paths of one line the most numbered wins (groups[1]
// over groups, both written where a list opens on its key's line),
// whatever the map's order. It returns key and 0 when no line sets it.
func numberedKey(lines tomlpos.Lines, key string, line int) (string, int) {
	best, at := key, 0
	for k, l := range lines {
		if stripIndices(k) != key || line != 0 && l != line {
			continue
		}
		if at == 0 || l < at || l == at && morePrecise(k, best) {
			best, at = k, l
		}
	}
	return best, at
}

// morePrecise orders two paths written on one line, so that a choice
// among them does not depend on a map's order: the longer (the numbered
// centrality_share[1] over centrality_share), then the first in byte order.
func morePrecise(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a < b
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// stripIndices turns "age_rates.groups[3].ages" into "age_rates.groups.ages".
func stripIndices(k string) string { return indexRe.ReplaceAllString(k, "") }

func (p *problems) weight(key string, w *float64, def float64) float64 {
	if w == nil {
		return def
	}
	if !(*w >= 0) || math.IsInf(*w, 0) {
		p.Add(key, "weight %g must be a number ≥ 0 (0 leaves the statistic out of the loss)", *w)
		return def
	}
	return *w
}

func (p *problems) interval(key string, f *fileIntv, lo, hi float64) *Interval {
	if f == nil {
		return nil
	}
	iv := &Interval{Target: math.NaN(), Weight: p.weight(key+".weight", f.Weight, 1), Source: f.Source}
	switch {
	case f.Min == nil && f.Max == nil:
		p.Add(key, "missing min and max; write min = … and max = … (the accepted range)")
		return nil
	case f.Min == nil:
		p.Add(key, "missing min; write min = … (the lower end of the accepted range)")
		return nil
	case f.Max == nil:
		p.Add(key, "missing max; write max = … (the upper end of the accepted range)")
		return nil
	}
	iv.Min, iv.Max = *f.Min, *f.Max
	ok := true
	for _, x := range []struct {
		k string
		v float64
	}{{"min", iv.Min}, {"max", iv.Max}} {
		if math.IsNaN(x.v) || math.IsInf(x.v, 0) || x.v < lo || x.v > hi {
			p.Add(key+"."+x.k, "%g is out of range; give a finite number from %g to %g", x.v, lo, hi)
			ok = false
		}
	}
	if ok && iv.Min > iv.Max {
		p.Add(key+".min", "min %g is above max %g; swap them", iv.Min, iv.Max)
		ok = false
	}
	if f.Target != nil {
		iv.Target = *f.Target
		if ok && !iv.Contains(iv.Target) {
			p.Add(key+".target", "target %g lies outside min %g … max %g; give a target inside the range, or leave it out for the midpoint", iv.Target, iv.Min, iv.Max)
		}
	}
	return iv
}

// ages parses "20-24", "70+" or "23".
func (p *problems) ages(key, s string) (lo, hi int, ok bool) {
	return p.agesLike(key, s, `"20-24", "70+" or "23"`, `ages = "20-24" or ages = "70+"`)
}

// agesLike is ages with the examples its messages give: eg for a range
// that is not one, missing for a missing one.
func (p *problems) agesLike(key, s, eg, missing string) (lo, hi int, ok bool) {
	bad := func() (int, int, bool) {
		p.Add(key, `%q is not an age range; write e.g. %s (ages 0–%d)`, s, eg, world.MaxAge)
		return 0, 0, false
	}
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(key, "missing ages; write e.g. %s", missing)
		return 0, 0, false
	}
	var err1, err2 error
	switch {
	case strings.HasSuffix(s, "+"):
		lo, err1 = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(s, "+")))
		hi = world.MaxAge
	case strings.Contains(s, "-"):
		a, b, _ := strings.Cut(s, "-")
		lo, err1 = strconv.Atoi(strings.TrimSpace(a))
		hi, err2 = strconv.Atoi(strings.TrimSpace(b))
	default:
		lo, err1 = strconv.Atoi(s)
		hi = lo
	}
	if err1 != nil || err2 != nil {
		return bad()
	}
	if lo < 0 || hi > world.MaxAge || lo > hi {
		p.Add(key, "ages %q: give 0 ≤ first ≤ last ≤ %d, e.g. \"20-24\"", s, world.MaxAge)
		return 0, 0, false
	}
	return lo, hi, true
}

func (p *problems) ageRates(r *fileRates) []AgeRate {
	tol := 0.0
	if r.Tolerance != nil {
		tol = *r.Tolerance
		if !(tol > 0) || tol >= 1 {
			p.Add("age_rates.tolerance", "%g is not a relative tolerance; give a number between 0 and 1 (0.2 accepts ±20 %%)", tol)
		}
	}
	w := p.weight("age_rates.weight", r.Weight, 1)
	if len(r.Groups) == 0 {
		p.Add("age_rates", `no groups; write groups = [ { ages = "20-24", per_thousand = 130 }, … ]`)
	}
	var out []AgeRate
	seen := map[string]int{}
	for i, g := range r.Groups {
		key := fmt.Sprintf("age_rates.groups[%d]", i+1)
		lo, hi, ok := p.ages(key+".ages", g.Ages)
		a := AgeRate{Lo: lo, Hi: hi, Sex: g.Sex, Tolerance: tol, ReportOnly: g.ReportOnly, Weight: p.weight(key+".weight", g.Weight, w), Source: g.Source}
		if a.Source == "" {
			a.Source = r.Source
		}
		if g.Tolerance != nil {
			a.Tolerance = *g.Tolerance
			if !(a.Tolerance > 0) || a.Tolerance >= 1 {
				p.Add(key+".tolerance", "%g is not a relative tolerance; give a number between 0 and 1 (0.2 accepts ±20 %%)", a.Tolerance)
			}
		} else if r.Tolerance == nil && !g.ReportOnly {
			p.Add(key, "no tolerance; set tolerance = 0.2 (±20 %%) in [age_rates] or in the group, or report_only = true")
		}
		switch g.Sex {
		case "", "f", "m":
		default:
			p.Add(key+".sex", `%q is not a sex; write sex = "f" or sex = "m", or leave it out for both`, g.Sex)
		}
		if g.PerThousand == nil {
			p.Add(key, "missing per_thousand; write per_thousand = … (moves per 1000 residents of these ages per year)")
		} else if v := *g.PerThousand; !(v > 0) || v > 1000 {
			p.Add(key+".per_thousand", "%g is out of range; give moves per 1000 per year, more than 0 and at most 1000", v)
		} else {
			a.PerThousand = v
		}
		if ok {
			if j, dup := seen[a.Label()]; dup {
				p.Add(key+".ages", "ages %s are already targeted by group %d; give each group once", a.Label(), j)
			}
			seen[a.Label()] = i + 1
		}
		out = append(out, a)
	}
	return out
}

func (p *problems) rogersCastro(f *fileRC) *RogersCastro {
	rc := &RogersCastro{Source: f.Source}
	fields := []struct {
		k   string
		src *float64
		dst *float64
	}{{"a1", f.A1, &rc.A1}, {"alpha1", f.Alpha1, &rc.Alpha1}, {"a2", f.A2, &rc.A2}, {"mu2", f.Mu2, &rc.Mu2},
		{"alpha2", f.Alpha2, &rc.Alpha2}, {"lambda2", f.Lambda2, &rc.Lambda2}, {"c", f.C, &rc.C}}
	ok := true
	for _, x := range fields {
		if x.src == nil {
			p.Add("rogers_castro", "missing %s; the schedule needs a1, alpha1, a2, mu2, alpha2, lambda2 and c", x.k)
			ok = false
			continue
		}
		if v := *x.src; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			p.Add("rogers_castro."+x.k, "%g is out of range; give a finite number ≥ 0", v)
			ok = false
		}
		*x.dst = *x.src
	}
	if !ok {
		return nil
	}
	return rc
}

// suggest returns the candidate closest to s (edit distance at most 2 or a
// third of its length), or "".
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	if l := len(s) / 3; l > bestD {
		bestD = l
	}
	for _, c := range candidates {
		if d := params.EditDistance([]rune(strings.ToLower(s)), []rune(c), false); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
