package sweep

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/output"
)

// ShardDirs expands dirs into shard folders: a folder with a manifest is
// one; a folder without holds them as shard-* subfolders (the layout of
// settle sweep --out DIR --shard I/N).
func ShardDirs(dirs []string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, ManifestFile)); err == nil {
			out = append(out, d)
			continue
		}
		subs, err := filepath.Glob(filepath.Join(d, "shard-*"))
		if err != nil {
			return nil, err
		}
		n := 0
		for _, s := range subs {
			if _, err := os.Stat(filepath.Join(s, ManifestFile)); err == nil {
				out = append(out, s)
				n++
			}
		}
		if n == 0 {
			if _, err := os.Stat(d); err != nil {
				return nil, fmt.Errorf("%s: %w", d, output.UnwrapPath(err))
			}
			return nil, fmt.Errorf("%s holds no sweep shards (no %s, no shard-*/%s); give the folders the shards wrote", d, ManifestFile, ManifestFile)
		}
	}
	return out, nil
}

// Merge joins the shard folders dirs (see ShardDirs) of one sweep into
// out: points.csv, runs.csv and runs.parquet byte for byte as a single
// machine writes them, and a manifest that lists the shards. Every shard
// must be there once and complete. out may exist (it may hold the shard
// folders) but not hold a sweep's files already.
func Merge(out string, dirs []string, cmdline []string) (*Manifest, error) {
	dirs, err := ShardDirs(dirs)
	if err != nil {
		return nil, err
	}
	// A sweep of one machine is no shard: say what it is, whether it is
	// the folder written into or one among shards.
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, err
		}
		switch {
		case !m.Shard.Whole() || len(m.MergedFrom) > 0:
		case m.Complete:
			return nil, fmt.Errorf("%s holds a whole sweep, not a shard, and it is complete: there is nothing to merge (its runs are in %s)", d, RunsFile)
		default:
			flags := ""
			for _, f := range m.overrides().Flags() {
				flags += " " + output.ShellQuote(f)
			}
			return nil, fmt.Errorf("%s holds a whole sweep, not a shard, which did not finish (%d of %d runs): there is nothing to merge; finish it with settle sweep %s --out %s%s --resume", d, m.RunsDone, m.Runs, output.ShellQuote(m.SweepFile), output.ShellQuote(d), flags)
		}
	}
	for _, f := range []string{ManifestFile, RunsFile, ParquetFile, PointsFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			return nil, fmt.Errorf("refusing to overwrite %s in %s; it holds merged or single-machine results already: choose another --out or delete them", f, out)
		}
	}
	var first *Manifest
	build, buildDir := "", "" // the first known engine build, and its shard
	var points []byte
	var t table
	var byShard []string
	runs := map[int]entry{}
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = m
			if t, err = readTable(d, m); err != nil {
				return nil, err
			}
			if points, err = os.ReadFile(filepath.Join(d, PointsFile)); err != nil {
				return nil, err
			}
			byShard = make([]string, max(m.Shard.Count, 1))
		}
		switch {
		case m.SweepSHA256 != first.SweepSHA256 || m.ScenarioSHA256 != first.ScenarioSHA256:
			return nil, fmt.Errorf("%s and %s are shards of different sweeps (their sweep or scenario files differ); merge the shards of one sweep", dirs[0], d)
		case worldFilesProblem(first.WorldFiles, m.WorldFiles) != "":
			return nil, fmt.Errorf("%s and %s ran on different worlds: %s; merge shards of the same world", dirs[0], d, worldFilesProblem(first.WorldFiles, m.WorldFiles))
		case m.overrides() != first.overrides():
			return nil, fmt.Errorf("%s ran with the overrides %s, %s with %s; merge shards run with the same", dirs[0], first.overrides(), d, m.overrides())
		case m.EngineVersion != first.EngineVersion:
			return nil, fmt.Errorf("%s ran engine %s, %s engine %s; rerun one of them so that all shards use the same engine", dirs[0], first.EngineVersion, d, m.EngineVersion)
		case buildsDiffer(m.EngineBuild, build):
			// Against the first shard whose build is known: an unknown
			// first one let shards of two builds through.
			return nil, fmt.Errorf("%s ran the engine built from %s, %s the one from %s; rerun one of them with the other's binary so that all shards run the same code", buildDir, build, d, m.EngineBuild)
		case m.Shard.Count != first.Shard.Count:
			return nil, fmt.Errorf("%s is shard %s but %s is shard %s; merge the shards of one split (all I/%d)", d, m.Shard, dirs[0], first.Shard, first.Shard.Count)
		case len(m.MergedFrom) > 0:
			return nil, fmt.Errorf("%s is merged already", d)
		case byShard[m.Shard.Index] != "":
			return nil, fmt.Errorf("shard %s is given twice: %s and %s", m.Shard, byShard[m.Shard.Index], d)
		case !m.Complete:
			return nil, fmt.Errorf("shard %s in %s is not complete (%d of %d runs); finish it by running its command again with --resume", m.Shard, d, m.RunsDone, m.ShardRuns)
		}
		byShard[m.Shard.Index] = d
		if build == "" && m.EngineBuild != "" {
			build, buildDir = m.EngineBuild, d
		}
		if p, err := os.ReadFile(filepath.Join(d, PointsFile)); err != nil || !bytes.Equal(p, points) {
			return nil, fmt.Errorf("%s: its points differ from %s's; the shards do not come from one sweep", d, dirs[0])
		}
		got, _, err := readJournal(filepath.Join(d, JournalFile), len(m.Metrics))
		if err != nil {
			return nil, err
		}
		ids := shardIDs(m.Runs, m.Shard)
		for _, id := range ids {
			e, ok := got[id]
			if !ok {
				return nil, fmt.Errorf("%s: run %d of shard %s is missing from %s; run the shard again with --resume", d, id, m.Shard, JournalFile)
			}
			runs[id] = e
		}
	}
	var missing []string
	for i, d := range byShard {
		if d == "" {
			missing = append(missing, fmt.Sprintf("%d/%d", i, len(byShard)))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %s are missing; give every shard's folder (each shard-* folder of the --out folder)", strings.Join(missing, ", "))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", out, err)
	}
	m := *first
	m.EngineBuild = build // the shards' one known build, if any
	m.Shard, m.ShardRuns, m.RunsDone, m.Complete = Shard{Index: 0, Count: 1}, m.Runs, m.Runs, true
	m.MergedFrom = byShard
	m.Workers, m.CommandLine = 0, cmdline
	host, _ := os.Hostname()
	m.Hostname, m.GoVersion, m.EndTime = host, runtime.Version(), time.Now()
	for _, d := range byShard {
		if sm, err := ReadManifest(d); err == nil && sm.StartTime.Before(m.StartTime) {
			m.StartTime = sm.StartTime
		}
	}
	ids := sortedIDs(runs)
	if !slices.Equal(ids, shardIDs(m.Runs, Shard{})) {
		return nil, fmt.Errorf("the shards hold %d of %d runs", len(ids), m.Runs)
	}
	if err := writePoints(filepath.Join(out, PointsFile), t); err != nil {
		return nil, err
	}
	if err := writeRuns(filepath.Join(out, RunsFile), t, ids, runs); err != nil {
		return nil, err
	}
	if err := writeParquet(filepath.Join(out, ParquetFile), t, ids, runs); err != nil {
		return nil, err
	}
	if err := writeManifest(out, m); err != nil {
		return nil, err
	}
	return &m, nil
}
