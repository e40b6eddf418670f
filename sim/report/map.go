package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/settle-sim/settle/sim/compare"
)

// The map colours regions by the population difference in the last year,
// in per cent of the baseline, in six classes of ColorBrewer's diverging
// RdBu scheme (Cynthia Brewer, colorbrewer2.org; marked safe for colour
// blindness): red for fewer residents, blue for more. Regions whose
// difference is not clear (clearRegions) are grey: it cannot be told from
// chance.
var (
	lossColours = []color.RGBA{{R: 0xfd, G: 0xdb, B: 0xc7, A: 255}, {R: 0xef, G: 0x8a, B: 0x62, A: 255}, {R: 0xb2, G: 0x18, B: 0x2b, A: 255}}
	gainColours = []color.RGBA{{R: 0xd1, G: 0xe5, B: 0xf0, A: 255}, {R: 0x67, G: 0xa9, B: 0xcf, A: 255}, {R: 0x21, G: 0x66, B: 0xac, A: 255}}
	unclear     = color.RGBA{R: 0xd9, G: 0xd9, B: 0xd9, A: 255}
	border      = color.RGBA{R: 0x70, G: 0x70, B: 0x70, A: 255}
	sea         = color.RGBA{R: 0xf4, G: 0xf8, B: 0xfb, A: 255}
)

// mapScale is the colour classes of a map: three on each side of zero,
// Step wide (the last open-ended).
type mapScale struct{ Step float64 }

func newMapScale(values []float64) mapScale {
	m := 0.0
	for _, v := range values {
		if !math.IsNaN(v) {
			m = math.Max(m, math.Abs(v))
		}
	}
	return mapScale{niceStep(m / 3)}
}

// colour returns the class colour of v (per cent); NaN is unclear.
func (s mapScale) colour(v float64) color.RGBA {
	if math.IsNaN(v) {
		return unclear
	}
	k := min(int(math.Abs(v)/s.Step), 2)
	if v < 0 {
		return lossColours[k]
	}
	return gainColours[k]
}

func (s mapScale) legend() []legendEntry {
	f := func(x float64) string { return fmt.Sprintf("%.3g", x) }
	out := []legendEntry{
		{fmt.Sprintf("more than +%s %%", f(2*s.Step)), gainColours[2]},
		{fmt.Sprintf("+%s to +%s %%", f(s.Step), f(2*s.Step)), gainColours[1]},
		{fmt.Sprintf("0 to +%s %%", f(s.Step)), gainColours[0]},
		{"could be chance", unclear},
		{fmt.Sprintf("0 to -%s %%", f(s.Step)), lossColours[0]},
		{fmt.Sprintf("-%s to -%s %%", f(s.Step), f(2*s.Step)), lossColours[1]},
		{fmt.Sprintf("less than -%s %%", f(2*s.Step)), lossColours[2]},
	}
	return out
}

// niceStep rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.c, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	c.StrokeLines(draw.LineStyle{Color: border, Width: vg.Points(0.5)},
		[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
}

// minCircle is the least radius of a region's circle, relative to the
// map's larger side: about 11 px on a map 768 px wide, where the radius
// of the population's area would leave a small region's colour a few
// pixels under its border (Holmøy's 1,600 residents beside Storhavn's
// 100,000: a radius of 3 px).
const minCircle = 0.016

// mapLayer draws the regions of a world within view, keeping the
// proportions: polygons when shapes are known, else circles whose area is
// proportional to the population.
type mapLayer struct {
	shapes   []shape
	fill     []color.RGBA // per region
	centres  []point      // per region
	radius   []float64    // per region, circles only: relative to the view's size
	labels   []int        // regions named on the map
	outlined []bool       // per region: a target, drawn with a thick border
	names    []string     // per region
	// mayDrop: a name that overlaps in every place is left out (the
	// national map of a world with shapes, whose zoomed map names them);
	// elsewhere it is drawn anyway.
	mayDrop  bool
	min, max point // the view
	legend   []legendEntry
	note     []string // lines under the legend's classes
}

type legendEntry struct {
	label  string
	colour color.RGBA
}

func (m *mapLayer) Plot(c draw.Canvas, _ *plot.Plot) {
	r := c.Rectangle
	dx, dy := m.max.X-m.min.X, m.max.Y-m.min.Y
	k := math.Min(float64(r.Size().X)/dx, float64(r.Size().Y)/dy)
	ox := float64(r.Min.X) + (float64(r.Size().X)-k*dx)/2
	oy := float64(r.Min.Y) + (float64(r.Size().Y)-k*dy)/2
	at := func(p point) vg.Point {
		return vg.Point{X: vg.Length(ox + k*(p.X-m.min.X)), Y: vg.Length(oy + k*(p.Y-m.min.Y))}
	}
	frame := []vg.Point{at(m.min), at(point{m.max.X, m.min.Y}), at(m.max), at(point{m.min.X, m.max.Y})}
	c.FillPolygon(sea, frame)
	// Draw only inside the view.
	c = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: frame[0], Max: frame[2]}}
	line := draw.LineStyle{Color: border, Width: vg.Points(0.3)}
	if m.shapes != nil {
		for _, s := range m.shapes {
			if s.max.X < m.min.X || s.min.X > m.max.X || s.max.Y < m.min.Y || s.min.Y > m.max.Y {
				continue
			}
			for _, ring := range s.rings {
				pts := make([]vg.Point, len(ring))
				for i, p := range ring {
					pts[i] = at(p)
				}
				if clipped := c.ClipPolygonXY(pts); len(clipped) > 2 {
					c.FillPolygon(m.fill[s.region], clipped)
				}
				for _, l := range c.ClipLinesXY(pts) {
					c.StrokeLines(line, l)
				}
			}
		}
		thick := draw.LineStyle{Color: color.Black, Width: vg.Points(1.3)}
		for _, s := range m.shapes {
			if !m.outlined[s.region] {
				continue
			}
			for _, ring := range s.rings {
				pts := make([]vg.Point, len(ring)+1)
				for i, p := range ring {
					pts[i] = at(p)
				}
				pts[len(ring)] = pts[0]
				for _, l := range c.ClipLinesXY(pts) {
					c.StrokeLines(thick, l)
				}
			}
		}
	}
	// Circles: the largest first, so that a small region on a large one's
	// edge stays in view; a thin border, and for the targets a black ring
	// just outside, so that the fill colour shows at any size.
	size := math.Max(dx, dy) * k
	rad := func(i int) vg.Length { return vg.Length(m.radius[i] * size) }
	if m.shapes == nil {
		order := make([]int, len(m.centres))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(m.radius[b], m.radius[a]) })
		thick := draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}
		for _, i := range order {
			p := at(m.centres[i])
			c.DrawGlyph(draw.GlyphStyle{Color: m.fill[i], Radius: rad(i), Shape: draw.CircleGlyph{}}, p)
			c.DrawGlyph(draw.GlyphStyle{Color: border, Radius: rad(i), Shape: draw.RingGlyph{}}, p)
			if m.outlined[i] {
				r := rad(i) + thick.Width/2 + vg.Points(0.25)
				var ring vg.Path
				ring.Move(vg.Point{X: p.X + r, Y: p.Y})
				ring.Arc(p, r, 0, 2*math.Pi)
				ring.Close()
				c.SetLineStyle(thick)
				c.Stroke(ring)
			}
		}
	}
	sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
	sty.Font.Size = vg.Points(10)
	var placed []vg.Rectangle // the names drawn so far
	for _, i := range m.labels {
		p := at(m.centres[i])
		if !c.Contains(p) {
			continue
		}
		w, h := sty.Width(m.names[i]), sty.Height(m.names[i])
		// A polygon's name is pinned to its centre by a dot, above right
		// of it, or where it overlaps no name drawn before (below right,
		// above left, below left); one that overlaps in every place is
		// left out where mayDrop (regions close together on the national
		// map: the zoomed map names them), else drawn above right. A
		// circle's name stands to its right, leaving the fill in view.
		spots := []vg.Point{{X: p.X + vg.Points(4), Y: p.Y + vg.Points(3)}, {X: p.X + vg.Points(4), Y: p.Y - h - vg.Points(1)},
			{X: p.X - w - vg.Points(4), Y: p.Y + vg.Points(3)}, {X: p.X - w - vg.Points(4), Y: p.Y - h - vg.Points(1)}}
		if m.shapes == nil {
			spots = []vg.Point{{X: p.X + rad(i) + vg.Points(3), Y: p.Y - h*0.3}}
		}
		box := func(at vg.Point) vg.Rectangle {
			return vg.Rectangle{Min: vg.Point{X: at.X - 1, Y: at.Y - h*0.25}, Max: vg.Point{X: at.X + w + 1, Y: at.Y + h*0.8}}
		}
		spot := -1
		for k, at := range spots {
			if !overlapsAny(box(at), placed) {
				spot = k
				break
			}
		}
		if m.shapes != nil {
			c.DrawGlyph(draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}, p)
		}
		if spot < 0 && m.mayDrop {
			continue
		}
		spot = max(spot, 0)
		at, r := spots[spot], box(spots[spot])
		placed = append(placed, r)
		// A light box behind the name keeps it readable on any colour.
		c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 190}, []vg.Point{
			{X: r.Min.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Max.Y}, {X: r.Min.X, Y: r.Max.Y}})
		c.FillText(sty, at, m.names[i])
	}
	m.drawLegend(c)
}

// overlapsAny reports whether r overlaps one of rs.
func overlapsAny(r vg.Rectangle, rs []vg.Rectangle) bool {
	for _, q := range rs {
		if r.Min.X < q.Max.X && q.Min.X < r.Max.X && r.Min.Y < q.Max.Y && q.Min.Y < r.Max.Y {
			return true
		}
	}
	return false
}

// drawLegend draws the colour classes in a white box at the top left of
// the view.
func (m *mapLayer) drawLegend(c draw.Canvas) {
	if len(m.legend) == 0 {
		return
	}
	sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
	sty.Font.Size = vg.Points(11)
	line := vg.Points(16)
	sw := vg.Points(18)
	width := vg.Length(0)
	for _, e := range m.legend {
		width = max(width, sty.Width(e.label))
	}
	pad := vg.Points(6)
	noteSty := sty
	noteSty.Font.Size = vg.Points(10)
	noteLine := vg.Points(13)
	noteWidth := vg.Length(0)
	for _, l := range m.note {
		noteWidth = max(noteWidth, noteSty.Width(l))
	}
	x0, y1 := c.Min.X+vg.Points(6), c.Max.Y-vg.Points(6)
	height := 2*pad + line*vg.Length(len(m.legend))
	if len(m.note) > 0 {
		height += pad/2 + noteLine*vg.Length(len(m.note))
	}
	box := vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - height}, Max: vg.Point{X: x0 + max(3*pad+sw+width, 2*pad+noteWidth), Y: y1}}
	corners := []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}}
	c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 235}, corners)
	c.StrokeLines(draw.LineStyle{Color: border, Width: vg.Points(0.5)}, append(corners, box.Min))
	for i, e := range m.legend {
		top := y1 - pad - line*vg.Length(i)
		r := vg.Rectangle{Min: vg.Point{X: x0 + pad, Y: top - line + vg.Points(3)}, Max: vg.Point{X: x0 + pad + sw, Y: top - vg.Points(1)}}
		swatch{e.colour}.Thumbnail(&draw.Canvas{Canvas: c.Canvas, Rectangle: r})
		c.FillText(sty, vg.Point{X: r.Max.X + pad, Y: r.Min.Y + vg.Points(2)}, e.label)
	}
	for i, l := range m.note {
		y := y1 - pad - line*vg.Length(len(m.legend)) - pad/2 - noteLine*vg.Length(i+1) + vg.Points(3)
		c.FillText(noteSty, vg.Point{X: x0 + pad, Y: y}, l)
	}
}

// mapChart draws scenario s's population difference in the last year on a
// map of the world's regions; zoom shows only the surroundings of the
// focus regions.
func mapChart(r *compare.Result, s int, zoom bool, dir string) (Chart, bool, error) {
	f, ok, err := newMapFigure(r, s, zoom)
	if !ok || err != nil {
		return Chart{}, ok, err
	}
	c, err := save(f.plot, f.width, f.height, dir, f.name, f.title, f.caption)
	return c, true, err
}

// mapFigure is a map drawn by mapChart, before it is saved.
type mapFigure struct {
	plot                 *plot.Plot
	layer                *mapLayer
	width, height        vg.Length
	name, title, caption string
}

// newMapFigure makes mapChart's figure; false when there is no map to
// draw (a zoom without borders or targets).
func newMapFigure(r *compare.Result, s int, zoom bool) (mapFigure, bool, error) {
	p := r.Plan
	w := p.World
	n := w.N()
	yi := len(r.YearList) - 1
	pct := make([]float64, n)
	shown := make([]float64, n)
	clear := clearRegions(r, s, yi)
	for i := range n {
		d := r.Delta(s, i, compare.Population, yi)
		pct[i] = math.NaN()
		if d.Baseline > 0 {
			pct[i] = 100 * d.Difference / d.Baseline
		}
		shown[i] = pct[i]
		if clear != nil && !clear[i] {
			shown[i] = math.NaN()
		}
	}
	// The colour scale fits the focus regions and the bulk of the
	// others: a few small regions far out (noise in a small sample) would
	// otherwise wash everything out.
	var spread []float64
	for _, v := range shown {
		if !math.IsNaN(v) {
			spread = append(spread, math.Abs(v))
		}
	}
	slices.Sort(spread)
	top := 0.0
	if len(spread) > 0 {
		top = spread[len(spread)*9/10]
	}
	var mine []int
	for _, f := range p.ScenarioFocus(s) {
		mine = append(mine, p.Focus[f])
	}
	for _, u := range mine {
		for _, i := range p.Units[u].Regions {
			if p.Units[u].Level == compare.LevelRegion && !math.IsNaN(pct[i]) {
				top = math.Max(top, math.Abs(pct[i]))
			}
		}
	}
	scale := newMapScale([]float64{top})
	lat0, lon0 := worldCentre(w)
	proj := newProjection(lat0, lon0)
	m := &mapLayer{fill: make([]color.RGBA, n), centres: make([]point, n), names: make([]string, n)}
	for i := range n {
		m.fill[i] = scale.colour(shown[i])
		m.centres[i] = proj.project(w.Regions[i].Lat, w.Regions[i].Lon)
		m.names[i] = w.Regions[i].Name
	}
	shapes, err := norwayShapes(w, proj)
	if err != nil {
		return mapFigure{}, false, err
	}
	m.shapes = shapes
	m.min, m.max = point{math.Inf(1), math.Inf(1)}, point{math.Inf(-1), math.Inf(-1)}
	extend := func(p point) {
		m.min.X, m.min.Y = math.Min(m.min.X, p.X), math.Min(m.min.Y, p.Y)
		m.max.X, m.max.Y = math.Max(m.max.X, p.X), math.Max(m.max.Y, p.Y)
	}
	// The focus regions; those focused on one by one are labelled.
	var focusRegions, named []int
	for _, u := range mine {
		switch p.Units[u].Level {
		case compare.LevelRegion:
			named = append(named, p.Units[u].Regions...)
			focusRegions = append(focusRegions, p.Units[u].Regions...)
		case compare.LevelTarget:
			focusRegions = append(focusRegions, p.Units[u].Regions...)
		}
	}
	// Targets are outlined where they are large enough to see: on the
	// zoomed map and as circles.
	m.outlined = make([]bool, n)
	if zoom || shapes == nil {
		for _, i := range focusRegions {
			m.outlined[i] = true
		}
	}
	if zoom && (len(focusRegions) == 0 || shapes == nil) {
		return mapFigure{}, false, nil
	}
	m.mayDrop = !zoom && shapes != nil
	if zoom {
		for _, s := range shapes {
			for _, f := range focusRegions {
				if s.region == f {
					extend(s.min)
					extend(s.max)
				}
			}
		}
		// Room around: the neighbours.
		pad := 0.5 * math.Max(m.max.X-m.min.X, m.max.Y-m.min.Y)
		pad = math.Max(pad, 0.01)
		// The legend's corner.
		m.min.X -= 0.3 * (m.max.X - m.min.X + 2*pad)
		m.min.X, m.min.Y, m.max.X, m.max.Y = m.min.X-pad, m.min.Y-pad, m.max.X+pad, m.max.Y+pad
	} else if shapes != nil {
		for _, s := range shapes {
			extend(s.min)
			extend(s.max)
		}
	} else {
		for _, c := range m.centres {
			extend(c)
		}
	}
	if shapes == nil {
		// Circles: area proportional to the baseline population.
		m.radius = make([]float64, n)
		maxPop := 0.0
		for i := range n {
			maxPop = math.Max(maxPop, r.Delta(s, i, compare.Population, yi).Baseline)
		}
		for i := range n {
			if maxPop > 0 {
				m.radius[i] = 0.07 * math.Sqrt(r.Delta(s, i, compare.Population, yi).Baseline/maxPop)
			}
			// Small regions are drawn larger: their colour must show.
			m.radius[i] = max(m.radius[i], minCircle)
		}
		// Room for the circles and, on the right, their names.
		pad := 0.1 * math.Max(m.max.X-m.min.X, m.max.Y-m.min.Y)
		m.min.X, m.min.Y, m.max.X, m.max.Y = m.min.X-pad, m.min.Y-pad, m.max.X+2*pad, m.max.Y+pad
		m.labels = make([]int, n)
		for i := range m.labels {
			m.labels[i] = i
		}
	} else {
		m.labels = named
	}
	if shapes == nil {
		// Room for the legend: widen the view to the west.
		m.min.X -= 0.45 * (m.max.X - m.min.X)
	}
	m.legend = scale.legend()
	if clear != nil && !slices.Contains(clear, true) {
		// An all-grey map beside key figures that call a group's change
		// clear would seem to contradict them: the groups pool the
		// regions' residents, and their differences stand out sooner.
		m.note = []string{fmt.Sprintf("No single region's difference is clear with %d replicates", p.Replicates)}
		for _, u := range mine {
			if p.Units[u].Level != compare.LevelRegion {
				m.note[0] += ";"
				m.note = append(m.note, "see the key figures for groups of regions.")
				break
			}
		}
		if len(m.note) == 1 {
			m.note[0] += "."
		}
	}
	if shapes != nil {
		// Drop the detail finer than half a pixel of an 8-inch (768 px)
		// map: a third of the points, and of the SVG.
		tol := 0.5 * (m.max.X - m.min.X) / 768
		for i := range m.shapes {
			for k := range m.shapes[i].rings {
				m.shapes[i].rings[k] = simplify(m.shapes[i].rings[k], tol)
			}
		}
	}

	title := fmt.Sprintf("%s minus baseline: residents in %d, in %% of the baseline", p.Scenarios[s].Name, r.LastYear())
	name := "map-" + scenarioFile(p, s)
	if zoom {
		title = fmt.Sprintf("%s minus baseline around the target regions: residents in %d, in %% of the baseline", p.Scenarios[s].Name, r.LastYear())
		name += "-zoom"
	}
	// The figure takes the proportions of the view, plus the title's
	// lines (two or more for a long scenario name: fitTitle) and the
	// margins.
	width := 8 * vg.Inch
	pl := plot.New()
	pl.Title.TextStyle.Font.Size = vg.Points(14)
	pl.Title.Text = fitTitle(&pl.Title.TextStyle, title, width)
	pl.HideAxes()
	pl.Add(m)
	titleHeight := pl.Title.TextStyle.Rectangle(pl.Title.Text).Size().Y + vg.Points(14)
	inner := width - 2*chartMargin
	height := vg.Length(math.Min(math.Max(float64(inner)*(m.max.Y-m.min.Y)/(m.max.X-m.min.X), float64(4*vg.Inch)), float64(11*vg.Inch))) + titleHeight + 2*chartMargin
	caption := "Colour: the population difference in the last year in per cent of the baseline mean, where it is clear; grey: not clear. " +
		"A target region is clear when its 90 % interval excludes zero; any other region only when it stays clear with all regions tested together " +
		fmt.Sprintf("(Benjamini–Hochberg, false discovery rate %.0f %%): one region in ten has an interval without zero by chance alone.", 100*compare.FalseDiscovery)
	if p.Replicates < 2 {
		caption = "Colour: the population difference in the last year in per cent of the baseline mean, from one run per scenario: no interval tells it from chance."
	}
	if shapes == nil {
		caption += " Circle area: the baseline population (the smallest regions drawn larger, so that their colour shows)."
	}
	if zoom || shapes == nil {
		caption += " Black borders: the regions the scenario targets."
	}
	if len(p.Scenarios) > 2 {
		caption += " The classes fit each scenario's own differences: read the legend before comparing two scenarios' maps."
	}
	return mapFigure{plot: pl, layer: m, width: width, height: height, name: name, title: title, caption: caption}, true, nil
}
