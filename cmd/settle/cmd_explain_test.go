package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/report"
	"github.com/settle-sim/settle/sim/world"
)

func TestExplain(t *testing.T) {
	dir := teachingRun(t) // 5 years, 2024–2029
	var stdout, stderr bytes.Buffer
	if err := runExplain(context.Background(), explainOptions{RunDir: dir, Region: "Holmoy", Top: 3}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"Holmøy (T14), Kyst, centrality class 6", "moves recorded 2025–2029", "Residents 2024 → 2029",
		"study  career  housing  family  return  amenity", "Where movers came from", "Where movers went", "Jobs, housing and commuting",
		"unemployment rate", "price level", "Holmøy lost"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The table's net moves and moves in and out are regions.csv's.
	rows := readCSV(t, filepath.Join(dir, "regions.csv"))
	var in, outMoves, pop0, pop1 int64
	for _, r := range rows[1:] {
		if r[1] != "T14" {
			continue
		}
		y, _ := strconv.Atoi(r[0])
		v := func(c int) int64 { n, _ := strconv.ParseInt(r[c], 10, 64); return n }
		switch y {
		case 2024:
			pop0 = v(3)
		case 2029:
			pop1 = v(3)
		}
		if y > 2024 {
			in += v(6)
			outMoves += v(7)
		}
	}
	for _, want := range []string{
		"Residents 2024 → 2029: " + output.Group(pop0) + " → " + output.Group(pop1),
		"moves in " + signedGroup(in) + ", out " + signedGroup(-outMoves) + " (net " + signedGroup(in-outMoves) + ")",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	last := func(label string) string {
		m := regexp.MustCompile(`(?m)^  ` + label + `\s.*\s(\S+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no row %q in\n%s", label, out)
		}
		return m[1]
	}
	if got := last("moves in"); got != output.Group(in) {
		t.Errorf("moves in: table total %s, regions.csv %s", got, output.Group(in))
	}
	if got := last("moves out"); got != output.Group(outMoves) {
		t.Errorf("moves out: table total %s, regions.csv %s", got, output.Group(outMoves))
	}
	if got := last("all"); got != signedGroup(in-outMoves) {
		t.Errorf("net: table total %s, regions.csv %s", got, signedGroup(in-outMoves))
	}

	// One year.
	stdout.Reset()
	if err := runExplain(context.Background(), explainOptions{RunDir: dir, Region: "T01", Year: 2027, Top: 5}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "Storhavn (T01)") || !strings.Contains(stdout.String(), "moves recorded 2027") ||
		!strings.Contains(stdout.String(), "Residents 2026 → 2027") {
		t.Errorf("--year 2027:\n%s", stdout.String())
	}
}

// TestExplainCounty: --county explains a county's regions together; its
// moves are those across its border (flows.csv), its residents the sum of
// its regions', and the parts of the change add up to it.
func TestExplainCounty(t *testing.T) {
	dir := teachingRun(t) // 5 years, 2024–2029
	var stdout, stderr bytes.Buffer
	if err := runExplain(context.Background(), explainOptions{RunDir: dir, County: "kyst", Top: 3}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	out := stdout.String()
	members := map[string]bool{}
	var pop0, pop1, births, deaths, imm, emig int64
	for _, r := range readCSV(t, filepath.Join(dir, "regions.csv"))[1:] {
		if r[2] == "" {
			continue
		}
		v := func(c int) int64 { n, _ := strconv.ParseInt(r[c], 10, 64); return n }
		y, _ := strconv.Atoi(r[0])
		if !slices.Contains([]string{"T03", "T04", "T13", "T14"}, r[1]) {
			continue
		}
		members[r[1]] = true
		switch y {
		case 2024:
			pop0 += v(3)
		case 2029:
			pop1 += v(3)
		}
		if y > 2024 {
			births, deaths, imm, emig = births+v(4), deaths+v(5), imm+v(8), emig+v(9)
		}
	}
	var in, outMoves, internal int64
	for _, r := range readCSV(t, filepath.Join(dir, "flows.csv"))[1:] {
		m, _ := strconv.ParseInt(r[5], 10, 64)
		switch o, d := members[r[1]], members[r[2]]; {
		case o && d:
			internal += m
		case d:
			in += m
		case o:
			outMoves += m
		}
	}
	if internal == 0 {
		t.Fatal("no moves between the county's regions: the test shows nothing")
	}
	// The closing sentence says which way the county's net moves went,
	// and by how many.
	var verdict string
	switch net := in - outMoves; {
	case net > 0:
		verdict = "Kyst gained " + output.Group(net) + " residents net from other regions"
	case net < 0:
		verdict = "Kyst lost " + output.Group(-net) + " residents net to other regions"
	default:
		verdict = "Kyst's moves in and out balanced"
	}
	for _, want := range []string{
		"Kyst (county, 4 regions together; moves between them are left out)",
		"Residents 2024 → 2029: " + output.Group(pop0) + " → " + output.Group(pop1),
		"moves in " + signedGroup(in) + ", out " + signedGroup(-outMoves) + " (net " + signedGroup(in-outMoves) + ")",
		"minutes: the trip from where movers came to the nearest of its regions", "including those commuting between them",
		"worked outside their own municipality", verdict,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if pop0+births-deaths+in-outMoves+imm-emig != pop1 {
		t.Errorf("the parts do not add up: %d + %d − %d + %d − %d + %d − %d ≠ %d", pop0, births, deaths, in, outMoves, imm, emig, pop1)
	}
	for _, c := range []struct {
		opts explainOptions
		want string
	}{
		{explainOptions{RunDir: dir, County: "Kysst", Top: 5}, `--county: unknown county "Kysst" in world teaching; did you mean "Kyst"?`},
	} {
		if err := runExplain(context.Background(), c.opts, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
	if code, _, errs := settle(t, "explain", dir, "--region", "Holmøy", "--county", "Kyst"); code != exitUsage || !strings.Contains(errs, "give --region or --county, not both") {
		t.Errorf("--region and --county: exit %d, %q", code, errs)
	}
}

func TestExplainErrors(t *testing.T) {
	dir := teachingRun(t)
	for _, c := range []struct {
		opts explainOptions
		want string
	}{
		{explainOptions{RunDir: dir, Region: "Holmøyy", Top: 5}, `unknown region "Holmøyy" in world teaching; did you mean "Holmøy" (T14, Kyst)?`},
		{explainOptions{RunDir: dir, Region: "Holmøy", Year: 2024, Top: 5}, "--year 2024: the run " + dir + " has the moves of 2025–2029"},
		{explainOptions{RunDir: dir, Region: "Holmøy", Year: 2031, Top: 5}, "--year 2031"},
		{explainOptions{RunDir: t.TempDir(), Region: "Holmøy", Top: 5}, "is not a run folder"},
	} {
		var stdout, stderr bytes.Buffer
		err := runExplain(context.Background(), c.opts, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explain"}, "which run?"},
		{[]string{"explain", dir}, "which region?"},
		{[]string{"explain", dir, "--region", "Holmøy", "--top", "0"}, "--top 0"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), c.args, nil, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, stderr.String())
		}
	}
}

// TestExplainAsksForRegionOfItsWorld: without --region, the example is a
// region of the run's world (it was Norway's Stord for a teaching run).
func TestExplainAsksForRegionOfItsWorld(t *testing.T) {
	code, _, errs := settle(t, "explain", fakeRunOf(t, "teaching"))
	if want := "which region? Give --region NAME (a name or a code, for example --region Storhavn or --region T01 in teaching)"; code != exitUsage || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q; want %q", code, errs, want)
	}
}

// A run of a sample says what a count is worth; a full run does not.
func TestExplainSampleNote(t *testing.T) {
	for _, c := range []struct {
		scale float64
		want  string
	}{{1, ""}, {0.1, "(a sample at scale 0.1: one simulated person stands for 10; each count is scaled and rounded on its own, so parts may miss their total by a few; counts under 200, 20 simulated persons, are mostly chance)"}} {
		tmp := t.TempDir()
		dir := filepath.Join(tmp, "run")
		var stdout, stderr bytes.Buffer
		if err := runRun(context.Background(), runOptions{File: scenarioFile(t, tmp, 2, c.scale), Out: dir, Quiet: true}, &stdout, &stderr); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		stdout.Reset()
		if err := runExplain(context.Background(), explainOptions{RunDir: dir, Region: "Holmoy", Top: 3}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(stdout.String(), "(a sample at scale")
		if got != (c.want != "") || c.want != "" && !strings.Contains(stdout.String(), c.want) {
			t.Errorf("scale %g: sample note %v, want %q:\n%s", c.scale, got, c.want, stdout.String())
		}
	}
}

// TestPriceChange: the closing sentence never says a price went "from 0.53
// to 0.53".
func TestPriceChange(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		want string
	}{
		{0.56, 0.61, "the price level from 0.56 to 0.61"},
		{0.531, 0.529, "the price level from 0.531 to 0.529"},
		{0.5301, 0.5302, "the price level stayed at 0.53"},
		{2.2883, 2.4957, "the price level from 2.29 to 2.50"},
	} {
		if got := priceChange(c.a, c.b); got != c.want {
			t.Errorf("priceChange(%g, %g) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// TestExplainInterventions: a run keeps a copy of its scenario file
// (scenario.toml, the bytes it read), and explain lists the interventions
// that reach the region or county explained, from the copy even when the
// file has changed since; without the copy, it reads the file only while
// it is unchanged, and says why it shows none otherwise.
func TestExplainInterventions(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "bridge.toml")
	text := `[scenario]
name = "bridge"
world = "teaching"
years = 5
seed = 1
scale = 0.1

[[intervention]]
kind = "region_enlargement"
name = "Holmøy bridge"
regions = ["Sjøvik", "Holmøy"]
from_year = 2025
minutes_saved = 45

[[intervention]]
kind = "business_development"
name = "Late jobs"
regions = ["Sjøvik"]
from_year = 2028
jobs = 100
skill_level = "low"
`
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	if code, _, errs := settle(t, "run", file, "--quiet", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d, %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir, output.ScenarioCopy)); err != nil || string(b) != text {
		t.Fatalf("the run's %s is not the file it read (%v):\n%s", output.ScenarioCopy, err, b)
	}
	explain := func(args ...string) string {
		t.Helper()
		code, out, errs := settle(t, append([]string{"explain", dir}, args...)...)
		if code != 0 {
			t.Fatalf("explain %q: exit %d, %s", args, code, errs)
		}
		return out
	}
	bridge := "  Holmøy bridge (region_enlargement), from 2025, 2 regions: Sjøvik (T13, Kyst), Holmøy (T14, Kyst): minutes_saved = 45 [minutes]\n"
	late := "  Late jobs (business_development), from 2028 (not in force in 2026, the year explained), 1 region: Sjøvik (T13, Kyst)"
	if out := explain("--region", "Holmøy"); !strings.Contains(out, "Interventions that reach Holmøy:\n"+bridge+"\n") {
		t.Errorf("Holmøy: no list of the bridge alone:\n%s", out)
	}
	if out := explain("--region", "Sjøvik", "--year", "2027"); !strings.Contains(out, bridge+late) {
		t.Errorf("Sjøvik to 2027: no list of both, the late one marked:\n%s", out)
	}
	if out := explain("--region", "Sjøvik"); strings.Contains(out, "not in force") || !strings.Contains(out, "Late jobs") {
		t.Errorf("Sjøvik to 2029: the late jobs marked as not in force, or missing:\n%s", out)
	}
	if out := explain("--region", "Storhavn"); !strings.Contains(out, "Interventions: none of the run's 2 reach Storhavn") {
		t.Errorf("Storhavn:\n%s", out)
	}
	// The file changes: the copy still gives what the run read.
	if err := os.WriteFile(file, []byte(strings.Replace(text, "minutes_saved = 45", "minutes_saved = 30", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := explain("--region", "Holmøy"); !strings.Contains(out, "minutes_saved = 45") {
		t.Errorf("with the file changed, explain does not read the run's copy:\n%s", out)
	}
	// Without the copy (a run written before it), the changed file is
	// not read as the run's.
	if err := os.Remove(filepath.Join(dir, output.ScenarioCopy)); err != nil {
		t.Fatal(err)
	}
	if out := explain("--region", "Holmøy"); !strings.Contains(out, "Interventions: not shown ("+file+" is not the file the run read: its SHA-256 differs from the manifest's)") {
		t.Errorf("without the copy and with the file changed:\n%s", out)
	}
}

// TestExplainInterventionsOverridden: a run whose --years made a later
// intervention valid, of a scenario with a user world at a path relative
// to the file, still lists its interventions (the copy was parsed without
// the run's overrides, and its paths were taken relative to the run's
// folder).
func TestExplainInterventionsOverridden(t *testing.T) {
	tmp := t.TempDir()
	regions, err := os.ReadFile(filepath.Join("..", "..", "sim", "world", "data", "teaching", "regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(tmp, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "data", "my.csv"), regions, 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "late.toml")
	if err := os.WriteFile(file, []byte("[scenario]\nname = \"late\"\nworld = \"data/my.csv\"\nyears = 3\nscale = 0.1\n\n[[intervention]]\nkind = \"reputation\"\nname = \"Late boost\"\nregions = [\"Holmøy\"]\nfrom_year = 2030\nboost = 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	if code, _, errs := settle(t, "run", file, "--years", "8", "--quiet", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d, %s", code, errs)
	}
	code, out, errs := settle(t, "explain", dir, "--region", "Holmøy")
	if code != 0 || !strings.Contains(out, "Interventions that reach Holmøy:\n  Late boost (reputation), from 2030, 1 region: Holmøy (T14, Kyst): boost = 0.1 [score]\n") {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
}

// TestExplainPartsClause: the parts of a region's net moves (by age group
// or motive) may have either sign and be larger than the net: a trial's
// "gained 60 residents net …; the largest part were people under 18 (+300)
// and moves for housing (+760)" named parts larger than the whole. A part
// is "the largest part" only when every part goes the way of the net;
// else the part that added the most and the one that took away the most
// are named, the one that goes the way of the net first.
func TestExplainPartsClause(t *testing.T) {
	p := func(vs ...int64) []netPart {
		names := []string{"people under 18", "people aged 18–24", "people aged 25–34"}
		ps := make([]netPart, len(vs))
		for i, v := range vs {
			ps[i] = netPart{names[i], v}
		}
		return ps
	}
	for _, c := range []struct {
		name  string
		parts []netPart
		net   int64
		want  string
	}{
		{"all positive", p(300, 200, 0), 500, "the largest part was people under 18 (+300 of +500)"},
		{"all negative", p(-100, -284, 0), -384, "the largest part was people aged 18–24 (-284 of -384)"},
		{"one part", p(0, 0, 5), 5, "all of it was people aged 25–34 (+5)"},
		{"mixed, a gain", p(300, -240, 0), 60, "people under 18 added the most (+300) and people aged 18–24 took away the most (-240)"},
		{"mixed, parts larger than the net", p(1000, 760, -1700), 60, "people under 18 added the most (+1,000) and people aged 25–34 took away the most (-1,700)"},
		{"net zero", p(50, 0, -50), 0, "people under 18 added the most (+50) and people aged 25–34 took away the most (-50)"},
		{"net loss with a gaining part", p(200, -700, 0), -500, "people aged 18–24 took away the most (-700) and people under 18 added the most (+200)"},
		{"no moves", p(0, 0, 0), 0, ""},
		{"a sample's rounding: a part as large as the net", p(6, 1, 0), 6, "the largest part was people under 18 (+6)"},
		{"a sample's rounding: parts against the net", p(-2, 0, 0), 1, "people under 18 took away the most (-2)"},
	} {
		got := partsClause(c.parts, c.net)
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		var pos, neg bool
		for _, q := range c.parts {
			pos, neg = pos || q.v > 0, neg || q.v < 0
		}
		if pos && neg && strings.Contains(got, "largest part") {
			t.Errorf("%s: %q calls a part of mixed signs the largest part", c.name, got)
		}
	}
}

// explanationWith is an explanation of Storhavn in the teaching world with
// net moves of net (one age group and motive each way: gains and losses)
// and the partners given.
func explanationWith(t *testing.T, partners []report.Partner) *report.Explanation {
	t.Helper()
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	e := &report.Explanation{Dir: t.TempDir(), Manifest: &output.Manifest{ScenarioName: "s", Scale: 1, Seed: 1}, World: w,
		Region: 0, Regions: []int{0}, From: 2024, To: 2054, Partners: partners}
	for _, p := range partners {
		// Moves in for housing by the young, out for career by the old.
		e.In[1][2] += p.In
		e.Out[5][1] += p.Out
		e.Components.InDomestic += p.In
		e.Components.OutDomestic += p.Out
	}
	return e
}

// TestExplainPartnersSentence: the closing sentence says which measure it
// names a region by, and names those the tables show: a trial's "most left
// for Harstad (6,680)" named gross moves out where the net losses were to
// Oslo (−4,080) and Trondheim (−3,460). The gross origin and destination
// are the first rows of their tables, and the net gains and losses those
// of the table "Largest net gains and losses", with the same figures.
func TestExplainPartnersSentence(t *testing.T) {
	// Storhavn is T01; Lindvik T02 stands for Harstad, Åsen T03 for Oslo,
	// Vestbygd T04 for Trondheim, Elvestad T05 for a gain.
	e := explanationWith(t, []report.Partner{
		{Region: 1, In: 5000, Out: 6680},
		{Region: 2, In: 2000, Out: 6080},
		{Region: 3, In: 1000, Out: 4460},
		{Region: 4, In: 3000, Out: 1000},
	})
	var b bytes.Buffer
	if err := writeExplanation(&b, e, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	want := "Storhavn lost 7,220 residents net to other regions over 2025–2054: by age, people aged 55–66 took away the most (-18,220) and people aged 18–24 added the most (+11,000); " +
		"by motive, moves for career took away the most (-18,220) and moves for housing added the most (+11,000). " +
		"The most moves in came from Lindvik (5,000 of 11,000) and the most moves out went to Lindvik (6,680 of 18,220). " +
		"The largest net losses were to Åsen (-4,080) and Vestbygd (-3,460); the largest net gain was from Elvestad (+2,000). Jobs went"
	if !strings.Contains(out, want) {
		t.Errorf("the sentence is not\n%s\n%s", want, out)
	}
	if strings.Contains(out, "largest part") || strings.Contains(out, "most left for") {
		t.Errorf("the sentence calls a part the largest, or says \"most left for\":\n%s", out)
	}
	// The net table: gains, then losses, the largest first, and the
	// regions the sentence names with the figures it gives.
	_, table, ok := strings.Cut(out, "Largest net gains and losses (moves in − out, 2025–2054):\n")
	if !ok {
		t.Fatalf("no table of net gains and losses:\n%s", out)
	}
	table, _, _ = strings.Cut(table, "  (minutes")
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(table), "\n")[1:] {
		f := strings.Fields(line)
		order = append(order, f[2]+" "+f[4])
	}
	if wantOrder := []string{"+2,000 Elvestad", "-4,080 Åsen", "-3,460 Vestbygd", "-1,680 Lindvik"}; !slices.Equal(order, wantOrder) {
		t.Errorf("net table rows %q, want %q:\n%s", order, wantOrder, table)
	}
	for _, table := range []string{"Where movers came from", "Where movers went"} {
		_, rest, _ := strings.Cut(out, table)
		if lines := strings.Split(rest, "\n"); len(lines) < 3 || !strings.HasSuffix(lines[2], "Lindvik (T02)") {
			t.Errorf("%s: the first row is not Lindvik's:\n%s", table, rest)
		}
	}

	// --top 1: one gain and one loss named, as the table lists them.
	b.Reset()
	if err := writeExplanation(&b, e, 1); err != nil {
		t.Fatal(err)
	}
	if want := "The largest net loss was to Åsen (-4,080); the largest net gain was from Elvestad (+2,000)."; !strings.Contains(b.String(), want) {
		t.Errorf("--top 1: no %q:\n%s", want, b.String())
	}

	// A gain: the gains first; moves that balance with every region.
	for _, c := range []struct {
		partners []report.Partner
		want     string
	}{
		{[]report.Partner{{Region: 1, In: 300, Out: 100}, {Region: 2, In: 50, Out: 80}, {Region: 3, In: 90, Out: 10}},
			"Storhavn gained 250 residents net from other regions over 2025–2054: by age, people aged 18–24 added the most (+440) and people aged 55–66 took away the most (-190); " +
				"by motive, moves for housing added the most (+440) and moves for career took away the most (-190). " +
				"The most moves in came from Lindvik (300 of 440) and the most moves out went to Lindvik (100 of 190). " +
				"The largest net gains were from Lindvik (+200) and Vestbygd (+80); the largest net loss was to Åsen (-30)."},
		{[]report.Partner{{Region: 1, In: 40, Out: 40}},
			"Storhavn's moves in and out balanced over 2025–2054: by age, people aged 18–24 added the most (+40) and people aged 55–66 took away the most (-40); " +
				"by motive, moves for housing added the most (+40) and moves for career took away the most (-40). " +
				"The most moves in came from Lindvik (40 of 40) and the most moves out went to Lindvik (40 of 40). Its moves with each region balanced."},
	} {
		b.Reset()
		if err := writeExplanation(&b, explanationWith(t, c.partners), 5); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("the sentence is not\n%s\n%s", c.want, b.String())
		}
	}
}

// TestExplainIncompleteNote: the note on an incomplete run gives the
// reason it stopped in plain words: the interrupted runs settle compare
// --keep-runs kept said "context canceled".
func TestExplainIncompleteNote(t *testing.T) {
	dir := fakeRunOf(t, "teaching")
	path := filepath.Join(dir, output.ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"complete": true,`), []byte(`"complete": false,
  "stopped": "context canceled",`), 1)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := runExplain(context.Background(), explainOptions{RunDir: dir, Region: "Holmøy", Top: 3}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if want := "note: the run in " + dir + " is incomplete (interrupted (Ctrl-C or SIGTERM)); explaining the years it holds"; !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}
