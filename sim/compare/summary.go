package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/record"
)

// Sentence is one plain-language finding, made from the numbers written to
// deltas.csv: the population difference of a focus unit in a year, with its
// interval, and who made the difference in net moves.
type Sentence struct {
	Scenario int // index in Plan.Scenarios (≥ 1)
	Unit     int // index in Plan.Units
	Year     int
	Delta    Delta // of Population, as in deltas.csv
	// AgeGroup and Motive are those that account for most of the change in
	// net moves into the unit (−1 when the moves do not explain it).
	AgeGroup, Motive int
	Text             string
	// Displaced is set on a scenario's sentence on displacement, which
	// follows the sentences of its focus units (Result.displacement): the
	// regions outside its targets that clearly lost residents (indices
	// into Plan.Units, the largest loss first). Unit is then −1, and
	// Delta is the targets' gain together (with its interval when a unit
	// has just these regions).
	Displaced []int
}

// motiveMoves names the moves of a motive as flows.csv and settle explain
// do (record.MotiveNames), for "who moved …": "career moves".
var motiveMoves = [record.NumMotives]string{"study moves", "career moves", "housing moves", "family moves", "return moves", "amenity moves"}

// motiveGloss says in plain words what a motive's name may not: "for
// work" (empty where the name says it).
var motiveGloss = [record.NumMotives]string{"", "for work", "", "", "back to where they grew up", "for the place's qualities"}

// MotiveLabel is a short name of a motive for tables: the name of
// flows.csv and settle explain, with plain words where it needs them.
var MotiveLabel = [record.NumMotives]string{"study", "career (work)", "housing", "family", "return (back home)", "amenity (place qualities)"}

// AgeGroupText returns a flows age group in words: "aged 25–34", "under 18".
func AgeGroupText(g int) string {
	s := record.AgeGroupNames[g]
	switch {
	case g == 0:
		return "under 18"
	case strings.HasSuffix(s, "+"):
		return "aged " + strings.TrimSuffix(s, "+") + " and over"
	}
	return "aged " + strings.Replace(s, "-", "–", 1)
}

// Sentences returns the findings for every scenario and focus unit in year
// (0 = the last year).
func (r *Result) Sentences(year int) []Sentence {
	if year == 0 {
		year = r.LastYear()
	}
	yi := r.YearIndex(year)
	if yi < 0 {
		return nil
	}
	var out []Sentence
	for s := 1; s < len(r.Plan.Scenarios); s++ {
		for _, f := range r.Plan.ScenarioFocus(s) {
			out = append(out, r.sentence(s, f, yi))
		}
		if d, ok := r.displacement(s, yi); ok {
			out = append(out, d)
		}
	}
	return out
}

// DisplacementShare is the share of a scenario's gain in its target
// regions that the clear losses of other regions must reach for the
// summary to say that the gain comes partly at their expense. A link that
// enlarged Tromsø's commuting area gained its targets +3,316 residents
// while their county gained +844, its neighbours losing (Balsfjord
// −11 %), and the summary named the gains alone.
const DisplacementShare = 0.25

// maxDisplacedNamed is the most losing regions a sentence on
// displacement names; it counts the others.
const maxDisplacedNamed = 3

// displacement returns the sentence on where scenario s's gain in its
// target regions in year index yi came from, when the regions outside
// them that clearly lost residents lost together at least
// DisplacementShare of that gain. A region's loss is clear as on the
// report's map and in its table of the largest differences: when it stays
// clear with all regions tested together (ClearRegions). The gain must be
// clear too: that of the unit of just the targets when there is one, else
// one of the scenario's own units. False with one replicate (no test), for
// a scenario without regional targets, and for one with a national
// intervention, whose effect on the other regions is not displacement.
func (r *Result) displacement(s, yi int) (Sentence, bool) {
	p := r.Plan
	clear := r.ClearRegions(s, yi)
	if clear == nil {
		return Sentence{}, false
	}
	var targets []int
	for _, iv := range p.Scenarios[s].Interventions {
		if len(iv.Regions) == 0 {
			return Sentence{}, false
		}
		targets = append(targets, iv.Regions...)
	}
	slices.Sort(targets)
	targets = slices.Compact(targets)
	if len(targets) == 0 {
		return Sentence{}, false
	}
	// The targets' gain: the sum of their differences, which is the
	// difference of their sum; its interval is known only for a unit.
	gain := Delta{Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN(), Replicates: p.Replicates}
	for _, i := range targets {
		d := r.Delta(s, i, Population, yi)
		gain.Baseline += d.Baseline
		gain.Scenario += d.Scenario
		gain.Difference += d.Difference
	}
	clearGain := false
	for u := range p.Units {
		unit := &p.Units[u]
		if (unit.Level == LevelRegion || unit.Level == LevelTarget) && p.Shows(s, u) && slices.Equal(unit.Regions, targets) {
			gain = r.Delta(s, u, Population, yi)
			clearGain = !gain.Includes0()
			break
		}
	}
	if math.IsNaN(gain.Lo) {
		for _, f := range p.ScenarioFocus(s) {
			u := p.Focus[f]
			if d := r.Delta(s, u, Population, yi); p.Units[u].Level != LevelNation && d.Difference > 0 && !d.Includes0() {
				clearGain = true
			}
		}
	}
	if !clearGain || gain.Difference <= 0 {
		return Sentence{}, false
	}
	var losers []int
	loss := 0.0
	for i := range p.World.N() {
		if d := r.Delta(s, i, Population, yi); clear[i] && d.Difference < 0 && !slices.Contains(targets, i) {
			losers = append(losers, i)
			loss += d.Difference
		}
	}
	share := -loss / gain.Difference
	if share < DisplacementShare {
		return Sentence{}, false
	}
	diff := func(i int) float64 { return r.Delta(s, i, Population, yi).Difference }
	slices.SortStableFunc(losers, func(a, b int) int { return cmp.Compare(diff(a), diff(b)) })

	out := Sentence{Scenario: s, Unit: -1, Year: r.YearList[yi], Delta: gain, AgeGroup: -1, Motive: -1, Displaced: losers}
	whose := fmt.Sprintf("the gain of the %d target regions together", len(targets))
	if len(targets) == 1 {
		whose = p.Units[targets[0]].Name + "'s gain"
	}
	partly := "partly "
	if share >= 1 {
		partly = ""
	}
	var names []string
	for _, i := range losers[:min(len(losers), maxDisplacedNamed)] {
		d := r.Delta(s, i, Population, yi)
		if pct := percentOf(d, p.Scale); pct != "" {
			names = append(names, fmt.Sprintf("%s (%s, %s)", p.Units[i].Name, Signed(d.Difference), pct))
		} else {
			names = append(names, fmt.Sprintf("%s (%s)", p.Units[i].Name, Signed(d.Difference)))
		}
	}
	list, has, each := names[0], "has", ""
	if more := len(losers) - len(names); more > 0 {
		list = strings.Join(names, ", ") + fmt.Sprintf(" and %d more", more)
	} else if len(names) > 1 {
		list = phrase.And(names)
	}
	if len(losers) > 1 {
		has, each = "have", "each "
	}
	var b strings.Builder
	fmt.Fprintf(&b, "By %d %s (%s) comes %sat the expense of other regions: %s %s clearly fewer residents than in the baseline (%sclear with all %d regions tested together)",
		out.Year, whose, Signed(gain.Difference), partly, list, has, each, p.World.N())
	if len(losers) > 1 {
		fmt.Fprintf(&b, ", together %s", Signed(loss))
	}
	fmt.Fprintf(&b, ", as much as %.0f %% of that gain.", 100*share)
	out.Text = b.String()
	if len(p.Scenarios) > 2 {
		out.Text = p.Scenarios[s].Name + ": " + out.Text
	}
	return out, true
}

func (r *Result) sentence(s, f, yi int) Sentence {
	p := r.Plan
	u := p.Focus[f]
	unit := &p.Units[u]
	d := r.Delta(s, u, Population, yi)
	out := Sentence{Scenario: s, Unit: u, Year: r.YearList[yi], Delta: d, AgeGroup: -1, Motive: -1}
	diff := RoundCount(d.Difference)
	var b strings.Builder
	name := unit.Name
	if unit.Level == LevelCentrality || unit.Level == LevelTarget {
		name = "the regions of " + name
	}
	// A group named after one of several interventions shows what all of
	// them did there: "the regions of Lofoten fixed link (5 regions) have
	// 1,690 more residents" credited the link with a whole package. Said
	// before the name, whose numbers a reader (and a test) takes the
	// figures after.
	combined := ""
	if n := len(p.Scenarios[s].Interventions); unit.Level == LevelTarget && n > 1 && !p.namesAll(s, unit) {
		combined = fmt.Sprintf(", under %s interventions of %s together,", allOf(n), p.Scenarios[s].Name)
	}
	has := "has"
	if unit.Level == LevelCentrality || unit.Level == LevelTarget {
		has = "have"
	}
	verdict := ""
	switch {
	case d.Replicates < 2:
		verdict = "one replicate gives no interval"
	case d.Includes0():
		verdict = fmt.Sprintf("but the 90 %% interval (%s to %s) includes zero: with %d replicates the difference cannot be told from chance", Count(d.Lo), Count(d.Hi), d.Replicates)
	}
	pct := percentOf(d, r.Plan.Scale)
	switch {
	case diff == 0:
		fmt.Fprintf(&b, "By %d%s %s %s as many residents as in the baseline", out.Year, combined, name, has)
	case diff > 0:
		fmt.Fprintf(&b, "By %d%s %s %s %s more residents than in the baseline", out.Year, combined, name, has, Count(diff))
	default:
		fmt.Fprintf(&b, "By %d%s %s %s %s fewer residents than in the baseline", out.Year, combined, name, has, Count(-diff))
	}
	switch {
	// With one replicate the missing interval is said in the brackets
	// where the interval would be: ", one replicate gives no interval"
	// after the clause was a comma splice.
	case d.Replicates < 2 && pct != "" && diff != 0:
		fmt.Fprintf(&b, " (%s; %s)", pct, verdict)
	case d.Replicates < 2:
		fmt.Fprintf(&b, " (%s)", verdict)
	case verdict == "" && pct != "":
		fmt.Fprintf(&b, " (%s; 90 %% interval %s to %s)", pct, Count(d.Lo), Count(d.Hi))
	case verdict == "":
		fmt.Fprintf(&b, " (90 %% interval %s to %s)", Count(d.Lo), Count(d.Hi))
	case diff != 0:
		fmt.Fprintf(&b, ", %s", verdict)
	}
	// Who made the difference: the change in net moves by age and motive.
	if verdict == "" && diff != 0 {
		bs, ss := r.Flows(0, f, yi), r.Flows(s, f, yi)
		var byAge [record.NumAgeGroups]float64
		var byMotive [record.NumMotives]float64
		total := 0.0
		for g := range record.NumAgeGroups {
			for m := range record.NumMotives {
				v := ss[g][m] - bs[g][m]
				byAge[g] += v
				byMotive[m] += v
				total += v
			}
		}
		sign := math.Copysign(1, diff)
		it := "it"
		if unit.Level == LevelCentrality || unit.Level == LevelTarget {
			it = "them"
		}
		switch {
		case unit.Level == LevelNation:
			// Moves within the country never change its population.
		case total*sign <= 0.25*math.Abs(diff):
			// Moves within the country made little of the difference:
			// say so, and what is left.
			country := nationName(p.World) // "Norway", "the whole country"
			country = strings.TrimPrefix(country, "the whole ")
			if country == "country" {
				country = "the country"
			}
			if total*sign < 0 {
				fmt.Fprintf(&b, "; net moves into %s from elsewhere in %s changed the other way, by %s over the years, so births, deaths and moves to and from abroad made the difference", it, country, Signed(total))
			} else {
				fmt.Fprintf(&b, "; net moves into %s from elsewhere in %s changed by only %s over the years, so most of the difference is births, deaths and moves to and from abroad", it, country, Signed(total))
			}
		default:
			g := argmax(byAge[:], sign)
			m := argmax(byMotive[:], sign)
			out.AgeGroup, out.Motive = g, m
			// "Mostly people aged 25–34 who moved for work" says that these
			// people's moves for work made most of the change: the cell
			// itself, not the age group and the motive each on their own.
			joint := (ss[g][m] - bs[g][m]) / total
			// The parts tested as the report's table tests them (with all
			// the unit's cells together): a part that does not stand out
			// from chance is said to.
			var unclear []string
			if clear := r.ClearFlowCells(s, f); clear != nil && yi == len(r.YearList)-1 {
				if joint >= 0.5 && !clear[g][m] || joint < 0.5 && !clear[g][AllMotives] {
					unclear = append(unclear, "the age group")
				}
				if joint < 0.5 && !clear[AllAges][m] {
					unclear = append(unclear, "the motive")
				}
			}
			switch {
			case joint >= 0.5 && sign > 0:
				fmt.Fprintf(&b, ", mostly %s making %s", people(g, true), motiveWithGloss(m))
			case joint >= 0.5:
				fmt.Fprintf(&b, ", mostly among %s making %s", people(g, true), motiveWithGloss(m))
			default:
				n := Signed(byAge[g])
				if g == 0 {
					n += ", moving with their parents"
				}
				nm := Signed(byMotive[m])
				if motiveGloss[m] != "" {
					nm += ", " + motiveGloss[m]
				}
				fmt.Fprintf(&b, "; the change in net moves into %s (%s) is largest among %s (%s) and in %s (%s)",
					it, Signed(total), people(g, false), n, motiveMoves[m], nm)
			}
			switch {
			case len(unclear) == 2:
				b.WriteString(", though with every age group and motive tested together neither stands out from chance")
			case len(unclear) == 1 && joint >= 0.5:
				b.WriteString(", though with every age group and motive tested together that part does not stand out from chance")
			case len(unclear) == 1:
				fmt.Fprintf(&b, ", though with every age group and motive tested together %s does not stand out from chance", unclear[0])
			}
		}
	}
	b.WriteByte('.')
	if v := r.vacantSentence(s, u, yi); v != "" {
		b.WriteString(" " + v)
	}
	out.Text = b.String()
	if len(p.Scenarios) > 2 {
		out.Text = p.Scenarios[s].Name + ": " + out.Text
	}
	return out
}

// VacantShare is the share of the dwellings a housing intervention adds
// to its targets that the rise in their vacant dwellings must reach for
// the summary to say that most of the dwellings added stand empty. Young
// homes in Finnmark added 4,180 dwellings by 2036, of which 3,844 more
// stood vacant than in the baseline (+78.6 % vacant dwellings, clear in
// the table), and the summary spoke of residents alone.
const VacantShare = 0.5

// vacantSentence returns the sentence that follows the sentence of unit u
// when it is exactly the targets of one of scenario s's housing
// interventions and most of the dwellings added there stand empty in year
// index yi: the differences in dwellings and in vacant dwellings both
// clear and above zero (their own 90 % intervals, as in the report's
// tables), the vacant ones at least VacantShare of the dwellings, rounded
// as the tables round them. "" otherwise, and with one replicate (no
// interval).
func (r *Result) vacantSentence(s, u, yi int) string {
	p := r.Plan
	unit := &p.Units[u]
	housing := false
	for _, iv := range p.Scenarios[s].Interventions {
		rs := slices.Clone(iv.Regions)
		slices.Sort(rs)
		if iv.Kind == "housing" && slices.Equal(slices.Compact(rs), unit.Regions) {
			housing = true
		}
	}
	if !housing || !p.Shows(s, u) || p.Replicates < 2 {
		return ""
	}
	dw, vac := r.Delta(s, u, Dwellings, yi), r.Delta(s, u, VacantDwellings, yi)
	added, empty := RoundCount(dw.Difference), RoundCount(vac.Difference)
	if dw.Includes0() || vac.Includes0() || added <= 0 || empty <= 0 || empty < VacantShare*added {
		return ""
	}
	// After a sentence on who moved, "they" could be its age group.
	they := "These regions have"
	if unit.Level == LevelRegion || unit.Level == LevelNation {
		they = unit.Name + " has"
	}
	iv := fmt.Sprintf("90 %% interval %s to %s", Count(vac.Lo), Count(vac.Hi))
	if pct := percentOf(vac, p.Scale); pct != "" {
		iv = pct + "; " + iv
	}
	return fmt.Sprintf("%s %s more dwellings than in the baseline and %s more vacant ones (%s): most of the dwellings added stand empty.",
		they, Count(added), Count(empty), iv)
}

// allOf says "all n" of a scenario's interventions in words: "both",
// "all three" … "all ten", then "all 11".
func allOf(n int) string {
	words := []string{2: "both", 3: "all three", 4: "all four", 5: "all five", 6: "all six", 7: "all seven", 8: "all eight", 9: "all nine", 10: "all ten"}
	if n >= 2 && n < len(words) {
		return words[n]
	}
	return "all " + strconv.Itoa(n)
}

// motiveWithGloss is motive m's moves by name with the plain words in
// brackets: "career moves (for work)", "housing moves".
func motiveWithGloss(m int) string {
	if motiveGloss[m] == "" {
		return motiveMoves[m]
	}
	return motiveMoves[m] + " (" + motiveGloss[m] + ")"
}

// people names the persons of age group g. Children move with their
// parents, under the parents' motive: families for short.
func people(g int, short bool) string {
	switch {
	case g == 0 && short:
		return "families with children"
	case g == 0:
		return "children under 18"
	}
	return "people " + AgeGroupText(g)
}

func argmax(x []float64, sign float64) int {
	best := 0
	for i := range x {
		if x[i]*sign > x[best]*sign {
			best = i
		}
	}
	return best
}

// Seconds formats a duration as the terminal and report.html give times:
// 19.9 s, 55.0 s.
func Seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// Signed formats a count as Count does, with its sign: +1,240, -35, 0.
func Signed(x float64) string {
	c := Count(x)
	if c != "0" && c[0] != '-' {
		c = "+" + c
	}
	return c
}

// Largest returns the regions (unit indices) with the largest absolute
// population differences of scenario s in year index yi, at most k.
func (r *Result) Largest(s, yi, k int) []int {
	n := r.Plan.World.N()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	abs := func(u int) float64 { return math.Abs(r.Delta(s, u, Population, yi).Difference) }
	slices.SortStableFunc(idx, func(a, b int) int {
		da, db := abs(a), abs(b)
		switch {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	return idx[:min(k, n)]
}

// percentOf is d's difference in per cent of its baseline, or "" for no
// baseline or one of under SmallCount simulated persons at scale (Utsira's
// 280 residents at scale 0.05 are 14: "+107.1 %"), as the report's tables
// show "(few)".
func percentOf(d Delta, scale float64) string {
	if d.Baseline <= 0 || d.Baseline < SmallCount/scale {
		return ""
	}
	return Percent(100 * d.Difference / d.Baseline)
}

// SmallCount is the number of simulated persons under which a count is
// mostly chance: no percentage of it is given (the sentences, the
// report's "(few)", settle explain's note).
const SmallCount = 20

// Percent formats a change in per cent with its sign and one decimal:
// +1.4 %, -0.3 %, and 0.0 % for what rounds to zero (not -0.0 %).
func Percent(x float64) string {
	s := fmt.Sprintf("%+.1f %%", x)
	if s == "-0.0 %" || s == "+0.0 %" {
		return "0.0 %"
	}
	return s
}

// Count formats a number of persons rounded to a whole number by
// RoundCount, with thousands separators: 1,240 and -35.
func Count(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return output.Group(int64(RoundCount(x)))
}

// RoundCount rounds a number of persons to a whole number as every text of
// a comparison shows it (sentences, tables, the terminal): the one-decimal
// value that deltas.csv writes, rounded half away from zero, so that they
// all agree with each other and with the file (1437.4999 is 1437.5 there,
// and 1,438 everywhere else; -0.5 is -1).
func RoundCount(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, err := strconv.ParseFloat(num(x, 1), 64) // as writeDeltas writes it
	if err != nil {
		return math.Round(x)
	}
	return math.Round(v)
}
