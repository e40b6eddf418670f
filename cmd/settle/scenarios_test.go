package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/scenario"
)

// Every scenario in scenarios/ loads and runs two years (at most at scale
// 0.05, to keep the suite fast; make run runs the baseline at full scale).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := runValidate(context.Background(), validateOptions{File: file}, &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			s, err := scenario.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			opts := runOptions{File: file, Out: out, Years: 2, Scale: min(s.Scale, 0.05), Quiet: true}
			if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			checkIdentity(t, filepath.Join(out, output.RegionsFile))
		})
	}
}
