package compare

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/output"
)

// The components of the change in residents add up to the residents'
// difference, for every unit (groups included) and year: paired runs start
// alike, so the difference in residents on 1 January of a year is the
// difference in births − deaths + net domestic moves + net international
// migration from the start to then. And a group's moves in and out count
// only the moves across its border: in − out is its net domestic moves,
// and the nation's are zero.
func TestComponentsAddUp(t *testing.T) {
	res := runPlan(t, PlanOptions{Replicates: 2}, 0, "base.toml", "bridge.toml")
	p := res.Plan
	checked, moved := 0, 0
	for u := range p.Units {
		if !p.Shows(1, u) {
			continue
		}
		if d := res.Delta(1, u, Population, 0); d.Difference != 0 || d.SD != 0 {
			t.Fatalf("%s: the runs start %g apart", p.Units[u].Name, d.Difference)
		}
		for yi := range res.YearList {
			c := func(m Metric) float64 { return res.CumulativeDelta(1, u, m, yi).Difference }
			pop := res.Delta(1, u, Population, yi).Difference
			sum := c(Births) - c(Deaths) + c(NetDomestic) + c(NetInternational)
			tol := 1e-6 * math.Max(1, math.Abs(pop))
			if math.Abs(sum-pop) > tol {
				t.Errorf("%s %d: births − deaths + net domestic + net international = %g, residents' difference %g",
					p.Units[u].Name, res.YearList[yi], sum, pop)
			}
			if d := c(InDomestic) - c(OutDomestic) - c(NetDomestic); math.Abs(d) > tol {
				t.Errorf("%s %d: in − out − net domestic = %g", p.Units[u].Name, res.YearList[yi], d)
			}
			if d := c(Immigrants) - c(Emigrants) - c(NetInternational); math.Abs(d) > tol {
				t.Errorf("%s %d: immigrants − emigrants − net international = %g", p.Units[u].Name, res.YearList[yi], d)
			}
			if d := c(NetDomestic) + c(NetInternational) - c(NetMigration); math.Abs(d) > tol {
				t.Errorf("%s %d: net domestic + net international − net migration = %g", p.Units[u].Name, res.YearList[yi], d)
			}
			// The same of the means, baseline and scenario alike.
			for s := range 2 {
				level := func(m Metric) float64 {
					d := res.CumulativeDelta(1, u, m, yi)
					return []float64{d.Baseline, d.Scenario}[s]
				}
				pop0 := []float64{res.Delta(1, u, Population, 0).Baseline, res.Delta(1, u, Population, 0).Scenario}[s]
				popY := []float64{res.Delta(1, u, Population, yi).Baseline, res.Delta(1, u, Population, yi).Scenario}[s]
				got := pop0 + level(Births) - level(Deaths) + level(InDomestic) - level(OutDomestic) + level(Immigrants) - level(Emigrants)
				if math.Abs(got-popY) > 1e-6*math.Max(1, popY) {
					t.Errorf("%s %d, scenario %d: the start and its flows give %g residents, want %g", p.Units[u].Name, res.YearList[yi], s, got, popY)
				}
			}
			if pop != 0 {
				checked++
			}
		}
		last := len(res.YearList) - 1
		switch unit := &p.Units[u]; unit.Level {
		case LevelNation:
			for _, m := range []Metric{InDomestic, OutDomestic, NetDomestic} {
				if d := res.CumulativeDelta(1, u, m, last); d.Baseline != 0 || d.Scenario != 0 || d.Difference != 0 || d.Lo != 0 || d.Hi != 0 {
					t.Errorf("the nation's %s: %+v, want 0 (no move crosses its border)", MetricNames[m], d)
				}
			}
		case LevelRegion:
		default:
			// Fewer moves in than the sum of its regions' when some of
			// them moved between its own regions.
			sum := 0.0
			for _, r := range unit.Regions {
				sum += res.CumulativeDelta(1, r, InDomestic, last).Baseline
			}
			if in := res.CumulativeDelta(1, u, InDomestic, last).Baseline; in < sum-1e-6 {
				moved++
			} else if in > sum+1e-6 {
				t.Errorf("%s: %g moves in, more than its regions' %g", unit.Name, in, sum)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d unit-years with a residents' difference", checked)
	}
	if moved == 0 {
		t.Error("no group has moves between its own regions")
	}
}

// CumulativeDelta is the paired difference of each replicate's flows
// summed from the start, as the kept runs' regions.csv and flows.csv give
// them, with the t-interval of Delta (its spread at least one simulated
// person unless no pair differs).
func TestCumulativeDeltaFromRuns(t *testing.T) {
	const reps = 3
	res, dir := runKept(t, PlanOptions{Replicates: reps}, "base.toml", "bridge.toml")
	p := res.Plan
	n, years := p.World.N(), len(res.YearList)
	region := map[string]int{}
	for i := range p.World.Regions {
		region[p.World.Regions[i].Code] = i
	}
	// comps are the components checked, in regions.csv's columns
	// (in_domestic and out_domestic of a group from flows.csv).
	comps := []Metric{Births, Deaths, InDomestic, OutDomestic, Immigrants, Emigrants, NetDomestic, NetInternational, NetMigration}
	// sums[s][k][c][u][yi]: run k of scenario s, component c of unit u
	// summed over the years up to yi.
	sums := make([][][][][]float64, 2)
	for s := range 2 {
		for k := 1; k <= reps; k++ {
			run := filepath.Join(dir, p.RunName(s, k))
			year := make([][][]float64, len(comps)) // [c][u][yi], one year's
			for c := range comps {
				year[c] = make([][]float64, len(p.Units))
				for u := range p.Units {
					year[c][u] = make([]float64, years)
				}
			}
			rows := readCSV(t, filepath.Join(run, output.RegionsFile))
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, row := range rows[1:] {
				yi, r := res.YearIndex(atoi(t, row[0])), region[row[1]]
				v := func(name string) float64 { return float64(atoi(t, row[col[name]])) }
				vals := map[Metric]float64{Births: v("births"), Deaths: v("deaths"), InDomestic: v("in_domestic"), OutDomestic: v("out_domestic"),
					Immigrants: v("immigrants"), Emigrants: v("emigrants")}
				vals[NetDomestic] = vals[InDomestic] - vals[OutDomestic]
				vals[NetInternational] = vals[Immigrants] - vals[Emigrants]
				vals[NetMigration] = v("net_migration")
				for u := range p.Units {
					if !slices.Contains(p.Units[u].Regions, r) {
						continue
					}
					for c, m := range comps {
						if u >= n && (m == InDomestic || m == OutDomestic) {
							continue // from flows.csv, below
						}
						year[c][u][yi] += vals[m]
					}
				}
			}
			// A group's moves in and out: those across its border.
			cIn, cOut := slices.Index(comps, InDomestic), slices.Index(comps, OutDomestic)
			for _, row := range readCSV(t, filepath.Join(run, output.FlowsFile))[1:] {
				yi, from, to := res.YearIndex(atoi(t, row[0])), region[row[1]], region[row[2]]
				moves := float64(atoi(t, row[5]))
				for u := n; u < len(p.Units); u++ {
					inFrom, inTo := slices.Contains(p.Units[u].Regions, from), slices.Contains(p.Units[u].Regions, to)
					if inTo && !inFrom {
						year[cIn][u][yi] += moves
					}
					if inFrom && !inTo {
						year[cOut][u][yi] += moves
					}
				}
			}
			for c := range comps {
				for u := range p.Units {
					for yi := 1; yi < years; yi++ {
						year[c][u][yi] += year[c][u][yi-1]
					}
				}
			}
			sums[s] = append(sums[s], year)
		}
	}
	checked := 0
	for u := range p.Units {
		if !p.Shows(1, u) {
			continue
		}
		for c, m := range comps {
			for yi := range years {
				var xs []float64
				base, scen := 0.0, 0.0
				for k := range reps {
					b, s := sums[0][k][c][u][yi], sums[1][k][c][u][yi]
					xs = append(xs, s-b)
					base += b / reps
					scen += s / reps
				}
				mean := (xs[0] + xs[1] + xs[2]) / reps
				ss := 0.0
				for _, x := range xs {
					ss += (x - mean) * (x - mean)
				}
				sd := math.Sqrt(ss / (reps - 1))
				floor := sd
				if xs[0] != 0 || xs[1] != 0 || xs[2] != 0 {
					floor = max(sd, 1/p.Scale)
				}
				half := tQuantile(reps) * floor / math.Sqrt(reps)
				d := res.CumulativeDelta(1, u, m, yi)
				name := p.Units[u].Name + " " + MetricNames[m] + " to " + strconv.Itoa(res.YearList[yi])
				near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
				if !near(d.Baseline, base) || !near(d.Scenario, scen) || !near(d.Difference, mean) || !near(d.SD, sd) {
					t.Errorf("%s: baseline %g, scenario %g, difference %g (sd %g); the runs give %g, %g, %g (sd %g)",
						name, d.Baseline, d.Scenario, d.Difference, d.SD, base, scen, mean, sd)
				}
				if !near(d.Lo, mean-half) || !near(d.Hi, mean+half) {
					t.Errorf("%s: interval %g to %g, want %g to %g", name, d.Lo, d.Hi, mean-half, mean+half)
				}
				if sd > 0 {
					checked++
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d sums vary between the replicates", checked)
	}
	// A stock has no sum.
	defer func() {
		if recover() == nil {
			t.Error("CumulativeDelta of the population did not panic")
		}
	}()
	res.CumulativeDelta(1, 0, Population, 1)
}

// TestMetricsDocumented: docs/compare.md names every metric of deltas.csv.
func TestMetricsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/compare.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range MetricNames {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/compare.md does not name the metric `%s`", name)
		}
	}
}
