package targets_test

import (
	"fmt"

	"github.com/settle-sim/settle/sim/targets"
)

func ExampleParse() {
	t, err := targets.Parse("mini.toml", []byte(`
name = "mini"
years = 10

[age_rates]
tolerance = 0.2
source = "SSB 2004/2009"
groups = [
  { ages = "20-24", per_thousand = 130 },
  { ages = "70+", per_thousand = 5, report_only = true },
]

[moves_per_thousand]
min = 41
max = 46

[[centrality_share]]
classes = [5, 6]
change = "lose"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range t.AgeRates {
		fmt.Printf("%s: %g per 1000 ±%g%%, report only: %v\n", r.Label(), r.PerThousand, 100*r.Tolerance, r.ReportOnly)
	}
	fmt.Printf("moves per 1000: %g–%g, point %g\n", t.MovesPerThousand.Min, t.MovesPerThousand.Max, t.MovesPerThousand.Point())
	fmt.Println(t.CentralityGain[0].Label())

	_, err = targets.Parse("bad.toml", []byte("[peak_age]\nmin = 27\nmax = 21\n"))
	fmt.Println(err)
	// Output:
	// 20-24: 130 per 1000 ±20%, report only: false
	// 70+: 5 per 1000 ±20%, report only: true
	// moves per 1000: 41–46, point 43.5
	// classes 5-6 lose
	// bad.toml:2: peak_age.min: min 27 is above max 21; swap them
}
