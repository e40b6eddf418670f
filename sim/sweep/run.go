package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
)

const engineVersion = engine.Version

// engineBuild is engine.Build (a variable so that tests can stand in for
// another build).
var engineBuild = engine.Build

// errLocked is lock's error when another process holds the folder.
var errLocked = errors.New("sweep: the folder is locked")

// Options say where and how a sweep runs.
type Options struct {
	// Dir is the sweep's folder: it must not exist or be empty, unless
	// Resume.
	Dir string
	// Workers is the number of runs side by side, each a single-threaded
	// engine (Workers 1), so memory is bounded by Workers runs; 0 = one per
	// CPU.
	Workers int
	// Resume continues the sweep in Dir: the runs in its journal are kept,
	// the others run. A Dir that does not exist yet starts afresh.
	Resume bool
	// Shard runs one part of the sweep (zero: all of it).
	Shard Shard
	// Progress, when not nil, is called after each finished run with the
	// runs done and the runs of the shard (done counts resumed runs), from
	// one goroutine.
	Progress func(done, total int)
	// CommandLine is recorded in the manifest.
	CommandLine []string
	// ResumeCommand is the command that finishes the sweep if it stops
	// early, for the INCOMPLETE file and the InterruptedError ("" for a
	// generic hint).
	ResumeCommand string
}

// Result says what Run did.
type Result struct {
	Dir      string
	Runs     int // runs of the shard (all runs when whole)
	Resumed  int // runs found finished in the journal
	Computed int // runs simulated now
	// AgentYears is the persons advanced through a year by the runs
	// computed now (the simulated, sampled persons), for throughput.
	AgentYears float64
	Elapsed    time.Duration
	// Finished says that --resume found the sweep (or shard) finished
	// already: nothing was run, and no file was written.
	Finished bool
}

// InterruptedError says how far a cancelled sweep got; it matches
// context.Canceled.
type InterruptedError struct {
	Dir         string
	Done, Total int
	Resume      string // the command that finishes the sweep, or ""
	Cause       error
}

func (e *InterruptedError) Error() string {
	how := "run the same command with --resume to finish the others"
	if e.Resume != "" {
		how = "to finish the others, run " + e.Resume
	}
	return fmt.Sprintf("interrupted: %d of %d runs are done and kept in %s; %s", e.Done, e.Total, e.Dir, how)
}

func (e *InterruptedError) Unwrap() error { return e.Cause }

// Run runs the runs of opts.Shard that are not done yet, journals each as
// it finishes, and when all are done writes runs.csv and runs.parquet (in
// run-id order, so the same bytes for any Workers and any interruptions).
// It checks ctx between simulated years: on cancellation it keeps the
// finished runs and returns an *InterruptedError.
func Run(ctx context.Context, sw *Sweep, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Dir == "" {
		return nil, errors.New("sweep: no folder given")
	}
	if !opts.Shard.Whole() && (opts.Shard.Index < 0 || opts.Shard.Index >= opts.Shard.Count) {
		return nil, fmt.Errorf("sweep: shard %s does not exist", opts.Shard)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	dir := opts.Dir
	// A shard writes into the folder of all the shards; a whole sweep into
	// its own. Neither may start beside the other.
	layout := dir
	if !opts.Shard.Whole() {
		layout = filepath.Dir(dir)
	}
	if err := CheckLayout(layout, opts.Shard); err != nil {
		return nil, err
	}
	if err := sw.CheckSiblings(layout, opts.Shard); err != nil {
		return nil, err
	}
	ids := sw.shardIDs(opts.Shard)
	res := &Result{Dir: dir, Runs: len(ids)}
	t := sw.table()

	fresh, m, err := prepare(sw, opts)
	if err != nil {
		return nil, err
	}
	// --resume of a finished sweep: nothing to run, and its tables and
	// manifest stay as they are (they were rewritten, with a new command
	// line and end time).
	if old, err := ReadManifest(dir); !fresh && err == nil && old.Complete && tablesThere(dir, opts.Shard) {
		res.Resumed, res.Finished = len(ids), true
		return res, nil
	}
	journal := filepath.Join(dir, JournalFile)
	jf, err := os.OpenFile(journal, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the journal: %w", err)
	}
	defer jf.Close()
	if err := lock(jf); errors.Is(err, errLocked) {
		return nil, fmt.Errorf("another settle sweep is running in %s; wait for it to finish, or stop it first", dir)
	} else if err != nil {
		return nil, err
	}
	done := map[int]entry{}
	if !fresh {
		var valid int64
		if done, valid, err = readJournal(journal, len(sw.Metrics)); err != nil {
			return nil, err
		}
		for id := range done {
			if !opts.Shard.Has(id) || id >= sw.Runs() {
				return nil, fmt.Errorf("%s: the journal holds run %d, which is not in shard %s; the folder belongs to another sweep", dir, id, opts.Shard)
			}
		}
		if err := jf.Truncate(valid); err != nil { // drop a partial last line
			return nil, fmt.Errorf("repairing the journal: %w", err)
		}
	}
	if _, err := jf.Seek(0, io.SeekEnd); err != nil {
		return nil, err
	}
	res.Resumed = len(done)
	var todo []int
	for _, id := range ids {
		if _, ok := done[id]; !ok {
			todo = append(todo, id)
		}
	}
	if fresh {
		m.Workers = min(workers, max(len(todo), 1))
	} else {
		// The start's command line, times and host stay; this command is
		// added to the resumptions.
		wd, _ := os.Getwd()
		host, _ := os.Hostname()
		m.Resumed = append(m.Resumed, Session{Time: time.Now(), CommandLine: opts.CommandLine, WorkingDir: wd, Hostname: host,
			GoVersion: runtime.Version(), Workers: min(workers, max(len(todo), 1)), RunsDone: len(done)})
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress(len(done), len(ids))
	}

	// W workers take runs in id order; this goroutine journals them.
	type result struct {
		id     int
		seed   uint64
		values []float64
		agents float64
		err    error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan result)
	var wg sync.WaitGroup
	for range m.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				j := sw.Job(id)
				vals, agents, err := simulate(ctx, sw, j)
				results <- result{id, j.Seed, vals, agents, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, id := range todo {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var failed error // the first failure other than cancellation
	journalOK := true
	for r := range results {
		switch {
		case r.err != nil:
			if failed == nil && !errors.Is(r.err, context.Canceled) {
				failed = r.err
				cancel()
			}
			continue
		case !journalOK:
			continue
		}
		// A run that finished is kept, even after a cancellation or
		// another run's failure.
		line := journalLine(r.id, r.seed, r.values)
		if _, err := jf.Write(line); err != nil {
			journalOK = false
			if failed == nil {
				failed = fmt.Errorf("writing the journal: %w", err)
			}
			cancel()
			continue
		}
		id, e, _ := parseJournalLine(strings.TrimSuffix(string(line), "\n"), len(sw.Metrics))
		done[id] = e
		res.Computed++
		res.AgentYears += r.agents
		if opts.Progress != nil {
			opts.Progress(len(done), len(ids))
		}
	}
	res.Elapsed = time.Since(start)
	if err := jf.Sync(); err != nil && failed == nil {
		failed = fmt.Errorf("writing the journal: %w", err)
	}
	m.RunsDone = len(done)
	if failed != nil || len(done) < len(ids) {
		m.EndTime = time.Now()
		writeManifest(dir, m)
		if failed != nil {
			return res, failed
		}
		cause := context.Cause(ctx)
		if cause == nil {
			cause = context.Canceled
		}
		return res, &InterruptedError{Dir: dir, Done: len(done), Total: len(ids), Resume: opts.ResumeCommand, Cause: cause}
	}
	if err := finish(dir, t, ids, done, m); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// tablesThere reports whether a finished sweep's tables are in dir: a
// whole sweep's runs.csv and runs.parquet (a shard writes none). Without
// them --resume rebuilds them from the journal.
func tablesThere(dir string, s Shard) bool {
	if !s.Whole() {
		return true
	}
	for _, f := range []string{RunsFile, ParquetFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// prepare claims a fresh folder, or checks that a folder to resume holds
// this sweep and shard. It returns whether the folder is fresh and the
// manifest to write.
func prepare(sw *Sweep, opts Options) (bool, Manifest, error) {
	dir := opts.Dir
	m := sw.manifest(opts.Shard)
	host, _ := os.Hostname()
	wd, _ := os.Getwd()
	m.GoVersion, m.Hostname, m.StartTime, m.WorkingDir, m.CommandLine = runtime.Version(), host, time.Now(), wd, opts.CommandLine
	err := output.CheckDir(dir)
	if err == nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, m, fmt.Errorf("creating the sweep folder: %w", err)
		}
		f, err := os.OpenFile(filepath.Join(dir, IncompleteFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return false, m, fmt.Errorf("another sweep started in %s at the same moment; choose another --out", dir)
		}
		if err != nil {
			return false, m, fmt.Errorf("creating the sweep folder: %w", err)
		}
		resume := opts.ResumeCommand
		if resume == "" {
			resume = output.ShellJoin(opts.CommandLine) + " --resume"
		}
		// The command's paths are relative to the folder it ran in: from
		// there, as a run's INCOMPLETE says.
		if wd != "" {
			resume = "cd " + output.ShellQuote(wd) + " && " + resume
		}
		fmt.Fprintf(f, "This sweep is not finished: runs.csv and runs.parquet are written when every run is done.\nThe runs finished so far are in %s. To finish it, run:\n\n  %s\n", JournalFile, resume)
		f.Close()
		if err := writeManifest(dir, m); err != nil {
			return false, m, err
		}
		if err := sw.writeCopies(dir); err != nil {
			return false, m, err
		}
		if err := writePoints(filepath.Join(dir, PointsFile), sw.table()); err != nil {
			return false, m, err
		}
		return true, m, nil
	}
	if !errors.Is(err, output.ErrNotEmpty) {
		return false, m, err
	}
	if !opts.Resume {
		return false, m, sw.refusal(dir, m.Shard, err)
	}
	old, err := sw.resumable(dir, m.Shard)
	if err != nil {
		return false, m, err
	}
	if _, err := os.Stat(filepath.Join(dir, PointsFile)); err != nil {
		if err := writePoints(filepath.Join(dir, PointsFile), sw.table()); err != nil {
			return false, m, err
		}
	}
	// A folder of an older settle has no copies: the files are the same
	// bytes now (resumeProblem compared their SHA-256).
	if err := sw.writeCopies(dir); err != nil {
		return false, m, err
	}
	// How and where the sweep started stays; Run adds this resumption.
	m.StartTime, m.CommandLine, m.WorkingDir, m.Hostname, m.GoVersion, m.Workers, m.Resumed =
		old.StartTime, old.CommandLine, old.WorkingDir, old.Hostname, old.GoVersion, old.Workers, old.Resumed
	m.SweepFile, m.ScenarioFile = old.SweepFile, old.ScenarioFile // relative to old.WorkingDir
	return false, m, nil
}

// writeCopies writes the sweep file and its base scenario into dir
// (SweepCopy, ScenarioCopy) unless they are there, and the user's world
// files (output.WorldData, read with the world).
func (sw *Sweep) writeCopies(dir string) error {
	for _, c := range []struct {
		name string
		data []byte
	}{{SweepCopy, sw.data}, {ScenarioCopy, []byte(sw.Scenario.Text)}} {
		path := filepath.Join(dir, c.name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := output.WriteData(path, c.data); err != nil {
			return err
		}
	}
	wd := sw.worldData
	if wd == nil { // a Sweep not made by Load
		var err error
		if wd, err = output.ReadWorldData(sw.World.Files); err != nil {
			return err
		}
	}
	return wd.Write(dir)
}

// CheckOut reports whether dir can take shard s of sw as a new sweep: nil
// when it does not exist or is empty. For a folder holding an earlier
// sweep the error says whether --resume would continue it (only an
// unfinished sweep of the same files and shard); for anything else it is
// output.CheckDir's. Every refusal matches output.ErrNotEmpty.
func (sw *Sweep) CheckOut(dir string, s Shard) error {
	err := output.CheckDir(dir)
	if !errors.Is(err, output.ErrNotEmpty) {
		return err
	}
	if s.Whole() {
		s = Shard{Index: 0, Count: 1}
	}
	return sw.refusal(dir, s, err)
}

// CheckResume reports whether --resume can continue shard s of sw in dir
// (nil as well when dir does not exist or is empty: the sweep starts
// afresh), so that a command can refuse before it prints its plan. Run
// checks the same.
func (sw *Sweep) CheckResume(dir string, s Shard) error {
	if err := output.CheckDir(dir); !errors.Is(err, output.ErrNotEmpty) {
		return err
	}
	if s.Whole() {
		s = Shard{Index: 0, Count: 1}
	}
	_, err := sw.resumable(dir, s)
	return err
}

// resumable reads the manifest of the earlier sweep in dir and returns it
// when --resume can continue shard s of sw there.
func (sw *Sweep) resumable(dir string, s Shard) (*Manifest, error) {
	old, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot resume in %s: %w", dir, err)
	}
	if why := sw.resumeProblem(old, s); why != "" {
		return nil, fmt.Errorf("cannot resume in %s: %s", dir, why)
	}
	if pointsDiffer(dir, sw.table()) {
		return nil, fmt.Errorf("cannot resume in %s: the sweep file's points are not those of %s there (a settle that draws the design otherwise started it); resume it with the binary that started it, or start the sweep in another folder", dir, PointsFile)
	}
	return old, nil
}

// refusal is CheckOut's error for a folder that is not empty (err, from
// output.CheckDir).
func (sw *Sweep) refusal(dir string, s Shard, err error) error {
	old, rerr := ReadManifest(dir)
	if rerr != nil || old.SweepFile == "" {
		return err // not a sweep: CheckDir says what is there
	}
	msg := fmt.Sprintf("refusing to overwrite the earlier sweep in %s, which did not finish; add --resume to continue it, or choose another --out", dir)
	switch why := sw.resumeProblem(old, s); {
	case old.Complete:
		msg = fmt.Sprintf("refusing to overwrite the finished sweep in %s; choose another --out or delete it", dir)
	case why != "":
		msg = fmt.Sprintf("refusing to overwrite the earlier sweep in %s; --resume cannot continue it here: %s", dir, why)
	}
	return output.Reworded(msg, err)
}

// resumeProblem says why the sweep old (from a folder's manifest) cannot be
// continued as shard s of sw, or "" when it can.
func (sw *Sweep) resumeProblem(old *Manifest, s Shard) string {
	switch {
	case old.SweepSHA256 != sw.SHA256 && filepath.Clean(old.SweepFile) != filepath.Clean(sw.File):
		return fmt.Sprintf("it holds a sweep of %s, and %s is not that file as it was then; start this sweep in another folder", old.SweepFile, sw.File)
	case old.SweepSHA256 != sw.SHA256:
		return fmt.Sprintf("the sweep file %s changed since the sweep started there (SHA-256 %.12s…, now %.12s…); undo the change, or start the changed sweep in another folder",
			sw.File, old.SweepSHA256, sw.SHA256)
	case old.ScenarioSHA256 != sw.Scenario.SHA256:
		return fmt.Sprintf("the base scenario %s changed since the sweep started there; undo the change, or start the sweep in another folder", sw.Scenario.File)
	case worldFilesProblem(old.WorldFiles, sw.World.Files) != "":
		return worldFilesProblem(old.WorldFiles, sw.World.Files) + "; restore the world the sweep started with, or start the sweep in another folder"
	case old.overrides() != sw.Overrides:
		return fmt.Sprintf("it was started %s, and this command runs %s; give the same flags as when it started%s, or start this sweep in another folder", old.overrides().with(), sw.Overrides.with(), sameFlags(old.overrides()))
	case old.EngineVersion != engineVersion:
		return fmt.Sprintf("it was started by engine %s, this is %s; the runs would not be comparable, so start the sweep in another folder", old.EngineVersion, engineVersion)
	case buildsDiffer(old.EngineBuild, engineBuild()):
		return fmt.Sprintf("it was started by the build %s of the engine, this is %s; runs of different code may differ, so resume with the binary that started it, or start the sweep in another folder", old.EngineBuild, engineBuild())
	case len(old.MergedFrom) > 0:
		return "it is the merge of shards, complete already"
	case old.Shard != s:
		return fmt.Sprintf("it holds shard %s, not %s", old.Shard, s)
	}
	return ""
}

// sameFlags is " (none)" or " (--scale 0.04)": the flags to give.
func sameFlags(o Overrides) string {
	if o.IsZero() {
		return " (no --scale, --years or --replicates)"
	}
	return " (" + o.String() + ")"
}

// CheckSiblings checks that shard s of sw can run beside the other shards
// in out (settle sweep --out out --shard s): each shard-* folder there must
// hold shard of the same sweep file, base scenario, world, overrides and
// engine, or settle sweep merge would refuse to join them after the
// shard's runs were spent. The points are compared with the first
// sibling's only. A whole sweep passes (CheckLayout checks it).
func (sw *Sweep) CheckSiblings(out string, s Shard) error {
	if s.Whole() {
		return nil
	}
	subs, _ := filepath.Glob(filepath.Join(out, "shard-*", ManifestFile))
	pointsChecked := false
	for _, f := range subs {
		d := filepath.Dir(f)
		if filepath.Base(d) == s.Folder() {
			continue // this shard's own folder: --resume checks it
		}
		m, err := ReadManifest(d)
		if err != nil || m.SweepFile == "" {
			continue
		}
		why := ""
		switch {
		case m.SweepSHA256 != sw.SHA256:
			why = fmt.Sprintf("it ran the sweep file %s with SHA-256 %.12s…, and %s is %.12s…: another sweep, or the file changed since; undo the change, or run this sweep with another --out", m.SweepFile, m.SweepSHA256, sw.File, sw.SHA256)
		case m.ScenarioSHA256 != sw.Scenario.SHA256:
			why = fmt.Sprintf("the base scenario %s changed since it ran; undo the change, or run the changed sweep with another --out", sw.Scenario.File)
		case worldFilesProblem(m.WorldFiles, sw.World.Files) != "":
			why = worldFilesProblem(m.WorldFiles, sw.World.Files) + "; restore that world, or run this sweep with another --out"
		case m.overrides() != sw.Overrides:
			why = fmt.Sprintf("it ran %s, and this command runs %s; give the flags the other shards ran with%s, or run this sweep with another --out", m.overrides().with(), sw.Overrides.with(), sameFlags(m.overrides()))
		case m.EngineVersion != engineVersion:
			why = fmt.Sprintf("it ran engine %s, this is %s; run every shard with one engine", m.EngineVersion, engineVersion)
		case buildsDiffer(m.EngineBuild, engineBuild()):
			why = fmt.Sprintf("it ran the engine built from %s, this binary is built from %s; run every shard with one binary", m.EngineBuild, engineBuild())
		case !pointsChecked && pointsDiffer(d, sw.table()):
			why = fmt.Sprintf("its %s holds other points than this settle draws from the sweep file (a settle that draws the design otherwise ran it); run every shard with one binary", PointsFile)
		}
		if why != "" {
			return fmt.Errorf("cannot run shard %s in %s beside %s (shard %s): %s. settle sweep merge joins only shards of one sweep run alike", s, out, filepath.Base(d), m.Shard, why)
		}
		// The points of one sibling are enough (each was checked against
		// those before it when it started): comparing points.csv with
		// every one, 40 MB each for 200,000 points of 10 parameters,
		// cost tens of seconds at every start of a large array.
		pointsChecked = true
	}
	return nil
}

// finish writes runs.csv and runs.parquet and marks the folder complete.
func finish(dir string, t table, ids []int, done map[int]entry, m Manifest) error {
	if err := writeRuns(filepath.Join(dir, RunsFile), t, ids, done); err != nil {
		return err
	}
	if err := writeParquet(filepath.Join(dir, ParquetFile), t, ids, done); err != nil {
		return err
	}
	m.RunsDone, m.Complete, m.EndTime = len(ids), true, time.Now()
	if err := writeManifest(dir, m); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, IncompleteFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// simulate runs r with a single-threaded engine and returns its metrics
// and the persons advanced through a year.
func simulate(ctx context.Context, sw *Sweep, r Job) ([]float64, float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	cfg := r.Config
	cfg.Workers = 1
	sim, err := engine.New(sw.World, cfg)
	if err != nil {
		return nil, 0, fmt.Errorf("run %d (point %d, replicate %d): %w", r.ID, r.Point, r.Replicate, err)
	}
	c := newCollector(sw.Metrics, sw.World.StartYear, r.Years)
	c.add(sim.Observe())
	var agents float64
	for range r.Years {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		rec := sim.Step()
		for i := range rec.Regions {
			agents += float64(rec.Regions[i].Population)
		}
		c.add(rec)
	}
	return c.values(), agents, nil
}

// sortedIDs returns the keys of runs, ascending.
func sortedIDs(runs map[int]entry) []int {
	ids := make([]int, 0, len(runs))
	for id := range runs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// buildsDiffer reports whether two engine builds (engine.Build) are known
// and differ; an unknown build ("": built without version control
// information) cannot be told apart from any other.
func buildsDiffer(a, b string) bool { return a != "" && b != "" && a != b }
