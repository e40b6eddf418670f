package world

import (
	"math"
	"sort"
)

// Travel times between regions are estimated from the centroids when the
// world has no measured matrix. The estimate is the accepted first
// approximation (data README): great-circle distance × a detour factor ÷ an
// average road speed, plus a fixed access time.
const (
	// EarthRadiusKm is the mean Earth radius (IUGG, 6371.0088 km).
	EarthRadiusKm = 6371.0088

	// DetourFactor is road distance divided by great-circle distance.
	// Route-factor studies of national road networks find 1.2–1.4 (Ballou,
	// Rahardja and Sakai 2002; Boscoe, Henry and Zdeb 2012 report 1.42 for
	// the United States); Norway's fjords and mountains sit at the upper end:
	// Oslo–Bergen is 463 km by road against 299 km between the municipal
	// centroids (1.55), Oslo–Trondheim 495 km against 374 km (1.32).
	DetourFactor = 1.35

	// RoadSpeedKmh is the average door-to-door driving speed. Most Norwegian
	// trunk roads are signed 80 km/h with stretches of 60–110; route planners
	// give Oslo–Bergen 463 km in about 6 h 40 min, i.e. 69 km/h.
	RoadSpeedKmh = 70

	// AccessMinutes is added to every trip between two regions: getting to
	// the main road at one end and from it at the other (local streets,
	// parking), which the centroid distance does not see.
	AccessMinutes = 10

	// MinInternalMinutes is the shortest typical trip inside a region: even a
	// compact town centre takes a few minutes to cross.
	MinInternalMinutes = 5

	// internalDistanceFactor turns sqrt(area) into the typical distance
	// between two places in the region: for random points in a disc of area
	// A the mean distance is 128/(45π)·sqrt(A/π) ≈ 0.51·sqrt(A). Population
	// clusters, so this is an upper-side estimate; 0.5 is used.
	internalDistanceFactor = 0.5
)

// GreatCircleKm returns the great-circle (haversine) distance in kilometres
// between two WGS84 points given in degrees.
func GreatCircleKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dp := p2 - p1
	dl := (lon2 - lon1) * rad
	s := math.Sin(dp / 2)
	t := math.Sin(dl / 2)
	h := s*s + math.Cos(p1)*math.Cos(p2)*t*t
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// EstimateMinutes returns the estimated one-way travel time by road for a
// trip of the given great-circle distance between two different regions:
// AccessMinutes + km·DetourFactor/RoadSpeedKmh·60.
func EstimateMinutes(km float64) float64 {
	return AccessMinutes + km*DetourFactor/RoadSpeedKmh*60
}

// InternalMinutes returns the typical travel time inside a region of the
// given area: 0.5·sqrt(area) kilometres at the road speed with the detour
// factor, and at least MinInternalMinutes.
func InternalMinutes(areaKm2 float64) float64 {
	km := internalDistanceFactor * math.Sqrt(max(areaKm2, 0))
	return max(MinInternalMinutes, km*DetourFactor/RoadSpeedKmh*60)
}

// estimateMatrix fills the n×n matrix of estimated travel times, and
// returns too each region's great-circle distance to its nearest
// neighbour (+Inf for a world of one region). A region without a known
// area (0) is taken to cover a disc whose radius is half that distance.
// Cost O(n²).
func estimateMatrix(regions []Region) ([]float32, []float64) {
	n := len(regions)
	m := make([]float32, n*n)
	// Precompute the trigonometry once per region: haversine with
	// sin²(Δφ/2) and cos φ, O(n) trig calls instead of O(n²).
	const rad = math.Pi / 180
	cosLat := make([]float64, n)
	for i := range regions {
		cosLat[i] = math.Cos(regions[i].Lat * rad)
	}
	nearest := make([]float64, n)
	for i := range nearest {
		nearest[i] = math.Inf(1)
	}
	for i := 0; i < n; i++ {
		ri := &regions[i]
		for j := i + 1; j < n; j++ {
			rj := &regions[j]
			s := math.Sin((rj.Lat - ri.Lat) * rad / 2)
			t := math.Sin((rj.Lon - ri.Lon) * rad / 2)
			h := s*s + cosLat[i]*cosLat[j]*t*t
			km := 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
			v := float32(EstimateMinutes(km))
			m[i*n+j], m[j*n+i] = v, v
			nearest[i] = min(nearest[i], km)
			nearest[j] = min(nearest[j], km)
		}
	}
	for i := range regions {
		area := regions[i].AreaKm2
		if area <= 0 && !math.IsInf(nearest[i], 1) {
			r := nearest[i] / 2
			area = math.Pi * r * r
		}
		m[i*n+i] = float32(InternalMinutes(area))
	}
	return m, nearest
}

// Reach returns, for each region i, the indices of the regions j with
// TravelMinutes(i, j) ≤ maxMinutes, always including i itself, sorted by
// index. The lists share one backing array; callers must not append to
// them. Cost O(n²).
func (w *World) Reach(maxMinutes float32) [][]int32 {
	n := w.N()
	count := 0
	for i := 0; i < n; i++ {
		row := w.Minutes[i*n : (i+1)*n]
		for j, t := range row {
			if t <= maxMinutes || j == i {
				count++
			}
		}
	}
	flat := make([]int32, 0, count)
	out := make([][]int32, n)
	for i := 0; i < n; i++ {
		start := len(flat)
		row := w.Minutes[i*n : (i+1)*n]
		for j, t := range row {
			if t <= maxMinutes || j == i {
				flat = append(flat, int32(j))
			}
		}
		out[i] = flat[start:len(flat):len(flat)]
	}
	return out
}

// ReachablePopulation returns, for each region, the total start-year
// population of the regions within maxMinutes one way (itself included).
// Cost O(n²).
func (w *World) ReachablePopulation(maxMinutes float32) []float64 {
	n := w.N()
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		row := w.Minutes[i*n : (i+1)*n]
		s := 0.0
		for j, t := range row {
			if t <= maxMinutes || j == i {
				s += float64(w.Regions[j].Population)
			}
		}
		out[i] = s
	}
	return out
}

// Nearest returns the indices of the k regions nearest to region i in
// travel time (excluding i), nearest first, ties by index. Cost O(n log n).
func (w *World) Nearest(i, k int) []int {
	n := w.N()
	idx := make([]int, 0, n-1)
	for j := 0; j < n; j++ {
		if j != i {
			idx = append(idx, j)
		}
	}
	row := w.Minutes[i*n : (i+1)*n]
	sort.SliceStable(idx, func(a, b int) bool { return row[idx[a]] < row[idx[b]] })
	if k < len(idx) {
		idx = idx[:k]
	}
	return idx
}
