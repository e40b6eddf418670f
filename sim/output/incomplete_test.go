package output

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncompleteInterrupted: a run stopped by an interrupt says so in
// plain words in its manifest's "stopped" and its INCOMPLETE file; settle
// compare's kept runs, which Close got Go's context.Canceled for, said
// "context canceled".
func TestIncompleteInterrupted(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 5, 1, 5)
	for _, c := range []struct {
		stop error
		want string
	}{
		{context.Canceled, Interrupted},
		{fmt.Errorf("simulating year 2026: %w", context.Canceled), "simulating year 2026: " + Interrupted},
		{Reworded("the comparison stopped", context.Canceled), Interrupted + ": the comparison stopped"},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		r, err := Create(dir, w, Manifest{ScenarioName: "test", Years: 5, StartYear: 2024, ScenarioFile: "s.toml", WorkingDir: "/work",
			CommandLine: []string{"settle", "run", "s.toml", "--seed", "5"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, y := range recs[:2] {
			if err := r.Write(y); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Close(c.stop); err != nil {
			t.Fatal(err)
		}
		m, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m.Stopped != c.want {
			t.Errorf("%v: stopped %q, want %q", c.stop, m.Stopped, c.want)
		}
		b, err := os.ReadFile(filepath.Join(dir, IncompleteFile))
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); !strings.HasPrefix(s, "This run is incomplete: "+c.want+".\n") || strings.Contains(s, "context canceled") {
			t.Errorf("%v: INCOMPLETE:\n%s", c.stop, s)
		}
	}
	// The manifests written before say "context canceled".
	if got := StopReason("context canceled"); got != "interrupted (Ctrl-C or SIGTERM)" {
		t.Errorf("StopReason(context canceled) = %q", got)
	}
	if got := StopReason("writing regions.csv: no space left on device"); got != "writing regions.csv: no space left on device" {
		t.Errorf("StopReason changed another reason: %q", got)
	}
}

// TestRerunText: the advice to run again fits the command shown. It said
// "Delete this folder first, or give the new run another --out:" above a
// command without --out (which writes a new folder under results/ and
// needs neither). A command with --out is shown as it was, to run once
// this folder is deleted, and with --out NEWDIR, for another folder;
// always from the folder the run started in.
func TestRerunText(t *testing.T) {
	const lead = "\nTo get the whole run, run it again; the same scenario and seed give the same results.\n"
	for _, c := range []struct {
		name string
		m    Manifest
		want string
	}{
		{"no --out", Manifest{WorkingDir: "/home/a b/work", CommandLine: []string{"./bin/settle", "run", "scenarios/baseline.toml"}},
			lead + "The command writes its results into a new folder under results/ and leaves\n" +
				"this one as it is (delete this folder when you no longer need it):\n\n" +
				"    cd '/home/a b/work' && ./bin/settle run scenarios/baseline.toml\n"},
		{"--out DIR", Manifest{WorkingDir: "/work", CommandLine: []string{"settle", "run", "--out", "my dir", "s.toml", "--years", "5"}},
			lead + "A run writes only into an empty folder: delete this folder first, then run\n\n" +
				"    cd /work && settle run --out 'my dir' s.toml --years 5\n\n" +
				"or keep this folder and give the new run another one, in place of NEWDIR:\n\n" +
				"    cd /work && settle run --out NEWDIR s.toml --years 5\n"},
		{"-out=DIR", Manifest{WorkingDir: "/work", CommandLine: []string{"settle", "run", "s.toml", "-out=runs/a"}},
			lead + "A run writes only into an empty folder: delete this folder first, then run\n\n" +
				"    cd /work && settle run s.toml -out=runs/a\n\n" +
				"or keep this folder and give the new run another one, in place of NEWDIR:\n\n" +
				"    cd /work && settle run s.toml -out=NEWDIR\n"},
		{"no command line", Manifest{ScenarioFile: "s.toml", Seed: 7},
			lead + "The command writes its results into a new folder under results/ and leaves\n" +
				"this one as it is (delete this folder when you no longer need it):\n\n" +
				"    settle run s.toml --seed 7\n"},
	} {
		if got := rerunText(&c.m, "To get the whole run, run it again"); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
		// No advice about --out over a command without it.
		got := incompleteText(&c.m, 2, Interrupted)
		if strings.HasPrefix(c.name, "no ") && strings.Contains(got, "--out") {
			t.Errorf("%s: advice about --out over a command without it:\n%s", c.name, got)
		}
	}
	// While running, the advice is for a run that has stopped: not to
	// delete a folder a run still writes into.
	m := Manifest{WorkingDir: "/work", CommandLine: []string{"settle", "run", "s.toml", "--out", "x"}}
	if got := runningText(&m); !strings.Contains(got, "\nIf it has stopped, run it again to get the whole run; the same scenario and seed give the same results.\n"+
		"A run writes only into an empty folder: delete this folder first, then run\n") {
		t.Errorf("running:\n%s", got)
	}
}
