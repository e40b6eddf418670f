package calibrate

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/world"
)

// Provenance is what a fitted file says about how it was made.
type Provenance struct {
	CommandLine []string
	Date        time.Time
	// TargetsFile and TargetsSHA256 name the targets when they are not in
	// the spec's own file (Spec.Targets); see LoadTargets.
	TargetsFile, TargetsSHA256 string
	// Rerun is a one-line summary of the fitted point re-simulated with the
	// rounded values written (the report's fitted column), if any: on a
	// rugged loss it is the honest figure, while the best evaluation's loss
	// is the luckiest of many.
	Rerun string
	// Validation is a one-line summary of the validation run, if any.
	Validation string
	// WorldFiles are the user's files the world was read from
	// (world.World.Files: a regions CSV, a travel-time CSV), each written
	// with its SHA-256.
	WorldFiles []world.File
}

// WriteFitted writes res as a TOML [behaviour] table that a scenario can
// paste (sim/scenario reads it), headed by comments that give its
// provenance: the command, the targets file and its SHA-256, the world (a
// user's regions and travel-time files with their SHA-256), scale, years
// and seeds, the date, the engine version, the number of
// evaluations and the loss at the start and at the fit. An interrupted fit
// says so in its first line.
func WriteFitted(w io.Writer, s *Spec, res *Result, prov Provenance) error {
	b := bufio.NewWriter(w)
	if !res.Complete {
		fmt.Fprintf(b, "# INCOMPLETE: the fit was %s after %d evaluations; these are the best values found so far.\n", res.Status, res.Evals)
	}
	fmt.Fprintf(b, "# Behaviour fitted by settle calibrate.\n#\n")
	fmt.Fprintf(b, "# command:     %s\n", commandLine(prov.CommandLine))
	if prov.TargetsFile != "" && prov.TargetsFile != s.File {
		fmt.Fprintf(b, "# calibration: %s (sha256 %s)\n", s.File, s.SHA256)
		fmt.Fprintf(b, "# targets:     %s (sha256 %s)\n", prov.TargetsFile, prov.TargetsSHA256)
	} else {
		fmt.Fprintf(b, "# targets:     %s (sha256 %s)\n", s.File, s.SHA256)
	}
	fmt.Fprintf(b, "# world:       %s, scale %g, %d years, seeds %s (common random numbers, losses averaged)\n", s.World, s.Scale, s.Years, seedList(s.Seeds))
	for _, f := range prov.WorldFiles {
		label := "world file:  "
		if f.Role == world.TravelFile {
			label = "travel file: "
		}
		fmt.Fprintf(b, "# %s%s (sha256 %s)\n", label, f.Path, f.SHA256)
	}
	fmt.Fprintf(b, "# method:      %s from gonum optimize on the logit of each parameter's bounds, step %g\n", s.Method, s.Step)
	fmt.Fprintf(b, "# evaluations: %d of at most %d, %d restart%s; stopped: %s; %s\n", res.Evals, s.MaxEvals, res.Restarts, plural(res.Restarts), res.Status, res.Elapsed.Round(time.Second))
	fmt.Fprintf(b, "# loss:        %.6g at the start, %.6g fitted (evaluation %d)\n", res.Start.Loss, res.Best.Loss, res.Best.N)
	if prov.Rerun != "" {
		fmt.Fprintf(b, "# rerun:       %s\n", prov.Rerun)
	}
	if prov.Validation != "" {
		fmt.Fprintf(b, "# validation:  %s\n", prov.Validation)
	}
	fmt.Fprintf(b, "# date:        %s\n", prov.Date.Format(time.RFC3339))
	if build := engine.Build(); build != "" {
		fmt.Fprintf(b, "# engine:      %s, build %s\n", engine.Version, build)
	} else {
		fmt.Fprintf(b, "# engine:      %s\n", engine.Version)
	}
	fmt.Fprintf(b, "#\n# Paste the [behaviour] table into a scenario (parameters not listed keep\n")
	fmt.Fprintf(b, "# their defaults), or adopt the values as the defaults in sim/params.\n\n")
	fmt.Fprintf(b, "[behaviour]\n")
	def := params.Default()
	width := 0
	for _, p := range s.Params {
		width = max(width, len(p.Name))
	}
	for i, p := range s.Params {
		v, err := res.Params.Get(p.Name)
		if err != nil {
			return err
		}
		d, _ := def.Get(p.Name)
		fmt.Fprintf(b, "%-*s = %-10s # bounds [%g, %g]; default %g; start %g\n",
			width, p.Name, formatValue(v), p.Min, p.Max, d, res.Start.Values[i])
	}
	return b.Flush()
}

// formatValue writes v so that TOML reads it as a float, with the digits
// Round kept.
func formatValue(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") { // n: NaN, Inf never occur (bounded)
		s += ".0"
	}
	return s
}

func seedList(seeds []uint64) string {
	parts := make([]string, len(seeds))
	for i, x := range seeds {
		parts[i] = strconv.FormatUint(x, 10)
	}
	return strings.Join(parts, ", ")
}

// commandLine quotes arguments that a shell would split.
func commandLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// TraceHeader returns the header of trace.csv for s: the evaluation number,
// the mean loss, the loss of each seed, each parameter's value, the seconds
// the evaluation took and whether it was the best so far.
func TraceHeader(s *Spec) []string {
	h := []string{"evaluation", "loss"}
	for _, x := range s.Seeds {
		h = append(h, "loss_seed"+strconv.FormatUint(x, 10))
	}
	for _, p := range s.Params {
		h = append(h, p.Name)
	}
	return append(h, "seconds", "best")
}

// TraceRow returns e as a row of trace.csv (see TraceHeader).
func TraceRow(e Eval) []string {
	r := []string{strconv.Itoa(e.N), strconv.FormatFloat(e.Loss, 'g', 8, 64)}
	for _, l := range e.SeedLoss {
		r = append(r, strconv.FormatFloat(l, 'g', 8, 64))
	}
	for _, v := range e.Values {
		r = append(r, strconv.FormatFloat(v, 'g', 8, 64))
	}
	return append(r, strconv.FormatFloat(e.Elapsed.Seconds(), 'f', 2, 64), strconv.FormatBool(e.Best))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
