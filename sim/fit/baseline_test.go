package fit_test

import (
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/fit"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

// TestDefaultsMeetTargets is issue 3's check on a reduced scale: the
// default behaviour, simulated for the targets' 20-year window on Norway at
// scale 0.3, meets every checked target of targets/norway.toml: each
// five-year age group's moving rate within 20 % at ages 0–69, 41–46 moves
// per 1000, the peak at ages 21–27, women aged 20–24 moving more than men,
// centrality classes 1–3 gaining and 5–6 losing population share through
// domestic migration, by 2 ± 1.5 and 6 ± 3 per 1000 a year, a distance
// exponent between 1 and 2, and the shares of 35-year-olds living where
// they grew up within 0.1 of SSB's (0.50 nationally; 0.52, 0.45 and 0.35
// for those from centrality classes 1, 5 and 6).
//
// Scale 0.3 rather than smaller: the young move a few per cent less at
// scale 0.1 than at full scale (docs/calibration.md), so a smaller sample
// would test a slightly different model.
func TestDefaultsMeetTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("Norway at scale 0.3 for 20 years")
	}
	tg, err := targets.Load("../../targets/norway.toml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 1, Scale: 0.3, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	acc := fit.NewAccumulator(w, tg)
	acc.Add(sim.Observe())
	for y := 0; y < tg.Years; y++ {
		acc.Add(sim.Step())
	}
	rows := fit.Compare(tg, acc.Stats())
	for _, r := range rows {
		if !r.Checked {
			continue
		}
		t.Logf("%-45s target %8.2f  simulated %8.2f  %s", r.Name, r.Target, r.Simulated, map[bool]string{true: "ok", false: "MISSED"}[r.OK])
		if !r.OK {
			t.Errorf("%s: simulated %.2f, target %.2f (%s)", r.Name, r.Simulated, r.Target, r.Detail)
		}
	}
	if ok, n := fit.Met(rows); n < 20 {
		t.Errorf("only %d checked targets (%d met): targets/norway.toml lost some", n, ok)
	}
}
