package report

import (
	"context"
	"fmt"
	"html"
	"image/color"
	pngpkg "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// bridgeResult compares the teaching world with a bridge to its ferry
// island: 2 replicates of 3 years at scale 0.1 (well under a second).
func bridgeResult(t *testing.T) *compare.Result {
	t.Helper()
	return compareFiles(t, 3, testdata("base.toml"), testdata("bridge.toml"))
}

// testdata is the path of a scenario of sim/compare's testdata.
func testdata(name string) string { return filepath.Join("..", "compare", "testdata", name) }

// compareFiles compares the scenario files (the first the baseline) with 2
// replicates of the given years.
func compareFiles(t *testing.T, years int, files ...string) *compare.Result {
	t.Helper()
	return compareReplicates(t, 2, years, files...)
}

// compareReplicates is compareFiles with reps replicates.
func compareReplicates(t *testing.T, reps, years int, files ...string) *compare.Result {
	t.Helper()
	var ss []*scenario.Scenario
	for _, f := range files {
		s, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	p, err := compare.NewPlan(ss, compare.PlanOptions{Replicates: reps, Years: years})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Run(context.Background(), compare.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWriteReport(t *testing.T) {
	r := bridgeResult(t)
	dir := t.TempDir()
	charts, err := Write(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	// difference + map per scenario, and trajectory, pyramid, migration
	// and its difference per focus unit (the teaching world has no
	// borders: no zoom map).
	if want := 2 + 4*len(r.Plan.Focus); len(charts) != want {
		t.Errorf("%d charts, want %d", len(charts), want)
	}
	for _, c := range charts {
		// File names in ASCII, as a sweep's metric names spell places
		// ("target-T1-holmoy-bridge", not "holmøy").
		for _, r := range c.Name {
			if r > unicode.MaxASCII {
				t.Errorf("chart %s: its file name is not ASCII", c.Name)
				break
			}
		}
		for _, f := range []string{c.PNG, c.SVG} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() < 2000 {
				t.Errorf("%s: only %d bytes", f, st.Size())
			}
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, string(html))
	for _, s := range r.Sentences(0) {
		if !strings.Contains(string(html), templateEscape(s.Text)) {
			t.Errorf("report.html lacks the sentence %q", s.Text)
		}
	}
	// "Who moved" gives every cell's interval in the table's text, under
	// its number: a title shown on hovering was lost in a table pasted
	// into a memo or printed.
	moves := string(html)[strings.Index(string(html), `<h2 id="moves">`):strings.Index(string(html), `<h2 id="attractiveness">`)]
	cells := regexp.MustCompile(`<t[dh] style="[^"]*">([-+0-9,]|&#43;)+<br><span class="ci">(-|&#43;)?[0-9,]+ to (-|&#43;)?[0-9,]+</span></t[dh]>`).FindAllString(moves, -1)
	if tables := strings.Count(moves, "<table>"); tables == 0 || len(cells) != tables*(compare.AllAges+1)*(compare.AllMotives+1) {
		t.Errorf("%d cells of %d tables of who moved give their interval under their number, want every cell", len(cells), tables)
	}
	if strings.Contains(moves, "title=") || strings.Contains(moves, "Hover") {
		t.Error("who moved still gives intervals on hovering")
	}
	if n := strings.Count(string(html), "<svg"); n != len(charts) {
		t.Errorf("report.html has %d inline SVGs, want %d", n, len(charts))
	}
	// The report states what was assumed: a policy reader could not see
	// the parameters anywhere (only names and hashes).
	for _, want := range []string{
		"Holmøy bridge (region_enlargement), from 2025; targets: 2 regions: Sjøvik",
		"<code>minutes_saved = 45 [minutes]</code>",
		"<code>jobs = 1000 [jobs]</code>",
		"<b>base</b> (baseline",
		// The colour's verdict in words, which a pasted table keeps.
		`<th class="name">judged</th>`, `<td class="name">could be chance</td>`,
		// Every pair alike (Holmøy's dwellings): not "could be chance".
		`<td>0 to 0</td><td>0.0 %</td><td class="name">no difference</td>`,
		"net domestic migration (the year to 1 January 2027)",
		// At scale 0.1 Holmøy's in-commuters (15 in the baseline, 185
		// with the bridge) are under 20 simulated persons: no "+1133 %".
		"<td>(few)</td>",
		templateEscape(`description = "A bridge to the ferry island and jobs in Sjøvik (tests)"`),
	} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// TestLargestClear: in the table of the largest differences of any region
// and on the map, a region the scenario targets is coloured by its own
// interval, any other only when it stays clear with all regions tested
// together; the note says how many are which. Three replicates: with the
// two of bridgeResult the one region clear by its own interval alone was
// Øvre Dal's -35 from paired differences of -30 and -40, one simulated
// person apart, whose interval (-67 to -3) took a spread under that step;
// with the spread at least one step (compare.Delta.Step) it is -80 to
// +10. Three give regions clear by their own interval with spreads of
// their own (Storhavn, Kvernes).
func TestLargestClear(t *testing.T) {
	r := compareReplicates(t, 3, 3, testdata("base.toml"), testdata("bridge.toml"))
	v := &view{R: r, P: r.Plan}
	yi := len(r.YearList) - 1
	bh := r.ClearRegions(1, yi)
	if bh == nil {
		t.Fatal("no test with 3 replicates")
	}
	targets := map[int]bool{}
	for _, i := range targetRegions(r.Plan, 1) {
		targets[i] = true
	}
	rows := v.LargestRows(1)
	sawAll := 0 // rows clear by their own interval only
	for k, u := range r.Largest(1, yi, 10) {
		d := r.Delta(1, u, compare.Population, yi)
		want := !d.Includes0()
		if !targets[u] {
			want = bh[u]
		}
		if got := rows[k].Class != "unclear"; got != want {
			t.Errorf("%s (target %v, own interval %.0f to %.0f, clear for all %v): coloured %v, want %v",
				rows[k].Name, targets[u], d.Lo, d.Hi, bh[u], got, want)
		}
		// The verdict in words says which test it failed.
		wantVerdict := map[bool]string{true: verdictClear, false: verdictChance}[want]
		if !want && !d.Includes0() {
			wantVerdict = verdictChanceAll
		}
		if wantVerdict == verdictChanceAll {
			sawAll++
		}
		if rows[k].Verdict != wantVerdict {
			t.Errorf("%s (own interval %.0f to %.0f, clear for all %v): judged %q, want %q", rows[k].Name, d.Lo, d.Hi, bh[u], rows[k].Verdict, wantVerdict)
		}
	}
	if sawAll == 0 {
		t.Error("no row is clear by its own interval only: the fixture no longer tests that verdict")
	}
	note := v.LargestNote(1)
	if !strings.Contains(note, "tested together (Benjamini–Hochberg, false discovery rate 10 %)") || !strings.Contains(note, "of the 14") ||
		!regexp.MustCompile(`Here (none does|1 does|\d+ do)\. .*: (none does|1 region does|\d+ regions do)\. `).MatchString(note) {
		t.Errorf("note: %q", note)
	}
}

// TestFlowTableChance: a cell of the table of net moves by age and motive
// is coloured only when it stays clear with the table's cells tested
// together, greyed otherwise, and gives its interval (TestWriteReport:
// under its number); the totals are never coloured.
func TestFlowTableChance(t *testing.T) {
	// Enough replicates and years for some cells to stay clear (5
	// replicates of six years left none with engine 0.7.0; 8 of eight
	// years leave about 20).
	r := compareReplicates(t, 8, 8, testdata("base.toml"), testdata("bridge.toml"))
	v := &view{R: r, P: r.Plan}
	coloured, grey := 0, 0
	tables := map[int]flowTable{} // by focus unit: the whole country has none
	for _, tab := range v.FlowTables(1) {
		tables[tab.Focus] = tab
	}
	for _, f := range r.Plan.ScenarioFocus(1) {
		tab, ok := tables[f]
		if !ok {
			continue
		}
		clear := r.ClearFlowCells(1, f)
		for g, row := range append(tab.Rows, tab.Total) {
			for m, c := range row.Cells {
				d := r.FlowDelta(1, f, g, m)
				style := string(c.Style)
				if c.Interval != compare.Signed(d.Lo)+" to "+compare.Signed(d.Hi) {
					t.Errorf("%s, %s, motive %d: interval %q for %+v", tab.Unit, row.Age, m, c.Interval, d)
				}
				switch {
				case !clear[g][m]:
					if style != "color: #888" {
						t.Errorf("%s, %s, motive %d: not clear (p %.3f), style %q", tab.Unit, row.Age, m, d.PValue(), style)
					}
					grey++
				case g == compare.AllAges || m == compare.AllMotives:
					if style != "" {
						t.Errorf("%s, %s, motive %d: a total coloured %q", tab.Unit, row.Age, m, style)
					}
				default:
					if !strings.HasPrefix(style, "background: rgba(") {
						t.Errorf("%s, %s, motive %d: clear, style %q", tab.Unit, row.Age, m, style)
					}
					coloured++
				}
			}
		}
	}
	t.Logf("%d cells coloured, %d grey", coloured, grey)
	if coloured == 0 || grey == 0 {
		t.Errorf("%d cells coloured and %d grey: the test needs both", coloured, grey)
	}
}

// TestNoNationalMigrationChart: a scenario without target regions is
// summarised for the nation and the centrality classes; net domestic moves
// into the nation are zero, so it gets no migration chart.
func TestNoNationalMigrationChart(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "remote.toml")
	if err := os.WriteFile(file, []byte(`[scenario]
name = "remote"
world = "teaching"
years = 2
seed = 7
scale = 0.1

[[intervention]]
kind = "remote_work"
from_year = 2025
share = 0.3
`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := compareFiles(t, 2, testdata("base.toml"), file)
	out := t.TempDir()
	if _, err := Write(r, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, ChartsDir, "trajectory-nation.png")); err != nil {
		t.Fatalf("no nation among the summarised units: %v", err)
	}
	for _, name := range []string{"migration-nation.png", "migration-difference-nation.png"} {
		if _, err := os.Stat(filepath.Join(out, ChartsDir, name)); err == nil {
			t.Errorf("%s for the nation, whose net domestic moves are zero", name)
		}
	}
	for _, name := range []string{"migration-centrality-1.png", "migration-difference-centrality-1.png"} {
		if _, err := os.Stat(filepath.Join(out, ChartsDir, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
}

// TestManySeries compares four scenarios, one of them with eight target
// units: the trajectories shade the baseline's band only, the differences
// of the eight are drawn as panels, and no two scenarios look alike. Bands
// that may overlap are drawn so that they stay legible (addBand): on a
// trajectory the baseline's light grey and a scenario's between thin
// lines of its colour, unfilled (the baseline's black over bridge's
// orange, both at 60, made a muddy brown), on a difference chart each
// target's light and edged; a band alone in a panel is shaded at 60.
func TestManySeries(t *testing.T) {
	r := compareFiles(t, 2, testdata("base.toml"), testdata("bridge.toml"), testdata("campus.toml"), testdata("many.toml"))
	p := r.Plan
	dir := t.TempDir()
	if _, err := Write(r, dir); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, ChartsDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	count := func(svg string, pattern string) int { return len(regexp.MustCompile(pattern).FindAllString(svg, -1)) }
	bands := regexp.MustCompile(`fill-opacity:0\.235`) // soloBandAlpha, 60/255
	const (
		greyBand = `fill-opacity:0\.1568` // baseBandAlpha, 40/255
		overBand = `fill-opacity:0\.1176` // overBandAlpha, 30/255
		edge     = `stroke-width:0\.8\b`  // bandEdgeWidth
	)
	// A unit's charts draw the baseline and the scenarios that target it
	// (Sjøvik's trajectory drew the campus in Bergåsen and the broadband
	// elsewhere, as if they reached it), and say that the others are left
	// out. Bergåsen (T07) is a target of campus and many, Sjøvik (T13) of
	// bridge alone. The legend names the baseline's band, whose swatch is
	// drawn as the band is.
	legend := func(svg string) (names []string) {
		for _, name := range []string{"base", "bridge", "campus", "many"} {
			// "base (baseline)"; in a pyramid "2026 bridge".
			if regexp.MustCompile(`>([0-9]{4} )?` + name + `( \(baseline\))?<`).MatchString(svg) {
				names = append(names, name)
			}
		}
		return names
	}
	for _, c := range []struct {
		unit, drawn, left string
		bands             int
	}{
		{"T07", "base campus many", "the scenario that does not target it is not drawn", 1},
		{"T13", "base bridge", "the 2 scenarios that do not target it are not drawn", 2},
	} {
		traj := read("trajectory-" + c.unit + ".svg")
		if got := strings.Join(legend(traj), " "); got != c.drawn {
			t.Errorf("trajectory of %s draws %q, want %q", c.unit, got, c.drawn)
		}
		if !strings.Contains(traj, c.left) {
			t.Errorf("trajectory of %s does not say %q", c.unit, c.left)
		}
		// Each band is also in the legend: the grey one filled, a
		// scenario's two edges as two lines.
		grey, edged := count(traj, greyBand)-1, count(traj, edge)/4
		if grey != 1 || grey+edged != c.bands || count(traj, bands.String()) != 0 || !strings.Contains(traj, ">baseline: 90 % interval of its mean<") {
			t.Errorf("trajectory of %s: %d grey and %d edged bands, want the baseline's grey and %d edged, named in the legend, none shaded at 60", c.unit, grey, edged, c.bands-1)
		}
		if c.bands == 2 && !strings.Contains(traj, ">bridge: 90 % interval of its mean<") {
			t.Errorf("trajectory of %s: bridge's band not named in the legend", c.unit)
		}
		if c.bands == 1 && !strings.Contains(traj, "baseline&#39;s mean") && !strings.Contains(traj, "baseline's mean") {
			t.Errorf("trajectory of %s: the baseline's band alone, not said so in the subtitle", c.unit)
		}
		for _, chart := range []string{"pyramid-", "migration-"} {
			if got := strings.Join(legend(read(chart+c.unit+".svg")), " "); got != c.drawn {
				t.Errorf("%s%s draws %q, want %q", chart, c.unit, got, c.drawn)
			}
		}
		if got, want := strings.Join(legend(read("migration-difference-"+c.unit+".svg")), " "), strings.TrimPrefix(c.drawn, "base "); got != want {
			t.Errorf("migration-difference-%s draws %q, want %q", c.unit, got, want)
		}
	}
	html := read("../" + ReportFile)
	if want := "These charts draw the baseline and bridge, the scenario that targets Sjøvik; the other 2 scenarios do not target it and are left out"; !strings.Contains(html, want) {
		t.Errorf("report.html lacks %q", want)
	}
	// "bridge" has two target units: lines and bands in one chart.
	if d, n := read("difference-bridge.svg"), len(p.ScenarioFocus(1)); strings.Contains(d, "a panel per target") || count(d, overBand) != n || count(d, edge) != 2*n {
		t.Errorf("difference chart of %d units: want one chart with a light, edged band each (%d light fills, %d edges)", n, count(d, overBand), count(d, edge))
	}
	many := read("difference-many.svg")
	if !strings.Contains(many, "a panel per target") {
		t.Error("difference chart of many units is not drawn as panels")
	}
	units := p.ScenarioFocus(3)
	if len(units) <= maxBands {
		t.Fatalf("many.toml has %d units, want more than %d", len(units), maxBands)
	}
	for _, f := range units {
		name := p.Units[p.Focus[f]].Name
		if !strings.Contains(many, ">"+templateEscape(name)+"<") && !strings.Contains(many, ">"+name+"<") {
			t.Errorf("no panel titled %q", name)
		}
	}
	if n := len(bands.FindAllString(many, -1)); n != len(units) {
		t.Errorf("%d bands in the panels, want one per unit (%d)", n, len(units))
	}
	// Every target region is judged by its own interval, also those the
	// summary leaves out (9 regions, more units than it summarises).
	yi := len(r.YearList) - 1
	clear := clearRegions(r, 3, yi)
	if tr := targetRegions(p, 3); len(tr) != 9 {
		t.Errorf("many.toml targets %d regions, want 9", len(tr))
	} else if clear != nil {
		for _, i := range tr {
			if want := !r.Delta(3, i, compare.Population, yi).Includes0(); clear[i] != want {
				t.Errorf("target %s: clear %v, its interval says %v", p.World.Regions[i].Name, clear[i], want)
			}
		}
	}
	png := read("difference-many.png")
	cfg, err := pngpkg.DecodeConfig(strings.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	rows := (len(units) + panelCols - 1) / panelCols
	// The margins, the title's three lines and the gap under them, and
	// the panels.
	head := newPlot("", "", "").Title.TextStyle.Rectangle("title\nsubtitle\nnote").Size().Y + panelGap
	if want := int((2*chartMargin + head + vg.Length(rows)*panelHeight).Dots(96) + 0.5); cfg.Height != want {
		t.Errorf("panels PNG is %d pixels high, want %d (%d rows)", cfg.Height, want, rows)
	}
}

// TestScenarioStyles checks that the baseline and the first 18 scenarios
// (three rounds of the palette) differ in colour or dashes and in the fill
// of their bars, and that the first 24 series of a chart differ.
func TestScenarioStyles(t *testing.T) {
	seen := map[string]int{}
	fills := map[color.RGBA]int{}
	for s := 0; s <= 3*len(palette); s++ {
		key := fmt.Sprint(scenarioColour(s), scenarioDashes(s))
		if prev, ok := seen[key]; ok {
			t.Errorf("scenarios %d and %d are drawn alike (%s)", prev, s, key)
		}
		seen[key] = s
		if s <= 3*len(palette) {
			if prev, ok := fills[scenarioFill(s)]; ok {
				t.Errorf("bars of scenarios %d and %d have the same fill", prev, s)
			}
			fills[scenarioFill(s)] = s
		}
	}
	for k := 0; k < 24; k++ {
		key := fmt.Sprint(palette[k%len(palette)], seriesDashes(k))
		if _, ok := seen["series "+key]; ok {
			t.Errorf("series %d is drawn like an earlier one", k)
		}
		seen["series "+key] = k
	}
}

// templateEscape escapes s as html/template does in text.
func templateEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#43;").Replace(s)
}

// checkSelfContained fails if the page would fetch anything: no external
// scripts, style sheets or images, no URLs but XML namespaces.
func checkSelfContained(t *testing.T, html string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`https?://[^"'\s<]+`).FindAllString(html, -1) {
		if !strings.HasPrefix(m, "http://www.w3.org/") {
			t.Errorf("report.html refers to %s", m)
		}
	}
}

// probe is appended to a copy of report.html for the browser test: it
// records each chart's drawn size and element count in the DOM, which
// --dump-dom then prints.
const probe = `<script>
window.addEventListener("load", () => {
  for (const f of document.querySelectorAll("figure.chart")) {
    const svg = f.querySelector("svg");
    const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    f.setAttribute("data-drawn", Math.round(r.width) + "x" + Math.round(r.height) + "x" + (svg ? svg.querySelectorAll("path,text").length : 0));
  }
  document.body.setAttribute("data-probed", "yes");
});
</script>`

// TestReportInChromium opens report.html in headless Chromium and checks
// that every chart and the map are drawn with a real size, and takes a
// screenshot (kept in $SETTLE_SCREENSHOT if set, to look at).
func TestReportInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (CI installs it with .ci/setup.d/10-chromium.sh)")
	}
	r := bridgeResult(t)
	dir := t.TempDir()
	charts, err := Write(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	probed := filepath.Join(dir, "probed.html")
	page := strings.Replace(string(html), "</body>", probe+"</body>", 1)
	if err := os.WriteFile(probed, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
			"--user-data-dir=" + filepath.Join(dir, "profile")}
		out, err := exec.CommandContext(ctx, chromium, append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return out
	}
	dom := string(run("--virtual-time-budget=5000", "--window-size=1200,900", "--dump-dom", "file://"+probed))
	if !strings.Contains(dom, `data-probed="yes"`) {
		t.Fatalf("the probe did not run; the DOM starts %.300q", dom)
	}
	drawn := regexp.MustCompile(`data-chart="([^"]+)"[^>]*data-drawn="(\d+)x(\d+)x(\d+)"`).FindAllStringSubmatch(dom, -1)
	if len(drawn) != len(charts) {
		t.Errorf("%d charts drawn, want %d", len(drawn), len(charts))
	}
	for _, d := range drawn {
		w, _ := strconv.Atoi(d[2])
		h, _ := strconv.Atoi(d[3])
		n, _ := strconv.Atoi(d[4])
		if w < 400 || h < 200 || n < 10 {
			t.Errorf("chart %s drawn %d×%d px with %d elements", d[1], w, h, n)
		}
	}
	if !strings.Contains(dom, `data-chart="map-bridge"`) {
		t.Error("the map is missing")
	}
	shot := filepath.Join(dir, "report.png")
	run("--window-size=1200,4000", "--screenshot="+shot, "file://"+filepath.Join(dir, ReportFile))
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 50_000 {
		t.Fatalf("screenshot: %v (%v)", st, err)
	}
	if keep := os.Getenv("SETTLE_SCREENSHOT"); keep != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot in %s", keep)
	}
}

// TestWeakModel: below a mean R² of 0.1 the attractiveness split is
// flagged (Norway at scale 0.05 had 0.01, and the report presented the
// split without a word); the first year, which has no model, is left out.
func TestWeakModel(t *testing.T) {
	weak := []compare.Model{{R2: 0.9}, {Slope: 0.05, R2: 0.01}, {Slope: 0.03, R2: 0.02}}
	strong := []compare.Model{{}, {Slope: 0.4, R2: 0.5}, {Slope: 0.3, R2: 0.6}}
	if !weakModel(weak) || weakModel(strong) {
		t.Errorf("weakModel: weak %v, strong %v", weakModel(weak), weakModel(strong))
	}
	if got := modelText("rogfast", weak); !strings.Contains(got, "mean R² 0.01") {
		t.Errorf("modelText: %q", got)
	}
}

// TestUnitFile: an intervention's targets' charts are named by the
// intervention too, in ASCII as a sweep's metric names spell places
// (output.ASCIIName: bjørnafjorden → bjornafjorden).
func TestUnitFile(t *testing.T) {
	for _, c := range []struct {
		u    compare.Unit
		want string
	}{
		{compare.Unit{Level: compare.LevelTarget, Code: "T1", Name: "Hordfast: Bergen–Stord (2 regions)"}, "target-T1-hordfast-bergen-stord"},
		{compare.Unit{Level: compare.LevelTarget, Code: "T12", Name: "Bjørnafjorden bru (3 regions)"}, "target-T12-bjornafjorden-bru"},
		{compare.Unit{Level: compare.LevelTarget, Code: "T1", Name: "Øybrua (2 regions)"}, "target-T1-oybrua"},
		{compare.Unit{Level: compare.LevelTarget, Code: "T3", Name: "Unjárga – Nesseby: Æ (2 regions)"}, "target-T3-unjarga-nesseby-ae"},
		{compare.Unit{Level: compare.LevelRegion, Code: "Ås", Name: "Ås"}, "As"},
		{compare.Unit{Level: compare.LevelCounty, Code: "Møre og Romsdal", Name: "Møre og Romsdal"}, "county-More-og-Romsdal"},
		{compare.Unit{Level: compare.LevelRegion, Code: "北", Name: "北"}, "unnamed"},
		{compare.Unit{Level: compare.LevelTarget, Code: "T2", Name: "–– (2 regions)"}, "target-T2"},
		{compare.Unit{Level: compare.LevelRegion, Code: "4614", Name: "Stord"}, "4614"},
		{compare.Unit{Level: compare.LevelCentrality, Code: "3", Name: "centrality class 3"}, "centrality-3"},
		{compare.Unit{Level: compare.LevelNation, Code: "norway-2024", Name: "Norway"}, "nation"},
	} {
		if got := unitFile(&c.u); got != c.want {
			t.Errorf("unitFile(%s %s) = %q, want %q", c.u.Level, c.u.Name, got, c.want)
		}
	}
}

// TestChartFilesDistinct: units and scenarios whose names come out alike
// in a chart's file name (Ås and As are both As; Øybrua and oybrua one
// file on macOS and Windows) still get a file each.
func TestChartFilesDistinct(t *testing.T) {
	p := &compare.Plan{
		Scenarios: []*scenario.Scenario{{Name: "base"}, {Name: "Øybrua"}, {Name: "oybrua"}, {Name: "Ås"}, {Name: "base"}},
		Units: []compare.Unit{
			{Level: compare.LevelRegion, Code: "Ås", Name: "Ås"},
			{Level: compare.LevelRegion, Code: "As", Name: "As"},
			{Level: compare.LevelRegion, Code: "as", Name: "as"},
			{Level: compare.LevelTarget, Code: "T1", Name: "Øybrua (2 regions)"},
			{Level: compare.LevelTarget, Code: "T2", Name: "Oybrua (2 regions)"},
		},
		Focus: []int{0, 1, 2, 3, 4},
	}
	scen, focus := chartFiles(p)
	// The baseline has no charts: a scenario of its name keeps it.
	if got, want := strings.Join(scen, " "), "base Oybrua oybrua-2 As base"; got != want {
		t.Errorf("scenarios' chart files %q, want %q", got, want)
	}
	if got, want := strings.Join(focus, " "), "As As-2 as-3 target-T1-oybrua target-T2-oybrua"; got != want {
		t.Errorf("units' chart files %q, want %q", got, want)
	}
	for f := range p.Focus {
		if focusFile(p, f) != focus[f] {
			t.Errorf("focusFile(%d) = %q, want %q", f, focusFile(p, f), focus[f])
		}
	}
}

// TestDeltaRowRoundsAsSentence: the report's tables round a count as the
// sentences do (compare.RoundCount: deltas.csv's one decimal, half away
// from zero): a difference of 1437.4999…, written 1437.5, is +1,438 in
// both, not +1,438 in the table and 1,437 in the sentence.
func TestDeltaRowRoundsAsSentence(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{1437.5, "+1,438"}, {1437.4999999999, "+1,438"}, {-1437.4999999999, "-1,438"},
		{759.4999, "+760"}, {0.5, "+1"}, {-0.5, "-1"}, {0.04, "0"}, {-0.3, "0"},
	} {
		d := compare.Delta{Baseline: 10000, Scenario: 10000 + c.x, Difference: c.x, Lo: c.x, Hi: c.x, Replicates: 2}
		r := deltaRow("x", "region", d, compare.Population, 0)
		if r.Difference != c.want || r.Difference != compare.Signed(compare.RoundCount(c.x)) {
			t.Errorf("difference %v: table %q, want %q", c.x, r.Difference, c.want)
		}
	}
}

// TestMinutesByDirection: with one-way travel times, the minutes of a
// region movers came from are their trip to the region explained, and of
// one they went to the trip there (explain showed the return trip for
// both).
func TestMinutesByDirection(t *testing.T) {
	w := &world.World{Regions: make([]world.Region, 3), Minutes: []float32{
		0, 30, 50,
		300, 0, 70,
		500, 700, 0,
	}}
	e := &Explanation{World: w, Region: 0, Regions: []int{0}}
	if got := e.MinutesFrom(1); got != 300 {
		t.Errorf("MinutesFrom(1) = %g, want 300 (region 1 to region 0)", got)
	}
	if got := e.Minutes(1); got != 30 {
		t.Errorf("Minutes(1) = %g, want 30 (region 0 to region 1)", got)
	}
	// A county: the nearest of its regions.
	c := &Explanation{World: w, Region: -1, Regions: []int{0, 1}}
	if got := c.MinutesFrom(2); got != 500 {
		t.Errorf("county MinutesFrom(2) = %g, want 500", got)
	}
	if got := c.Minutes(2); got != 50 {
		t.Errorf("county Minutes(2) = %g, want 50", got)
	}
}

// TestChartTextInside: with a long scenario name, every chart's and map's
// title fits inside its canvas's margins, on two lines or more, and every
// other text lies inside the canvas. The zoomed map of
// "finnmark-youth-housing" had its title start at x = −6 on a canvas 576
// points wide, cut at both ends, and the pyramids' legend and titles ran
// to the canvas's edges. Norway, for the zoomed map (a world with
// borders), at a tiny scale and one year.
func TestChartTextInside(t *testing.T) {
	dir := t.TempDir()
	const name = "finnmark-youth-housing-and-remote-work-package"
	r := vardoHousing(t, dir, name)
	out := filepath.Join(dir, "out")
	charts, err := Write(r, out)
	if err != nil {
		t.Fatal(err)
	}
	size := regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)
	texts := regexp.MustCompile(`(<g transform="rotate\(90\)">\s*)?<text x="([-0-9.e+]+)" y="([-0-9.e+]+)"[^>]*font-size:([0-9.]+)px[^>]*>([^<]*)</text>`)
	num := func(s string) vg.Length {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return vg.Length(v)
	}
	zoom, wrapped := false, 0
	for _, c := range charts {
		b, err := os.ReadFile(c.SVG)
		if err != nil {
			t.Fatal(err)
		}
		m := size.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: no size", c.Name)
		}
		w, h := num(string(m[1])), num(string(m[2]))
		zoom = zoom || strings.HasSuffix(c.Name, "-zoom")
		titleLines := 0
		for _, tm := range texts.FindAllSubmatch(b, -1) {
			// The SVG writes a text's start x and its baseline y negated
			// (the text is flipped back in the canvas's flipped group).
			x, y, s := num(string(tm[2])), num(string(tm[3])), html.UnescapeString(string(tm[5]))
			sty := text.Style{Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
			sty.Font.Size = num(string(tm[4]))
			ext := sty.FontExtents() // from the font's bounding box: above the tallest glyph
			box := vg.Rectangle{Min: vg.Point{X: x, Y: -y - ext.Descent}, Max: vg.Point{X: x + sty.Width(s), Y: -y + ext.Ascent}}
			if len(tm[1]) > 0 { // an axis label turned to read upwards
				box = vg.Rectangle{Min: vg.Point{X: y - ext.Ascent, Y: x}, Max: vg.Point{X: y + ext.Descent, Y: x + sty.Width(s)}}
			}
			const slack = 0.5
			if box.Min.X < -slack || box.Max.X > w+slack || box.Min.Y < -slack || box.Max.Y > h+slack {
				t.Errorf("%s: %q spans x %.1f to %.1f, y %.1f to %.1f, off a canvas %.0f × %.1f points",
					c.Name, s, box.Min.X, box.Max.X, box.Min.Y, box.Max.Y, w, h)
			}
			// A line of a title or subtitle (14 points; nothing else is
			// above 12) keeps the margin at the sides, and its font's box
			// half of it at the top.
			if sty.Font.Size > 12 || strings.Contains(s, name) {
				if strings.Contains(c.Title, name) && strings.Contains(c.Title, s) && s != c.Title {
					titleLines++
				}
				if box.Min.X < chartMargin-slack || box.Max.X > w-chartMargin+slack || box.Max.Y > h-chartMargin/2 {
					t.Errorf("%s: the title's %q spans x %.1f to %.1f, its top at %.1f, on a canvas %.0f × %.1f points: not within its margin of %.0f",
						c.Name, s, box.Min.X, box.Max.X, box.Max.Y, w, h, chartMargin)
				}
			}
		}
		if titleLines > 1 {
			wrapped++
		}
	}
	if !zoom {
		t.Error("no zoomed map drawn")
	}
	if wrapped < 2 {
		t.Errorf("%d charts have the long title on more than one line, want the two maps at least", wrapped)
	}
}

// vardoHousing runs a compare on Norway of the baseline and a housing
// programme in Vardø and Vadsø named name, written into dir: 2
// replicates of one year at scale 0.005 (a world with borders, quickly).
func vardoHousing(t *testing.T, dir, name string) *compare.Result {
	t.Helper()
	file := filepath.Join(dir, "vardo.toml")
	toml := fmt.Sprintf("[scenario]\nname = %q\nworld = \"norway-2024\"\nyears = 4\nseed = 7\nscale = 0.1\n\n"+
		"[[intervention]]\nkind = \"housing\"\nname = \"Young homes\"\nregions = [\"Vardø\", \"Vadsø\"]\nfrom_year = 2025\ndwellings_per_year = 30\n", name)
	if err := os.WriteFile(file, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	var ss []*scenario.Scenario
	for _, f := range []string{testdata("norway.toml"), file} {
		s, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	p, err := compare.NewPlan(ss, compare.PlanOptions{Replicates: 2, Years: 1, Scale: 0.005})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Run(context.Background(), compare.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
