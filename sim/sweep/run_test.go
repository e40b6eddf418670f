package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/settle-sim/settle/sim/world"
)

// outputs are the files that must be the same bytes however a sweep ran.
var outputs = []string{RunsFile, ParquetFile, PointsFile}

func readFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range outputs {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

func sameFiles(t testing.TB, what string, a, b map[string][]byte) {
	t.Helper()
	for _, f := range outputs {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s: %s differs (%d and %d bytes)", what, f, len(a[f]), len(b[f]))
		}
	}
}

func runSweep(t testing.TB, sw *Sweep, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), sw, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The same bytes for 1 and 3 workers, whatever order the runs finish in.
func TestWorkersSameBytes(t *testing.T) {
	sw := load(t, smallGrid)
	dir1 := filepath.Join(t.TempDir(), "w1")
	res := runSweep(t, sw, Options{Dir: dir1, Workers: 1})
	if res.Computed != 8 || res.Runs != 8 || res.Resumed != 0 {
		t.Fatalf("result %+v", res)
	}
	dir3 := filepath.Join(t.TempDir(), "w3")
	runSweep(t, sw, Options{Dir: dir3, Workers: 3})
	one := readFiles(t, dir1)
	sameFiles(t, "1 and 3 workers", one, readFiles(t, dir3))

	rows := strings.Split(strings.TrimSpace(string(one[RunsFile])), "\n")
	if rows[0] != "run_id,point,replicate,seed,behaviour.move_scale,intervention.Holmøy bridge.travel_time_factor,years,metric,value" {
		t.Errorf("header %s", rows[0])
	}
	if len(rows) != 1+8*len(sw.Metrics) {
		t.Errorf("%d rows, want %d", len(rows)-1, 8*len(sw.Metrics))
	}
	if !strings.HasPrefix(rows[len(rows)-1], "7,3,1,4,1.2,0.9,2,homes,") {
		t.Errorf("last row %s", rows[len(rows)-1])
	}
	m, err := ReadManifest(dir1)
	if err != nil || !m.Complete || m.RunsDone != 8 || m.Runs != 8 {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	if _, err := os.Stat(filepath.Join(dir1, IncompleteFile)); err == nil {
		t.Error("a complete sweep still has INCOMPLETE")
	}
	// An existing sweep is never overwritten.
	if _, err := Run(context.Background(), sw, Options{Dir: dir1}); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Errorf("rerun into a full folder: %v", err)
	}
	// Resuming a complete sweep computes nothing and keeps the bytes.
	res = runSweep(t, sw, Options{Dir: dir1, Resume: true})
	if res.Computed != 0 || res.Resumed != 8 {
		t.Errorf("resume of a complete sweep: %+v", res)
	}
	sameFiles(t, "resumed complete sweep", one, readFiles(t, dir1))
}

// A sweep cancelled midway keeps its finished runs; --resume computes only
// the others and gives the bytes of an uninterrupted sweep. A partial line
// left by a killed process is dropped and its run computed again.
func TestResume(t *testing.T) {
	sw := load(t, smallGrid)
	whole := filepath.Join(t.TempDir(), "whole")
	runSweep(t, sw, Options{Dir: whole, Workers: 2})
	want := readFiles(t, whole)

	dir := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Run(ctx, sw, Options{Dir: dir, Workers: 2, Progress: func(done, total int) {
		if done >= 3 {
			cancel()
		}
	}})
	var ie *InterruptedError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sweep: %v", err)
	}
	if res.Computed < 3 || res.Computed >= 8 || ie.Done != res.Computed || ie.Total != 8 {
		t.Fatalf("cancelled after %d runs (interrupted error says %d of %d)", res.Computed, ie.Done, ie.Total)
	}
	for _, f := range []string{RunsFile, ParquetFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("an interrupted sweep wrote %s", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, IncompleteFile)); err != nil {
		t.Error("an interrupted sweep has no INCOMPLETE file")
	}
	first := res.Computed
	journal := filepath.Join(dir, JournalFile)
	kept, _, err := readJournal(journal, len(sw.Metrics))
	if err != nil || len(kept) != first {
		t.Fatalf("journal holds %d runs (%v), want %d", len(kept), err, first)
	}
	// A process killed while writing leaves a partial line.
	f, _ := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("7\t4\t41")
	f.Close()

	var computed []int
	res, err = Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Resume: true, Progress: func(done, total int) {
		computed = append(computed, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed != first || res.Computed != 8-first {
		t.Errorf("resume: %d resumed and %d computed, want %d and %d", res.Resumed, res.Computed, first, 8-first)
	}
	if computed[0] != first {
		t.Errorf("progress started at %d, want %d", computed[0], first)
	}
	sameFiles(t, "interrupted and resumed", want, readFiles(t, dir))
	// Every run is in the journal once.
	data, _ := os.ReadFile(journal)
	ids := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		ids[strings.Split(line, "\t")[0]]++
	}
	for id := range 8 {
		if ids[strconv.Itoa(id)] != 1 {
			t.Errorf("run %d is in the journal %d times", id, ids[strconv.Itoa(id)])
		}
	}

	// --resume of the finished sweep runs nothing and writes nothing (it
	// rewrote the tables and the manifest, with a new command line).
	stamps := map[string]time.Time{}
	for _, f := range []string{RunsFile, ParquetFile, ManifestFile, JournalFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		stamps[f] = st.ModTime()
	}
	time.Sleep(20 * time.Millisecond)
	res, err = Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Resume: true, CommandLine: []string{"settle", "sweep", "again"}})
	if err != nil || !res.Finished || res.Computed != 0 || res.Resumed != 8 {
		t.Fatalf("resume of a finished sweep: %+v, %v; want finished, nothing computed", res, err)
	}
	for f, mod := range stamps {
		if st, _ := os.Stat(filepath.Join(dir, f)); !st.ModTime().Equal(mod) {
			t.Errorf("resume of a finished sweep rewrote %s", f)
		}
	}
	sameFiles(t, "resumed again", want, readFiles(t, dir))
	// With a table deleted, --resume rebuilds it from the journal.
	for _, f := range []string{RunsFile, ParquetFile} {
		os.Remove(filepath.Join(dir, f))
		if res, err = Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Resume: true}); err != nil || res.Finished || res.Computed != 0 {
			t.Fatalf("resume without %s: %+v, %v; want the tables rebuilt, nothing computed", f, res, err)
		}
		sameFiles(t, "rebuilt "+f, want, readFiles(t, dir))
	}
}

// Two processes never run one folder at once: the journal is locked.
func TestResumeLocked(t *testing.T) {
	sw := load(t, smallGrid)
	dir := filepath.Join(t.TempDir(), "s")
	stopAfterFirst(sw, Options{Dir: dir, Workers: 1})
	f, err := os.OpenFile(filepath.Join(dir, JournalFile), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := lock(f); err != nil {
		t.Skipf("no advisory locks here: %v", err)
	}
	_, err = Run(context.Background(), sw, Options{Dir: dir, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "another settle sweep is running in "+dir) {
		t.Fatalf("resume of a locked folder: %v", err)
	}
}

// Resuming with a changed sweep file is refused.
func TestResumeChangedSweep(t *testing.T) {
	path := write(t, smallGrid)
	sw, _ := Load(path)
	dir := filepath.Join(t.TempDir(), "s")
	stopAfterFirst(sw, Options{Dir: dir, Workers: 1})
	os.WriteFile(path, []byte(strings.Replace(smallGrid, "0.8, 1.2", "0.8, 1.3", 1)), 0o644)
	sw2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), sw2, Options{Dir: dir, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "changed since the sweep started there") {
		t.Fatalf("resume with a changed file: %v", err)
	}
}

// Shards merged give the bytes of the whole sweep, in any order given.
func TestShardsMerge(t *testing.T) {
	sw := load(t, smallGrid)
	whole := filepath.Join(t.TempDir(), "whole")
	runSweep(t, sw, Options{Dir: whole, Workers: 2})
	want := readFiles(t, whole)

	base := t.TempDir()
	for i := range 3 {
		s := Shard{Index: i, Count: 3}
		res := runSweep(t, sw, Options{Dir: filepath.Join(base, s.Folder()), Workers: 1, Shard: s})
		if wantRuns := len(shardIDs(8, s)); res.Runs != wantRuns {
			t.Errorf("shard %s: %d runs, want %d", s, res.Runs, wantRuns)
		}
	}
	// Missing and incomplete shards are refused.
	if _, err := Merge(filepath.Join(t.TempDir(), "m"), []string{filepath.Join(base, "shard-0-of-3"), filepath.Join(base, "shard-2-of-3")}, nil); err == nil ||
		!strings.Contains(err.Error(), "shards 1/3 are missing") {
		t.Errorf("merge without shard 1: %v", err)
	}
	m, err := Merge(base, []string{base}, []string{"settle", "sweep", "merge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.MergedFrom) != 3 || !m.Complete || m.Runs != 8 {
		t.Errorf("merged manifest %+v", m)
	}
	sameFiles(t, "merged shards", want, readFiles(t, base))
	// A second merge into the same folder has nothing to do, and says
	// where the tables are and how to merge again elsewhere (it said
	// "refusing to overwrite manifest.json …; choose another --out", and
	// another --out said "… is merged already").
	var me *MergedError
	if _, err := Merge(base, []string{base}, nil); !errors.As(err, &me) || !strings.Contains(err.Error(), base+" is merged already: the 8 runs of its 3 shards were merged") ||
		!strings.Contains(err.Error(), "settle sweep merge --out NEWDIR "+base) {
		t.Errorf("a second merge into the same folder: %v", err)
	}
	// That command merges the shards again, into a new folder: the same
	// tables.
	again := filepath.Join(t.TempDir(), "again")
	if m2, err := Merge(again, []string{base}, nil); err != nil || len(m2.MergedFrom) != 3 {
		t.Fatalf("merging a merged folder's shards again: %v", err)
	}
	sameFiles(t, "merged again", want, readFiles(t, again))
	// Into a folder holding a merge or a whole sweep: refused, saying so.
	if _, err := Merge(again, []string{base}, nil); err == nil || !strings.Contains(err.Error(), "refusing to overwrite "+again+": it holds the merge of 3 shards already") {
		t.Errorf("merge into another merged folder: %v", err)
	}
	if _, err := Merge(whole, []string{base}, nil); err == nil || !strings.Contains(err.Error(), "refusing to overwrite "+whole+": it holds a sweep run on one machine") {
		t.Errorf("merge into a whole sweep's folder: %v", err)
	}
	// A merge whose tables were deleted is merged again in place.
	os.Remove(filepath.Join(base, RunsFile))
	if _, err := Merge(base, []string{base}, nil); err != nil {
		t.Fatalf("merge after runs.csv was deleted: %v", err)
	}
	sameFiles(t, "merged in place again", want, readFiles(t, base))
	r, err := ReadResults(base)
	if err != nil || len(r.Values) != 8 {
		t.Fatalf("reading the merged results: %v", err)
	}
	if _, err := ReadResults(filepath.Join(base, "shard-0-of-3")); err == nil {
		t.Error("a shard read as a whole sweep")
	}
}

func TestMergeIncompleteShard(t *testing.T) {
	sw := load(t, smallGrid)
	base := t.TempDir()
	runSweep(t, sw, Options{Dir: filepath.Join(base, "shard-0-of-2"), Shard: Shard{0, 2}})
	stopAfterFirst(sw, Options{Dir: filepath.Join(base, "shard-1-of-2"), Shard: Shard{1, 2}, Workers: 1})
	_, err := Merge(base, []string{base}, nil)
	if err == nil || !strings.Contains(err.Error(), "shard 1/2 in") || !strings.Contains(err.Error(), "is not complete") {
		t.Fatalf("merge with an incomplete shard: %v", err)
	}
}

// TestMergeWholeSweep: a sweep of one machine given to merge, alone or
// among shards, is named as such, finished or not, and the unfinished one
// gets the command that finishes it.
func TestMergeWholeSweep(t *testing.T) {
	sw := load(t, smallGrid)
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	runSweep(t, sw, Options{Dir: whole})
	shard := filepath.Join(base, "shard-0-of-2")
	runSweep(t, sw, Options{Dir: shard, Shard: Shard{0, 2}})
	for _, dirs := range [][]string{{whole}, {shard, whole}} {
		_, err := Merge(whole, dirs, nil)
		if err == nil || !strings.Contains(err.Error(), whole+" holds a whole sweep, not a shard, and it is complete") {
			t.Errorf("merge of %v: %v", dirs, err)
		}
	}
	unfinished := filepath.Join(base, "not finished") // the command quotes it
	stopAfterFirst(sw, Options{Dir: unfinished, Workers: 1})
	_, err := Merge(unfinished, []string{unfinished}, nil)
	if err == nil || !strings.Contains(err.Error(), "which did not finish") || !strings.Contains(err.Error(), "--out '"+unfinished+"' --resume") {
		t.Errorf("merge of an unfinished sweep: %v", err)
	}
}

// runs.parquet holds the rows of runs.csv, read back with parquet-go.
func TestParquet(t *testing.T) {
	sw := load(t, smallGrid)
	dir := filepath.Join(t.TempDir(), "p")
	runSweep(t, sw, Options{Dir: dir, Workers: 2})
	f, err := os.Open(filepath.Join(dir, ParquetFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range pf.Schema().Fields() {
		cols = append(cols, c.Name())
		// Whole-number parameters are integers (pandas reads 2, not 2.0).
		want := map[string]parquet.Kind{"years": parquet.Int64, "behaviour.move_scale": parquet.Double}
		if k, ok := want[c.Name()]; ok && c.Type().Kind() != k {
			t.Errorf("column %s is %v, want %v", c.Name(), c.Type().Kind(), k)
		}
	}
	csvRows := strings.Split(strings.TrimSpace(string(readFiles(t, dir)[RunsFile])), "\n")
	if strings.Join(cols, ",") != csvRows[0] {
		t.Fatalf("Parquet columns %v, want %s", cols, csvRows[0])
	}
	if pf.NumRows() != int64(len(csvRows)-1) {
		t.Fatalf("%d Parquet rows, %d CSV rows", pf.NumRows(), len(csvRows)-1)
	}
	rd := parquet.NewReader(pf)
	rows := make([]parquet.Row, len(csvRows))
	n, _ := rd.ReadRows(rows)
	for i, row := range rows[:n] {
		var fields []string
		for _, v := range row {
			switch v.Kind() {
			case parquet.Double:
				fields = append(fields, FormatValue(v.Double()))
			case parquet.ByteArray:
				fields = append(fields, string(v.ByteArray()))
			default:
				fields = append(fields, fmt.Sprint(v.Int64()))
			}
		}
		if got := strings.Join(fields, ","); got != csvRows[i+1] {
			t.Fatalf("row %d: Parquet %s, CSV %s", i, got, csvRows[i+1])
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		env   func(string) string
		count int
		want  Shard
		err   string
	}{
		{env(), 0, Shard{}, ""},
		{env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "8", "SLURM_ARRAY_TASK_MIN", "0"), 0, Shard{3, 8}, ""},
		{env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "8"), 0, Shard{4, 8}, ""},
		{env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_STEP", "2", "SLURM_ARRAY_TASK_COUNT", "4"), 0, Shard{2, 4}, ""},
		{env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "8"), 4, Shard{}, "the Slurm array has 8 tasks"},
		{env("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "8"), 0, Shard{}, "is not a whole number"},
		{env("JOB_COMPLETION_INDEX", "2"), 5, Shard{2, 5}, ""},
		{env("JOB_COMPLETION_INDEX", "2"), 0, Shard{}, "add --shards N"},
		{env("JOB_COMPLETION_INDEX", "5"), 5, Shard{}, "must be below"},
		{env(), 3, Shard{}, "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX"},
	}
	for i, c := range cases {
		got, _, err := ShardFromEnv(c.env, c.count)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("case %d: error %v, want %q", i, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("case %d: %v, %v; want %v", i, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want Shard
		ok   bool
	}{{"0/4", Shard{0, 4}, true}, {"3/4", Shard{3, 4}, true}, {"4/4", Shard{}, false}, {"1", Shard{}, false}, {"-1/2", Shard{}, false}, {"0/0", Shard{}, false}} {
		got, err := ParseShard(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseShard(%q) = %v, %v", c.in, got, err)
		}
	}
	if f := (Shard{3, 16}).Folder(); f != "shard-03-of-16" {
		t.Errorf("folder %s", f)
	}
}

func TestSlurmScript(t *testing.T) {
	var b strings.Builder
	err := WriteSlurm(&b, SlurmOptions{Settle: "/opt/settle/bin/settle", Sweep: "/home/a b/s.toml", Out: "/scratch/run", Name: "x",
		Tasks: 16, CPUs: 4, Time: "1:00:00", Mem: "8G"})
	if err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --job-name=settle-x\n",
		"#SBATCH --array=0-15\n",
		"#SBATCH --cpus-per-task=4\n",
		"#SBATCH --output=/scratch/run/logs/%x-%A_%a.out\n",
		"#SBATCH --time=1:00:00\n#SBATCH --mem=8G\n",
		`exec /opt/settle/bin/settle sweep '/home/a b/s.toml' --out /scratch/run --shard "${SLURM_ARRAY_TASK_ID}/16" --workers 4 --resume --quiet`,
		"/opt/settle/bin/settle sweep merge /scratch/run",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "--partition") {
		t.Error("an unset partition is written")
	}
	// The example of a partial resubmission names tasks of this array.
	if !strings.Contains(s, "sbatch --array=3,15 /scratch/run/submit.sbatch reruns tasks 3 and 15.\n") {
		t.Errorf("script's resubmission example:\n%s", s)
	}
	for tasks, want := range map[int]string{1: "0", 2: "1", 3: "1,2", 4: "2,3", 5: "3,4", 8: "3,7"} {
		if got, _ := RerunExample(tasks); got != want {
			t.Errorf("RerunExample(%d) = %s, want %s", tasks, got, want)
		}
	}
	if err := WriteSlurm(&b, SlurmOptions{Tasks: 2, CPUs: 1, Time: "20min"}); err == nil {
		t.Error("WriteSlurm took --time 20min")
	}
}

// The time limits and sizes Slurm reads are accepted, others refused with
// the fix.
func TestSlurmTimeMem(t *testing.T) {
	for _, ok := range []string{"90", "0", "30:00", "2:00:00", "1-12", "1-12:30", "2-00:00:00", "UNLIMITED", "infinite"} {
		if err := CheckSlurmTime(ok); err != nil {
			t.Errorf("--time %s: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"20min":   "--time 20min is not a time limit Slurm reads; write --time 20 (Slurm's formats: minutes (90), MM:SS, HH:MM:SS (2:00:00), D-HH (1-12), D-HH:MM or D-HH:MM:SS)",
		"2h":      "write --time 2:00:00",
		"3 days":  "write --time 3-0",
		"90s":     "write --time 1:30",
		"1:2:3:4": `--time "1:2:3:4" is not a time limit Slurm reads; give minutes (90), MM:SS`,
	} {
		if err := CheckSlurmTime(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--time %s: %v; want %q", in, err, want)
		}
	}
	for _, ok := range []string{"8G", "500M", "4g", "1T", "2048K", "0", "100", "16000"} {
		if err := CheckSlurmMem(ok); err != nil {
			t.Errorf("--mem %s: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"2":    "--mem 2 is 2 megabytes to Slurm (a number without a unit is MB), too little for a run; write --mem 2G for gigabytes",
		"99":   "write --mem 99G",
		"4GB":  "--mem 4GB is not a size Slurm reads; write --mem 4G",
		"8gib": "write --mem 8G",
		"1.5G": "write --mem 1536M",
		"lots": `--mem "lots" is not a size Slurm reads; give a whole number with K, M, G or T`,
	} {
		if err := CheckSlurmMem(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--mem %s: %v; want %q", in, err, want)
		}
	}
}

// Every example sweep in scenarios/sweeps loads, and one of its shards of
// about two runs runs.
func TestExampleSweeps(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/sweeps/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example sweeps: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			sw, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			s := Shard{Index: 0, Count: max(1, sw.Runs()/2)}
			res := runSweep(t, sw, Options{Dir: filepath.Join(t.TempDir(), s.Folder()), Shard: s, Workers: 2})
			if res.Computed != len(shardIDs(sw.Runs(), s)) {
				t.Errorf("%d runs computed, want %d", res.Computed, len(shardIDs(sw.Runs(), s)))
			}
		})
	}
}

// TestOverrides: --scale, --years and --replicates replace the file's
// values (a fixed parameter's value, a parameter added, the replicates),
// a varying parameter is not overridden, the manifest records them, and a
// sweep is resumed or merged only with the same.
func TestOverrides(t *testing.T) {
	path := write(t, smallGrid)
	o := Overrides{Scale: 0.02, Years: 3, Replicates: 1}
	sw, err := LoadWith(path, o)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Replicates != 1 || sw.Runs() != 4 {
		t.Errorf("replicates %d, runs %d; want 1 and 4", sw.Replicates, sw.Runs())
	}
	got := map[string][]float64{}
	for _, p := range sw.Params {
		got[p.Path] = p.Values
	}
	if !slices.Equal(got["years"], []float64{3}) || !slices.Equal(got["scale"], []float64{0.02}) {
		t.Errorf("years %v (the file's 2 replaced), scale %v (added); want [3] and [0.02]", got["years"], got["scale"])
	}
	for _, pt := range sw.Points {
		if cfg, _, errs := sw.apply(pt.Values); len(errs) > 0 || cfg.Scale != 0.02 {
			t.Errorf("point %d: scale %g, %v", pt.Index, cfg.Scale, errs)
		}
	}
	// A parameter the file varies is not overridden.
	varied := strings.Replace(smallGrid, "path = \"years\"\nvalues = 2", "path = \"years\"\nvalues = [2, 3]", 1)
	if _, err := LoadWith(write(t, varied), Overrides{Years: 4}); err == nil || !strings.Contains(err.Error(), "the sweep varies years, which --years would fix") {
		t.Errorf("--years over a varied years: %v", err)
	}
	if _, err := LoadWith(path, Overrides{Replicates: MaxReplicates + 1}); err == nil || !strings.Contains(err.Error(), "sweep.toml: --replicates: ") {
		t.Errorf("too many replicates: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "s")
	runSweep(t, sw, Options{Dir: dir})
	m, err := ReadManifest(dir)
	if err != nil || m.overrides() != o {
		t.Fatalf("manifest overrides %v (%v), want %v", m.overrides(), err, o)
	}
	// Resuming without them, or merging shards run with different ones,
	// is refused.
	unfinished := filepath.Join(t.TempDir(), "u")
	stopAfterFirst(sw, Options{Dir: unfinished, Workers: 1})
	plain, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.CheckOut(unfinished, Shard{}); err == nil || !strings.Contains(err.Error(), "--resume cannot continue it here: it was started with --scale 0.02 --years 3 --replicates 1, and this command runs without overrides; give the same flags as when it started (--scale 0.02 --years 3 --replicates 1)") {
		t.Errorf("resuming without the overrides: %v", err)
	}
	if _, err := Run(context.Background(), plain, Options{Dir: unfinished, Resume: true}); err == nil || !strings.Contains(err.Error(), "cannot resume in") {
		t.Errorf("--resume without the overrides: %v", err)
	}
	base := t.TempDir()
	runSweep(t, sw, Options{Dir: filepath.Join(base, "shard-0-of-2"), Shard: Shard{0, 2}})
	other, err := LoadWith(path, Overrides{Scale: 0.02, Years: 3, Replicates: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Beside shard 0, shard 1 with other overrides does not start (only
	// the merge refused it, after its runs were spent), nor without any.
	for _, s := range []*Sweep{other, plain} {
		if _, err := Run(context.Background(), s, Options{Dir: filepath.Join(base, "shard-1-of-2"), Shard: Shard{1, 2}}); err == nil ||
			!strings.Contains(err.Error(), "cannot run shard 1/2 in "+base+" beside shard-0-of-2 (shard 0/2): it ran with --scale 0.02 --years 3 --replicates 1, and this command runs "+s.Overrides.with()) {
			t.Errorf("shard 1 %s beside shard 0: %v", s.Overrides.with(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "shard-1-of-2")); err == nil {
		t.Error("the refused shard's folder was made")
	}
	// Shards run apart with different overrides are refused by the merge.
	apart := t.TempDir()
	runSweep(t, other, Options{Dir: filepath.Join(apart, "shard-1-of-2"), Shard: Shard{1, 2}})
	if _, err := Merge(base, []string{base, apart}, nil); err == nil || !strings.Contains(err.Error(), "shard-0-of-2 ran with --scale 0.02 --years 3 --replicates 1, and "+filepath.Join(apart, "shard-1-of-2")+" ran with --scale 0.02 --years 3 --replicates 2") {
		t.Errorf("merge of shards with different overrides: %v", err)
	}
	// Without overrides, the message says so (it said "the overrides none").
	if _, err := Run(context.Background(), plain, Options{Dir: filepath.Join(apart, "shard-0-of-2"), Shard: Shard{0, 2}}); err == nil ||
		!strings.Contains(err.Error(), "this command runs without overrides; give the flags the other shards ran with (--scale 0.02 --years 3 --replicates 2)") {
		t.Errorf("shard 0 without overrides beside shard 1 with: %v", err)
	}
}

// A sweep of a user world pins the world's files: a shard run after the
// regions CSV changed is refused by resume and by merge, which would
// otherwise mix two worlds in one table.
func TestSweepWorldFiles(t *testing.T) {
	dir := t.TempDir()
	regions := filepath.Join(dir, "r.csv")
	writeWorld := func(pop int) {
		t.Helper()
		body := fmt.Sprintf("code,name,lat,lon,population\nA1,Alpha,60,10,%d\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61,11,3000\n", pop)
		if err := os.WriteFile(regions, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeWorld(50000)
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[scenario]\nname = \"mine\"\nworld = \"r.csv\"\nyears = 2\nscale = 0.2\n"), 0o644)
	file := filepath.Join(dir, "sweep.toml")
	os.WriteFile(file, []byte("[sweep]\nscenario = \"base.toml\"\n\n[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = [0.8, 1.2]\n\n[metrics]\npop = \"population\"\n"), 0o644)
	sw, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	runSweep(t, sw, Options{Dir: filepath.Join(out, "shard-0"), Shard: Shard{0, 2}})
	m, err := ReadManifest(filepath.Join(out, "shard-0"))
	if err != nil || len(m.WorldFiles) != 1 || m.WorldFiles[0].Path != regions {
		t.Fatalf("manifest world files %+v (%v)", m.WorldFiles, err)
	}
	writeWorld(90000)
	sw2, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	// Beside shard 0, shard 1 of the changed world does not start; run
	// elsewhere, the merge refuses it.
	if _, err := Run(context.Background(), sw2, Options{Dir: filepath.Join(out, "shard-1"), Shard: Shard{1, 2}}); err == nil || !strings.Contains(err.Error(), "the regions file "+regions+" changed since then") {
		t.Errorf("shard of a changed world beside shard 0: %v", err)
	}
	apart := filepath.Join(dir, "apart")
	runSweep(t, sw2, Options{Dir: filepath.Join(apart, "shard-1"), Shard: Shard{1, 2}})
	if _, err := Merge(out, []string{filepath.Join(out, "shard-0"), filepath.Join(apart, "shard-1")}, nil); err == nil || !strings.Contains(err.Error(), "ran on different worlds: the regions file "+regions+" changed") {
		t.Errorf("merge of shards of two worlds: %v", err)
	}
	if msg := sw2.resumeProblem(m, Shard{0, 2}); !strings.Contains(msg, "the regions file "+regions+" changed since then") || !strings.Contains(msg, "restore the world") {
		t.Errorf("resume after the world changed: %q", msg)
	}
	// A manifest of a settle from before world_files were recorded is
	// resumed as before.
	m.WorldFiles = nil
	if msg := sw2.resumeProblem(m, Shard{0, 2}); msg != "" {
		t.Errorf("resume of an older manifest: %q", msg)
	}
}

// Run refuses a shard whose folder would stand beside a whole sweep, and
// a whole sweep in a folder of shards.
func TestShardBesideWhole(t *testing.T) {
	sw := load(t, smallGrid)
	whole := filepath.Join(t.TempDir(), "whole")
	runSweep(t, sw, Options{Dir: whole, Workers: 2})
	s := Shard{Index: 1, Count: 2}
	if _, err := Run(t.Context(), sw, Options{Dir: filepath.Join(whole, s.Folder()), Shard: s}); err == nil || !strings.Contains(err.Error(), "holds a whole sweep of") {
		t.Errorf("shard beside a whole sweep: %v", err)
	}
	if _, err := os.Stat(filepath.Join(whole, s.Folder())); err == nil {
		t.Error("the shard's folder was made")
	}
	shards := t.TempDir()
	runSweep(t, sw, Options{Dir: filepath.Join(shards, s.Folder()), Shard: s, Workers: 2})
	if _, err := Run(t.Context(), sw, Options{Dir: shards, Resume: true}); err == nil || !strings.Contains(err.Error(), "holds shards of a sweep (shard-1-of-2), not merged") {
		t.Errorf("whole sweep among shards: %v", err)
	}
	if err := CheckLayout(shards, Shard{Index: 0, Count: 2}); err != nil {
		t.Errorf("the other shard of the split: %v", err)
	}
}

// TestDifferentBuilds: a sweep started by one build of the engine is not
// resumed by another, nor are shards of two builds merged (engine_version
// is the same for every build, so a rebuilt binary with changed code
// passed both checks). An unknown build ("") cannot be told apart.
func TestDifferentBuilds(t *testing.T) {
	defer func(b func() string) { engineBuild = b }(engineBuild)
	sw := load(t, smallGrid)
	dir := filepath.Join(t.TempDir(), "s")
	engineBuild = func() string { return "aaaaaaaaaaaa" }
	stopAfterFirst(sw, Options{Dir: dir, Workers: 1})
	engineBuild = func() string { return "bbbbbbbbbbbb+dirty" }
	_, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true})
	if want := "it was started by the build aaaaaaaaaaaa of the engine, this is bbbbbbbbbbbb+dirty"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("resume by another build: %v, want %q", err, want)
	}
	engineBuild = func() string { return "" }
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true}); err != nil {
		t.Errorf("resume by an unknown build: %v", err)
	}

	// Shards of two builds are refused, also after a shard of an unknown
	// build (the check was against the first shard only).
	base := t.TempDir()
	for i, b := range []string{"", "aaaaaaaaaaaa"} {
		engineBuild = func() string { return b }
		runSweep(t, sw, Options{Dir: filepath.Join(base, Shard{i, 3}.Folder()), Shard: Shard{i, 3}})
	}
	// A third build does not start beside them; run apart, the merge
	// refuses it.
	engineBuild = func() string { return "cccccccccccc" }
	if _, err := Run(context.Background(), sw, Options{Dir: filepath.Join(base, Shard{2, 3}.Folder()), Shard: Shard{2, 3}}); err == nil || !strings.Contains(err.Error(), "it ran the engine built from aaaaaaaaaaaa, this binary is built from cccccccccccc") {
		t.Errorf("shard of another build beside them: %v", err)
	}
	apart := t.TempDir()
	runSweep(t, sw, Options{Dir: filepath.Join(apart, Shard{2, 3}.Folder()), Shard: Shard{2, 3}})
	if _, err := Merge(filepath.Join(t.TempDir(), "m"), []string{base, apart}, nil); err == nil || !strings.Contains(err.Error(), "the one from cccccccccccc") {
		t.Errorf("merge of two builds: %v", err)
	}
	// Of one known build and an unknown one, the merge records the known.
	os.RemoveAll(filepath.Join(base, Shard{2, 3}.Folder()))
	engineBuild = func() string { return "aaaaaaaaaaaa" }
	runSweep(t, sw, Options{Dir: filepath.Join(base, Shard{2, 3}.Folder()), Shard: Shard{2, 3}})
	m, err := Merge(filepath.Join(t.TempDir(), "m"), []string{base}, nil)
	if err != nil {
		t.Fatalf("merge of a known and an unknown build: %v", err)
	}
	if m.EngineBuild != "aaaaaaaaaaaa" {
		t.Errorf("merge of a known and an unknown build records the build %q", m.EngineBuild)
	}
}

// A sweep's folder is as self-contained as a run's: it keeps the sweep
// file and base scenario as read (sweep.toml, scenario.toml; it kept only
// their SHA-256), the folder the paths are relative to (working_dir), an
// INCOMPLETE whose command starts with cd there, and after --resume the
// start's time and command line, with the resumption beside them (they
// were overwritten).
func TestFolderSelfContained(t *testing.T) {
	path := write(t, smallGrid)
	sw, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "s")
	first := []string{"settle", "sweep", "first"}
	stopAfterFirst(sw, Options{Dir: dir, Workers: 1, CommandLine: first, ResumeCommand: "settle sweep x --resume"})
	for copyName, orig := range map[string]string{SweepCopy: path, ScenarioCopy: filepath.Join(filepath.Dir(path), "base.toml")} {
		a, _ := os.ReadFile(orig)
		b, err := os.ReadFile(filepath.Join(dir, copyName))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s is not a copy of %s: %v", copyName, orig, err)
		}
	}
	wd, _ := os.Getwd()
	inc, _ := os.ReadFile(filepath.Join(dir, IncompleteFile))
	if !strings.Contains(string(inc), "  cd "+wd+" && settle sweep x --resume\n") {
		t.Errorf("INCOMPLETE:\n%s", inc)
	}
	m1, err := ReadManifest(dir)
	if err != nil || m1.WorkingDir != wd || !slices.Equal(m1.CommandLine, first) || len(m1.Resumed) != 0 {
		t.Fatalf("manifest after the start: working_dir %q, command line %q, resumed %v (%v)", m1.WorkingDir, m1.CommandLine, m1.Resumed, err)
	}
	// A folder of an older settle, without the copies, gets them on
	// --resume (the files' SHA-256 are checked first).
	os.Remove(filepath.Join(dir, SweepCopy))
	time.Sleep(10 * time.Millisecond)
	second := []string{"settle", "sweep", "second", "--resume"}
	runSweep(t, sw, Options{Dir: dir, Workers: 2, Resume: true, CommandLine: second})
	m2, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m2.StartTime.Equal(m1.StartTime) || !slices.Equal(m2.CommandLine, first) || m2.WorkingDir != wd || !m2.Complete {
		t.Errorf("after --resume: start %v (was %v), command line %q, working_dir %q, complete %v", m2.StartTime, m1.StartTime, m2.CommandLine, m2.WorkingDir, m2.Complete)
	}
	if len(m2.Resumed) != 1 || !slices.Equal(m2.Resumed[0].CommandLine, second) || m2.Resumed[0].RunsDone < 1 || !m2.Resumed[0].Time.After(m1.StartTime) || m2.Resumed[0].WorkingDir != wd {
		t.Errorf("resumed %+v", m2.Resumed)
	}
	if _, err := os.Stat(filepath.Join(dir, SweepCopy)); err != nil {
		t.Errorf("--resume did not restore the copy: %v", err)
	}
	// Shards keep the copies too, and so does their merge.
	base := t.TempDir()
	for i := range 2 {
		runSweep(t, sw, Options{Dir: filepath.Join(base, Shard{i, 2}.Folder()), Shard: Shard{i, 2}})
	}
	if _, err := Merge(base, []string{base}, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{SweepCopy, ScenarioCopy} {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, err := os.ReadFile(filepath.Join(base, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("the merge's %s: %v", f, err)
		}
	}
}

// A folder whose points.csv holds other points than this settle draws from
// the same sweep file (a latin_hypercube started before its orders were
// decorrelated) is neither resumed nor joined by another shard: their runs
// would mix two designs under one file's SHA-256.
func TestOtherPoints(t *testing.T) {
	sw := load(t, smallGrid)
	dir := filepath.Join(t.TempDir(), "s")
	stopAfterFirst(sw, Options{Dir: dir, Workers: 1})
	pts := filepath.Join(dir, PointsFile)
	data, _ := os.ReadFile(pts)
	os.WriteFile(pts, bytes.Replace(data, []byte("0.8,"), []byte("0.81,"), 1), 0o644)
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true}); err == nil || !strings.Contains(err.Error(), "the sweep file's points are not those of points.csv there") {
		t.Errorf("resume with other points: %v", err)
	}
	os.WriteFile(pts, data, 0o644)
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true}); err != nil {
		t.Errorf("resume with the same points: %v", err)
	}
	base := t.TempDir()
	runSweep(t, sw, Options{Dir: filepath.Join(base, "shard-0-of-2"), Shard: Shard{0, 2}})
	pts = filepath.Join(base, "shard-0-of-2", PointsFile)
	os.WriteFile(pts, bytes.Replace(data, []byte("0.8,"), []byte("0.81,"), 1), 0o644)
	if _, err := Run(context.Background(), sw, Options{Dir: filepath.Join(base, "shard-1-of-2"), Shard: Shard{1, 2}}); err == nil || !strings.Contains(err.Error(), "its points.csv holds other points than this settle draws") {
		t.Errorf("shard beside one of other points: %v", err)
	}
}

// stopAfterFirst runs sw with opts and interrupts it once a run is done,
// as Ctrl-C does: a folder with some runs and INCOMPLETE.
func stopAfterFirst(sw *Sweep, opts Options) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Progress = func(done, _ int) {
		if done > 0 {
			cancel()
		}
	}
	Run(ctx, sw, opts)
}

// worldFilesProblem compares a world's files by role and bytes: the same
// bytes at another path are the same world (a sweep moved with its files,
// or a shard run elsewhere; resume refused them), other bytes are not.
func TestWorldFilesProblem(t *testing.T) {
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	then := []world.File{{Role: world.RegionsFile, Path: "/x/r.csv", SHA256: a}, {Role: world.TravelFile, Path: "/x/t.csv", SHA256: b}}
	for _, c := range []struct {
		name string
		now  []world.File
		want string
	}{
		{"same", then, ""},
		{"moved", []world.File{{Role: world.RegionsFile, Path: "/y/r.csv", SHA256: a}, {Role: world.TravelFile, Path: "/y/t.csv", SHA256: b}}, ""},
		{"changed", []world.File{{Role: world.RegionsFile, Path: "/x/r.csv", SHA256: b}, then[1]}, "the regions file /x/r.csv changed since then (SHA-256 aaaaaaaaaaaa…, now bbbbbbbbbbbb…)"},
		{"another file", []world.File{{Role: world.RegionsFile, Path: "/y/r.csv", SHA256: b}, then[1]}, "the world's regions file was /x/r.csv then (SHA-256 aaaaaaaaaaaa…), and is /y/r.csv now (bbbbbbbbbbbb…)"},
		{"travel gone", then[:1], "the world had the travel_times file /x/t.csv then, and has none now"},
	} {
		if got := worldFilesProblem(then, c.now); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got, want := worldFilesProblem(then[:1], then), "the world has the travel_times file /x/t.csv now, and had none then"; got != want {
		t.Errorf("travel added: %q, want %q", got, want)
	}
}
