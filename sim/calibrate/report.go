package calibrate

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/settle-sim/settle/sim/fit"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/world"
)

// Column is one parameter point simulated in one setting: a column of the
// fit report.
type Column struct {
	Label string // "start", "fitted", "validation"
	Scale float64
	Years int
	Seeds []uint64
	Rows  [][]fit.Row // fit.Compare of each seed's run, in Seeds order
	Loss  []float64   // fit.Loss of each seed's run
}

// MeanLoss returns the mean loss over the seeds.
func (c *Column) MeanLoss() float64 { return mean(c.Loss) }

// Report is the fit table of a calibration: the start point and the fitted
// point with the calibration's scale and seeds, and the fitted point in the
// validation setting (a larger scale, other seeds).
type Report struct {
	Targets *Targets
	World   string
	// WorldFiles are the user's files the world was read from, with their
	// SHA-256 (world.World.Files).
	WorldFiles []world.File
	Columns    []Column
}

// MakeReport simulates the columns of the report: start (base) and fitted
// (res.Params) at the calibration's scale, years and seeds, and fitted at
// the validation scale and seeds (see Spec.ValidateScale). Cost: about
// 2·len(Seeds) calibration evaluations plus the validation runs.
func MakeReport(ctx context.Context, w *world.World, t *Targets, s *Spec, base params.Params, res *Result, workers int) (*Report, error) {
	r := &Report{Targets: t, World: s.World, WorldFiles: w.Files}
	vscale, vseeds := s.validation()
	for _, c := range []struct {
		label string
		p     params.Params
		scale float64
		seeds []uint64
	}{
		{"start", base, s.Scale, s.Seeds},
		{"fitted", res.Params, s.Scale, s.Seeds},
		{"validation", res.Params, vscale, vseeds},
	} {
		runs, err := Simulate(ctx, w, c.p, c.scale, s.Years, c.seeds, workers, FitScorer(t.Targets).NewRun)
		if err != nil {
			return nil, err
		}
		col := Column{Label: c.label, Scale: c.scale, Years: s.Years, Seeds: c.seeds}
		for _, run := range runs {
			fr := run.(*FitRun)
			col.Rows = append(col.Rows, fit.Compare(t.Targets, fr.Stats()))
			col.Loss = append(col.Loss, fr.Loss())
		}
		r.Columns = append(r.Columns, col)
	}
	return r, nil
}

// WorldText names a calibration's world and the user's files it was read
// from (world.World.Files), each with the first 12 hex digits of its
// SHA-256: "teaching", or "../w/regions.csv (sha256 3f2a9c01b2d4), travel
// times ../w/travel.csv (sha256 9b1c0e7a55f3)".
func WorldText(name string, files []world.File) string {
	s := name
	for _, f := range files {
		sum := f.SHA256[:min(12, len(f.SHA256))]
		switch {
		case f.Role == world.RegionsFile && f.Path == name:
			s += " (sha256 " + sum + ")"
		case f.Role == world.TravelFile:
			s += ", travel times " + f.Path + " (sha256 " + sum + ")"
		default:
			s += ", " + f.Role + " " + f.Path + " (sha256 " + sum + ")"
		}
	}
	return s
}

// cell is one statistic of a column, summarised over its seeds.
type cell struct {
	sim, err   float64 // mean simulated value and its error against the target
	met, seeds int     // seeds whose run met the target
}

func (c *Column) cell(i int) cell {
	var out cell
	var sum float64
	for _, rows := range c.Rows {
		r := rows[i]
		sum += r.Simulated
		out.seeds++
		if r.OK {
			out.met++
		}
	}
	out.sim = sum / float64(out.seeds)
	r := c.Rows[0][i]
	if r.Relative && r.Target != 0 {
		out.err = (out.sim - r.Target) / r.Target
	} else {
		out.err = out.sim - r.Target
	}
	return out
}

// Met counts, over every seed's run, the checked rows met and checked.
func (c *Column) Met() (ok, checked int) {
	for _, rows := range c.Rows {
		o, n := fit.Met(rows)
		ok += o
		checked += n
	}
	return ok, checked
}

// WriteText writes the report as an aligned table: each statistic's target
// and accepted range, its mean over the seeds in every column, the error of
// that mean, and in how many seeds' runs the target was met.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Fit to %s (sha256 %s), world %s\n\n", r.Targets.File, r.Targets.SHA256[:12], WorldText(r.World, r.WorldFiles))
	for _, c := range r.Columns {
		fmt.Fprintf(&b, "  %-11s scale %g, %d years, seeds %s: loss %.4g\n", c.Label+":", c.Scale, c.Years, seedList(c.Seeds), c.MeanLoss())
	}
	b.WriteString("\n  (each value is the mean over the seeds; met = seeds whose run meets the target)\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Names are padded to one width so that they read left-aligned in a
	// table whose cells tabwriter aligns right.
	width := 0
	for _, row := range r.Columns[0].Rows[0] {
		width = max(width, utf8.RuneCountInString(row.Name))
	}
	fmt.Fprintf(tw, "%-*s\ttarget\taccepted\t", width, "statistic")
	for _, c := range r.Columns {
		fmt.Fprintf(tw, "%s\terror\tmet\t", c.Label)
	}
	fmt.Fprintln(tw)
	for i, row := range r.Columns[0].Rows[0] {
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t", width, row.Name, num(row.Target), accepted(row))
		for _, c := range r.Columns {
			x := c.cell(i)
			met := "–"
			if row.Checked {
				met = fmt.Sprintf("%d/%d", x.met, x.seeds)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t", num(x.sim), errText(row, x.err), met)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\nchecked targets met, over all seeds' runs:")
	for _, c := range r.Columns {
		ok, n := c.Met()
		fmt.Fprintf(&b, " %s %d/%d;", c.Label, ok, n)
	}
	_, err := io.WriteString(w, strings.TrimSuffix(b.String(), ";")+"\n")
	return err
}

func num(x float64) string {
	switch a := math.Abs(x); {
	case math.IsNaN(x): // no target (a reference), or not measurable
		return "–"
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

func accepted(r fit.Row) string {
	switch {
	case !r.Checked:
		return "–"
	case !math.IsNaN(r.Min) && !math.IsNaN(r.Max):
		return num(r.Min) + "–" + num(r.Max)
	case !math.IsNaN(r.Min):
		return "> " + num(r.Min)
	case !math.IsNaN(r.Max):
		return "< " + num(r.Max)
	}
	return "–"
}

func errText(r fit.Row, e float64) string {
	if math.IsNaN(e) {
		return "–"
	}
	if r.Relative {
		return fmt.Sprintf("%+.1f%%", 100*e)
	}
	s := fmt.Sprintf("%+.3g", e)
	if r.Unit != "" {
		s += " " + r.Unit
	}
	return s
}

// WriteCSV writes the report as a tidy table: one row per column, seed and
// statistic, and a row with seed "mean" per column and statistic. The
// columns are those of settle fit's fit.csv where they mean the same
// (error_is_relative says whether error is a fraction of the target or in
// the unit), and run_loss is the loss of the whole run the row belongs to
// (the mean over the seeds in the "mean" rows), the same on each of its
// rows.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"column", "scale", "years", "seed", "id", "statistic", "unit", "target", "min", "max",
		"simulated", "error", "error_is_relative", "checked", "ok", "run_loss", "detail"})
	// Empty where there is no value (as in settle fit's fit.csv).
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 8, 64)
	}
	for _, c := range r.Columns {
		for k, rows := range c.Rows {
			for _, row := range rows {
				cw.Write([]string{c.Label, f(c.Scale), strconv.Itoa(c.Years), strconv.FormatUint(c.Seeds[k], 10), row.ID, row.Name, row.Unit,
					f(row.Target), f(row.Min), f(row.Max), f(row.Simulated), f(row.Error), strconv.FormatBool(row.Relative),
					strconv.FormatBool(row.Checked), strconv.FormatBool(row.OK), f(c.Loss[k]), row.Detail})
			}
		}
		for i, row := range c.Rows[0] {
			x := c.cell(i)
			cw.Write([]string{c.Label, f(c.Scale), strconv.Itoa(c.Years), "mean", row.ID, row.Name, row.Unit,
				f(row.Target), f(row.Min), f(row.Max), f(x.sim), f(x.err), strconv.FormatBool(row.Relative),
				strconv.FormatBool(row.Checked), strconv.FormatBool(x.met == x.seeds), f(c.MeanLoss()), ""})
		}
	}
	cw.Flush()
	return cw.Error()
}
