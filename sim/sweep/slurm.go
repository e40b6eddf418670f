package sweep

import (
	"fmt"
	"io"
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
	q := output.ShellQuote
	cmd := fmt.Sprintf("%s sweep %s --out %s --shard \"${SLURM_ARRAY_TASK_ID}/%d\" --workers %d --resume --quiet",
		q(o.Settle), q(o.Sweep), q(o.Out), o.Tasks, o.CPUs)
	for _, f := range o.Overrides.Flags() {
		cmd += " " + q(f)
	}
	merge := fmt.Sprintf("%s sweep merge %s", q(o.Settle), q(o.Out))
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
# submitted again: sbatch --array=3,7 %[4]s/submit.sbatch reruns tasks 3 and 7.
#SBATCH --job-name=settle-%[7]s
#SBATCH --array=0-%[8]d
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=%[3]d
#SBATCH --output=%[4]s/logs/%%x-%%A_%%a.out
`, o.Name, o.Tasks, o.CPUs, o.Out, merge, q(merge), o.Name, o.Tasks-1)
	for _, kv := range [][2]string{{"time", o.Time}, {"mem", o.Mem}, {"partition", o.Partition}, {"account", o.Account}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "#SBATCH --%s=%s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(&b, "\nset -euo pipefail\nexec %s\n", cmd)
	_, err := io.WriteString(w, b.String())
	return err
}
