package sensitivity

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/settle-sim/settle/sim/sweep"
)

// Methods of an Analysis.
const (
	MethodSobol = "sobol" // Sobol' first-order and total indices
	MethodSRC   = "src"   // standardised regression coefficients
)

// DefaultBootstrap is the number of bootstrap resamples of the intervals.
const DefaultBootstrap = 500

// Analysis is the sensitivity of every metric of a sweep to every
// parameter that varies.
type Analysis struct {
	Method string   // MethodSobol for a sobol design, MethodSRC otherwise
	Params []string // the parameters that vary, in the sweep file's order
	// Samples is N of a sobol design, or the points regressed on.
	Samples int
	Metrics []MetricResult
	// Notes are cautions about what the design can tell (too few points
	// for the parameters regressed on).
	Notes []string
}

// MinResidualDF is the fewest degrees of freedom a regression's residuals
// should have (points less parameters less one): with fewer, R² flatters
// the fit and the coefficients' intervals are wide.
const MinResidualDF = 10

// MetricResult is one metric's sensitivity; Sobol or SRC is set by Method.
type MetricResult struct {
	Name  string
	Sobol *SobolResult
	SRC   *SRCResult
}

// Analyse computes the sensitivity of each metric of res (each point's
// mean over its replicates) with boot bootstrap resamples for the
// intervals, drawn from a stream of the sweep's seed.
func Analyse(res *sweep.Results, boot int) (*Analysis, error) {
	m := res.Manifest
	var vary []int
	for i, p := range m.Parameters {
		if p.Varies {
			vary = append(vary, i)
		}
	}
	if len(vary) == 0 {
		return nil, fmt.Errorf("the sweep varies no parameter (%s × %s), so there is no sensitivity to analyse: nothing to attribute its metrics' spread to. Its runs are in %s, one seed each; settle sweep printed each metric's min, mean, max and sd over them",
			plural(len(res.Points), "point"), plural(m.Replicates, "replicate"), sweep.RunsFile)
	}
	a := &Analysis{Method: MethodSRC, Samples: len(res.Points)}
	for _, i := range vary {
		a.Params = append(a.Params, m.Parameters[i].Path)
	}
	if m.Design == sweep.Sobol {
		a.Method = MethodSobol
		a.Samples = m.Samples
		if len(res.Points) != m.Samples*(len(vary)+2) {
			return nil, fmt.Errorf("a sobol design of %d parameters and %d samples has %d points, this sweep %d; the folder is damaged", len(vary), m.Samples, m.Samples*(len(vary)+2), len(res.Points))
		}
	}
	x := make([][]float64, len(res.Points))
	for p, vals := range res.Points {
		x[p] = make([]float64, len(vary))
		for j, i := range vary {
			x[p][j] = vals[i]
		}
	}
	for mi, name := range res.Metrics {
		y := res.PointMeans(mi)
		r := MetricResult{Name: name}
		if a.Method == MethodSobol {
			s, err := SobolIndices(y, len(vary), boot, m.Seed)
			if err != nil {
				return nil, err
			}
			r.Sobol = &s
		} else {
			s, err := SRC(x, y, boot, m.Seed)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			r.SRC = &s
		}
		a.Metrics = append(a.Metrics, r)
	}
	if a.Method == MethodSRC {
		a.Notes = append(a.Notes, a.regressionNotes(len(vary))...)
		// Correlated inputs share their coefficients (a latin_hypercube
		// of few points; a grid's are uncorrelated).
		if r, pa, pb := res.Correlation(); math.Abs(r) > sweep.CorrelationNote {
			a.Notes = append(a.Notes, sweep.CorrelationText(r, pa, pb))
		}
	} else {
		a.Notes = append(a.Notes, a.sobolNotes()...)
	}
	return a, nil
}

// MinSobolSamples is the fewest Sobol' samples N whose indices are more
// than sampling error: Saltelli et al. (2010) use N in the hundreds to
// thousands; with a handful the estimates leave [0, 1] (S1 = 3.1 at N = 2).
const MinSobolSamples = 64

// sobolNotes are the cautions of Sobol' indices from few samples: an index
// outside [0, 1] is sampling error, not sensitivity.
func (a *Analysis) sobolNotes() []string {
	outside := 0
	for _, r := range a.Metrics {
		for _, ix := range [][]Index{r.Sobol.First, r.Sobol.Total} {
			for _, x := range ix {
				if x.Value < -0.05 || x.Value > 1.05 {
					outside++
				}
			}
		}
	}
	var parts []string
	if a.Samples < MinSobolSamples {
		parts = append(parts, fmt.Sprintf("%s are few for Sobol' indices, whose sampling error shrinks as 1/√N: use %d or more (samples = %d in the sweep file)",
			plural(a.Samples, "sample"), MinSobolSamples, MinSobolSamples))
	}
	if outside > 0 {
		what := fmt.Sprintf("%d indices lie", outside)
		if outside == 1 {
			what = "1 index lies"
		}
		parts = append(parts, fmt.Sprintf("%s more than 0.05 outside 0–1, which an index cannot: read them as sampling error, and use more samples", what))
	}
	if len(parts) == 0 {
		return nil
	}
	return []string{strings.Join(parts, "; ")}
}

// regressionNotes are the cautions of a regression on k parameters: too
// few distinct points for them, and intervals that cannot be estimated.
func (a *Analysis) regressionNotes(k int) []string {
	var notes []string
	n := a.Samples
	distinct := n
	if len(a.Metrics) > 0 {
		distinct = a.Metrics[0].SRC.Distinct
	}
	points, more := plural(n, "point"), "points"
	if distinct < n {
		points += fmt.Sprintf(" (%d distinct: a repeated point runs the same seeds, so it adds nothing)", distinct)
		more = "distinct points"
	}
	df := distinct - k - 1
	// The reason why every metric's intervals are n/a, when it is one.
	allWhy := ""
	for i, r := range a.Metrics {
		w := r.SRC.NoInterval
		if w == "" || (i > 0 && w != allWhy) {
			allWhy = ""
			break
		}
		allWhy = w
	}
	switch {
	case df <= 0:
		notes = append(notes, fmt.Sprintf("%s for %s leave no degrees of freedom to the residuals: the linear model fits them exactly, so R² = 1 says nothing and the intervals cannot be estimated (n/a); use %d or more %s",
			points, plural(k, "parameter"), k+1+MinResidualDF, more))
	case df < MinResidualDF:
		note := fmt.Sprintf("%s for %s leave %s to the residuals: R² flatters the fit (adjusted, 1 − (1 − R²)·%d/%d", points, plural(k, "parameter"), plural(df, "degree")+" of freedom", distinct-1, df)
		for _, r := range a.Metrics {
			if x := r.SRC.R2; !math.IsNaN(x) {
				adj := 1 - (1-x)*float64(distinct-1)/float64(df)
				if math.Abs(adj) < 0.005 {
					adj = 0 // not "-0.00"
				}
				note += fmt.Sprintf(": %s's %.2f is %.2f", r.Name, x, adj)
				break
			}
		}
		if allWhy != "" {
			note += fmt.Sprintf(") and the intervals cannot be estimated (n/a): %s; use %d or more %s", allWhy, k+1+MinResidualDF, more)
		} else {
			note += fmt.Sprintf(") and the intervals are wide; use %d or more %s", k+1+MinResidualDF, more)
		}
		notes = append(notes, note)
	}
	// Metrics whose intervals are n/a for another reason than the one
	// just given.
	var why []string
	names := map[string][]string{}
	for _, r := range a.Metrics {
		w := r.SRC.NoInterval
		if w == "" || (df <= 0 && w == NoIntervalExact) || (df < MinResidualDF && w == allWhy) {
			continue
		}
		if names[w] == nil {
			why = append(why, w)
		}
		names[w] = append(names[w], r.Name)
	}
	for _, w := range why {
		ms := names[w]
		list := strings.Join(ms[:min(5, len(ms))], ", ")
		if len(ms) > 5 {
			list += fmt.Sprintf(" and %d more", len(ms)-5)
		}
		notes = append(notes, fmt.Sprintf("the 95 %% intervals of %s cannot be estimated (n/a): %s; run more points", list, w))
	}
	return notes
}

// plural is "1 point", "2 points".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// CSVHeader are the columns of sensitivity.csv.
var CSVHeader = []string{"metric", "parameter", "measure", "value", "low", "high"}

// WriteCSV writes the analysis as a tidy table: one row per metric,
// parameter and measure (S1 and ST for Sobol' indices, SRC for regression
// coefficients, with their 95 % bootstrap interval low–high), and for a
// regression one row per metric with measure R2 and no parameter. Numbers
// are written as runs.csv writes its values (sweep.FormatMetric: 12
// significant digits, no exponent in the usual range; 17 digits were noise
// of the bootstrap); an undefined one as NaN.
func (a *Analysis) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "NaN"
		}
		return sweep.FormatMetric(v)
	}
	row := func(metric, param, measure string, ix Index) {
		cw.Write([]string{metric, param, measure, f(ix.Value), f(ix.Low), f(ix.High)})
	}
	for _, m := range a.Metrics {
		for i, p := range a.Params {
			if m.Sobol != nil {
				row(m.Name, p, "S1", m.Sobol.First[i])
				row(m.Name, p, "ST", m.Sobol.Total[i])
			} else {
				row(m.Name, p, "SRC", m.SRC.Coef[i])
			}
		}
		if m.SRC != nil {
			row(m.Name, "", "R2", Index{m.SRC.R2, math.NaN(), math.NaN()})
		}
	}
	cw.Flush()
	return cw.Error()
}
