//go:build unix

package cockroach

import (
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	stNamespace    = "crdb.test.internal"
	stTaskIP       = "10.20.1.23"
	stZone         = "ap-southeast-2b"
	stJoin         = "node-0.crdb.test.internal:26257,node-1.crdb.test.internal:26257,node-2.crdb.test.internal:26257"
	stPassword     = "S3cretPassw0rd"
	stLicense      = "crl-0-TESTLICENCEKEY"
	stKeyMarker    = "NODE-KEY-SECRET-MATERIAL"
	stBootstrapSQL = "ALTER RANGE default CONFIGURE ZONE USING num_replicas = 3;\n" +
		"CREATE DATABASE IF NOT EXISTS app;\nCREATE USER IF NOT EXISTS app;"
	stTimeout = 5 * time.Second
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

// stCockroachStub records each invocation as one line of calls.log. "start"
// writes its environment to start.env and runs until SIGTERM, which it
// records in term (its trap is set before the call is recorded, so a test may
// signal as soon as it sees the call); "init" reports success; "sql" appends its -e argument, or
// else its stdin, to sql.log.
func stCockroachStub(dir string) string {
	return `#!/usr/bin/env bash
dir=` + stShellQuote(dir) + `
if [[ $1 == start ]]; then
	trap 'echo TERM >"$dir/term"; exit 0' TERM
	env >"$dir/start.env"
fi
args="$*"
printf '%s\n' "${args//$'\n'/\\n}" >>"$dir/calls.log"
case $1 in
start)
	while :; do sleep 0.02; done
	;;
init)
	echo 'Cluster successfully initialized'
	;;
sql)
	sql=
	while (($#)); do
		if [[ $1 == -e ]]; then sql=$2; shift; fi
		shift
	done
	[[ -n $sql ]] || sql=$(cat)
	if [[ $sql == *ranges.underreplicated* ]]; then
		# Answer with the next line of replication, "<under>,<live>"; no
		# file means no cluster answers.
		[[ -s $dir/replication ]] || exit 1
		printf 'under,live\n%s\n' "$(head -n 1 "$dir/replication")"
		[[ $(wc -l <"$dir/replication") -gt 1 ]] && sed -i 1d "$dir/replication"
		exit 0
	fi
	printf '%s\n--\n' "$sql" >>"$dir/sql.log"
	;;
esac
`
}

// stGetentStub resolves node-<i>.<namespace> to 10.20.9.<i>, except self, which
// resolves to the task's IP (no node does when self < 0).
func stGetentStub(self int) string {
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\ncase $2 in\n")
	for i := range 3 {
		ip := fmt.Sprintf("10.20.9.%d", i)
		if i == self {
			ip = stTaskIP
		}
		name := stNodeName(i)
		fmt.Fprintf(&b, "%s) echo '%-15s %s' ;;\n", name, ip, name)
	}
	b.WriteString("*) exit 2 ;;\nesac\n")
	return b.String()
}

// stNodeName mirrors the script's node-<i>.<namespace> naming.
func stNodeName(i int) string { return fmt.Sprintf("node-%d.%s", i, stNamespace) }

func stMetadataJSON(zone string) string {
	return fmt.Sprintf(`{"Cluster":"arn:aws:ecs:ap-southeast-2:123456789012:cluster/crdb",
"TaskARN":"arn:aws:ecs:ap-southeast-2:123456789012:task/crdb/abc",
"Containers":[{"Name":"cockroach","Networks":[{"NetworkMode":"awsvpc",
  "IPv4Addresses": [
    "%s"
  ],
  "PrivateDNSName":"ip-10-20-1-23.ap-southeast-2.compute.internal"}]}],
"LaunchType":"FARGATE",
"AvailabilityZone": "%s"}`, stTaskIP, zone)
}

type stEnv struct {
	dir  string
	vars map[string]string
}

// newSTEnv prepares a temp dir with stubs, metadata and the script's
// environment for a task that DNS says is node self.
func newSTEnv(t *testing.T, self int) *stEnv {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "cockroach"), []byte(stCockroachStub(dir)), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "getent"), []byte(stGetentStub(self)), 0o755))
	metadata := filepath.Join(dir, "task.json")
	require.NoError(t, os.WriteFile(metadata, []byte(stMetadataJSON(stZone)), 0o644))

	vars := map[string]string{
		"PATH":                               os.Getenv("PATH"),
		"HOME":                               dir,
		"COCKROACH_NODE_COUNT":               "3",
		"COCKROACH_NAMESPACE":                stNamespace,
		"COCKROACH_JOIN":                     stJoin,
		"COCKROACH_REGION":                   "ap-southeast-2",
		"COCKROACH_CACHE":                    ".25",
		"COCKROACH_MAX_SQL_MEMORY":           ".25",
		"COCKROACH_CERTS_DIR":                filepath.Join(dir, "certs"),
		"COCKROACH_STORE":                    filepath.Join(dir, "data"),
		"COCKROACH_BOOTSTRAP_SQL":            stBootstrapSQL,
		"COCKROACH_APP_USER":                 "app",
		"COCKROACH_REPLICATION_FACTOR":       "3",
		"COCKROACH_REPLICATION_WAIT_SECONDS": "5",
		"COCKROACH_APP_PASSWORD":             stPassword,
		"ECS_CONTAINER_METADATA_URI_V4":      "http://169.254.170.2/v4/test",
		"COCKROACH_BIN":                      filepath.Join(bin, "cockroach"),
		"GETENT_BIN":                         filepath.Join(bin, "getent"),
		"EDSTACK_TEST_METADATA_FILE":         metadata,
		"EDSTACK_RETRY_SECONDS":              "0.02",
	}
	for k, v := range stPEMs {
		vars[k] = v
	}
	return &stEnv{dir: dir, vars: vars}
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

// bootstrapCalls are the sql invocations other than the replication check.
func (e *stEnv) bootstrapCalls(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, call := range e.calls(t, "sql") {
		if !strings.Contains(call, "ranges.underreplicated") {
			out = append(out, call)
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

func TestStartScriptRuns(t *testing.T) {
	stRequireBash(t)

	t.Run("node 1 starts and drains on SIGTERM", func(t *testing.T) {
		e := newSTEnv(t, 1)
		r := e.start(t)
		e.waitFor(t, "cockroach start", func() bool { return len(e.calls(t, "start")) == 1 })

		args := strings.Fields(e.calls(t, "start")[0])
		certs := e.vars["COCKROACH_CERTS_DIR"]
		assert.Contains(t, args, "--advertise-addr=node-1."+stNamespace+":26257")
		assert.Contains(t, args, "--locality=region=ap-southeast-2,zone="+stZone)
		assert.Contains(t, args, "--join="+stJoin)
		assert.Contains(t, args, "--cache=.25")
		assert.Contains(t, args, "--max-sql-memory=.25")
		assert.Contains(t, args, "--certs-dir="+certs)
		assert.Contains(t, args, "--store=path="+e.vars["COCKROACH_STORE"])
		assert.Contains(t, args, "--listen-addr=:26257")
		assert.Contains(t, args, "--http-addr=:8080")
		assert.Contains(t, args, "--logtostderr=INFO")
		assert.NotContains(t, strings.Join(args, " "), "--insecure")

		info, err := os.Stat(certs)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "certs dir")
		files := map[string]struct {
			env  string
			mode os.FileMode
		}{
			"ca.crt":          {"COCKROACH_CA_CRT", 0o644},
			"node.crt":        {"COCKROACH_NODE_CRT", 0o644},
			"node.key":        {"COCKROACH_NODE_KEY", 0o600},
			"client.root.crt": {"COCKROACH_ROOT_CRT", 0o644},
			"client.root.key": {"COCKROACH_ROOT_KEY", 0o600},
		}
		for name, want := range files {
			path := filepath.Join(certs, name)
			info, err := os.Stat(path)
			require.NoError(t, err, name)
			assert.Equal(t, want.mode, info.Mode().Perm(), name)
			content, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, stPEMs[want.env], string(content), name)
		}

		require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
		assert.Equal(t, 0, r.exitCode(t), "stderr:\n%s", e.read(t, "stderr"))
		assert.Equal(t, "TERM\n", e.read(t, "term"), "cockroach got no SIGTERM")
		assert.Empty(t, e.calls(t, "init"), "only node 0 initializes the cluster")
		assert.Empty(t, e.bootstrapCalls(t), "only node 0 runs the bootstrap")
		assert.Contains(t, e.read(t, "stderr"), "start.sh: this task is node 1")
		e.assertNoSecretsLeaked(t)
	})

	for _, licence := range []string{"", stLicense} {
		t.Run(fmt.Sprintf("node 0 bootstraps (licence %q)", licence), func(t *testing.T) {
			e := newSTEnv(t, 0)
			if licence != "" {
				e.vars["COCKROACH_LICENSE_KEY"] = licence
			}
			r := e.start(t)
			e.waitFor(t, "the bootstrap", func() bool {
				return strings.Contains(e.read(t, "stderr"), "start.sh: bootstrap complete")
			})

			start := strings.Fields(e.calls(t, "start")[0])
			assert.Contains(t, start, "--advertise-addr=node-0."+stNamespace+":26257")
			inits := e.calls(t, "init")
			require.Len(t, inits, 1)
			initArgs := strings.Fields(inits[0])
			assert.Contains(t, initArgs, "--host=node-0."+stNamespace+":26257")
			assert.Contains(t, initArgs, "--certs-dir="+e.vars["COCKROACH_CERTS_DIR"])
			assert.NotContains(t, inits[0], "--insecure")
			for _, call := range e.bootstrapCalls(t) {
				assert.Contains(t, strings.Fields(call), "--host=localhost:26257")
				assert.Contains(t, strings.Fields(call), "--certs-dir="+e.vars["COCKROACH_CERTS_DIR"])
			}

			sql := e.read(t, "sql.log")
			assert.Contains(t, sql, stBootstrapSQL+"\n--\n")
			assert.Contains(t, sql, `ALTER USER "app" WITH PASSWORD '`+stPassword+`';`)
			licenceSQL := "SET CLUSTER SETTING enterprise.license"
			if licence == "" {
				assert.NotContains(t, sql, licenceSQL)
			} else {
				assert.Contains(t, sql, licenceSQL+" = '"+licence+"';")
			}
			assert.Less(t, strings.Index(sql, stBootstrapSQL), strings.Index(sql, "ALTER USER"),
				"the user is created before its password is set")

			require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
			assert.Equal(t, 0, r.exitCode(t), "stderr:\n%s", e.read(t, "stderr"))
			assert.Equal(t, "TERM\n", e.read(t, "term"))
			e.assertNoSecretsLeaked(t)
		})
	}
}

// A replacement node waits until the cluster has re-replicated the ranges of
// the node it replaces, but only while the other nodes can hold them.
func TestStartScriptWaitsForReplication(t *testing.T) {
	stRequireBash(t)
	tests := []struct {
		name    string
		answers string // lines of "<under>,<live>"; empty: no cluster
		queries int    // how many times the state is read before start
		log     string
	}{
		{"new cluster", "", 0, "no other node answers; starting (a new cluster)"},
		{"re-replication", "7,3\n2,3\n0,3\n", 3, "no under-replicated ranges on 3 live nodes; joining"},
		{"too few live nodes", "5,2\n", 1, "5 under-replicated ranges, but only 2 live nodes for a replication factor of 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSTEnv(t, 1)
			if tt.answers != "" {
				require.NoError(t, os.WriteFile(e.path("replication"), []byte(tt.answers), 0o644))
			}
			r := e.start(t)
			e.waitFor(t, "cockroach start", func() bool { return len(e.calls(t, "start")) == 1 })
			stderr := e.read(t, "stderr")
			assert.Contains(t, stderr, "start.sh: "+tt.log)
			if tt.queries > 1 {
				assert.Equal(t, tt.queries-1, strings.Count(stderr, "waiting for re-replication before joining"))
			}
			for _, call := range e.calls(t, "sql") {
				assert.NotContains(t, call, "--host=node-1.", "a node does not ask itself")
				assert.NotContains(t, call, "--insecure")
			}
			require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
			assert.Equal(t, 0, r.exitCode(t))
		})
	}

	t.Run("gives up after the limit", func(t *testing.T) {
		e := newSTEnv(t, 1)
		e.vars["COCKROACH_REPLICATION_WAIT_SECONDS"] = "1"
		require.NoError(t, os.WriteFile(e.path("replication"), []byte("4,3\n"), 0o644))
		r := e.start(t)
		e.waitFor(t, "cockroach start", func() bool { return len(e.calls(t, "start")) == 1 })
		assert.Contains(t, e.read(t, "stderr"), "start.sh: still 4 under-replicated ranges after 1s; joining anyway")
		require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
		assert.Equal(t, 0, r.exitCode(t))
	})
}

// The metadata is fetched over bash's /dev/tcp when no test file is given.
func TestStartScriptReadsMetadataEndpoint(t *testing.T) {
	stRequireBash(t)
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		paths = append(paths, req.URL.Path)
		mu.Unlock()
		fmt.Fprint(w, stMetadataJSON("ap-southeast-2c"))
	}))
	defer srv.Close()

	e := newSTEnv(t, 2)
	delete(e.vars, "EDSTACK_TEST_METADATA_FILE")
	e.vars["ECS_CONTAINER_METADATA_URI_V4"] = srv.URL + "/v4/abc123"
	r := e.start(t)
	e.waitFor(t, "cockroach start", func() bool { return len(e.calls(t, "start")) == 1 })

	args := strings.Fields(e.calls(t, "start")[0])
	assert.Contains(t, args, "--locality=region=ap-southeast-2,zone=ap-southeast-2c")
	assert.Contains(t, args, "--advertise-addr=node-2."+stNamespace+":26257")
	mu.Lock()
	assert.Equal(t, []string{"/v4/abc123/task"}, paths)
	mu.Unlock()

	require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 0, r.exitCode(t), "stderr:\n%s", e.read(t, "stderr"))
}

func TestStartScriptRefusesUnsafeSecrets(t *testing.T) {
	stRequireBash(t)
	tests := []struct{ variable, value string }{
		{"COCKROACH_APP_PASSWORD", "bad'pass"},
		{"COCKROACH_APP_PASSWORD", "bad pass"},
		{"COCKROACH_APP_PASSWORD", `bad"pass;`},
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
	for _, name := range []string{"COCKROACH_JOIN", "COCKROACH_NODE_KEY", "ECS_CONTAINER_METADATA_URI_V4"} {
		t.Run(name, func(t *testing.T) {
			e := newSTEnv(t, 1)
			delete(e.vars, name)
			r := e.start(t)
			assert.NotEqual(t, 0, r.exitCode(t))
			assert.Contains(t, e.read(t, "stderr"), "start.sh: "+name+" is required")
			assert.Empty(t, e.read(t, "calls.log"))
		})
	}
}

func TestStartScriptFailsWhenNoNodeNameMatches(t *testing.T) {
	stRequireBash(t)
	e := newSTEnv(t, -1)
	e.vars["EDSTACK_RETRY_SECONDS"] = "0" // all 36 attempts, no pauses
	r := e.start(t)
	assert.NotEqual(t, 0, r.exitCode(t))
	assert.Contains(t, e.read(t, "stderr"),
		"start.sh: exactly one of node-0 to node-2."+stNamespace+" must resolve to this task's IP "+stTaskIP)
	assert.Empty(t, e.read(t, "calls.log"), "cockroach ran")
}
