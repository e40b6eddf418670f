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
