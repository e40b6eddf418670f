package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestFlagValuesSayWhatIsAllowed: a flag value that does not parse is
// reported with the values the flag takes, not Go's bare "parse error".
func TestFlagValuesSayWhatIsAllowed(t *testing.T) {
	file := scenarioFile(t, t.TempDir(), 1, 1)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", file, "--seed", "-1"}, "settle run: --seed -1: the seed is a whole number ≥ 0, e.g. --seed 42\nRun 'settle run --help' for its flags."},
		{[]string{"run", file, "--seed", "1.5"}, "--seed 1.5: the seed is a whole number ≥ 0"},
		{[]string{"run", file, "--seed", "99999999999999999999"}, "--seed 99999999999999999999: the seed is a whole number from 0 to 18446744073709551615"},
		{[]string{"run", file, "--scale", "abc"}, "settle run: --scale abc: the scale is the share of the population simulated, a number with 0 < scale ≤ 1, e.g. --scale 0.1\n"},
		{[]string{"run", file, "--years", "ten"}, "--years ten: give a whole number of years from 1 to 200, e.g. --years 10"},
		{[]string{"run", file, "--workers", "all"}, "--workers all: give a whole number from 1 to 1024"},
		{[]string{"run", file, "--workers", "100000"}, "settle run: --workers 100000: give a number of goroutines from 1 to 1024, or leave it out to use one per CPU"},
		{[]string{"compare", file, file, "--workers", "5000"}, "settle compare: --workers 5000: give a number of goroutines from 1 to 1024"},
		{[]string{"calibrate", file, "--workers", "2000"}, "settle calibrate: --workers 2000: give a number of goroutines from 1 to 1024"},
		{[]string{"serve", "--workers", "1025"}, "settle serve: --workers 1025: give a number of goroutines from 1 to 1024"},
		{[]string{"sweep", file, "--workers", "all"}, "settle sweep: --workers all: give a whole number of 1 or more"},
		{[]string{"run", file, "--quiet=maybe"}, "--quiet maybe: give true or false"},
		// A flag taken as another's value (a folder named --years).
		{[]string{"run", file, "--out", "--years", "3"}, "settle run: flag --out needs a value before --years"},
		{[]string{"fit", "dir", "--targets", "--strict"}, "settle fit: flag --targets needs a value before --strict"},
		{[]string{"run", file, "--out", "--years=3"}, "settle run: flag --out needs a value before --years=3"},
		{[]string{"run", file, "--out", "--yeras", "3"}, "settle run: flag --out needs a value before --yeras"},
		{[]string{"run", file, "--out", "--", "x"}, "settle run: flag --out needs a value before --"},
		{[]string{"compare", file, file, "--seed", "-3"}, "settle compare: --seed -3: the seed is a whole number ≥ 0"},
		{[]string{"compare", file, file, "--scale", "half"}, "settle compare: --scale half: the scale is the share of the population simulated, a number with 0 < scale ≤ 1"},
		{[]string{"calibrate", file, "--scale", "x"}, "settle calibrate: --scale x: the scale is the share"},
		{[]string{"explain", "dir", "--top", "many"}, "settle explain: --top many: give a whole number, e.g. --top 5"},
		// A share written as a percentage or with a decimal comma: the number meant.
		{[]string{"run", file, "--scale", "5%"}, "; write --scale 0.05: a number has no per cent sign"},
		{[]string{"compare", file, file, "--scale", "0,05"}, "; write --scale 0.05: a number uses a decimal point, not a comma"},
	} {
		code, _, errs := settle(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) || strings.Contains(errs, "parse error") {
			t.Errorf("settle %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
	// No number is suggested that the flag refuses (a review found
	// --scale 1,5 told to write 1.5, and --top 1,5 1.5).
	for _, args := range [][]string{{"run", file, "--scale", "1,5"}, {"explain", "dir", "--top", "1,5"}, {"run", file, "--years", "1,500"}} {
		if _, _, errs := settle(t, args...); strings.Contains(errs, "; write --") {
			t.Errorf("settle %s: %q suggests a value the flag refuses", strings.Join(args, " "), errs)
		}
	}
}

// TestFlagValueWithEquals: a value given with = is taken as given, even
// when it starts with --, and a negative number reaches the flag's own
// check.
func TestFlagValueWithEquals(t *testing.T) {
	opts, err := parseRun([]string{"s.toml", "--out=--odd"}, nil, new(bytes.Buffer))
	if err != nil || opts.Out != "--odd" {
		t.Errorf("--out=--odd: out %q, %v", opts.Out, err)
	}
	if _, err := parseRun([]string{"s.toml", "--seed", "-1"}, nil, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "the seed is a whole number") {
		t.Errorf("--seed -1: %v", err)
	}
}
