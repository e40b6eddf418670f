package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/settle-sim/settle/sim/params"
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
	msg = strings.Replace(msg, "for flag -", "for flag --", 1)
	return usagef("%s\n%s", msg, help)
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
