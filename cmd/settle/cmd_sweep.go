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
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/sweep"
)

func init() {
	register(command{"sweep", "run a parameter sweep (also: sweep merge, sweep slurm for clusters)", cmdSweep})
}

const sweepHelpHead = `Usage: settle sweep FILE [flags]
       settle sweep merge [--out DIR] DIR...
       settle sweep slurm FILE --tasks N [flags]

Runs the parameter sweep FILE (TOML, see docs/sweeps.md): the base scenario
it names, once per point of its design (grid, latin_hypercube or sobol) and
replicate, and records its metrics of each run. Every point is checked
before anything runs. The runs go side by side, --workers at a time, each on
one CPU, so memory grows with the workers, not with the runs.

It writes to a new folder results/<sweep name>/<date-time>-s<seed>/ (or
--out DIR, which must not exist or be empty):
  runs.csv       run_id,point,replicate,seed,<parameters…>,metric,value: one
                 row per run and metric, in run order
  runs.parquet   the same table as Parquet (pandas, polars, R's arrow)
  points.csv     the design: each point's parameter values
  sweep.toml     a copy of the sweep file, and scenario.toml of its base
                 scenario, as the sweep read them
  manifest.json  the sweep file's and scenario's SHA-256, seeds, engine …
  runs.journal   the finished runs, as they finished

Replicate r of every point runs with seed s+r (s: the sweep's seed), the same
at every point; for more seeds raise replicates (the seed is no parameter).
A sweep without [[parameter]] entries runs the base scenario replicates
times. The files are the same bytes for any --workers.

Ctrl-C (or SIGTERM) stops the runs in progress at their next simulated year
and drops them; every run that finished, even while stopping, stays in
runs.journal, and the same command with --resume runs only the others (the
dropped ones from their start). A second Ctrl-C ends settle at once; the
journal still holds whole runs only.

On a cluster, --shard I/N runs the runs whose id ≡ I (mod N) into
DIR/shard-I-of-N (--out DIR is required). Without --shard, the shard is read
from SLURM_ARRAY_TASK_ID (and SLURM_ARRAY_TASK_COUNT) or from Kubernetes'
JOB_COMPLETION_INDEX (with --shards N). Then
  settle sweep merge DIR
joins the shards into DIR with the same runs.csv and runs.parquet as one
machine writes, and
  settle sweep slurm FILE --tasks N
writes a ready sbatch job-array script. docs/sweeps.md shows Slurm and
Kubernetes Indexed Jobs.

Flags:
`

// sweepOptions are the options of settle sweep.
type sweepOptions struct {
	File    string
	Out     string // "" = a new folder under Results
	Workers int    // runs side by side; 0 = one per CPU
	Resume  bool
	Shard   string // "I/N", or "" for the environment or the whole sweep
	Shards  int    // the number of shards with JOB_COMPLETION_INDEX
	DryRun  bool
	Quiet   bool
	Cmdline []string
	// Overrides of the file: --scale, --years, --replicates.
	Overrides sweep.Overrides

	// Results is the base folder of default sweep folders ("results").
	Results string
	// getenv reads the environment (nil: os.Getenv); tests give their own.
	getenv func(string) string
	// progress, when not nil, is called after each finished run (tests).
	progress func(done, total int)
}

func sweepFlags(o *sweepOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.StringVar(&o.Out, "out", "", "write to `DIR`, which must not exist or be empty (with --resume: the\nsweep to continue; with shards: the folder all shards share)\n(default results/<sweep name>/<date-time>-s<seed>)")
	fs.IntVar(&o.Workers, "workers", 0, "run `N` simulations side by side, one CPU each (default one per\nCPU: "+strconv.Itoa(runtime.NumCPU())+"); the results are the same for any N")
	fs.BoolVar(&o.Resume, "resume", false, "continue the sweep in --out DIR: keep its finished runs, run the\nothers (starts afresh when DIR does not exist yet)")
	fs.StringVar(&o.Shard, "shard", "", "run shard `I/N` only: the runs whose id ≡ I (mod N), into\nDIR/shard-I-of-N (default: from SLURM_ARRAY_TASK_ID or\nJOB_COMPLETION_INDEX when set, else the whole sweep)")
	fs.IntVar(&o.Shards, "shards", 0, "the number of shards `N` when the index comes from\nJOB_COMPLETION_INDEX (a Kubernetes Indexed Job's completions)")
	overrideFlags(fs, &o.Overrides)
	fs.BoolVar(&o.DryRun, "dry-run", false, "check the sweep and list its points; run nothing")
	fs.BoolVar(&o.Quiet, "quiet", false, "print only errors and the results folder")
	return fs
}

func sweepHelp() string {
	var o sweepOptions
	return sweepHelpHead + flagsHelp(sweepFlags(&o), "out", "workers", "resume", "shard", "shards", "scale", "years", "replicates", "dry-run", "quiet") + "\n" + exitCodesHelp
}

// overrideFlags defines --scale, --years and --replicates, which replace
// the sweep file's values (sweep.Overrides).
func overrideFlags(fs *flag.FlagSet, o *sweep.Overrides) {
	fs.Float64Var(&o.Scale, "scale", 0, "simulate the share `X` of the population at every point, 0 < X ≤ 1,\nfor a smaller trial of the sweep (the file must not vary scale)")
	fs.IntVar(&o.Years, "years", 0, "simulate `N` years at every point (the file must not vary years)")
	fs.IntVar(&o.Replicates, "replicates", 0, "run every point `N` times instead of the file's replicates")
}

// checkOverrides checks the values of overrideFlags that were given.
func checkOverrides(fs *flag.FlagSet, o sweep.Overrides) error {
	switch {
	case isSet(fs, "scale") && !(o.Scale > 0 && o.Scale <= 1):
		return usagef("--scale %g: give a share above 0 and at most 1 (0.05 = a 5 %% sample)%s", o.Scale, strings.Replace(scenario.PercentHint(o.Scale), "write ", "write --scale ", 1))
	case isSet(fs, "years") && (o.Years < 1 || o.Years > scenario.MaxYears):
		return usagef("--years %d: give 1 to %d years", o.Years, scenario.MaxYears)
	case isSet(fs, "replicates") && (o.Replicates < 1 || o.Replicates > sweep.MaxReplicates):
		return usagef("--replicates %d: give 1 to %d runs a point", o.Replicates, sweep.MaxReplicates)
	}
	return nil
}

func cmdSweep(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "merge":
			return cmdSweepMerge(ctx, args[1:], cmdline, stdout, stderr)
		case "slurm":
			return cmdSweepSlurm(ctx, args[1:], cmdline, stdout, stderr)
		}
	}
	opts, err := parseSweep(args, cmdline, stdout)
	if err != nil {
		return err
	}
	return runSweep(ctx, opts, stdout, stderr)
}

func parseSweep(args, cmdline []string, stdout io.Writer) (sweepOptions, error) {
	var opts sweepOptions
	fs := sweepFlags(&opts)
	pos, err := parseArgs(fs, args, sweepHelp(), stdout)
	if err != nil {
		return opts, err
	}
	switch len(pos) {
	case 0:
		return opts, usagef("which sweep? Give its file: settle sweep FILE [flags] (for example settle sweep scenarios/sweeps/teaching-levers.toml)")
	case 1:
		opts.File = pos[0]
	default:
		return opts, usagef("give one sweep file, not %d arguments: %q (settle sweep merge DIR... merges shards)", len(pos), pos)
	}
	switch {
	case isSet(fs, "workers") && opts.Workers < 1:
		return opts, usagef("--workers %d: give a number of simulations to run side by side, 1 or more, or leave it out for one per CPU (%d here)", opts.Workers, runtime.NumCPU())
	case isSet(fs, "out") && opts.Out == "":
		return opts, usagef("--out needs a folder name; leave it out for a new folder under results/")
	case isSet(fs, "shards") && opts.Shards < 1:
		return opts, usagef("--shards %d: give the number of shards, 1 or more", opts.Shards)
	case opts.Resume && opts.Out == "":
		return opts, usagef("--resume needs --out DIR: the folder of the sweep to continue")
	}
	if opts.Shard != "" {
		if _, err := sweep.ParseShard(opts.Shard); err != nil {
			return opts, usagef("--shard: %v", err)
		}
	}
	if err := checkOverrides(fs, opts.Overrides); err != nil {
		return opts, err
	}
	opts.Cmdline = cmdline
	return opts, nil
}

// runSweep runs the sweep opts.File.
func runSweep(ctx context.Context, opts sweepOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, opts.Quiet)
	if err := needFile("sweep", opts.File, fileSweep); err != nil {
		return err
	}
	sw, err := sweep.LoadWith(opts.File, opts.Overrides)
	if err != nil {
		return err
	}
	// The world's (the base scenario's interventions may be varied by
	// the sweep: their warnings are settle validate's of the base file).
	for _, n := range sw.World.Warnings {
		p.Errorf("warning: %s", n)
	}
	// An intervention that starts after a point's last year changes
	// nothing there, as settle run --years notes.
	for _, n := range sw.LateInterventions() {
		p.Errorf("note: %s", n)
	}
	shard, from := sweep.Shard{}, ""
	if opts.Shard != "" {
		if shard, err = sweep.ParseShard(opts.Shard); err != nil {
			return usagef("--shard: %v", err)
		}
	} else {
		getenv := opts.getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		if shard, from, err = sweep.ShardFromEnv(getenv, opts.Shards); err != nil {
			return usagef("%v", err)
		}
	}
	runs := sw.Runs()
	if !shard.Whole() {
		runs = (sw.Runs() - shard.Index + shard.Count - 1) / shard.Count
	}
	if opts.DryRun {
		return printSweepPlan(p.Stdout(), sw, shard)
	}

	dir := opts.Out
	if dir != "" {
		// A shard beside a whole sweep, or a whole sweep beside shards,
		// would never be merged with it.
		if err := sweep.CheckLayout(dir, shard); err != nil {
			return err
		}
	}
	switch {
	case !shard.Whole():
		if dir == "" {
			return usagef("shard %s needs --out DIR, the folder all shards write into (each its own DIR/shard-I-of-N)", shard)
		}
		dir = filepath.Join(dir, shard.Folder())
		if opts.Resume {
			if err := sw.CheckResume(dir, shard); err != nil {
				return err // before the plan is printed
			}
		}
		// Shards run alike, or settle sweep merge would refuse them
		// after their runs were spent.
		if err := sw.CheckSiblings(opts.Out, shard); err != nil {
			return err
		}
	case dir != "":
		if !opts.Resume {
			// An earlier sweep: sim/sweep says whether --resume would
			// continue it. Anything else: checkOut names it.
			if err := sw.CheckOut(dir, shard); err != nil && manifestKind(dir) == folderSweep {
				return err
			}
			if err := checkOut("sweep", dir); err != nil {
				return err
			}
		} else if err := resumable(dir); err != nil {
			return err
		} else if err := sw.CheckResume(dir, shard); err != nil {
			return err // before the plan is printed
		}
	default:
		base := opts.Results
		if base == "" {
			base = "results"
		}
		if dir, err = output.NewRunDir(base, sw.Name, sw.Seed, time.Now()); err != nil {
			return err
		}
	}

	workers := opts.Workers
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	what := fmt.Sprintf("%d point%s × %d replicate%s = %d run%s", len(sw.Points), plural(len(sw.Points)), sw.Replicates, plural(sw.Replicates), sw.Runs(), plural(sw.Runs()))
	if !shard.Whole() {
		what += fmt.Sprintf("; shard %s: %s", shard, nouns(runs, "run"))
		if from != "" {
			what += " (" + from + ")"
		}
	}
	p.Printf("%s: %s design on %s, %s, %d at a time\n", sw.Name, sw.Design, filepath.Base(sw.Scenario.File), what, min(workers, runs))

	// The command that finishes the sweep if it stops early.
	resume := "settle sweep " + output.ShellQuote(opts.File) + " --out " + output.ShellQuote(dir)
	if !shard.Whole() {
		resume = fmt.Sprintf("settle sweep %s --out %s --shard %s", output.ShellQuote(opts.File), output.ShellQuote(opts.Out), shard)
	}
	if opts.Workers != 0 {
		resume += fmt.Sprintf(" --workers %d", opts.Workers)
	}
	for _, f := range sw.Overrides.Flags() {
		resume += " " + output.ShellQuote(f)
	}
	resume += " --resume"

	var bar *progressBar
	last := 0
	res, err := sweep.Run(ctx, sw, sweep.Options{
		Dir: dir, Workers: opts.Workers, Resume: opts.Resume, Shard: shard, CommandLine: opts.Cmdline, ResumeCommand: resume,
		Progress: func(done, total int) {
			if bar == nil {
				// The first report counts the runs a resumed sweep had
				// done already: on the bar, but not in its rate.
				bar = p.Bar(total, "sweep "+sw.Name, "runs")
				bar.Skip(done)
				last = done
			}
			for ; last < done; last++ {
				bar.Add()
			}
			if opts.progress != nil {
				opts.progress(done, total)
			}
		},
	})
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err // an *sweep.InterruptedError matches context.Canceled: exit code 130
	}
	if res.Finished {
		p.Printf("The sweep in %s was finished already (%s): nothing was run, and no file was rewritten.\n", dir, nouns(res.Runs, "run"))
	} else if res.Resumed > 0 {
		were := "were"
		if res.Resumed == 1 {
			were = "was"
		}
		p.Printf("resumed: %s %s done already, %d run now\n", nouns(res.Resumed, "run"), were, res.Computed)
	}
	if secs := res.Elapsed.Seconds(); res.Computed > 0 {
		p.Printf("%s in %.1f s: %.2f runs/s, %s agent-years/s\n", nouns(res.Computed, "run"), secs, float64(res.Computed)/secs, si(res.AgentYears/secs))
	}
	if !shard.Whole() {
		p.Printf("\nShard %s is done. When every shard is: settle sweep merge %s\n", shard, opts.Out)
		p.Printf("Results:   %s\n", dir)
		if opts.Quiet {
			p.Resultf("%s\n", dir)
		}
		return nil
	}
	if err := printSweepSummary(p.Stdout(), dir); err != nil {
		return err
	}
	p.Printf("Results:   %s (runs.csv, runs.parquet, points.csv)\n", dir)
	if opts.Quiet {
		p.Resultf("%s\n", dir)
	}
	return nil
}

// resumable checks that --resume --out dir names a sweep to continue (or
// nothing yet), not the folder of something else.
func resumable(dir string) error {
	const fix = "give --out the folder of the sweep to continue, or leave out --resume to start a new sweep"
	switch info := classify(dir); info.kind {
	case folderRun:
		return fmt.Errorf("cannot resume in %s: it is %s, not a sweep; %s", dir, folderWhat[folderRun], fix)
	case folderCompare:
		return fmt.Errorf("cannot resume in %s: it is %s, not a sweep; %s", dir, folderWhat[folderCompare], fix)
	case folderFile:
		return fmt.Errorf("cannot resume in %s: it is a file, not a folder; %s", dir, fix)
	case folderRuns, folderSweeps:
		return fmt.Errorf("cannot resume in %s: it holds the folders of several runs or sweeps; %s", dir, fix)
	}
	return nil
}

// shardsDir checks a folder given to settle sweep merge.
func shardsDir(dir string) error {
	const give = "give the sweep's folder (the --out of the shards) or a shard's folder"
	switch info := classify(dir); info.kind {
	case folderMissing:
		return fmt.Errorf("%s does not exist; %s", dir, give)
	case folderFile:
		return fmt.Errorf("%s is a file, not a folder; %s", dir, give)
	case folderRun:
		return fmt.Errorf("%s is %s, not the shards of a sweep; %s", dir, folderWhat[folderRun], give)
	case folderCompare:
		return fmt.Errorf("%s is %s, not the shards of a sweep; %s", dir, folderWhat[folderCompare], give)
	}
	return nil
}

// si formats x with a k/M/G suffix: 4.2 M.
func si(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.1f G", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.1f M", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.1f k", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}

// printSweepPlan lists what the sweep would run.
func printSweepPlan(w io.Writer, sw *sweep.Sweep, shard sweep.Shard) error {
	fmt.Fprintf(w, "%s: valid\n", sw.File)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// The base scenario's years and scale, unless the sweep sets them
	// (a parameter or a flag): then the parameters below say what runs
	// (the base's "scale 1" beside a sweep fixed at 0.2 read as a
	// contradiction).
	years, scale := nouns(sw.Scenario.Years, "year"), fmt.Sprintf("scale %g", sw.Scenario.Scale)
	for _, pr := range sw.Params {
		switch pr.Path {
		case "years", "scenario.years":
			years = "years set by the sweep"
		case "scale", "scenario.scale":
			scale = "scale set by the sweep"
		}
	}
	fmt.Fprintf(tw, "  scenario\t%s (%s, from %d, %s, %s)\n", sw.Scenario.File, sw.World.Name, sw.World.StartYear, years, scale)
	fmt.Fprintf(tw, "  design\t%s\n", describeDesign(sw))
	fmt.Fprintf(tw, "  runs\t%d point%s × %d replicate%s = %d run%s (%s)\n", len(sw.Points), plural(len(sw.Points)), sw.Replicates, plural(sw.Replicates), sw.Runs(), plural(sw.Runs()), sw.Seeds(sweep.Shard{}))
	if !sw.Overrides.IsZero() {
		fmt.Fprintf(tw, "  overrides\t%s (in place of the file's values)\n", sw.Overrides)
	}
	if !shard.Whole() {
		n := (sw.Runs() - shard.Index + shard.Count - 1) / shard.Count
		fmt.Fprintf(tw, "  shard\t%s: %s (%s)\n", shard, nouns(max(n, 0), "run"), sw.Seeds(shard))
	}
	r, ra, rb := sw.Correlation()
	if sw.Design == sweep.LatinHypercube && ra != "" {
		fmt.Fprintf(tw, "  correlation\t|r| ≤ %.2f between any two parameters (the largest: %s and %s)\n", math.Abs(r), ra, rb)
	}
	for _, pr := range sw.Params {
		fmt.Fprintf(tw, "  parameter\t%s\t%s\n", pr.Path, describeParam(&pr))
	}
	for _, m := range sw.Metrics {
		fmt.Fprintf(tw, "  metric\t%s\t%s, %s\n", m.Name, m.Expr, m.Years())
	}
	tw.Flush()
	const show = 10
	fmt.Fprintf(w, "\nPoints (the first %d of %d):\n", min(show, len(sw.Points)), len(sw.Points))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "  point\t")
	if sw.Design == sweep.Sobol {
		fmt.Fprint(tw, "block\t")
	}
	for _, pr := range sw.Params {
		fmt.Fprintf(tw, "%s\t", pr.Path)
	}
	fmt.Fprintln(tw)
	for _, pt := range sw.Points[:min(show, len(sw.Points))] {
		fmt.Fprintf(tw, "  %d\t", pt.Index)
		if sw.Design == sweep.Sobol {
			fmt.Fprintf(tw, "%s\t", pt.Block)
		}
		for _, v := range pt.Values {
			fmt.Fprintf(tw, "%.4g\t", v)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if math.Abs(r) > sweep.CorrelationNote && sw.Design != sweep.Sobol {
		fmt.Fprintf(w, "\nNote: %s.\n", sweep.CorrelationText(r, ra, rb))
	}
	return nil
}

func describeDesign(sw *sweep.Sweep) string {
	k := len(sw.VaryingParams())
	switch sw.Design {
	case sweep.LatinHypercube:
		return fmt.Sprintf("latin_hypercube: %d points over %s (seed %d)", sw.Samples, nouns(k, "parameter"), sw.Seed)
	case sweep.Sobol:
		return fmt.Sprintf("sobol: N = %d samples × (%s + 2) matrices A, B, AB_i (seed %d)", sw.Samples, nouns(k, "parameter"), sw.Seed)
	}
	if k == 0 {
		return "grid: no parameter varies, so one point, run once per replicate"
	}
	return fmt.Sprintf("grid: every combination of %d varying parameter%s", k, plural(k))
}

func describeParam(pr *sweep.Param) string {
	switch {
	case pr.Range && pr.Steps > 0:
		return fmt.Sprintf("%d steps from %g to %g", pr.Steps, pr.Min, pr.Max)
	case pr.Range:
		return fmt.Sprintf("from %g to %g", pr.Min, pr.Max)
	case pr.List && len(pr.Values) > 1:
		var s []string
		for _, v := range pr.Values {
			s = append(s, sweep.FormatValue(v))
		}
		return strings.Join(s, ", ")
	}
	return sweep.FormatValue(pr.Values[0]) + " (fixed)"
}

// printSweepSummary prints each metric's range over the runs.
func printSweepSummary(w io.Writer, dir string) error {
	res, err := sweep.ReadResults(dir)
	if err != nil {
		return err
	}
	const show = 20
	fmt.Fprintf(w, "\nMetrics over the %s:\n", nouns(len(res.Values), "run"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "  metric\tmin\tmean\tmax\tsd between points\tsd within points\t\n")
	for mi, name := range res.Metrics[:min(show, len(res.Metrics))] {
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, v := range res.Values {
			lo, hi, sum = min(lo, v[mi]), max(hi, v[mi]), sum+v[mi]
		}
		mean := sum / float64(len(res.Values))
		between, within := spread(res, mi)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", name, num4(lo), num4(mean), num4(hi), num4(between), num4(within))
	}
	if len(res.Metrics) > show {
		fmt.Fprintf(tw, "  … %d more in runs.csv\t\t\t\t\t\t\n", len(res.Metrics)-show)
	}
	tw.Flush()
	if r, a, b := res.Correlation(); math.Abs(r) > sweep.CorrelationNote && res.Manifest.Design != sweep.Sobol {
		fmt.Fprintf(w, "\nNote: %s.\n", sweep.CorrelationText(r, a, b))
	}
	fmt.Fprintln(w)
	return nil
}

// spread returns the standard deviation of metric m's point means, and
// the mean standard deviation of the replicates within a point (NaN with
// one replicate).
func spread(res *sweep.Results, m int) (between, within float64) {
	means := res.PointMeans(m)
	var mu float64
	for _, v := range means {
		mu += v
	}
	mu /= float64(len(means))
	for _, v := range means {
		between += (v - mu) * (v - mu)
	}
	if len(means) > 1 {
		between = math.Sqrt(between / float64(len(means)-1))
	} else {
		between = math.NaN()
	}
	reps := res.Manifest.Replicates
	if reps < 2 {
		return between, math.NaN()
	}
	for p := range means {
		var ss float64
		for k := range reps {
			d := res.Values[p*reps+k][m] - means[p]
			ss += d * d
		}
		within += math.Sqrt(ss / float64(reps-1))
	}
	return between, within / float64(len(means))
}

// num4 formats x to 4 significant digits, with thousands separators for
// large numbers; NaN as –.
func num4(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case math.Abs(x) >= 1000:
		return output.Group(int64(math.Round(x)))
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// settle sweep merge.

const sweepMergeHelpHead = `Usage: settle sweep merge [--out DIR] DIR...

Merges the shards of a sweep (settle sweep --shard I/N --out DIR) into one
folder with the same runs.csv, runs.parquet and points.csv, byte for byte,
as the whole sweep run on one machine. Each DIR is a shard's folder or a
folder holding shard-* folders; every shard must be there once and complete.

The merged files go to --out DIR, or, when one DIR holding the shards is
given, into it. Existing results are never overwritten: a DIR merged
already is left as it is (its tables are there), and --out NEWDIR DIR
merges its shards again into NEWDIR.

Flags:
`

func cmdSweepMerge(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	var out string
	var quiet bool
	fs := flag.NewFlagSet("sweep merge", flag.ContinueOnError)
	fs.StringVar(&out, "out", "", "write the merged results to `DIR` (default: the one DIR given)")
	fs.BoolVar(&quiet, "quiet", false, "print only errors and the results folder")
	help := sweepMergeHelpHead + flagsHelp(fs, "out", "quiet") + "\n" + exitCodesHelp
	dirs, err := parseArgs(fs, args, help, stdout)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usagef("which shards? Give the sweep's folder: settle sweep merge DIR (the --out of the shards)")
	}
	if out == "" {
		if len(dirs) > 1 {
			return usagef("give --out DIR for the merged results of %d folders", len(dirs))
		}
		out = dirs[0]
	}
	for _, d := range dirs {
		if err := shardsDir(d); err != nil {
			return err
		}
	}
	p := newPrinter(stdout, stderr, quiet)
	m, err := sweep.Merge(out, dirs, cmdline)
	var merged *sweep.MergedError
	if errors.As(err, &merged) {
		// As settle sweep --resume of a finished sweep: nothing to do,
		// and that is no failure (a merge job submitted twice).
		p.Printf("%s\n", merged)
		if quiet {
			p.Resultf("%s\n", out)
		} else {
			p.Printf("Results:   %s (runs.csv, runs.parquet, points.csv)\n", out)
		}
		return nil
	}
	if err != nil {
		return err
	}
	p.Printf("%s: merged %d shards, %d runs\n", m.Name, len(m.MergedFrom), m.Runs)
	if err := printSweepSummary(p.Stdout(), out); err != nil {
		return err
	}
	if quiet {
		p.Resultf("%s\n", out) // the folder alone, as settle run --quiet prints
	} else {
		p.Printf("Results:   %s (runs.csv, runs.parquet, points.csv)\n", out)
	}
	return nil
}

// settle sweep slurm.

const sweepSlurmHelpHead = `Usage: settle sweep slurm FILE --tasks N [flags]

Checks the sweep FILE and writes a Slurm job-array script of N tasks into
its folder (--out DIR, default results/<sweep name>/<date-time>-s<seed>):
DIR/submit.sbatch, with the logs going to DIR/logs. Task I runs shard I/N,
--cpus-per-task runs at a time, with --resume, so a failed or preempted task
continues where it stopped when submitted again. The settle binary, FILE
and DIR must be on a file system the compute nodes share.

  sbatch DIR/submit.sbatch
  settle sweep merge DIR        # when every task is done

Flags:
`

type sweepSlurmOptions struct {
	File                          string
	Out                           string
	Tasks, CPUs                   int
	Time, Mem, Partition, Account string
	Settle                        string
	Results                       string
	Overrides                     sweep.Overrides
}

func cmdSweepSlurm(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	var o sweepSlurmOptions
	fs := flag.NewFlagSet("sweep slurm", flag.ContinueOnError)
	fs.IntVar(&o.Tasks, "tasks", 0, "the array's `N` tasks (shards)")
	fs.IntVar(&o.CPUs, "cpus-per-task", 1, "CPUs of each task (`C`): the runs it does side by side")
	fs.StringVar(&o.Out, "out", "", "the sweep's folder `DIR` (default results/<sweep name>/<date-time>-s<seed>)")
	fs.StringVar(&o.Time, "time", "", "#SBATCH --time of each task (`LIMIT`: minutes, MM:SS, HH:MM:SS,\nD-HH, D-HH:MM or D-HH:MM:SS, e.g. 2:00:00)")
	fs.StringVar(&o.Mem, "mem", "", "#SBATCH --mem of each task (`SIZE`: a whole number with K, M, G or\nT, e.g. 4G; a bare number is megabytes)")
	fs.StringVar(&o.Partition, "partition", "", "#SBATCH --partition (`NAME`)")
	fs.StringVar(&o.Account, "account", "", "#SBATCH --account (`NAME`)")
	fs.StringVar(&o.Settle, "settle", "", "the settle binary the tasks run (`PATH`; default this one)")
	overrideFlags(fs, &o.Overrides)
	help := sweepSlurmHelpHead + flagsHelp(fs, "tasks", "cpus-per-task", "out", "time", "mem", "partition", "account", "settle", "scale", "years", "replicates") + "\n" + exitCodesNoRun
	pos, err := parseArgs(fs, args, help, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one sweep file: settle sweep slurm FILE --tasks N")
	}
	o.File = pos[0]
	if o.Tasks < 1 {
		return usagef("--tasks N: give the number of array tasks, 1 or more (for example --tasks 16)")
	}
	if o.CPUs < 1 {
		return usagef("--cpus-per-task %d: give 1 or more", o.CPUs)
	}
	// sbatch would refuse the script only when it is submitted, or, for
	// --mem 2, accept it and kill every task at its first run.
	if isSet(fs, "time") {
		if err := sweep.CheckSlurmTime(o.Time); err != nil {
			return usagef("%v", err)
		}
	}
	if isSet(fs, "mem") {
		if err := sweep.CheckSlurmMem(o.Mem); err != nil {
			return usagef("%v", err)
		}
	}
	if err := checkOverrides(fs, o.Overrides); err != nil {
		return err
	}
	return runSweepSlurm(o, stdout, stderr)
}

func runSweepSlurm(o sweepSlurmOptions, stdout, stderr io.Writer) error {
	if err := needFile("sweep slurm", o.File, fileSweep); err != nil {
		return err
	}
	sw, err := sweep.LoadWith(o.File, o.Overrides)
	if err != nil {
		return err
	}
	if o.Tasks > sw.Runs() {
		return usagef("--tasks %d is more than the %d runs of the sweep; use at most %d tasks", o.Tasks, sw.Runs(), sw.Runs())
	}
	for _, n := range sw.LateInterventions() {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	if o.Settle == "" {
		if o.Settle, err = os.Executable(); err != nil {
			return fmt.Errorf("finding the settle binary: %w; give --settle PATH", err)
		}
	}
	dir := o.Out
	if dir == "" {
		base := o.Results
		if base == "" {
			base = "results"
		}
		if dir, err = output.NewRunDir(base, sw.Name, sw.Seed, time.Now()); err != nil {
			return err
		}
	}
	abs := func(s string) string {
		a, err := filepath.Abs(s)
		if err != nil {
			return s
		}
		return a
	}
	script := filepath.Join(dir, "submit.sbatch")
	if _, err := os.Stat(script); err == nil {
		return fmt.Errorf("refusing to overwrite %s; choose another --out", script)
	}
	// Every task would refuse a folder that holds a whole sweep or another
	// split (sweep.CheckLayout): say so now, not after submission.
	if err := sweep.CheckLayout(dir, sweep.Shard{Index: 0, Count: o.Tasks}); err != nil {
		return fmt.Errorf("the array's tasks could not run there: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(script, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	err = sweep.WriteSlurm(f, sweep.SlurmOptions{
		Settle: abs(o.Settle), Sweep: abs(o.File), Out: abs(dir), Name: sw.Name,
		Tasks: o.Tasks, CPUs: o.CPUs, Time: o.Time, Mem: o.Mem, Partition: o.Partition, Account: o.Account,
		Overrides: o.Overrides,
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(script)
		return err
	}
	// A task runs at most its share side by side: --cpus-per-task 8 for
	// 4 runs a task said "8 at a time".
	most := (sw.Runs() + o.Tasks - 1) / o.Tasks
	side := fmt.Sprintf("%d at a time", min(o.CPUs, most))
	if o.CPUs > most {
		idle := o.CPUs - most
		verb := "stay"
		if idle == 1 {
			verb = "stays"
		}
		side += fmt.Sprintf("; %d of the %d CPUs a task asks for %s idle", idle, o.CPUs, verb)
	}
	fmt.Fprintf(stdout, "%s: %s in %s (%s each, %s)\n", sw.Name, nouns(sw.Runs(), "run"), nouns(o.Tasks, "task"), runsEach(sw.Runs(), o.Tasks), side)
	fmt.Fprintf(stdout, "Wrote %s. Submit it, then merge when every task is done:\n\n  sbatch %s\n  settle sweep merge %s\n", script, script, dir)
	return nil
}

// runsEach says how many runs each of tasks shards of runs runs gets: "6
// runs", or "13 or 14 runs" when they do not divide evenly.
func runsEach(runs, tasks int) string {
	lo, hi := runs/tasks, (runs+tasks-1)/tasks
	if lo == hi {
		return nouns(lo, "run")
	}
	return fmt.Sprintf("%d or %d runs", lo, hi)
}

// nouns is "1 run", "2 runs".
func nouns(n int, noun string) string {
	return fmt.Sprintf("%d %s%s", n, noun, plural(n))
}
