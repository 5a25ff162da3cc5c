#!/usr/bin/env bash
# Entrypoint of a CockroachDB node on ECS Fargate, run as
# ["/bin/bash", "-c", "<this script>"]. Each node has its own task definition,
# which names the node (COCKROACH_NODE_INDEX) and its zone: a task never
# guesses which node it is.
#
# A Fargate task starts with an empty disk, every time. So everything here is
# safe to run again, on any node, at any moment:
#   - cockroach starts at once and joins whatever cluster its --join finds; a
#     replacement is never held back.
#   - Only node 0 ever runs `cockroach init`, and only when every node of the
#     deployment answers that it is waiting for cluster initialization: a
#     replacement node 0 next to live nodes finds them, joins, and never
#     initializes a second cluster.
#   - A cluster that is not established (no application database) is never
#     opened to the application nor backed up: if the backup collection holds
#     backups, every node was lost at once, and the cluster is restored from
#     the latest one; only with no backup at all is it a new cluster.
#   - Every node applies the desired state (zone configs, settings, schema,
#     password, licence, backup schedule), each step on its own, so one
#     failing step never holds back the others, and no step depends on node 0.
#   - A replacement decommissions the dead earlier holders of its own name,
#     and every node sweeps nodes dead for longer than
#     COCKROACH_DEAD_NODE_SECONDS: never a live node.
#   - If cockroach exits on its own, it is restarted in this task, with the
#     same store, up to COCKROACH_RESTARTS times; then the task ends.
#   - On SIGTERM cockroach drains; COCKROACH_HARD_STOP_SECONDS later a drain
#     still moving leases is stopped, well before Fargate's SIGKILL.
#
# Environment: COCKROACH_NODE_INDEX, COCKROACH_ZONE, COCKROACH_NAMESPACE,
#   COCKROACH_JOIN, COCKROACH_REGION, COCKROACH_CACHE, COCKROACH_MAX_SQL_MEMORY,
#   COCKROACH_CERTS_DIR, COCKROACH_STORE, COCKROACH_STATE_DIR,
#   COCKROACH_DATABASE, COCKROACH_APP_USER, COCKROACH_BACKUP_URI,
#   COCKROACH_SETTINGS_SQL, COCKROACH_SCHEMA_SQL, COCKROACH_SCHEDULE_SQL,
#   COCKROACH_HARD_STOP_SECONDS, COCKROACH_DEAD_NODE_SECONDS,
#   COCKROACH_RESTARTS, TMPDIR; COCKROACH_NODE_COUNT on node 0.
# Secrets (from ECS `secrets`; unset once used so cockroach does not inherit
# them): COCKROACH_CA_CRT, COCKROACH_NODE_CRT, COCKROACH_NODE_KEY,
#   COCKROACH_ROOT_CRT, COCKROACH_ROOT_KEY, COCKROACH_APP_PASSWORD,
#   COCKROACH_LICENSE_KEY (optional).
#
# The container's root filesystem is read-only: this script writes only under
# COCKROACH_CERTS_DIR and COCKROACH_STATE_DIR, and cockroach under
# COCKROACH_STORE (its logs, temp dirs and external I/O dir too, all left at
# their defaults under the store), each a task volume; TMPDIR is one as well.
# A write anywhere else fails (see Mounts in container.go, and the tests).
#
# Test hooks (unset in production):
#   COCKROACH_BIN, CURL_BIN     the executables (default: cockroach, curl)
#   EDSTACK_RETRY_SECONDS       pause between retries (default: 5)
#   EDSTACK_SWEEP_SECONDS       pause between sweeps (default: 300)
set -euo pipefail
umask 077

COCKROACH_BIN="${COCKROACH_BIN:-cockroach}"
CURL_BIN="${CURL_BIN:-curl}"
RETRY_SECONDS="${EDSTACK_RETRY_SECONDS:-5}"
SWEEP_SECONDS="${EDSTACK_SWEEP_SECONDS:-300}"

readonly SQL_PORT=26257 HTTP_PORT=8080
readonly CLIENT_TIMEOUT=120 # seconds for one cockroach client command
readonly WAITING_FOR_INIT='waiting for cluster initialization'

cockroach_pid='' caretaker_pid='' stopping=''
app_password='' license_key='' task_started_at=''
self_addr=''

log() { printf 'start.sh: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

check_inputs() {
  local name
  for name in COCKROACH_NODE_INDEX COCKROACH_ZONE COCKROACH_NAMESPACE COCKROACH_JOIN \
    COCKROACH_REGION COCKROACH_CACHE COCKROACH_MAX_SQL_MEMORY COCKROACH_CERTS_DIR \
    COCKROACH_STORE COCKROACH_STATE_DIR COCKROACH_DATABASE COCKROACH_APP_USER \
    COCKROACH_BACKUP_URI COCKROACH_SETTINGS_SQL COCKROACH_SCHEMA_SQL \
    COCKROACH_SCHEDULE_SQL COCKROACH_HARD_STOP_SECONDS COCKROACH_DEAD_NODE_SECONDS \
    COCKROACH_RESTARTS COCKROACH_CA_CRT COCKROACH_NODE_CRT COCKROACH_NODE_KEY \
    COCKROACH_ROOT_CRT COCKROACH_ROOT_KEY COCKROACH_APP_PASSWORD; do
    [[ -n ${!name:-} ]] || die "$name is required"
  done
  [[ $COCKROACH_NODE_INDEX =~ ^(0|[1-9][0-9]*)$ ]] ||
    die "COCKROACH_NODE_INDEX must be a whole number, not '$COCKROACH_NODE_INDEX'"
  if ((COCKROACH_NODE_INDEX == 0)); then
    [[ ${COCKROACH_NODE_COUNT:-} =~ ^[1-9][0-9]*$ ]] ||
      die "COCKROACH_NODE_COUNT must be a positive integer on node 0, not '${COCKROACH_NODE_COUNT:-}'"
  fi
  local n
  for n in COCKROACH_HARD_STOP_SECONDS COCKROACH_DEAD_NODE_SECONDS COCKROACH_RESTARTS; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, not '${!n}'"
  done
  for n in RETRY_SECONDS SWEEP_SECONDS; do
    [[ ${!n} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "EDSTACK_$n must be a number of seconds, not '${!n}'"
  done
  # The names go into SQL unquoted or double-quoted: plain identifiers only.
  [[ $COCKROACH_APP_USER =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "COCKROACH_APP_USER must match [a-z_][a-z0-9_]*, not '$COCKROACH_APP_USER'"
  [[ $COCKROACH_DATABASE =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "COCKROACH_DATABASE must match [a-z_][a-z0-9_]*, not '$COCKROACH_DATABASE'"
  [[ $COCKROACH_BACKUP_URI != *"'"* ]] || die "COCKROACH_BACKUP_URI must not contain a single quote"
  # Both values go into SQL string literals; never print them.
  [[ $COCKROACH_APP_PASSWORD =~ ^[A-Za-z0-9_-]+$ ]] ||
    die "COCKROACH_APP_PASSWORD may contain only letters, digits, '_' and '-'; refusing it"
  [[ ${COCKROACH_LICENSE_KEY:-} != *"'"* ]] ||
    die "COCKROACH_LICENSE_KEY must not contain a single quote; refusing it"
}

# write_pem FILE VAR MODE writes the PEM text held in variable VAR to
# $COCKROACH_CERTS_DIR/FILE with MODE, then unsets VAR.
write_pem() {
  local path=$COCKROACH_CERTS_DIR/$1 var=$2 mode=$3
  rm -f -- "$path"
  printf '%s\n' "${!var%$'\n'}" >"$path"
  chmod "$mode" "$path"
  unset "$var"
}

write_certs() {
  mkdir -p -- "$COCKROACH_CERTS_DIR"
  chmod 0700 "$COCKROACH_CERTS_DIR"
  write_pem ca.crt COCKROACH_CA_CRT 0644
  write_pem node.crt COCKROACH_NODE_CRT 0644
  write_pem node.key COCKROACH_NODE_KEY 0600
  write_pem client.root.crt COCKROACH_ROOT_CRT 0644
  write_pem client.root.key COCKROACH_ROOT_KEY 0600
  log "wrote TLS certificates and keys to $COCKROACH_CERTS_DIR"
}

# sql [ARGS...] runs cockroach sql as root against this node.
sql() {
  timeout "$CLIENT_TIMEOUT" "$COCKROACH_BIN" sql --certs-dir="$COCKROACH_CERTS_DIR" \
    --host="localhost:$SQL_PORT" "$@"
}

# query SQL prints the first column of the last row of a query's CSV
# result, or fails.
query() {
  local out
  out=$(sql --format=csv -e "$1" </dev/null 2>&1) || {
    log "query failed: ${out//$'\n'/ }"
    return 1
  }
  out=${out##*$'\n'}
  printf '%s\n' "${out%%,*}"
}

# ---- node 0: initialize a cluster exactly once --------------------------

# init_state HOST prints "waiting" when HOST's cockroach answers that it waits
# for cluster initialization, else "other" (answering as a member of a
# cluster, not answering, or no way to ask).
init_state() {
  local body
  body=$("$CURL_BIN" --silent --show-error --max-time 5 --cacert "$COCKROACH_CERTS_DIR/ca.crt" \
    "https://$1:$HTTP_PORT/health?ready=1" 2>/dev/null) || body=''
  if [[ $body == *"$WAITING_FOR_INIT"* ]]; then
    echo waiting
  else
    echo other
  fi
}

# maybe_init runs on node 0 until this node is part of a cluster: it
# initializes one only when all COCKROACH_NODE_COUNT nodes, itself included,
# answer that they wait for initialization. Any node that does not (a live
# member of an existing cluster, or a node that does not answer) keeps it
# from initializing, so it can never found a second cluster next to a live
# one; it then joins through --join as every other node does.
maybe_init() {
  local i waiting rounds=0 out
  if ! command -v "$CURL_BIN" >/dev/null 2>&1; then
    log "cannot ask the nodes whether a cluster exists ($CURL_BIN not found): not initializing; if this is a new cluster, initialize it by hand (README, 'Initializing by hand')"
    return 0
  fi
  while :; do
    if [[ $(init_state "localhost") != waiting ]] && sql -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
      log "this node is part of a cluster; no initialization"
      return 0
    fi
    waiting=0
    for ((i = 0; i < COCKROACH_NODE_COUNT; i++)); do
      [[ $(init_state "node-$i.$COCKROACH_NAMESPACE") == waiting ]] && waiting=$((waiting + 1))
    done
    if ((waiting == COCKROACH_NODE_COUNT)); then
      log "all $COCKROACH_NODE_COUNT nodes wait for cluster initialization: initializing"
      out=$(timeout "$CLIENT_TIMEOUT" "$COCKROACH_BIN" init --certs-dir="$COCKROACH_CERTS_DIR" \
        --host="localhost:$SQL_PORT" </dev/null 2>&1) || true
      case $out in
      *'Cluster successfully initialized'* | *'cluster has already been initialized'*)
        log "cluster initialized"
        return 0
        ;;
      esac
      log "cockroach init: ${out//$'\n'/ }"
    elif ((rounds % 12 == 0)); then
      log "$waiting of $COCKROACH_NODE_COUNT nodes wait for cluster initialization; initializing needs all of them, joining otherwise"
    fi
    rounds=$((rounds + 1))
    sleep "$RETRY_SECONDS"
  done
}

# ---- every node: establish, then keep the desired state -----------------

# established succeeds when the cluster holds the application database.
established() {
  [[ $(query "SELECT count(*) FROM [SHOW DATABASES] WHERE database_name = '$COCKROACH_DATABASE'") == 1 ]]
}

# establish returns once the cluster is established: restored from the
# latest backup when the collection holds one (every node was lost), new
# only when it provably holds none. A failed look at the backups is never
# taken for "no backups".
establish() {
  local restores backups
  while :; do
    if established; then
      return 0
    fi
    if ! restores=$(query "SELECT count(*) FROM [SHOW JOBS] WHERE job_type = 'RESTORE' AND status IN ('pending', 'running', 'paused', 'pause-requested', 'reverting')"); then
      sleep "$RETRY_SECONDS"
      continue
    fi
    if ((restores > 0)); then
      log "a restore is running; waiting for it"
    elif ! backups=$(query "SELECT count(*) FROM [SHOW BACKUPS IN '$COCKROACH_BACKUP_URI']"); then
      log "cannot list the backups; not starting an empty cluster while backups may exist"
    elif ((backups > 0)); then
      log "the cluster holds no data but the collection holds $backups backups: every node was lost; restoring the latest backup"
      sql -e "RESTORE FROM LATEST IN '$COCKROACH_BACKUP_URI' WITH detached" </dev/null >/dev/null 2>&1 ||
        log "starting the restore failed (another node may have started it); checking again"
    else
      log "no backups: this is a new cluster"
      return 0
    fi
    sleep "$RETRY_SECONDS"
  done
}

# apply_secret NAME SQL: runs SQL (holding a secret, given on stdin) unless a
# task that started later has applied NAME already, so a node that started
# before a licence renewal never overwrites the renewed key.
apply_secret() {
  local name=$1 text=$2 won out
  won=$(query "INSERT INTO edstack.applied (name, task_started_at) VALUES ('$name', to_timestamp($task_started_at)) ON CONFLICT (name) DO UPDATE SET task_started_at = excluded.task_started_at WHERE applied.task_started_at <= excluded.task_started_at RETURNING name") || return 1
  if [[ $won != "$name" ]]; then
    log "a task that started later has set the $name; keeping it"
    return 0
  fi
  if ! out=$(printf '%s\n' "$text" | sql 2>&1); then
    out=${out//"$app_password"/<redacted>}
    [[ -z $license_key ]] || out=${out//"$license_key"/<redacted>}
    log "setting the $name failed: ${out//$'\n'/ }"
    return 1
  fi
  log "set the $name"
}

# step NAME COMMAND...: runs one step of the desired state unless it has
# succeeded in this task already.
step() {
  local name=$1
  shift
  [[ ! -e $COCKROACH_STATE_DIR/done-$name ]] || return 0
  if "$@"; then
    : >"$COCKROACH_STATE_DIR/done-$name"
    log "step $name: done"
  else
    log "step $name: failed; retrying later"
    return 1
  fi
}

run_sql() {
  local out
  out=$(sql -e "$1" </dev/null 2>&1) || {
    log "${out//$'\n'/ }"
    return 1
  }
}
settings() { run_sql "$COCKROACH_SETTINGS_SQL"; }
schema() { run_sql "$COCKROACH_SCHEMA_SQL"; }
schedule() { run_sql "$COCKROACH_SCHEDULE_SQL"; }
password() {
  apply_secret password "ALTER USER \"$COCKROACH_APP_USER\" WITH PASSWORD '$app_password';"
}
licence() {
  [[ -n $license_key ]] || return 0
  apply_secret licence "SET CLUSTER SETTING enterprise.license = '$license_key';"
}

# desired_state applies every step; each failure leaves the others be.
desired_state() {
  local ok=0
  step settings settings || ok=1
  step schema schema || ok=1
  if [[ -e $COCKROACH_STATE_DIR/done-schema ]]; then
    step password password || ok=1
    step licence licence || ok=1
  fi
  step schedule schedule || ok=1
  return "$ok"
}

# decommission_dead CONDITION WHY decommissions the nodes that are neither
# live nor decommissioned and match CONDITION (SQL over gossip_liveness l and
# gossip_nodes n). A node counts as dead only when its liveness record
# expired more than 30 s ago (a live node renews it every few seconds) and it
# is not connected to gossip.
decommission_dead() {
  local ids out
  ids=$(sql --format=csv -e "SELECT l.node_id FROM crdb_internal.gossip_liveness AS l LEFT JOIN crdb_internal.gossip_nodes AS n USING (node_id) WHERE l.membership = 'active' AND NOT ifnull(n.is_live, false) AND l.node_id <> crdb_internal.node_id() AND split_part(l.expiration, ',', 1)::DECIMAL < extract(epoch FROM now())::DECIMAL - 30 AND ($1)" \
    </dev/null 2>&1) || {
    log "cannot list dead nodes: ${ids//$'\n'/ }"
    return 1
  }
  ids=$(printf '%s\n' "$ids" | grep -E '^[0-9]+$' | tr '\n' ' ' || true)
  ids=${ids% }
  [[ -n $ids ]] || return 0
  log "decommissioning node(s) $ids: $2"
  # shellcheck disable=SC2086 # one argument per node id
  out=$(timeout "$CLIENT_TIMEOUT" "$COCKROACH_BIN" node decommission $ids --wait=none --checks=skip \
    --certs-dir="$COCKROACH_CERTS_DIR" --host="localhost:$SQL_PORT" </dev/null 2>&1) || {
    log "decommission failed: ${out//$'\n'/ }"
    return 1
  }
}

caretaker() {
  if ((COCKROACH_NODE_INDEX == 0)); then
    maybe_init
  fi
  until sql -e 'SELECT 1' </dev/null >/dev/null 2>&1; do
    sleep "$RETRY_SECONDS"
  done
  log "this node serves SQL"
  establish
  until desired_state; do
    sleep "$RETRY_SECONDS"
  done
  log "desired state applied"
  until decommission_dead "n.address = '$self_addr'" "earlier holders of $self_addr"; do
    sleep "$RETRY_SECONDS"
  done
  while :; do
    sleep "$SWEEP_SECONDS"
    decommission_dead "split_part(l.expiration, ',', 1)::DECIMAL < extract(epoch FROM now())::DECIMAL - $COCKROACH_DEAD_NODE_SECONDS" \
      "dead for more than ${COCKROACH_DEAD_NODE_SECONDS}s" || true
  done
}

# ---- the cockroach process ----------------------------------------------

start_cockroach() {
  local args=(
    start
    --certs-dir="$COCKROACH_CERTS_DIR"
    --store=path="$COCKROACH_STORE"
    --listen-addr=":$SQL_PORT"
    --http-addr=":$HTTP_PORT"
    --advertise-addr="$self_addr"
    --join="$COCKROACH_JOIN"
    --locality="region=$COCKROACH_REGION,zone=$COCKROACH_ZONE"
    --cache="$COCKROACH_CACHE"
    --max-sql-memory="$COCKROACH_MAX_SQL_MEMORY"
    --logtostderr=INFO
  )
  log "starting: cockroach ${args[*]}"
  "$COCKROACH_BIN" "${args[@]}" &
  cockroach_pid=$!
  printf '%s\n' "$cockroach_pid" >"$COCKROACH_STATE_DIR/cockroach.pid"
}

# hard_stop ends a drain that runs past COCKROACH_HARD_STOP_SECONDS: the
# lease transfer phase has no bound of its own.
hard_stop() {
  local pid=$1
  sleep "$COCKROACH_HARD_STOP_SECONDS"
  if kill -0 "$pid" 2>/dev/null; then
    log "drain still running after ${COCKROACH_HARD_STOP_SECONDS}s; stopping cockroach now"
    kill -s KILL "$pid" 2>/dev/null || true
  fi
}

on_signal() {
  local sig=$1
  stopping=$sig
  if [[ -z $cockroach_pid ]]; then
    log "received SIG$sig before cockroach started; exiting"
    exit $((128 + $(kill -l "$sig")))
  fi
  log "received SIG$sig; forwarding it to cockroach (pid $cockroach_pid), which drains"
  kill -s "$sig" "$cockroach_pid" 2>/dev/null || true
  hard_stop "$cockroach_pid" &
}
on_term() { on_signal TERM; }
on_int() { on_signal INT; }

# wait_for_cockroach returns cockroach's exit status.
wait_for_cockroach() {
  local status again
  while :; do
    status=0
    wait "$cockroach_pid" || status=$?
    ((status > 128)) || return "$status"
    # Above 128 is either cockroach's own status or wait returning early for a
    # trapped signal. In the second case cockroach is still draining, or has
    # just exited and a second wait returns its status.
    if kill -0 "$cockroach_pid" 2>/dev/null; then
      continue
    fi
    again=0
    wait "$cockroach_pid" 2>/dev/null || again=$?
    ((again == 127)) || status=$again
    return "$status"
  done
}

# supervise runs cockroach until it is told to stop, restarting it in this
# task (same store) when it exits on its own, at most COCKROACH_RESTARTS
# times. It returns cockroach's last exit status.
supervise() {
  local status restarts=0
  while :; do
    start_cockroach
    status=0
    wait_for_cockroach || status=$?
    rm -f -- "$COCKROACH_STATE_DIR/cockroach.pid"
    if [[ -n $stopping ]]; then
      return "$status"
    fi
    if ((restarts >= COCKROACH_RESTARTS)); then
      log "cockroach exited with status $status, and was restarted $restarts times already; giving up, the task ends"
      return $((status == 0 ? 1 : status))
    fi
    restarts=$((restarts + 1))
    log "cockroach exited on its own with status $status; restarting it in this task with the same store ($restarts of $COCKROACH_RESTARTS)"
    sleep "$RETRY_SECONDS"
  done
}

main() {
  trap on_term TERM
  trap on_int INT

  task_started_at=$(date +%s)
  check_inputs
  app_password=$COCKROACH_APP_PASSWORD
  license_key=${COCKROACH_LICENSE_KEY:-}
  unset COCKROACH_APP_PASSWORD COCKROACH_LICENSE_KEY
  write_certs
  mkdir -p -- "$COCKROACH_STATE_DIR"
  self_addr="node-$COCKROACH_NODE_INDEX.$COCKROACH_NAMESPACE:$SQL_PORT"
  log "this task is node $COCKROACH_NODE_INDEX ($self_addr) in $COCKROACH_ZONE"

  # cockroach reads some COCKROACH_* variables as flag defaults (for example
  # COCKROACH_CERTS_DIR); it is configured by its flags alone.
  local name
  for name in "${!COCKROACH_@}"; do
    [[ $name == COCKROACH_BIN ]] || export -n "${name?}"
  done

  caretaker &
  caretaker_pid=$!

  local status=0
  supervise || status=$?
  kill "$caretaker_pid" 2>/dev/null || true
  unset app_password license_key
  log "cockroach exited with status $status"
  return "$status"
}

main "$@"
