package web

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

func loadWorld(t testing.TB, name string) *world.World {
	t.Helper()
	w, err := world.Load(name, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// svgOf draws m as a standalone SVG, for looking at it (go test -run Map -v
// with SETTLE_MAP_SVG=dir).
func svgOf(m *Map) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g"><rect width="100%%" height="100%%" fill="#cfe3f0"/>`, m.Width, m.Height, m.Width, m.Height)
	for i, r := range m.Regions {
		fmt.Fprintf(&b, `<path d="%s" fill="hsl(%d,40%%,70%%)" stroke="#333" stroke-width="0.3"/>`, r.Path, (i*47)%360)
		if r.Island || len(m.Regions) < 50 {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="14" text-anchor="middle">%s</text>`, r.X, r.Y, r.Name)
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

func TestNorwayMap(t *testing.T) {
	w := loadWorld(t, "norway-2024")
	m, err := NewMap(w)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Regions) != w.N() {
		t.Fatalf("%d regions drawn, want %d", len(m.Regions), w.N())
	}
	js, _ := json.Marshal(m)
	t.Logf("Norway map: %.0f × %.0f, %d kB of JSON", m.Width, m.Height, len(js)>>10)
	if len(js) > 400<<10 {
		t.Errorf("the map is %d kB; simplify more (a classroom network is slow)", len(js)>>10)
	}
	// Norway is about 1.3 times as tall as it is wide in UTM 33 (1,750 km
	// from Lindesnes to the Russian border against 1,300 km east–west).
	if ratio := m.Height / m.Width; ratio < 1.1 || ratio > 1.6 {
		t.Errorf("height/width = %.2f; the projection squashes Norway", ratio)
	}
	for i, r := range m.Regions {
		if r.Path == "" || !strings.HasPrefix(r.Path, "M") {
			t.Errorf("%s (%s) has no shape", r.Name, r.Code)
		}
		if r.Code != w.Regions[i].Code {
			t.Fatalf("region %d is %s, want the world's order (%s)", i, r.Code, w.Regions[i].Code)
		}
		if r.X < 0 || r.X > m.Width || r.Y < 0 || r.Y > m.Height {
			t.Errorf("%s: label point (%g, %g) outside the map", r.Name, r.X, r.Y)
		}
	}
	// Oslo lies south of Tromsø and west of Vadsø.
	oslo, tromso, vadso := regionAt(t, w, m, "Oslo"), regionAt(t, w, m, "Tromsø"), regionAt(t, w, m, "Vadsø")
	if !(oslo.Y > tromso.Y && oslo.X < vadso.X) {
		t.Errorf("Oslo at (%g, %g), Tromsø (%g, %g), Vadsø (%g, %g): the map is not north-up", oslo.X, oslo.Y, tromso.X, tromso.Y, vadso.X, vadso.Y)
	}
	writeSVG(t, "norway.svg", m)
}

func regionAt(t *testing.T, w *world.World, m *Map, name string) MapRegion {
	t.Helper()
	i, err := w.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return m.Regions[i]
}

func writeSVG(t *testing.T, name string, m *Map) {
	if dir := os.Getenv("SETTLE_MAP_SVG"); dir != "" {
		if err := os.WriteFile(dir+"/"+name, []byte(svgOf(m)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTeachingMap(t *testing.T) {
	w := loadWorld(t, "teaching")
	m, err := NewMap(w)
	if err != nil {
		t.Fatal(err)
	}
	var islands []string
	for _, r := range m.Regions {
		if r.Path == "" {
			t.Errorf("%s has no shape", r.Name)
		}
		if r.Island {
			islands = append(islands, r.Name)
		}
	}
	if len(islands) != 1 || islands[0] != "Holmøy" {
		t.Errorf("islands %v, want [Holmøy] (the only region reached by ferry)", islands)
	}
	writeSVG(t, "teaching.svg", m)
}

func TestSimplify(t *testing.T) {
	// A square with collinear points on its sides keeps only its corners.
	var r []point
	for k := 0; k <= 10; k++ {
		r = append(r, point{float64(k), 0})
	}
	for k := 1; k <= 10; k++ {
		r = append(r, point{10, float64(k)})
	}
	for k := 9; k >= 0; k-- {
		r = append(r, point{float64(k), 10})
	}
	for k := 9; k >= 0; k-- {
		r = append(r, point{0, float64(k)})
	}
	s := simplify(r, 0.1)
	if len(s) != 5 { // four corners and the closing point
		t.Errorf("simplified to %d points %v, want the 4 corners and the closing point", len(s), s)
	}
	if a := math.Abs(ringArea(s)); a != 100 {
		t.Errorf("area %g, want 100", a)
	}
}

func TestVoronoiCellsPartition(t *testing.T) {
	// Cells of the hull partition it, weighted or not: their areas add up
	// to the hull's.
	pts := []point{{0, 0}, {10, 0}, {5, 8}, {5, 3}}
	hull := []point{{-5, -5}, {15, -5}, {15, 15}, {-5, 15}}
	total := 0.0
	for i := range pts {
		cell := hull
		for j := range pts {
			if j != i {
				cell = clipHalf(cell, pts[i], pts[j], float64(i-j))
			}
		}
		total += math.Abs(ringArea(cell))
	}
	if math.Abs(total-400) > 1e-9 {
		t.Errorf("cells cover %g, want the hull's 400", total)
	}
	h := convexHull([]point{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 0.5}})
	if len(h) != 4 || math.Abs(ringArea(h)) != 4 {
		t.Errorf("hull %v, want the 2×2 square", h)
	}
}
