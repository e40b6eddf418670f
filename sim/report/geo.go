package report

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/settle-sim/settle/sim/world"
)

// point is a projected position: x east, y north, in units of the
// sphere's radius.
type point struct{ X, Y float64 }

// projection is the orthographic projection centred on (lat0, lon0): for a
// country the size of Norway it keeps shapes and areas within a few per
// cent and draws the country upright as on official maps.
type projection struct{ sinLat0, cosLat0, lon0 float64 }

func newProjection(lat0, lon0 float64) projection {
	r := lat0 * math.Pi / 180
	return projection{math.Sin(r), math.Cos(r), lon0 * math.Pi / 180}
}

func (p projection) project(lat, lon float64) point {
	phi, dl := lat*math.Pi/180, lon*math.Pi/180-p.lon0
	return point{
		X: math.Cos(phi) * math.Sin(dl),
		Y: p.cosLat0*math.Sin(phi) - p.sinLat0*math.Cos(phi)*math.Cos(dl),
	}
}

// shape is a region's outline: the outer rings of its polygons in
// projected coordinates.
type shape struct {
	region int
	rings  [][]point
	area   float64 // of the outer rings, for drawing order
	min    point
	max    point
}

// worldCentre returns the middle of the extent of w's region centroids.
func worldCentre(w *world.World) (lat, lon float64) {
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for i := range w.Regions {
		r := &w.Regions[i]
		minLat, maxLat = math.Min(minLat, r.Lat), math.Max(maxLat, r.Lat)
		minLon, maxLon = math.Min(minLon, r.Lon), math.Max(maxLon, r.Lon)
	}
	if w.N() == 0 {
		return 60, 10
	}
	return (minLat + maxLat) / 2, (minLon + maxLon) / 2
}

// norwayShapes returns the outlines of w's regions from the embedded
// municipal borders of Norway 2024 (world.NorwayGeoJSON), matched by
// municipality number, or nil when fewer than nine in ten of w's regions
// have one (a world that is not Norway's).
func norwayShapes(w *world.World, proj projection) ([]shape, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Number string `json:"kommunenummer"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(world.NorwayGeoJSON(), &fc); err != nil {
		return nil, fmt.Errorf("report: the embedded municipal borders: %w", err)
	}
	index := make(map[string]int, w.N())
	for i := range w.Regions {
		index[w.Regions[i].Code] = i
	}
	var shapes []shape
	for _, f := range fc.Features {
		r, ok := index[f.Properties.Number]
		if !ok {
			continue
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("report: borders of %s: %w", f.Properties.Number, err)
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("report: borders of %s: %w", f.Properties.Number, err)
			}
		default:
			continue
		}
		s := shape{region: r, min: point{math.Inf(1), math.Inf(1)}, max: point{math.Inf(-1), math.Inf(-1)}}
		for _, poly := range polys {
			for k, ring := range poly {
				if k > 0 {
					// Holes are not drawn: a region inside another is
					// drawn after it (smaller first is last), and lakes
					// take the region's colour.
					break
				}
				pts := make([]point, len(ring))
				for i, c := range ring {
					pts[i] = proj.project(c[1], c[0])
					s.min.X, s.min.Y = math.Min(s.min.X, pts[i].X), math.Min(s.min.Y, pts[i].Y)
					s.max.X, s.max.Y = math.Max(s.max.X, pts[i].X), math.Max(s.max.Y, pts[i].Y)
				}
				s.area += math.Abs(ringArea(pts))
				s.rings = append(s.rings, pts)
			}
		}
		shapes = append(shapes, s)
	}
	if len(shapes)*10 < 9*w.N() {
		return nil, nil
	}
	// Large regions first, so that a region enclosed by another is drawn
	// on top of it whatever the winding of the rings.
	sort.SliceStable(shapes, func(i, j int) bool { return shapes[i].area > shapes[j].area })
	return shapes, nil
}

func ringArea(p []point) float64 {
	a := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return a / 2
}

// simplify returns ring without the points that lie within tol of the line
// between their kept neighbours (Douglas–Peucker), keeping at least four.
func simplify(ring []point, tol float64) []point {
	n := len(ring)
	if n <= 4 || tol <= 0 {
		return ring
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, n - 1}}
	for len(stack) > 0 {
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, far := -1, tol
		a, b := ring[sp.a], ring[sp.b]
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		for i := sp.a + 1; i < sp.b; i++ {
			p := ring[i]
			var d float64
			if l == 0 {
				d = math.Hypot(p.X-a.X, p.Y-a.Y)
			} else {
				d = math.Abs(dy*(p.X-a.X)-dx*(p.Y-a.Y)) / l
			}
			if d > far {
				best, far = i, d
			}
		}
		if best >= 0 {
			keep[best] = true
			stack = append(stack, span{sp.a, best}, span{best, sp.b})
		}
	}
	out := make([]point, 0, n/2)
	for i, k := range keep {
		if k {
			out = append(out, ring[i])
		}
	}
	if len(out) < 4 {
		return ring
	}
	return out
}
