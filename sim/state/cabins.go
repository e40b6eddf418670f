package state

import (
	"math"
	"slices"
)

// Second homes (SSB: about 440,000 holiday homes for 2.6 million
// households): at the start, about one household in five whose head is
// SecondHomeAge or older has one (engine.secondHomes); each year, of the
// households whose head reaches SecondHomeAge, the same share acquires one
// (demography), so that ownership does not die out with the owners of
// 2024. Its adults are the part-time residents of its region.
const (
	SecondHomeShare = 0.2
	SecondHomeAge   = 45
)

// Cabins chooses the region of a second home: a region other than the
// household's own, weighted by its nature amenity and decaying with travel
// time (exp(−minutes/90): most holiday homes are within three hours of
// their owners).
type Cabins struct {
	cdf [][]float64 // per origin, cumulative weights over the regions
	key []float32   // the travel matrix cdf was built for
}

// Update builds the weights when the travel matrix has changed since the
// last call (a region enlargement changes it), in parallel over origins.
func (c *Cabins) Update(s *State) {
	n := s.N()
	if len(c.cdf) == n && slices.Equal(c.key, s.Minutes) {
		return
	}
	c.key = append(c.key[:0], s.Minutes...)
	if len(c.cdf) != n {
		c.cdf = make([][]float64, n)
		for o := range c.cdf {
			c.cdf[o] = make([]float64, n)
		}
	}
	s.ForEach(n, func(o int) {
		row := c.cdf[o]
		acc := 0.0
		for d := 0; d < n; d++ {
			if d != o {
				acc += (0.1 + s.World.Regions[d].Amenities.Nature) * math.Exp(-float64(s.Minutes[o*n+d])/90)
			}
			row[d] = acc
		}
	})
}

// Draw returns the region of a second home for a household living in o,
// from a uniform u in [0, 1). Update must have been called.
func (c *Cabins) Draw(o int, u float64) int {
	row := c.cdf[o]
	x := u * row[len(row)-1]
	d, _ := slices.BinarySearch(row, x)
	// The first region whose cumulative weight reaches x, stepping over o
	// (its weight is zero; only a one-region world returns o).
	for d < len(row)-1 && (d == o || row[d] < x) {
		d++
	}
	return d
}
