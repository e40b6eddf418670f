package main

// End-to-end tests through the real engine (sim/engine) on the small
// teaching world.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/settle-sim/settle/sim/output"
)

func TestEngineRun(t *testing.T) {
	for _, scale := range []float64{1, 0.3} {
		t.Run(strconv.FormatFloat(scale, 'g', -1, 64), func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(tmp, "out")
			var stdout, stderr bytes.Buffer
			opts := runOptions{File: scenarioFile(t, tmp, 3, scale), Out: out}
			if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			if years := checkIdentity(t, filepath.Join(out, output.RegionsFile)); !slices.Equal(years, []int{2024, 2025, 2026, 2027}) {
				t.Errorf("years %v", years)
			}
			if m, err := output.ReadManifest(out); err != nil || !m.Complete {
				t.Errorf("manifest %+v, %v", m, err)
			}
			assertNoTmp(t, out)
		})
	}
}

// The same scenario and seed give byte-identical files for 1, 2 and 8 workers.
func TestEngineWorkers(t *testing.T) {
	tmp := t.TempDir()
	file := scenarioFile(t, tmp, 3, 0.5)
	var want [][]byte
	for _, workers := range []int{1, 2, 8} {
		out := filepath.Join(tmp, "w"+strconv.Itoa(workers))
		var stdout, stderr bytes.Buffer
		if err := runRun(context.Background(), runOptions{File: file, Out: out, Workers: workers, Quiet: true}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		for i, name := range output.TableFiles {
			b, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if workers == 1 {
				want = append(want, b)
			} else if !bytes.Equal(b, want[i]) {
				t.Errorf("%s with %d workers differs from 1 worker", name, workers)
			}
		}
	}
}
