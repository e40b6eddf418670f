package main

import (
	"testing"
	"time"
)

// TestRateText: a progress bar's rate in the unit that gives a figure of
// at least one, with three digits.
func TestRateText(t *testing.T) {
	for _, c := range []struct {
		n    int
		d    time.Duration
		want string
	}{
		{30, 9 * time.Second, "3.33 years/s"},
		{1, 300 * time.Millisecond, "3.33 years/s"},
		{1, 20 * time.Second, "3 years/min"},
		{3, 125 * time.Second, "1.44 years/min"},
		{1, 2 * time.Hour, "0.5 years/hr"},
		{1, 0, "1e+09 years/s"},
	} {
		if got := rateText(c.n, c.d, "years"); got != c.want {
			t.Errorf("rateText(%d, %v) = %q, want %q", c.n, c.d, got, c.want)
		}
	}
}
