package sweep

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Shard is one of Count parts of a sweep: the runs whose id ≡ Index (mod
// Count). Dealing the runs out round-robin gives every shard the same mix
// of cheap and costly points. The zero value, like Count 1, is the whole
// sweep.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Whole reports whether s is the whole sweep.
func (s Shard) Whole() bool { return s.Count <= 1 }

// Has reports whether run id id belongs to s.
func (s Shard) Has(id int) bool { return s.Whole() || id%s.Count == s.Index }

// String formats s as I/N (0/1 for the whole sweep).
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// Folder is the name of a shard's folder inside a sweep's folder:
// shard-003-of-016 (zero-padded, so the names sort as the shards).
func (s Shard) Folder() string {
	w := len(strconv.Itoa(s.Count - 1))
	return fmt.Sprintf("shard-%0*d-of-%0*d", w, s.Index, w, s.Count)
}

// ParseShard parses "I/N" with 0 ≤ I < N.
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(text, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("shard %q is not I/N; give the shard's index from 0 and the number of shards, e.g. 3/16", text)
	case n < 1:
		return Shard{}, fmt.Errorf("shard %q: the number of shards must be 1 or more", text)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("shard %q: the index must be from 0 to %d (shards are counted from 0)", text, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardFromEnv finds the shard of a job array from the environment, as
// getenv reads it: Slurm's SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT
// (or, without it, SLURM_ARRAY_TASK_MIN and _MAX; the index counts from
// the array's first task, in steps of SLURM_ARRAY_TASK_STEP), or
// Kubernetes' JOB_COMPLETION_INDEX (an Indexed Job), whose number of
// shards count must give (the Job's completions). count > 0 must agree with
// Slurm's. It returns the shard, a description of where it came from ("" when
// no job array is in sight: the whole sweep), or an error.
func ShardFromEnv(getenv func(string) string, count int) (Shard, string, error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		atoi := func(name string) (int, error) {
			v := getenv(name)
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0, fmt.Errorf("%s=%q is not a whole number", name, v)
			}
			return n, nil
		}
		task, err := atoi("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return Shard{}, "", err
		}
		lo, step, n := 0, 1, 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if lo, err = atoi("SLURM_ARRAY_TASK_MIN"); err != nil {
				return Shard{}, "", err
			}
		}
		if getenv("SLURM_ARRAY_TASK_STEP") != "" {
			if step, err = atoi("SLURM_ARRAY_TASK_STEP"); err != nil || step < 1 {
				return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_STEP=%q is not a step of 1 or more", getenv("SLURM_ARRAY_TASK_STEP"))
			}
		}
		switch {
		case getenv("SLURM_ARRAY_TASK_COUNT") != "":
			if n, err = atoi("SLURM_ARRAY_TASK_COUNT"); err != nil {
				return Shard{}, "", err
			}
		case getenv("SLURM_ARRAY_TASK_MAX") != "":
			hi, err := atoi("SLURM_ARRAY_TASK_MAX")
			if err != nil {
				return Shard{}, "", err
			}
			n = (hi-lo)/step + 1
		default:
			if count < 1 {
				return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%d is set but not SLURM_ARRAY_TASK_COUNT; give the number of shards with --shards N (the array's size)", task)
			}
			n = count
		}
		if count > 0 && count != n {
			return Shard{}, "", fmt.Errorf("--shards %d but the Slurm array has %d tasks; leave --shards out under Slurm", count, n)
		}
		i := (task - lo) / step
		if (task-lo)%step != 0 || i < 0 || i >= n {
			return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%d does not fit an array of %d tasks from %d in steps of %d; submit the array as --array=0-%d", task, n, lo, step, n-1)
		}
		return Shard{Index: i, Count: n}, fmt.Sprintf("Slurm array task %d of %d", task, n), nil
	}
	if v := getenv("JOB_COMPLETION_INDEX"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%q is not an index of 0 or more", v)
		}
		if count < 1 {
			return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%d is set (a Kubernetes Indexed Job) but not the number of shards; add --shards N, the Job's completions", i)
		}
		if i >= count {
			return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%d but --shards %d; the index must be below the number of shards", i, count)
		}
		return Shard{Index: i, Count: count}, fmt.Sprintf("Kubernetes completion index %d of %d", i, count), nil
	}
	if count > 0 {
		return Shard{}, "", fmt.Errorf("--shards %d but neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; give --shard I/N to run one shard by hand", count)
	}
	return Shard{}, "", nil
}

// CheckLayout checks that the sweep folder out (settle sweep --out) can
// take shard s, which writes out/shard-I-of-N (or out itself when s is the
// whole sweep), without leaving folders that nothing would merge:
//
//   - a shard is refused when out holds a whole sweep, finished or not
//     (its manifest.json: a sweep run without shards), or shards of a
//     split into another number of shards, or the merge of such shards;
//   - a whole sweep is refused when out holds shards (shard-*/ folders
//     with a manifest) and has not merged them.
//
// A folder that does not exist, or holds nothing of a sweep, passes: the
// other checks (output.CheckDir, --resume) say what else is there.
func CheckLayout(out string, s Shard) error {
	top, topErr := ReadManifest(out)
	if topErr == nil && top.SweepFile == "" {
		top, topErr = nil, errors.New("not a sweep")
	}
	var shards []*Manifest
	var names []string
	if subs, err := filepath.Glob(filepath.Join(out, "shard-*", ManifestFile)); err == nil {
		for _, f := range subs {
			if m, err := ReadManifest(filepath.Dir(f)); err == nil && m.SweepFile != "" {
				shards = append(shards, m)
				names = append(names, filepath.Base(filepath.Dir(f)))
			}
		}
	}
	if s.Whole() {
		if topErr != nil && len(shards) > 0 {
			return fmt.Errorf("%s holds shards of a sweep (%s), not merged: a whole sweep there would stand beside them; merge them with settle sweep merge %s, or run the whole sweep in another --out", out, listNames(names), out)
		}
		return nil
	}
	if topErr == nil {
		switch {
		case len(top.MergedFrom) == 0:
			state := "complete"
			if !top.Complete {
				state = fmt.Sprintf("%d of %d runs done, or running now", top.RunsDone, top.Runs)
			}
			return fmt.Errorf("%s holds a whole sweep of %s run without shards (%s): shard %s would write %s beside it, and nothing merges a shard with a whole sweep; run the shards with another --out, or finish the whole sweep there with settle sweep %s --out %s --resume",
				out, top.SweepFile, state, s, s.Folder(), top.SweepFile, out)
		case len(top.MergedFrom) != s.Count:
			return fmt.Errorf("%s holds the merge of %d shards already; shard %s of a split into %d would stand beside them: run it with another --out", out, len(top.MergedFrom), s, s.Count)
		}
	}
	for i, m := range shards {
		if m.Shard.Count != s.Count {
			return fmt.Errorf("%s holds shard %s of a split into %d (%s): shard %s of a split into %d would mix two splits, which settle sweep merge refuses; give --shard I/%d, or run this split with another --out", out, m.Shard, m.Shard.Count, names[i], s, s.Count, m.Shard.Count)
		}
	}
	return nil
}

// listNames lists the first three names and how many more.
func listNames(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
}
