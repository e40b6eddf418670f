package sensitivity

import (
	"math"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/sweep"
	"github.com/settle-sim/settle/sim/sweep/design"
)

// ishigami is Ishigami and Homma's (1990) test function with a = 7,
// b = 0.1 on [−π, π]³.
func ishigami(x []float64) float64 {
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// The estimators recover the Ishigami function's analytic indices
// (Sobol' and Levitan 1999; the values SALib's tests use): S = 0.3139,
// 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437.
func TestSobolIshigami(t *testing.T) {
	const k = 3
	wantS := []float64{0.3139, 0.4424, 0}
	wantST := []float64{0.5576, 0.4424, 0.2437}
	pts, err := design.Saltelli(1<<13, k, 1)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	x := make([]float64, k)
	for p, u := range pts {
		for i := range x {
			x[i] = -math.Pi + 2*math.Pi*u[i]
		}
		y[p] = ishigami(x)
	}
	res, err := SobolIndices(y, k, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	const tol = 0.02
	for i := range k {
		s, st := res.First[i], res.Total[i]
		t.Logf("x%d: S = %.4f [%.4f, %.4f] (want %.4f), ST = %.4f [%.4f, %.4f] (want %.4f)",
			i+1, s.Value, s.Low, s.High, wantS[i], st.Value, st.Low, st.High, wantST[i])
		if math.Abs(s.Value-wantS[i]) > tol || math.Abs(st.Value-wantST[i]) > tol {
			t.Errorf("x%d: S = %.4f, ST = %.4f; want %.4f, %.4f within %g", i+1, s.Value, st.Value, wantS[i], wantST[i], tol)
		}
		if !(s.Low <= s.Value && s.Value <= s.High && st.Low <= st.Value && st.Value <= st.High) {
			t.Errorf("x%d: the intervals do not hold the estimates", i+1)
		}
		if s.High-s.Low > 0.1 || st.High-st.Low > 0.1 {
			t.Errorf("x%d: intervals wider than 0.1 with 8192 samples", i+1)
		}
	}
	// The analytic variance: a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
	v := 49.0/8 + 0.1*math.Pow(math.Pi, 4)/5 + 0.01*math.Pow(math.Pi, 8)/18 + 0.5
	if math.Abs(res.Variance-v)/v > 0.02 {
		t.Errorf("variance %.4f, want %.4f", res.Variance, v)
	}
}

// An additive function has S_i = ST_i = a_i²·var(x_i)/V.
func TestSobolAdditive(t *testing.T) {
	const k = 4
	a := []float64{1, 2, 0.5, 0}
	pts, _ := design.Saltelli(1<<12, k, 5)
	y := make([]float64, len(pts))
	for p, u := range pts {
		for i := range k {
			y[p] += a[i] * u[i]
		}
	}
	res, err := SobolIndices(y, k, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var v float64
	for _, ai := range a {
		v += ai * ai
	}
	for i := range k {
		want := a[i] * a[i] / v
		if math.Abs(res.First[i].Value-want) > 0.01 || math.Abs(res.Total[i].Value-want) > 0.01 {
			t.Errorf("x%d: S = %.4f, ST = %.4f, want %.4f", i+1, res.First[i].Value, res.Total[i].Value, want)
		}
		if !math.IsNaN(res.First[i].Low) {
			t.Errorf("no bootstrap asked, but an interval")
		}
	}
}

func TestSobolConstant(t *testing.T) {
	y := make([]float64, 5*4)
	res, err := SobolIndices(y, 3, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(res.First[0].Value) || !math.IsNaN(res.Total[2].Value) {
		t.Fatalf("a constant output has undefined indices, got %+v", res)
	}
	if _, err := SobolIndices(make([]float64, 7), 3, 0, 1); err == nil {
		t.Fatal("7 outputs for 3 parameters gave no error")
	}
}

// For y = 2·x1 + x2 + noise with x uniform, SRC_i = a_i·σ_i/σ_y.
func TestSRCLinear(t *testing.T) {
	const n = 2000
	g := rng.New(1, 2)
	x := make([][]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = []float64{g.Float64(), g.Float64(), 0.5, g.Float64()}
		y[i] = 2*x[i][0] + x[i][1] + 0.1*(g.Float64()-0.5)
	}
	res, err := SRC(x, y, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	sx := math.Sqrt(1.0 / 12)
	sy := math.Sqrt(5.0/12 + 0.01/12)
	want := []float64{2 * sx / sy, sx / sy, math.NaN(), 0}
	for i, w := range want {
		c := res.Coef[i]
		if math.IsNaN(w) {
			if !math.IsNaN(c.Value) {
				t.Errorf("constant x%d: SRC %g, want NaN", i+1, c.Value)
			}
			continue
		}
		if math.Abs(c.Value-w) > 0.02 || !(c.Low <= c.Value && c.Value <= c.High) {
			t.Errorf("x%d: SRC %.4f [%.4f, %.4f], want %.4f", i+1, c.Value, c.Low, c.High, w)
		}
	}
	if res.R2 < 0.99 {
		t.Errorf("R² = %.4f, want about 0.998", res.R2)
	}
	if _, err := SRC(x[:3], y[:3], 0, 1); err == nil {
		t.Error("3 points for 3 parameters gave no error")
	}
}

// TestAnalyseFewPoints: a regression on too few points for its parameters
// carries a note with the adjusted R²; one with enough does not.
func TestAnalyseFewPoints(t *testing.T) {
	results := func(points int) *sweep.Results {
		g := rng.New(5, 1)
		r := &sweep.Results{
			Manifest: &sweep.Manifest{Design: sweep.LatinHypercube, Replicates: 1,
				Parameters: []sweep.ManifestParam{{Path: "a", Varies: true}, {Path: "b", Varies: true}}},
			Metrics: []string{"y"},
		}
		// The points of a latin_hypercube, whose parameters hardly
		// correlate (random points correlated at −0.56, with a note).
		for _, u := range design.LatinHypercube(points, 2, 5) {
			a, b := u[0], u[1]
			r.Points = append(r.Points, []float64{a, b})
			r.Values = append(r.Values, []float64{2*a - b + 0.3*g.Float64()})
		}
		return r
	}
	a, err := Analyse(results(8), 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "8 points for 2 parameters leave 5 degrees of freedom") || !strings.Contains(a.Notes[0], "use 13 or more points") {
		t.Errorf("8 points, 2 parameters: notes %q", a.Notes)
	}
	if a, err := Analyse(results(13), 50); err != nil || len(a.Notes) != 0 {
		t.Errorf("13 points, 2 parameters: %v, notes %q; want none", err, a.Notes)
	}
}

// TestAnalyseCorrelated: parameters that correlate over the design's
// points (r = 0.6 here) share their coefficients, and a note says so.
func TestAnalyseCorrelated(t *testing.T) {
	g := rng.New(7, 1)
	r := &sweep.Results{
		Manifest: &sweep.Manifest{Design: sweep.LatinHypercube, Replicates: 1,
			Parameters: []sweep.ManifestParam{{Path: "a", Varies: true}, {Path: "fixed"}, {Path: "b", Varies: true}}},
		Metrics: []string{"y"},
	}
	for range 40 {
		a := g.Float64()
		b := 0.6*a + 0.5*g.Float64()
		r.Points = append(r.Points, []float64{a, 3, b})
		r.Values = append(r.Values, []float64{a + b + 0.1*g.Float64()})
	}
	a, err := Analyse(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "the design's parameters a and b correlate at r = 0.") ||
		!strings.Contains(a.Notes[0], "their squares no longer read as shares of the variance") {
		t.Errorf("notes %q", a.Notes)
	}
}

// A regression that fits its points exactly, or whose resamples cannot
// vary, has no interval (NaN, and NoInterval says why) rather than a
// zero-width one that looks certain.
func TestSRCNoInterval(t *testing.T) {
	// 4 points, 2 of them distinct (a list drawn twice by a Latin
	// hypercube: the same runs), on 1 parameter: an exact fit.
	res, err := SRC([][]float64{{0.8}, {0.8}, {1.2}, {1.2}}, []float64{-3, -3, -5, -5}, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Coef[0]
	if math.Abs(c.Value+1) > 1e-9 || !math.IsNaN(c.Low) || !math.IsNaN(c.High) || res.NoInterval != NoIntervalExact || res.Distinct != 2 {
		t.Errorf("exact fit: SRC %v [%v, %v], %d distinct, %q", c.Value, c.Low, c.High, res.Distinct, res.NoInterval)
	}
	// A 2 × 2 grid: 1 residual degree of freedom, so only the resamples
	// holding every point leave a residual, and they are the points.
	res, err = SRC([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, []float64{1, 2.1, 3.2, 3.9}, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range res.Coef {
		if math.IsNaN(c.Value) || !math.IsNaN(c.Low) || !math.IsNaN(c.High) {
			t.Errorf("2 × 2 grid, x%d: SRC %v [%v, %v]", i+1, c.Value, c.Low, c.High)
		}
	}
	if res.NoInterval != NoIntervalResamples {
		t.Errorf("2 × 2 grid: %q", res.NoInterval)
	}
	// Without resamples asked for, nothing to say.
	if res, _ := SRC([][]float64{{0.8}, {0.8}, {1.2}, {1.2}}, []float64{-3, -3, -5, -5}, 0, 1); res.NoInterval != "" {
		t.Errorf("no bootstrap: %q", res.NoInterval)
	}
	// Analyse says so, counting the distinct points.
	r := &sweep.Results{
		Manifest: &sweep.Manifest{Design: sweep.LatinHypercube, Replicates: 1, Parameters: []sweep.ManifestParam{{Path: "a", Varies: true}}},
		Metrics:  []string{"y"},
		Points:   [][]float64{{0.8}, {0.8}, {1.2}, {1.2}},
		Values:   [][]float64{{-3}, {-3}, {-5}, {-5}},
	}
	a, err := Analyse(r, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := "4 points (2 distinct: a repeated point runs the same seeds, so it adds nothing) for 1 parameter leave no degrees of freedom to the residuals: the linear model fits them exactly, so R² = 1 says nothing and the intervals cannot be estimated (n/a); use 12 or more distinct points"
	if len(a.Notes) != 1 || a.Notes[0] != want {
		t.Errorf("notes %q\nwant %q", a.Notes, want)
	}
}

// TestRoundTicks: labels at round steps, zero among them.
func TestRoundTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{-0.8, 1.9, "-0.5 0.0 0.5 1.0 1.5"},
		{-16.8, 2.7, "-15 -10 -5 0"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
	} {
		var got []string
		for _, tk := range (roundTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("ticks of [%g, %g]: %q, want %q", c.lo, c.hi, strings.Join(got, " "), c.want)
		}
	}
}

// TestAnalyseFewSobolSamples: Sobol' indices from a handful of samples get
// a note, and one that says which leave 0–1 (S1 = 3.1 at N = 2 came
// without a word); enough samples of a smooth function get none.
func TestAnalyseFewSobolSamples(t *testing.T) {
	results := func(n int) *sweep.Results {
		pts, _ := design.Saltelli(n, 2, 5)
		r := &sweep.Results{
			Manifest: &sweep.Manifest{Design: sweep.Sobol, Samples: n, Replicates: 1, Seed: 3,
				Parameters: []sweep.ManifestParam{{Path: "a", Varies: true}, {Path: "b", Varies: true}}},
			Metrics: []string{"y"},
		}
		g := rng.New(7, 1)
		for _, u := range pts {
			r.Points = append(r.Points, []float64{u[0], u[1]})
			r.Values = append(r.Values, []float64{2*u[0] - u[1] + 0.5*g.Float64()})
		}
		return r
	}
	a, err := Analyse(results(2), 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "2 samples are few for Sobol' indices") {
		t.Errorf("2 samples: notes %q", a.Notes)
	}
	if a, err := Analyse(results(256), 20); err != nil || len(a.Notes) != 0 {
		t.Errorf("256 samples: %v, notes %q; want none", err, a.Notes)
	}
}

// TestSobolNotesManySamples: with enough samples an index outside 0–1 is
// noted as sampling error without calling the samples few (the note said
// "128 samples are few … use 64 or more").
func TestSobolNotesManySamples(t *testing.T) {
	a := &Analysis{Method: MethodSobol, Samples: 128, Metrics: []MetricResult{{Name: "y",
		Sobol: &SobolResult{First: []Index{{Value: 1.2}}, Total: []Index{{Value: 0.9}}}}}}
	notes := a.sobolNotes()
	if len(notes) != 1 || strings.Contains(notes[0], "few") || !strings.Contains(notes[0], "1 index lies more than 0.05 outside 0–1") {
		t.Errorf("notes %q", notes)
	}
	a.Metrics[0].Sobol.First[0].Value = 0.8
	if notes := a.sobolNotes(); len(notes) != 0 {
		t.Errorf("128 samples, indices within 0–1: notes %q", notes)
	}
	// Only those outside by more than 0.05 count, as the note says (it
	// said "6 indices lie outside 0–1" of 8 outside).
	a.Metrics[0].Sobol.First[0].Value, a.Metrics[0].Sobol.Total[0].Value = 1.03, -0.2
	if notes := a.sobolNotes(); len(notes) != 1 || !strings.Contains(notes[0], "1 index lies more than 0.05 outside 0–1") {
		t.Errorf("indices 1.03 and −0.2: notes %q", notes)
	}
}
