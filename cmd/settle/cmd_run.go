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
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

const runHelpHead = `Usage: settle run FILE [flags]

Simulates the scenario FILE (TOML, see scenarios/README.md) and writes
regions.csv, flows.csv, migration_by_age.csv, grew_up.csv, population.csv,
housing.csv, study.csv, living_arrangements.csv, manifest.json, a copy of
FILE (scenario.toml) and, for a world of your own, copies of its files
(world/) to a new folder results/<scenario name>/<date-time>-s<seed>/ (or
--out DIR); results/README.md
says what each holds. An earlier run is never overwritten. At the end it
prints a summary: population change by centrality class, the largest gainers
and losers, moves per 1000 residents and the peak migration age.

Ctrl-C stops after the year being simulated: the files then hold every year
finished so far, and the folder has an INCOMPLETE file saying how to rerun.

The flags override the scenario file; flags may come before or after FILE.

Flags:
`

// runOptions are the options of settle run. Zero values mean "as the
// scenario says" (or, for Workers, all CPUs).
type runOptions struct {
	File    string
	Out     string   // "" = a new folder under Results
	Workers int      // 0 = one per CPU
	Seed    *uint64  // nil = the scenario's seed
	Years   int      // 0 = the scenario's
	Scale   float64  // 0 = the scenario's
	Quiet   bool     // no progress and no summary: only errors and the results folder
	Cmdline []string // the whole command line, for the manifest

	// Results is the base folder of default run folders ("results").
	Results string
	// newSim starts the simulation; nil means engine.New. Tests give a fake.
	newSim func(w *world.World, cfg engine.Config) (simulator, error)
}

// simulator is what settle run needs of an engine.Sim.
type simulator interface {
	// Observe returns the record of the current 1 January (the start row).
	Observe() *record.Year
	// Step simulates a year and returns the record of the next 1 January,
	// valid until the next Step.
	Step() *record.Year
	Workers() int
}

func newEngine(w *world.World, cfg engine.Config) (simulator, error) {
	return engine.New(w, cfg)
}

func runFlags(opts *runOptions, seed *uint64) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&opts.Out, "out", "", "write the results to `DIR`, which must not exist or be empty\n(default results/<scenario name>/<date-time>-s<seed>)")
	fs.IntVar(&opts.Workers, "workers", 0, "simulate with `N` goroutines (default one per CPU: "+strconv.Itoa(runtime.NumCPU())+");\nthe results are the same for any N")
	fs.Uint64Var(seed, "seed", 0, "random seed `N` (default the scenario's seed)")
	fs.IntVar(&opts.Years, "years", 0, "simulate `N` years (default the scenario's years)")
	fs.Float64Var(&opts.Scale, "scale", 0, "simulate a sample: the share `X` of the population, 0 < X ≤ 1;\noutputs are scaled back to the whole population (default the scenario's scale)")
	fs.BoolVar(&opts.Quiet, "quiet", false, "print only errors and the results folder; no progress bar, no summary")
	return fs
}

func runHelp() string {
	var o runOptions
	var seed uint64
	return runHelpHead + flagsHelp(runFlags(&o, &seed), "out", "workers", "seed", "years", "scale", "quiet") + "\n" + exitCodesHelp
}

// parseRun parses the arguments of settle run.
func parseRun(args, cmdline []string, stdout io.Writer) (runOptions, error) {
	var opts runOptions
	var seed uint64
	fs := runFlags(&opts, &seed)
	pos, err := parseArgs(fs, args, runHelp(), stdout)
	if err != nil {
		return opts, err
	}
	switch len(pos) {
	case 0:
		return opts, usagef("which scenario? Give its file: settle run FILE [flags] (for example settle run scenarios/baseline.toml)")
	case 1:
		opts.File = pos[0]
	default:
		return opts, usagef("give one scenario file, not %d arguments: %q", len(pos), pos)
	}
	if isSet(fs, "seed") {
		opts.Seed = &seed
	}
	// An explicit 0 is a mistake, not "the default".
	if isSet(fs, "workers") && opts.Workers == 0 {
		return opts, workersError(0)
	}
	if isSet(fs, "years") && opts.Years == 0 {
		return opts, yearsError(0)
	}
	if isSet(fs, "scale") && opts.Scale == 0 {
		return opts, scaleError(0)
	}
	if isSet(fs, "out") && opts.Out == "" {
		return opts, usagef("--out needs a folder name; leave it out for a new folder under results/")
	}
	opts.Cmdline = cmdline
	return opts, opts.check()
}

// maxWorkers bounds --workers of the commands that simulate.
const maxWorkers = engine.MaxWorkers

func workersError(n int) error {
	return usagef("--workers %d: give a number of goroutines from 1 to %d, or leave it out to use one per CPU (%d here)", n, maxWorkers, runtime.NumCPU())
}

func yearsError(n int) error {
	return usagef("--years %d: give a number of years from 1 to %d", n, scenario.MaxYears)
}

func scaleError(x float64) error {
	return usagef("--scale %g is out of range: the scale is the share of the population simulated, 0 < scale ≤ 1 (for example --scale 0.1 for a 10%% sample)%s", x, strings.Replace(scenario.PercentHint(x), "write ", "write --scale ", 1))
}

// check validates the options (usage errors).
func (o *runOptions) check() error {
	if o.Workers < 0 || o.Workers > maxWorkers {
		return workersError(o.Workers)
	}
	if o.Years < 0 || o.Years > scenario.MaxYears {
		return yearsError(o.Years)
	}
	if o.Scale < 0 || o.Scale > 1 || math.IsNaN(o.Scale) {
		return scaleError(o.Scale)
	}
	return nil
}

func cmdRun(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	opts, err := parseRun(args, cmdline, stdout)
	if err != nil {
		return err
	}
	return runRun(ctx, opts, stdout, stderr)
}

// interruptedError reports a run stopped by a signal; it matches
// context.Canceled (exit code 130).
type interruptedError struct {
	done, years int
	dir         string
	cause       error
}

func (e *interruptedError) Error() string {
	if e.dir == "" {
		return "interrupted before the first year; nothing was written"
	}
	return fmt.Sprintf("interrupted after %d of %d years; the years finished so far are in %s (see INCOMPLETE there)", e.done, e.years, e.dir)
}

func (e *interruptedError) Unwrap() error { return e.cause }

// runRun simulates the scenario opts.File and writes its results.
func runRun(ctx context.Context, opts runOptions, stdout, stderr io.Writer) error {
	if err := opts.check(); err != nil {
		return err
	}
	p := newPrinter(stdout, stderr, opts.Quiet)

	// The overrides go in before the checks: --years 20 makes an
	// intervention from year 15 valid in a file of 5 years.
	if err := needFile("run", opts.File, fileScenario); err != nil {
		return err
	}
	s, err := scenario.LoadWith(opts.File, scenario.Overrides{Seed: opts.Seed, Years: opts.Years, Scale: opts.Scale})
	if err != nil {
		return err
	}
	if opts.Out != "" {
		// Fail before the slow part; Create checks again.
		if err := checkOut("run", opts.Out); err != nil {
			return err
		}
	}
	w, err := s.LoadWorld()
	if err != nil {
		return err
	}
	// The world's files for the folder's copies, read now, as the world
	// was: a later change is not copied as this world, and no folder is
	// made for a run refused for it.
	worldData, err := output.ReadWorldData(w.Files)
	if err != nil {
		return err
	}
	if opts.Years != 0 {
		// A shorter --years trial run is no mistake in the file, but say
		// what it leaves out. The years simulated are StartYear …
		// StartYear+Years−1.
		for _, n := range s.Late(s.StartYear, s.Years) {
			p.Errorf("note: %s (--years %d)", n, s.Years)
		}
	}
	for _, n := range scenarioWarnings(s, w) {
		p.Errorf("warning: %s", n)
	}
	if n := studyPlacesNote(w, s.Interventions); n != "" {
		p.Errorf("note: %s", n)
	}
	switch m, tooMuch := memoryWarning(w, s.Scale); {
	case tooMuch:
		return fmt.Errorf("%s: %s", s.File, m)
	case m != "":
		p.Errorf("warning: %s", m)
	}
	cfg := s.Config(w)
	cfg.Workers = opts.Workers
	newSim := opts.newSim
	if newSim == nil {
		newSim = newEngine
	}

	start := time.Now()
	done := p.Phase(fmt.Sprintf("synthesising %s people in %d regions", output.Group(int64(math.Round(float64(w.Population())*s.Scale))), w.N()))
	sim, err := newSim(w, cfg)
	done()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return &interruptedError{years: s.Years, cause: err}
	}

	// The run starts: now the folder is created.
	dir := opts.Out
	if dir == "" {
		base := opts.Results
		if base == "" {
			base = "results"
		}
		if dir, err = output.NewRunDir(base, s.Name, s.Seed, start); err != nil {
			return err
		}
	}
	host, _ := os.Hostname()
	run, err := output.CreateWith(dir, w, worldData, output.Manifest{
		EngineVersion:      engine.Version,
		EngineBuild:        engine.Build(),
		EngineBinarySHA256: engine.BinarySHA256(),
		ScenarioFile:       s.File,
		ScenarioSHA256:     s.SHA256,
		ScenarioName:       s.Name,
		World:              s.World,
		WorldFiles:         w.Files,
		Seed:               s.Seed,
		Scale:              s.Scale,
		Workers:            sim.Workers(),
		StartYear:          s.StartYear,
		Projection:         s.Projection,
		Years:              s.Years,
		StartTime:          start,
		CommandLine:        opts.Cmdline,
		GoVersion:          runtime.Version(),
		Hostname:           host,
	})
	if err != nil {
		return err
	}
	if err := run.WriteScenario(s.Text); err != nil {
		run.Close(err)
		return err
	}
	closed := false
	defer func() {
		// An engine panic still leaves a folder that says how far it got.
		if r := recover(); r != nil {
			if !closed {
				run.Close(fmt.Errorf("the engine failed: %v", r))
			}
			panic(r)
		}
	}()

	stop := func() error {
		if err := run.Write(sim.Observe()); err != nil {
			return err
		}
		bar := p.Bar(s.Years, "simulating "+s.Name, "years")
		defer bar.Done()
		for range s.Years {
			if err := ctx.Err(); err != nil {
				return &interruptedError{done: run.YearsCompleted(), years: s.Years, dir: dir, cause: err}
			}
			if err := run.Write(sim.Step()); err != nil {
				return err
			}
			bar.Add()
		}
		return nil
	}()
	closed = true
	why := stop
	if errors.Is(stop, context.Canceled) {
		why = errors.New(output.Interrupted) // not Go's "context canceled"
	}
	if err := run.Close(why); err != nil && stop == nil {
		stop = err
	}

	if done := run.YearsCompleted(); done > 0 {
		// An incomplete run's figures are those of the years it finished:
		// the summary says so first and last (the tables scroll the first
		// line away), as its INCOMPLETE file does.
		took := fmt.Sprintf("%d year%s in %.1f s", done, plural(done), time.Since(start).Seconds())
		footer := ""
		if stop != nil || done < s.Years {
			why := "stopped by an error"
			if errors.Is(stop, context.Canceled) {
				why = "interrupted"
			}
			cover := fmt.Sprintf("cover %d–%d only, not to %d", s.StartYear, s.StartYear+done, s.StartYear+s.Years)
			if done >= s.Years {
				// Every year simulated, but a file could not be finished.
				cover = "are those of every year, but the folder is not complete"
			}
			took = fmt.Sprintf("INCOMPLETE, %d of %d years in %.1f s (%s: the figures below %s)", done, s.Years, time.Since(start).Seconds(), why, cover)
			footer = fmt.Sprintf("INCOMPLETE: %s after %d of %d years; the figures above %s (%s says how to run it again)",
				why, done, s.Years, cover, filepath.Join(dir, output.IncompleteFile))
		}
		p.Printf("%s: %s, scale %g, seed %d, %d worker%s: %s\n\n",
			s.Name, s.World, s.Scale, s.Seed, sim.Workers(), plural(sim.Workers()), took)
		sum := run.Summary()
		if pr := world.FindProjection(s.Projection); pr != nil {
			sum.Projection = fmt.Sprintf("%s (projection = %q)", pr.Title, pr.Name)
		}
		if err := sum.WriteText(p.Stdout()); err != nil {
			return err
		}
		if footer != "" {
			p.Printf("\n%s\n", footer)
		}
	}
	if stop != nil {
		return stop
	}
	if opts.Quiet {
		p.Resultf("%s\n", dir)
	}
	return nil
}
