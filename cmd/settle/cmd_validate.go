package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/world"
)

const validateHelpHead = `Usage: settle validate FILE
       settle validate --params [FILE]

Checks the scenario FILE without running it: loads it and its world,
resolves the interventions' target regions and prints a summary (world,
regions, population, years, scale, the behaviour parameters the file
overrides, the interventions and their targets). Every problem is reported
with its line, its key and how to fix it: those of the file itself all at
once, then, once they are fixed, those that need its world (an unknown
region, a county, the start year).

With --params, lists every behaviour parameter a scenario's [behaviour]
table can set, with its default, its range and what it does; given a FILE
too, with the values the file sets beside the defaults.

Flags:
`

// validateOptions are the options of settle validate.
type validateOptions struct {
	File   string // the scenario to check; may be "" with Params
	Params bool   // list the behaviour parameters
}

func validateFlags(opts *validateOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.BoolVar(&opts.Params, "params", false, "list every behaviour parameter with its default, range and doc")
	return fs
}

func validateHelp() string {
	var o validateOptions
	return validateHelpHead + flagsHelp(validateFlags(&o), "params") + "\n" + exitCodesNoRun
}

func cmdValidate(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	var opts validateOptions
	pos, err := parseArgs(validateFlags(&opts), args, validateHelp(), stdout)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 1:
		return usagef("give one scenario file, not %d arguments: %q", len(pos), pos)
	case len(pos) == 1:
		opts.File = pos[0]
	case !opts.Params:
		return usagef("which scenario? Give its file (settle validate FILE), or --params for the behaviour parameters")
	}
	return runValidate(ctx, opts, stdout, stderr)
}

// runValidate checks opts.File and prints its summary, and/or lists the
// behaviour parameters.
func runValidate(_ context.Context, opts validateOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, false)
	if opts.File == "" {
		return writeParams(p.Stdout(), nil)
	}
	if err := needFile("validate", opts.File, fileScenario); err != nil {
		return err
	}
	s, err := scenario.Load(opts.File)
	if err != nil {
		return err
	}
	if opts.Params { // with the file's values beside the defaults
		if err := writeParams(p.Stdout(), s); err != nil {
			return err
		}
		p.Printf("\n")
	}
	w, err := s.LoadWorld()
	if err != nil {
		return err
	}
	// What engine.New checks too, so that "valid" means the run can start.
	var errs []error
	for _, sp := range s.Interventions {
		if err := intervention.Check(sp, w); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	// What settle run refuses is not valid on this machine: an error, not
	// a warning under "valid".
	if m, tooMuch := memoryWarning(w, s.Scale); tooMuch {
		return fmt.Errorf("%s: %s", s.File, m)
	}
	if err := writeScenario(p.Stdout(), s, w); err != nil {
		return err
	}
	if n := studyPlacesNote(w, s.Interventions); n != "" {
		p.Errorf("note: %s", n)
	}
	return nil
}

// studyPlacesNote says, of a world in which no region has study places,
// that nobody studies, or returns "". study_places is an optional column
// of a regions CSV and is not synthesised: a world without it has no
// campus, so admission admits nobody, the students column stays 0 and
// nobody gains a degree during the run (the start population's degrees
// are synthesised from the national shares). A campus intervention that
// adds places opens them in its first year.
func studyPlacesNote(w *world.World, interventions []intervention.Spec) string {
	for i := range w.Regions {
		if w.Regions[i].StudyPlaces > 0 {
			return ""
		}
	}
	what := "nobody studies, so the students column stays 0 and no one earns a degree during the run"
	opens := 0
	for i := range interventions {
		sp := &interventions[i]
		if sp.Kind == "campus" && sp.Num("students") > 0 && (opens == 0 || sp.FromYear < opens) {
			opens = sp.FromYear
		}
	}
	if opens != 0 {
		what = fmt.Sprintf("nobody studies before the campus intervention opens places in %d", opens)
	}
	return fmt.Sprintf("world %s has no study places in any region (no study_places column in its regions file, or 0 in every row): %s; add the column (higher-education study places per region) to model higher education",
		w.Name, what)
}

// writeScenario prints what a scenario will run.
func writeScenario(out io.Writer, s *scenario.Scenario, w *world.World) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s: valid\n", s.File)
	fmt.Fprintf(tw, "  name\t%s\n", s.Name)
	if s.Description != "" {
		fmt.Fprintf(tw, "  description\t%s\n", s.Description)
	}
	fmt.Fprintf(tw, "  world\t%s\n", s.World)
	if s.TravelTimes != "" {
		fmt.Fprintf(tw, "  travel times\t%s (%s)\n", s.TravelTimes, travelSummary(w))
	}
	fmt.Fprintf(tw, "  regions\t%d\n", w.N())
	if w.DerivedClasses > 0 {
		var by [7]int
		for i := range w.Regions {
			by[w.Regions[i].Centrality]++
		}
		var parts []string
		for c := 1; c <= 6; c++ {
			if by[c] > 0 {
				parts = append(parts, fmt.Sprintf("%d in class %d", by[c], c))
			}
		}
		fmt.Fprintf(tw, "  centrality\t%s (%d derived from the population within 60 minutes; give centrality_class to set it)\n",
			strings.Join(parts, ", "), w.DerivedClasses)
	}
	fmt.Fprintf(tw, "  population\t%s on 1 January %d\n", output.Group(int64(w.Population())), w.StartYear)
	var empty []string
	for i := range w.Regions {
		if w.Regions[i].Population == 0 {
			empty = append(empty, w.Regions[i].Name)
		}
	}
	if len(empty) > 0 {
		if len(empty) > 5 {
			empty = append(empty[:5], "…")
		}
		fmt.Fprintf(tw, "  empty regions\t%s: no residents; they stay empty unless an intervention builds dwellings and jobs there\n", strings.Join(empty, ", "))
	}
	fmt.Fprintf(tw, "  years\t%d (%d–%d; the results describe 1 January %d to %d)\n", s.Years, s.StartYear, s.StartYear+s.Years-1, s.StartYear, s.StartYear+s.Years)
	fmt.Fprintf(tw, "  seed\t%d\n", s.Seed)
	fmt.Fprintf(tw, "  scale\t%g (%s simulated persons, scaled back in the outputs)\n",
		s.Scale, output.Group(int64(synth.Simulated(w, s.Scale))))
	fmt.Fprintf(tw, "  projection\t%s\n", world.FindProjection(s.Projection).Summary(s.StartYear, s.StartYear+s.Years-1))
	fmt.Fprintf(tw, "  sha256\t%s\n", s.SHA256)

	if ov := s.SortedOverrides(); len(ov) == 0 {
		fmt.Fprintf(tw, "  behaviour\tthe defaults (settle validate --params lists them)\n")
	} else {
		fmt.Fprintf(tw, "  behaviour\t%d overridden:\n", len(ov))
		for _, o := range ov {
			fmt.Fprintf(tw, "    %s\t%g (default %g)\n", o.Name, o.Value, o.Default)
		}
	}
	if len(s.Interventions) == 0 {
		fmt.Fprintf(tw, "  interventions\tnone\n")
	} else {
		fmt.Fprintf(tw, "  interventions\t%d:\n", len(s.Interventions))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i := range s.Interventions {
		writeIntervention(out, i+1, &s.Interventions[i], w)
	}
	// Valid, but probably not what was meant.
	for _, n := range scenarioWarnings(s, w) {
		fmt.Fprintf(out, "  warning: %s\n", n)
	}
	if m, tooMuch := memoryWarning(w, s.Scale); m != "" && !tooMuch {
		fmt.Fprintf(out, "  warning: %s\n", m)
	}
	return nil
}

// scenarioWarnings are what a valid scenario probably did not mean: what
// its world's files probably got wrong (world.World.Warnings), then its
// interventions' (intervention.Implausible). settle validate and settle
// run show them.
func scenarioWarnings(s *scenario.Scenario, w *world.World) []string {
	return append(slices.Clone(w.Warnings), intervention.Implausible(s.Interventions, w)...)
}

// travelSummary says what the scenario's travel-time file gave: how many
// of the ordered pairs between two regions (all of them, or some and where
// the others come from), and the internal travel times of the regions its
// pairs from a region to itself set (a file of those alone gave no pair,
// which "0 of the 306 ordered pairs" left unsaid), or the zeros on its
// diagonal that were skipped.
func travelSummary(w *world.World) string {
	n := w.N()
	pairs := n * (n - 1)
	g := output.Group
	internal := ""
	switch {
	case w.GivenInternal == n:
		internal = fmt.Sprintf("the internal travel time of all %d regions, from its rows from a region to itself", n)
	case w.GivenInternal > 0:
		internal = fmt.Sprintf("the internal travel time of %d of the %d regions, from its rows from a region to itself (the others' estimated from their areas)", w.GivenInternal, n)
	}
	var parts []string
	switch other := pairs - w.GivenPairs - w.EstimatedPairs; { // other: from the world's own travel file
	case w.GivenPairs == pairs:
		parts = append(parts, fmt.Sprintf("all %s ordered pairs", g(int64(pairs))))
	case w.GivenPairs == 0 && other == 0 && internal != "":
		internal += fmt.Sprintf(", and none of the %s ordered pairs between two regions: those are all estimated from the centroids", g(int64(pairs)))
	case w.GivenPairs == 0 && other == 0:
		parts = append(parts, fmt.Sprintf("none of the %s ordered pairs: all estimated from the centroids", g(int64(pairs))))
	case other > 0:
		parts = append(parts, fmt.Sprintf("%s of the %s ordered pairs", g(int64(w.GivenPairs)), g(int64(pairs))),
			fmt.Sprintf("%s more from the world's own travel file, %s estimated from the centroids", g(int64(other)), g(int64(w.EstimatedPairs))))
	default:
		parts = append(parts, fmt.Sprintf("%s of the %s ordered pairs", g(int64(w.GivenPairs)), g(int64(pairs))),
			"the others estimated from the centroids")
	}
	switch {
	case internal != "" && len(parts) == 0:
		parts = append(parts, internal)
	case internal != "":
		parts = append(parts, "and "+internal)
	}
	if w.SkippedZeros > 0 {
		parts = append(parts, fmt.Sprintf("its %d zero%s on the diagonal skipped: those regions keep the internal travel time estimated from their areas", w.SkippedZeros, plural(w.SkippedZeros)))
	}
	return strings.Join(parts, "; ")
}

// maxTargets is how many target regions validate names before "… and N more".
const maxTargets = 12

func writeIntervention(out io.Writer, n int, sp *intervention.Spec, w *world.World) {
	d := sp.Describe(w, maxTargets)
	fmt.Fprintf(out, "    %d. %s, %s (%s:%d)\n", n, d.Label, d.Years, sp.File, sp.Line)
	fmt.Fprintf(out, "       targets: %s\n", d.Targets)
	for _, p := range d.Params {
		fmt.Fprintf(out, "       %s%s\n", p, perTargetTotal(sp, p))
	}
	if when, pairs := travelChanges(sp, w); len(pairs) > 0 {
		fmt.Fprintf(out, "       travel times, one way, %s (other trips keep theirs):\n", when)
		for _, p := range pairs {
			fmt.Fprintf(out, "         %s\n", p)
		}
	}
}

// perTargetTotal returns, for a parameter line of Describe ("jobs = 50
// [jobs]") whose parameter is a count in each target region (the
// catalogue's doc says "in each target region": dwellings, jobs, study
// places, second homes), the programme's total over its targets: " in each
// of 18 regions: 540 dwellings a year in all". It returns "" for the
// others and for a single target.
func perTargetTotal(sp *intervention.Spec, line string) string {
	key, _, _ := strings.Cut(line, " = ")
	kind := intervention.Kinds[sp.Kind]
	if kind == nil || len(sp.Regions) < 2 {
		return ""
	}
	for _, ps := range kind.Params {
		if ps.Key != key || !strings.Contains(ps.Doc, "in each target region") || !sp.Has(key) {
			continue
		}
		// "dwellings/year" is "dwellings a year".
		unit := ps.Unit
		if u, ok := strings.CutSuffix(unit, "/year"); ok {
			unit = u + " a year"
		}
		total := sp.Num(key) * float64(len(sp.Regions))
		return fmt.Sprintf(" in each of %d regions: %s %s in all", len(sp.Regions), output.Group(int64(math.Round(total))), unit)
	}
	return ""
}

// maxTravelPairs is how many changed travel times validate shows before
// "… and N more".
const maxTravelPairs = 5

// travelChanges returns, for a region_enlargement, when it is in full force
// and the travel times between its targets before → after then, the
// largest cuts first: the matrix the engine's step 1 makes
// (intervention.Apply on a state of the world, in that year), so that what
// is shown is what is simulated. A pair whose two directions are alike is
// one line (A ↔ B). Other kinds: nothing.
func travelChanges(sp *intervention.Spec, w *world.World) (when string, lines []string) {
	if sp.Kind != "region_enlargement" || len(sp.Regions) < 2 {
		return "", nil
	}
	year, when := sp.FromYear, fmt.Sprintf("from %d", sp.FromYear)
	if sp.PhaseInYears > 1 {
		year = sp.FromYear + sp.PhaseInYears - 1
		when = fmt.Sprintf("once phased in (%d)", year)
	}
	if sp.ToYear != 0 && year > sp.ToYear { // it ends before it is in full
		year, when = sp.ToYear, fmt.Sprintf("in %d, its last year (%d of %d years phased in)", sp.ToYear, sp.ToYear-sp.FromYear+1, sp.PhaseInYears)
	}
	n := w.N()
	st := &state.State{World: w, P: params.Default(), Regions: make([]state.RegionState, n),
		Minutes: slices.Clone(w.Minutes), Year: year, Scale: 1}
	intervention.Apply(st, []intervention.Spec{*sp})

	names := map[string]int{} // a name two targets share is given with the code
	for _, r := range sp.Regions {
		names[w.Regions[r].Name]++
	}
	label := func(r int) string {
		if reg := &w.Regions[r]; names[reg.Name] == 1 {
			return reg.Name
		}
		return w.Regions[r].Name + " (" + w.Regions[r].Code + ")"
	}
	type change struct {
		text string
		cut  float64
	}
	var all []change
	for a, i := range sp.Regions {
		for _, j := range sp.Regions[a+1:] {
			b1, a1 := w.Minutes[i*n+j], st.Minutes[i*n+j]
			b2, a2 := w.Minutes[j*n+i], st.Minutes[j*n+i]
			if b1 == b2 && a1 == a2 {
				all = append(all, change{fmt.Sprintf("%s ↔ %s: %s → %s minutes", label(i), label(j), minutes(b1), minutes(a1)), float64(b1 - a1)})
				continue
			}
			all = append(all, change{fmt.Sprintf("%s → %s: %s → %s minutes", label(i), label(j), minutes(b1), minutes(a1)), float64(b1 - a1)},
				change{fmt.Sprintf("%s → %s: %s → %s minutes", label(j), label(i), minutes(b2), minutes(a2)), float64(b2 - a2)})
		}
	}
	slices.SortStableFunc(all, func(x, y change) int { return cmp.Compare(y.cut, x.cut) })
	for k, c := range all {
		if k == maxTravelPairs && len(all) > maxTravelPairs+1 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(all)-k))
			break
		}
		if c.cut == 0 {
			floor := float64(intervention.MinMinutes)
			if sp.Has("minutes") {
				floor = sp.Num("minutes")
			}
			c.text += fmt.Sprintf(" (unchanged: at most %g minutes already)", floor)
		}
		lines = append(lines, c.text)
	}
	if w.EstimatedPairs == n*(n-1) {
		// Norway's times are all estimated: a ferry is a road there, so
		// the time before a ferry-free link is too short.
		fix := "give the real times with travel_times, or the new link's time as minutes"
		if sp.Has("minutes") {
			fix = "give the real times with travel_times"
		}
		lines = append(lines, "(the times before are estimated from the regions' centres as by road, with no ferries: "+fix+")")
	}
	return when, lines
}

// minutes writes a travel time to a tenth of a minute: 57, 34.5.
func minutes(m float32) string {
	return strconv.FormatFloat(math.Round(float64(m)*10)/10, 'f', -1, 64)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// writeParams lists every behaviour parameter.
func writeParams(out io.Writer, s *scenario.Scenario) error {
	def := params.Default()
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	if s == nil {
		fmt.Fprintf(tw, "parameter\tdefault\trange\tdoc\n")
	} else {
		fmt.Fprintf(tw, "parameter\tdefault\t%s\trange\tdoc\n", filepath.Base(s.File))
	}
	for _, info := range params.All() {
		d, err := def.Get(info.Name)
		if err != nil {
			return err
		}
		if s == nil {
			fmt.Fprintf(tw, "%s\t%g\t%g…%g\t%s\n", info.Name, d, info.Min, info.Max, info.Doc)
			continue
		}
		v := "" // not set by the file: the default
		if x, ok := s.Overrides[info.Name]; ok {
			v = strconv.FormatFloat(x, 'g', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%g\t%s\t%g…%g\t%s\n", info.Name, d, v, info.Min, info.Max, info.Doc)
	}
	fmt.Fprintf(tw, "\nSet them in a scenario's [behaviour] table: move_scale = 1.2, util_home.family = 2.5\n"+
		"(a per-phase parameter also as a table: util_home = { family = 2.5, senior = 2 }).\n")
	return tw.Flush()
}
