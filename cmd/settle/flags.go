package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
)

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errHelp is returned after help was printed on request (exit code 0).
var errHelp = errors.New("help requested")

// suggest returns the closest of candidates to s, or "".
func suggest(s string, candidates []string) string { return params.Suggest(s, candidates) }

// parseArgs parses flags anywhere among args (settle run FILE --seed 2 as
// well as settle run --seed 2 FILE) and returns the other arguments. "--"
// ends the flags. -h or --help prints help to stdout and returns errHelp.
// A bad flag is a usageError that names the flag and, for an unknown one,
// the closest known flag.
func parseArgs(fs *flag.FlagSet, args []string, help string, stdout io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	if err := flagAsValue(fs, args); err != nil {
		return nil, err
	}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			return nil, errHelp
		}
		if err != nil {
			return nil, flagError(fs, err)
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagAsValue reports a flag whose value was forgotten, so that it would
// take the next flag as its value (--out --years 5 made a folder named
// --years): a value that starts with -- or names one of the command's
// flags. A value given with = (--out=--odd) is the user's choice, and a
// negative number (--seed -1) is left to the flag's own check.
func flagAsValue(fs *flag.FlagSet, args []string) error {
	for i := 0; i+1 < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if !strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
			continue
		}
		f := fs.Lookup(strings.TrimLeft(a, "-"))
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		next := args[i+1]
		name, _, _ := strings.Cut(strings.TrimLeft(next, "-"), "=")
		if strings.HasPrefix(next, "--") || strings.HasPrefix(next, "-") && name != "" && fs.Lookup(name) != nil {
			return usagef("flag --%s needs a value before %s\nRun 'settle %s --help' for its flags.", f.Name, next, fs.Name())
		}
		i++ // the value
	}
	return nil
}

// flagError rewrites the flag package's error in settle's words.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	help := fmt.Sprintf("Run 'settle %s --help' for its flags.", fs.Name())
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := suggest(name, names); s != "" {
			return usagef("unknown flag --%s; did you mean --%s?\n%s", name, s, help)
		}
		return usagef("unknown flag --%s\n%s", name, help)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("flag --%s needs a value\n%s", strings.TrimLeft(name, "-"), help)
	}
	// invalid value "x" for flag -scale: parse error
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		if f := fs.Lookup(m[2]); f != nil {
			allowed := allowedValues(fs.Name(), f)
			if strings.HasSuffix(msg, "value out of range") && f.Name == "seed" {
				allowed = strings.Replace(allowed, "≥ 0", "from 0 to 18446744073709551615", 1)
			}
			// --scale 5% or 0,05: the number meant, when the flag takes it
			// (not --scale 1,5 or --top 1,5).
			if v, why, ok := scenario.ReadNumber(m[2], m[1]); ok && flagTakes(f, v) {
				allowed += fmt.Sprintf("; write --%s %s: %s", m[2], v, strings.Replace(why, "TOML", "a number", 1))
			}
			return usagef("--%s %s: %s\n%s", m[2], m[1], allowed, help)
		}
	}
	msg = strings.Replace(msg, "for flag -", "for flag --", 1)
	return usagef("%s\n%s", msg, help)
}

// flagTakes reports whether v, a number read from a value written as Go
// does not parse it, is one flag f takes: a scale is above 0 and at most 1,
// a whole-number flag takes whole numbers, --years at most
// scenario.MaxYears.
func flagTakes(f *flag.Flag, v string) bool {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false
	}
	switch f.Name {
	case "scale":
		return x > 0 && x <= 1
	case "years":
		return x >= 1 && x <= scenario.MaxYears && x == math.Trunc(x)
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int, int64, uint, uint64:
			return x == math.Trunc(x) && x >= 0
		}
	}
	return true
}

// invalidValue matches the flag package's error for a value that does not
// parse: invalid value "abc" for flag -scale: parse error (and, for a
// boolean flag, invalid boolean value …).
var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+): `)

// allowedValues says what values flag f of settle cmd takes, with an
// example: the flag package only says "parse error".
func allowedValues(cmd string, f *flag.Flag) string {
	switch f.Name {
	case "seed":
		return "the seed is a whole number ≥ 0, e.g. --seed 42"
	case "scale":
		return "the scale is the share of the population simulated, a number with 0 < scale ≤ 1, e.g. --scale 0.1"
	case "years":
		if cmd == "run" || cmd == "compare" {
			return fmt.Sprintf("give a whole number of years from 1 to %d, e.g. --years 10", scenario.MaxYears)
		}
		return "give a whole number of years, 1 or more, e.g. --years 10"
	case "workers":
		if cmd == "sweep" { // simulations side by side, not goroutines
			return "give a whole number of 1 or more, e.g. --workers 4 (leave it out for one per CPU)"
		}
		return fmt.Sprintf("give a whole number from 1 to %d, e.g. --workers 4 (leave it out for one per CPU)", maxWorkers)
	}
	var v any
	if g, ok := f.Value.(flag.Getter); ok {
		v = g.Get()
	}
	switch v.(type) {
	case bool:
		return fmt.Sprintf("give true or false, e.g. --%s=false, or --%s alone for true", f.Name, f.Name)
	case uint, uint64:
		return fmt.Sprintf("give a whole number ≥ 0, e.g. --%s 1", f.Name)
	case int, int64:
		return fmt.Sprintf("give a whole number, e.g. --%s %s", f.Name, exampleInt(f.DefValue))
	case float64:
		return fmt.Sprintf("give a number, e.g. --%s 0.5", f.Name)
	case time.Duration:
		return fmt.Sprintf("give a duration, e.g. --%s 30s", f.Name)
	}
	return "see settle " + cmd + " --help for its values"
}

func exampleInt(def string) string {
	if def == "" || def == "0" {
		return "1"
	}
	return def
}

// flagsHelp lists the flags of fs, with double dashes, in the order given.
func flagsHelp(fs *flag.FlagSet, order ...string) string {
	var b strings.Builder
	for _, name := range order {
		f := fs.Lookup(name)
		if f == nil {
			panic("settle: no flag " + name)
		}
		arg, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if arg != "" {
			left += " " + arg
		}
		fmt.Fprintf(&b, "  %-16s %s\n", left, strings.ReplaceAll(usage, "\n", "\n"+strings.Repeat(" ", 19)))
	}
	return b.String()
}

// isSet reports whether the flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
