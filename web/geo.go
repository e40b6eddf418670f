package web

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/world"
)

// Map is the drawing of a world's regions for the browser: SVG path data in
// a viewBox of Width × Height units (y grows downwards), one entry per
// region in the world's order.
type Map struct {
	World   string      `json:"world"`
	Width   float64     `json:"width"`
	Height  float64     `json:"height"`
	Regions []MapRegion `json:"regions"`
	// Note says how the shapes were made (borders or invented cells).
	Note string `json:"note"`
}

// MapRegion is one region of a Map.
type MapRegion struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	County     string  `json:"county,omitempty"`
	Centrality int     `json:"centrality"`
	Population int     `json:"population"` // real, at the start year
	Path       string  `json:"path"`       // SVG path data; "" when the region has no shape
	X          float64 `json:"x"`          // label point (the region's centroid)
	Y          float64 `json:"y"`
	Island     bool    `json:"island,omitempty"`
}

// mapWidth is the larger side of every map's viewBox, in SVG units.
const mapWidth = 1000.0

// Simplification of Norway's borders for the web, in projected kilometres.
// The map is drawn about 600 px tall for 1,600 km of Norway: 1 px ≈ 2.5 km,
// so a tolerance of 0.7 km removes only detail below a third of a pixel,
// and islands smaller than 4 km² (under a pixel) are dropped unless they
// are a municipality's largest part.
const (
	simplifyKm  = 0.7
	minRingKm2  = 4.0
	tmCentralEW = 15.0 // the central meridian of UTM zone 33, which Norway's national maps use
)

// point is a projected position in kilometres (x east, y north).
type point struct{ x, y float64 }

// project is a spherical transverse Mercator projection with central
// meridian lon0 (degrees), in kilometres: conformal, so Norway's length
// and its northern width are not distorted as in a plain lat/lon plot.
func project(lat, lon, lon0 float64) point {
	const rad = math.Pi / 180
	phi, dl := lat*rad, (lon-lon0)*rad
	b := math.Cos(phi) * math.Sin(dl)
	x := 0.5 * world.EarthRadiusKm * math.Log((1+b)/(1-b))
	y := world.EarthRadiusKm * math.Atan2(math.Tan(phi), math.Cos(dl))
	return point{x, y}
}

// NewMap draws the regions of w: Norway's municipal borders for the world
// "norway-2024" (world.NorwayGeoJSON, simplified with Douglas–Peucker), and
// for every other world invented Voronoi cells around the regions' centroids,
// clipped to a buffered hull, with islands (regions reached only by a ferry)
// drawn apart. Cost: about 50 ms for Norway, done once per world by the
// server.
func NewMap(w *world.World) (*Map, error) {
	if w.Name == "norway-2024" {
		return norwayMap(w)
	}
	return voronoiMap(w), nil
}

// geoJSON is the part of a GeoJSON FeatureCollection that NewMap reads.
type geoJSON struct {
	Features []struct {
		Properties struct {
			Code string `json:"kommunenummer"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func norwayMap(w *world.World) (*Map, error) {
	var g geoJSON
	if err := json.Unmarshal(world.NorwayGeoJSON(), &g); err != nil {
		return nil, fmt.Errorf("web: the embedded Norway borders: %w", err)
	}
	byCode := map[string]int{}
	for i := range w.Regions {
		byCode[w.Regions[i].Code] = i
	}
	rings := make([][][]point, w.N()) // per region, its rings
	for _, f := range g.Features {
		i, ok := byCode[f.Properties.Code]
		if !ok {
			return nil, fmt.Errorf("web: the Norway borders have municipality %s, which the world %s lacks", f.Properties.Code, w.Name)
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("web: borders of %s: %w", f.Properties.Code, err)
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("web: borders of %s: %w", f.Properties.Code, err)
			}
		default:
			return nil, fmt.Errorf("web: borders of %s: geometry %q; expected Polygon or MultiPolygon", f.Properties.Code, f.Geometry.Type)
		}
		for _, poly := range polys {
			for _, ring := range poly {
				pts := make([]point, len(ring))
				for k, c := range ring {
					pts[k] = project(c[1], c[0], tmCentralEW)
				}
				rings[i] = append(rings[i], pts)
			}
		}
	}
	centres := make([]point, w.N())
	for i := range w.Regions {
		centres[i] = project(w.Regions[i].Lat, w.Regions[i].Lon, tmCentralEW)
	}
	for i := range rings {
		rs := rings[i][:0]
		largest := -1.0
		for _, r := range rings[i] {
			largest = max(largest, math.Abs(ringArea(r)))
		}
		for _, r := range rings[i] {
			a := math.Abs(ringArea(r))
			if a < minRingKm2 && a < largest {
				continue
			}
			if s := simplify(r, simplifyKm); len(s) >= 4 {
				rs = append(rs, s)
			}
		}
		rings[i] = rs
	}
	m := fit(w, rings, centres)
	m.Note = "Municipal borders © Kartverket (CC BY 4.0), simplified for the screen."
	return m, nil
}

// fit scales the projected rings and centres into the viewBox and writes
// the SVG paths.
func fit(w *world.World, rings [][][]point, centres []point) *Map {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	grow := func(p point) {
		minX, maxX = min(minX, p.x), max(maxX, p.x)
		minY, maxY = min(minY, p.y), max(maxY, p.y)
	}
	for _, rs := range rings {
		for _, r := range rs {
			for _, p := range r {
				grow(p)
			}
		}
	}
	for _, c := range centres {
		grow(c)
	}
	k := mapWidth / max(maxX-minX, maxY-minY)
	const pad = 10.0
	m := &Map{World: w.Name, Width: math.Ceil((maxX-minX)*k + 2*pad), Height: math.Ceil((maxY-minY)*k + 2*pad)}
	tx := func(p point) (float64, float64) { return (p.x-minX)*k + pad, (maxY-p.y)*k + pad }
	for i := range w.Regions {
		r := &w.Regions[i]
		x, y := tx(centres[i])
		mr := MapRegion{Code: r.Code, Name: r.Name, County: r.County, Centrality: r.Centrality,
			Population: r.Population, X: round1(x), Y: round1(y)}
		var b strings.Builder
		for _, ring := range rings[i] {
			writeRing(&b, ring, tx)
		}
		mr.Path = b.String()
		m.Regions = append(m.Regions, mr)
	}
	return m
}

// writeRing writes a closed ring as SVG path data: an absolute move, then
// relative lines in tenths of a unit (short text, no drift: each step is
// the difference of rounded absolute positions).
func writeRing(b *strings.Builder, ring []point, tx func(point) (float64, float64)) {
	var px, py int64
	n := len(ring)
	if n > 1 && ring[0] == ring[n-1] {
		n-- // GeoJSON repeats the first point; Z closes the path
	}
	for k := range n {
		x, y := tx(ring[k])
		ix, iy := int64(math.Round(x*10)), int64(math.Round(y*10))
		switch {
		case k == 0:
			b.WriteString("M" + tenths(ix) + " " + tenths(iy))
		case ix == px && iy == py:
			continue
		default:
			b.WriteString("l" + tenths(ix-px) + " " + tenths(iy-py))
		}
		px, py = ix, iy
	}
	b.WriteString("Z")
}

// tenths formats v/10 without a trailing ".0".
func tenths(v int64) string {
	s := strconv.FormatFloat(float64(v)/10, 'f', -1, 64)
	return s
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// ringArea returns the signed area of a ring (shoelace), in km².
func ringArea(r []point) float64 {
	a := 0.0
	for k := range r {
		p, q := r[k], r[(k+1)%len(r)]
		a += p.x*q.y - q.x*p.y
	}
	return a / 2
}

// simplify returns the ring reduced by Douglas–Peucker with tolerance tol:
// the points kept are those farther than tol from the chord of the part
// they lie in. A closed ring is split at its first point and the point
// farthest from it, so both halves have a proper chord. Cost O(n log n)
// typical, O(n²) worst case.
func simplify(r []point, tol float64) []point {
	n := len(r)
	if n < 4 {
		return r
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	far, dmax := 0, -1.0
	for k := 1; k < n-1; k++ {
		if d := math.Hypot(r[k].x-r[0].x, r[k].y-r[0].y); d > dmax {
			far, dmax = k, d
		}
	}
	keep[far] = true
	var dp func(lo, hi int)
	dp = func(lo, hi int) {
		if hi-lo < 2 {
			return
		}
		best, bd := -1, tol
		for k := lo + 1; k < hi; k++ {
			if d := segDist(r[k], r[lo], r[hi]); d > bd {
				best, bd = k, d
			}
		}
		if best < 0 {
			return
		}
		keep[best] = true
		dp(lo, best)
		dp(best, hi)
	}
	dp(0, far)
	dp(far, n-1)
	out := make([]point, 0, n/4)
	for k, p := range r {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance from p to the segment a–b.
func segDist(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// Invented shapes for worlds without borders.
const (
	// hullBufferShare is the margin of the country around its outermost
	// centroids, as a share of the extent of the centroids.
	hullBufferShare = 0.09
	// islandExtraMinutes: a region is an island when every trip from it
	// takes at least this much longer than the road estimate from the
	// distance: a ferry's waiting and crossing (the teaching world's
	// Holmøy: 24 minutes or more).
	islandExtraMinutes = 20
)

// voronoiMap draws each region as its cell of a power diagram (a Voronoi
// diagram weighted by population, so that a city is not a sliver between
// its suburbs), clipped to the convex hull of the mainland centroids
// buffered by a margin. An island is drawn as a disc inside its
// own cell, with sea around it. The shapes are invented: only the
// centroids and the ferries come from the world.
func voronoiMap(w *world.World) *Map {
	n := w.N()
	lon0 := 0.0
	for i := range w.Regions {
		lon0 += w.Regions[i].Lon / float64(n)
	}
	sites := make([]point, n)
	for i := range w.Regions {
		sites[i] = project(w.Regions[i].Lat, w.Regions[i].Lon, lon0)
	}
	island := islands(w)
	var mainland []point
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i, s := range sites {
		minX, maxX = min(minX, s.x), max(maxX, s.x)
		minY, maxY = min(minY, s.y), max(maxY, s.y)
		if !island[i] {
			mainland = append(mainland, s)
		}
	}
	buf := max(hullBufferShare*max(maxX-minX, maxY-minY), 5)
	var around []point
	for _, s := range mainland {
		for k := range 24 {
			a := 2 * math.Pi * float64(k) / 24
			around = append(around, point{s.x + buf*math.Cos(a), s.y + buf*math.Sin(a)})
		}
	}
	hull := convexHull(around)
	wt := powerWeights(w, sites)
	rings := make([][][]point, n)
	for i := range sites {
		var cell []point
		if island[i] {
			cell = islandDisc(w, i, sites)
		} else {
			cell = slices.Clone(hull)
		}
		for j := range sites {
			if j != i && len(cell) > 0 {
				cell = clipHalf(cell, sites[i], sites[j], wt[i]-wt[j])
			}
		}
		if len(cell) >= 3 {
			rings[i] = [][]point{cell}
		}
	}
	m := fit(w, rings, sites)
	for i := range m.Regions {
		m.Regions[i].Island = island[i]
	}
	m.Note = "Invented shapes: each region is the area nearest its centre; islands are reached by ferry."
	return m
}

// islands marks the regions whose every trip takes islandExtraMinutes
// more than the road estimate: they are reached by ferry.
func islands(w *world.World) []bool {
	out := make([]bool, w.N())
	if w.N() < 3 {
		return out
	}
	for i := range w.Regions {
		ri := &w.Regions[i]
		out[i] = true
		for j := range w.Regions {
			if j == i {
				continue
			}
			rj := &w.Regions[j]
			est := world.EstimateMinutes(world.GreatCircleKm(ri.Lat, ri.Lon, rj.Lat, rj.Lon))
			if float64(w.TravelMinutes(i, j)) < est+islandExtraMinutes {
				out[i] = false
				break
			}
		}
	}
	return out
}

// islandDisc is a disc around island i: its area's radius, at least a
// visible size, and at most 40 % of the way to the nearest other centroid
// (so that sea shows between it and the mainland).
func islandDisc(w *world.World, i int, sites []point) []point {
	near := math.Inf(1)
	for j := range sites {
		if j != i {
			near = min(near, math.Hypot(sites[j].x-sites[i].x, sites[j].y-sites[i].y))
		}
	}
	r := math.Sqrt(max(w.Regions[i].AreaKm2, 1) / math.Pi)
	r = min(max(r, 0.25*near), 0.4*near)
	var disc []point
	for k := range 32 {
		a := 2 * math.Pi * float64(k) / 32
		// A slight wobble so that it reads as a coast, not a marker.
		rr := r * (1 + 0.08*math.Sin(3*a) + 0.05*math.Cos(5*a))
		disc = append(disc, point{sites[i].x + rr*math.Cos(a), sites[i].y + rr*math.Sin(a)})
	}
	return disc
}

// powerWeights returns each site's weight in the power diagram: c²·population,
// with c such that the most populous region's radius √w is 80 % of the
// distance to its nearest neighbour, and small enough that every site
// stays inside its own cell (w_j − w_i ≤ 0.8·d_ij² for all pairs).
func powerWeights(w *world.World, sites []point) []float64 {
	n := len(sites)
	big := 0
	for i := range w.Regions {
		if w.Regions[i].Population > w.Regions[big].Population {
			big = i
		}
	}
	d2 := func(i, j int) float64 {
		dx, dy := sites[i].x-sites[j].x, sites[i].y-sites[j].y
		return dx*dx + dy*dy
	}
	near := math.Inf(1)
	for j := range n {
		if j != big {
			near = min(near, d2(big, j))
		}
	}
	c2 := 0.64 * near / max(float64(w.Regions[big].Population), 1)
	for i := range n {
		for j := range n {
			if dp := float64(w.Regions[j].Population - w.Regions[i].Population); dp > 0 {
				c2 = min(c2, 0.8*d2(i, j)/dp)
			}
		}
	}
	wt := make([]float64, n)
	if math.IsInf(c2, 0) || math.IsNaN(c2) {
		return wt
	}
	for i := range wt {
		wt[i] = c2 * float64(w.Regions[i].Population)
	}
	return wt
}

// clipHalf clips the convex polygon poly to the half-plane of points that
// belong to a rather than b in a power diagram where a's weight exceeds
// b's by dw: |p−a|² − w_a ≤ |p−b|² − w_b, that is (p−m)·(b−a) ≤ dw/2 with m
// the midpoint (the perpendicular bisector when dw = 0). Sutherland–Hodgman.
func clipHalf(poly []point, a, b point, dw float64) []point {
	mx, my := (a.x+b.x)/2, (a.y+b.y)/2
	dx, dy := b.x-a.x, b.y-a.y
	side := func(p point) float64 { return (p.x-mx)*dx + (p.y-my)*dy - dw/2 } // ≤ 0: a's side
	var out []point
	for k := range poly {
		p, q := poly[k], poly[(k+1)%len(poly)]
		sp, sq := side(p), side(q)
		if sp <= 0 {
			out = append(out, p)
		}
		if (sp < 0 && sq > 0) || (sp > 0 && sq < 0) {
			t := sp / (sp - sq)
			out = append(out, point{p.x + t*(q.x-p.x), p.y + t*(q.y-p.y)})
		}
	}
	return out
}

// convexHull returns the convex hull of pts, counter-clockwise (Andrew's
// monotone chain, O(n log n)).
func convexHull(pts []point) []point {
	pts = slices.Clone(pts)
	slices.SortFunc(pts, func(a, b point) int {
		if a.x != b.x {
			return cmpF(a.x, b.x)
		}
		return cmpF(a.y, b.y)
	})
	cross := func(o, a, b point) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }
	var h []point
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, p := range pts {
			for len(h) >= start+2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(pts)
	}
	return h
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
