package report

import (
	"slices"
	"testing"
)

// TestExplainTopNet: the largest net gains and losses are the partners'
// In − Out, not their gross moves: the largest destination (Out) is often
// not the largest net loss, which the closing sentence of settle explain
// named it as. Partners whose net is 0, or of the other sign, are left out.
func TestExplainTopNet(t *testing.T) {
	e := &Explanation{Partners: []Partner{
		{Region: 1, In: 5000, Out: 6680}, // the largest destination: -1,680
		{Region: 2, In: 2000, Out: 6080}, // -4,080
		{Region: 3, In: 1000, Out: 4460}, // -3,460
		{Region: 4, In: 3000, Out: 1000}, // +2,000
		{Region: 5, In: 700, Out: 700},   // 0
		{Region: 6, In: 900, Out: 0},     // +900
	}}
	regions := func(ps []Partner) []int {
		var r []int
		for _, p := range ps {
			r = append(r, p.Region)
		}
		return r
	}
	for _, c := range []struct {
		name string
		got  []Partner
		want []int
	}{
		{"destinations", e.TopDestinations(1), []int{1}},
		{"losses", e.TopNetLosses(2), []int{2, 3}},
		{"all losses", e.TopNetLosses(10), []int{2, 3, 1}},
		{"gains", e.TopNetGains(10), []int{4, 6}},
	} {
		if got := regions(c.got); !slices.Equal(got, c.want) {
			t.Errorf("%s: regions %v, want %v", c.name, got, c.want)
		}
	}
	if got := (&Explanation{Partners: []Partner{{Region: 1, In: 3, Out: 3}}}).TopNetGains(5); len(got) != 0 {
		t.Errorf("a balanced partner is a net gain: %v", got)
	}
}
