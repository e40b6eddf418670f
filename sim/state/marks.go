package state

import "sync/atomic"

// Marks is a set of household ids that concurrent goroutines add to, for
// finding the households that two of a list of persons share: Add reports
// whether the household was in the set already. Reset empties it for a
// number of households, keeping room for them to grow.
type Marks struct{ bits []uint64 }

// Reset empties the set and makes room for households [0, n).
func (m *Marks) Reset(n int) {
	words := (n + 63) / 64
	if cap(m.bits) < words {
		m.bits = make([]uint64, words+words/2)
	}
	m.bits = m.bits[:words]
	clear(m.bits)
}

// Add adds household h (≥ 0) and reports whether it was there already.
// Safe for concurrent use.
func (m *Marks) Add(h int32) bool {
	bit := uint64(1) << (h % 64)
	return atomic.OrUint64(&m.bits[h/64], bit)&bit != 0
}

// Has reports whether household h is in the set (not concurrently with Add).
func (m *Marks) Has(h int32) bool { return m.bits[h/64]&(1<<(h%64)) != 0 }
