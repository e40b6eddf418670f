package sweep

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/output"
)

// SlurmOptions describe a Slurm job array for a sweep.
type SlurmOptions struct {
	Settle string // absolute path of the settle binary (on a shared file system)
	Sweep  string // absolute path of the sweep file
	Out    string // absolute path of the sweep's folder; shard I writes Out/shard-I-of-N
	Name   string // the sweep's name; the job is settle-<name>
	Tasks  int    // array tasks = shards
	CPUs   int    // CPUs per task = runs side by side
	// Overrides go to every task's command (settle sweep --scale …).
	Overrides Overrides
	// Optional #SBATCH settings; "" leaves them to the cluster's defaults.
	Time, Mem, Partition, Account string
}

// WriteSlurm writes an sbatch script that runs the sweep as a job array
// of o.Tasks tasks, task I running shard I/Tasks with --resume (so a
// requeued or resubmitted task continues where it stopped), and its log in
// Out/logs. The shard is given explicitly rather than read from
// SLURM_ARRAY_TASK_COUNT, so resubmitting a few failed tasks
// (sbatch --array=3,7 …) still runs the right shards.
func WriteSlurm(w io.Writer, o SlurmOptions) error {
	if o.Tasks < 1 {
		return fmt.Errorf("sweep: a job array of %d tasks", o.Tasks)
	}
	if err := CheckSlurmTime(o.Time); o.Time != "" && err != nil {
		return err
	}
	if err := CheckSlurmMem(o.Mem); o.Mem != "" && err != nil {
		return err
	}
	q := output.ShellQuote
	cmd := fmt.Sprintf("%s sweep %s --out %s --shard \"${SLURM_ARRAY_TASK_ID}/%d\" --workers %d --resume --quiet",
		q(o.Settle), q(o.Sweep), q(o.Out), o.Tasks, o.CPUs)
	for _, f := range o.Overrides.Flags() {
		cmd += " " + q(f)
	}
	merge := fmt.Sprintf("%s sweep merge %s", q(o.Settle), q(o.Out))
	rerun, rerunWhat := RerunExample(o.Tasks)
	var b strings.Builder
	fmt.Fprintf(&b, `#!/bin/bash
# The sweep %[1]s as a Slurm job array of %[2]d tasks: task I runs shard I/%[2]d
# of the runs, %[3]d at a time (one CPU each), into %[4]s/shard-*.
# Written by settle sweep slurm. Submit it, then merge the shards when all
# tasks are done:
#
#   sbatch %[4]s/submit.sbatch
#   %[5]s
#
# or let Slurm merge after the last task:
#
#   jid=$(sbatch --parsable %[4]s/submit.sbatch)
#   sbatch --dependency=afterok:$jid --wrap %[6]s
#
# A task that failed or was preempted continues where it stopped when
# submitted again: sbatch --array=%[9]s %[4]s/submit.sbatch reruns %[10]s.
#SBATCH --job-name=settle-%[7]s
#SBATCH --array=0-%[8]d
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=%[3]d
#SBATCH --output=%[4]s/logs/%%x-%%A_%%a.out
`, o.Name, o.Tasks, o.CPUs, o.Out, merge, q(merge), o.Name, o.Tasks-1, rerun, rerunWhat)
	for _, kv := range [][2]string{{"time", o.Time}, {"mem", o.Mem}, {"partition", o.Partition}, {"account", o.Account}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "#SBATCH --%s=%s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(&b, "\nset -euo pipefail\nexec %s\n", cmd)
	_, err := io.WriteString(w, b.String())
	return err
}

// RerunExample returns an example of sbatch --array for resubmitting some
// tasks of an array of tasks tasks (0 … tasks−1), with what it reruns:
// "3,7" and "tasks 3 and 7" for 8 tasks, "1,2" for 3, "1" for 2 and "0"
// for 1. The indices are always tasks of the array.
func RerunExample(tasks int) (array, what string) {
	switch {
	case tasks <= 1:
		return "0", "task 0"
	case tasks == 2:
		return "1", "task 1"
	}
	a, b := min(3, tasks-2), tasks-1
	return fmt.Sprintf("%d,%d", a, b), fmt.Sprintf("tasks %d and %d", a, b)
}

// slurmTime matches the time limits sbatch --time accepts: minutes,
// minutes:seconds, hours:minutes:seconds, days-hours,
// days-hours:minutes, days-hours:minutes:seconds.
var slurmTime = regexp.MustCompile(`^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+)$`)

// CheckSlurmTime checks a time limit for #SBATCH --time (see slurmTime;
// also UNLIMITED or INFINITE). Its error says what to write instead.
func CheckSlurmTime(s string) error {
	if slurmTime.MatchString(s) || strings.EqualFold(s, "UNLIMITED") || strings.EqualFold(s, "INFINITE") {
		return nil
	}
	const formats = "minutes (90), MM:SS, HH:MM:SS (2:00:00), D-HH (1-12), D-HH:MM or D-HH:MM:SS"
	m := regexp.MustCompile(`^(\d+)\s*([A-Za-z]+)$`).FindStringSubmatch(strings.TrimSpace(s))
	if m != nil {
		n, _ := strconv.Atoi(m[1])
		fix := ""
		switch strings.ToLower(m[2]) {
		case "s", "sec", "secs", "second", "seconds":
			fix = fmt.Sprintf("%d:%02d", n/60, n%60)
		case "m", "min", "mins", "minute", "minutes":
			fix = strconv.Itoa(n)
		case "h", "hr", "hrs", "hour", "hours":
			fix = fmt.Sprintf("%d:00:00", n)
		case "d", "day", "days":
			fix = fmt.Sprintf("%d-0", n)
		}
		if fix != "" {
			return fmt.Errorf("--time %s is not a time limit Slurm reads; write --time %s (Slurm's formats: %s)", s, fix, formats)
		}
	}
	return fmt.Errorf("--time %q is not a time limit Slurm reads; give %s", s, formats)
}

// MinBareMem is the smallest bare number CheckSlurmMem accepts for
// --mem: Slurm reads a number without a unit as megabytes, and one below
// it is almost surely gigabytes meant (--mem 2 is 2 MB).
const MinBareMem = 100

var slurmMem = regexp.MustCompile(`^(\d+)([KMGTkmgt]?)$`)

// CheckSlurmMem checks a size for #SBATCH --mem: a whole number with an
// optional unit K, M, G or T (megabytes without one; 0 is all the
// memory of the node). A bare number from 1 to MinBareMem−1 is refused as
// the megabytes it would be. Its error says what to write instead.
func CheckSlurmMem(s string) error {
	if m := slurmMem.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		switch {
		case err != nil:
			return fmt.Errorf("--mem %s is too large a number; give a size such as 8G", s)
		case m[2] == "" && n > 0 && n < MinBareMem:
			return fmt.Errorf("--mem %s is %d megabytes to Slurm (a number without a unit is MB), too little for a run; write --mem %dG for gigabytes (or --mem %dM if you do mean megabytes)", s, n, n, n)
		}
		return nil
	}
	const formats = "a whole number with K, M, G or T, e.g. 4G or 500M; a bare number is megabytes"
	if m := regexp.MustCompile(`^(\d+)\s*([KMGTkmgt])(i?[Bb])$`).FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		return fmt.Errorf("--mem %s is not a size Slurm reads; write --mem %s%s (Slurm's sizes: %s)", s, m[1], strings.ToUpper(m[2]), formats)
	}
	if m := regexp.MustCompile(`^(\d*\.\d+)\s*([GTgt])[Bb]?$`).FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		x, _ := strconv.ParseFloat(m[1], 64)
		lower := map[string]string{"G": "M", "T": "G"}[strings.ToUpper(m[2])]
		return fmt.Errorf("--mem %s is not a size Slurm reads; write --mem %d%s (Slurm's sizes: %s)", s, int64(x*1024+0.5), lower, formats)
	}
	return fmt.Errorf("--mem %q is not a size Slurm reads; give %s", s, formats)
}
