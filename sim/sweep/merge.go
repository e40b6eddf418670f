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
// settle sweep --out DIR --shard I/N), and so does a folder whose manifest
// is the merge of those (settle sweep merge DIR): its shards are merged
// again.
func ShardDirs(dirs []string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		if m, err := ReadManifest(d); err == nil && len(m.MergedFrom) == 0 {
			out = append(out, d)
			continue
		} else if err == nil {
			subs := shardSubdirs(d)
			if len(subs) == 0 {
				return nil, fmt.Errorf("%s holds the merge of the shards %s, which are not inside it; to merge them again, give those folders (its own tables are %s and %s)", d, listNames(m.MergedFrom), filepath.Join(d, RunsFile), filepath.Join(d, ParquetFile))
			}
			out = append(out, subs...)
			continue
		} else if _, serr := os.Stat(filepath.Join(d, ManifestFile)); serr == nil {
			return nil, err // a damaged manifest
		}
		subs := shardSubdirs(d)
		out = append(out, subs...)
		if len(subs) == 0 {
			if _, err := os.Stat(d); err != nil {
				return nil, fmt.Errorf("%s: %w", d, output.UnwrapPath(err))
			}
			return nil, fmt.Errorf("%s holds no sweep shards (no %s, no shard-*/%s); give the folders the shards wrote", d, ManifestFile, ManifestFile)
		}
	}
	return out, nil
}

// shardSubdirs returns the shard-* folders of d that hold a manifest.
func shardSubdirs(d string) []string {
	subs, _ := filepath.Glob(filepath.Join(d, "shard-*"))
	var out []string
	for _, s := range subs {
		if _, err := os.Stat(filepath.Join(s, ManifestFile)); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// MergedError is Merge's error when the folder to merge into is the merge
// of the shards given already, with its tables: there is nothing to do.
type MergedError struct {
	Dir      string
	Manifest *Manifest
}

func (e *MergedError) Error() string {
	m := e.Manifest
	when := ""
	if !m.EndTime.IsZero() {
		when = " on " + m.EndTime.Local().Format("2006-01-02 15:04")
	}
	// The shards: inside the folder (give the folder), or elsewhere (a
	// merge made with --out: give them).
	shards := output.ShellQuote(e.Dir)
	if inner, _ := filepath.Glob(filepath.Join(e.Dir, "shard-*", ManifestFile)); len(inner) == 0 && len(m.MergedFrom) > 0 {
		q := make([]string, len(m.MergedFrom))
		for i, d := range m.MergedFrom {
			q[i] = output.ShellQuote(d)
		}
		shards = strings.Join(q, " ")
	}
	return fmt.Sprintf("%s is merged already: the %d runs of its %d shards were merged%s into %s, %s and %s there. To merge the shards again, into a new folder: settle sweep merge --out NEWDIR %s",
		e.Dir, m.Runs, len(m.MergedFrom), when, RunsFile, ParquetFile, PointsFile, shards)
}

// Merged returns the manifest of dir when it is the merge of shards with
// its tables (runs.csv, runs.parquet, points.csv) in place.
func Merged(dir string) (*Manifest, bool) {
	m, err := ReadManifest(dir)
	if err != nil || len(m.MergedFrom) == 0 {
		return nil, false
	}
	for _, f := range []string{RunsFile, ParquetFile, PointsFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return m, false
		}
	}
	return m, true
}

// sameDir reports whether a and b name the same folder.
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// Merge joins the shard folders dirs (see ShardDirs) of one sweep into
// out: points.csv, runs.csv and runs.parquet byte for byte as a single
// machine writes them, and a manifest that lists the shards. Every shard
// must be there once and complete. out may exist (it may hold the shard
// folders) but not hold a sweep's files already: a merged folder given as
// both out and the shards is a *MergedError (nothing to do); given as the
// shards only, its shards are merged again into out. A merged folder whose
// tables were deleted is merged again into itself.
func Merge(out string, dirs []string, cmdline []string) (*Manifest, error) {
	for _, d := range dirs {
		if m, ok := Merged(d); ok && sameDir(d, out) {
			return nil, &MergedError{Dir: d, Manifest: m}
		}
	}
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
	if err := mergeTarget(out); err != nil {
		return nil, err
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
			return nil, fmt.Errorf("%s ran %s, and %s ran %s; merge shards run with the same flags (rerun one with the other's)", dirs[0], first.overrides().with(), d, m.overrides().with())
		case m.EngineVersion != first.EngineVersion:
			return nil, fmt.Errorf("%s ran engine %s, %s engine %s; rerun one of them so that all shards use the same engine", dirs[0], first.EngineVersion, d, m.EngineVersion)
		case buildsDiffer(m.EngineBuild, build):
			// Against the first shard whose build is known: an unknown
			// first one let shards of two builds through.
			return nil, fmt.Errorf("%s ran the engine built from %s, %s the one from %s; rerun one of them with the other's binary so that all shards run the same code", buildDir, build, d, m.EngineBuild)
		case m.Shard.Count != first.Shard.Count:
			return nil, fmt.Errorf("%s is shard %s but %s is shard %s; merge the shards of one split (all I/%d)", d, m.Shard, dirs[0], first.Shard, first.Shard.Count)
		case len(m.MergedFrom) > 0:
			return nil, fmt.Errorf("%s is the merge of shards, not a shard; give the shard-* folders it was merged from", d)
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
	m.Workers, m.CommandLine, m.Resumed = 0, cmdline, nil
	host, _ := os.Hostname()
	m.Hostname, m.GoVersion, m.EndTime = host, runtime.Version(), time.Now()
	// The command line is the merge's, relative to where it ran; the
	// shards' relative file paths are made whole when they ran elsewhere.
	wd, _ := os.Getwd()
	if first.WorkingDir != "" && first.WorkingDir != wd {
		for _, p := range []*string{&m.SweepFile, &m.ScenarioFile} {
			if !filepath.IsAbs(*p) {
				*p = filepath.Join(first.WorkingDir, *p)
			}
		}
	}
	m.WorkingDir = wd
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
	// The copies of the sweep file, base scenario and user world files,
	// from a shard that has them (all have the same bytes: their SHA-256
	// agree).
	copies := []string{SweepCopy, ScenarioCopy}
	for _, f := range m.WorldFiles {
		copies = append(copies, output.WorldCopy(f))
	}
	for _, c := range copies {
		if data, err := os.ReadFile(filepath.Join(byShard[0], c)); err == nil {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(out, c)), 0o755); err != nil {
				return nil, err
			}
			if err := output.WriteData(filepath.Join(out, c), data); err != nil {
				return nil, err
			}
		}
	}
	if err := writeManifest(out, m); err != nil {
		return nil, err
	}
	return &m, nil
}

// mergeTarget checks that out can take merged results: it holds none of a
// sweep's tables or manifest, or is a merge whose tables were deleted.
func mergeTarget(out string) error {
	var there []string
	for _, f := range []string{ManifestFile, RunsFile, ParquetFile, PointsFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			there = append(there, f)
		}
	}
	if len(there) == 0 {
		return nil
	}
	m, err := ReadManifest(out)
	switch {
	case err == nil && len(m.MergedFrom) > 0:
		if _, whole := Merged(out); !whole {
			return nil // its tables are gone: merged again
		}
		return fmt.Errorf("refusing to overwrite %s: it holds the merge of %d shards already (%s, %s); give --out a new folder", out, len(m.MergedFrom), RunsFile, ParquetFile)
	case err == nil && m.SweepFile != "":
		return fmt.Errorf("refusing to overwrite %s: it holds a sweep run on one machine (%s); give --out a new folder", out, strings.Join(there, ", "))
	}
	return fmt.Errorf("refusing to overwrite %s in %s; give --out a new folder, or move them away", strings.Join(there, ", "), out)
}
