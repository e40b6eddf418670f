package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
)

// Chart sizes (PNG at 96 dpi: 960 × 576 pixels for a wide chart).
const (
	wideWidth, wideHeight = 10 * vg.Inch, 6 * vg.Inch
	pyramidWidth          = 9 * vg.Inch
	pyramidHeight         = 7 * vg.Inch
)

// Colours: the Okabe–Ito palette, safe for the common kinds of colour
// blindness (Okabe and Ito 2008, "Color Universal Design"); the baseline
// is black.
var (
	black   = color.RGBA{A: 255}
	grey    = color.RGBA{R: 150, G: 150, B: 150, A: 255}
	palette = []color.RGBA{
		{R: 0xE6, G: 0x9F, B: 0x00, A: 255}, // orange
		{R: 0x00, G: 0x72, B: 0xB2, A: 255}, // blue
		{R: 0x00, G: 0x9E, B: 0x73, A: 255}, // bluish green
		{R: 0xD5, G: 0x5E, B: 0x00, A: 255}, // vermillion
		{R: 0xCC, G: 0x79, B: 0xA7, A: 255}, // reddish purple
		{R: 0x56, G: 0xB4, B: 0xE9, A: 255}, // sky blue
	}
)

// scenarioColour is the colour of scenario s (0 = the baseline). Beyond
// the palette's six, colours come round again, told apart by their dashes
// (scenarioDashes) or, for bars, a lighter tint.
func scenarioColour(s int) color.RGBA {
	if s == 0 {
		return black
	}
	return palette[(s-1)%len(palette)]
}

// Dash patterns, one per round of the palette: solid, dashed, dotted,
// dash-dotted.
var dashRounds = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(8), vg.Points(3), vg.Points(1.5), vg.Points(3)},
}

// seriesDashes is the dash pattern of series k of a chart whose series take
// their colours from the palette in turn: solid for the first six, then
// the other patterns, so that no two series look alike.
func seriesDashes(k int) []vg.Length { return dashRounds[k/len(palette)%len(dashRounds)] }

// scenarioDashes is the dash pattern of scenario s: the baseline solid,
// the scenarios dashed, then dotted and dash-dotted for the seventh on.
func scenarioDashes(s int) []vg.Length {
	if s == 0 {
		return nil
	}
	return dashRounds[1+(s-1)/len(palette)%(len(dashRounds)-1)]
}

// scenarioFill is the fill of scenario s's bars: its colour in the first
// round of the palette, half and then three quarters of the way to white in
// the second and third (as its lines are dashed, dotted, dash-dotted).
func scenarioFill(s int) color.RGBA {
	c := scenarioColour(s)
	if s == 0 {
		return c
	}
	white := [...]int{0, 1, 3}[(s-1)/len(palette)%3] // parts of white to one of the colour
	mix := func(v uint8) uint8 { return uint8((int(v) + white*255) / (1 + white)) }
	return color.RGBA{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 255}
}

// maxBands is the most series a chart shades the intervals of: more
// overlap into a muddy colour that hides what each says.
const maxBands = 3

// maxTrajectoryBands is maxBands for the trajectories, whose series lie
// close together (a scenario differs from the baseline by a few per cent):
// three bands there already hid each other in a trial.
const maxTrajectoryBands = 2

func faded(c color.RGBA, a uint8) color.NRGBA { return color.NRGBA{R: c.R, G: c.G, B: c.B, A: a} }

// Chart is a drawn chart: its files (PNG for slides, SVG for the web) and
// the SVG for inlining into report.html.
type Chart struct {
	Name    string // file name without extension
	Title   string
	Caption string
	PNG     string // path
	SVG     string // path
	Inline  []byte // the SVG without the XML prolog
}

// save writes p as name.png and name.svg into dir, its title fitted to
// the width (fitTitle).
func save(p *plot.Plot, w, h vg.Length, dir, name, title, caption string) (Chart, error) {
	p.Title.Text = fitTitle(&p.Title.TextStyle, p.Title.Text, w)
	return saveDrawn(p.Draw, w, h, dir, name, title, caption)
}

// chartMargin is the white border around every chart. gonum/plot draws
// to the canvas's edges: titles touched the top, and a legend on the
// right (the pyramids', the migration charts') ran flush to the edge, its
// dashes cut off in the PNG, beside a last tick label touching it.
const chartMargin = vg.Length(10) // points

// fitTitle returns title with every line too wide for a chart w wide
// (less its margins) broken at spaces into lines of about equal width,
// as the charts already give their subtitles lines of their own; a word
// still too wide makes sty's font smaller. A long scenario name ran a
// map's title off both sides of the map ("innmark-youth-housing minus
// baseline around the target regions: … in % of the baselin").
func fitTitle(sty *text.Style, title string, w vg.Length) string {
	room := w - 2*chartMargin
	var lines []string
	for _, l := range strings.Split(title, "\n") {
		lines = append(lines, wrapLine(*sty, l, room)...)
	}
	widest := vg.Length(0)
	for _, l := range lines {
		widest = max(widest, sty.Width(l))
	}
	if widest > room {
		sty.Font.Size = vg.Length(math.Floor(float64(sty.Font.Size*room/widest)*10) / 10)
	}
	return strings.Join(lines, "\n")
}

// wrapLine breaks line at spaces into as few lines as fit in room, each
// about as wide as the others: the narrowest width that needs no more
// lines than room does, found by bisection.
func wrapLine(sty text.Style, line string, room vg.Length) []string {
	if sty.Width(line) <= room {
		return []string{line}
	}
	words := strings.Split(line, " ")
	greedy := func(width vg.Length) []string {
		var out []string
		cur := words[0]
		for _, w := range words[1:] {
			if next := cur + " " + w; sty.Width(next) <= width {
				cur = next
				continue
			}
			out = append(out, cur)
			cur = w
		}
		return append(out, cur)
	}
	n := len(greedy(room))
	lo, hi := vg.Length(0), room
	for _, w := range words {
		lo = max(lo, sty.Width(w))
	}
	if lo >= hi {
		return greedy(room)
	}
	for hi-lo > vg.Points(0.5) {
		if mid := (lo + hi) / 2; len(greedy(mid)) <= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	return greedy(hi)
}

// saveDrawn writes what drawFn draws, within chartMargin of white, as
// name.png and name.svg into dir.
func saveDrawn(drawFn func(draw.Canvas), w, h vg.Length, dir, name, title, caption string) (Chart, error) {
	drawFn = framed(drawFn)
	c := Chart{Name: name, Title: title, Caption: caption,
		PNG: filepath.Join(dir, name+".png"), SVG: filepath.Join(dir, name+".svg")}
	png, err := draw.NewFormattedCanvas(w, h, "png")
	if err == nil {
		drawFn(draw.New(png))
		err = output.WriteFile(c.PNG, func(out io.Writer) error {
			_, err := png.WriteTo(out)
			return err
		})
	}
	if err != nil {
		return c, fmt.Errorf("report: %w", err)
	}
	canvas := vgsvg.New(w, h)
	drawFn(draw.New(canvas))
	var b bytes.Buffer
	if _, err := canvas.WriteTo(&b); err != nil {
		return c, err
	}
	svg := svgFonts(b.Bytes())
	if err := output.WriteData(c.SVG, svg); err != nil {
		return c, err
	}
	c.Inline = inlineSVG(svg)
	return c, nil
}

// svgFonts gives every font-family of an SVG that gonum/plot wrote its
// fallbacks: gonum/plot lays text out with the Liberation fonts, and
// where they are missing (most Windows and Mac machines) the
// metric-compatible Times New Roman and Arial keep the widths it
// measured. The files in charts/ named Liberation Serif alone, only
// report.html's copies the fallbacks.
func svgFonts(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("font-family:Liberation Serif;"), []byte("font-family:'Liberation Serif','Times New Roman',Times,serif;"))
	return bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// framed draws drawFn on white, chartMargin inside the canvas's edges.
func framed(drawFn func(draw.Canvas)) func(draw.Canvas) {
	return func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		drawFn(draw.Crop(c, chartMargin, -chartMargin, chartMargin, -chartMargin))
	}
}

// inlineSVG strips the XML prolog and comment from an SVG document so that
// it can be placed in HTML, and lets it scale with the page.
func inlineSVG(b []byte) []byte {
	if i := bytes.Index(b, []byte("<svg")); i >= 0 {
		b = b[i:]
	}
	// Width and height in points fix the size; the viewBox keeps the
	// proportions when CSS sets the width.
	b = bytes.Replace(b, []byte("<svg "), []byte(`<svg role="img" preserveAspectRatio="xMidYMid meet" `), 1)
	return svgFonts(b)
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.Padding = vg.Points(3) // rows apart: the default 0 made descenders touch the next row
	p.Add(plotter.NewGrid())
	return p
}

// countTicks labels an axis of persons at about six round values, with
// thousands separators (abs: without the sign, for pyramids).
type countTicks struct{ abs bool }

func (c countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 7)
	if step < 10 {
		step = math.Ceil(step) // whole persons
	}
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		x := v
		if c.abs {
			x = math.Abs(v)
		}
		out = append(out, plot.Tick{Value: v, Label: compare.Count(x)})
		if minor := v + step/2; minor < hi {
			out = append(out, plot.Tick{Value: minor})
		}
	}
	return out
}

// headroom raises the top of the y axis by frac of its range, so that the
// legend at the top does not cover the data.
func headroom(p *plot.Plot, frac float64) {
	if p.Y.Max > p.Y.Min {
		p.Y.Max += frac * (p.Y.Max - p.Y.Min)
	}
}

// yearTicks labels every year, every second or every fifth, the first of
// these that gives at most max labels (13 when 0): a tick every year.
type yearTicks struct{ max int }

func (t yearTicks) Ticks(lo, hi float64) []plot.Tick {
	most := t.max
	if most == 0 {
		most = 13
	}
	step := 5
	for _, s := range []int{1, 2} {
		if int(hi-lo)/s+1 <= most {
			step = s
			break
		}
	}
	var out []plot.Tick
	for y := int(math.Ceil(lo)); float64(y) <= hi; y++ {
		t := plot.Tick{Value: float64(y)}
		if y%step == 0 {
			t.Label = strconv.Itoa(y)
		}
		out = append(out, t)
	}
	return out
}

// Bands' fills. A band alone in its plot (a panel) is shaded at
// soloBandAlpha. Where bands may overlap, each is edged with thin lines of
// its colour (bandEdges), the lines are drawn above every band, and the
// fills are light: a trajectory's baseline band grey, a scenario's not
// filled at all (the grey under it stays grey, its edges show where it
// goes), a difference chart's targets' bands at overBandAlpha. The
// baseline's black at 60 over holmoy-bridge's orange at 60 made a muddy
// brown where they overlapped (most of Sjøvik's chart), in which neither
// band could be read; a light orange over the grey still made a khaki;
// and the orange line under the blue band of the next series turned
// olive.
const (
	soloBandAlpha = 60
	baseBandAlpha = 40 // the baseline's black: a light grey
	overBandAlpha = 30 // a target's colour on a difference chart, edged
)

// band returns the polygon between lo and hi over years, filled with c at
// alpha, or nil where the interval is NaN (one replicate).
func band(years []int, lo, hi []float64, c color.RGBA, alpha uint8) (*plotter.Polygon, error) {
	var pts plotter.XYs
	for i, y := range years {
		if math.IsNaN(hi[i]) {
			return nil, nil
		}
		pts = append(pts, plotter.XY{X: float64(y), Y: hi[i]})
	}
	for i := len(years) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: float64(years[i]), Y: lo[i]})
	}
	pg, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	pg.Color = faded(c, alpha)
	pg.LineStyle.Width = 0
	return pg, nil
}

// bandEdgeWidth is the width of a band's edges: thin beside its mean's
// line of 2 points, and solid where that line is dashed.
var bandEdgeWidth = vg.Points(0.8)

// bandEdges returns the lines along lo and hi over years in colour c.
func bandEdges(years []int, lo, hi []float64, c color.RGBA) ([]*plotter.Line, error) {
	var out []*plotter.Line
	for _, v := range [][]float64{lo, hi} {
		var pts plotter.XYs
		for i, y := range years {
			pts = append(pts, plotter.XY{X: float64(y), Y: v[i]})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = c, bandEdgeWidth
		out = append(out, l)
	}
	return out, nil
}

// bandThumb is a band in a legend: its fill and, when edged, its edges.
type bandThumb struct {
	fill  color.Color
	edge  color.Color // nil: none
	width vg.Length
}

func (b bandThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(b.fill, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	if b.edge != nil {
		sty := draw.LineStyle{Color: b.edge, Width: b.width}
		c.StrokeLine2(sty, r.Min.X, r.Min.Y, r.Max.X, r.Min.Y)
		c.StrokeLine2(sty, r.Min.X, r.Max.Y, r.Max.X, r.Max.Y)
	}
}

// addBand adds to pl the band between lo and hi over years in colour c:
// shaded at alpha (none at 0), and edged with thin lines of c when edged. It returns
// the band's legend thumbnail, or nil when there is no interval.
func addBand(pl *plot.Plot, years []int, lo, hi []float64, c color.RGBA, alpha uint8, edged bool) (plot.Thumbnailer, error) {
	b, err := band(years, lo, hi, c, alpha)
	if err != nil || b == nil {
		return nil, err
	}
	if alpha > 0 {
		pl.Add(b)
	}
	thumb := bandThumb{fill: b.Color}
	if edged {
		edges, err := bandEdges(years, lo, hi, c)
		if err != nil {
			return nil, err
		}
		for _, e := range edges {
			pl.Add(e)
		}
		thumb.edge, thumb.width = c, bandEdgeWidth
	}
	return thumb, nil
}

// unitFile names a unit's charts: its code, and for an intervention's
// targets (codes T1, T2 …) the intervention's name too, so that the file
// says what it shows (target-T1-hordfast-bergen-stord). Its letters are
// ASCII (fileName, slugName).
func unitFile(u *compare.Unit) string {
	switch u.Level {
	case compare.LevelRegion:
		return output.ASCIIFileName(u.Code)
	case compare.LevelNation:
		return "nation"
	case compare.LevelTarget:
		name := u.Name
		if i := strings.LastIndex(name, " ("); i > 0 { // " (2 regions)"
			name = name[:i]
		}
		if slug := slugName(name); slug != "" {
			return u.Level + "-" + output.ASCIIFileName(u.Code) + "-" + slug
		}
	}
	return u.Level + "-" + output.ASCIIFileName(u.Code)
}

// slugName is name in lower case ASCII (output.ASCIIName's letters) with
// every run of other characters one hyphen, at most 40 characters.
func slugName(name string) string {
	s := strings.ToLower(strings.ReplaceAll(output.ASCIIName(name), "_", "-"))
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// chartFiles returns what the charts of each scenario (indexed as
// Plan.Scenarios) and of each focus unit (indexed as Plan.Focus) are
// named by: fileName of the scenario's name, unitFile of the unit. Names
// that come out alike, in any case (Ås and As are both As; the charts of
// North and north are one file on macOS and Windows), get -2, -3 … in
// the order of the plan, so that no chart overwrites another.
func chartFiles(p *compare.Plan) (scenarios, focus []string) {
	distinct := func(seen map[string]bool, name string) string {
		n := name
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = name + "-" + strconv.Itoa(k)
		}
		seen[strings.ToLower(n)] = true
		return n
	}
	seen := map[string]bool{}
	for i, sc := range p.Scenarios {
		if i == 0 {
			// The baseline has no charts of its own: a scenario of its
			// name (a file compared with itself) keeps the name.
			scenarios = append(scenarios, output.ASCIIFileName(sc.Name))
			continue
		}
		scenarios = append(scenarios, distinct(seen, output.ASCIIFileName(sc.Name)))
	}
	seen = map[string]bool{}
	for _, u := range p.Focus {
		focus = append(focus, distinct(seen, unitFile(&p.Units[u])))
	}
	return scenarios, focus
}

// scenarioFile is the name of scenario s's charts (chartFiles).
func scenarioFile(p *compare.Plan, s int) string {
	names, _ := chartFiles(p)
	return names[s]
}

// focusFile is the name of focus unit f's charts (chartFiles).
func focusFile(p *compare.Plan, f int) string {
	_, names := chartFiles(p)
	return names[f]
}

// chartScenarios are the scenarios drawn on focus unit f's charts
// (trajectory, pyramid, migration): the baseline and the scenarios that
// target it (Plan.Targets: whose own units, as Plan.ScenarioFocus gives
// them, include it, also beyond those summarised), as Plan.Shows gives a
// target unit's rows to its own scenario alone. Karlsøy's trajectory, a target of a road link, drew a campus in Vefsn,
// housing in Finnmark and remote work in Nordland as well, their lines
// wandering by chance up to +250 from the baseline's, and read as effects
// of measures that do not reach it; deltas.csv has every scenario's
// figures for every unit.
func chartScenarios(p *compare.Plan, f int) []int {
	out := []int{0}
	for s := 1; s < len(p.Scenarios); s++ {
		if p.Targets(s, p.Focus[f]) {
			out = append(out, s)
		}
	}
	return out
}

// leftOutText says how many scenarios chartScenarios leaves out of focus
// unit f's charts ("" for none): "the 3 scenarios that do not target it
// are not drawn"; of a group, "… all of its regions" (compare.Plan.Targets:
// a scenario with the same intervention, as its own unit, is drawn).
func leftOutText(p *compare.Plan, f int, shown []int) string {
	it := "it"
	if p.Units[p.Focus[f]].Level == compare.LevelTarget {
		it = "all of its regions"
	}
	switch n := len(p.Scenarios) - len(shown); n {
	case 0:
		return ""
	case 1:
		return "the scenario that does not target " + it + " is not drawn"
	default:
		return fmt.Sprintf("the %d scenarios that do not target %s are not drawn", n, it)
	}
}

// focusName names focus unit f in the titles of its charts and in the
// report: its name, and for a group whose name another focus unit has too
// (an intervention of the same name in two scenarios: "Lofoten fixed
// link (5 regions)" as T1 of one and T3 of a combined one, whose charts'
// titles were the same when pasted into a memo) the scenario it stands
// for: "Lofoten fixed link (5 regions; scenario alle-tiltak)".
func focusName(p *compare.Plan, f int) string {
	u := &p.Units[p.Focus[f]]
	if u.Level != compare.LevelTarget {
		return u.Name
	}
	for _, o := range p.Focus {
		if o == p.Focus[f] || p.Units[o].Name != u.Name {
			continue
		}
		owner := "scenario " + p.Scenarios[u.Owner].Name
		if strings.HasSuffix(u.Name, ")") {
			return strings.TrimSuffix(u.Name, ")") + "; " + owner + ")"
		}
		return u.Name + " (" + owner + ")"
	}
	return u.Name
}

// trajectoryChart: the population of focus unit f over the years in the
// baseline and the scenarios that target it (chartScenarios), with 90 %
// bands, which its subtitle and legend explain.
func trajectoryChart(r *compare.Result, f int, dir string) (Chart, error) {
	p := r.Plan
	shown := chartScenarios(p, f)
	title := fmt.Sprintf("Population of %s, %d–%d", focusName(p, f), r.YearList[0], r.LastYear())
	// With more than maxTrajectoryBands series only the baseline's band
	// is shaded; the scenarios' intervals are those of their differences.
	// The band is the interval of a level, wide with chance in where the
	// runs go; a scenario line inside it may still differ clearly from
	// the baseline, its runs paired with the baseline's (common random
	// numbers): the subtitle says so, as a reader took a line inside the
	// band for no effect.
	banded := len(shown)
	var sub []string
	switch {
	case p.Replicates == 1:
		sub = append(sub, "one run per scenario: no interval")
	case banded > maxTrajectoryBands:
		banded = 1
		sub = append(sub, fmt.Sprintf("mean of %d runs per scenario; shaded: the 90 %% interval of the baseline's mean", p.Replicates))
	default:
		sub = append(sub, fmt.Sprintf("mean of %d runs per scenario; the 90 %% interval of each mean: the baseline's grey, a scenario's between thin lines", p.Replicates))
	}
	if p.Replicates > 1 {
		sub = append(sub, "a line inside the band may still differ clearly: a scenario's effect is its paired difference (its difference chart)")
	}
	if left := leftOutText(p, f, shown); left != "" {
		sub = append(sub, left)
	}
	pl := newPlot(title+"\n"+strings.Join(sub, "\n"), "year (1 January)", "residents")
	pl.X.Tick.Marker = yearTicks{}
	pl.Y.Tick.Marker = countTicks{}
	n := len(r.YearList)
	means, los, his := make([]plotter.XYs, len(shown)), make([][]float64, len(shown)), make([][]float64, len(shown))
	for k, s := range shown {
		los[k], his[k] = make([]float64, n), make([]float64, n)
		for yi, y := range r.YearList {
			var mean float64
			mean, los[k][yi], his[k][yi] = r.Level(s, p.Focus[f], compare.Population, yi)
			means[k] = append(means[k], plotter.XY{X: float64(y), Y: mean})
		}
	}
	// The bands first, then every line above them: the baseline's light
	// grey, a scenario's lightly in its colour with its edges drawn, so
	// that where they overlap both stay legible (addBand).
	type bandEntry struct {
		label string
		thumb plot.Thumbnailer
	}
	var bands []bandEntry
	for k, s := range shown[:banded] {
		alpha, edged := uint8(baseBandAlpha), false
		if s != 0 {
			alpha, edged = 0, true
		}
		thumb, err := addBand(pl, r.YearList, los[k], his[k], scenarioColour(s), alpha, edged)
		if err != nil {
			return Chart{}, err
		}
		if thumb != nil {
			name := "baseline"
			if s != 0 {
				name = p.Scenarios[s].Name
			}
			bands = append(bands, bandEntry{name + ": 90 % interval of its mean", thumb})
		}
	}
	for k, s := range shown {
		l, err := addLine(pl, means[k], scenarioColour(s), scenarioDashes(s))
		if err != nil {
			return Chart{}, err
		}
		pl.Legend.Add(scenarioLabel(r, s), l)
	}
	// The bands in the legend too, named, as a slide shows them without
	// the subtitle's context.
	for _, b := range bands {
		pl.Legend.Add(b.label, b.thumb)
	}
	entries := len(shown) + len(bands)
	headroom(pl, 0.08*float64(entries))
	return save(pl, wideWidth, wideHeight, dir, "trajectory-"+focusFile(p, f), title, "")
}

func scenarioLabel(r *compare.Result, s int) string {
	name := r.Plan.Scenarios[s].Name
	if s == 0 && name != "baseline" {
		return name + " (baseline)"
	}
	return name
}

// differenceChart: the population difference against the baseline over
// the years for every focus unit of scenario s, with 90 % bands: in one
// chart for up to maxBands units, else one panel per unit on one scale.
func differenceChart(r *compare.Result, s int, dir string) (Chart, error) {
	p := r.Plan
	title := fmt.Sprintf("%s minus baseline: residents, %d–%d", p.Scenarios[s].Name, r.YearList[0], r.LastYear())
	name := "difference-" + scenarioFile(p, s)
	n := len(r.YearList)
	var series []diffSeries
	for _, f := range p.ScenarioFocus(s) {
		u := p.Focus[f]
		d := diffSeries{name: p.Units[u].Name, lo: make([]float64, n), hi: make([]float64, n)}
		for yi, y := range r.YearList {
			x := r.Delta(s, u, compare.Population, yi)
			d.lo[yi], d.hi[yi] = x.Lo, x.Hi
			d.pts = append(d.pts, plotter.XY{X: float64(y), Y: x.Difference})
		}
		series = append(series, d)
	}
	if len(series) > maxBands {
		return differencePanels(r, s, title, series, dir, name)
	}
	pl := newPlot(title+"\n"+strings90(p.Replicates), "year (1 January)", "difference in residents")
	pl.X.Tick.Marker = yearTicks{}
	pl.Y.Tick.Marker = countTicks{}
	// The bands first, light and edged, then every line above them (a
	// line under the next series' band took its colour).
	alpha := uint8(soloBandAlpha)
	if len(series) > 1 {
		alpha = overBandAlpha
	}
	for k, d := range series {
		if _, err := addBand(pl, r.YearList, d.lo, d.hi, palette[k%len(palette)], alpha, len(series) > 1); err != nil {
			return Chart{}, err
		}
	}
	for k, d := range series {
		l, err := addLine(pl, d.pts, palette[k%len(palette)], seriesDashes(k))
		if err != nil {
			return Chart{}, err
		}
		pl.Legend.Add(d.name, l)
	}
	zero, err := zeroLine(r)
	if err != nil {
		return Chart{}, err
	}
	pl.Add(zero)
	headroom(pl, 0.07*float64(len(series)))
	return save(pl, wideWidth, wideHeight, dir, name, title, "")
}

// diffSeries is one unit's difference over the years and its interval.
type diffSeries struct {
	name   string
	pts    plotter.XYs
	lo, hi []float64
}

// addLine adds to pl the line through pts in colour c with dashes, 2
// points wide, and returns it, for the legend. Bands go in first
// (addBand), so that no band covers a line.
func addLine(pl *plot.Plot, pts plotter.XYs, c color.RGBA, dashes []vg.Length) (*plotter.Line, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width, l.Dashes = c, vg.Points(2), dashes
	pl.Add(l)
	return l, nil
}

// zeroLine is the line of no difference over the years of r.
func zeroLine(r *compare.Result) (*plotter.Line, error) {
	zero, err := plotter.NewLine(plotter.XYs{{X: float64(r.YearList[0]), Y: 0}, {X: float64(r.LastYear()), Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.Color, zero.Width = black, vg.Points(1)
	return zero, nil
}

// Panels of differencePanels.
const (
	panelCols   = 2
	panelHeight = 2.1 * vg.Inch
	panelGap    = 0.2 * vg.Inch // between the chart's title and the panels
)

// differencePanels draws the differences of series as small multiples: a
// panel per unit, two abreast, each with its band, all on one y scale so
// that their sizes compare at a glance. Many lines and bands in one chart
// overlap into a muddy colour.
func differencePanels(r *compare.Result, s int, title string, series []diffSeries, dir, name string) (Chart, error) {
	p := r.Plan
	lo, hi := 0.0, 0.0
	for _, d := range series {
		for i, pt := range d.pts {
			for _, v := range []float64{pt.Y, d.lo[i], d.hi[i]} {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if hi-lo < 1 { // no difference anywhere: an axis of ±1
		lo, hi = -1, 1
	}
	pad := 0.05 * (hi - lo)
	rows := (len(series) + panelCols - 1) / panelCols
	grid := make([][]*plot.Plot, rows)
	for j := range grid {
		grid[j] = make([]*plot.Plot, panelCols)
	}
	c := scenarioColour(s)
	for k, d := range series {
		pl := plot.New()
		pl.Title.Text = d.name
		pl.Title.TextStyle.Font.Size = vg.Points(12)
		pl.X.Tick.Label.Font.Size = vg.Points(10)
		pl.Y.Tick.Label.Font.Size = vg.Points(10)
		pl.X.Tick.Marker = yearTicks{max: 7} // half a chart's width
		pl.Y.Tick.Marker = countTicks{}
		pl.Add(plotter.NewGrid())
		if b, err := band(r.YearList, d.lo, d.hi, c, soloBandAlpha); err != nil {
			return Chart{}, err
		} else if b != nil {
			pl.Add(b)
		}
		l, err := plotter.NewLine(d.pts)
		if err != nil {
			return Chart{}, err
		}
		l.Color, l.Width = c, vg.Points(2)
		zero, err := zeroLine(r)
		if err != nil {
			return Chart{}, err
		}
		pl.Add(zero, l)
		pl.X.Min, pl.X.Max = float64(r.YearList[0]), float64(r.LastYear())
		pl.Y.Min, pl.Y.Max = lo-pad, hi+pad
		grid[k/panelCols][k%panelCols] = pl
	}
	head := newPlot(title+"\n"+strings90(p.Replicates)+"\ndifference in residents; a panel per target, all on one scale", "", "")
	head.Title.Text = fitTitle(&head.Title.TextStyle, head.Title.Text, wideWidth)
	// The title's lines, however many a long name takes, and a gap (it
	// had a fixed 0.9 inch, for three lines).
	headHeight := head.Title.TextStyle.Rectangle(head.Title.Text).Size().Y + panelGap
	drawFn := func(dc draw.Canvas) {
		sty := head.Title.TextStyle
		dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y + sty.FontExtents().Descent}, head.Title.Text)
		area := dc
		area.Max.Y -= headHeight
		tiles := draw.Tiles{Rows: rows, Cols: panelCols, PadX: vg.Points(24), PadY: vg.Points(14),
			PadLeft: vg.Points(6), PadRight: vg.Points(12), PadBottom: vg.Points(6)}
		cs := plot.Align(grid, tiles, area)
		for j := range grid {
			for i, pl := range grid[j] {
				if pl != nil {
					pl.Draw(cs[j][i])
				}
			}
		}
	}
	return saveDrawn(drawFn, wideWidth, 2*chartMargin+headHeight+vg.Length(rows)*panelHeight, dir, name, title, "")
}

func strings90(n int) string {
	if n == 1 {
		return "one run per scenario: no interval"
	}
	return fmt.Sprintf("mean of %d paired runs, band: 90 %% interval", n)
}

// pyramidChart: residents of focus unit f by sex and five-year age group:
// the first year shaded, the last year of the baseline and each scenario as
// lines.
func pyramidChart(r *compare.Result, f int, dir string) (Chart, error) {
	p := r.Plan
	title := fmt.Sprintf("Age pyramid of %s: %d and %d", focusName(p, f), r.YearList[0], r.LastYear())
	pl := newPlot(title, "residents (men left, women right)", "age (years)")
	pl.X.Tick.Marker = countTicks{abs: true}
	pl.Y.Tick.Marker = plot.ConstantTicks(ageTicks())
	pl.Legend.Left = false
	const top = compare.PyramidGroups * 5
	start := r.Pyramid(0, f, false)
	max := 0.0
	for sx, sign := range []float64{1, -1} { // women (0) right, men (1) left
		var pts plotter.XYs
		pts = append(pts, plotter.XY{X: 0, Y: 0})
		for g := range compare.PyramidGroups {
			v := sign * start[sx][g]
			pts = append(pts, plotter.XY{X: v, Y: float64(g * 5)}, plotter.XY{X: v, Y: float64(g*5 + 5)})
			max = math.Max(max, start[sx][g])
		}
		pts = append(pts, plotter.XY{X: 0, Y: top})
		pg, err := plotter.NewPolygon(pts)
		if err != nil {
			return Chart{}, err
		}
		pg.Color = color.NRGBA{R: 200, G: 200, B: 200, A: 255}
		pg.LineStyle.Width = 0
		pl.Add(pg)
		if sx == 0 {
			pl.Legend.Add(fmt.Sprintf("%d (all scenarios)", r.YearList[0]), pg)
		}
	}
	shown := chartScenarios(p, f)
	for _, s := range shown {
		end := r.Pyramid(s, f, true)
		c := scenarioColour(s)
		for sx, sign := range []float64{1, -1} {
			var pts plotter.XYs
			for g := range compare.PyramidGroups {
				v := sign * end[sx][g]
				pts = append(pts, plotter.XY{X: v, Y: float64(g * 5)}, plotter.XY{X: v, Y: float64(g*5 + 5)})
				max = math.Max(max, end[sx][g])
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return Chart{}, err
			}
			l.Color, l.Width, l.Dashes = c, vg.Points(2), scenarioDashes(s)
			pl.Add(l)
			if sx == 0 {
				pl.Legend.Add(fmt.Sprintf("%d %s", r.LastYear(), scenarioLabel(r, s)), l)
			}
		}
	}
	mid, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 0, Y: top}})
	if err != nil {
		return Chart{}, err
	}
	mid.Color, mid.Width = black, vg.Points(0.75)
	pl.Add(mid)
	pl.X.Min, pl.X.Max = -max*1.05, max*1.05
	pl.Y.Min, pl.Y.Max = 0, top*(1+0.05*float64(len(shown)+1))
	return save(pl, pyramidWidth, pyramidHeight, dir, "pyramid-"+focusFile(p, f), title, "")
}

func ageTicks() []plot.Tick {
	var out []plot.Tick
	for a := 0; a <= compare.PyramidGroups*5; a += 5 {
		t := plot.Tick{Value: float64(a)}
		if a%10 == 0 && a < compare.PyramidGroups*5 {
			t.Label = strconv.Itoa(a)
		}
		out = append(out, t)
	}
	return out
}

// migrationChart: net domestic moves into focus unit f over the run by age
// group, baseline and scenarios side by side.
func migrationChart(r *compare.Result, f int, dir string) (Chart, error) {
	p := r.Plan
	yi := len(r.YearList) - 1
	title := fmt.Sprintf("Net domestic moves into %s by age, %d–%d", focusName(p, f), r.YearList[min(1, yi)], r.LastYear())
	sub := "one run per scenario"
	if p.Replicates > 1 {
		sub = fmt.Sprintf("mean of %d runs per scenario", p.Replicates)
	}
	shown := chartScenarios(p, f)
	if left := leftOutText(p, f, shown); left != "" {
		sub += "; " + left
	}
	pl := newPlot(title+"\n"+sub, "age group at the move", "net moves (in − out), sum over the years")
	pl.Y.Tick.Marker = countTicks{}
	ns := len(shown)
	lo, hi := 0.0, 0.0
	for k, s := range shown {
		fl := r.Flows(s, f, yi)
		vals := make(plotter.Values, record.NumAgeGroups)
		for g := range record.NumAgeGroups {
			for m := range record.NumMotives {
				vals[g] += fl[g][m]
			}
			lo, hi = math.Min(lo, vals[g]), math.Max(hi, vals[g])
		}
		if _, err := addAgeBars(pl, r, vals, s, k, ns); err != nil {
			return Chart{}, err
		}
	}
	if err := finishAgeBars(pl, ns, lo, hi); err != nil {
		return Chart{}, err
	}
	return save(pl, wideWidth, wideHeight, dir, "migration-"+focusFile(p, f), title, "")
}

// addAgeBars adds vals, one value per age group, as the k-th of n bar
// series side by side, in scenario s's colour and with its legend entry,
// and returns the bars' offset from the age group's centre.
func addAgeBars(pl *plot.Plot, r *compare.Result, vals plotter.Values, s, k, n int) (vg.Length, error) {
	width := vg.Points(math.Min(24, 300/float64(n*record.NumAgeGroups)))
	b, err := plotter.NewBarChart(vals, width)
	if err != nil {
		return 0, err
	}
	b.Color = scenarioFill(s)
	b.LineStyle.Width = 0
	b.Offset = width * vg.Length(float64(k)-float64(n-1)/2)
	pl.Add(b)
	pl.Legend.Add(scenarioLabel(r, s), b)
	return b.Offset, nil
}

// finishAgeBars names the age groups on the x axis, draws the zero line
// and fits the y axis to lo..hi, with room above for n legend entries.
func finishAgeBars(pl *plot.Plot, n int, lo, hi float64) error {
	pl.NominalX(record.AgeGroupNames[:]...)
	zero, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(record.NumAgeGroups) - 0.5, Y: 0}})
	if err != nil {
		return err
	}
	zero.Color, zero.Width = black, vg.Points(1)
	pl.Add(zero)
	pad := 0.1 * math.Max(hi-lo, 1)
	pl.Y.Min, pl.Y.Max = lo-pad, hi+pad+0.07*float64(n)*(hi-lo)
	pl.Legend.Left = false
	return nil
}

// migrationDifferenceChart: each scenario's change in the net domestic
// moves into focus unit f over the run by age group, with the 90 %
// interval of the paired differences as whiskers: which ages a measure
// draws or loses, and whether that can be told from chance.
func migrationDifferenceChart(r *compare.Result, f int, dir string) (Chart, error) {
	p := r.Plan
	yi := len(r.YearList) - 1
	title := fmt.Sprintf("Change in net domestic moves into %s by age, %d–%d", focusName(p, f), r.YearList[min(1, yi)], r.LastYear())
	sub := "one run per scenario: no interval"
	if p.Replicates > 1 {
		sub = fmt.Sprintf("scenario minus baseline, mean of %d paired runs, whiskers: 90 %% interval of each bar on its own", p.Replicates)
	}
	shown := chartScenarios(p, f)
	if left := leftOutText(p, f, shown); left != "" {
		sub += "\n" + left
	}
	pl := newPlot(title+"\n"+sub, "age group at the move", "difference in net moves, sum over the years")
	pl.Y.Tick.Marker = countTicks{}
	ns := len(shown) - 1
	lo, hi := 0.0, 0.0
	for k, s := range shown[1:] {
		vals := make(plotter.Values, record.NumAgeGroups)
		w := whiskers{lo: make([]float64, record.NumAgeGroups), hi: make([]float64, record.NumAgeGroups)}
		for g := range record.NumAgeGroups {
			d := r.FlowDelta(s, f, g, compare.AllMotives)
			vals[g], w.lo[g], w.hi[g] = d.Difference, d.Lo, d.Hi
			lo, hi = math.Min(lo, d.Difference), math.Max(hi, d.Difference)
			if !math.IsNaN(d.Lo) {
				lo, hi = math.Min(lo, d.Lo), math.Max(hi, d.Hi)
			}
		}
		offset, err := addAgeBars(pl, r, vals, s, k, ns)
		if err != nil {
			return Chart{}, err
		}
		w.offset = offset
		if p.Replicates > 1 {
			pl.Add(w)
		}
	}
	if err := finishAgeBars(pl, ns, lo, hi); err != nil {
		return Chart{}, err
	}
	return save(pl, wideWidth, wideHeight, dir, "migration-difference-"+focusFile(p, f), title, "")
}

// whiskers draws an interval from lo[i] to hi[i] at each nominal x = i,
// shifted by offset (a bar chart's), with caps; NaN intervals are left out.
type whiskers struct {
	lo, hi []float64
	offset vg.Length
}

func (w whiskers) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	sty := draw.LineStyle{Color: black, Width: vg.Points(1.25)}
	const capHalf = vg.Length(3.5)
	for i := range w.lo {
		if math.IsNaN(w.lo[i]) || math.IsNaN(w.hi[i]) {
			continue
		}
		x := trX(float64(i)) + w.offset
		y0, y1 := trY(w.lo[i]), trY(w.hi[i])
		c.StrokeLine2(sty, x, y0, x, y1)
		c.StrokeLine2(sty, x-capHalf, y0, x+capHalf, y0)
		c.StrokeLine2(sty, x-capHalf, y1, x+capHalf, y1)
	}
}
