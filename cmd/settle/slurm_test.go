package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/settle-sim/settle/sim/sweep"
)

// slurmTools are the programs the Slurm test needs: Debian's slurmctld,
// slurmd, slurm-client and munge (.ci/setup.d/20-slurm.sh installs them).
var slurmTools = []string{"munged", "munge", "unmunge", "slurmctld", "slurmd", "sbatch", "sinfo", "scancel"}

// TestSlurmArray runs a sweep as a real Slurm job array on a one-node
// cluster started here, merges the shards, and checks that the result is
// the same bytes as the sweep run locally. It needs root (it starts munged
// as the munge user, slurmctld and slurmd) and the Slurm packages.
//
// The machines this runs on have no systemd and cgroup v1 without the
// freezer controller, so: munged is started by hand as munge after
// creating /run/munge; slurmctld -i and slurmd run directly; processes are
// tracked with proctrack/linuxproc and tasks are not bound (task/none), or
// the node drains; SlurmctldHost is `hostname -s`; the daemons are stopped
// by their pid files at the end.
func TestSlurmArray(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping the Slurm job-array test: it starts munged, slurmctld and slurmd and must run as root (CI does)")
	}
	for _, tool := range slurmTools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping the Slurm job-array test: %s is not installed; run .ci/setup.d/20-slurm.sh (apt-get install slurm-wlm slurmctld slurmd slurm-client munge)", tool)
		}
	}
	start := time.Now()
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	cl := startCluster(t, ctx, tmp)
	t.Logf("cluster up in %.1f s", time.Since(start).Seconds())

	bin := filepath.Join(tmp, "settle")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(tmp, "base.toml"), []byte("[scenario]\nname = \"base\"\nworld = \"teaching\"\nyears = 2\nseed = 5\nscale = 0.05\n"), 0o644)
	sweepFile := filepath.Join(tmp, "sweep.toml")
	os.WriteFile(sweepFile, []byte(`[sweep]
name = "slurm-e2e"
scenario = "base.toml"
replicates = 2
[[parameter]]
path = "behaviour.move_scale"
values = [0.8, 1.0, 1.2]
[metrics]
pop = "population(by=centrality)"
moves = "moves_per_1000"
`), 0o644)

	out := filepath.Join(tmp, "cluster")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), "SLURM_CONF="+cl.conf)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, b, cl.logs(out))
		}
		return string(b)
	}
	run(bin, "sweep", "slurm", sweepFile, "--tasks", "3", "--out", out)
	script := filepath.Join(out, "submit.sbatch")
	t.Logf("submitting %s", script)
	job := strings.TrimSpace(run("sbatch", "--wait", "--parsable", script))
	t.Logf("job array %s done in %.1f s", job, time.Since(start).Seconds())
	for i := range 3 {
		m, err := sweep.ReadManifest(filepath.Join(out, fmt.Sprintf("shard-%d-of-3", i)))
		if err != nil || !m.Complete || m.Shard.Index != i || m.Shard.Count != 3 {
			t.Fatalf("shard %d: %+v %v\n%s", i, m, err, cl.logs(out))
		}
	}
	logs, _ := filepath.Glob(filepath.Join(out, "logs", "*.out"))
	if len(logs) != 3 {
		t.Errorf("%d task logs, want 3: %v", len(logs), logs)
	}
	run(bin, "sweep", "merge", out)

	local := filepath.Join(tmp, "local")
	run(bin, "sweep", sweepFile, "--out", local, "--workers", "2", "--quiet")
	for _, f := range []string{sweep.RunsFile, sweep.ParquetFile, sweep.PointsFile} {
		a, err1 := os.ReadFile(filepath.Join(out, f))
		b, err2 := os.ReadFile(filepath.Join(local, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: the merged Slurm array and the local run differ (%v, %v)", f, err1, err2)
		}
	}
	t.Logf("whole test %.1f s", time.Since(start).Seconds())
}

// cluster is a one-node Slurm cluster for a test.
type cluster struct {
	dir, conf string
}

func (c *cluster) logs(out string) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(out, "logs", "*"))
	files = append(files, filepath.Join(c.dir, "slurmctld.log"), filepath.Join(c.dir, "slurmd.log"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", f, strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
	return b.String()
}

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startCluster starts munged (unless one answers already), slurmctld and
// slurmd with a configuration in dir, waits for the node to be idle, and
// stops what it started when the test ends.
func startCluster(t *testing.T, ctx context.Context, dir string) *cluster {
	host, err := exec.Command("hostname", "-s").Output()
	if err != nil {
		t.Fatalf("hostname -s: %v", err)
	}
	node := strings.TrimSpace(string(host))
	c := &cluster{dir: dir, conf: filepath.Join(dir, "slurm.conf")}
	for _, d := range []string{"state", "spool"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	conf := fmt.Sprintf(`# A one-node cluster for settle's job-array test.
ClusterName=settletest
SlurmctldHost=%[1]s
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
StateSaveLocation=%[2]s/state
SlurmdSpoolDir=%[2]s/spool
SlurmctldPidFile=%[2]s/slurmctld.pid
SlurmdPidFile=%[2]s/slurmd.pid
SlurmctldLogFile=%[2]s/slurmctld.log
SlurmdLogFile=%[2]s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=%[1]s CPUs=%[5]d RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, node, dir, freePort(t), freePort(t), runtime.NumCPU())
	if err := os.WriteFile(c.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}

	// munged, as the munge user, unless one is running.
	if exec.Command("sh", "-c", "munge -n | unmunge >/dev/null").Run() != nil {
		u, err := user.Lookup("munge")
		if err != nil {
			t.Fatalf("no munge user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.MkdirAll("/run/munge", 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chown("/run/munge", uid, gid)
		pidFile := "/run/munge/munged.pid"
		cmd := exec.Command("munged", "--pid-file="+pidFile)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("starting munged: %v\n%s", err, out)
		}
		t.Cleanup(func() { stopByPidFile(t, pidFile) })
		waitFor(t, ctx, "munge", func() bool { return exec.Command("sh", "-c", "munge -n | unmunge >/dev/null").Run() == nil })
	}

	// slurmctld -i (ignore saved state) and slurmd, each daemonising.
	for _, d := range []struct{ name, pid string }{{"slurmctld", "slurmctld.pid"}, {"slurmd", "slurmd.pid"}} {
		args := []string{"-f", c.conf}
		if d.name == "slurmctld" {
			args = append([]string{"-i"}, args...)
		}
		if out, err := exec.Command(d.name, args...).CombinedOutput(); err != nil {
			t.Fatalf("starting %s: %v\n%s\n%s", d.name, err, out, c.logs(""))
		}
		pid := filepath.Join(dir, d.pid)
		t.Cleanup(func() { stopByPidFile(t, pid) })
	}
	// Cleanups run last-registered first: cancel any job before the daemons stop.
	t.Cleanup(func() {
		cmd := exec.Command("scancel", "--full", "--user=root")
		cmd.Env = append(os.Environ(), "SLURM_CONF="+c.conf)
		cmd.Run()
	})
	waitFor(t, ctx, "the node to be idle", func() bool {
		cmd := exec.Command("sinfo", "-h", "-o", "%T")
		cmd.Env = append(os.Environ(), "SLURM_CONF="+c.conf)
		out, err := cmd.Output()
		return err == nil && strings.TrimSpace(string(out)) == "idle"
	})
	return c
}

func waitFor(t *testing.T, ctx context.Context, what string, ok func() bool) {
	t.Helper()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stopByPidFile sends SIGTERM to the process in pidFile and waits up to
// 10 s for it to end, then kills it.
func stopByPidFile(t *testing.T, pidFile string) {
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Logf("no pid file %s: %v", pidFile, err)
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return
	}
	p.Signal(syscall.SIGTERM)
	for range 100 {
		if p.Signal(syscall.Signal(0)) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.Signal(syscall.SIGKILL)
}
