package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

var worldsHelp = `Usage: settle worlds

Lists the worlds built into settle. A scenario names one in its world key,
or gives the path of its own regions CSV instead (see scenarios/README.md).

` + exitCodesNoRun

// worldsOptions are the options of settle worlds (none yet).
type worldsOptions struct{}

func cmdWorlds(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("worlds", flag.ContinueOnError)
	pos, err := parseArgs(fs, args, worldsHelp, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("no arguments expected, got %q", pos)
	}
	return runWorlds(ctx, worldsOptions{}, stdout, stderr)
}

// runWorlds prints the embedded worlds as a table.
func runWorlds(_ context.Context, _ worldsOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, false)
	tw := tabwriter.NewWriter(p.Stdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "world\tregions\tpopulation\tdescription\n")
	for _, info := range world.Embedded() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", info.Name, info.Regions, output.Group(int64(info.Population)), info.Description)
	}
	return tw.Flush()
}
