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

// maxContextNames is the most neighbours a zoomed map tries to name.
const maxContextNames = 12

// mapLayer draws the regions of a world within view, keeping the
// proportions: polygons when shapes are known, else circles whose area is
// proportional to the population.
type mapLayer struct {
	shapes  []shape
	fill    []color.RGBA // per region
	centres []point      // per region
	radius  []float64    // per region, circles only: relative to the view's size
	labels  []int        // regions named on the map
	// context are more regions named on a zoomed map, for orientation:
	// the most populous first, each left out where it would overlap a
	// name drawn before it or the legend.
	context  []int
	outlined []bool // per region: a target, drawn with a thick border
	// targets are the regions the scenario targets (per region): the
	// legend never covers them (placeLegend).
	targets []bool
	names   []string // per region
	// mayDrop: a name that overlaps in every place is left out (the
	// national map of a world with shapes, whose zoomed map names them);
	// elsewhere it is drawn anyway.
	mayDrop  bool
	min, max point // the view
	// content is the view without the room left for the legend (the
	// strip to the west of it), which a legend beside the map does not
	// need.
	content [2]point
	legend  []legendEntry
	note    []string // lines under the legend's classes
	// legendBox is where Plot drew the legend (on the canvas), and
	// legendOut whether it is outside the map's frame.
	legendBox vg.Rectangle
	legendOut bool
	// nameBoxes are the boxes of the names Plot drew, by region, and
	// contextBoxes those of the context's.
	nameBoxes    map[int]vg.Rectangle
	contextBoxes map[int]vg.Rectangle
}

type legendEntry struct {
	label  string
	colour color.RGBA
}

// mapTransform places the view's projected points on a rectangle of the
// canvas, keeping the proportions, the view centred.
type mapTransform struct {
	k, ox, oy float64
	min, max  point
}

func newMapTransform(r vg.Rectangle, min, max point) mapTransform {
	dx, dy := max.X-min.X, max.Y-min.Y
	k := math.Min(float64(r.Size().X)/dx, float64(r.Size().Y)/dy)
	return mapTransform{k: k, min: min, max: max,
		ox: float64(r.Min.X) + (float64(r.Size().X)-k*dx)/2,
		oy: float64(r.Min.Y) + (float64(r.Size().Y)-k*dy)/2}
}

func (t mapTransform) at(p point) vg.Point {
	return vg.Point{X: vg.Length(t.ox + t.k*(p.X-t.min.X)), Y: vg.Length(t.oy + t.k*(p.Y-t.min.Y))}
}

// frame is the view on the canvas.
func (t mapTransform) frame() vg.Rectangle { return vg.Rectangle{Min: t.at(t.min), Max: t.at(t.max)} }

// radius is region i's circle radius on the canvas.
func (m *mapLayer) radiusAt(t mapTransform, i int) vg.Length {
	return vg.Length(m.radius[i] * math.Max(m.max.X-m.min.X, m.max.Y-m.min.Y) * t.k)
}

// nameStyle is the style of the regions' names.
func nameStyle() draw.TextStyle {
	sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
	sty.Font.Size = vg.Points(10)
	return sty
}

// contextGrey is the colour of the context's names on a zoomed map.
var contextGrey = color.RGBA{R: 70, G: 70, B: 70, A: 255}

// contextStyle is the style of the context's names: smaller and grey, so
// that the targets' names stand out.
func contextStyle() draw.TextStyle {
	sty := nameStyle()
	sty.Color = contextGrey
	sty.Font.Size = vg.Points(8)
	return sty
}

// nameSpots are the places where region i's name may stand, in the order
// tried, and the box of the name at each: a polygon's name is pinned to
// its centre p by a dot, above right of it, else below right, above left,
// below left; a circle's name stands to its right, leaving the fill in
// view.
func (m *mapLayer) nameSpots(t mapTransform, sty draw.TextStyle, i int) (spots []vg.Point, boxes []vg.Rectangle) {
	p := t.at(m.centres[i])
	w, h := sty.Width(m.names[i]), sty.Height(m.names[i])
	spots = []vg.Point{{X: p.X + vg.Points(4), Y: p.Y + vg.Points(3)}, {X: p.X + vg.Points(4), Y: p.Y - h - vg.Points(1)},
		{X: p.X - w - vg.Points(4), Y: p.Y + vg.Points(3)}, {X: p.X - w - vg.Points(4), Y: p.Y - h - vg.Points(1)}}
	if m.shapes == nil {
		spots = []vg.Point{{X: p.X + m.radiusAt(t, i) + vg.Points(3), Y: p.Y - h*0.3}}
	}
	for _, at := range spots {
		boxes = append(boxes, vg.Rectangle{Min: vg.Point{X: at.X - 1, Y: at.Y - h*0.25}, Max: vg.Point{X: at.X + w + 1, Y: at.Y + h*0.8}})
	}
	return spots, boxes
}

func (m *mapLayer) Plot(c draw.Canvas, _ *plot.Plot) {
	r := c.Rectangle
	t := newMapTransform(r, m.min, m.max)
	if len(m.legend) > 0 {
		t = m.placeLegend(r, t)
	}
	at := t.at
	fr := t.frame()
	frame := []vg.Point{fr.Min, {X: fr.Max.X, Y: fr.Min.Y}, fr.Max, {X: fr.Min.X, Y: fr.Max.Y}}
	c.FillPolygon(sea, frame)
	// Draw only inside the view.
	c = draw.Canvas{Canvas: c.Canvas, Rectangle: fr}
	line := draw.LineStyle{Color: border, Width: vg.Points(0.3)}
	if m.shapes != nil {
		for _, s := range m.shapes {
			if s.max.X < t.min.X || s.min.X > t.max.X || s.max.Y < t.min.Y || s.min.Y > t.max.Y {
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
	if m.shapes == nil {
		order := make([]int, len(m.centres))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(m.radius[b], m.radius[a]) })
		thick := draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}
		for _, i := range order {
			p := at(m.centres[i])
			rad := m.radiusAt(t, i)
			c.DrawGlyph(draw.GlyphStyle{Color: m.fill[i], Radius: rad, Shape: draw.CircleGlyph{}}, p)
			c.DrawGlyph(draw.GlyphStyle{Color: border, Radius: rad, Shape: draw.RingGlyph{}}, p)
			if m.outlined[i] {
				r := rad + thick.Width/2 + vg.Points(0.25)
				var ring vg.Path
				ring.Move(vg.Point{X: p.X + r, Y: p.Y})
				ring.Arc(p, r, 0, 2*math.Pi)
				ring.Close()
				c.SetLineStyle(thick)
				c.Stroke(ring)
			}
		}
	}
	sty := nameStyle()
	// The names drawn so far, and the legend: a name overlaps neither
	// where it has another place.
	var placed []vg.Rectangle
	if len(m.legend) > 0 {
		placed = append(placed, m.legendBox)
	}
	m.nameBoxes = map[int]vg.Rectangle{}
	for _, i := range m.labels {
		p := at(m.centres[i])
		if !c.Contains(p) {
			continue
		}
		// A name that overlaps in every place is left out where mayDrop
		// (regions close together on the national map: the zoomed map
		// names them), else drawn in the first.
		spots, boxes := m.nameSpots(t, sty, i)
		spot := -1
		for k := range spots {
			if !overlapsAny(boxes[k], placed) {
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
		r := boxes[spot]
		placed = append(placed, r)
		m.nameBoxes[i] = r
		// A light box behind the name keeps it readable on any colour.
		c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 190}, []vg.Point{
			{X: r.Min.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Max.Y}, {X: r.Min.X, Y: r.Max.Y}})
		c.FillText(sty, spots[spot], m.names[i])
	}
	// The neighbours' names, smaller and grey, where they fit: a reader
	// of a zoomed map needs to know where it is.
	csty := contextStyle()
	m.contextBoxes = map[int]vg.Rectangle{}
	for _, i := range m.context {
		p := at(m.centres[i])
		if !c.Contains(p) {
			continue
		}
		// Its dot, too, stays clear of the legend and the names.
		dot := vg.Rectangle{Min: vg.Point{X: p.X - vg.Points(2), Y: p.Y - vg.Points(2)}, Max: vg.Point{X: p.X + vg.Points(2), Y: p.Y + vg.Points(2)}}
		if overlapsAny(dot, placed) {
			continue
		}
		spots, boxes := m.nameSpots(t, csty, i)
		for k := range spots {
			r := boxes[k]
			if overlapsAny(r, placed) || !c.Contains(r.Min) || !c.Contains(r.Max) {
				continue
			}
			placed = append(placed, r, dot)
			m.contextBoxes[i] = r
			c.DrawGlyph(draw.GlyphStyle{Color: contextGrey, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}, p)
			c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 150}, []vg.Point{
				{X: r.Min.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Min.Y}, {X: r.Max.X, Y: r.Max.Y}, {X: r.Min.X, Y: r.Max.Y}})
			c.FillText(csty, spots[k], m.names[i])
			break
		}
	}
	if len(m.legend) > 0 {
		m.drawLegend(c, m.legendBox)
	}
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

// overlapArea is the area that a and b have in common.
func overlapArea(a, b vg.Rectangle) float64 {
	w := math.Min(float64(a.Max.X), float64(b.Max.X)) - math.Max(float64(a.Min.X), float64(b.Min.X))
	h := math.Min(float64(a.Max.Y), float64(b.Max.Y)) - math.Max(float64(a.Min.Y), float64(b.Min.Y))
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// polygonArea is the area of a simple polygon (the shoelace formula).
func polygonArea(pts []vg.Point) float64 {
	a := 0.0
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		a += float64(p.X*q.Y - q.X*p.Y)
	}
	return math.Abs(a) / 2
}

// Legend layout, in points.
const (
	legendInset    = 6  // from the edges of the view
	legendPad      = 6  // inside the box
	legendLine     = 16 // a class's row
	legendSwatch   = 18 // a class's swatch
	legendNoteLine = 13 // a line of the note
)

func legendStyles() (classes, note draw.TextStyle) {
	classes = draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
	classes.Font.Size = vg.Points(11)
	note = classes
	note.Font.Size = vg.Points(10)
	return classes, note
}

// legendSize is the size of the legend's box: the classes, and the note
// under them.
func (m *mapLayer) legendSize() vg.Point {
	sty, noteSty := legendStyles()
	width, noteWidth := vg.Length(0), vg.Length(0)
	for _, e := range m.legend {
		width = max(width, sty.Width(e.label))
	}
	for _, l := range m.note {
		noteWidth = max(noteWidth, noteSty.Width(l))
	}
	pad := vg.Points(legendPad)
	height := 2*pad + vg.Points(legendLine)*vg.Length(len(m.legend))
	if len(m.note) > 0 {
		height += pad/2 + vg.Points(legendNoteLine)*vg.Length(len(m.note))
	}
	return vg.Point{X: max(3*pad+vg.Points(legendSwatch)+width, 2*pad+noteWidth), Y: height}
}

// footprint is what the legend may cover of a region: its polygon or
// circle on the canvas (poly, with box its bounding box), or its name,
// which may stand in any of boxes (nameSpots).
type footprint struct {
	region int
	poly   []vg.Point
	box    vg.Rectangle
	names  []vg.Rectangle
}

// footprints are the regions' shapes or circles and names on the canvas
// as t places them.
func (m *mapLayer) footprints(t mapTransform) []footprint {
	var out []footprint
	bounds := func(pts []vg.Point) vg.Rectangle {
		b := vg.Rectangle{Min: pts[0], Max: pts[0]}
		for _, p := range pts[1:] {
			b.Min.X, b.Min.Y = min(b.Min.X, p.X), min(b.Min.Y, p.Y)
			b.Max.X, b.Max.Y = max(b.Max.X, p.X), max(b.Max.Y, p.Y)
		}
		return b
	}
	if m.shapes != nil {
		for _, s := range m.shapes {
			if s.max.X < t.min.X || s.min.X > t.max.X || s.max.Y < t.min.Y || s.min.Y > t.max.Y {
				continue
			}
			for _, ring := range s.rings {
				if len(ring) < 3 {
					continue
				}
				pts := make([]vg.Point, len(ring))
				for i, p := range ring {
					pts[i] = t.at(p)
				}
				out = append(out, footprint{region: s.region, poly: pts, box: bounds(pts)})
			}
		}
	} else {
		// A circle as a polygon of 32 sides around its border and, for a
		// target, the black ring outside it.
		const sides = 32
		for i, ctr := range m.centres {
			p, rad := t.at(ctr), m.radiusAt(t, i)+vg.Points(2)
			pts := make([]vg.Point, sides)
			for k := range pts {
				a := 2 * math.Pi * float64(k) / sides
				pts[k] = vg.Point{X: p.X + rad*vg.Length(math.Cos(a)), Y: p.Y + rad*vg.Length(math.Sin(a))}
			}
			out = append(out, footprint{region: i, poly: pts, box: bounds(pts)})
		}
	}
	sty := nameStyle()
	fr := t.frame()
	for _, i := range m.labels {
		if p := t.at(m.centres[i]); p.X < fr.Min.X || p.X > fr.Max.X || p.Y < fr.Min.Y || p.Y > fr.Max.Y {
			continue
		}
		_, boxes := m.nameSpots(t, sty, i)
		out = append(out, footprint{region: i, names: boxes})
	}
	return out
}

// covers returns the area of the regions and names that a legend in box
// would cover, and false when it would cover a target region or its name
// (in every place the name may stand), or come within legendInset/3 of
// them (their black outline).
func (m *mapLayer) covers(foot []footprint, box vg.Rectangle) (float64, bool) {
	area := func(f footprint, box vg.Rectangle) float64 {
		if f.poly == nil {
			a := math.Inf(1)
			for _, b := range f.names {
				a = math.Min(a, overlapArea(b, box))
			}
			return a
		}
		if overlapArea(f.box, box) == 0 {
			return 0
		}
		clip := draw.Canvas{Rectangle: box}
		if pts := clip.ClipPolygonXY(f.poly); len(pts) > 2 {
			return polygonArea(pts)
		}
		return 0
	}
	d := vg.Points(legendInset) / 3
	near := vg.Rectangle{Min: vg.Point{X: box.Min.X - d, Y: box.Min.Y - d}, Max: vg.Point{X: box.Max.X + d, Y: box.Max.Y + d}}
	total := 0.0
	for _, f := range foot {
		if m.targets != nil && m.targets[f.region] {
			if area(f, near) > 0 {
				return 0, false
			}
			continue
		}
		total += area(f, box)
	}
	return total, true
}

// minBesideScale is the least scale, relative to the map's with the
// legend in a corner, at which the map is drawn beside its legend rather
// than under it in a corner where it covers regions other than the
// targets.
const minBesideScale = 0.8

// placeLegend sets legendBox, where the legend goes, and returns the
// transform the map is then drawn with (t, the view on all of r, unless
// the legend goes beside the map). The legend goes
//
//   - in a corner of the view (top left, top right, bottom left, bottom
//     right, the first of these) where it covers no region and no name;
//   - else beside the map, to its left or below it, whichever leaves the
//     map larger, the map drawn smaller (without the view's room for the
//     legend, content), when it keeps minBesideScale of its size;
//   - else in the corner where it covers the least of the regions and
//     their names (polygons and circles, by area), never a region the
//     scenario targets or its name (in every place the name may stand);
//   - else beside the map.
//
// In the top left corner, always, the legend with a note under it
// covered Holmøy and Sjøvik, the targets of the teaching world's bridge.
func (m *mapLayer) placeLegend(r vg.Rectangle, t mapTransform) mapTransform {
	size := m.legendSize()
	fr := t.frame()
	in := vg.Points(legendInset)
	m.legendOut = false
	best, bestBox := math.Inf(1), vg.Rectangle{}
	if size.X+2*in <= fr.Size().X && size.Y+2*in <= fr.Size().Y {
		foot := m.footprints(t)
		corners := []vg.Point{ // the boxes' lower left corners
			{X: fr.Min.X + in, Y: fr.Max.Y - in - size.Y},
			{X: fr.Max.X - in - size.X, Y: fr.Max.Y - in - size.Y},
			{X: fr.Min.X + in, Y: fr.Min.Y + in},
			{X: fr.Max.X - in - size.X, Y: fr.Min.Y + in},
		}
		for _, ll := range corners {
			box := vg.Rectangle{Min: ll, Max: vg.Point{X: ll.X + size.X, Y: ll.Y + size.Y}}
			if cost, ok := m.covers(foot, box); ok && cost < best {
				best, bestBox = cost, box
			}
		}
	}
	if best == 0 {
		m.legendBox = bestBox
		return t
	}
	// Beside the map: the content of the view, on what the legend leaves.
	content := m.content
	if content[0] == content[1] {
		content = [2]point{m.min, m.max}
	}
	left, below := r, r
	left.Min.X += size.X + in
	below.Min.Y += size.Y + in
	var tl, tb mapTransform
	if left.Size().X > 0 {
		tl = newMapTransform(left, content[0], content[1])
	}
	if below.Size().Y > 0 {
		tb = newMapTransform(below, content[0], content[1])
	}
	beside := max(tl.k, tb.k)
	if beside <= 0 || (!math.IsInf(best, 1) && beside < minBesideScale*t.k) {
		if !math.IsInf(best, 1) {
			m.legendBox = bestBox
			return t
		}
		// No room anywhere: the top left corner.
		m.legendBox = vg.Rectangle{Min: vg.Point{X: fr.Min.X + in, Y: fr.Max.Y - in - size.Y}, Max: vg.Point{X: fr.Min.X + in + size.X, Y: fr.Max.Y - in}}
		return t
	}
	m.legendOut = true
	if tl.k >= tb.k {
		top := max(min(tl.frame().Max.Y, r.Max.Y), r.Min.Y+size.Y)
		m.legendBox = vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: top - size.Y}, Max: vg.Point{X: r.Min.X + size.X, Y: top}}
		return tl
	}
	x := max(min(tb.frame().Min.X, r.Max.X-size.X), r.Min.X)
	m.legendBox = vg.Rectangle{Min: vg.Point{X: x, Y: r.Min.Y}, Max: vg.Point{X: x + size.X, Y: r.Min.Y + size.Y}}
	return tb
}

// drawLegend draws the colour classes and the note in a white box.
func (m *mapLayer) drawLegend(c draw.Canvas, box vg.Rectangle) {
	sty, noteSty := legendStyles()
	line, noteLine := vg.Points(legendLine), vg.Points(legendNoteLine)
	sw, pad := vg.Points(legendSwatch), vg.Points(legendPad)
	x0, y1 := box.Min.X, box.Max.Y
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

// mapChart draws scenario s's population difference in year index yi (the
// report's key year) on a map of the world's regions; zoom shows only the
// surroundings of the focus regions.
func mapChart(r *compare.Result, s int, zoom bool, yi int, dir string) (Chart, bool, error) {
	f, ok, err := newMapFigure(r, s, zoom, yi)
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
func newMapFigure(r *compare.Result, s int, zoom bool, yi int) (mapFigure, bool, error) {
	p := r.Plan
	w := p.World
	n := w.N()
	year := r.YearList[yi]
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
	// The legend covers none of the regions the scenario targets (the
	// first n units are the regions).
	m.targets = make([]bool, n)
	for i := range n {
		m.targets[i] = p.Targets(s, i)
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
		m.content = [2]point{{m.min.X - pad, m.min.Y - pad}, {m.max.X + pad, m.max.Y + pad}}
		// The neighbours in view, named for orientation where there is
		// room: the most populous first.
		focused := make([]bool, n)
		for _, i := range focusRegions {
			focused[i] = true
		}
		for i, c := range m.centres {
			if !focused[i] && c.X >= m.content[0].X && c.X <= m.content[1].X && c.Y >= m.content[0].Y && c.Y <= m.content[1].Y {
				m.context = append(m.context, i)
			}
		}
		slices.SortStableFunc(m.context, func(a, b int) int {
			return cmp.Compare(w.Regions[b].Population, w.Regions[a].Population)
		})
		m.context = m.context[:min(len(m.context), maxContextNames)]
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
		m.content = [2]point{m.min, m.max}
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

	title := fmt.Sprintf("%s minus baseline: residents in %d, in %% of the baseline", p.Scenarios[s].Name, year)
	name := "map-" + scenarioFile(p, s)
	if zoom {
		title = fmt.Sprintf("%s minus baseline around the target regions: residents in %d, in %% of the baseline", p.Scenarios[s].Name, year)
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
	caption := fmt.Sprintf("Colour: the population difference in %d in per cent of the baseline mean, where it is clear; grey: not clear. ", year) +
		fmt.Sprintf("A region the scenario targets one by one (by an intervention of at most %d regions) is clear when its 90 %% interval excludes zero; any other region, those of a larger group too, only when it stays clear with all regions tested together ", compare.MaxSingleTargets) +
		fmt.Sprintf("(Benjamini–Hochberg, false discovery rate %.0f %%): one region in ten has an interval without zero by chance alone.", 100*compare.FalseDiscovery)
	if p.Replicates < 2 {
		caption = fmt.Sprintf("Colour: the population difference in %d in per cent of the baseline mean, from one run per scenario: no interval tells it from chance.", year)
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
