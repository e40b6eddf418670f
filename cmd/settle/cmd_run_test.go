package main

import (
	"bytes"
	"context"
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
