package sensitivity

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/settle-sim/settle/sim/output"
)

// ChartName is the name (without extension) of the chart WriteCharts
// draws, as PNG and SVG.
const ChartName = "sensitivity"

// MaxPanels is the most metrics the chart shows (the first ones, in the
// sweep file's order); the CSV has them all.
const MaxPanels = 12

var (
	blue   = color.RGBA{R: 30, G: 90, B: 200, A: 255}
	orange = color.RGBA{R: 230, G: 130, B: 0, A: 255}
	grey   = color.RGBA{R: 90, G: 90, B: 90, A: 255}
)

// WriteCharts draws one panel per metric (at most MaxPanels), three
// across: the Sobol' indices S1 and ST of each parameter as bars with
// their bootstrap intervals, or the standardised regression coefficients
// with the model's R². It writes dir/sensitivity.png and .svg and returns
// their paths.
func (a *Analysis) WriteCharts(dir string) ([]string, error) {
	n := min(len(a.Metrics), MaxPanels)
	if n == 0 {
		return nil, nil
	}
	cols := min(n, 3)
	rows := (n + cols - 1) / cols
	panelW := 5 * vg.Inch
	panelH := 3.6 * vg.Inch
	w, h := vg.Length(cols)*panelW, vg.Length(rows)*panelH+0.5*vg.Inch
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for c := range plots[r] {
			i := r*cols + c
			if i >= n {
				continue
			}
			p, err := a.panel(&a.Metrics[i], panelW)
			if err != nil {
				return nil, fmt.Errorf("sensitivity: drawing %s: %w", a.Metrics[i].Name, err)
			}
			plots[r][c] = p
		}
	}
	title := "Sobol' indices: first order S1 (blue), total ST (orange), with 95 % bootstrap intervals"
	if a.Method == MethodSRC {
		title = "Standardised regression coefficients with 95 % bootstrap intervals"
	}
	if len(a.Metrics) > n {
		title += fmt.Sprintf(" — the first %d of %d metrics", n, len(a.Metrics))
	}
	titleFont := plot.DefaultFont
	titleFont.Size = vg.Points(15)
	draw1 := func(c draw.Canvas) {
		c.FillText(draw.TextStyle{Color: color.Black, Font: titleFont, Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YTop},
			vg.Point{X: w / 2, Y: h - 0.15*vg.Inch}, title)
		body := draw.Crop(c, 0, 0, 0, -0.5*vg.Inch)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 0.2 * vg.Inch, PadY: 0.2 * vg.Inch, PadTop: 0.1 * vg.Inch, PadBottom: 0.1 * vg.Inch, PadLeft: 0.1 * vg.Inch, PadRight: 0.1 * vg.Inch}
		canvases := plot.Align(plots, tiles, body)
		for r := range plots {
			for c := range plots[r] {
				if plots[r][c] != nil {
					plots[r][c].Draw(canvases[r][c])
				}
			}
		}
	}
	var files []string
	for _, ext := range []string{".png", ".svg"} {
		path := filepath.Join(dir, ChartName+ext)
		var wt io.WriterTo
		if ext == ".png" {
			img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))
			dc := draw.New(img)
			dc.SetColor(color.White)
			dc.Fill(dc.Rectangle.Path())
			draw1(dc)
			wt = vgimg.PngCanvas{Canvas: img}
		} else {
			svg := vgsvg.New(w, h)
			draw1(draw.New(svg))
			wt = svg
		}
		if err := output.WriteFile(path, func(w io.Writer) error {
			_, err := wt.WriteTo(w)
			return err
		}); err != nil {
			return files, fmt.Errorf("sensitivity: %w", err)
		}
		files = append(files, path)
	}
	return files, nil
}

// label shortens a parameter path for an axis: behaviour.move_scale →
// move_scale, intervention.Rogfast.share → Rogfast.share.
func label(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, "behaviour."), "intervention.")
}

func (a *Analysis) panel(m *MetricResult, width vg.Length) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = m.Name
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Add(plotter.NewGrid())
	k := len(a.Params)
	names := make([]string, k)
	for i, s := range a.Params {
		names[i] = label(s)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(k)-0.4
	if k > 2 {
		p.X.Tick.Label.Rotation = math.Pi / 8
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	barW := max(2*vg.Millimeter, (width-1.2*vg.Inch)/vg.Length(k)*0.35)
	type series struct {
		ix    []Index
		shift float64
		col   color.Color
	}
	var ss []series
	if m.Sobol != nil {
		p.Y.Label.Text = "share of variance"
		p.Y.Min, p.Y.Max = 0, 1
		ss = []series{{m.Sobol.First, -0.18, blue}, {m.Sobol.Total, 0.18, orange}}
	} else {
		p.Y.Label.Text = "SRC"
		p.Y.Min, p.Y.Max = -1, 1
		p.Title.Text += fmt.Sprintf(" (R² = %.2f)", m.SRC.R2)
		ss = []series{{m.SRC.Coef, 0, blue}}
	}
	p.Y.Tick.Marker = roundTicks{}
	for _, s := range ss {
		vals := make(plotter.Values, k)
		var xys plotter.XYs
		var errs plotter.YErrors
		for i, ix := range s.ix {
			if !math.IsNaN(ix.Value) {
				vals[i] = ix.Value
				p.Y.Min, p.Y.Max = min(p.Y.Min, ix.Value, nz(ix.Low)), max(p.Y.Max, ix.Value, nz(ix.High))
			}
			if !math.IsNaN(ix.Low) {
				xys = append(xys, plotter.XY{X: float64(i) + s.shift, Y: ix.Value})
				errs = append(errs, struct{ Low, High float64 }{ix.Value - ix.Low, ix.High - ix.Value})
			}
		}
		bars, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return nil, err
		}
		bars.XMin = s.shift
		bars.Color = s.col
		bars.LineStyle.Width = 0
		p.Add(bars)
		if len(xys) > 0 {
			eb := &plotter.YErrorBars{XYs: xys, YErrors: errs, LineStyle: plotter.DefaultLineStyle, CapWidth: barW / 2}
			eb.LineStyle.Color = grey
			p.Add(eb)
		}
	}
	return p, nil
}

// roundTicks labels an axis at multiples of a round step (1, 2 or 5 times
// a power of ten) that gives 3 to 7 labels, zero among them when it is in
// range, with minor ticks between.
type roundTicks struct{}

func (roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var out []plot.Tick
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
		if minor := v + step/2; minor < hi {
			out = append(out, plot.Tick{Value: minor})
		}
	}
	return out
}

// nz returns 0 for NaN, so undefined bounds do not stretch an axis.
func nz(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}
