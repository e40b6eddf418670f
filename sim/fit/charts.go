package fit

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/targets"
)

// Chart size: 10 × 6 inches, 960 × 576 pixels in PNG (96 dpi).
const (
	ChartWidth  = 10 * vg.Inch
	ChartHeight = 6 * vg.Inch
)

// Chart file names (without extension) written by WriteCharts.
const (
	ScheduleChart   = "schedule"
	DistanceChart   = "distance"
	CentralityChart = "centrality"
)

var (
	red    = color.RGBA{R: 200, G: 40, B: 40, A: 255}
	blue   = color.RGBA{R: 30, G: 90, B: 200, A: 255}
	green  = color.RGBA{R: 20, G: 140, B: 60, A: 255}
	grey   = color.RGBA{R: 120, G: 120, B: 120, A: 255}
	black  = color.RGBA{A: 255}
	orange = color.RGBA{R: 230, G: 130, B: 0, A: 255}
	faint  = color.NRGBA{R: 30, G: 90, B: 200, A: 70}
)

// WriteCharts draws the three charts of `settle fit` into dir, each as PNG
// and SVG: the migration schedule by single year of age and sex against the
// targets' age-group rates and Rogers–Castro curve (schedule.*), flows
// against distance (distance.*) and population change by centrality class
// (centrality.*). It returns the files written.
func WriteCharts(dir string, t *targets.Targets, s Stats) ([]string, error) {
	charts := []struct {
		name string
		make func(*targets.Targets, Stats) (*plot.Plot, error)
	}{
		{ScheduleChart, scheduleChart},
		{DistanceChart, distanceChart},
		{CentralityChart, centralityChart},
	}
	var files []string
	for _, c := range charts {
		p, err := c.make(t, s)
		if err != nil {
			return files, fmt.Errorf("fit: drawing %s: %w", c.name, err)
		}
		for _, ext := range []string{".png", ".svg"} {
			f := filepath.Join(dir, c.name+ext)
			if err := saveChart(p, ChartWidth, ChartHeight, f); err != nil {
				return files, fmt.Errorf("fit: %w", err)
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// chartMargin is the white space kept at a chart's right edge: gonum/plot
// draws the legend's symbols and the last tick label of the x axis (90 of
// the schedule's ages) up to the edge, where a PNG viewer cuts them.
const chartMargin = 3 * vg.Millimeter // 8.5 pt, 11 px of the PNG

// saveChart writes p to path (its extension names the format) through
// output.WriteFile, so that no half-drawn chart is left behind.
func saveChart(p *plot.Plot, w, h vg.Length, path string) error {
	wt, err := draw.NewFormattedCanvas(w, h, strings.TrimPrefix(filepath.Ext(path), "."))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	p.Draw(draw.Crop(draw.New(wt), 0, -chartMargin, 0, 0))
	return output.WriteFile(path, func(out io.Writer) error {
		_, err := wt.WriteTo(out)
		return err
	})
}

// window is the stocks' window: from the 1 January FirstYear to LastYear.
func window(s Stats) string {
	if s.Years == 0 {
		return "no simulated years"
	}
	return fmt.Sprintf("%d–%d", s.FirstYear, s.LastYear)
}

// movesWindow is the moves' window: the moves of the years after the
// first 1 January, recorded on the 1 Januaries after them (as settle fit
// prints it).
func movesWindow(s Stats) string {
	if s.Years == 0 {
		return "no simulated years"
	}
	return fmt.Sprintf("recorded %d–%d", min(s.FirstYear+1, s.LastYear), s.LastYear)
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Top = true
	// In from the right edge, over the data: the axis pads the data to
	// half the last tick label's width, which the legend's symbols took.
	p.Legend.XOffs = -vg.Points(5)
	p.Legend.Padding = vg.Points(3) // rows apart: the default 0 made descenders touch the next row
	p.Add(plotter.NewGrid())
	return p
}

// scheduleChart: moves per 1000 by single year of age, women and men,
// with the targets' age-group rates as steps and the Rogers–Castro curves.
func scheduleChart(t *targets.Targets, s Stats) (*plot.Plot, error) {
	const maxAge = 90
	p := newPlot(fmt.Sprintf("Moves between regions by age, %s (simulated) and targets", movesWindow(s)),
		"age at the move (years)", "moves per 1000 persons per year")
	p.X.Min, p.X.Max = 0, maxAge
	p.Y.Min = 0
	p.X.Tick.Marker = plot.ConstantTicks(ticks(0, maxAge, 5, 10))
	p.Y.Tick.Marker = stepTicks{20}

	// Target age-group rates (both sexes) as steps, and sex-specific ones.
	var groups plotter.XYs
	var sexPts [2]plotter.XYs
	for _, r := range t.AgeRates {
		switch r.Sex {
		case "":
			groups = append(groups, plotter.XY{X: float64(r.Lo), Y: r.PerThousand})
			if r.Hi+1 >= maxAge {
				groups = append(groups, plotter.XY{X: maxAge, Y: r.PerThousand})
			}
		case "f":
			sexPts[0] = append(sexPts[0], plotter.XY{X: float64(r.Lo+r.Hi+1) / 2, Y: r.PerThousand})
		case "m":
			sexPts[1] = append(sexPts[1], plotter.XY{X: float64(r.Lo+r.Hi+1) / 2, Y: r.PerThousand})
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].X < groups[j].X })
	if len(groups) > 1 {
		l, err := plotter.NewLine(groups)
		if err != nil {
			return nil, err
		}
		l.StepStyle = plotter.PostStep
		l.Color, l.Width = grey, vg.Points(4)
		p.Add(l)
		p.Legend.Add("target by age group (both sexes)", l)
	}
	// Simulated rates by five-year group, for a like-for-like comparison.
	var simGroups plotter.XYs
	for lo := 0; lo < maxAge; lo += 5 {
		if v := s.Rate(lo, lo+4, ""); !math.IsNaN(v) {
			simGroups = append(simGroups, plotter.XY{X: float64(lo), Y: v})
		}
	}
	if n := len(simGroups); n > 1 {
		simGroups = append(simGroups, plotter.XY{X: simGroups[n-1].X + 5, Y: simGroups[n-1].Y})
		l, err := plotter.NewLine(simGroups)
		if err != nil {
			return nil, err
		}
		l.StepStyle = plotter.PostStep
		l.Color, l.Width = black, vg.Points(1.5)
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(l)
		p.Legend.Add("simulated by age group (both sexes)", l)
	}
	for sx, c := range []color.Color{red, blue} {
		var xy plotter.XYs
		for a := 0; a <= maxAge; a++ {
			if v := s.RatesByAgeSex[sx][a]; !math.IsNaN(v) {
				// Ages at the move are completed years: plot mid-year.
				xy = append(xy, plotter.XY{X: float64(a) + 0.5, Y: v})
			}
		}
		if len(xy) == 0 {
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = c, vg.Points(1.5)
		p.Add(l)
		p.Legend.Add([]string{"simulated women, single year of age", "simulated men, single year of age"}[sx], l)
		if len(sexPts[sx]) > 0 {
			sc, err := plotter.NewScatter(sexPts[sx])
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: draw.BoxGlyph{}}
			p.Add(sc)
			p.Legend.Add([]string{"target women (age group)", "target men (age group)"}[sx], sc)
		}
	}
	if rc := t.RogersCastro; rc != nil {
		f := plotter.NewFunction(func(x float64) float64 { return 1000 * rc.Rate(x) })
		f.XMin, f.XMax, f.Samples = 0, maxAge, 400
		f.Color, f.Width = green, vg.Points(2)
		p.Add(f)
		a, r := rc.Peak()
		p.Legend.Add(fmt.Sprintf("Rogers–Castro reference (peak %.0f at %.1f)", 1000*r, a), f)
	}
	if s.RCErr == "" && s.RC.N > 0 {
		fitted := s.RC.Schedule
		f := plotter.NewFunction(func(x float64) float64 { return 1000 * fitted.Rate(x) })
		f.XMin, f.XMax, f.Samples = 0, maxAge, 400
		f.Color, f.Width = orange, vg.Points(1.5)
		f.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(f)
		a, r := fitted.Peak()
		p.Legend.Add(fmt.Sprintf("Rogers–Castro fitted to simulation (peak %.0f at %.1f)", 1000*r, a), f)
	}
	// Headroom above the highest curve.
	top := 0.0
	for _, r := range t.AgeRates {
		top = math.Max(top, r.PerThousand)
	}
	for sx := 0; sx < 3; sx++ {
		for a := 0; a <= maxAge; a++ {
			if v := s.RatesByAgeSex[sx][a]; !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
	}
	if top > 0 {
		p.Y.Max = 20 * math.Ceil(top*1.05/20)
	}
	return p, nil
}

func ticks(lo, hi, minor, major int) []plot.Tick {
	var out []plot.Tick
	for v := lo; v <= hi; v += minor {
		t := plot.Tick{Value: float64(v)}
		if v%major == 0 {
			t.Label = fmt.Sprint(v)
		}
		out = append(out, t)
	}
	return out
}

// stepTicks are ticks at multiples of Step, all labelled.
type stepTicks struct{ Step float64 }

func (st stepTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for v := math.Ceil(lo/st.Step) * st.Step; v <= hi+st.Step*1e-9; v += st.Step {
		if math.Abs(v) < st.Step*1e-9 {
			v = 0
		}
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return out
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// decadeTicks are the ticks of an axis of decimal logarithms: the powers
// of ten labelled (1, 10, 100, 1e-06 …), 2…9 times them marked.
type decadeTicks struct{}

func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for m := 1.0; m < 10; m++ {
			v := e + math.Log10(m)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = strconv.FormatFloat(math.Pow(10, e), 'g', -1, 64)
			}
			out = append(out, t)
		}
	}
	return out
}

// maxScatter is the most pairs drawn as dots; more are thinned evenly
// (the fit uses them all), which keeps the SVG small.
const maxScatter = 4000

// distanceChart: pair flows per population product against distance,
// log-log, with binned means and the fitted gravity line.
func distanceChart(t *targets.Targets, s Stats) (*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("Moves between regions against distance, %s (simulated)", movesWindow(s)),
		"distance between centroids (km, log scale)", "moves / (P_origin · P_destination)")
	// Logarithms on linear axes, labelled as powers of ten (plot.LogScale
	// misplaces the padding of the y label in gonum/plot v0.17).
	p.X.Tick.Marker = decadeTicks{}
	p.Y.Tick.Marker = decadeTicks{}
	p.Legend.Top, p.Legend.Left, p.Legend.XOffs = false, true, 0
	if len(s.Pairs) == 0 {
		p.Title.Text += ": no moves"
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 3, -10, -6
		return p, nil
	}
	stride := (len(s.Pairs) + maxScatter - 1) / maxScatter
	var pts plotter.XYs
	for i := 0; i < len(s.Pairs); i += stride {
		q := s.Pairs[i]
		pts = append(pts, plotter.XY{X: math.Log10(q.Km), Y: math.Log10(q.Moves / q.PopProduct)})
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: faint, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	label := fmt.Sprintf("origin–destination pairs with moves (%d)", len(s.Pairs))
	if stride > 1 {
		label = fmt.Sprintf("origin–destination pairs with moves (every %d. of %d)", stride, len(s.Pairs))
	}
	p.Legend.Add(label, sc)

	// Bands over all pairs, those without moves included.
	var means plotter.XYs
	for _, b := range s.DistanceBands {
		if b.Ratio > 0 {
			means = append(means, plotter.XY{X: math.Log10(b.Km), Y: math.Log10(b.Ratio)})
		}
	}
	ms, err := plotter.NewScatter(means)
	if err != nil {
		return nil, err
	}
	ms.GlyphStyle = draw.GlyphStyle{Color: black, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	p.Add(ms)
	p.Legend.Add("all pairs of a distance band: Σ moves / Σ P·P", ms)

	if !math.IsNaN(s.DistanceExponent) {
		lo, hi := math.Inf(1), 0.0
		for _, q := range s.Pairs {
			lo, hi = math.Min(lo, q.Km), math.Max(hi, q.Km)
		}
		a, b := s.DistanceIntercept, s.DistanceExponent
		f := plotter.NewFunction(func(x float64) float64 { return (a - b*x*math.Ln10) / math.Ln10 })
		f.XMin, f.XMax, f.Samples = math.Log10(lo), math.Log10(hi), 2
		f.Color, f.Width = red, vg.Points(2.5)
		p.Add(f)
		label := fmt.Sprintf("gravity model fitted by PPML: exponent %.2f", b)
		if iv := t.DistanceExponent; iv != nil {
			label += fmt.Sprintf(" (target %g–%g)", iv.Min, iv.Max)
		}
		p.Legend.Add(label, f)
	}
	return p, nil
}

// centralityChart: population change by centrality class over the window,
// total and the part net domestic migration accounts for, in per cent of
// the class's population at the start.
func centralityChart(t *targets.Targets, s Stats) (*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("Population change by centrality class, %s (simulated)", window(s)),
		"SSB centrality class (1 = most central, 6 = least)", "change in % of the class's population at the start")
	var classes []int
	for c := range s.ClassPopulation {
		classes = append(classes, c)
	}
	sort.Ints(classes)
	if len(classes) == 0 {
		p.Title.Text += ": no data"
		return p, nil
	}
	var total, dom plotter.Values
	names := make([]string, len(classes))
	for i, c := range classes {
		pop := s.ClassPopulation[c]
		names[i] = fmt.Sprint(c)
		if pop[0] > 0 {
			total = append(total, 100*(pop[1]-pop[0])/pop[0])
			dom = append(dom, 100*s.ClassNetDomestic[c]/pop[0])
		} else {
			total = append(total, 0)
			dom = append(dom, 0)
		}
		names[i] = fmt.Sprintf("%d (share %+.2f pp)", c, 100*s.ClassShareChange[c])
	}
	// The observed net domestic migration of single classes the targets
	// give (per_thousand, a year per 1000) over the window's years: a
	// third bar, in per cent of the population (of the mean population,
	// where the other bars use the start's: close enough to compare).
	obs, observed := make(plotter.Values, len(classes)), false
	for _, c := range t.CentralityGain {
		if len(c.Classes) != 1 || c.PerThousand == nil {
			continue
		}
		if i := slices.Index(classes, c.Classes[0]); i >= 0 {
			obs[i] = *c.PerThousand * float64(s.Years) / 10
			observed = true
		}
	}
	w := vg.Points(28)
	if observed {
		w = vg.Points(20)
	}
	bt, err := plotter.NewBarChart(total, w)
	if err != nil {
		return nil, err
	}
	bd, err := plotter.NewBarChart(dom, w)
	if err != nil {
		return nil, err
	}
	bt.Color, bt.LineStyle.Width, bt.Offset = grey, 0, -w/2
	bd.Color, bd.LineStyle.Width, bd.Offset = blue, 0, w/2
	p.Add(bt, bd)
	p.Legend.Add("total population change", bt)
	p.Legend.Add("by net domestic migration", bd)
	if observed {
		bo, err := plotter.NewBarChart(obs, w)
		if err != nil {
			return nil, err
		}
		bt.Offset, bd.Offset = -w, 0
		bo.Color, bo.LineStyle.Width, bo.Offset = orange, 0, w
		p.Add(bo)
		p.Legend.Add(fmt.Sprintf("by net domestic migration at the observed rate (targets' per_thousand) for %d years", s.Years), bo)
	}
	p.NominalX(names...)
	lo, hi := 0.0, 0.0
	for i := range total {
		lo = math.Min(lo, math.Min(total[i], math.Min(dom[i], obs[i])))
		hi = math.Max(hi, math.Max(total[i], math.Max(dom[i], obs[i])))
	}
	step := niceStep((hi - lo) / 8)
	p.Y.Min, p.Y.Max = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	p.Y.Tick.Marker = stepTicks{step}
	zero, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(len(classes)) - 0.5, Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.Color, zero.Width = black, vg.Points(1)
	p.Add(zero)
	p.X.Label.Text += "; pp: change of the national population share by domestic migration"
	var want []string
	for _, c := range t.CentralityGain {
		if c.ReportOnly {
			continue
		}
		l := c.Label()
		if c.PerThousand != nil && c.Within != nil {
			l += fmt.Sprintf(" (%+g ±%g per 1000 a year)", *c.PerThousand, *c.Within)
		}
		want = append(want, l)
	}
	if len(want) > 0 {
		p.Title.Text += "\ntargets: share of " + strings.Join(want, ", ") + " by domestic migration"
	}
	return p, nil
}
