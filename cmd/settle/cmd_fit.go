package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	builtin "github.com/settle-sim/settle/targets"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/fit"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

const fitHelpHead = `Usage: settle fit RUN_DIR [flags]

Compares the run in RUN_DIR (a folder written by settle run) with calibration
targets (default targets/norway.toml, or its copy built into settle when there
is no such file: Norway's moving rates by age and sex,
moves per 1000, the peak age, the distance decay of flows, the
centralisation of the population, the shares living where they grew up
at 35, the moves into and out of rural Oppland and the living arrangements
of adults, with their sources) and prints a table: each target, the
simulated value, the error and whether it is met; a statistic that cannot be
measured is listed below it with the reason. The statistics are defined in
docs/calibration.md.

It writes into RUN_DIR/fit (or --out DIR), which must not exist or be empty:
  fit.csv          the table
  ages.csv         the simulated moves per 1000 by single year of age and sex
  schedule.png     moves per 1000 by age and sex against the targets and the
                   Rogers–Castro curve (and .svg)
  distance.png     flows against distance, log-log, with the fitted exponent
  centrality.png   population change by centrality class, total and by
                   domestic migration

Missed targets are reported, not an error, unless --strict is given.

The default targets are Norway's: a run of another world (the teaching
world, a regions CSV) is refused unless --targets names a targets file, and
targets whose name names another world than the run's give a warning.

Flags:
`

// fitOptions are the options of settle fit.
type fitOptions struct {
	RunDir  string
	Targets string // the targets file
	Out     string // "" = RunDir/fit
	Strict  bool   // missed targets are an error (exit code 1)
	// DefaultTargets is set when --targets was not given: a run of
	// another world than the targets' is then refused, not only warned of.
	DefaultTargets bool
}

// defaultTargets is the targets file used when --targets is not given,
// relative to the working directory (the repository root).
const defaultTargets = "targets/norway.toml"

func fitFlags(opts *fitOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.StringVar(&opts.Targets, "targets", defaultTargets, "compare with the targets `FILE` (TOML, see docs/calibration.md)")
	fs.StringVar(&opts.Out, "out", "", "write the table and charts to `DIR`, which must not exist or be empty\n(default RUN_DIR/fit)")
	fs.BoolVar(&opts.Strict, "strict", false, "exit with code 1 if any target is missed")
	return fs
}

func fitHelp() string {
	var o fitOptions
	return fitHelpHead + flagsHelp(fitFlags(&o), "targets", "out", "strict") + "\n" + strings.Replace(exitCodesNoRun,
		"1    error (a bad scenario, a failed run …)", "1    error (a bad run folder or targets file; with --strict, a missed target)", 1)
}

func cmdFit(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	var opts fitOptions
	fs := fitFlags(&opts)
	pos, err := parseArgs(fs, args, fitHelp(), stdout)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return usagef("which run? Give its folder: settle fit RUN_DIR (for example settle fit results/baseline/20250304-141502-s1)")
	case 1:
		opts.RunDir = pos[0]
	default:
		return usagef("give one run folder, not %d arguments: %q", len(pos), pos)
	}
	if isSet(fs, "out") && opts.Out == "" {
		return usagef("--out needs a folder name; leave it out for RUN_DIR/fit")
	}
	if opts.Targets == "" {
		return usagef("--targets needs a file name; leave it out for %s", defaultTargets)
	}
	opts.DefaultTargets = !isSet(fs, "targets")
	return runFit(ctx, opts, stdout, stderr)
}

// missedError reports missed targets under --strict (exit code 1).
type missedError struct{ missed, checked int }

func (e *missedError) Error() string {
	return fmt.Sprintf("%d of %d targets missed (--strict)", e.missed, e.checked)
}

// runFit compares the run in opts.RunDir with the targets and writes the
// table and charts.
func runFit(ctx context.Context, opts fitOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, false)
	if err := needRun("fit", opts.RunDir); err != nil {
		return err
	}
	var t *targets.Targets
	if _, err := os.Stat(opts.Targets); errors.Is(err, fs.ErrNotExist) && opts.Targets == defaultTargets {
		// Outside the repository: the copy built into the binary.
		if t, err = targets.Parse(defaultTargets+" (built in)", builtin.Norway); err != nil {
			return err
		}
	} else {
		if err := needFile("fit", opts.Targets, fileTargets); err != nil {
			return fmt.Errorf("--targets %w", err)
		}
		if t, err = targets.Load(opts.Targets); err != nil {
			return err
		}
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(opts.RunDir, "fit")
	}
	if err := checkOut("fit", out); err != nil {
		var ne *output.NotEmptyError
		if errors.As(err, &ne) && ne.Holds(fitCSV) {
			return fmt.Errorf("refusing to overwrite the earlier fit in %s; give --out DIR for a new folder, or delete it", out)
		}
		return err // names an earlier run, sweep or comparison, or says what is there
	}
	m, w, err := fit.LoadRun(opts.RunDir)
	if err != nil {
		return err
	}
	otherWorld := ""
	if tw := targetsWorld(t); tw != "" && m.World != tw && sameData(tw, w) {
		// A user's copy of the targets' embedded world (settle worlds
		// --export): the same world to the engine.
		p.Errorf("note: the world of %s, %s, loads the same data as %s: its targets apply", opts.RunDir, m.World, tw)
	} else if tw != "" && m.World != tw {
		otherWorld = tw
		if opts.DefaultTargets {
			return fmt.Errorf("%s is a run of the world %s, but the default targets %s are for the world %s: the comparison would say little about the fit; give targets for %s with --targets FILE, or --targets %s to compare anyway",
				opts.RunDir, m.World, t.File, tw, m.World, defaultTargets)
		}
		p.Errorf("warning: %s is a run of the world %s, but the targets %s (name = %q) are for the world %s: targets missed say little about the fit", opts.RunDir, m.World, t.File, t.Name, tw)
	}
	if !m.Complete {
		p.Errorf("note: the run in %s is incomplete (%s); comparing the %d years it holds", opts.RunDir, output.StopReason(m.Stopped), m.YearsCompleted)
	}
	acc := fit.NewAccumulator(w, t)
	if err := fit.ReadRun(opts.RunDir, w, acc.Add); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := acc.Stats()
	if s.Years == 0 {
		return fmt.Errorf("the window of %s (%s) holds no simulated year of the run in %s (%d–%d); change start_year in the targets file",
			t.File, windowText(t), opts.RunDir, m.StartYear, m.StartYear+m.YearsCompleted)
	}
	if t.Years > 0 && s.Years < t.Years {
		p.Errorf("note: the run has %d of the %d years of the targets' window; comparing those", s.Years, t.Years)
	}
	rows := fit.Compare(t, s)

	// The files first: a reader of the table who stops it (settle fit … |
	// head) ends the process at its next write to the terminal.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeFitCSV(filepath.Join(out, fitCSV), rows); err != nil {
		return err
	}
	if err := writeAgesCSV(filepath.Join(out, "ages.csv"), &s); err != nil {
		return err
	}
	if _, err := fit.WriteCharts(out, t, s); err != nil {
		return err
	}

	// The moves of the window's years, recorded on the 1 Januaries after
	// them (as settle explain says).
	p.Printf("%s (%s, scale %g, seed %d) against %s, moves recorded %d–%d:\n\n", opts.RunDir, m.World, m.Scale, m.Seed, t.File, min(s.FirstYear+1, s.LastYear), s.LastYear)
	if err := writeFitTable(p.Stdout(), rows); err != nil {
		return err
	}
	ok, checked := fit.Met(rows)
	p.Printf("\n%d of %d targets met (loss %.3g; error: simulated against the target, or the centre of a range; rows marked – are references, not checked).\n", ok, checked, fit.Loss(t, s))
	// A loss of 0 beside missed targets needs saying why.
	if n := worldLacks(rows); n > 0 {
		p.Printf("%d of the missed targets cannot be measured in this world, whatever the run (the reasons are above): they are not in the loss, which no parameter could change for them.\n", n)
	}
	if otherWorld != "" {
		p.Printf("These are targets for the world %s; the run is of the world %s.\n", otherWorld, m.World)
	}

	p.Printf("Table and charts (schedule, distance, centrality; PNG and SVG) in %s\n", out)
	if opts.Strict && ok < checked {
		return &missedError{checked - ok, checked}
	}
	return nil
}

// targetsWorld returns the embedded world the targets are for, when their
// name names one ("norway" → norway-2024), else "". A targets file has no
// world key; its name is the only hint.
func targetsWorld(t *targets.Targets) string {
	return world.EmbeddedNamed(t.Name)
}

// sameData reports whether the world w loads the same data as the
// embedded world name (compare.WorldDifference).
func sameData(name string, w *world.World) bool {
	e, err := world.Load(name, "")
	return err == nil && compare.WorldDifference(e, w) == ""
}

func windowText(t *targets.Targets) string {
	start := "the run's start"
	if t.StartYear != 0 {
		start = strconv.Itoa(t.StartYear)
	}
	if t.Years == 0 {
		return "from " + start + " to the end"
	}
	return fmt.Sprintf("%d years from %s", t.Years, start)
}

// writeFitTable prints the rows as an aligned table.
func writeFitTable(w io.Writer, rows []fit.Row) error {
	// Left-aligned cells; the numbers are right-aligned in fixed widths.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target statistic\t%12s\t%10s\t%8s\tok\n", "target", "simulated", "error")
	for _, r := range rows {
		okText := "yes"
		switch {
		case !r.Checked:
			okText = "–"
		case !r.OK:
			okText = "NO"
		}
		fmt.Fprintf(tw, "%s\t%12s\t%10s\t%8s\t%s\n", r.Name, targetText(r), num(r.Simulated, r.Unit), errorText(r), okText)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Why a statistic shows "–": the table has no room for the detail.
	for _, r := range rows {
		if math.IsNaN(r.Simulated) && strings.HasPrefix(r.Detail, "not measurable") {
			if _, err := fmt.Fprintf(w, "%s: %s\n", r.Name, r.Detail); err != nil {
				return err
			}
		}
	}
	return nil
}

// worldLacks counts the checked rows the run's world cannot measure.
func worldLacks(rows []fit.Row) int {
	n := 0
	for _, r := range rows {
		if r.Checked && r.WorldLacks {
			n++
		}
	}
	return n
}

// targetText writes what a row must reach: "130 ±20%", "41–46", "> 1".
func targetText(r fit.Row) string {
	switch {
	case !r.Checked:
		return num(r.Target, r.Unit)
	case r.Unit == "pp" && r.Min == 0:
		return "> 0 pp"
	case r.Unit == "pp" && r.Max == 0:
		return "< 0 pp"
	case !math.IsNaN(r.Tolerance):
		return fmt.Sprintf("%s ±%.0f%%", num(r.Target, r.Unit), 100*r.Tolerance)
	case r.Within > 0:
		// A size with an absolute error: "-6 ±3" rather than "-9–-3".
		return fmt.Sprintf("%s ±%s", num(r.Target, r.Unit), num(r.Within, r.Unit))
	case !math.IsNaN(r.Min) && !math.IsNaN(r.Max):
		return fmt.Sprintf("%s–%s", num(r.Min, r.Unit), num(r.Max, r.Unit))
	case !math.IsNaN(r.Min):
		return "> " + num(r.Min, r.Unit)
	case !math.IsNaN(r.Max):
		return "< " + num(r.Max, r.Unit)
	}
	return num(r.Target, r.Unit)
}

func errorText(r fit.Row) string {
	switch {
	case math.IsNaN(r.Error):
		return ""
	case r.Relative:
		return fmt.Sprintf("%+.1f%%", 100*r.Error)
	case r.Unit == "years":
		return fmt.Sprintf("%+.1f y", r.Error)
	}
	return fmt.Sprintf("%+.3g", r.Error)
}

// num formats a value with a precision that suits its size.
func num(x float64, unit string) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case unit == "pp":
		return fmt.Sprintf("%+.2f pp", x)
	case unit == "years":
		return strconv.FormatFloat(x, 'f', 1, 64)
	case x == 0:
		return "0"
	case math.Abs(x) >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case math.Abs(x) >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// fitCSV is the table's file in the fit folder.
const fitCSV = "fit.csv"

// fitCSVHeader are the columns of fit.csv.
var fitCSVHeader = []string{"id", "statistic", "target", "min", "max", "tolerance", "simulated", "error", "error_is_relative", "checked", "ok", "unit", "detail", "source"}

func writeFitCSV(path string, rows []fit.Row) error {
	records := [][]string{fitCSVHeader}
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 8, 64) // as calibrate's report.csv
	}
	for _, r := range rows {
		records = append(records, []string{r.ID, r.Name, f(r.Target), f(r.Min), f(r.Max), f(r.Tolerance), f(r.Simulated), f(r.Error),
			strconv.FormatBool(r.Relative), strconv.FormatBool(r.Checked), strconv.FormatBool(r.OK), r.Unit, r.Detail, r.Source})
	}
	return writeCSV(path, records)
}

// writeAgesCSV writes the single-year schedule: age, sex (f, m, all),
// persons at risk, moves and moves per 1000, summed over the window.
func writeAgesCSV(path string, s *fit.Stats) error {
	records := [][]string{{"age", "sex", "persons", "moves", "per_thousand"}}
	for a := 0; a < fit.Ages; a++ {
		for sx, name := range []string{"f", "m", "all"} {
			rate := ""
			if v := s.RatesByAgeSex[sx][a]; !math.IsNaN(v) {
				rate = strconv.FormatFloat(v, 'f', 3, 64)
			}
			records = append(records, []string{strconv.Itoa(a), name,
				strconv.FormatFloat(s.Persons[sx][a], 'f', 0, 64), strconv.FormatFloat(s.Moves[sx][a], 'f', 0, 64), rate})
		}
	}
	return writeCSV(path, records)
}

func writeCSV(path string, records [][]string) error {
	return output.WriteFile(path, func(w io.Writer) error {
		return csv.NewWriter(w).WriteAll(records)
	})
}
