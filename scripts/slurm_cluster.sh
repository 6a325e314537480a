#!/usr/bin/env bash
# Starts a one-node SLURM cluster on this machine from Debian's packages, for the tests of
# `s2s study --launcher slurm` and of `s2s train` under srun. Run as root; idempotent (a cluster
# whose controller and accounting already answer is left alone).
#
#   bash scripts/slurm_cluster.sh
#
# - slurm-wlm and munge: the controller (slurmctld) and the node daemon (slurmd) on this host,
#   one node with all its CPUs, one partition `debug`, proctrack/linuxproc, task/none, cons_tres.
# - Accounting, so that `sacct` answers (the study reads finished jobs' states from it): plain
#   sacct needs slurmdbd, and slurmdbd needs a MySQL/MariaDB server. A job-completion plugin
#   alone (jobcomp/filetxt) only answers `sacct -c`, without array task ids. So: MariaDB on
#   127.0.0.1 with a database for slurmdbd, and slurmdbd on this host.
set -euo pipefail
answers() {
  timeout 10 sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed|alloc|completing" &&
    timeout 10 sacct -n -X -S now >/dev/null 2>&1
}
if command -v sinfo >/dev/null 2>&1 && answers; then
  echo "slurm: a cluster already answers"; exit 0
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v slurmdbd >/dev/null \
   || ! command -v mariadbd >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm slurmdbd munge mariadb-server >/dev/null
fi
HOST=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
LOGS=/var/log/slurm
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$LOGS" /run/munge /run/mysqld

# munge: a key, then the daemon as the munge user
[ -s /etc/munge/munge.key ] || mungekey -c -f
chown munge:munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
chmod 400 /etc/munge/munge.key
chmod 755 /run/munge
pgrep -u munge -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged

# MariaDB for slurmdbd (listening on 127.0.0.1 only)
chown mysql:mysql /run/mysqld
if ! pgrep -x mariadbd >/dev/null; then
  setsid mariadbd --user=mysql --bind-address=127.0.0.1 >"$LOGS/mariadb.log" 2>&1 < /dev/null &
fi
for _ in $(seq 60); do mariadb -e "select 1" >/dev/null 2>&1 && break; sleep 0.5; done
mariadb -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
  CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurm';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"

cat > /etc/slurm/slurmdbd.conf <<CONF
AuthType=auth/munge
DbdHost=$HOST
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
LogFile=$LOGS/slurmdbd.log
PidFile=/run/slurmdbd.pid
CONF
chmod 600 /etc/slurm/slurmdbd.conf

cat > /etc/slurm/slurm.conf <<CONF
ClusterName=s2s
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$(( MEM_MB / CPUS ))
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=$HOST
JobAcctGatherType=jobacct_gather/linux
KillWait=30
SchedulerParameters=sched_interval=2
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

pgrep -x slurmdbd >/dev/null || slurmdbd
for _ in $(seq 60); do sacctmgr -n list cluster >/dev/null 2>&1 && break; sleep 0.5; done
sacctmgr -n list cluster format=cluster | grep -qw s2s || sacctmgr -i add cluster s2s >/dev/null
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do
  if answers; then echo "slurm: one node ($HOST, $CPUS CPUs) and its accounting answer"; exit 0; fi
  sleep 1
done
echo "slurm: the cluster did not come up; its logs are in $LOGS/" >&2
exit 1
