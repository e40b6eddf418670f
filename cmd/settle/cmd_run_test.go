package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/output"
)

// TestRunSummaryIncomplete: the summary of an interrupted run says that it
// is incomplete and which years its figures cover, in its first line and
// its last (it read "1 year in 0.0 s" and the tables, as if complete; only
// stderr said otherwise). A complete run's says nothing of the kind.
func TestRunSummaryIncomplete(t *testing.T) {
	tmp := t.TempDir()
	file := scenarioFile(t, tmp, 10, 0.5)
	out := filepath.Join(tmp, "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	opts := runOptions{File: file, Out: out, newSim: newFake(func(int) { cancel() })}
	if err := runRun(ctx, opts, &stdout, &stderr); exitCode(err) != exitInterrupted {
		t.Fatalf("err %v, want an interruption", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	first, last := lines[0], lines[len(lines)-1]
	if !strings.HasPrefix(first, "test: teaching, scale 0.5, seed 3, ") || !strings.Contains(first, ": INCOMPLETE, 1 of 10 years in ") ||
		!strings.Contains(first, "(interrupted: the figures below cover 2024–2025 only, not to 2034)") {
		t.Errorf("first line %q", first)
	}
	want := "INCOMPLETE: interrupted after 1 of 10 years; the figures above cover 2024–2025 only, not to 2034 (" + filepath.Join(out, output.IncompleteFile) + " says how to run it again)"
	if last != want {
		t.Errorf("last line\n%q, want\n%q", last, want)
	}
	if !strings.Contains(stdout.String(), "Population by centrality class, 2024–2025") {
		t.Errorf("no summary of the years done:\n%s", stdout.String())
	}

	// --quiet prints no summary, complete or not.
	stdout.Reset()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	opts = runOptions{File: file, Out: filepath.Join(tmp, "quiet"), Quiet: true, newSim: newFake(func(int) { cancel2() })}
	if err := runRun(ctx2, opts, &stdout, &stderr); exitCode(err) != exitInterrupted || stdout.Len() != 0 {
		t.Errorf("--quiet: err %v, stdout %q", err, stdout.String())
	}

	// A complete run: the years and no INCOMPLETE.
	stdout.Reset()
	opts = runOptions{File: scenarioFile(t, tmp, 1, 0.5), Out: filepath.Join(tmp, "whole"), newSim: newFake(nil)}
	if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if s := stdout.String(); strings.Contains(s, "INCOMPLETE") || !strings.Contains(s, " worker: 1 year in ") {
		t.Errorf("a complete run's summary:\n%s", s)
	}
}

// TestRunInterruptedIncompleteText: an interrupted run's INCOMPLETE file
// and manifest give the reason in plain words, not Go's "context
// canceled", and its advice fits the command it shows: with the --out
// the run was given, to run once this folder is deleted, or with --out
// NEWDIR; without --out, a new folder under results/ (it said "Delete this
// folder first, or give the new run another --out:" above a command
// without --out).
func TestRunInterruptedIncompleteText(t *testing.T) {
	tmp := t.TempDir()
	file := scenarioFile(t, tmp, 10, 0.5)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		cmdline func(out string) []string
		want    []string
	}{
		{"given", func(out string) []string { return []string{"settle", "run", file, "--out", out} }, []string{
			"A run writes only into an empty folder: delete this folder first, then run\n\n    cd " + output.ShellQuote(wd) + " && settle run " + output.ShellQuote(file) + " --out " + output.ShellQuote(filepath.Join(tmp, "given")) + "\n",
			"or keep this folder and give the new run another one, in place of NEWDIR:\n\n    cd " + output.ShellQuote(wd) + " && settle run " + output.ShellQuote(file) + " --out NEWDIR\n",
		}},
		{"default", func(string) []string { return []string{"settle", "run", file} }, []string{
			"The command writes its results into a new folder under results/ and leaves\nthis one as it is",
			"    cd " + output.ShellQuote(wd) + " && settle run " + output.ShellQuote(file) + "\n",
		}},
	} {
		out := filepath.Join(tmp, c.name)
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr bytes.Buffer
		opts := runOptions{File: file, Out: out, Quiet: true, Cmdline: c.cmdline(out), newSim: newFake(func(int) { cancel() })}
		if err := runRun(ctx, opts, &stdout, &stderr); exitCode(err) != exitInterrupted {
			t.Fatalf("%s: err %v, want an interruption", c.name, err)
		}
		cancel()
		b, err := os.ReadFile(filepath.Join(out, output.IncompleteFile))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, want := range append([]string{"This run is incomplete: interrupted (Ctrl-C or SIGTERM).\n"}, c.want...) {
			if !strings.Contains(s, want) {
				t.Errorf("%s: INCOMPLETE lacks %q:\n%s", c.name, want, s)
			}
		}
		if strings.Contains(s, "context canceled") || strings.Contains(s, "another --out:") {
			t.Errorf("%s: INCOMPLETE:\n%s", c.name, s)
		}
		if m, err := output.ReadManifest(out); err != nil || m.Stopped != output.Interrupted {
			t.Errorf("%s: manifest stopped %q (%v), want %q", c.name, m.Stopped, err, output.Interrupted)
		}
	}
}
