#!/usr/bin/env bash
# Entrypoint of a CockroachDB node on ECS Fargate, run as
# ["/bin/bash", "-c", "<this script>"]. Every node runs the same task
# definition; a task learns which node it is from DNS, where ECS registers
# node-<i>.<namespace> (Cloud Map) to the private IP of the task running node i.
#
# Environment:
#   COCKROACH_NODE_COUNT, COCKROACH_NAMESPACE, COCKROACH_JOIN, COCKROACH_REGION,
#   COCKROACH_CACHE, COCKROACH_MAX_SQL_MEMORY, COCKROACH_CERTS_DIR,
#   COCKROACH_STORE, COCKROACH_BOOTSTRAP_SQL, COCKROACH_APP_USER,
#   COCKROACH_REPLICATION_FACTOR, COCKROACH_REPLICATION_WAIT_SECONDS,
#   ECS_CONTAINER_METADATA_URI_V4 (set by Fargate).
# Secrets (from ECS `secrets`; unset once used so cockroach does not inherit them):
#   COCKROACH_CA_CRT, COCKROACH_NODE_CRT, COCKROACH_NODE_KEY, COCKROACH_ROOT_CRT,
#   COCKROACH_ROOT_KEY, COCKROACH_APP_PASSWORD, COCKROACH_LICENSE_KEY (optional).
#
# Test hooks (unset in production):
#   COCKROACH_BIN               the cockroach executable (default: cockroach)
#   GETENT_BIN                  the getent executable (default: getent)
#   EDSTACK_TEST_METADATA_FILE  read the task metadata JSON from this file
#                               instead of the task metadata endpoint
#   EDSTACK_RETRY_SECONDS       pause between retries (default: 5)
set -euo pipefail
umask 077

COCKROACH_BIN="${COCKROACH_BIN:-cockroach}"
GETENT_BIN="${GETENT_BIN:-getent}"
RETRY_SECONDS="${EDSTACK_RETRY_SECONDS:-5}"

readonly SQL_PORT=26257 HTTP_PORT=8080
readonly METADATA_ATTEMPTS=12 # a minute at the default pause
readonly DNS_ATTEMPTS=36      # three minutes at the default pause
readonly CLIENT_TIMEOUT=120   # seconds for one run of cockroach init or sql

cockroach_pid='' bootstrap_pid=''
zone='' task_ip='' node_index=''
app_password='' license_key=''

log() { printf 'start.sh: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

check_inputs() {
  : "${COCKROACH_NODE_COUNT:?start.sh: COCKROACH_NODE_COUNT is required}"
  : "${COCKROACH_NAMESPACE:?start.sh: COCKROACH_NAMESPACE is required}"
  : "${COCKROACH_JOIN:?start.sh: COCKROACH_JOIN is required}"
  : "${COCKROACH_REGION:?start.sh: COCKROACH_REGION is required}"
  : "${COCKROACH_CACHE:?start.sh: COCKROACH_CACHE is required}"
  : "${COCKROACH_MAX_SQL_MEMORY:?start.sh: COCKROACH_MAX_SQL_MEMORY is required}"
  : "${COCKROACH_CERTS_DIR:?start.sh: COCKROACH_CERTS_DIR is required}"
  : "${COCKROACH_STORE:?start.sh: COCKROACH_STORE is required}"
  : "${COCKROACH_BOOTSTRAP_SQL:?start.sh: COCKROACH_BOOTSTRAP_SQL is required}"
  : "${COCKROACH_APP_USER:?start.sh: COCKROACH_APP_USER is required}"
  : "${COCKROACH_REPLICATION_FACTOR:?start.sh: COCKROACH_REPLICATION_FACTOR is required}"
  : "${COCKROACH_REPLICATION_WAIT_SECONDS:?start.sh: COCKROACH_REPLICATION_WAIT_SECONDS is required}"
  : "${ECS_CONTAINER_METADATA_URI_V4:?start.sh: ECS_CONTAINER_METADATA_URI_V4 is required}"
  : "${COCKROACH_CA_CRT:?start.sh: COCKROACH_CA_CRT is required}"
  : "${COCKROACH_NODE_CRT:?start.sh: COCKROACH_NODE_CRT is required}"
  : "${COCKROACH_NODE_KEY:?start.sh: COCKROACH_NODE_KEY is required}"
  : "${COCKROACH_ROOT_CRT:?start.sh: COCKROACH_ROOT_CRT is required}"
  : "${COCKROACH_ROOT_KEY:?start.sh: COCKROACH_ROOT_KEY is required}"
  : "${COCKROACH_APP_PASSWORD:?start.sh: COCKROACH_APP_PASSWORD is required}"

  [[ $COCKROACH_NODE_COUNT =~ ^[1-9][0-9]*$ ]] ||
    die "COCKROACH_NODE_COUNT must be a positive integer, not '$COCKROACH_NODE_COUNT'"
  [[ $COCKROACH_REPLICATION_FACTOR =~ ^[1-9][0-9]*$ ]] ||
    die "COCKROACH_REPLICATION_FACTOR must be a positive integer, not '$COCKROACH_REPLICATION_FACTOR'"
  [[ $COCKROACH_REPLICATION_WAIT_SECONDS =~ ^[0-9]+$ ]] ||
    die "COCKROACH_REPLICATION_WAIT_SECONDS must be a whole number of seconds, not '$COCKROACH_REPLICATION_WAIT_SECONDS'"
  [[ $RETRY_SECONDS =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
    die "EDSTACK_RETRY_SECONDS must be a number of seconds, not '$RETRY_SECONDS'"
  # The user is quoted in ALTER USER but unquoted in the bootstrap SQL, so it
  # must be a plain lower-case identifier for both to name the same user.
  [[ $COCKROACH_APP_USER =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "COCKROACH_APP_USER must match [a-z_][a-z0-9_]*, not '$COCKROACH_APP_USER'"
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

# http_get URL prints the body of a 200 response. The image has no curl, so
# this speaks HTTP/1.0 over bash's /dev/tcp.
http_get() {
  local url=$1 authority path host port=80 response
  if [[ ! $url =~ ^http://([^/]+)(/.*)?$ ]]; then
    log "not an http:// URL: $url"
    return 1
  fi
  authority=${BASH_REMATCH[1]}
  path=${BASH_REMATCH[2]:-/}
  host=${authority%:*}
  if [[ $authority == *:* ]]; then
    port=${authority##*:}
  fi
  {
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$authority" >&3 &&
      response=$(timeout 10 cat <&3)
  } 3<>"/dev/tcp/$host/$port" || return 1
  if [[ $response != HTTP/1.[01]' 200 '* ]]; then
    log "GET $url: ${response%%$'\r'*}"
    return 1
  fi
  printf '%s' "${response#*$'\r\n\r\n'}"
}

fetch_task_metadata() {
  if [[ -n ${EDSTACK_TEST_METADATA_FILE:-} ]]; then
    cat -- "$EDSTACK_TEST_METADATA_FILE"
  else
    http_get "$ECS_CONTAINER_METADATA_URI_V4/task"
  fi
}

# read_task_metadata sets zone and task_ip from the task metadata.
read_task_metadata() {
  local attempt json
  local zone_re='"AvailabilityZone"[[:space:]]*:[[:space:]]*"([^"]+)"'
  local ip_re='"IPv4Addresses"[[:space:]]*:[[:space:]]*\[[[:space:]]*"([0-9.]+)"'
  for ((attempt = 1; attempt <= METADATA_ATTEMPTS; attempt++)); do
    if json=$(fetch_task_metadata) && [[ $json =~ $zone_re ]]; then
      zone=${BASH_REMATCH[1]}
      if [[ $json =~ $ip_re ]]; then
        task_ip=${BASH_REMATCH[1]}
        log "task is in zone $zone with private IP $task_ip"
        return 0
      fi
    fi
    log "no AvailabilityZone and IPv4Addresses in the task metadata yet (attempt $attempt of $METADATA_ATTEMPTS)"
    sleep "$RETRY_SECONDS"
  done
  die "could not read this task's availability zone and private IPv4 address from the task metadata"
}

# nodes_resolving_to IP prints each i for which node-<i>.<namespace> resolves
# to IP.
nodes_resolving_to() {
  local ip=$1 i addr found=()
  for ((i = 0; i < COCKROACH_NODE_COUNT; i++)); do
    while read -r addr _; do
      if [[ $addr == "$ip" ]]; then
        found+=("$i")
        break
      fi
    done < <("$GETENT_BIN" hosts "node-$i.$COCKROACH_NAMESPACE" || true)
  done
  printf '%s\n' "${found[*]}"
}

# find_node_index sets node_index, waiting for ECS to register this task in
# DNS, and for a stale record of an earlier task with the same IP to go.
find_node_index() {
  local attempt found
  for ((attempt = 1; attempt <= DNS_ATTEMPTS; attempt++)); do
    found=$(nodes_resolving_to "$task_ip")
    case $found in
    '')
      log "no node-<i>.$COCKROACH_NAMESPACE resolves to $task_ip yet (attempt $attempt of $DNS_ATTEMPTS)"
      ;;
    *' '*)
      log "several node names resolve to $task_ip (nodes $found) (attempt $attempt of $DNS_ATTEMPTS)"
      ;;
    *)
      node_index=$found
      log "this task is node $node_index (node-$node_index.$COCKROACH_NAMESPACE)"
      return 0
      ;;
    esac
    sleep "$RETRY_SECONDS"
  done
  die "exactly one of node-0 to node-$((COCKROACH_NODE_COUNT - 1)).$COCKROACH_NAMESPACE must resolve to this task's IP $task_ip"
}

# replication_state prints "<under-replicated ranges> <live nodes>" as one
# of the other join nodes reports them, or fails when none answers (no
# cluster yet).
replication_state() {
  local host out
  local query="SELECT (SELECT COALESCE(sum((metrics->>'ranges.underreplicated')::INT8), 0) FROM crdb_internal.kv_store_status), (SELECT count(*) FROM crdb_internal.gossip_nodes WHERE is_live)"
  for host in ${COCKROACH_JOIN//,/ }; do
    [[ $host != "node-$node_index.$COCKROACH_NAMESPACE:$SQL_PORT" ]] || continue
    out=$(timeout 30 "$COCKROACH_BIN" sql --certs-dir="$COCKROACH_CERTS_DIR" --host="$host" \
      --format=csv -e "$query" </dev/null 2>/dev/null) || continue
    out=${out##*$'\n'} # the last line holds the values
    if [[ $out =~ ^([0-9]+),([0-9]+)$ ]]; then
      printf '%s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
      return 0
    fi
  done
  return 1
}

# wait_for_replication holds a replacement node back until the cluster has
# re-replicated the ranges of the node it replaces. ECS stops a node's old
# task before starting the new one and rolls the node services one at a
# time, so this wait is what keeps a rolling change from taking a second
# node's replicas while the first node's are still missing. It waits only
# while the other live nodes can hold every replica (live >= replication
# factor), and at most COCKROACH_REPLICATION_WAIT_SECONDS.
wait_for_replication() {
  local state under live deadline=$((SECONDS + COCKROACH_REPLICATION_WAIT_SECONDS))
  while ((COCKROACH_REPLICATION_WAIT_SECONDS > 0)); do
    if ! state=$(replication_state); then
      log "no other node answers; starting (a new cluster)"
      return 0
    fi
    read -r under live <<<"$state"
    if ((under == 0)); then
      log "no under-replicated ranges on $live live nodes; joining"
      return 0
    fi
    if ((live < COCKROACH_REPLICATION_FACTOR)); then
      log "$under under-replicated ranges, but only $live live nodes for a replication factor of $COCKROACH_REPLICATION_FACTOR: this node is needed; joining"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log "still $under under-replicated ranges after ${COCKROACH_REPLICATION_WAIT_SECONDS}s; joining anyway"
      return 0
    fi
    log "$under under-replicated ranges on $live live nodes; waiting for re-replication before joining"
    sleep "$RETRY_SECONDS"
  done
}

start_cockroach() {
  local args=(
    start
    --certs-dir="$COCKROACH_CERTS_DIR"
    --store=path="$COCKROACH_STORE"
    --listen-addr=":$SQL_PORT"
    --http-addr=":$HTTP_PORT"
    --advertise-addr="node-$node_index.$COCKROACH_NAMESPACE:$SQL_PORT"
    --join="$COCKROACH_JOIN"
    --locality="region=$COCKROACH_REGION,zone=$zone"
    --cache="$COCKROACH_CACHE"
    --max-sql-memory="$COCKROACH_MAX_SQL_MEMORY"
    --logtostderr=INFO
  )
  log "starting: cockroach ${args[*]}"
  "$COCKROACH_BIN" "${args[@]}" &
  cockroach_pid=$!
}

# init_cluster retries cockroach init until the cluster is initialized.
init_cluster() {
  local out
  while :; do
    out=$(timeout "$CLIENT_TIMEOUT" "$COCKROACH_BIN" init \
      --certs-dir="$COCKROACH_CERTS_DIR" \
      --host="node-0.$COCKROACH_NAMESPACE:$SQL_PORT" </dev/null 2>&1) || true
    case $out in
    *'Cluster successfully initialized'*)
      log "cluster initialized"
      return 0
      ;;
    *'cluster has already been initialized'*)
      log "cluster was already initialized"
      return 0
      ;;
    esac
    log "cockroach init: ${out//$'\n'/ }; retrying in ${RETRY_SECONDS}s"
    sleep "$RETRY_SECONDS"
  done
}

redact() {
  local text=$1
  text=${text//"$app_password"/<redacted>}
  if [[ -n $license_key ]]; then
    text=${text//"$license_key"/<redacted>}
  fi
  printf '%s' "$text"
}

secret_sql() {
  printf 'ALTER USER "%s" WITH PASSWORD '\''%s'\'';\n' "$COCKROACH_APP_USER" "$app_password"
  if [[ -n $license_key ]]; then
    printf 'SET CLUSTER SETTING enterprise.license = '\''%s'\'';\n' "$license_key"
  fi
}

run_bootstrap() {
  local out sql=("$COCKROACH_BIN" sql --certs-dir="$COCKROACH_CERTS_DIR" --host="localhost:$SQL_PORT")
  # cockroach sql -e runs its text line by line, so each statement (one per
  # line) gets its own implicit transaction, as SET CLUSTER SETTING needs.
  if ! out=$(timeout "$CLIENT_TIMEOUT" "${sql[@]}" -e "$COCKROACH_BOOTSTRAP_SQL" </dev/null 2>&1); then
    log "bootstrap SQL failed: ${out//$'\n'/ }"
    return 1
  fi
  # The secrets go in on stdin: a command line is readable by every process.
  if ! out=$(secret_sql | timeout "$CLIENT_TIMEOUT" "${sql[@]}" 2>&1); then
    out=$(redact "$out")
    log "setting the password of $COCKROACH_APP_USER or the licence failed: ${out//$'\n'/ }"
    return 1
  fi
}

# bootstrap_cluster runs on node 0, in the background.
bootstrap_cluster() {
  init_cluster
  until run_bootstrap; do
    log "retrying the bootstrap in ${RETRY_SECONDS}s"
    sleep "$RETRY_SECONDS"
  done
  log "bootstrap complete"
}

forward_signal() {
  local sig=$1
  if [[ -z $cockroach_pid ]]; then
    log "received SIG$sig before cockroach started; exiting"
    exit $((128 + $(kill -l "$sig")))
  fi
  log "received SIG$sig; forwarding it to cockroach (pid $cockroach_pid), which drains"
  kill -s "$sig" "$cockroach_pid" 2>/dev/null || true
}

on_term() { forward_signal TERM; }
on_int() { forward_signal INT; }

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

main() {
  trap on_term TERM
  trap on_int INT

  check_inputs
  app_password=$COCKROACH_APP_PASSWORD
  license_key=${COCKROACH_LICENSE_KEY:-}
  unset COCKROACH_APP_PASSWORD COCKROACH_LICENSE_KEY
  write_certs

  read_task_metadata
  find_node_index

  # cockroach reads some COCKROACH_* variables as flag defaults (for example
  # COCKROACH_CERTS_DIR); it is configured by its flags alone.
  export -n COCKROACH_NODE_COUNT COCKROACH_NAMESPACE COCKROACH_JOIN COCKROACH_REGION \
    COCKROACH_CACHE COCKROACH_MAX_SQL_MEMORY COCKROACH_CERTS_DIR COCKROACH_STORE \
    COCKROACH_BOOTSTRAP_SQL COCKROACH_APP_USER COCKROACH_REPLICATION_FACTOR \
    COCKROACH_REPLICATION_WAIT_SECONDS
  wait_for_replication
  start_cockroach
  if ((node_index == 0)); then
    bootstrap_cluster &
    bootstrap_pid=$!
  fi
  unset app_password license_key

  local status=0
  wait_for_cockroach || status=$?
  if [[ -n $bootstrap_pid ]]; then
    kill "$bootstrap_pid" 2>/dev/null || true
  fi
  log "cockroach exited with status $status"
  return "$status"
}

main "$@"
