#!/usr/bin/env bash
# A single-node Slurm for the end-to-end test of settle sweep on a job array
# (cmd/settle/slurm_test.go): Debian's slurmctld, slurmd, the client tools
# (slurm-client: sbatch, squeue, sinfo) and munge. The test writes its own
# slurm.conf and starts and stops the daemons itself; this only installs.
# Idempotent and quiet.
set -euo pipefail
if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 &&
	command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
	echo "slurm: $(slurmctld -V), munge: $(munged --version 2>&1 | head -n1)"
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends slurm-wlm slurmctld slurmd slurm-client munge >/dev/null
echo "slurm: $(slurmctld -V), munge: $(munged --version 2>&1 | head -n1)"
