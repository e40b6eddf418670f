package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

const worldsHelpHead = `Usage: settle worlds
       settle worlds --export NAME [--out DIR]

Lists the worlds built into settle. A scenario names one in its world key,
or gives the path of its own regions CSV instead (see scenarios/README.md).

With --export, writes the embedded world NAME as the files of a user world
into DIR (default: a new folder NAME in the current folder): its regions
CSV, NAME.csv (for Norway with the study places of its campuses in a
study_places column), travel.csv when the world has one, a scenario.toml
that runs them with the years, seed and scale of the world's scenario in
scenarios/, and SOURCES.txt with the data's sources and licences.
Unchanged, the files are the embedded world: a run gives the same results,
and settle compare takes the two as one world. Edit them to make a world
of your own. DIR must be new or empty.

Flags:
`

// worldsOptions are the options of settle worlds.
type worldsOptions struct {
	Export string // the embedded world to write as files, or ""
	Out    string // the folder for Export; "" = ./<Export>
	Quiet  bool   // Export prints only its folder
}

func worldsFlags(opts *worldsOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("worlds", flag.ContinueOnError)
	fs.StringVar(&opts.Export, "export", "", "write the embedded world `NAME` as the files of a user world")
	fs.StringVar(&opts.Out, "out", "", "the new or empty folder for --export (default: NAME)")
	fs.BoolVar(&opts.Quiet, "quiet", false, "with --export, print only errors and the folder")
	return fs
}

func worldsHelp() string {
	var o worldsOptions
	return worldsHelpHead + flagsHelp(worldsFlags(&o), "export", "out", "quiet") + "\n" + exitCodesNoRun
}

func cmdWorlds(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	var opts worldsOptions
	fs := worldsFlags(&opts)
	pos, err := parseArgs(fs, args, worldsHelp(), stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		if opts.Export == "" && len(pos) == 1 {
			// A world's name, the start of one or near one: what was
			// meant is its export.
			if name := worldMeant(pos[0]); name != "" {
				return usagef("no arguments expected, got %q; to write the world's files, give --export %s", pos, name)
			}
		}
		return usagef("no arguments expected, got %q", pos)
	}
	if opts.Out != "" && opts.Export == "" {
		return usagef("--out is the folder of --export NAME; give the world to export, e.g. --export teaching --out %s", opts.Out)
	}
	if opts.Export != "" {
		return runExportWorld(ctx, opts, stdout, stderr)
	}
	return runWorlds(ctx, opts, stdout, stderr)
}

// worldMeant is the embedded world that s names, begins or nearly spells
// ("norway" for norway-2024), or "".
func worldMeant(s string) string {
	if name := world.EmbeddedNamed(s); name != "" {
		return name
	}
	return suggest(s, world.EmbeddedNames())
}

// runWorlds prints the embedded worlds as a table.
func runWorlds(_ context.Context, _ worldsOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, false)
	tw := tabwriter.NewWriter(p.Stdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "world\tregions\tpopulation\tdescription\n")
	for _, info := range world.Embedded() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", info.Name, info.Regions, output.Group(int64(info.Population)), info.Description)
	}
	fmt.Fprintf(tw, "\nsettle worlds --export NAME writes a world's files, to make a world of your own from.\n")
	return tw.Flush()
}

// runExportWorld writes the embedded world opts.Export into a new or empty
// folder (world.Export), each file whole or not at all.
func runExportWorld(_ context.Context, opts worldsOptions, stdout, _ io.Writer) error {
	files, err := world.Export(opts.Export)
	if err != nil {
		return usagef("--export %s: %v", opts.Export, err)
	}
	dir := opts.Out
	if dir == "" {
		dir = opts.Export
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("cannot write the world into %s: it is a file, not a folder; give --out a new folder", dir)
	}
	if err := output.CheckDir(dir); err != nil {
		return err
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return output.FolderError("create", dir, err)
	}
	for k, f := range files {
		if err := output.WriteData(filepath.Join(dir, f.Name), f.Data); err != nil {
			// No half of a world: what was written goes, and the folder
			// if this command made it.
			for _, g := range files[:k] {
				os.Remove(filepath.Join(dir, g.Name))
			}
			if statErr != nil {
				os.Remove(dir)
			}
			return fmt.Errorf("writing the world %s into %s: %w", opts.Export, dir, err)
		}
	}
	if opts.Quiet {
		fmt.Fprintln(stdout, dir)
		return nil
	}
	fmt.Fprintf(stdout, "Wrote the world %s as files into %s:\n", opts.Export, dir)
	for _, f := range files {
		fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, f.Name))
	}
	fmt.Fprintf(stdout, "\nUnchanged they are the embedded world; edit them to make your own. To run them:\n  settle run %s\n", output.ShellQuote(filepath.Join(dir, world.ExportScenario)))
	fmt.Fprintf(stdout, "Keep %s with any world made from them: it names the data's sources and licences.\n", world.ExportSources)
	return nil
}
