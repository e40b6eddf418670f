package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/report"
	"github.com/settle-sim/settle/sim/scenario"
)

func init() {
	register(command{"compare", "compare scenarios with a baseline: differences with intervals, charts, a map, report.html", cmdCompare})
}

const compareHelpHead = `Usage: settle compare BASELINE.toml SCENARIO.toml [MORE.toml ...] [flags]

Simulates the baseline and every scenario --replicates times with common
random numbers (replicate k uses seed base+k−1 in every scenario, base being
the baseline's seed or --seed), one run after the other, and writes into a
new folder results/compare/<date-time>-s<seed>/ (or --out DIR):

  report.html               one self-contained page: what each file assumes
                            (interventions, parameters, behaviour), a
                            summary in words, tables, charts, the map and
                            every run's manifest
  deltas.csv                per region, centrality class, county, the nation
                            and intervention target group, year and metric:
                            baseline mean, scenario mean, difference and its
                            90 % interval
  key_year.csv              the rows of deltas.csv of the key year (--year):
                            small enough for a spreadsheet
  attractiveness.csv        net domestic migration split into what job
                            growth explains and the residual attractiveness
  attractiveness_model.csv  the yearly regressions behind it
  flows_by_age_motive.csv   net moves into the target regions by age, motive
                            and their totals, the difference and its 90 %
                            interval
  pyramids.csv              their residents by sex and age, first/last year
  charts/                   PNG (slides) and SVG (web) charts and maps
  compare.json              what was compared (with each file's text), and
                            every run's manifest

and prints the key figures and the summary. The scenarios must share the
world, start year, years and scale; --years and --scale set them for all.
The columns and the method are in docs/compare.md.

Flags:
`

// compareOptions are the options of settle compare.
type compareOptions struct {
	Files      []string // the baseline first
	Replicates int
	Out        string  // "" = a new folder under Results/compare
	Workers    int     // 0 = one per CPU
	Seed       *uint64 // nil = the baseline's seed
	Years      int     // 0 = the files'
	Scale      float64 // 0 = the files'
	Year       int     // the year of the summary; 0 = the last
	KeepRuns   bool    // also write every run's own folder
	Quiet      bool
	Cmdline    []string

	// Results is the base folder of default output folders ("results").
	Results string
}

// defaultReplicates balances the interval's width against time: with 5
// runs the t-interval is 1.6 times narrower than with 2 (t(0.95, 4) = 2.13
// against t(0.95, 1) = 6.31, and √5 against √2).
const defaultReplicates = 5

func compareFlags(opts *compareOptions, seed *uint64) *flag.FlagSet {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.IntVar(&opts.Replicates, "replicates", defaultReplicates, "run every scenario `N` times, with the seeds base … base+N−1\n(default "+strconv.Itoa(defaultReplicates)+"; 2 or more give intervals)")
	fs.StringVar(&opts.Out, "out", "", "write into `DIR`, which must not exist or be empty\n(default results/compare/<date-time>-s<seed>)")
	fs.IntVar(&opts.Workers, "workers", 0, "simulate with `N` goroutines (default one per CPU: "+strconv.Itoa(runtime.NumCPU())+");\nthe results are the same for any N")
	fs.Uint64Var(seed, "seed", 0, "base seed `N` (default the baseline's seed)")
	fs.IntVar(&opts.Years, "years", 0, "simulate `N` years in every scenario (default the files' years)")
	fs.Float64Var(&opts.Scale, "scale", 0, "simulate the share `X` of the population in every scenario, 0 < X ≤ 1\n(default the files' scale)")
	fs.IntVar(&opts.Year, "year", 0, "summarise the year `Y` on the terminal and in report.html: the summary,\nkey figures, maps and all metrics, and write its rows of deltas.csv to\nkey_year.csv (default the last year; the charts show every year)")
	fs.BoolVar(&opts.KeepRuns, "keep-runs", false, "also write every run's own folder (regions.csv, flows.csv …) under runs/")
	fs.BoolVar(&opts.Quiet, "quiet", false, "print only errors and the results folder")
	return fs
}

func compareHelp() string {
	var o compareOptions
	var seed uint64
	return compareHelpHead + flagsHelp(compareFlags(&o, &seed), "replicates", "out", "workers", "seed", "years", "scale", "year", "keep-runs", "quiet") + "\n" +
		strings.Replace(exitCodesHelp, "a run's folder is then marked INCOMPLETE", "the comparison's folder is then removed (or marked INCOMPLETE with --keep-runs)", 1)
}

func cmdCompare(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error {
	var opts compareOptions
	var seed uint64
	fs := compareFlags(&opts, &seed)
	pos, err := parseArgs(fs, args, compareHelp(), stdout)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return usagef("which scenarios? Give the baseline and at least one scenario: settle compare scenarios/baseline.toml scenarios/rogfast.toml")
	case 1:
		return usagef("give a scenario to compare with the baseline %s: settle compare %s SCENARIO.toml", pos[0], pos[0])
	}
	opts.Files = pos
	if isSet(fs, "seed") {
		opts.Seed = &seed
	}
	if isSet(fs, "workers") && opts.Workers == 0 {
		return workersError(0)
	}
	if isSet(fs, "years") && opts.Years == 0 {
		return yearsError(0)
	}
	if isSet(fs, "scale") && opts.Scale == 0 {
		return scaleError(0)
	}
	if isSet(fs, "out") && opts.Out == "" {
		return usagef("--out needs a folder name; leave it out for a new folder under results/compare/")
	}
	opts.Cmdline = cmdline
	return runCompare(ctx, opts, stdout, stderr)
}

func (o *compareOptions) check() error {
	if o.Replicates < 1 || o.Replicates > 1000 {
		return usagef("--replicates %d: give a number of runs per scenario from 1 to 1000 (2 or more give intervals)", o.Replicates)
	}
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

// runCompare runs the comparison and writes its folder.
func runCompare(ctx context.Context, opts compareOptions, stdout, stderr io.Writer) error {
	if err := opts.check(); err != nil {
		return err
	}
	p := newPrinter(stdout, stderr, opts.Quiet)
	var scenarios []*scenario.Scenario
	// Every file's problems at once, as settle validate gives one file's:
	// only the first bad file's were reported.
	var errs []error
	for _, f := range opts.Files {
		if err := needFile("compare", f, fileScenario); err != nil {
			errs = append(errs, err)
			continue
		}
		// --years and --scale go in before the checks that depend on them
		// (the interventions' years); the seed is the comparison's.
		s, err := scenario.LoadWith(f, scenario.Overrides{Years: opts.Years, Scale: opts.Scale})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		scenarios = append(scenarios, s)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if opts.Out != "" {
		if err := checkOut("compare", opts.Out); err != nil {
			return err
		}
	}
	plan, err := compare.NewPlan(scenarios, compare.PlanOptions{Replicates: opts.Replicates, Seed: opts.Seed,
		Years: opts.Years, Scale: opts.Scale, Cmdline: opts.Cmdline})
	if err != nil {
		return err
	}
	if opts.Year != 0 && (opts.Year < plan.StartYear || opts.Year > plan.StartYear+plan.Years) {
		return usagef("--year %d is outside the comparison's years %d–%d", opts.Year, plan.StartYear, plan.StartYear+plan.Years)
	}
	for _, n := range plan.Warnings {
		p.Errorf("warning: %s", n)
	}
	for _, n := range plan.Notes {
		p.Errorf("note: %s", n)
	}
	if opts.Replicates == 1 {
		p.Errorf("note: one replicate gives no intervals; use --replicates 2 or more")
	}

	start := time.Now()
	dir := opts.Out
	// A folder the user made for the results is kept if the comparison
	// fails; one this command creates is removed with its files.
	_, statErr := os.Stat(dir)
	ours := dir == "" || errors.Is(statErr, fs.ErrNotExist)
	if dir == "" {
		base := opts.Results
		if base == "" {
			base = "results"
		}
		if dir, err = output.NewRunDir(base, "compare", plan.Seed, start); err != nil {
			return err
		}
	}
	rerun := compareRerunText(opts.Cmdline, dir)
	if err := claimCompareDir(dir, plan, rerun); err != nil {
		return err
	}
	runsDir := ""
	if opts.KeepRuns {
		runsDir = filepath.Join(dir, "runs")
	}
	fail := func(err error) error {
		return errors.Join(err, abandonCompareDir(dir, opts.KeepRuns, ours, err, rerun))
	}

	bar := p.Bar(plan.Runs()*plan.Years, fmt.Sprintf("%d runs", plan.Runs()), "years")
	res, err := plan.Run(ctx, compare.RunOptions{Workers: opts.Workers, RunsDir: runsDir,
		Progress: func(_, year int) {
			if year > 0 {
				bar.Add()
			}
		}})
	bar.Done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			msg := "interrupted; nothing of the comparison was kept"
			if opts.KeepRuns {
				msg = "interrupted; the runs that finished are kept in " + filepath.Join(dir, "runs") + " (the comparison is marked INCOMPLETE)"
			}
			err = output.Reworded(msg, err) // still context.Canceled: exit code 130
		}
		return fail(err)
	}
	done := p.Phase("writing tables, charts and report.html")
	written := time.Now()
	err = writeComparison(ctx, res, dir, opts.Year)
	done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			// Ctrl-C while the tables, charts and report were written
			// was ignored: the comparison finished, exit 0.
			msg := "interrupted while writing the tables, charts and report; nothing of the comparison was kept"
			if opts.KeepRuns {
				msg = "interrupted while writing the tables, charts and report; every run finished and is kept in " + filepath.Join(dir, "runs") + " (the comparison is marked INCOMPLETE)"
			}
			err = output.Reworded(msg, err) // still context.Canceled: exit code 130
		}
		return fail(err)
	}
	if err := os.Remove(filepath.Join(dir, output.IncompleteFile)); err != nil {
		return err
	}

	// The runs' time is report.html's (Result.RunTime); the writing after
	// them is said apart: one figure for both read as two measurements
	// that disagreed (25.2 s here, 19.9 s in the report).
	p.Printf("%s against %s: %s, scale %g, %d replicate%s (%s), %d runs in %s, tables, charts and report in %s\n\n",
		strings.Join(opts.Files[1:], ", "), opts.Files[0], plan.World.Name, plan.Scale, plan.Replicates, plural(plan.Replicates),
		seedRange(plan), plan.Runs(), compare.Seconds(res.RunTime()), compare.Seconds(time.Since(written)))
	if err := writeCompareSummary(p.Stdout(), res, opts.Year); err != nil {
		return err
	}
	p.Printf("\nReport:  %s\n", filepath.Join(dir, report.ReportFile))
	p.Printf("Tables:  %s (and key_year.csv, attractiveness.csv, attractiveness_model.csv, flows_by_age_motive.csv, pyramids.csv)\n", filepath.Join(dir, compare.DeltasFile))
	if opts.Quiet {
		p.Resultf("%s\n", dir)
	}
	return nil
}

// writeComparison writes the tables, charts and report.html of res into
// dir, the report's key year year (0: the last). Once ctx is done
// (Ctrl-C) it stops before the next file or chart with ctx's error, also
// after the last: the caller then removes the folder, or marks it
// INCOMPLETE, rather than call the comparison finished.
func writeComparison(ctx context.Context, res *compare.Result, dir string, year int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := res.WriteContext(ctx, dir, year); err != nil {
		return err
	}
	if _, err := report.WriteWith(ctx, res, dir, report.Options{Year: year}); err != nil {
		return err
	}
	return ctx.Err()
}

func seedRange(p *compare.Plan) string {
	if p.Replicates == 1 {
		return "seed " + strconv.FormatUint(p.Seed, 10)
	}
	return fmt.Sprintf("seeds %d–%d", p.Seed, p.Seed+uint64(p.Replicates)-1)
}

// compareRerunText says how to make the comparison again: the same
// command into a new folder (the same seeds give the same results).
func compareRerunText(cmdline []string, dir string) string {
	if len(cmdline) == 0 {
		return ""
	}
	return fmt.Sprintf("\nTo get the whole comparison, run it again; the same seeds give the same results.\n"+
		"Delete %s first, or give the new comparison another --out:\n\n    %s\n", dir, output.ShellJoin(cmdline))
}

// claimCompareDir creates dir (if need be) and marks it INCOMPLETE until
// the comparison is written; it refuses a folder that is not empty. rerun
// (compareRerunText) ends the file.
func claimCompareDir(dir string, plan *compare.Plan, rerun string) error {
	if err := checkOut("compare", dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return output.FolderError("create", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, output.IncompleteFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("refusing to overwrite the earlier results in %s; choose another --out or delete it", dir)
	}
	if err != nil {
		return output.FolderError("write into", dir, err)
	}
	_, err = fmt.Fprintf(f, "This comparison is still running, or it stopped without finishing.\n%d runs of %d years were planned.\n%s", plan.Runs(), plan.Years, rerun)
	return errors.Join(err, f.Close())
}

// abandonCompareDir cleans up after a failed comparison: without kept runs
// our files are removed, and the folder too when this command created it
// (ours); with them the tables, charts and report written so far (a
// Ctrl-C while they were written) are removed and the INCOMPLETE file says
// why it stopped.
func abandonCompareDir(dir string, keptRuns, ours bool, why error, rerun string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !keptRuns {
		return nil
	}
	known := map[string]bool{output.IncompleteFile: true, compare.DeltasFile: true, compare.KeyYearFile: true, compare.AttractivenessFile: true,
		compare.AttractModelFile: true, compare.FlowsFile: true, compare.PyramidsFile: true, compare.ManifestFile: true,
		report.ReportFile: true, report.ChartsDir: true}
	if keptRuns {
		for _, e := range entries {
			if name := strings.TrimSuffix(e.Name(), ".tmp"); known[name] && name != output.IncompleteFile {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
		return output.WriteData(filepath.Join(dir, output.IncompleteFile),
			[]byte(fmt.Sprintf("This comparison did not finish: %v.\nThe runs under runs/ that finished are complete; their tables are not aggregated.\n%s", why, rerun)))
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".tmp")
		if !known[name] {
			return nil // not ours: leave the folder alone
		}
	}
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
	if ours {
		os.Remove(dir)
	}
	return nil
}

// writeCompareSummary prints the key figures of the focus units and the
// summary sentences.
func writeCompareSummary(w io.Writer, res *compare.Result, year int) error {
	if year == 0 {
		year = res.LastYear()
	}
	yi := res.YearIndex(year)
	p := res.Plan
	for s := 1; s < len(p.Scenarios); s++ {
		fmt.Fprintf(w, "Residents on 1 January %d, %s against %s:\n", year, p.Scenarios[s].Name, p.Scenarios[0].Name)
		var rows []keyRow
		for _, f := range p.ScenarioFocus(s) {
			u := p.Focus[f]
			rows = append(rows, keyRow{p.Units[u].Name, res.Delta(s, u, compare.Population, yi)})
		}
		if err := writeKeyTable(w, p.Scenarios[s].Name, rows); err != nil {
			return err
		}
		// As under report.html's key figures: why a group is one row,
		// and whose effect its row is.
		for _, n := range p.GroupedNotes(s) {
			fmt.Fprintf(w, "  (%s)\n", n)
		}
		if n := p.CombinedNote(s); n != "" {
			fmt.Fprintf(w, "  (%s)\n", strings.TrimSuffix(n, "."))
		}
		if n := p.ProjectionNote(s); n != "" {
			fmt.Fprintf(w, "  (%s)\n", strings.TrimSuffix(n, "."))
		}
		fmt.Fprintln(w)
	}
	for _, s := range res.Sentences(year) {
		fmt.Fprintf(w, "%s\n", s.Text)
	}
	return nil
}

// keyRow is a row of the terminal's table of residents: a unit's name and
// its population difference.
type keyRow struct {
	name string
	d    compare.Delta
}

// roundingNote follows a table of residents in which a row's rounded
// difference is not the difference of its rounded means: each is rounded
// on its own (102,898 and 104,800 beside +1,903), and the difference is the
// mean of the paired differences, which rounding the means would misstate.
const roundingNote = "  (each figure is rounded on its own: a difference can be one off the difference of the rounded means)"

// writeKeyTable writes the table of residents of a scenario, name, against
// the baseline: the means, the difference and its interval, rounded as
// the sentences and report.html round them (compare.Count, Signed), and
// roundingNote when a row does not add up.
func writeKeyTable(w io.Writer, name string, rows []keyRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "baseline\t%s\tdifference\t90 %% interval\t\tregion\n", name)
	off := false
	for _, r := range rows {
		d := r.d
		iv := "–"
		if d.Replicates > 1 {
			iv = compare.Count(d.Lo) + " to " + compare.Count(d.Hi)
		}
		diff := compare.Signed(d.Difference) // as the sentences and report.html round it
		if compare.RoundCount(d.Scenario)-compare.RoundCount(d.Baseline) != compare.RoundCount(d.Difference) {
			off = true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\t%s\n", compare.Count(d.Baseline), compare.Count(d.Scenario), diff, iv, r.name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if off {
		_, err := fmt.Fprintln(w, roundingNote)
		return err
	}
	return nil
}
