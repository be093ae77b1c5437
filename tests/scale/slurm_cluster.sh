# A single-node Slurm cluster in a temporary folder, for tests: munged, slurmctld and slurmd on
# free ports with their state, sockets and logs under $SLURM_TEST_DIR. Sourced by the tests.
#   slurm_cluster_start DIR   starts it (exports SLURM_CONF); returns 77 with the reason on
#                             stderr when the daemons cannot run here
#   slurm_cluster_stop        stops what slurm_cluster_start started (by pid) and removes nothing
# Needs root (slurmd launches jobs as their user) and Debian's slurmctld, slurmd and munge.

slurm_cluster_skip() {
  echo "SKIP: $*" >&2
  [ -n "${SLURM_TEST_DIR:-}" ] && for log in "$SLURM_TEST_DIR"/*.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  slurm_cluster_stop
  return 77
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

slurm_cluster_start() {
  SLURM_TEST_DIR=$1
  SLURM_TEST_PIDS=()
  for tool in munged slurmctld slurmd sbatch sinfo squeue; do
    command -v "$tool" >/dev/null || { slurm_cluster_skip "$tool is not installed (scripts/install-deps.sh)"; return 77; }
  done
  [ "$(id -u)" = 0 ] || { slurm_cluster_skip "slurmd must run as root to start jobs"; return 77; }
  local d=$SLURM_TEST_DIR host
  host=$(hostname -s)
  mkdir -p "$d/munge" "$d/state" "$d/spool"
  chmod 700 "$d/munge"
  # munged refuses keys and folders that others could read or write.
  dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$d/munge/munge.key"
  munged --force --socket="$d/munge/munge.sock" --key-file="$d/munge/munge.key" --log-file="$d/munge.log" \
    --pid-file="$d/munge/munged.pid" --seed-file="$d/munge/munged.seed" 2>>"$d/munge.log" ||
    { slurm_cluster_skip "munged did not start"; return 77; }
  SLURM_TEST_PIDS+=("$(cat "$d/munge/munged.pid")")
  local cpus
  cpus=$(nproc)
  cat >"$d/slurm.conf" <<CONF
ClusterName=clipset-test
SlurmctldHost=$host
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
# Dependencies are resolved by the main scheduling loop (every 60 s by default): a test waits less.
SchedulerParameters=sched_interval=1
InactiveLimit=0
MinJobAge=300
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$d/slurm.conf
  slurmctld -i -f "$SLURM_CONF" 2>>"$d/slurmctld.log" || { slurm_cluster_skip "slurmctld did not start"; return 77; }
  sleep 1
  [ -f "$d/slurmctld.pid" ] && SLURM_TEST_PIDS+=("$(cat "$d/slurmctld.pid")")
  slurmd -f "$SLURM_CONF" 2>>"$d/slurmd.log" || { slurm_cluster_skip "slurmd did not start"; return 77; }
  sleep 1
  [ -f "$d/slurmd.pid" ] && SLURM_TEST_PIDS+=("$(cat "$d/slurmd.pid")")
  # The node is ready when sinfo shows it idle.
  local i
  for i in $(seq 1 30); do
    if sinfo -h -N -o '%t' 2>/dev/null | grep -q idle; then return 0; fi
    sleep 1
  done
  slurm_cluster_skip "the node did not become idle within 30 s (sinfo: $(sinfo -h -N -o '%t %E' 2>&1))"
  return 77
}

slurm_cluster_stop() {
  local pid
  for pid in "${SLURM_TEST_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${SLURM_TEST_PIDS[@]:-}"; do
    [ -n "$pid" ] && for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  SLURM_TEST_PIDS=()
}
