package report

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/settle-sim/settle/sim/compare"
)

// TestMapCirclesShowColour: on a map of circles (the teaching world) every
// region's fill shows at the PNG's size. Holmøy's 1,600 residents beside
// Storhavn's 100,000 made a circle of radius 3 px under a black dot and
// rings: only Storhavn's colour could be seen, and the map seemed to say
// that the bridge had cost Storhavn residents.
func TestMapCirclesShowColour(t *testing.T) {
	r := bridgeResult(t)
	f, ok, err := newMapFigure(r, 1, false, len(r.YearList)-1)
	if err != nil || !ok {
		t.Fatalf("map: %v, %v", ok, err)
	}
	m := f.layer
	if m.shapes != nil {
		t.Fatal("the teaching world has borders: no circles to test")
	}
	// A map without a clear region carries a note across it
	// (TestMapNoteNothingClear), which may cover circles: this test is
	// about the circles.
	m.note = nil
	// A colour of its own for every region, to find its pixels.
	for i := range m.fill {
		m.fill[i] = color.RGBA{R: uint8(10 + 17*i), G: uint8(230 - 11*i), B: uint8(40 + 13*i), A: 255}
	}
	const dpi = 96 // as the PNG
	c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(dpi))
	f.plot.Draw(draw.New(c))
	img := c.Image()
	count := make(map[color.RGBA]int)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	// At least a disc 7 px across of the region's own colour, whatever
	// its population.
	const least = 150
	fewest := b.Dx() * b.Dy()
	for i, fill := range m.fill {
		fewest = min(fewest, count[fill])
		if n := count[fill]; n < least {
			t.Errorf("%s: %d pixels of its colour on a map %d px wide, want at least %d", m.names[i], n, b.Dx(), least)
		}
	}
	t.Logf("the fewest pixels of a region's colour: %d", fewest)
}

// TestMapNoteNothingClear: a map on which no region's difference can be
// told from chance says so, and points to the groups' key figures (which
// may call a group's change clear: the map all grey beside a "clear" read
// as a contradiction); a map with a clear region has no such note.
func TestMapNoteNothingClear(t *testing.T) {
	self := compareFiles(t, 2, testdata("base.toml"), testdata("base.toml"))
	dir := t.TempDir()
	c, ok, err := mapChart(self, 1, false, len(self.YearList)-1, dir)
	if err != nil || !ok {
		t.Fatalf("map: %v, %v", ok, err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, c.Name+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No single region&#39;s difference is clear with 2 replicates;", "see the key figures for groups of regions."} {
		if !strings.Contains(string(svg), want) && !strings.Contains(string(svg), strings.ReplaceAll(want, "&#39;", "'")) {
			t.Errorf("map of a scenario against itself lacks %q", want)
		}
	}

	// Enough replicates and years for the bridge to change a region
	// clearly (two replicates over three years may not).
	r := compareReplicates(t, 5, 6, testdata("base.toml"), testdata("bridge.toml"))
	f, _, err := newMapFigure(r, 1, false, len(r.YearList)-1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(clearRegions(r, 1, len(r.YearList)-1), true) {
		t.Fatal("the bridge changes no region clearly: no test of a map without the note")
	}
	if len(f.layer.note) > 0 {
		t.Errorf("a map with clear regions has the note %q", f.layer.note)
	}
}

// coveredPixels counts, for every region r with covered[r], the pixels
// of f's map whose colour is that of the region seen through the legend's
// box (white, 235/255 opaque), drawn at the PNG's resolution. Each region
// gets a colour of its own first (a strong one, whose tint under the
// legend no other colour of the map has).
func coveredPixels(t *testing.T, f mapFigure, covered []bool) map[string]int {
	t.Helper()
	m := f.layer
	tint := map[color.RGBA]int{}
	for i := range m.fill {
		m.fill[i] = color.RGBA{R: uint8(40 + 150*(i%2)), G: uint8(20 + 3*(i%60)), B: uint8(200 - 90*(i%2)), A: 255}
		if covered[i] {
			m.fill[i] = color.RGBA{R: 200, G: 0, B: uint8(20 + 2*(i%100)), A: 255}
			under := func(v uint8) uint8 { return uint8((235*255 + int(v)*20 + 127) / 255) }
			tint[color.RGBA{R: under(m.fill[i].R), G: under(m.fill[i].G), B: under(m.fill[i].B), A: 255}] = i
		}
	}
	c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(96))
	f.plot.Draw(draw.New(c))
	img := c.Image()
	out := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			px := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			for tc, i := range tint {
				if absDiff(px.R, tc.R) <= 1 && absDiff(px.G, tc.G) <= 1 && absDiff(px.B, tc.B) <= 1 {
					out[m.names[i]]++
				}
			}
		}
	}
	return out
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestMapLegendClearOfTargets: the map's legend covers none of the
// regions the scenario targets. On the teaching world it stood in the top
// left corner whatever was there, and with the note that no region is
// clear (a wider, taller box) it covered Holmøy and Sjøvik, the bridge's
// targets, whose colours are what the map is for. The legend now goes in
// a corner that covers no region, else beside the map (or, where that
// would shrink the map too much, the corner covering the least, never a
// target). Norway's national and zoomed maps are checked too (borders
// instead of circles).
func TestMapLegendClearOfTargets(t *testing.T) {
	note := []string{"No single region's difference is clear with 2 replicates;", "see the key figures for groups of regions."}
	r := bridgeResult(t)
	targets := targetsOf(r)
	if !targets[regionIndex(t, r, "Holmøy")] || !targets[regionIndex(t, r, "Sjøvik")] {
		t.Fatal("the bridge does not target Holmøy and Sjøvik")
	}
	for _, withNote := range []bool{false, true} {
		m := checkLegend(t, "teaching world", r, false, withNote, note, targets)
		if !withNote && m.legendOut {
			t.Error("teaching world: the legend without a note is drawn beside the map; the view has room for it in a corner")
		}
	}

	// Norway: a housing programme in Vardø and Vadsø.
	nr := vardoHousing(t, t.TempDir(), "vardo")
	targets = targetsOf(nr)
	for _, zoom := range []bool{false, true} {
		for _, withNote := range []bool{false, true} {
			checkLegend(t, fmt.Sprintf("Norway, zoom %v", zoom), nr, zoom, withNote, note, targets)
		}
	}
}

// targetsOf says which regions of r's world scenario 1 targets.
func targetsOf(r *compare.Result) []bool {
	targets := make([]bool, r.Plan.World.N())
	for i := range targets {
		targets[i] = r.Plan.Targets(1, i)
	}
	return targets
}

// checkLegend draws scenario 1's map of r (zoomed or not, with the note
// under the legend or without it) and fails t, naming what, where the
// legend covers pixels or names of the target regions. It returns the
// drawn layer.
func checkLegend(t *testing.T, what string, r *compare.Result, zoom, withNote bool, note []string, targets []bool) *mapLayer {
	t.Helper()
	f, ok, err := newMapFigure(r, 1, zoom, len(r.YearList)-1)
	if err != nil || !ok {
		t.Fatalf("%s: map: %v, %v", what, ok, err)
	}
	f.layer.note = nil
	if withNote {
		f.layer.note = note
	}
	if n := coveredPixels(t, f, targets); len(n) > 0 {
		t.Errorf("%s, note %v: the legend covers targets (pixels of each under it): %v", what, withNote, n)
	}
	checkNames(t, what, f.layer, targets)
	return f.layer
}

// checkNames fails t where the legend of the drawn map m overlaps the
// name of a target region.
func checkNames(t *testing.T, what string, m *mapLayer, targets []bool) {
	t.Helper()
	for i, box := range m.nameBoxes {
		if targets[i] && overlapsAny(box, []vg.Rectangle{m.legendBox}) {
			t.Errorf("%s: the legend %v covers the name of %s %v", what, m.legendBox, m.names[i], box)
		}
	}
}

// regionIndex is the index of the region named name in r's world.
func regionIndex(t *testing.T, r *compare.Result, name string) int {
	t.Helper()
	for i := range r.Plan.World.Regions {
		if r.Plan.World.Regions[i].Name == name {
			return i
		}
	}
	t.Fatalf("no region %s", name)
	return -1
}

// TestZoomNamesNeighbours: a zoomed map names the neighbours in view, for
// orientation (it named only the targets: a reader saw an outline in a
// grey map without a place name around it), each inside the canvas and
// clear of the legend, the targets' names and one another; the national
// map names none of them.
func TestZoomNamesNeighbours(t *testing.T) {
	r := vardoHousing(t, t.TempDir(), "vardo")
	for _, zoom := range []bool{false, true} {
		f, ok, err := newMapFigure(r, 1, zoom, len(r.YearList)-1)
		if err != nil || !ok {
			t.Fatalf("zoom %v: map: %v, %v", zoom, ok, err)
		}
		c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(96))
		f.plot.Draw(draw.New(c))
		m := f.layer
		if !zoom {
			if len(m.contextBoxes) != 0 {
				t.Errorf("the national map names %d neighbours", len(m.contextBoxes))
			}
			continue
		}
		if len(m.contextBoxes) < 3 {
			t.Fatalf("the zoomed map names %d neighbours, want at least 3 (of %d in view)", len(m.contextBoxes), len(m.context))
		}
		canvas := vg.Rectangle{Max: vg.Point{X: f.width, Y: f.height}}
		var names []string
		for i, box := range m.contextBoxes {
			names = append(names, m.names[i])
			if r.Plan.Targets(1, i) {
				t.Errorf("a target, %s, is named as a neighbour", m.names[i])
			}
			if box.Min.X < canvas.Min.X || box.Min.Y < canvas.Min.Y || box.Max.X > canvas.Max.X || box.Max.Y > canvas.Max.Y {
				t.Errorf("%s's name %v is outside the canvas %v", m.names[i], box, canvas)
			}
			others := []vg.Rectangle{m.legendBox}
			for _, b := range m.nameBoxes {
				others = append(others, b)
			}
			for j, b := range m.contextBoxes {
				if j != i {
					others = append(others, b)
				}
			}
			if overlapsAny(box, others) {
				t.Errorf("%s's name %v overlaps the legend or another name", m.names[i], box)
			}
		}
		t.Logf("zoomed map of Vardø and Vadsø names %v", names)
	}
}
