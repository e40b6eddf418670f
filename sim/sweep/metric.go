package sweep

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// How a quantity is aggregated over regions and years.
const (
	kindStock  = iota // a count on 1 January: summed over regions, scaled back; mean over years
	kindRatio         // Σ num / Σ den over regions, on 1 January; mean over years
	kindChange        // percent change of the population since the start
	kindFlow          // a count during the year: summed over regions and years, scaled back
	kindRate          // Σ num per 1000 of the mean population (start and end of the year); mean over years
)

// quantity is one thing a metric can measure.
type quantity struct {
	name string
	kind int
	doc  string
	num  func(r *record.Region) float64
	den  func(r *record.Region) float64 // kindRatio only
}

func pop(r *record.Region) float64 { return float64(r.Population) }

// quantities are the metric language's quantities, in the order the docs
// list them.
var quantities = []quantity{
	{"population", kindStock, "residents", pop, nil},
	{"age_0_19", kindStock, "residents aged 0–19", func(r *record.Region) float64 { return float64(r.Age0to19) }, nil},
	{"age_20_39", kindStock, "residents aged 20–39", func(r *record.Region) float64 { return float64(r.Age20to39) }, nil},
	{"age_40_66", kindStock, "residents aged 40–66", func(r *record.Region) float64 { return float64(r.Age40to66) }, nil},
	{"age_67_plus", kindStock, "residents aged 67 and over", func(r *record.Region) float64 { return float64(r.Age67Plus) }, nil},
	{"higher_education", kindStock, "residents aged 25+ with a bachelor's degree or more", func(r *record.Region) float64 { return float64(r.HigherEducation) }, nil},
	{"employed", kindStock, "employed residents", func(r *record.Region) float64 { return float64(r.Employed) }, nil},
	{"unemployed", kindStock, "unemployed residents", func(r *record.Region) float64 { return float64(r.Unemployed) }, nil},
	{"jobs", kindStock, "jobs located in the regions", func(r *record.Region) float64 { return float64(r.Jobs) }, nil},
	{"vacancies", kindStock, "vacant jobs", func(r *record.Region) float64 { return float64(r.Vacancies) }, nil},
	{"students", kindStock, "students in higher education", func(r *record.Region) float64 { return float64(r.Students) }, nil},
	{"dwellings", kindStock, "dwellings", func(r *record.Region) float64 { return float64(r.Dwellings) }, nil},
	{"households", kindStock, "private households", func(r *record.Region) float64 { return float64(r.Households) }, nil},
	{"vacant_dwellings", kindStock, "dwellings without a household", func(r *record.Region) float64 { return float64(r.VacantDwellings) }, nil},
	{"households_without_dwelling", kindStock, "households beyond the dwellings", func(r *record.Region) float64 { return float64(r.Crowded) }, nil},
	{"in_commuters", kindStock, "workers commuting in", func(r *record.Region) float64 { return float64(r.InCommuters) }, nil},
	{"out_commuters", kindStock, "residents commuting out", func(r *record.Region) float64 { return float64(r.OutCommuters) }, nil},
	{"remote_workers", kindStock, "residents working remotely", func(r *record.Region) float64 { return float64(r.RemoteWorkers) }, nil},
	{"part_time_residents", kindStock, "second-home residents from elsewhere", func(r *record.Region) float64 { return float64(r.PartTimeResidents) }, nil},
	{"share_0_19", kindRatio, "share of residents aged 0–19 (0–1)", func(r *record.Region) float64 { return float64(r.Age0to19) }, pop},
	{"share_20_39", kindRatio, "share of residents aged 20–39 (0–1)", func(r *record.Region) float64 { return float64(r.Age20to39) }, pop},
	{"share_40_66", kindRatio, "share of residents aged 40–66 (0–1)", func(r *record.Region) float64 { return float64(r.Age40to66) }, pop},
	{"share_67_plus", kindRatio, "share of residents aged 67 and over (0–1)", func(r *record.Region) float64 { return float64(r.Age67Plus) }, pop},
	{"unemployment_rate", kindRatio, "unemployed / (employed + unemployed) (0–1)", func(r *record.Region) float64 { return float64(r.Unemployed) },
		func(r *record.Region) float64 { return float64(r.Employed + r.Unemployed) }},
	{"dwelling_vacancy_rate", kindRatio, "vacant dwellings / dwellings (0–1)", func(r *record.Region) float64 { return float64(r.VacantDwellings) },
		func(r *record.Region) float64 { return float64(r.Dwellings) }},
	{"price_index", kindRatio, "dwelling price index, weighted by population", func(r *record.Region) float64 { return r.PriceIndex * float64(r.Population) }, pop},
	{"population_change", kindChange, "percent change of the population since the start year", pop, nil},
	{"births", kindFlow, "births", func(r *record.Region) float64 { return float64(r.Births) }, nil},
	{"deaths", kindFlow, "deaths", func(r *record.Region) float64 { return float64(r.Deaths) }, nil},
	{"in_domestic", kindFlow, "moves in from other regions", func(r *record.Region) float64 { return float64(r.InDomestic) }, nil},
	{"out_domestic", kindFlow, "moves out to other regions", func(r *record.Region) float64 { return float64(r.OutDomestic) }, nil},
	{"net_domestic", kindFlow, "in_domestic − out_domestic", func(r *record.Region) float64 { return float64(r.InDomestic - r.OutDomestic) }, nil},
	{"immigrants", kindFlow, "immigrants from abroad", func(r *record.Region) float64 { return float64(r.Immigrants) }, nil},
	{"emigrants", kindFlow, "emigrants abroad", func(r *record.Region) float64 { return float64(r.Emigrants) }, nil},
	{"net_migration", kindFlow, "net domestic and international migration", func(r *record.Region) float64 { return float64(r.NetMigration()) }, nil},
	{"moves_per_1000", kindRate, "moves out to other regions per 1000 residents; for the whole country, the moves between regions", func(r *record.Region) float64 { return float64(r.OutDomestic) }, nil},
	{"net_migration_per_1000", kindRate, "net migration per 1000 residents", func(r *record.Region) float64 { return float64(r.NetMigration()) }, nil},
}

func lookupQuantity(name string) *quantity {
	for i := range quantities {
		if quantities[i].name == name {
			return &quantities[i]
		}
	}
	return nil
}

func quantityNames() []string {
	out := make([]string, len(quantities))
	for i, q := range quantities {
		out[i] = q.name
	}
	return out
}

// Metric is one column of the metric values a run records: a quantity over
// a selection of regions and years. A [metrics] entry gives one Metric, or
// several when it says by = … or lists years.
type Metric struct {
	Name string // the name in runs.csv: the entry's key, plus _<group> and _<year> for expansions
	Expr string // the entry's expression as written
	Line int    // the entry's line in the sweep file

	q       *quantity
	regions []int // the selected regions; nil = all
	// The years: yearLo = 0 for the default (the last year for stocks,
	// every simulated year for flows and rates).
	yearLo, yearHi int
}

// Years describes the metric's years for the docs and errors.
// Over several years a flow is summed, the others averaged.
func (m *Metric) Years() string {
	how := "mean over"
	if m.q.kind == kindFlow {
		how = "summed over"
	}
	switch {
	case m.yearLo == 0 && m.q.kind >= kindFlow:
		return how + " every simulated year"
	case m.yearLo == 0:
		return "the last year"
	case m.yearLo == m.yearHi:
		return strconv.Itoa(m.yearLo)
	}
	return fmt.Sprintf("%s %d–%d", how, m.yearLo, m.yearHi)
}

// span returns the first and last record year the metric reads in a run
// that starts in start and simulates years years.
func (m *Metric) span(start, years int) (lo, hi int) {
	last := start + years
	switch {
	case m.yearLo != 0:
		return m.yearLo, m.yearHi
	case m.q.kind >= kindFlow:
		return start + 1, last
	}
	return last, last
}

// checkYears reports whether the metric can be measured in a run from start
// of years years; "" or what is wrong.
func (m *Metric) checkYears(start, years int) string {
	lo, hi := m.span(start, years)
	last := start + years
	first := start
	if m.q.kind >= kindFlow {
		first = start + 1
	}
	switch {
	case lo < first && m.q.kind >= kindFlow:
		return fmt.Sprintf("%s is a flow during the year before each 1 January and the start year %d has none; ask for years from %d to %d", m.q.name, start, first, last)
	case lo < first:
		return fmt.Sprintf("year %d is before the start year %d; ask for years from %d to %d", lo, start, first, last)
	case hi > last:
		// The results' years are those of 1 January: 5 years from 2024
		// end with the state of 1 January 2029 (the last simulated year,
		// which interventions' from_year counts, is 2028).
		return fmt.Sprintf("year %d is after the last year of the results, %d (1 January, after %s from %d); ask for years up to %d, or simulate more years", hi, last, plural(years, "year"), start, last)
	}
	return ""
}

var metricName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// metricKeys are the arguments of a metric expression.
var metricKeys = []string{"year", "region", "centrality", "county", "by"}

// parseMetric compiles the [metrics] entry name = expr against w, for runs
// that start in start; it returns the metrics it expands to, or an error
// message (what is wrong; the fix).
func parseMetric(name, expr string, line int, w *world.World, start int) ([]Metric, string) {
	if !metricName.MatchString(name) {
		return nil, fmt.Sprintf("the name %q is not a plain name; use letters, digits and _ starting with a letter, e.g. central_2030", name)
	}
	text := strings.TrimSpace(expr)
	qname, args, hasArgs := strings.Cut(text, "(")
	qname = strings.TrimSpace(qname)
	if hasArgs {
		if !strings.HasSuffix(args, ")") {
			return nil, fmt.Sprintf("%q has no closing parenthesis; write e.g. \"population(centrality=1..3, year=2030)\"", expr)
		}
		args = strings.TrimSuffix(args, ")")
	}
	q := lookupQuantity(qname)
	if q == nil {
		if s := params.Suggest(qname, quantityNames()); s != "" {
			return nil, fmt.Sprintf("unknown quantity %q; did you mean %q? (docs/sweeps.md#metrics lists them)", qname, s)
		}
		return nil, fmt.Sprintf("unknown quantity %q; the quantities are %s (docs/sweeps.md#metrics)", qname, strings.Join(quantityNames(), ", "))
	}
	base := Metric{Name: name, Expr: expr, Line: line, q: q}
	sel := make([]bool, w.N()) // the regions the filters keep
	for i := range sel {
		sel[i] = true
	}
	filtered := false
	var years []int
	var yearRange [2]int
	by := ""
	seen := map[string]bool{}
	for _, arg := range splitArgs(args, hasArgs) {
		k, v, ok := strings.Cut(arg, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return nil, fmt.Sprintf("%q is not key=value; write e.g. %s(year=2030)", arg, qname)
		}
		if !slices.Contains(metricKeys, k) {
			if s := params.Suggest(k, metricKeys); s != "" {
				return nil, fmt.Sprintf("unknown argument %q; did you mean %q?", k, s)
			}
			return nil, fmt.Sprintf("unknown argument %q; the arguments are %s", k, strings.Join(metricKeys, ", "))
		}
		if seen[k] {
			return nil, fmt.Sprintf("%s is given twice; give it once (a list is written a|b, a range a..b)", k)
		}
		seen[k] = true
		switch k {
		case "year":
			if v == "last" {
				continue
			}
			if lo, hi, ok := strings.Cut(v, ".."); ok {
				a, err1 := strconv.Atoi(strings.TrimSpace(lo))
				b, err2 := strconv.Atoi(strings.TrimSpace(hi))
				if err1 != nil || err2 != nil || a > b {
					return nil, fmt.Sprintf("year=%s is not a range of years; write e.g. year=2025..2030", v)
				}
				yearRange = [2]int{a, b}
				continue
			}
			for _, s := range strings.Split(v, "|") {
				y, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil || y < 1000 {
					return nil, fmt.Sprintf("year=%s: %q is not a year; write year=2030, a list year=2030|2040, a range year=2025..2030, or year=last", v, s)
				}
				years = append(years, y)
			}
		case "region":
			keep := make([]bool, w.N())
			for _, s := range strings.Split(v, "|") {
				r, err := w.Lookup(strings.TrimSpace(s))
				if err != nil {
					return nil, fmt.Sprintf("region=%s: %v", v, err)
				}
				keep[r] = true
			}
			and(sel, keep)
			filtered = true
		case "centrality":
			keep := make([]bool, w.N())
			classes, msg := intList(v)
			if msg != "" {
				return nil, "centrality=" + v + ": " + msg + "; write e.g. centrality=1, centrality=1..3 or centrality=5|6"
			}
			for _, c := range classes {
				if c < 1 || c > 6 {
					return nil, fmt.Sprintf("centrality=%s: class %d does not exist; SSB's classes run from 1 (most central) to 6", v, c)
				}
				for r := range w.Regions {
					if w.Regions[r].Centrality == c {
						keep[r] = true
					}
				}
			}
			and(sel, keep)
			filtered = true
		case "county":
			keep := make([]bool, w.N())
			parts := strings.Split(v, "|")
			for j, s := range parts {
				rs, _, err := w.County(strings.TrimSpace(s))
				var ce *world.CountyError
				if errors.As(err, &ce) && len(ce.Counties) == 0 {
					return nil, fmt.Sprintf("county=%s: %s; select regions with region= or centrality= instead", v, ce)
				}
				if errors.As(err, &ce) {
					msg := fmt.Sprintf("county=%s: no region of world %s is in county %q", v, w.Name, ce.Name)
					// The fix is the whole value with this county replaced
					// (county=Nordland|Hedmark lost Nordland).
					fixed := slices.Clone(parts)
					switch {
					case ce.Known: // Hedmark got "did you mean Telemark?"
						fixed[j] = strings.Join(ce.Former.Successors, "|")
						msg += fmt.Sprintf("; %s: write county=%s", ce.Former, strings.Join(fixed, "|"))
						if len(ce.Former.MergedWith) > 0 {
							msg += fmt.Sprintf(" (all of %s: it includes the former %s)",
								ce.Former.Successors[0], strings.Join(ce.Former.MergedWith, " and "))
						}
					case ce.Suggestion != "":
						fixed[j] = ce.Suggestion
						msg += fmt.Sprintf("; did you mean county=%s?", strings.Join(fixed, "|"))
					}
					return nil, msg
				}
				for _, r := range rs {
					keep[r] = true
				}
			}
			and(sel, keep)
			filtered = true
		case "by":
			if !slices.Contains([]string{"centrality", "county", "region"}, v) {
				return nil, fmt.Sprintf("by=%s: give by=centrality, by=county or by=region (one metric per class, county or region)", v)
			}
			by = v
		}
	}
	for _, y := range append(slices.Clone(years), yearRange[:]...) {
		if y != 0 && y < start {
			return nil, fmt.Sprintf("year %d is before the start year %d of world %s", y, start, w.Name)
		}
	}
	if q.kind >= kindFlow && (slices.Contains(years, start) || yearRange[0] == start) {
		return nil, fmt.Sprintf("%s is a flow during the year before each 1 January, and the start year %d has none; ask for %d or later", q.name, start, start+1)
	}

	// The groups: one selection, or one per class, county or region.
	type group struct {
		suffix  string
		regions []int
	}
	var groups []group
	all := func(keep func(r int) bool) []int {
		var out []int
		for r := range w.Regions {
			if sel[r] && keep(r) {
				out = append(out, r)
			}
		}
		return out
	}
	switch by {
	case "":
		g := group{regions: all(func(int) bool { return true })}
		if !filtered {
			g.regions = nil
		} else if len(g.regions) == 0 {
			return nil, fmt.Sprintf("%q selects no region of world %s; loosen the region, centrality and county filters", expr, w.Name)
		}
		groups = append(groups, g)
	case "centrality":
		for c := 1; c <= 6; c++ {
			if rs := all(func(r int) bool { return w.Regions[r].Centrality == c }); len(rs) > 0 {
				groups = append(groups, group{fmt.Sprintf("_c%d", c), rs})
			}
		}
	case "county":
		cs := w.Counties()
		if len(cs) == 0 {
			return nil, fmt.Sprintf("by=county: the world %s has no counties (its regions file has neither a county nor a county_code column); group by=centrality or by=region instead", w.Name)
		}
		for i, c := range cs {
			in := make([]bool, w.N())
			for _, r := range c.Regions {
				in[r] = true
			}
			rs := all(func(r int) bool { return in[r] })
			if len(rs) == 0 {
				continue
			}
			id := output.ASCIIName(c.Code)
			if id == "" {
				id = output.ASCIIName(c.Name)
			}
			if id == "" { // a name of no Latin letter or digit
				id = "county" + strconv.Itoa(i+1)
			}
			groups = append(groups, group{"_" + id, rs})
		}
	case "region":
		for r := range w.Regions {
			if sel[r] {
				id := output.ASCIIName(w.Regions[r].Code)
				if id == "" {
					id = "region" + strconv.Itoa(r+1)
				}
				groups = append(groups, group{"_" + id, []int{r}})
			}
		}
	}
	if len(groups) == 0 {
		return nil, fmt.Sprintf("%q selects no region of world %s; loosen the filters", expr, w.Name)
	}
	// Names that transliterate alike (Øst and Ost, Åst and Ast) are one
	// entry's: the user cannot rename one, so the later ones, in the
	// world's order, take _2, _3, … (a name no other group has).
	taken := map[string]bool{}
	for _, g := range groups {
		taken[g.suffix] = true
	}
	used := map[string]bool{}
	for i := range groups {
		if used[groups[i].suffix] {
			n := 2
			for taken[groups[i].suffix+"_"+strconv.Itoa(n)] {
				n++
			}
			groups[i].suffix += "_" + strconv.Itoa(n)
			taken[groups[i].suffix] = true
		}
		used[groups[i].suffix] = true
	}
	var out []Metric
	for _, g := range groups {
		m := base
		m.Name += g.suffix
		m.regions = g.regions
		switch {
		case len(years) > 1:
			for _, y := range years {
				my := m
				my.Name += "_" + strconv.Itoa(y)
				my.yearLo, my.yearHi = y, y
				out = append(out, my)
			}
			continue
		case len(years) == 1:
			m.yearLo, m.yearHi = years[0], years[0]
		case yearRange[0] != 0:
			m.yearLo, m.yearHi = yearRange[0], yearRange[1]
		}
		out = append(out, m)
	}
	return out, ""
}

// splitArgs splits the text between the parentheses at commas.
func splitArgs(args string, has bool) []string {
	if !has || strings.TrimSpace(args) == "" {
		return nil
	}
	return strings.Split(args, ",")
}

// intList parses 3, 1..3 or 5|6.
func intList(v string) ([]int, string) {
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 != nil || err2 != nil || a > b {
			return nil, "not a range of whole numbers"
		}
		var out []int
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
		return out, ""
	}
	var out []int
	for _, s := range strings.Split(v, "|") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Sprintf("%q is not a whole number", s)
		}
		out = append(out, n)
	}
	return out, ""
}

func and(sel, keep []bool) {
	for i := range sel {
		sel[i] = sel[i] && keep[i]
	}
}

// collector measures a run's metrics from its records, fed in order: the
// start row first, then one per simulated year.
type collector struct {
	ms          []Metric
	start, last int
	sum         []float64 // per metric: Σ of the row values in its years
	n           []int     // rows summed
	startPop    []float64 // population of the selection in the start row (kindChange)
	prevPop     []float64 // population of the selection in the previous row (kindRate)
}

func newCollector(ms []Metric, start, years int) *collector {
	k := len(ms)
	return &collector{ms: ms, start: start, last: start + years,
		sum: make([]float64, k), n: make([]int, k), startPop: make([]float64, k), prevPop: make([]float64, k)}
}

// add takes the next record.
func (c *collector) add(rec *record.Year) {
	for i := range c.ms {
		m := &c.ms[i]
		var num, den, popNow float64
		each := func(r *record.Region) {
			num += m.q.num(r)
			if m.q.den != nil {
				den += m.q.den(r)
			}
			popNow += float64(r.Population)
		}
		if m.regions == nil {
			for r := range rec.Regions {
				each(&rec.Regions[r])
			}
		} else {
			for _, r := range m.regions {
				each(&rec.Regions[r])
			}
		}
		if rec.Year == c.start {
			c.startPop[i] = popNow
		}
		lo, hi := m.span(c.start, c.last-c.start)
		if rec.Year >= lo && rec.Year <= hi {
			var v float64
			switch m.q.kind {
			case kindStock, kindFlow:
				v = num * rec.Weight
			case kindRatio:
				v = num / den
			case kindChange:
				v = 100 * (popNow - c.startPop[i]) / c.startPop[i]
			case kindRate:
				v = 1000 * num / ((c.prevPop[i] + popNow) / 2)
			}
			c.sum[i] += v
			c.n[i]++
		}
		c.prevPop[i] = popNow
	}
}

// values returns the metrics: sums for flows, means otherwise.
func (c *collector) values() []float64 {
	out := make([]float64, len(c.ms))
	for i := range c.ms {
		out[i] = c.sum[i]
		if c.ms[i].q.kind != kindFlow && c.n[i] > 0 {
			out[i] /= float64(c.n[i])
		}
	}
	return out
}

// plural is "1 year", "2 years".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
