package compare

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/scenario"
)

// trialScenarios loads the base, link and all-measures scenarios of a
// user trial (testdata/link.toml, all-measures.toml).
func trialScenarios(t *testing.T) []*scenario.Scenario {
	t.Helper()
	return load(t, "base.toml", "link.toml", "all-measures.toml")
}

// TestGroupedNotes: an intervention of more than MaxSingleTargets regions
// has a group's row only, and a note says so, how many, and where each
// region's figures are (the terminal and report.html showed the group's
// row alone, with no word why, where an intervention of four had a row
// per region).
func TestGroupedNotes(t *testing.T) {
	p, err := NewPlan(trialScenarios(t), PlanOptions{Replicates: 1})
	if err != nil {
		t.Fatal(err)
	}
	for s := 1; s <= 2; s++ {
		notes := p.GroupedNotes(s)
		if len(notes) != 1 {
			t.Fatalf("scenario %d: notes %q, want one", s, notes)
		}
		for _, want := range []string{"Fixed link targets 5 regions, more than 4: they are shown together only, in the row Fixed link (5 regions) (T",
			"not one by one; each region's own figures are in deltas.csv (level region)"} {
			if !strings.Contains(notes[0], want) {
				t.Errorf("scenario %d: note %q lacks %q", s, notes[0], want)
			}
		}
		for _, f := range p.ScenarioFocus(s) {
			if u := p.Units[p.Focus[f]]; u.Level == LevelRegion && u.Code <= "T05" && u.Code != "T02" {
				t.Errorf("scenario %d summarises %s one by one", s, u.Name)
			}
		}
	}
	// bridge's interventions have two regions and one: no note.
	p, err = NewPlan(load(t, "base.toml", "bridge.toml"), PlanOptions{Replicates: 1})
	if err != nil {
		t.Fatal(err)
	}
	if notes := p.GroupedNotes(1); len(notes) != 0 {
		t.Errorf("bridge: notes %q", notes)
	}
}

// TestTargetsSameRegions: a scenario targets the group of another
// scenario's intervention on the same regions (the charts of remote work
// in Nordland, T2, left out the combined scenario with the same measure,
// T4, and said it did not target them), and a group it reaches only in
// part it does not.
func TestTargetsSameRegions(t *testing.T) {
	ss := trialScenarios(t)
	p, err := NewPlan(append(ss, load(t, "bridge.toml")...), PlanOptions{Replicates: 1})
	if err != nil {
		t.Fatal(err)
	}
	var groups []int
	for u := range p.Units {
		if p.Units[u].Level == LevelTarget && p.Units[u].Name == "Fixed link (5 regions)" {
			groups = append(groups, u)
		}
	}
	if len(groups) != 2 {
		t.Fatalf("units named Fixed link (5 regions): %v, want one per scenario", groups)
	}
	for _, u := range groups {
		for s, want := range []bool{false, true, true, false} {
			if got := p.Targets(s, u); got != want {
				t.Errorf("Targets(%s, %s of %s) = %v, want %v", p.Scenarios[s].Name, p.Units[u].Code, p.Scenarios[p.Units[u].Owner].Name, got, want)
			}
		}
	}
	// The bridge's group (Sjøvik and Holmøy) is not the link's.
	bridge := -1
	for u := range p.Units {
		if p.Units[u].Name == "Holmøy bridge (2 regions)" {
			bridge = u
		}
	}
	if bridge < 0 || p.Targets(1, bridge) || p.Targets(2, bridge) || !p.Targets(3, bridge) {
		t.Errorf("the bridge's group %d: targeted by link %v, all-measures %v, bridge %v", bridge, p.Targets(1, bridge), p.Targets(2, bridge), p.Targets(3, bridge))
	}
}

// TestSentenceCombined: the sentence of a group named after one of a
// scenario's several interventions says that its difference is that of
// all of them together ("alle-tiltak: By 2040 the regions of Lofoten
// fixed link (5 regions) have 1,690 more residents" credited the link
// with the whole package); a scenario of one intervention, or whose
// interventions all target the group's regions, does not.
func TestSentenceCombined(t *testing.T) {
	res := runPlan(t, PlanOptions{Replicates: 2, Years: 1}, 0, "base.toml", "bridge.toml")
	var group string
	for _, s := range res.Sentences(0) {
		if s.Unit >= 0 && res.Plan.Units[s.Unit].Level == LevelTarget {
			group = s.Text
		}
		if s.Unit >= 0 && res.Plan.Units[s.Unit].Level == LevelRegion && strings.Contains(s.Text, "interventions together") {
			t.Errorf("a region's sentence: %q", s.Text)
		}
	}
	if want := "By 2025, under both interventions of bridge together, the regions of Holmøy bridge (2 regions) have "; !strings.HasPrefix(group, want) {
		t.Errorf("sentence %q, want it to begin %q", group, want)
	}
	if n := res.Plan.CombinedNote(1); !strings.HasPrefix(n, "bridge has 2 interventions: every figure is their effect together") {
		t.Errorf("CombinedNote %q", n)
	}

	// Three interventions, with more than two scenarios: the name before.
	p, err := NewPlan(trialScenarios(t), PlanOptions{Replicates: 2, Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var link, all string
	for _, s := range r.Sentences(0) {
		if s.Unit >= 0 && p.Units[s.Unit].Level == LevelTarget {
			if s.Scenario == 1 {
				link = s.Text
			} else {
				all = s.Text
			}
		}
	}
	if want := "all-measures: By 2025, under all three interventions of all-measures together, the regions of Fixed link (5 regions) have"; !strings.HasPrefix(all, want) {
		t.Errorf("all-measures: %q, want it to begin %q", all, want)
	}
	if !strings.HasPrefix(link, "link: By 2025 the regions of Fixed link (5 regions) have") || p.CombinedNote(1) != "" {
		t.Errorf("link, one intervention: %q, note %q", link, p.CombinedNote(1))
	}
	// Two interventions on the same regions name their unit after both.
	two := load(t, "two.toml")[0]
	p, err = NewPlan(append(load(t, "base.toml"), two), PlanOptions{Replicates: 1, Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := p.CombinedNote(1); n != "" {
		t.Errorf("two interventions named in their unit: note %q", n)
	}
}

// TestFlowsTotals: flows_by_age_motive.csv has the totals the report's
// table "Who moved" shows, with their intervals (its sentence sends the
// reader to the file for them): every age group's over the motives, every
// motive's over the ages, and all ages and motives, as "all".
func TestFlowsTotals(t *testing.T) {
	res := runPlan(t, PlanOptions{Replicates: 2, Years: 2}, 0, "base.toml", "bridge.toml")
	dir := t.TempDir()
	if err := res.Write(dir); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, FlowsFile))
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	focus := res.Plan.ScenarioFocus(1)
	if want := len(focus) * (AllAges + 1) * (AllMotives + 1); len(rows)-1 != want {
		t.Errorf("%d rows, want %d: every cell and total of %d units", len(rows)-1, want, len(focus))
	}
	totals := 0
	for _, f := range focus {
		unit := res.Plan.Units[res.Plan.Focus[f]]
		for g := 0; g <= AllAges; g++ {
			for m := 0; m <= AllMotives; m++ {
				if g < AllAges && m < AllMotives {
					continue
				}
				var row []string
				for _, r := range rows[1:] {
					if r[col["code"]] == unit.Code && r[col["level"]] == unit.Level && r[col["age_group"]] == FlowAgeName(g) && r[col["motive"]] == FlowMotiveName(m) {
						row = r
					}
				}
				if row == nil {
					t.Fatalf("%s: no row of age group %q, motive %q", unit.Name, FlowAgeName(g), FlowMotiveName(m))
				}
				d := res.FlowDelta(1, f, g, m)
				for c, x := range map[string]float64{"difference": d.Difference, "diff_lo90": d.Lo, "diff_hi90": d.Hi, "baseline_net_moves": d.Baseline} {
					v, err := strconv.ParseFloat(row[col[c]], 64)
					if err != nil || math.Abs(v-x) > 0.051 {
						t.Errorf("%s, %s, %s: %s %q, want %.1f", unit.Name, FlowAgeName(g), FlowMotiveName(m), c, row[col[c]], x)
					}
				}
				totals++
			}
		}
	}
	if totals == 0 || FlowAgeName(AllAges) != "all" || FlowMotiveName(AllMotives) != "all" || FlowAgeName(0) != "0-17" || FlowMotiveName(1) != "career" {
		t.Errorf("%d totals; names %q %q %q %q", totals, FlowAgeName(AllAges), FlowMotiveName(AllMotives), FlowAgeName(0), FlowMotiveName(1))
	}
}

// TestWriteContextCancelled: Ctrl-C (a cancelled context) stops the
// writing of the tables before the next file, with the context's error.
func TestWriteContextCancelled(t *testing.T) {
	res := runPlan(t, PlanOptions{Replicates: 1, Years: 1}, 0, "base.toml", "bridge.toml")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := res.WriteContext(ctx, dir, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled write wrote %d files", len(entries))
	}
}

// TestIncompatibleLine: a years or scale that differs from the baseline's
// is reported at the line of the file that sets it, FILE:LINE:, as a
// start_year is (it named no line); a scenario that leaves the key out
// (the scale, whose default is 1) gets none.
func TestIncompatibleLine(t *testing.T) {
	dir := t.TempDir()
	scale := writeScenario(t, filepath.Join(dir, "scale.toml"), "# another scale\n[scenario]\nname = \"scaled\"\nworld = \"teaching\"\nyears = 4\nseed = 7\nscale = 0.2\n")
	noScale := writeScenario(t, filepath.Join(dir, "noscale.toml"), "[scenario]\nname = \"default-scale\"\nworld = \"teaching\"\nyears = 4\nseed = 7\n")
	_, err := NewPlan(append(load(t, "base.toml", "years.toml"), scale, noScale), PlanOptions{Replicates: 1})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join("testdata", "years.toml") + ":4: scenario.years = 5 differs from the baseline " + filepath.Join("testdata", "base.toml") + " (years = 4)",
		scale.File + ":7: scenario.scale = 0.2 differs from the baseline",
		noScale.File + ": scenario.scale = 1 differs",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	var ie *IncompatibleError
	if !errors.As(err, &ie) {
		t.Errorf("error %T, want an IncompatibleError among them", err)
	}
}

// TestProblemsOfEveryFile: the problems of every scenario file are
// reported at once, in the order of the files: an unknown region in one
// and a years that differs in another (only the first bad file's were
// reported).
func TestProblemsOfEveryFile(t *testing.T) {
	dir := t.TempDir()
	bad := writeScenario(t, filepath.Join(dir, "bad.toml"), "[scenario]\nname = \"bad\"\nworld = \"teaching\"\nyears = 4\nseed = 7\nscale = 0.1\n\n[[intervention]]\nkind = \"campus\"\nregions = [\"Bergxxx\"]\nfrom_year = 2025\nstudents = 100\n")
	worse := writeScenario(t, filepath.Join(dir, "worse.toml"), "[scenario]\nname = \"worse\"\nworld = \"teaching\"\nyears = 4\nseed = 7\nscale = 0.1\n\n[[intervention]]\nkind = \"campus\"\nregions = [\"Storhavnn\"]\nfrom_year = 2025\nstudents = 100\n")
	_, err := NewPlan(append(load(t, "base.toml"), bad, load(t, "years.toml")[0], worse), PlanOptions{Replicates: 1})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	at := func(s string) int {
		i := strings.Index(msg, s)
		if i < 0 {
			t.Errorf("error lacks %q:\n%s", s, msg)
		}
		return i
	}
	a, b, c := at(bad.File+":10: intervention[1].regions"), at("years.toml:4: scenario.years"), at(worse.File+":10: intervention[1].regions")
	if !(a < b && b < c) {
		t.Errorf("problems not in the order of the files:\n%s", msg)
	}
}

// TestProjectionNote: a scenario that follows another national projection
// than the baseline's says so under its key figures (every figure includes
// the difference in births, deaths and migration from abroad); one that
// follows the baseline's says nothing.
func TestProjectionNote(t *testing.T) {
	p, err := NewPlan(load(t, "base.toml", "high.toml", "base.toml"), PlanOptions{Replicates: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := "high follows the national projection ssb-2024-high (SSB 2024, high national growth (HHH)), the baseline ssb-2024-main (SSB 2024, main alternative (MMM)): every figure includes the difference in births, deaths and migration from abroad."
	if n := p.ProjectionNote(1); n != want {
		t.Errorf("ProjectionNote(1):\n got %q\nwant %q", n, want)
	}
	if n := p.ProjectionNote(2); n != "" {
		t.Errorf("ProjectionNote(2) of the baseline's projection: %q", n)
	}
}
