package targets

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

func TestLoadNorway(t *testing.T) {
	tg, err := Load("../../targets/norway.toml")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name != "norway" || tg.Years != 20 || tg.StartYear != 0 {
		t.Errorf("name %q, window %d+%d; want norway, 0+20", tg.Name, tg.StartYear, tg.Years)
	}
	// MODEL.md: 15 age groups 0-4 … 70+, and women and men 20-24.
	if len(tg.AgeRates) != 17 {
		t.Fatalf("%d age rates, want 17", len(tg.AgeRates))
	}
	first, open := tg.AgeRates[0], tg.AgeRates[14]
	if first.Lo != 0 || first.Hi != 4 || first.PerThousand != 57 || first.Tolerance != 0.2 || first.Weight != 1 || first.Source == "" {
		t.Errorf("first group %+v", first)
	}
	if open.Label() != "70+" || !open.ReportOnly || open.PerThousand != 5 {
		t.Errorf("70+ group %+v (label %q)", open, open.Label())
	}
	if f := tg.AgeRates[15]; f.Sex != "f" || f.PerThousand != 146 || f.Label() != "20-24 f" {
		t.Errorf("women 20-24: %+v", f)
	}
	if iv := tg.MovesPerThousand; iv == nil || iv.Min != 41 || iv.Max != 46 || !math.IsNaN(iv.Target) || iv.Point() != 43.5 {
		t.Errorf("moves per 1000: %+v", iv)
	}
	if iv := tg.PeakAge; iv == nil || iv.Point() != 23.9 {
		t.Errorf("peak age: %+v", iv)
	}
	if tg.WomenOverMen == nil || tg.WomenOverMen.Lo != 20 || tg.WomenOverMen.Hi != 24 {
		t.Errorf("women over men: %+v", tg.WomenOverMen)
	}
	if tg.WomenEarlier == nil || tg.WomenEarlier.Lo != 18 || tg.WomenEarlier.Hi != 34 || tg.WomenEarlier.Source == "" {
		t.Errorf("women earlier: %+v", tg.WomenEarlier)
	}
	rc := tg.RogersCastro
	if rc == nil || rc.Mu2 != 21.4 || rc.C != 0.0126 {
		t.Fatalf("Rogers–Castro: %+v", rc)
	}
	// MODEL.md: "a peak of 0.135 moves per person per year at age 23.9".
	if age, rate := rc.Peak(); math.Abs(age-23.9) > 0.05 || math.Abs(rate-0.135) > 0.0005 {
		t.Errorf("Rogers–Castro peak %.3f at %.2f, want 0.135 at 23.9", rate, age)
	}
	if len(tg.CentralityGain) != 8 || !tg.CentralityGain[0].Gain || tg.CentralityGain[1].Gain ||
		tg.CentralityGain[0].Label() != "classes 1-3 gain" || tg.CentralityGain[1].Label() != "classes 5-6 lose" {
		t.Errorf("centrality: %+v", tg.CentralityGain)
	}
	for i, want := range [][2]float64{{2, 1.5}, {-6, 3}} {
		c := tg.CentralityGain[i]
		if c.PerThousand == nil || c.Within == nil || *c.PerThousand != want[0] || *c.Within != want[1] || c.ReportOnly {
			t.Errorf("centrality size %d: %v ± %v, want %v ± %v, checked", i+1, c.PerThousand, c.Within, want[0], want[1])
		}
	}
	// Each class on its own, for reference (Norges Bank PPR 4/2018, 2005–2017).
	for i, want := range []float64{1.2, 2.5, 2.8, -2.6, -7.2, -8.6} {
		if len(tg.CentralityGain) < 8 {
			break
		}
		c := tg.CentralityGain[2+i]
		if len(c.Classes) != 1 || c.Classes[0] != i+1 || c.PerThousand == nil || *c.PerThousand != want || c.Within != nil || !c.ReportOnly || c.Gain != (want > 0) {
			t.Errorf("class %d reference: %+v, want report_only %v per 1000", i+1, c, want)
		}
	}
	if tg.DistanceExponent == nil || tg.DistanceExponent.Min != 1 || tg.DistanceExponent.Max != 2 {
		t.Errorf("distance exponent: %+v", tg.DistanceExponent)
	}
	// SSB: about half live where they grew up at 35; 45 % from class 5, 35 % from class 6.
	var grew []string
	for _, g := range tg.GrewUp {
		grew = append(grew, fmt.Sprintf("%s at %d: %g", g.Label(), g.Age, g.Share))
		if g.Within == nil || *g.Within != 0.1 || g.Weight != 1 || g.Source == "" {
			t.Errorf("living where they grew up, %s: %+v; want it checked within 0.1, with a source", g.Label(), g)
		}
	}
	if got, want := strings.Join(grew, "; "), "all regions at 35: 0.5; class 1 at 35: 0.52; class 5 at 35: 0.45; class 6 at 35: 0.35"; got != want {
		t.Errorf("living where they grew up: %s, want %s", got, want)
	}
}

func TestParseGrewUp(t *testing.T) {
	tg, err := Parse("t.toml", []byte("[[living_where_grew_up]]\nclasses = [6, 5]\nshare = 0.4\nwithin = 0.1\nweight = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	g := tg.GrewUp[0]
	if g.Label() != "classes 5-6" || g.Age != 35 || g.Share != 0.4 || g.Within == nil || *g.Within != 0.1 || g.Weight != 2 {
		t.Errorf("%+v (label %q); want classes 5-6 at 35 (the default), 0.4 ± 0.1, weight 2", g, g.Label())
	}
}

func TestParseGross(t *testing.T) {
	tg, err := Parse("t.toml", []byte("[[gross_migration]]\nname = \"two valleys\"\nregions = [\"3431\", \" 3432 \"]\nin_per_thousand = 32.4\nout_per_thousand = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	g := tg.Gross[0]
	if g.Name != "two valleys" || len(g.Regions) != 2 || g.Regions[1] != "3432" || g.In != 32.4 || g.Out != 0 {
		t.Errorf("%+v; want two valleys, regions 3431 and 3432, in 32.4, out 0", g)
	}
}

func TestParseLiving(t *testing.T) {
	tg, err := Parse("t.toml", []byte("[[living_arrangement]]\nages = \"30-66\"\nliving = \"couple\"\nshare = 0.67\nwithin = 0.05\n"+
		"[[living_arrangement]]\nages = \"67+\"\nsex = \"m\"\nliving = \"alone\"\nshare = 0.24\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := tg.Living[0], tg.Living[1]
	if a.Lo != 30 || a.Hi != 66 || a.Sex != "" || a.Living != "couple" || a.Share != 0.67 || a.Within == nil || *a.Within != 0.05 || a.Weight != 1 {
		t.Errorf("%+v; want 30-66, couple, 0.67 within 0.05", a)
	}
	if b.Lo != 67 || b.Hi != world.MaxAge || b.Sex != "m" || b.Within != nil || b.Label() != "67+, men" {
		t.Errorf("%+v (label %q); want 67+, men, a reference", b, b.Label())
	}
}

func TestParseErrors(t *testing.T) {
	oneError := map[string]bool{"unknown table": true, "unknown dotted key": true, "unknown sub-table": true}
	for _, c := range []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"unknown top key", "nmae = \"x\"\n[peak_age]\nmin = 1\nmax = 2\n",
			[]string{`t.toml:1: nmae: unknown key "nmae"; did you mean "name"?`}},
		{"unknown interval key", "[peak_age]\nmin = 21\nmaks = 27\n",
			[]string{`t.toml:3: peak_age.maks: unknown key "maks"; did you mean "max"?`, `t.toml:1: peak_age: missing max`}},
		{"min above max", "[moves_per_thousand]\nmin = 46\nmax = 41\n",
			[]string{"t.toml:2: moves_per_thousand.min: min 46 is above max 41; swap them"}},
		{"target outside", "[peak_age]\nmin = 21\nmax = 27\ntarget = 30\n",
			[]string{"t.toml:4: peak_age.target: target 30 lies outside"}},
		{"bad ages", "[age_rates]\ntolerance = 0.2\ngroups = [\n  { ages = \"0-4\", per_thousand = 57 },\n  { ages = \"9-5\", per_thousand = 27 },\n]\n",
			[]string{`t.toml:5: age_rates.groups[2].ages: ages "9-5"`}},
		// Groups that open on the key's line, two on a line: each at its
		// own line (a line scanner found only groups starting a line
		// with "{", and put these on line 3).
		{"groups on the key's line", "[age_rates]\ntolerance = 0.2\ngroups = [{ ages = \"0-4\", per_thousand = 57 },\n  { ages = \"5-9\", per_thousand = 27 }, { ages = \"10-4\", per_thousand = 21 }]\n",
			[]string{`t.toml:4: age_rates.groups[3].ages: ages "10-4"`}},
		{"unknown group key", "[age_rates]\ntolerance = 0.2\ngroups = [\n  { ages = \"0-4\", per_thousand = 57 },\n  { ages = \"5-9\", per_thusand = 27 },\n]\n",
			[]string{`t.toml:5: age_rates.groups[2].per_thusand: unknown key "per_thusand"; did you mean "per_thousand"?`, "t.toml:5: age_rates.groups[2]: missing per_thousand"}},
		{"bad sex and tolerance", "[age_rates]\ntolerance = 2\ngroups = [\n  { ages = \"20-24\", sex = \"w\", per_thousand = 146 },\n]\n",
			[]string{"t.toml:2: age_rates.tolerance: 2 is not a relative tolerance", `t.toml:4: age_rates.groups[1].sex: "w" is not a sex`}},
		{"women earlier at one age", "[women_earlier]\nages = \"20-21\"\n",
			[]string{`t.toml:2: women_earlier.ages: ages = "20-21" is too narrow to compare when women and men move; give a range of several years`}},
		{"bad change", "[[centrality_share]]\nclasses = [1, 2]\nchange = \"grow\"\n[[centrality_share]]\nclasses = [7]\nchange = \"lose\"\n",
			[]string{`t.toml:3: centrality_share[1].change: "grow" is not a change`, "t.toml:5: centrality_share[2].classes: class 7 does not exist"}},
		{"size against the change", "[[centrality_share]]\nclasses = [5, 6]\nchange = \"lose\"\nper_thousand = 6\n",
			[]string{`t.toml:4: centrality_share[1].per_thousand: per_thousand = 6 contradicts change = "lose"; give a rate of the same sign`}},
		{"within without a size", "[[centrality_share]]\nclasses = [5, 6]\nchange = \"lose\"\nwithin = 3\n",
			[]string{`t.toml:4: centrality_share[1].within: within needs the rate it bounds; add per_thousand = …`}},
		{"weight on a reference", "[[centrality_share]]\nclasses = [5]\nchange = \"lose\"\nper_thousand = -6\nreport_only = true\nweight = 2\n",
			[]string{`t.toml:6: centrality_share[1].weight: weight = 2 has no effect on a report_only row, which is not in the loss; drop one of the two`}},
		{"within on a reference", "[[centrality_share]]\nclasses = [5]\nchange = \"lose\"\nper_thousand = -6\nwithin = 2\nreport_only = true\n",
			[]string{`t.toml:5: centrality_share[1].within: within = 2 bounds a row that report_only = true leaves unchecked; drop one of the two`}},
		{"within not positive", "[[centrality_share]]\nclasses = [5, 6]\nchange = \"lose\"\nper_thousand = -6\nwithin = 0\n",
			[]string{`t.toml:5: centrality_share[1].within: within = 0 is not an accepted error; write a positive number`}},
		{"wrong type", "[peak_age]\nmin = \"21\"\nmax = 27\n",
			[]string{"t.toml:2: peak_age.min: expected a number, got text; write min = 21 without quotes"}},
		{"wrong type in a group", "[age_rates]\ntolerance = 0.2\ngroups = [\n  { ages = \"0-4\", per_thousand = 57 },\n  { ages = \"20-24\", per_thousand = \"130\" },\n]\n",
			[]string{"t.toml:5: age_rates.groups[2].per_thousand: expected a number, got text; write per_thousand = 130 without quotes"}},
		{"the whole country", "[[centrality_share]]\nclasses = [1, 2, 3, 4, 5, 6]\nchange = \"gain\"\n",
			[]string{"t.toml:2: centrality_share[1].classes: classes 1 to 6 are the whole country"}},
		{"key set twice", "[peak_age]\nmin = 21\nmin = 22\nmax = 27\n",
			[]string{"t.toml:3: peak_age.min: the key is set twice in its table; remove one of them"}},
		{"key set twice in an array of tables", "[[living_where_grew_up]]\nshare = 0.5\n[[living_where_grew_up]]\nclasses = [6]\nshare = 0.35\nshare = 0.4\n",
			[]string{"t.toml:6: living_where_grew_up[2].share: the key is set twice in its table; remove one of them"}},
		{"syntax", "[peak_age\nmin = 1\n", []string{"t.toml:1:", "invalid TOML"}}, // the unclosed name is on line 1
		{"syntax: decimal comma", "[moves_per_thousand]\nmin = 41,5\nmax = 46\n",
			[]string{"t.toml:2: moves_per_thousand.min: invalid TOML", "write min = 41.5: TOML uses a decimal point, not a comma", "    2 | min = 41,5"}},
		{"syntax: bare word", "[peak_age]\nmin = 21\nmax = 27\nsource = SSB\n",
			[]string{`t.toml:4: peak_age.source: invalid TOML: expected value but found "SSB" instead; put text in quotes: source = "SSB"`}},
		{"empty", "name = \"x\"\n", []string{"the file sets no targets"}},
		{"latin-1", "name = \"M\xf8nster\"\n[peak_age]\nmin = 21\nmax = 27\n",
			[]string{`t.toml:1: toml: the file is not UTF-8 text: line 1 has the byte 0xF8, which is "ø" in Latin-1`, "save the file as UTF-8"}},
		{"grew up: age not recorded, share not a share", "[[living_where_grew_up]]\nage = 30\nshare = 45\n",
			[]string{"t.toml:2: living_where_grew_up[1].age: age 30 is not recorded; settle counts where people grew up at the ages [25 35 45]",
				"t.toml:3: living_where_grew_up[1].share: share = 45 is not a share; write a number from 0 to 1"}},
		{"grew up: missing share, bad within, unknown key", "[[living_where_grew_up]]\nclasses = [0]\nwithin = 2\nshares = 0.4\n",
			[]string{"t.toml:1: living_where_grew_up[1]: missing share", "t.toml:2: living_where_grew_up[1].classes: class 0 does not exist",
				"t.toml:3: living_where_grew_up[1].within: within = 2 is not an accepted error of a share",
				`t.toml:4: living_where_grew_up[1].shares: unknown key "shares"; did you mean "share"?`}},
		{"gross: missing name, regions and a rate", "[[gross_migration]]\nin_per_thousand = 30\n",
			[]string{"t.toml:1: gross_migration[1]: missing name", "t.toml:1: gross_migration[1]: missing regions",
				"t.toml:1: gross_migration[1]: missing out_per_thousand; write the observed moves per 1000 residents a year"}},
		{"gross: a region twice, an empty code, a negative rate, a typo", "[[gross_migration]]\nname = \"x\"\nregions = [\"3431\", \"\", \"3431\"]\nin_per_thousand = -3\nout_per_thousand = 30\nsource_ = \"SSB\"\n",
			[]string{"t.toml:3: gross_migration[1].regions: a region code is empty", "t.toml:3: gross_migration[1].regions: region 3431 is listed twice",
				"t.toml:4: gross_migration[1].in_per_thousand: in_per_thousand = -3 is not a rate",
				`t.toml:6: gross_migration[1].source_: unknown key "source_"; did you mean "source"?`}},
		{"gross: a within that is no error, a weight without within", "[[gross_migration]]\nname = \"x\"\nregions = [\"1\"]\nin_per_thousand = 3\nout_per_thousand = 3\nwithin = 0\n[[gross_migration]]\nname = \"y\"\nregions = [\"1\"]\nin_per_thousand = 3\nout_per_thousand = 3\nweight = 2\n",
			[]string{"t.toml:6: gross_migration[1].within: within = 0 is not an accepted error",
				"t.toml:12: gross_migration[2].weight: weight = 2 has no effect without within"}},
		{"gross: codes as numbers, codes as one text, one table", "[[gross_migration]]\nname = \"x\"\nregions = [3431]\nin_per_thousand = 3\nout_per_thousand = 3\n",
			[]string{`t.toml:3: gross_migration[1].regions[1]: expected text, got a number; write the region codes in quotes, e.g. regions = ["3431", "3432"]`}},
		{"gross: codes as one text", "[[gross_migration]]\nname = \"x\"\nregions = \"3431\"\nin_per_thousand = 3\nout_per_thousand = 3\n",
			[]string{`t.toml:3: gross_migration[1].regions: expected a list, got text; write the region codes in quotes, e.g. regions = ["3431", "3432"]`}},
		{"living: missing everything", "[[living_arrangement]]\nwithin = 0.1\n",
			[]string{`t.toml:1: living_arrangement[1].ages: missing ages; write e.g. ages = "20-29" or ages = "67+"`, "t.toml:1: living_arrangement[1]: missing living; write one of couple, with_parents, alone, lone_parent, other",
				"t.toml:1: living_arrangement[1]: missing share"}},
		{"living: ages across groups, an unknown arrangement, a bad sex and share, twice", "[[living_arrangement]]\nages = \"20-35\"\nsex = \"w\"\nliving = \"single\"\nshare = 29\n" +
			"[[living_arrangement]]\nages = \"30-44\"\nliving = \"alone\"\nshare = 0.2\n[[living_arrangement]]\nages = \"30-44\"\nliving = \"alone\"\nshare = 0.2\nweight = 2\n",
			[]string{`t.toml:2: living_arrangement[1].ages: ages "20-35" do not span whole age groups; settle records living arrangements in the groups 18-19, 20-24, 25-29, 30-44, 45-66, 67-79, 80+`,
				`t.toml:3: living_arrangement[1].sex: sex = "w"; write "f" or "m"`,
				`t.toml:4: living_arrangement[1].living: living = "single" is not a living arrangement settle records; write one of couple, with_parents, alone, lone_parent, other`,
				"t.toml:5: living_arrangement[1].share: share = 29 is not a share",
				"living_arrangement[3]: ages 30-44, alone are already targeted by living_arrangement[2]",
				"living_arrangement[3].weight: weight = 2 has no effect without within"}},
		{"single brackets for an array of tables", "[centrality_share]\nclasses = [5, 6]\nchange = \"lose\"\n",
			[]string{"t.toml:1: centrality_share: [centrality_share] is one table here, but each entry is written [[centrality_share]] (double brackets)"}},
		{"rogers castro incomplete", "[rogers_castro]\na1 = 0.07\n", []string{"t.toml:1: rogers_castro: missing alpha1"}},
		// An unknown table is one error, not one more per key in it, each
		// ending in an empty "the keys here are " list.
		{"unknown table", "[peak_age]\nmin = 21\nmax = 27\n[moves]\nmin = 41\nmax = 46\n[moves.bounds]\nx = [1, 2]\n",
			[]string{`t.toml:4: moves: unknown key "moves"; the keys here are name, source`}},
		{"unknown dotted key", "foo.bar = 1\n[peak_age]\nmin = 21\nmax = 27\n",
			[]string{`t.toml:1: foo: unknown key "foo"; the keys here are name`}},
		// Below a known table, the first unknown part of the key, with the
		// table's keys (it said: "x"; did you mean "max"?).
		{"unknown sub-table", "[peak_age]\nmin = 21\nmax = 27\nfoo.x = 1\n",
			[]string{`t.toml:4: peak_age.foo: unknown key "foo"; the keys here are min, max, target, weight, source`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.toml", []byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
			// Never a list without keys.
			if strings.Contains(err.Error()+"\n", "the keys here are \n") {
				t.Errorf("an empty list of keys in\n%v", err)
			}
			if es, ok := err.(Errors); ok && oneError[c.name] && len(es) != 1 {
				t.Errorf("%d errors, want 1:\n%v", len(es), err)
			}
		})
	}
}

// TestParseIgnoresCalibration: a targets file may carry settle calibrate's
// [calibration] table (docs/calibration.md); the targets are read as
// without it (settle fit printed an error for the table and for each of
// its keys).
func TestParseIgnoresCalibration(t *testing.T) {
	data, err := os.ReadFile("../../targets/norway.toml")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Parse("norway.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	spec := "\n[calibration]\nworld = \"teaching\"\ntravel_times = \"travel.csv\"\nparams = [\"base_a2\"]\nscale = 0.2\n\n[calibration.bounds]\nbase_a2 = [0.1, 1]\n"
	with, err := Parse("norway.toml", append(data, spec...))
	if err != nil {
		t.Fatalf("a targets file with a [calibration] table: %v", err)
	}
	if a, b := dump(plain), dump(with); a != b {
		t.Errorf("the [calibration] table changed the targets:\n%s\n%s", a, b)
	}
	// A mistake in the targets is still found, and only it.
	_, err = Parse("t.toml", []byte("[peak_age]\nmin = 21\nmaks = 27\nmax = 28\n"+spec))
	if es, ok := err.(Errors); !ok || len(es) != 1 || !strings.Contains(err.Error(), `t.toml:3: peak_age.maks: unknown key "maks"`) {
		t.Errorf("got %v, want the one unknown key", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("no/such/targets.toml")
	if err == nil || !strings.Contains(err.Error(), "check the path of the targets file") {
		t.Errorf("got %v", err)
	}
}

func TestSchedulePeak(t *testing.T) {
	// Without a childhood curve or constant the labour-force component peaks
	// at Mu2 + ln(Lambda2/Alpha2)/Lambda2.
	s := Schedule{A2: 0.3, Mu2: 20, Alpha2: 0.12, Lambda2: 0.4}
	want := 20 + math.Log(0.4/0.12)/0.4
	if age, _ := s.Peak(); math.Abs(age-want) > 1e-6 {
		t.Errorf("peak at %.6f, want %.6f", age, want)
	}
}

// dump writes every target of t, pointers followed (NaN targets compare
// equal as text, not with ==).
func dump(t *Targets) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d %d %+v\n", t.File, t.Name, t.Source, t.StartYear, t.Years, t.AgeRates)
	for _, iv := range []*Interval{t.MovesPerThousand, t.PeakAge, t.DistanceExponent, t.SameCountyShare} {
		if iv != nil {
			fmt.Fprintf(&b, "%+v\n", *iv)
		}
	}
	for _, r := range []*AgeRange{t.WomenOverMen, t.WomenEarlier} {
		if r != nil {
			fmt.Fprintf(&b, "%+v\n", *r)
		}
	}
	if t.RogersCastro != nil {
		fmt.Fprintf(&b, "%+v\n", *t.RogersCastro)
	}
	for _, c := range t.CentralityGain {
		fmt.Fprintf(&b, "%v %v %v %v %v %v\n", c.Classes, c.Gain, deref(c.PerThousand), deref(c.Within), c.ReportOnly, c.Weight)
	}
	for _, g := range t.GrewUp {
		fmt.Fprintf(&b, "%v %d %v %v %v\n", g.Classes, g.Age, g.Share, deref(g.Within), g.Weight)
	}
	return b.String()
}

func deref(x *float64) string {
	if x == nil {
		return "nil"
	}
	return fmt.Sprint(*x)
}

// The key a message shows does not depend on a map's order: a first
// [[x]] header and a list opening on its key's line record two paths on
// one line (x and x[1]), and the numbered one is shown every time.
func TestParseErrorKeysStable(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"[peak_age]\nmin = 21\nmax = 27\n[[centrality_sahre]]\nclasses = [5]\n", `t.toml:4: centrality_sahre[1]: unknown key "centrality_sahre"`},
		{"[age_rates]\ntolerance = 0.2\ngroups = [3, 4]\n", "t.toml:3: age_rates.groups[1]: expected a table"},
	} {
		for range 30 {
			_, err := Parse("t.toml", []byte(c.src))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("%q:\n got %v\nwant %s…", c.src, err, c.want)
			}
		}
	}
}
