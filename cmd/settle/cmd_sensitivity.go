package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/sweep"
	"github.com/settle-sim/settle/sim/sweep/sensitivity"
)

func init() {
	register(command{"sensitivity", "global sensitivity of a sweep's metrics to its parameters: a table and a chart", cmdSensitivity})
}

const sensitivityHelpHead = `Usage: settle sensitivity DIR [flags]

Measures how much each parameter of the finished sweep in DIR (settle sweep,
or settle sweep merge for shards) moves each metric, using each point's mean
over its replicates:
  - a sobol design: Sobol' first-order indices S1 (Saltelli et al. 2010), the
    share of a metric's variance a parameter causes alone, and total indices
    ST (Jansen 1999), alone and in interactions with the others;
  - a grid or latin_hypercube design: standardised regression coefficients
    (SRC), with the R² of the linear model (trust them when R² is high).
Each comes with a 95 % bootstrap interval.

It writes into DIR/sensitivity (or --out DIR2), which must not exist or be
empty:
  sensitivity.csv        metric,parameter,measure,value,low,high
  sensitivity.png, .svg  one panel per metric (the first 12)

Flags:
`

// sensitivityCSV is the table's file in the output folder.
const sensitivityCSV = "sensitivity.csv"

// minBootstrap is the fewest bootstrap resamples --bootstrap accepts (0,
// no intervals, aside). The ends of a 95 % percentile interval are the
// 2.5 % and 97.5 % quantiles of the resampled estimates: with 200
// resamples each end is the 5th most extreme of them, with fewer it rests
// on one to four (with 5 the lowest and highest of five draws, an interval
// that may exclude its own estimate), and the interval is noise. Efron and
// Tibshirani (1993, ch. 19) advise about 1000 for percentile intervals;
// the default, sensitivity.DefaultBootstrap, is 500.
const minBootstrap = 200

type sensitivityOptions struct {
	Dir       string
	Out       string // "" = Dir/sensitivity
	Bootstrap int
	Quiet     bool
}

func sensitivityFlags(o *sensitivityOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	fs.StringVar(&o.Out, "out", "", "write the table and chart to `DIR2`, which must not exist or be empty\n(default DIR/sensitivity)")
	fs.IntVar(&o.Bootstrap, "bootstrap", sensitivity.DefaultBootstrap, "`N` bootstrap resamples for the 95 % intervals, at least "+strconv.Itoa(minBootstrap)+"\n(default "+strconv.Itoa(sensitivity.DefaultBootstrap)+"; 0: no intervals)")
	fs.BoolVar(&o.Quiet, "quiet", false, "print only errors and the output folder")
	return fs
}

func cmdSensitivity(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	var o sensitivityOptions
	fs := sensitivityFlags(&o)
	help := sensitivityHelpHead + flagsHelp(fs, "out", "bootstrap", "quiet") + "\n" + exitCodesNoRun
	pos, err := parseArgs(fs, args, help, stdout)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return usagef("which sweep? Give its folder: settle sensitivity DIR (for example settle sensitivity results/teaching-levers/<folder>)")
	case 1:
		o.Dir = pos[0]
	default:
		return usagef("give one sweep folder, not %d arguments", len(pos))
	}
	if o.Bootstrap < 0 {
		return usagef("--bootstrap %d: give a number of resamples, %d or more (the default is %d), or 0 for no intervals", o.Bootstrap, minBootstrap, sensitivity.DefaultBootstrap)
	}
	if o.Bootstrap > 0 && o.Bootstrap < minBootstrap {
		return usagef("--bootstrap %d: too few resamples for a 95 %% interval, whose ends are the 2.5 %% and 97.5 %% quantiles of the resampled estimates; give %d or more (the default is %d), or 0 for no intervals",
			o.Bootstrap, minBootstrap, sensitivity.DefaultBootstrap)
	}
	if isSet(fs, "out") && o.Out == "" {
		return usagef("--out needs a folder name; leave it out for DIR/sensitivity")
	}
	return runSensitivity(o, stdout, stderr)
}

func runSensitivity(o sensitivityOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, o.Quiet)
	if err := needSweep("sensitivity", o.Dir); err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join(o.Dir, "sensitivity")
	}
	if err := checkOut("sensitivity", out); err != nil {
		var ne *output.NotEmptyError
		if errors.As(err, &ne) && ne.Holds(sensitivityCSV) {
			return fmt.Errorf("refusing to overwrite the earlier analysis in %s; give --out DIR2 for a new folder, or delete it", out)
		}
		return err // names an earlier run, sweep or comparison, or says what is there
	}
	res, err := sweep.ReadResults(o.Dir)
	if err != nil {
		return err
	}
	a, err := sensitivity.Analyse(res, o.Bootstrap)
	if err != nil {
		return fmt.Errorf("%s: %w", o.Dir, err)
	}
	// The files first: a reader of the table who stops it (settle
	// sensitivity … | head) ends the process at its next write to the
	// terminal.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := output.WriteFile(filepath.Join(out, sensitivityCSV), a.WriteCSV); err != nil {
		return err
	}
	if _, err := a.WriteCharts(out); err != nil {
		return err
	}
	m := res.Manifest
	switch a.Method {
	case sensitivity.MethodSobol:
		p.Printf("%s: Sobol' indices of %s to %s (N = %d, %s a point)\n\n", m.Name, nouns(len(a.Metrics), "metric"), nouns(len(a.Params), "parameter"), a.Samples, nouns(m.Replicates, "replicate"))
	default:
		p.Printf("%s: standardised regression coefficients of %s on %s (%s of a %s design, %s a point)\n\n", m.Name, nouns(len(a.Metrics), "metric"), nouns(len(a.Params), "parameter"), nouns(a.Samples, "point"), m.Design, nouns(m.Replicates, "replicate"))
	}
	writeSensitivityTable(p.Stdout(), a)
	for _, n := range a.Notes {
		p.Errorf("note: %s", n)
	}
	if o.Quiet {
		p.Resultf("%s\n", out) // the folder alone, as settle run --quiet prints
	} else {
		p.Printf("Results:   %s (sensitivity.csv, sensitivity.png, sensitivity.svg)\n", out)
	}
	return nil
}

// writeSensitivityTable prints a metric per block, a parameter per row.
func writeSensitivityTable(w io.Writer, a *sensitivity.Analysis) {
	const show = 30
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// ci formats an index and its interval; "n/a" for an interval that
	// could not be estimated (a note says why), rather than a zero-width
	// one that would look certain.
	ci := func(ix sensitivity.Index, noInterval bool) string {
		if math.IsNaN(ix.Value) {
			return "–\t"
		}
		s := strconv.FormatFloat(ix.Value, 'f', 3, 64) + "\t"
		switch {
		case noInterval:
			s += "n/a"
		case !math.IsNaN(ix.Low):
			s += fmt.Sprintf("[%.3f, %.3f]", ix.Low, ix.High)
		}
		return s
	}
	if a.Method == sensitivity.MethodSobol {
		fmt.Fprint(tw, "metric\tparameter\tS1\t95% interval\tST\t95% interval\n")
	} else {
		fmt.Fprint(tw, "metric\tparameter\tSRC\t95% interval\tR²\n")
	}
	for mi, m := range a.Metrics {
		if mi == show {
			fmt.Fprintf(tw, "… %d more metrics in sensitivity.csv\n", len(a.Metrics)-show)
			break
		}
		for i, par := range a.Params {
			name := m.Name
			if i > 0 {
				name = ""
			}
			if m.Sobol != nil {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, par, ci(m.Sobol.First[i], false), ci(m.Sobol.Total[i], false))
			} else {
				r2 := ""
				if i == 0 {
					r2 = strconv.FormatFloat(m.SRC.R2, 'f', 2, 64)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, par, ci(m.SRC.Coef[i], m.SRC.NoInterval != ""), r2)
			}
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
}
