package cockroach

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSpec is node 0's container spec, with placeholder references.
func testSpec() ContainerSpec {
	return ContainerSpec{
		Image: "cockroachdb/cockroach:" + DefaultVersion, Node: 0, Zone: "ap-southeast-2a", Nodes: 3,
		Namespace: "crdb.test.internal", Region: "ap-southeast-2", LoadBalancer: "lb.example",
		Bootstrap: Bootstrap{ReplicationFactor: 3, Database: "app", User: "app", BackupURI: "s3://backups/cockroach", Shutdown: DefaultShutdown},
		LogGroup:  "/edstack/test/cockroach", TLSGeneration: "g1",
		TLSSecretArn: "arn:tls", ConnectionSecretArn: "arn:connection", Script: StartScript,
	}
}

// writable reports whether the container path p lies in one of Mounts: the
// only paths the container can write.
func writable(p string) bool {
	p = path.Clean(p)
	for _, m := range Mounts {
		if p == m.Path || strings.HasPrefix(p, m.Path+"/") {
			return true
		}
	}
	return false
}

// Every container of the task definition has a read-only root filesystem
// and every Mount, writable, on a volume of the task.
func TestContainerRootFilesystemIsReadOnly(t *testing.T) {
	volumes := map[string]bool{}
	for _, v := range taskVolumes() {
		args, ok := v.(*ecs.TaskDefinitionVolumeArgs)
		require.True(t, ok)
		name := string(args.Name.(pulumi.String))
		assert.False(t, volumes[name], "volume %s twice", name)
		volumes[name] = true
		assert.Equal(t, pulumi.Bool(false), args.ConfigureAtLaunch, name)
		// A name alone: a bind mount on the task's ephemeral storage.
		assert.Nil(t, args.HostPath, name)
		assert.Nil(t, args.EfsVolumeConfiguration, name)
		assert.Nil(t, args.DockerVolumeConfiguration, name)
	}
	assert.Len(t, volumes, len(Mounts))

	raw, err := testSpec().Definitions()
	require.NoError(t, err)
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &defs))
	require.NotEmpty(t, defs)
	for _, c := range defs {
		assert.Equal(t, true, c["readonlyRootFilesystem"], "container %v", c["name"])
		mounted := map[string]bool{}
		for _, mp := range c["mountPoints"].([]any) {
			m := mp.(map[string]any)
			assert.True(t, volumes[m["sourceVolume"].(string)], "container %v mounts %v, which the task lacks", c["name"], m["sourceVolume"])
			assert.Equal(t, false, m["readOnly"], "container %v: %v", c["name"], m)
			p := m["containerPath"].(string)
			assert.False(t, mounted[p], "%s mounted twice", p)
			mounted[p] = true
		}
		for _, m := range Mounts {
			assert.True(t, mounted[m.Path], "container %v does not mount %s", c["name"], m.Path)
		}
	}
	for _, p := range []string{StoreDir, CertsDir, StateDir, TempDir, "/tmp"} {
		assert.True(t, writable(p), p)
	}
	for _, p := range []string{"/", "/cockroach", "/cockroach/cockroach", "/root", "/var/tmp", "/cockroach/certs-old"} {
		assert.False(t, writable(p), p)
	}
}

// Shell syntax that start.sh's write targets are read from; it is enough for
// the script's style, not for any shell script.
var (
	shComment   = regexp.MustCompile(`(^\s*#.*|\s#(\s.*)?)$`)
	shArith     = regexp.MustCompile(`\$?\(\([^()]*\)\)`)
	shTest      = regexp.MustCompile(`\[\[.*?\]\]`)
	shBraced    = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	shExpansion = regexp.MustCompile(`\$\{[^{}]*\}`)
	shRedirect  = regexp.MustCompile(`(?:^|[\s;|&(])[0-9]*(?:&>>?|>>|>\||>)\s*([^\s;|&()<>]+)`)
	shWriter    = regexp.MustCompile(`(?:^|[\s;|&(!])(mkdir|rmdir|rm|chmod|chown|touch|mktemp|cp|mv|ln|tee|install|truncate)(?:\s+([^;|&)]*))?(?:[;|&)]|$)`)
	shVariable  = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])`)
	shPathFlag  = regexp.MustCompile(`--(store=path|certs-dir|log-dir|temp-dir|external-io-dir|socket-dir|pid-file|listening-url-file|sql-audit-dir)=("[^"]*"|\S+)`)
)

// scriptLines are a script's lines without comments, arithmetic, [[ ]]
// tests and parameter expansions other than plain ${NAME}: what remains of
// a '>' is a redirection.
func scriptLines(script string) []string {
	var out []string
	for _, line := range strings.Split(script, "\n") {
		line = shComment.ReplaceAllString(line, "")
		line = shBraced.ReplaceAllString(line, "$$$1")
		for prev := ""; prev != line; {
			prev, line = line, shExpansion.ReplaceAllString(shArith.ReplaceAllString(line, "0"), "x")
		}
		line = shTest.ReplaceAllString(line, "true")
		if strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	return out
}

// scriptWriteTargets are the paths a script writes, as written: the targets
// of its output redirections and the operands of the commands that create,
// change or remove files. mktemp writes under its -p directory, or TMPDIR.
func scriptWriteTargets(script string) []string {
	var out []string
	for _, line := range scriptLines(script) {
		for _, m := range shRedirect.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
		for _, m := range shWriter.FindAllStringSubmatch(line, -1) {
			var operands []string
			tmpdir := "$TMPDIR"
			fields := strings.Fields(m[2])
			for i, f := range fields {
				switch {
				case f == "-p" && i+1 < len(fields): // mktemp's directory
					tmpdir = fields[i+1]
				case strings.HasPrefix(f, "--tmpdir="):
					tmpdir = strings.TrimPrefix(f, "--tmpdir=")
				case !strings.HasPrefix(f, "-") && (i == 0 || fields[i-1] != "-p"):
					operands = append(operands, f)
				}
			}
			switch m[1] {
			case "chmod", "chown": // the mode or owner first
				if len(operands) > 0 {
					operands = operands[1:]
				}
			case "cp", "mv", "ln", "install": // the destination last
				if len(operands) > 0 {
					operands = operands[len(operands)-1:]
				}
			case "mktemp": // a template names a file in the directory
				operands = []string{tmpdir + "/"}
			}
			out = append(out, operands...)
		}
	}
	return out
}

// resolveScriptPath turns a path as script writes it into a container path,
// through the container's environment and the script's own assignments
// (such as path=$COCKROACH_CERTS_DIR/$1). It returns every path the
// expression can be, each up to its first unresolved part, and the
// environment variables it goes through.
func resolveScriptPath(script, expr string, env map[string]string, depth int) (paths, vars []string, err error) {
	expr = strings.NewReplacer(`"`, "", `'`, "").Replace(expr)
	if depth > 5 {
		return nil, nil, fmt.Errorf("%s: assignments nest too deep", expr)
	}
	if strings.HasPrefix(expr, "/") {
		return []string{expr}, nil, nil
	}
	m := shVariable.FindStringSubmatch(expr)
	if m == nil {
		return nil, nil, fmt.Errorf("%q is relative: the working directory is the read-only image", expr)
	}
	name, rest := m[1], expr[len(m[0]):]
	if v, ok := env[name]; ok {
		return []string{v + rest}, []string{name}, nil
	}
	assign := regexp.MustCompile(`(?:^|[\s;])` + regexp.QuoteMeta(name) + `=(\S+)`)
	for _, line := range scriptLines(script) {
		for _, a := range assign.FindAllStringSubmatch(line, -1) {
			p, v, err := resolveScriptPath(script, a[1]+rest, env, depth+1)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", expr, err)
			}
			paths, vars = append(paths, p...), append(vars, v...)
		}
	}
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("%s: $%s is neither in the container's environment nor assigned by the script", expr, name)
	}
	return paths, vars, nil
}

// staticPart is a resolved path up to its first unresolved expansion.
func staticPart(p string) string {
	if i := strings.IndexByte(p, '$'); i >= 0 {
		p = p[:i]
	}
	return p
}

// Every path start.sh writes, and every path flag it gives cockroach, lies
// under a mount point, read from the script's own variables and the
// container's environment.
func TestStartScriptWritesOnlyToMounts(t *testing.T) {
	env := map[string]string{}
	for _, kv := range testSpec().Environment() {
		env[kv.Name] = kv.Value
	}
	targets := scriptWriteTargets(StartScript)
	require.NotEmpty(t, targets)
	written := map[string]bool{}
	for _, target := range targets {
		if target == "/dev/null" {
			continue
		}
		paths, vars, err := resolveScriptPath(StartScript, target, env, 0)
		if !assert.NoError(t, err, "start.sh writes %s", target) {
			continue
		}
		for _, p := range paths {
			assert.True(t, writable(staticPart(p)), "start.sh writes %s, which is %s: not under a mount point", target, p)
		}
		for _, v := range vars {
			written[v] = true
		}
	}
	for _, v := range []string{"COCKROACH_CERTS_DIR", "COCKROACH_STATE_DIR"} {
		assert.True(t, written[v], "found no write under $%s: does scriptWriteTargets still read the script?", v)
	}

	flags := map[string]bool{}
	for _, line := range scriptLines(StartScript) {
		for _, m := range shPathFlag.FindAllStringSubmatch(line, -1) {
			flags[m[1]] = true
			paths, _, err := resolveScriptPath(StartScript, m[2], env, 0)
			if assert.NoError(t, err, "--%s", m[1]) {
				for _, p := range paths {
					assert.True(t, writable(staticPart(p)), "--%s=%s is %s: not under a mount point", m[1], m[2], p)
				}
			}
		}
	}
	// cockroach start writes its logs, temp dirs and external I/O under its
	// first store unless told otherwise, and reads the certificates.
	assert.True(t, flags["store=path"], "no --store=path= found")
	assert.True(t, flags["certs-dir"], "no --certs-dir= found")
	for _, flag := range []string{"--log=", "--log-config-file"} {
		assert.NotContains(t, StartScript, flag, "a logging configuration can name directories: check them against Mounts here")
	}
	assert.True(t, writable(env["TMPDIR"]), "TMPDIR %q", env["TMPDIR"])
	assert.True(t, writable("/tmp"), "tools that ignore TMPDIR use /tmp")
}

// The parser finds what it must: redirections, writing commands, and
// nothing in arithmetic, tests or expansions.
func TestScriptWriteTargetsParser(t *testing.T) {
	env := map[string]string{"D": "/d"}
	for line, want := range map[string][]string{
		`printf '%s\n' "$x" >"$D/f"`:                 {`"$D/f"`},
		`: >>"$D/log" 2>/dev/null`:                   {`"$D/log"`, "/dev/null"},
		`echo "${x//a/<b>}" >&2`:                     nil,
		`((a > 1)) && [[ $x > y ]] || x=$((b >= 2))`: nil,
		`rm -f -- "$D/p"; chmod 0700 "$D"`:           {`"$D/p"`, `"$D"`},
		`cp a b "${D}/c" | tee out`:                  {`"$D/c"`, "out"},
		`t=$(mktemp); u=$(mktemp -p "$D/.." x.XXX)`:  {"$TMPDIR/", `"$D/.."/`},
	} {
		assert.Equal(t, want, scriptWriteTargets(line), line)
	}
	script := "f() {\n  local path=$D/$1 mode=$2 # a comment > x\n  : >\"$path\"\n}\n"
	assert.Equal(t, []string{`"$path"`}, scriptWriteTargets(script))
	p, v, err := resolveScriptPath(script, `"$path"`, env, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"/d/$1"}, p)
	assert.Equal(t, []string{"D"}, v)
	_, _, err = resolveScriptPath(script, "out", env, 0)
	assert.ErrorContains(t, err, "relative")
	_, _, err = resolveScriptPath(script, `"$HOME/x"`, env, 0)
	assert.ErrorContains(t, err, "neither in the container's environment")
	_, _, err = resolveScriptPath(script, `"$mode"`, env, 0)
	assert.ErrorContains(t, err, "neither in the container's environment", "$2 is no path")
}
