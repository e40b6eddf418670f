package fit

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/settle-sim/settle/sim/targets"
)

// TestFitRogersCastroRecovers fits schedules generated from known
// parameters (MODEL.md's Norwegian one and a flatter, later one) and checks
// that the fit recovers them.
func TestFitRogersCastroRecovers(t *testing.T) {
	for _, want := range []targets.Schedule{
		{A1: 0.070, Alpha1: 0.174, A2: 0.281, Mu2: 21.4, Alpha2: 0.135, Lambda2: 0.274, C: 0.0126},
		{A1: 0.04, Alpha1: 0.09, A2: 0.2, Mu2: 19, Alpha2: 0.1, Lambda2: 0.45, C: 0.005},
	} {
		var ages, rates []float64
		for x := 0; x < 80; x++ {
			ages = append(ages, float64(x))
			rates = append(rates, want.Rate(float64(x)))
		}
		got, err := FitRogersCastro(ages, rates)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			name      string
			want, got float64
		}{{"a1", want.A1, got.A1}, {"alpha1", want.Alpha1, got.Alpha1}, {"a2", want.A2, got.A2}, {"mu2", want.Mu2, got.Mu2},
			{"alpha2", want.Alpha2, got.Alpha2}, {"lambda2", want.Lambda2, got.Lambda2}, {"c", want.C, got.C}} {
			if math.Abs(p.got-p.want) > 0.01*p.want {
				t.Errorf("%s = %.5g, want %.5g (1 %%)", p.name, p.got, p.want)
			}
		}
		if got.RMSE > 1e-5 {
			t.Errorf("RMSE %g on exact data", got.RMSE)
		}
	}
}

// TestFitRogersCastroNoisy fits MODEL.md's schedule with 5 % noise (a
// fixed seed): single parameters trade off against each other, but the
// curve's peak is recovered.
func TestFitRogersCastroNoisy(t *testing.T) {
	want := targets.Schedule{A1: 0.070, Alpha1: 0.174, A2: 0.281, Mu2: 21.4, Alpha2: 0.135, Lambda2: 0.274, C: 0.0126}
	rnd := rand.New(rand.NewPCG(1, 2))
	var ages, rates []float64
	for x := 0; x < 80; x++ {
		ages = append(ages, float64(x))
		rates = append(rates, want.Rate(float64(x))*(1+0.05*rnd.NormFloat64()))
	}
	got, err := FitRogersCastro(ages, rates)
	if err != nil {
		t.Fatal(err)
	}
	wa, wr := want.Peak()
	ga, gr := got.Peak()
	if math.Abs(ga-wa) > 0.5 || math.Abs(gr-wr) > 0.05*wr {
		t.Errorf("peak %.4f at %.2f, want %.4f at %.2f", gr, ga, wr, wa)
	}
	// The residuals are the noise: 5 % of rates around 0.03 on average.
	if got.RMSE > 0.004 {
		t.Errorf("RMSE %g", got.RMSE)
	}
}

func TestFitRogersCastroErrors(t *testing.T) {
	if _, err := FitRogersCastro([]float64{20, 21, 22}, []float64{0.1, 0.1, 0.1}); err == nil {
		t.Error("3 ages: no error")
	}
	if _, err := FitRogersCastro([]float64{1, 2}, []float64{0.1}); err == nil {
		t.Error("lengths differ: no error")
	}
	ages := []float64{0, 5, 10, 20, 30, 40, 50, 60}
	if _, err := FitRogersCastro(ages, make([]float64, len(ages))); err == nil {
		t.Error("all zero: no error")
	}
}
