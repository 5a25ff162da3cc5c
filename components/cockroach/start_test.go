//go:build unix

package cockroach

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

//go:embed start.sh
var startScriptForTest string

// Package-level names below start with "st" so that they cannot clash with
// the rest of the package.

const (
	stNamespace = "crdb.test.internal"
	stZone      = "ap-southeast-2b"
	stJoin      = "node-0.crdb.test.internal:26257,node-1.crdb.test.internal:26257,node-2.crdb.test.internal:26257,lb.example:26257"
	stPassword  = "S3cretPassw0rd"
	stLicense   = "crl-0-TESTLICENCEKEY"
	stKeyMarker = "NODE-KEY-SECRET-MATERIAL"
	stBackupURI = "s3://backups/cockroach?AUTH=implicit&AWS_REGION=ap-southeast-2"
	stTimeout   = 10 * time.Second
)

func stPEM(kind, body string) string {
	return fmt.Sprintf("-----BEGIN %s-----\n%s\n-----END %s-----\n", kind, body, kind)
}

var stPEMs = map[string]string{
	"COCKROACH_CA_CRT":   stPEM("CERTIFICATE", "CA"),
	"COCKROACH_NODE_CRT": stPEM("CERTIFICATE", "NODE"),
	"COCKROACH_NODE_KEY": stPEM("PRIVATE KEY", stKeyMarker),
	"COCKROACH_ROOT_CRT": stPEM("CERTIFICATE", "ROOT"),
	"COCKROACH_ROOT_KEY": stPEM("PRIVATE KEY", "ROOT-KEY-SECRET-MATERIAL"),
}

func stShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// stCockroachStub stands in for cockroach, driven by files in dir, and
// records each invocation as one line of calls.log:
//   - start: writes its environment to start.env, records SIGTERM in term,
//     runs until then (or, while crashes holds a positive count, exits 3 on
//     its own); with ignore_term it ignores SIGTERM (a drain that hangs).
//     It writes what cockroach start writes, where its flags put it: the
//     store, and its logs, temp dir and external I/O dir, under the store
//     unless --log-dir, --temp-dir or --external-io-dir say otherwise, and
//     a socket, pid file or URL file when asked for one.
//   - init: creates initialized and removes uninitialized.
//   - sql: fails while uninitialized or sql_down exist; answers the
//     script's queries from files (db, restores, backups, predecessors,
//     dead, newer_<name>); RESTORE marks the database restored; every
//     other statement is appended to sql.log (fail_schedule fails the
//     schedule).
func stCockroachStub(dir string) string {
	return `#!/usr/bin/env bash
dir=` + stShellQuote(dir) + `
val() { cat "$dir/$1" 2>/dev/null || echo "${2-0}"; }
args="$*"
case $1 in
start)
	trap 'echo TERM >>"$dir/term"; [[ -e $dir/ignore_term ]] || exit 0' TERM
	env >"$dir/start.env"
	printf '%s\n' "$args" >>"$dir/calls.log"
	store= logs= temp= extern=
	for a in "$@"; do
		case $a in
		--store=path=*) store=${a#--store=path=}; store=${store%%,*} ;;
		--log-dir=*) logs=${a#*=} ;;
		--temp-dir=*) temp=${a#*=} ;;
		--external-io-dir=*) extern=${a#*=} ;;
		--socket-dir=*) mkdir -p "${a#*=}"; : >"${a#*=}/.s.PGSQL.26257" ;;
		--pid-file=* | --listening-url-file=*) : >"${a#*=}" ;;
		esac
	done
	mkdir -p "$store/auxiliary" "${logs:=$store/logs}" "${temp:-$store}/cockroach-temp1" "${extern:-$store/extern}"
	: >"$store/cockroach.advertise-addr"; : >"$logs/cockroach.log"; : >"$store/temp-dirs-record.txt"
	n=$(val crashes)
	if ((n > 0)); then echo $((n - 1)) >"$dir/crashes"; sleep 0.05; exit 3; fi
	while :; do sleep 0.02; done
	;;
init)
	printf '%s\n' "$args" >>"$dir/calls.log"
	touch "$dir/initialized"; rm -f "$dir/uninitialized"
	echo 'Cluster successfully initialized'
	;;
node)
	printf '%s\n' "$args" >>"$dir/calls.log"
	;;
sql)
	sql=
	while (($#)); do
		if [[ $1 == -e ]]; then sql=$2; shift; fi
		shift
	done
	[[ -n $sql ]] || sql=$(cat)
	[[ -e $dir/uninitialized || -e $dir/sql_down ]] && exit 1
	case $sql in
	'SELECT 1') echo 1 ;;
	*'SHOW DATABASES'*) printf 'count\n%s\n' "$(val db)" ;;
	*'SHOW JOBS'*) printf 'count\n%s\n' "$(val restores)" ;;
	*'SHOW BACKUPS'*) [[ -e $dir/backups_error ]] && exit 1; printf 'count\n%s\n' "$(val backups)" ;;
	*'RESTORE FROM LATEST'*) printf '%s\n--\n' "$sql" >>"$dir/sql.log"; echo 1 >"$dir/db" ;;
	*'INSERT INTO edstack.applied'*)
		name=password; [[ $sql == *"'licence'"* ]] && name=licence
		if [[ -e $dir/newer_$name ]]; then echo name; else printf 'name\n%s\n' "$name"; fi ;;
	*'gossip_liveness'*)
		if [[ $sql == *'n.address ='* ]]; then printf 'node_id\n%s\n' "$(val predecessors '')"
		else printf 'node_id\n%s\n' "$(val dead '')"; fi ;;
	*)
		[[ $sql == *'CREATE SCHEDULE'* && -e $dir/fail_schedule ]] && { echo 'ERROR: schedule says no'; exit 1; }
		printf '%s\n--\n' "$sql" >>"$dir/sql.log"
		[[ $sql == *"CREATE DATABASE IF NOT EXISTS app"* ]] && echo 1 >"$dir/db"
		;;
	esac
	;;
esac
exit 0
`
}

// stCurlStub answers /health?ready=1: "waiting" from every host while
// uninitialized exists, else "ready" from hosts listed in up (all when up
// is missing), and no answer from the others.
func stCurlStub(dir string) string {
	return `#!/usr/bin/env bash
dir=` + stShellQuote(dir) + `
url=${*: -1}
host=${url#https://}; host=${host%%:*}
printf '%s\n' "$host" >>"$dir/curl.log"
if [[ -e $dir/uninitialized ]]; then
	echo '{"error": "node is waiting for cluster initialization", "code": 14}'; exit 0
fi
if [[ -e $dir/up ]] && ! grep -qx "$host" "$dir/up"; then exit 7; fi
echo '{"nodeId": 3}'
`
}

type stEnv struct {
	dir  string
	vars map[string]string
	// cwd is the script's working directory; empty for the test's own.
	cwd string
}

// newSTEnv prepares a temp dir with stubs and the script's environment for
// node self of a three-node deployment.
func newSTEnv(t *testing.T, self int) *stEnv {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "cockroach"), []byte(stCockroachStub(dir)), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"), []byte(stCurlStub(dir)), 0o755))
	b := Bootstrap{ReplicationFactor: 3, Database: "app", User: "app", BackupURI: stBackupURI, Shutdown: DefaultShutdown}
	vars := map[string]string{
		"PATH":                        os.Getenv("PATH"),
		"HOME":                        dir,
		"COCKROACH_NODE_INDEX":        fmt.Sprint(self),
		"COCKROACH_ZONE":              stZone,
		"COCKROACH_NAMESPACE":         stNamespace,
		"COCKROACH_JOIN":              stJoin,
		"COCKROACH_REGION":            "ap-southeast-2",
		"COCKROACH_CACHE":             ".25",
		"COCKROACH_MAX_SQL_MEMORY":    ".25",
		"COCKROACH_CERTS_DIR":         filepath.Join(dir, "certs"),
		"COCKROACH_STORE":             filepath.Join(dir, "data"),
		"COCKROACH_STATE_DIR":         filepath.Join(dir, "state"),
		"COCKROACH_DATABASE":          "app",
		"COCKROACH_APP_USER":          "app",
		"COCKROACH_BACKUP_URI":        stBackupURI,
		"COCKROACH_SETTINGS_SQL":      b.SettingsSQL(),
		"COCKROACH_SCHEMA_SQL":        b.SchemaSQL(),
		"COCKROACH_SCHEDULE_SQL":      b.ScheduleSQL(),
		"COCKROACH_HARD_STOP_SECONDS": "100",
		"COCKROACH_DEAD_NODE_SECONDS": "675",
		"COCKROACH_RESTARTS":          "2",
		"COCKROACH_APP_PASSWORD":      stPassword,
		"COCKROACH_BIN":               filepath.Join(bin, "cockroach"),
		"CURL_BIN":                    filepath.Join(bin, "curl"),
		"EDSTACK_RETRY_SECONDS":       "0.02",
		"EDSTACK_SWEEP_SECONDS":       "0.05",
	}
	if self == 0 {
		vars["COCKROACH_NODE_COUNT"] = "3"
	}
	for k, v := range stPEMs {
		vars[k] = v
	}
	return &stEnv{dir: dir, vars: vars}
}

// establishedEnv is newSTEnv for a node of an established cluster (its
// application database exists), with more control files as name, content
// pairs.
func establishedEnv(t *testing.T, self int, files ...string) *stEnv {
	t.Helper()
	e := newSTEnv(t, self)
	e.set(t, "db", "1")
	for i := 0; i+1 < len(files); i += 2 {
		e.set(t, files[i], files[i+1])
	}
	return e
}

// set writes a control file of the stubs.
func (e *stEnv) set(t *testing.T, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(e.path(name), []byte(content), 0o644))
}

func (e *stEnv) path(name string) string { return filepath.Join(e.dir, name) }

func (e *stEnv) read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(e.path(name))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	require.NoError(t, err)
	return string(b)
}

// calls returns the recorded cockroach invocations whose subcommand is cmd.
func (e *stEnv) calls(t *testing.T, cmd string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(e.read(t, "calls.log"), "\n") {
		if strings.HasPrefix(line, cmd+" ") {
			out = append(out, line)
		}
	}
	return out
}

type stRun struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// start runs the embedded script as ECS does (bash -c) in its own process
// group, which is killed when the test ends.
func (e *stEnv) start(t *testing.T) *stRun {
	t.Helper()
	cmd := exec.Command("bash", "-c", startScriptForTest)
	cmd.Dir = e.cwd
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// Files rather than pipes, so Wait does not wait for grandchildren.
	stdout, err := os.Create(e.path("stdout"))
	require.NoError(t, err)
	stderr, err := os.Create(e.path("stderr"))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	r := &stRun{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-r.done
		_ = stdout.Close()
		_ = stderr.Close()
	})
	return r
}

// exitCode waits for the script to exit.
func (r *stRun) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
		return r.cmd.ProcessState.ExitCode()
	case <-time.After(stTimeout):
		require.FailNow(t, "start.sh did not exit in time")
		return -1
	}
}

func (e *stEnv) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, stTimeout, 10*time.Millisecond,
		"waiting for %s; stderr:\n%s", what, e.read(t, "stderr"))
}

func (e *stEnv) assertNoSecretsLeaked(t *testing.T) {
	t.Helper()
	for _, file := range []string{"stderr", "stdout", "calls.log", "start.env"} {
		text := e.read(t, file)
		assert.NotContains(t, text, stPassword, "password in %s", file)
		assert.NotContains(t, text, stLicense, "licence in %s", file)
		assert.NotContains(t, text, stKeyMarker, "node key in %s", file)
	}
	env := e.read(t, "start.env")
	for name := range stPEMs {
		assert.NotContains(t, env, name+"=", "cockroach inherited %s", name)
	}
	assert.NotContains(t, env, "COCKROACH_APP_PASSWORD=")
	assert.NotContains(t, env, "COCKROACH_LICENSE_KEY=")
}

func TestStartScriptShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not installed")
	}
	out, err := exec.Command("shellcheck", "-s", "bash", "start.sh").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Empty(t, string(out))
}

func stRequireBash(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
}

func (e *stEnv) stderrHas(text string) func() bool {
	return func() bool {
		b, _ := os.ReadFile(e.path("stderr"))
		return strings.Contains(string(b), text)
	}
}

func (e *stEnv) stop(t *testing.T, r *stRun) {
	t.Helper()
	require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 0, r.exitCode(t), "stderr:\n%s", e.read(t, "stderr"))
	assert.Contains(t, e.read(t, "term"), "TERM", "cockroach got no SIGTERM")
}

// A node of an established cluster: flags, certificates, the desired state
// applied, no init, SIGTERM forwarded.
func TestStartScriptJoinsAnEstablishedCluster(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 1)
	e.vars["COCKROACH_LICENSE_KEY"] = stLicense
	r := e.start(t)
	e.waitFor(t, "the desired state", e.stderrHas("start.sh: desired state applied"))

	args := strings.Fields(e.calls(t, "start")[0])
	certs := e.vars["COCKROACH_CERTS_DIR"]
	for _, want := range []string{
		"--advertise-addr=node-1." + stNamespace + ":26257",
		"--locality=region=ap-southeast-2,zone=" + stZone,
		"--join=" + stJoin, "--cache=.25", "--max-sql-memory=.25", "--certs-dir=" + certs,
		"--store=path=" + e.vars["COCKROACH_STORE"], "--listen-addr=:26257", "--http-addr=:8080", "--logtostderr=INFO",
	} {
		assert.Contains(t, args, want)
	}
	assert.NotContains(t, strings.Join(args, " "), "--insecure")
	info, err := os.Stat(certs)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "certs dir")
	for name, want := range map[string]struct {
		env  string
		mode os.FileMode
	}{
		"ca.crt": {"COCKROACH_CA_CRT", 0o644}, "node.crt": {"COCKROACH_NODE_CRT", 0o644}, "node.key": {"COCKROACH_NODE_KEY", 0o600},
		"client.root.crt": {"COCKROACH_ROOT_CRT", 0o644}, "client.root.key": {"COCKROACH_ROOT_KEY", 0o600},
	} {
		info, err := os.Stat(filepath.Join(certs, name))
		require.NoError(t, err, name)
		assert.Equal(t, want.mode, info.Mode().Perm(), name)
		content, _ := os.ReadFile(filepath.Join(certs, name))
		assert.Equal(t, stPEMs[want.env], string(content), name)
	}

	sql := e.read(t, "sql.log")
	assert.Contains(t, sql, "num_replicas = 3")
	assert.Contains(t, sql, "SET CLUSTER SETTING server.shutdown.jobs.timeout = '5s'")
	assert.Contains(t, sql, "CREATE SCHEDULE IF NOT EXISTS edstack_backup")
	assert.Contains(t, sql, `ALTER USER "app" WITH PASSWORD '`+stPassword+`';`)
	assert.Contains(t, sql, "SET CLUSTER SETTING enterprise.license = '"+stLicense+"';")
	assert.NotContains(t, sql, "RESTORE", "an established cluster is never restored")
	assert.Empty(t, e.calls(t, "init"), "only node 0 initializes")
	assert.Empty(t, e.read(t, "curl.log"), "only node 0 asks about initialization")
	e.stop(t, r)
	e.assertNoSecretsLeaked(t)
}

// The first boot of a new cluster: node 0 initializes once every node waits
// for it, finds no backup, and bootstraps.
func TestStartScriptFirstBoot(t *testing.T) {
	stRequireBash(t)
	e := newSTEnv(t, 0)
	e.set(t, "uninitialized", "")
	r := e.start(t)
	e.waitFor(t, "the desired state", e.stderrHas("start.sh: desired state applied"))

	inits := e.calls(t, "init")
	require.Len(t, inits, 1, "initialized exactly once")
	assert.Contains(t, strings.Fields(inits[0]), "--host=localhost:26257")
	assert.NotContains(t, inits[0], "--insecure")
	asked := e.read(t, "curl.log")
	for i := range 3 {
		assert.Contains(t, asked, fmt.Sprintf("node-%d.%s\n", i, stNamespace), "every node is asked")
	}
	assert.Contains(t, e.read(t, "stderr"), "start.sh: no backups: this is a new cluster")
	sql := e.read(t, "sql.log")
	assert.Contains(t, sql, "CREATE DATABASE IF NOT EXISTS app")
	assert.Less(t, strings.Index(sql, "CREATE DATABASE IF NOT EXISTS app"), strings.Index(sql, "ALTER USER"), "the user exists before its password is set")
	e.stop(t, r)
	e.assertNoSecretsLeaked(t)
}

// A replacement node 0 next to live nodes must never initialize: a node that
// is not waiting for initialization (a live member) keeps it from it.
func TestStartScriptReplacementNodeZeroNeverInitializes(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 0, "predecessors", "4\n")
	r := e.start(t)
	e.waitFor(t, "the predecessor's decommission", func() bool { return len(e.calls(t, "node")) > 0 })
	assert.Empty(t, e.calls(t, "init"))
	assert.Contains(t, e.read(t, "stderr"), "start.sh: this node is part of a cluster; no initialization")
	dec := strings.Fields(e.calls(t, "node")[0])
	assert.Equal(t, []string{"node", "decommission", "4", "--wait=none", "--checks=skip"}, dec[:5])
	e.stop(t, r)

	// Nodes that do not answer keep node 0 from initializing too.
	e = newSTEnv(t, 0)
	e.set(t, "uninitialized", "")
	require.NoError(t, os.Remove(e.vars["CURL_BIN"]))
	require.NoError(t, os.WriteFile(e.vars["CURL_BIN"], []byte(strings.Replace(stCurlStub(e.dir),
		"if [[ -e $dir/uninitialized ]]; then", `if [[ $host == node-2.* ]]; then exit 7; fi
if [[ -e $dir/uninitialized ]]; then`, 1)), 0o755))
	r = e.start(t)
	e.waitFor(t, "node 0 to report", e.stderrHas("2 of 3 nodes wait for cluster initialization; initializing needs all of them"))
	time.Sleep(200 * time.Millisecond)
	assert.Empty(t, e.calls(t, "init"))
	e.stop(t, r)
}

// Total loss: every node is new, and the collection holds backups. The
// cluster is restored before anything else, and never bootstrapped empty.
func TestStartScriptRestoresAfterTotalLoss(t *testing.T) {
	stRequireBash(t)
	e := newSTEnv(t, 0)
	e.set(t, "uninitialized", "")
	e.set(t, "backups", "26")
	r := e.start(t)
	e.waitFor(t, "the desired state", e.stderrHas("start.sh: desired state applied"))
	assert.Len(t, e.calls(t, "init"), 1)
	sql := e.read(t, "sql.log")
	restore := strings.Index(sql, "RESTORE FROM LATEST IN '"+stBackupURI+"' WITH detached")
	require.GreaterOrEqual(t, restore, 0, sql)
	assert.Less(t, restore, strings.Index(sql, "CREATE DATABASE IF NOT EXISTS app"), "restore first")
	assert.Less(t, restore, strings.Index(sql, "CREATE SCHEDULE"), "no schedule before the restore")
	assert.Contains(t, sql, "RESUME SCHEDULES", "restored schedules come back paused")
	e.stop(t, r)

	// When the backups cannot be listed, the cluster stays empty and closed.
	e = newSTEnv(t, 1)
	e.set(t, "backups_error", "")
	r = e.start(t)
	e.waitFor(t, "the refusal", e.stderrHas("cannot list the backups; not starting an empty cluster"))
	time.Sleep(100 * time.Millisecond)
	assert.NotContains(t, e.read(t, "sql.log"), "CREATE DATABASE")
	assert.NotContains(t, e.read(t, "sql.log"), "CREATE SCHEDULE")
	assert.NotContains(t, e.read(t, "sql.log"), "ALTER USER")
	e.stop(t, r)
}

// Each step stands alone: a failing backup schedule holds back neither the
// password nor the licence; a licence set by a later task is kept.
func TestStartScriptStepsAreIndependent(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 2, "fail_schedule", "", "newer_licence", "")
	e.vars["COCKROACH_LICENSE_KEY"] = stLicense
	r := e.start(t)
	e.waitFor(t, "the password", e.stderrHas("start.sh: set the password"))
	e.waitFor(t, "the licence decision", e.stderrHas("a task that started later has set the licence; keeping it"))
	e.waitFor(t, "a schedule retry", e.stderrHas("step schedule: failed; retrying later"))
	assert.NotContains(t, e.read(t, "sql.log"), "enterprise.license")
	e.stop(t, r)
	e.assertNoSecretsLeaked(t)
}

// Dead nodes are decommissioned by the periodic sweep.
func TestStartScriptSweepsDeadNodes(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 1, "dead", "7\n9\n")
	r := e.start(t)
	e.waitFor(t, "the sweep", func() bool { return len(e.calls(t, "node")) > 0 })
	assert.Contains(t, e.calls(t, "node")[0], "node decommission 7 9 --wait=none --checks=skip")
	assert.Contains(t, e.read(t, "stderr"), "dead for more than 675s")
	e.stop(t, r)
}

// A cockroach that exits on its own is restarted in the same task; after
// COCKROACH_RESTARTS restarts the script gives up and the task ends.
func TestStartScriptRestartsCockroachInPlace(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 1, "crashes", "1")
	r := e.start(t)
	e.waitFor(t, "the restart", func() bool { return len(e.calls(t, "start")) == 2 })
	assert.Contains(t, e.read(t, "stderr"), "restarting it in this task with the same store (1 of 2)")
	starts := e.calls(t, "start")
	assert.Equal(t, starts[0], starts[1], "same flags, same store")
	e.stop(t, r)

	e = establishedEnv(t, 1, "crashes", "9")
	r = e.start(t)
	assert.Equal(t, 3, r.exitCode(t))
	assert.Len(t, e.calls(t, "start"), 3)
	assert.Contains(t, e.read(t, "stderr"), "giving up, the task ends")
}

// A drain that outlives COCKROACH_HARD_STOP_SECONDS is stopped.
func TestStartScriptBoundsTheDrain(t *testing.T) {
	stRequireBash(t)
	e := establishedEnv(t, 1, "ignore_term", "")
	e.vars["COCKROACH_HARD_STOP_SECONDS"] = "1"
	r := e.start(t)
	e.waitFor(t, "cockroach start", func() bool { return len(e.calls(t, "start")) == 1 })
	require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
	began := time.Now()
	assert.Equal(t, 128+9, r.exitCode(t))
	assert.Less(t, time.Since(began), 5*time.Second)
	assert.Contains(t, e.read(t, "stderr"), "drain still running after 1s; stopping cockroach now")
	assert.Len(t, e.calls(t, "start"), 1, "a stopping node is not restarted")
}

func TestStartScriptRefusesUnsafeSecrets(t *testing.T) {
	stRequireBash(t)
	tests := []struct{ variable, value string }{
		{"COCKROACH_APP_PASSWORD", "bad'pass"},
		{"COCKROACH_APP_PASSWORD", "bad pass"},
		{"COCKROACH_LICENSE_KEY", "crl-0-it's-bad"},
	}
	for _, tt := range tests {
		t.Run(tt.variable+" "+tt.value, func(t *testing.T) {
			e := newSTEnv(t, 1)
			e.vars[tt.variable] = tt.value
			r := e.start(t)
			assert.NotEqual(t, 0, r.exitCode(t))
			stderr := e.read(t, "stderr")
			assert.Contains(t, stderr, tt.variable)
			assert.NotContains(t, stderr, tt.value, "the refused value is printed")
			assert.Empty(t, e.read(t, "calls.log"), "cockroach ran")
			assert.NoDirExists(t, e.vars["COCKROACH_CERTS_DIR"], "certs written before validation")
		})
	}
}

func TestStartScriptRequiresInputs(t *testing.T) {
	stRequireBash(t)
	for _, name := range []string{"COCKROACH_JOIN", "COCKROACH_NODE_KEY", "COCKROACH_NODE_INDEX", "COCKROACH_BACKUP_URI"} {
		t.Run(name, func(t *testing.T) {
			e := newSTEnv(t, 1)
			delete(e.vars, name)
			r := e.start(t)
			assert.NotEqual(t, 0, r.exitCode(t))
			assert.Contains(t, e.read(t, "stderr"), "start.sh: "+name+" is required")
			assert.Empty(t, e.read(t, "calls.log"))
		})
	}
	e := newSTEnv(t, 0)
	delete(e.vars, "COCKROACH_NODE_COUNT")
	r := e.start(t)
	assert.NotEqual(t, 0, r.exitCode(t))
	assert.Contains(t, e.read(t, "stderr"), "COCKROACH_NODE_COUNT must be a positive integer on node 0")
}

// The image's working directory (WORKDIR, which holds the cockroach binary)
// and the HOME of its user, root: the container's read-only root
// filesystem, as far as the script can reach it.
const (
	stImageWorkdir = "/cockroach"
	stImageHome    = "/root"
)

// The container's root filesystem is read-only: start.sh, and cockroach as
// the script's flags configure it, write only under the task volumes. The
// script runs in a stand-in for the container's filesystem: every path in
// the container's environment (ContainerSpec.Environment) moved under it,
// the mount points made (empty, as Fargate makes them), the working
// directory and HOME the image's. It boots node 0 of a new cluster, whose
// cockroach exits once and is restarted, until it has applied the desired
// state and drained; afterwards every file in the stand-in must lie under a
// mount point.
func TestStartScriptWritesOnlyUnderMounts(t *testing.T) {
	stRequireBash(t)
	root := t.TempDir()
	e := newSTEnv(t, 0)
	e.set(t, "uninitialized", "")
	e.set(t, "crashes", "1")
	e.vars["COCKROACH_LICENSE_KEY"] = stLicense
	moved := 0
	for _, kv := range testSpec().Environment() {
		if strings.HasPrefix(kv.Value, "/") {
			e.vars[kv.Name] = root + kv.Value
			moved++
		}
	}
	require.GreaterOrEqual(t, moved, 4, "the certs, store, state and temp dirs")
	e.vars["HOME"] = root + stImageHome
	e.cwd = root + stImageWorkdir
	// The directories the container starts with: those above every mount
	// point, the working directory and HOME.
	skeleton := map[string]bool{"/": true}
	for _, p := range []string{stImageWorkdir, stImageHome} {
		require.NoError(t, os.MkdirAll(root+p, 0o755))
		skeleton[p] = true
	}
	for _, m := range Mounts {
		require.NoError(t, os.MkdirAll(root+m.Path, 0o755))
		for p := filepath.Dir(m.Path); p != "/"; p = filepath.Dir(p) {
			skeleton[p] = true
		}
	}

	r := e.start(t)
	e.waitFor(t, "the desired state", e.stderrHas("start.sh: desired state applied"))
	e.waitFor(t, "the restart", func() bool { return len(e.calls(t, "start")) == 2 })
	e.stop(t, r)

	var outside []string
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := "/" + strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		switch {
		case writable(rel) && d.IsDir():
			return filepath.SkipDir
		case writable(rel) || skeleton[rel]:
		default:
			outside = append(outside, rel)
		}
		return nil
	}))
	assert.Empty(t, outside, "written outside every mount point")
	for _, p := range []string{CertsDir + "/node.key", StateDir + "/done-schema", StoreDir + "/logs/cockroach.log"} {
		assert.FileExists(t, root+p, "the test no longer sees what it checks")
	}
}
