package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/compare"
)

// trialResult compares the base with link and all-measures: 2 replicates
// of 3 years.
func trialResult(t *testing.T) *compare.Result {
	t.Helper()
	return compareFiles(t, 3, testdata("base.toml"), testdata("link.toml"), testdata("all-measures.toml"))
}

// TestReportKeyYear: with a key year (settle compare --year), the
// summary, key figures, maps and all metrics of report.html are of that
// year, as the terminal's summary is, and a note says which parts cover
// which years; the charts keep every year. report.html gave the last
// year's "Key figures, 2027" beside a terminal that summarised 2025.
func TestReportKeyYear(t *testing.T) {
	r := bridgeResult(t)
	dir := t.TempDir()
	const year = 2025
	charts, err := WriteWith(context.Background(), r, dir, Options{Year: year})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"Key figures, 2025", "bridge: residents in 2025", "All metrics in 2025", "Stocks on 1 January 2025",
		"net domestic migration (the year to 1 January 2025)",
		"The summary, the key figures and where their differences come from, the largest differences, the maps and all metrics are of 2025 (settle compare --year 2025), as on the terminal; the charts over the years show 2024–2027"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, not := range []string{"Key figures, 2027", "residents in 2027", "All metrics in 2027"} {
		if strings.Contains(html, not) {
			t.Errorf("report.html has %q", not)
		}
	}
	ss := r.Sentences(year)
	if len(ss) == 0 {
		t.Fatal("no sentences")
	}
	for _, s := range ss {
		if !strings.HasPrefix(s.Text, "By 2025") || !strings.Contains(html, templateEscape(s.Text)) {
			t.Errorf("report.html lacks the sentence of 2025 %q", s.Text)
		}
	}
	maps, diffs := 0, 0
	for _, c := range charts {
		switch {
		case strings.HasPrefix(c.Name, "map-"):
			maps++
			if !strings.Contains(c.Title, "residents in 2025") || !strings.Contains(c.Caption, "difference in 2025") {
				t.Errorf("map %s: title %q, caption %q", c.Name, c.Title, c.Caption)
			}
		case strings.HasPrefix(c.Name, "difference-"):
			diffs++
			if !strings.Contains(c.Title, "2024–2027") {
				t.Errorf("difference chart %q: the charts keep every year", c.Title)
			}
		}
	}
	if maps == 0 || diffs == 0 {
		t.Errorf("%d maps, %d difference charts", maps, diffs)
	}
	// Without a key year, no note; a year outside is an error.
	v := &view{R: r, P: r.Plan}
	if n := v.KeyYearNote(); n != "" || v.KeyYear() != 2027 {
		t.Errorf("the last year: %d, note %q", v.KeyYear(), n)
	}
	if _, err := WriteWith(context.Background(), r, t.TempDir(), Options{Year: 2031}); err == nil {
		t.Error("a year outside the comparison: no error")
	}
}

// TestLargestNoteGroups: the note over the table of the largest
// differences says how each region is judged as the table judges it:
// those targeted one by one by their own interval, those of an
// intervention of more than four regions as any other. It said "The
// targets are judged by their own interval, as above" while the table
// called the five regions of a link "could be chance among all regions".
// The key figures say why such a group has no row per region.
func TestLargestNoteGroups(t *testing.T) {
	r := compareReplicates(t, 3, 3, testdata("base.toml"), testdata("link.toml"), testdata("all-measures.toml"))
	v := &view{R: r, P: r.Plan}
	link, all := v.LargestNote(1), v.LargestNote(2)
	for _, n := range []string{link, all} {
		if strings.Contains(n, "The targets are judged by their own interval") {
			t.Errorf("note %q", n)
		}
		if !strings.Contains(n, "The 5 regions of Fixed link, more than 4, are judged as any other region here; the group as a whole by its own interval in the key figures.") {
			t.Errorf("note %q lacks how the link's regions are judged", n)
		}
	}
	if !strings.Contains(link, "Every region is coloured only when its difference stays clear") || strings.Contains(link, "one by one (those") {
		t.Errorf("link targets no region one by one: %q", link)
	}
	if !strings.Contains(all, "Regions other than those the scenario targets one by one are coloured only when their difference stays clear") ||
		!strings.Contains(all, "The regions it targets one by one (those of an intervention of at most 4) are judged by their own interval") {
		t.Errorf("all-measures targets Lindvik and Bergåsen one by one: %q", all)
	}
	// The table judges the link's regions as the note says: with all
	// regions tested together.
	yi := len(r.YearList) - 1
	bh := r.ClearRegions(1, yi)
	for k, u := range r.Largest(1, yi, 10) {
		if row := v.LargestRows(1)[k]; u < 5 && (row.Class != "unclear") != bh[u] {
			t.Errorf("%s: coloured %v, clear with all tested together %v", row.Name, row.Class != "unclear", bh[u])
		}
	}
	for s := 1; s <= 2; s++ {
		notes := strings.Join(v.KeyNotes(s), "\n")
		if !strings.Contains(notes, "Fixed link targets 5 regions, more than 4: they are shown together only, in the row Fixed link (5 regions)") {
			t.Errorf("scenario %d: key notes %q", s, notes)
		}
	}
	if notes := strings.Join(v.KeyNotes(2), "\n"); !strings.Contains(notes, "all-measures has 3 interventions: every figure is their effect together") {
		t.Errorf("all-measures: key notes %q", notes)
	}
	f, _, err := newMapFigure(r, 1, false, yi)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.caption, "A region the scenario targets one by one (by an intervention of at most 4 regions) is clear when its 90 % interval excludes zero; any other region, those of a larger group too,") {
		t.Errorf("map caption %q", f.caption)
	}
}

// TestChartsSameIntervention: two scenarios with the same intervention on
// the same regions each draw the other on their group's charts (they said
// "the other scenario does not target it"), and the charts' titles tell
// the two groups apart by their scenario (both read "Population of
// Fixed link (5 regions)", pasted into a memo).
func TestChartsSameIntervention(t *testing.T) {
	r := trialResult(t)
	p := r.Plan
	dir := t.TempDir()
	charts, err := Write(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, c := range charts {
		if other, ok := titles[c.Title]; ok {
			t.Errorf("charts %s and %s have the same title %q", other, c.Name, c.Title)
		}
		titles[c.Title] = c.Name
	}
	groups := 0
	for f, u := range p.Focus {
		unit := &p.Units[u]
		if unit.Level != compare.LevelTarget {
			continue
		}
		groups++
		want := "Fixed link (5 regions; scenario " + p.Scenarios[unit.Owner].Name + ")"
		if got := focusName(p, f); got != want {
			t.Errorf("%s: name %q, want %q", unit.Code, got, want)
		}
		if _, ok := titles["Population of "+want+", 2024–2027"]; !ok {
			t.Errorf("no trajectory titled with %q among %v", want, titles)
		}
		if shown := chartScenarios(p, f); !slices.Equal(shown, []int{0, 1, 2}) {
			t.Errorf("%s's charts draw %v, want the baseline and both scenarios", unit.Code, shown)
		}
		if n := drawnNote(r, f); n != "" {
			t.Errorf("%s: note %q", unit.Code, n)
		}
	}
	if groups != 2 {
		t.Fatalf("%d groups, want 2", groups)
	}
	// Bergåsen, the campus's region, is all-measures' alone: link is left
	// out of its charts, and they say so.
	for f, u := range p.Focus {
		if p.Units[u].Name != "Bergåsen" {
			continue
		}
		if n := drawnNote(r, f); !strings.Contains(n, "the other scenario does not target it and is left out (its figures for it are in deltas.csv)") {
			t.Errorf("Bergåsen: note %q", n)
		}
		if got := leftOutText(p, f, chartScenarios(p, f)); got != "the scenario that does not target it is not drawn" {
			t.Errorf("Bergåsen: %q", got)
		}
	}
}

// TestSVGFontFallbacks: the SVG files in charts/ name the fonts' fallbacks
// (Times New Roman, Arial), as docs/compare.md says and report.html's
// copies do; the files named Liberation Serif alone.
func TestSVGFontFallbacks(t *testing.T) {
	r := compareReplicates(t, 1, 1, testdata("base.toml"), testdata("bridge.toml"))
	charts, err := Write(r, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		b, err := os.ReadFile(c.SVG)
		if err != nil {
			t.Fatal(err)
		}
		svg := string(b)
		if strings.Contains(svg, "font-family:Liberation Serif;") || strings.Contains(svg, "font-family:Liberation Sans;") ||
			!strings.Contains(svg, "font-family:'Liberation Serif','Times New Roman',Times,serif;") {
			t.Errorf("%s names no fallbacks for its fonts", c.SVG)
		}
		if !strings.Contains(string(c.Inline), "'Times New Roman'") {
			t.Errorf("%s: the inline copy names no fallbacks", c.Name)
		}
	}
}

// TestWriteWithCancelled: Ctrl-C (a cancelled context) stops the charts
// and writes no report.html.
func TestWriteWithCancelled(t *testing.T) {
	r := compareReplicates(t, 1, 1, testdata("base.toml"), testdata("bridge.toml"))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteWith(ctx, r, dir, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ReportFile)); err == nil {
		t.Error("a cancelled report wrote report.html")
	}
}

// TestPriceDifferenceSigned: a difference in the price level has its sign,
// as a count's has (+1,750 beside 0.0120).
func TestPriceDifferenceSigned(t *testing.T) {
	for x, want := range map[float64]string{0.012: "+0.0120", -0.003: "-0.0030", 0: "0.0000", 0.00001: "0.0000", -0.00001: "0.0000"} {
		d := compare.Delta{Baseline: 1, Scenario: 1 + x, Difference: x, Lo: x - 0.001, Hi: x + 0.001, Replicates: 2}
		if r := deltaRow("price", "price_index", d, compare.PriceIndex, 0); r.Difference != want {
			t.Errorf("difference %g: %q, want %q", x, r.Difference, want)
		}
	}
}
