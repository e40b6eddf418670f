package main

import (
	"bytes"
	"context"
	"encoding/csv"
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
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/settle-sim/settle/sim/calibrate"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/synth"
)

const calibrateHelpHead = `Usage: settle calibrate FILE [flags]

Fits behaviour parameters so that simulated runs reproduce calibration
targets. FILE is a targets file (see docs/calibration.md) whose optional
[calibration] table says which parameters to fit, their bounds, the world
(and its travel_times file), the reduced scale, the years, the seeds and the
optimiser settings; or a file with only a [calibration] table whose
targets = "..." names the targets file. Without a [calibration] table the
defaults are used (docs/calibration.md).

Every evaluation simulates the world once per seed, always the same seeds
(common random numbers), and averages the loss of fit.Loss over them. The
optimiser is gonum's Nelder–Mead on the logit of each parameter's bounds.

It writes to a new folder results/calibrate/<date-time>-s<seed>/ (or --out
DIR, which must not exist or be empty):
  fitted.toml    the fitted values as a [behaviour] table to paste into a
                 scenario, headed by their provenance (the files read, with
                 their SHA-256)
  report.txt     the fit table: the start point and the fitted point with
                 the calibration's seeds, and a validation run of the fitted
                 point at a larger scale with other seeds
  report.csv     the same as a tidy table, one row per seed and statistic
  trace.csv      every evaluation: its loss, each seed's loss and the values
  manifest.json  the engine, the calibration, targets and world files with
                 their SHA-256, the settings, the times, and whether it
                 finished ("complete": false until it has)

Ctrl-C stops after the year being simulated and still writes fitted.toml with
the best point so far, marked INCOMPLETE (no report then). A calibration does
not resume: run it again into a new folder (the INCOMPLETE file says how).

The flags override the [calibration] table; flags may come before or after
FILE.

Flags:
`

// calibrateOptions are the options of settle calibrate. Zero values mean
// "as the file's [calibration] table says" (or, for Workers, all CPUs).
type calibrateOptions struct {
	File     string
	Out      string // "" = a new folder under Results
	Workers  int
	MaxEvals int
	Scale    float64
	Years    int
	Seeds    int // the number of seeds
	Quiet    bool
	Cmdline  []string

	// Results is the base folder of default output folders ("results").
	Results string
}

func calibrateFlags(opts *calibrateOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.StringVar(&opts.Out, "out", "", "write to `DIR`, which must not exist or be empty\n(default results/calibrate/<date-time>-s<seed>)")
	fs.IntVar(&opts.Workers, "workers", 0, "simulate with `N` goroutines (default one per CPU: "+strconv.Itoa(runtime.NumCPU())+");\nthe fit is the same for any N")
	fs.IntVar(&opts.MaxEvals, "max-evals", 0, "stop after `N` evaluations of the loss\n(default the file's max_evals, or "+strconv.Itoa(calibrate.DefaultMaxEvals)+")")
	fs.Float64Var(&opts.Scale, "scale", 0, "simulate the share `X` of the population, 0 < X ≤ 1\n(default the file's, or "+strconv.FormatFloat(calibrate.DefaultScale, 'g', -1, 64)+")")
	fs.IntVar(&opts.Years, "years", 0, "simulate `N` years per evaluation (default the file's, or "+strconv.Itoa(calibrate.DefaultYears)+")")
	fs.IntVar(&opts.Seeds, "seeds", 0, "average over `N` seeds: the file's first N, then the next numbers\n(default the file's seeds, or 1, 2)")
	fs.BoolVar(&opts.Quiet, "quiet", false, "print only errors and the output folder; no progress bar,\nno table")
	return fs
}

func calibrateHelp() string {
	var o calibrateOptions
	return calibrateHelpHead + flagsHelp(calibrateFlags(&o), "out", "workers", "max-evals", "scale", "years", "seeds", "quiet") + "\n" + exitCodesHelp
}

func cmdCalibrate(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	opts, err := parseCalibrate(args, cmdline, stdout)
	if err != nil {
		return err
	}
	return runCalibrate(ctx, opts, stdout, stderr)
}

// parseCalibrate parses the arguments of settle calibrate.
func parseCalibrate(args, cmdline []string, stdout io.Writer) (calibrateOptions, error) {
	var opts calibrateOptions
	fs := calibrateFlags(&opts)
	pos, err := parseArgs(fs, args, calibrateHelp(), stdout)
	if err != nil {
		return opts, err
	}
	switch len(pos) {
	case 0:
		return opts, usagef("which targets? Give the file: settle calibrate FILE [flags] (for example settle calibrate targets/norway.toml)")
	case 1:
		opts.File = pos[0]
	default:
		return opts, usagef("give one targets file, not %d arguments: %q", len(pos), pos)
	}
	for _, name := range []string{"workers", "max-evals", "years", "seeds"} {
		if isSet(fs, name) && fs.Lookup(name).Value.String() == "0" {
			return opts, usagef("--%s 0: give a number of 1 or more, or leave the flag out for the default", name)
		}
	}
	if isSet(fs, "scale") && opts.Scale == 0 {
		return opts, scaleError(0)
	}
	if isSet(fs, "out") && opts.Out == "" {
		return opts, usagef("--out needs a folder name; leave it out for a new folder under results/calibrate/")
	}
	opts.Cmdline = cmdline
	return opts, opts.check()
}

func (o *calibrateOptions) check() error {
	switch {
	case o.Workers < 0 || o.Workers > maxWorkers:
		return workersError(o.Workers)
	case o.Scale < 0 || o.Scale > 1 || math.IsNaN(o.Scale):
		return scaleError(o.Scale)
	case o.MaxEvals < 0:
		return usagef("--max-evals %d: give a number of evaluations of 1 or more", o.MaxEvals)
	case o.Years < 0 || o.Years > scenario.MaxYears:
		return usagef("--years %d: give a number of years from 1 to %d", o.Years, scenario.MaxYears)
	case o.Seeds < 0:
		return usagef("--seeds %d: give a number of seeds of 1 or more", o.Seeds)
	}
	return nil
}

// apply overrides the spec with the options that were given. A 0 is a
// flag not given (parseCalibrate refuses a 0 on the command line), so it
// leaves the file's value, whatever that is, to the spec's Check.
func (o *calibrateOptions) apply(s *calibrate.Spec) {
	if o.MaxEvals != 0 {
		s.MaxEvals = o.MaxEvals
	}
	if o.Scale != 0 {
		s.Scale = o.Scale
	}
	if o.Years != 0 {
		s.Years = o.Years
	}
	if n := o.Seeds; n != 0 {
		if n <= len(s.Seeds) {
			s.Seeds = s.Seeds[:n]
		} else {
			next := uint64(0)
			for _, x := range s.Seeds {
				next = max(next, x)
			}
			for len(s.Seeds) < n {
				next++
				s.Seeds = append(s.Seeds, next)
			}
		}
	}
}

// calibrateInterrupted reports a calibration stopped by a signal; it
// matches context.Canceled (exit code 130).
type calibrateInterrupted struct {
	evals int
	dir   string
	cause error
}

func (e *calibrateInterrupted) Error() string {
	if e.evals == 0 {
		return fmt.Sprintf("interrupted before the first evaluation finished; %s holds no result", e.dir)
	}
	return fmt.Sprintf("interrupted after %d evaluations; the best point so far is in %s (marked INCOMPLETE)", e.evals, filepath.Join(e.dir, "fitted.toml"))
}

func (e *calibrateInterrupted) Unwrap() error { return e.cause }

// runCalibrate fits the parameters of opts.File's spec and writes the
// results folder.
func runCalibrate(ctx context.Context, opts calibrateOptions, stdout, stderr io.Writer) (retErr error) {
	if err := opts.check(); err != nil {
		return err
	}
	p := newPrinter(stdout, stderr, opts.Quiet)
	// A calibration file, or a targets file fitted with the defaults.
	if kind, _ := kindOfFile(opts.File); kind != fileTargets {
		if err := needFile("calibrate", opts.File, fileCalibration); err != nil {
			return err
		}
	}
	// The flags override the file before it is checked, so that
	// --max-evals mends a max_evals too small for the parameters.
	spec, err := calibrate.ReadSpec(opts.File)
	if err != nil {
		return err
	}
	fileErr := spec.Check()
	opts.apply(spec)
	var evalsErr error // --max-evals too small for the parameters
	if n := len(spec.Params) + 2; opts.MaxEvals != 0 && opts.MaxEvals < n {
		need := "need"
		if len(spec.Params) == 1 {
			need = "needs"
		}
		evalsErr = usagef("--max-evals %d: %s %s at least %d evaluations (the start and a first simplex)", opts.MaxEvals, nouns(len(spec.Params), "parameter"), need, n)
		spec.MaxEvals = n // so that Check reports the file's other problems, not this one again
	}
	if err := spec.Check(); err != nil {
		if fileErr != nil {
			// The file's own mistakes, and the flag's beside them, so
			// that one run shows everything to mend.
			if evalsErr != nil {
				return fmt.Errorf("%w\n%v", err, evalsErr)
			}
			return err
		}
		if evalsErr == nil {
			return usagef("%v", err) // a flag made it invalid
		}
	}
	if evalsErr != nil {
		return evalsErr
	}
	tg, err := calibrate.LoadTargets(spec)
	if err != nil {
		return err
	}
	w, err := spec.LoadWorld()
	if err != nil {
		return err
	}
	for _, n := range w.Warnings {
		p.Errorf("warning: %s", n)
	}
	if n := studyPlacesNote(w, nil); n != "" {
		p.Errorf("note: %s", n)
	}
	// A scale the engine would refuse, before the folder is made (the
	// validation scale after the whole fit).
	switch why := synth.CheckScale(w, spec.Scale); {
	case why == "":
	case opts.Scale != 0:
		return usagef("--%s", why)
	default:
		return spec.Problem("scale", why)
	}
	if x := spec.ValidateScale; x > 0 {
		if why := synth.CheckScale(w, x); why != "" {
			return spec.Problem("validate_scale", why)
		}
	}
	if opts.Out != "" {
		if err := checkOut("calibrate", opts.Out); err != nil {
			return err
		}
	}
	// The user world's files for the folder's copies, checked against
	// their SHA-256 before the folder is made.
	worldData, err := output.ReadWorldData(w.Files)
	if err != nil {
		return err
	}

	start := time.Now()
	dir := opts.Out
	if dir == "" {
		base := opts.Results
		if base == "" {
			base = "results"
		}
		if dir, err = output.NewRunDir(base, "calibrate", spec.Seeds[0], start); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output folder: %w", err)
	}
	incomplete := filepath.Join(dir, output.IncompleteFile)
	if err := output.WriteData(incomplete, []byte("settle calibrate is running (or was stopped before it finished): the files here are not a finished calibration.\n"+rerunText(opts.Cmdline))); err != nil {
		return err
	}

	// manifest.json, as a run's: "complete": false until the end, and
	// rewritten on every way out, so that a folder always says what it
	// holds and how far it got.
	man := calibrate.NewManifest(spec, tg, w)
	man.Workers = opts.Workers
	if man.Workers <= 0 {
		man.Workers = runtime.NumCPU() // as calibrate.Simulate does
	}
	man.StartTime, man.CommandLine, man.GoVersion = start, opts.Cmdline, runtime.Version()
	man.WorkingDir, _ = os.Getwd()
	man.Hostname, _ = os.Hostname()
	if err := calibrate.WriteManifest(dir, &man); err != nil {
		return err
	}
	// The calibration, targets and user world files as read (the manifest
	// keeps their SHA-256), as a run's folder keeps its scenario.toml.
	if err := calibrate.WriteCopies(dir, spec, tg); err != nil {
		return err
	}
	if err := worldData.Write(dir); err != nil {
		return err
	}
	finished := false
	defer func() {
		if finished {
			return
		}
		man.EndTime, man.Complete = time.Now(), false
		man.Stopped = calibrateStopped(retErr, man.Evaluations)
		if err := calibrate.WriteManifest(dir, &man); err != nil && retErr == nil {
			retErr = err
		}
	}()

	trace, err := newTraceFile(filepath.Join(dir, calibrateTrace), calibrate.TraceHeader(spec))
	if err != nil {
		return err
	}
	defer trace.Close()

	p.Printf("calibrating %s of %s against %s: scale %g, %d years, seeds %s, at most %d evaluations\n",
		nouns(len(spec.Params), "parameter"), calibrate.WorldText(spec.World, w.Files), tg.File, spec.Scale, spec.Years, seedText(spec.Seeds), spec.MaxEvals)
	bar := newEvalBar(p, spec.MaxEvals)
	base := params.Default()
	res, fitErr := calibrate.Fit(ctx, calibrate.Problem{
		Spec: spec, World: w, Base: &base, Scorer: calibrate.FitScorer(tg.Targets), Workers: opts.Workers,
		OnEval: func(e calibrate.Eval) {
			trace.Write(calibrate.TraceRow(e))
			bar.Add(e)
			man.Evaluations = e.N
		},
	})
	bar.Done()
	if err := trace.Close(); err != nil && fitErr == nil {
		fitErr = err
	}
	if res == nil {
		if errors.Is(fitErr, context.Canceled) {
			return &calibrateInterrupted{dir: dir, cause: fitErr}
		}
		return fitErr
	}

	man.Status = res.Status
	prov := calibrate.Provenance{CommandLine: opts.Cmdline, Date: start, TargetsFile: tg.File, TargetsSHA256: tg.SHA256, WorldFiles: w.Files}
	var report *calibrate.Report
	var reportErr error
	if res.Complete {
		done := p.Phase("simulating the report: the start and fitted points, and a validation run")
		report, err = calibrate.MakeReport(ctx, w, tg, spec, base, res, opts.Workers)
		done()
		if err != nil && !errors.Is(err, context.Canceled) {
			// The fit is done: keep it, without the report.
			reportErr = fmt.Errorf("the report could not be simulated: %w; the fitted values are in %s, without it", err, filepath.Join(dir, "fitted.toml"))
			report = nil
		} else if err != nil {
			res.Complete, res.Status = false, "interrupted during the report"
			man.Status = res.Status
			fitErr = err
			report = nil
		}
	}
	if report != nil {
		f := report.Columns[1]
		prov.Rerun = fmt.Sprintf("loss %.6g with the rounded values below, same scale and seeds", f.MeanLoss())
		v := report.Columns[2]
		ok, n := v.Met()
		prov.Validation = fmt.Sprintf("loss %.6g at scale %g with seeds %s; %d of %d checked targets met", v.MeanLoss(), v.Scale, seedText(v.Seeds), ok, n)
	}
	var fitted bytes.Buffer
	if err := calibrate.WriteFitted(&fitted, spec, res, prov); err != nil {
		return err
	}
	if err := output.WriteData(filepath.Join(dir, "fitted.toml"), fitted.Bytes()); err != nil {
		return err
	}
	if report != nil {
		var txt, csvb bytes.Buffer
		if err := report.WriteText(&txt); err != nil {
			return err
		}
		if err := report.WriteCSV(&csvb); err != nil {
			return err
		}
		if err := output.WriteData(filepath.Join(dir, "report.txt"), txt.Bytes()); err != nil {
			return err
		}
		if err := output.WriteData(filepath.Join(dir, "report.csv"), csvb.Bytes()); err != nil {
			return err
		}
		p.Printf("\n%s\n", txt.String())
	}
	p.Printf("loss %.4g at the start, %.4g at the best point after %d evaluations (%s) in %s\n",
		res.Start.Loss, res.Best.Loss, res.Evals, res.Status, time.Since(start).Round(time.Second))
	if report != nil {
		// The values written are rounded, and the loss of a small sample
		// jumps with the persons whose decisions a rounding flips.
		p.Printf("loss %.4g rerun with the rounded values written to fitted.toml; %.4g at scale %g with other seeds (validation)\n",
			report.Columns[1].MeanLoss(), report.Columns[2].MeanLoss(), report.Columns[2].Scale)
	}
	if errors.Is(fitErr, context.Canceled) {
		output.WriteData(incomplete, []byte(fmt.Sprintf("settle calibrate was interrupted after %d evaluations: fitted.toml holds the best point so far, and there is no report.\n%s", res.Evals, rerunText(opts.Cmdline))))
		return &calibrateInterrupted{evals: res.Evals, dir: dir, cause: fitErr}
	}
	if fitErr != nil {
		return fitErr
	}
	if reportErr != nil {
		output.WriteData(incomplete, []byte(fmt.Sprintf("settle calibrate finished the fit, but %v.\n%s", reportErr, rerunText(opts.Cmdline))))
		return reportErr
	}
	man.EndTime, man.Complete, man.Stopped = time.Now(), true, ""
	if err := calibrate.WriteManifest(dir, &man); err != nil {
		return err
	}
	finished = true
	if err := os.Remove(incomplete); err != nil {
		return err
	}
	if opts.Quiet {
		p.Resultf("%s\n", dir)
	} else {
		p.Printf("written to %s\n", dir)
	}
	return nil
}

// calibrateStopped says in the manifest why a calibration that returned
// err after evals evaluations did not finish.
func calibrateStopped(err error, evals int) string {
	switch {
	case err == nil:
		return "stopped before it finished"
	case errors.Is(err, context.Canceled):
		return fmt.Sprintf("interrupted (Ctrl-C or SIGTERM) after %d evaluation%s", evals, plural(evals))
	}
	return err.Error()
}

func seedText(seeds []uint64) string {
	s := ""
	for i, x := range seeds {
		if i > 0 {
			s += ", "
		}
		s += strconv.FormatUint(x, 10)
	}
	return s
}

func commandText(cmdline []string) string {
	if len(cmdline) == 0 {
		return "settle calibrate …"
	}
	return output.ShellJoin(cmdline)
}

// rerunText is the advice of an unfinished calibration's INCOMPLETE file:
// the optimiser does not resume, so the command again without its --out,
// which this folder now holds (the same command was refused).
func rerunText(cmdline []string) string {
	var args []string
	for i := 0; i < len(cmdline); i++ {
		a := cmdline[i]
		switch {
		case a == "--out" || a == "-out":
			i++ // and its value
			continue
		case strings.HasPrefix(a, "--out=") || strings.HasPrefix(a, "-out="):
			continue
		}
		args = append(args, a)
	}
	// Its paths are relative to the folder it ran in: from there, as a
	// run's and a sweep's INCOMPLETE say.
	cd := ""
	if wd, err := os.Getwd(); err == nil && len(cmdline) > 0 {
		cd = "cd " + output.ShellQuote(wd) + " && "
	}
	return "A calibration does not resume; to start it again into a new folder (results/calibrate/…):\n  " + cd + commandText(args) + "\n" +
		"(or give --out a new folder). trace.csv here keeps every finished evaluation.\n"
}

// traceFile streams trace.csv, flushed after every row so that an
// interrupted calibration keeps every finished evaluation.
type traceFile struct {
	f   *os.File
	w   *csv.Writer
	err error
}

func newTraceFile(path string, header []string) (*traceFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	t := &traceFile{f: f, w: csv.NewWriter(f)}
	t.Write(header)
	return t, t.err
}

// Write writes a row; the first error is kept for Close.
func (t *traceFile) Write(row []string) {
	if t.err != nil || t.f == nil {
		return
	}
	t.w.Write(row)
	t.w.Flush()
	t.err = t.w.Error()
}

// Close closes the file (once) and returns the first error.
func (t *traceFile) Close() error {
	if t.f == nil {
		return t.err
	}
	if err := t.f.Close(); t.err == nil {
		t.err = err
	}
	t.f = nil
	return t.err
}

// evalBar shows evaluations done, the best loss so far and the time left on
// a terminal.
type evalBar struct{ bar *progressbar.ProgressBar }

func newEvalBar(p *printer, n int) *evalBar {
	if !p.progress {
		return &evalBar{}
	}
	bar := progressbar.NewOptions(n,
		progressbar.OptionSetWriter(p.stderr),
		progressbar.OptionSetDescription("calibrating"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("evals"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(25),
		progressbar.OptionClearOnFinish(),
	)
	bar.RenderBlank()
	return &evalBar{bar}
}

// Add counts an evaluation.
func (b *evalBar) Add(e calibrate.Eval) {
	if b.bar == nil {
		return
	}
	if e.Best {
		b.bar.Describe(fmt.Sprintf("calibrating: best loss %.4g", e.Loss))
	}
	b.bar.Add(1)
}

// Done removes the bar (the fit may stop before max evaluations).
func (b *evalBar) Done() {
	if b.bar != nil {
		b.bar.Clear()
		b.bar.Exit()
	}
}

// calibrateTrace is the file of every evaluation settle calibrate writes
// (by which a folder is known as a calibration's).
const calibrateTrace = "trace.csv"
