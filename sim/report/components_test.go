package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/compare"
)

// TestComponentTable: after each scenario's key figures, report.html
// breaks the residents' difference of the same units into births,
// deaths, moves in and out, net domestic moves, immigrants, emigrants and
// net international migration since the start, each with its difference,
// interval and judgement as CumulativeDelta gives them; with a key year
// (--year), up to that year. An adviser saw more net domestic moves into
// a target but fewer residents, and found the cause (net international
// migration) only by summing columns of deltas.csv.
func TestComponentTable(t *testing.T) {
	r := bridgeResult(t)
	for _, year := range []int{0, 2026} {
		dir := t.TempDir()
		if _, err := WriteWith(t.Context(), r, dir, Options{Year: year}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, ReportFile))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		key := year
		if key == 0 {
			key = r.LastYear()
		}
		yi := r.YearIndex(key)
		head := "bridge: where the difference in residents comes from, 2025–" + strconv.Itoa(key) + "</h3>"
		at := strings.Index(page, head)
		figures, largest := strings.Index(page, "bridge: residents in "+strconv.Itoa(key)), strings.Index(page, "bridge: the largest differences of any region")
		if at < 0 || !(figures < at && at < largest) {
			t.Fatalf("year %d: report.html lacks %q between the key figures and the largest differences", year, head)
		}
		table := page[at : strings.Index(page[at:], "</table>")+at]
		units := r.Plan.ScenarioFocus(1)
		for _, f := range units {
			if name := r.Plan.Units[r.Plan.Focus[f]].Name; !strings.Contains(table, templateEscape(name)) {
				t.Errorf("year %d: the table lacks the unit %s", year, name)
			}
		}
		// Each row has the unit's difference, interval and judgement, as
		// CumulativeDelta (the residents: Delta) and the key figures give
		// them.
		for _, c := range append(components, struct {
			m    compare.Metric
			name string
		}{compare.Population, "residents"}) {
			cells := ""
			for _, f := range units {
				u := r.Plan.Focus[f]
				var d compare.Delta
				if c.m == compare.Population {
					d = r.Delta(1, u, c.m, yi)
				} else {
					d = r.CumulativeDelta(1, u, c.m, yi)
				}
				row := deltaRow(c.name, "", d, c.m, 0)
				cells += regexp.QuoteMeta(templateEscape(row.Difference)) + `</t[dh]><t[dh] class="[a-z ]*">` + regexp.QuoteMeta(templateEscape(row.Interval)) +
					`</t[dh]><t[dh] class="name[a-z ]*">` + regexp.QuoteMeta(row.Verdict) + `</t[dh]>`
				if f != units[len(units)-1] {
					cells += `<t[dh] class="unit[a-z ]*">`
				}
			}
			re := regexp.MustCompile(`<tr><t[dh] class="name">` + regexp.QuoteMeta(c.name) + `</t[dh]><t[dh] class="unit[a-z ]*">` + cells + `</tr>`)
			if !re.MatchString(table) {
				t.Errorf("year %d: the table lacks the row %s as %s", year, c.name, re)
			}
		}
		if !strings.Contains(page, "births − deaths + net domestic moves + net international migration make up the residents' difference") {
			t.Errorf("year %d: the note under the table is missing", year)
		}
	}
	// The start year has no flows: no table.
	dir := t.TempDir()
	if _, err := WriteWith(t.Context(), r, dir, Options{Year: r.YearList[0]}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ReportFile)); strings.Contains(string(b), "where the difference in residents comes from") {
		t.Error("a table of the start year, which has no flows")
	}
}

// TestComponentSentence: under the table, a sentence says what made up
// for the largest part of the residents' difference when it goes against
// it, each figure that could be chance saying so; none when it goes with
// it.
func TestComponentSentence(t *testing.T) {
	d := func(diff, lo, hi float64) compare.Delta {
		return compare.Delta{Difference: diff, Lo: lo, Hi: hi, Replicates: 3, Step: 5}
	}
	// The adviser's target: +1,450 net domestic moves, -455 residents.
	got := componentText("Target", "2025–2044", 2044, d(-455, -1788, 878),
		d(-60, -150, 30), d(450, 200, 700), d(1450, 701, 2199), d(-1395, -2000, -790))
	want := "In Target, 2025–2044, the scenario brought 1,450 more net domestic moves in, but 1,395 fewer net immigrants, 450 more deaths and 60 fewer births (could be chance): 455 fewer residents on 1 January 2044 than the baseline (could be chance)."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Fewer net moves in, more residents: births made up for them.
	got = componentText("Dal", "2025", 2025, d(40, 20, 60), d(200, 150, 250), d(10, -20, 40), d(-330, -360, -300), d(180, 150, 210))
	want = "In Dal, 2025, the scenario brought 330 fewer net domestic moves in, but 200 more births and 180 more net immigrants: 40 more residents on 1 January 2025 than the baseline."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The largest part goes with the residents' difference, or there is
	// none: no sentence.
	for _, c := range [][5]compare.Delta{
		{d(243, 87, 399), d(53, 34, 73), d(2, -24, 27), d(170, -14, 354), d(22, 9, 35)},
		{d(0, -10, 10), d(5, -5, 15), d(0, -5, 5), d(-5, -20, 10), d(0, 0, 0)},
	} {
		if got := componentText("Holmøy", "2025–2044", 2044, c[0], c[1], c[2], c[3], c[4]); got != "" {
			t.Errorf("%v: %q, want none", c, got)
		}
	}
}
