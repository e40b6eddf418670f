package report

import (
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestMapCirclesShowColour: on a map of circles (the teaching world) every
// region's fill shows at the PNG's size. Holmøy's 1,600 residents beside
// Storhavn's 100,000 made a circle of radius 3 px under a black dot and
// rings: only Storhavn's colour could be seen, and the map seemed to say
// that the bridge had cost Storhavn residents.
func TestMapCirclesShowColour(t *testing.T) {
	r := bridgeResult(t)
	f, ok, err := newMapFigure(r, 1, false)
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
	c, ok, err := mapChart(self, 1, false, dir)
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
	f, _, err := newMapFigure(r, 1, false)
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
