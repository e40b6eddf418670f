package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"

	"github.com/settle-sim/settle/sim/engine"
)

var versionHelp = `Usage: settle version

Prints the version of settle (the engine version recorded in every run's
manifest.json), the Go version it was built with, the revision of the code
it was built from when the go command recorded one (engine_build in the
manifests) and the platform.

` + exitCodesNoRun

// versionOptions are the options of settle version (none yet).
type versionOptions struct{}

func cmdVersion(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, err := parseArgs(fs, args, versionHelp, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("no arguments expected, got %q", pos)
	}
	return runVersion(ctx, versionOptions{}, stdout, stderr)
}

// runVersion prints the version.
func runVersion(_ context.Context, _ versionOptions, stdout, stderr io.Writer) error {
	build := ""
	if b := engine.Build(); b != "" {
		build = ", build " + b
	}
	_, err := fmt.Fprintf(newPrinter(stdout, stderr, false).Stdout(), "settle %s (%s%s, %s/%s)\n", engine.Version, runtime.Version(), build, runtime.GOOS, runtime.GOARCH)
	return err
}
