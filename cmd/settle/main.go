// Command settle runs settlement simulations: synthetic people in regions
// (by default Norway's 357 municipalities) who age, study, work, form
// households and move, year by year, under the policies a scenario file
// switches on.
//
//	settle run scenarios/baseline.toml
//	settle validate scenarios/rogfast.toml
//	settle validate --params
//	settle fit results/baseline/<run id>
//	settle calibrate targets/fitted/calibration.toml
//	settle worlds
//	settle version
//
// This package only parses the command line and prints; the simulation is
// in sim/engine, the scenario format in sim/scenario and the output files in
// sim/output. Each subcommand has its own file with an options struct, its
// flags and a runX function that tests call directly.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// Exit codes.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report Ctrl-C
)

const exitCodesHelp = `Exit codes:
  0    success
  1    error (a bad scenario, a failed run …)
  2    usage error (an unknown command or flag, a bad flag value)
  130  interrupted (Ctrl-C); a run's folder is then marked INCOMPLETE
`

// exitCodesNoRun is exitCodesHelp for the commands that write no run
// folder.
var exitCodesNoRun = strings.Replace(exitCodesHelp, "; a run's folder is then marked INCOMPLETE", "", 1)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling: a second Ctrl-C
	// kills the process at once (the run folder is marked INCOMPLETE from
	// its creation, so even that leaves no folder that looks finished).
	context.AfterFunc(ctx, stop)
	code := runMain(ctx, os.Args[1:], os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	// run parses the subcommand's arguments and runs it; cmdline is the
	// whole command line, for the manifest.
	run func(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) error
}

// order fixes where a command appears in the help: commands registered by
// their own files (register) are listed by it, unknown names last.
var order = []string{"run", "validate", "compare", "explain", "fit", "calibrate", "sweep", "sensitivity", "serve", "worlds", "version"}

// registered holds the commands added by register; it is only written by
// init functions.
var registered []command

// register adds a command; a subcommand's file calls it from init, so that
// adding a command does not touch this file.
func register(c command) { registered = append(registered, c) }

func commands() []command {
	cs := []command{
		{"run", "simulate a scenario and write its results", cmdRun},
		{"validate", "check a scenario and summarise it; --params lists the behaviour parameters", cmdValidate},
		{"calibrate", "fit behaviour parameters to calibration targets", cmdCalibrate},
		{"fit", "compare a run with calibration targets: a table and charts", cmdFit},
		{"worlds", "list the embedded worlds", cmdWorlds},
		{"version", "print the version", cmdVersion},
	}
	cs = append(cs, registered...)
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(cs, func(a, b command) int { return rank(a.name) - rank(b.name) })
	return cs
}

func mainHelp() string {
	s := `settle simulates where people live: synthetic persons in regions who age,
study, work, form households and move, year by year, under the policies a
scenario file switches on.

Usage:
  settle COMMAND [ARGS]

Commands:
`
	for _, c := range commands() {
		s += fmt.Sprintf("  %-12s %s\n", c.name, c.summary)
	}
	s += `
Run 'settle COMMAND --help' for a command's flags.

` + exitCodesHelp
	return s
}

// runMain runs the command line args (without the program name) and returns
// the exit code. cmdline is the whole command line, recorded in manifests.
func runMain(ctx context.Context, args, cmdline []string, stdout, stderr io.Writer) int {
	p := newPrinter(stdout, stderr, false)
	if len(args) == 0 {
		fmt.Fprint(stderr, mainHelp())
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			// settle help run = settle run --help
			return runMain(ctx, []string{args[1], "--help"}, cmdline, stdout, stderr)
		}
		fmt.Fprint(stdout, mainHelp())
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, args[1:], cmdline, stdout, stderr)
		if errors.Is(err, errHelp) {
			return exitOK
		}
		if err != nil {
			if name == "sweep" && len(args) > 1 && (args[1] == "merge" || args[1] == "slurm") {
				name += " " + args[1] // the subcommand said the error
			}
			p.Errorf("settle %s: %v", name, err)
		}
		return exitCode(err)
	}
	names := make([]string, 0, 4)
	for _, c := range commands() {
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("settle: unknown command %q", name)
	if s := suggest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	p.Errorf("%s\nRun 'settle --help' for the list of commands.", msg)
	return exitUsage
}

// exitCode maps an error to the exit code: usage errors 2, interruptions
// 130, other errors 1.
func exitCode(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitError
}
