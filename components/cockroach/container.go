package cockroach

import (
	"encoding/json"
	"fmt"
	"time"
)

// ContainerName is the name of the node container in the task definitions.
const ContainerName = "cockroach"

// ContainerSpec is what one node's container needs from the deployment.
// Each node has a task definition of its own, which names the node: a task
// never has to guess which node it is.
type ContainerSpec struct {
	Image string // e.g. "cockroachdb/cockroach:v26.2.0"
	// RepositoryCredentialsArn is a Secrets Manager secret with the
	// username and password of a private registry outside ECR; empty for
	// none.
	RepositoryCredentialsArn string

	Node      int    // this node's index
	Zone      string // this node's availability zone
	Nodes     int
	Namespace string // Cloud Map namespace, e.g. "crdb.nz.internal"
	Region    string
	// LoadBalancer is the internal load balancer's DNS name, the last entry
	// of --join (see JoinList).
	LoadBalancer string
	Bootstrap    Bootstrap
	LogGroup     string
	// TLSGeneration identifies the certificates in TLSSecretArn (a digest of
	// the node certificate), so that renewed certificates change the task
	// definition and reach every node through a roll.
	TLSGeneration string
	// Secret ARNs that ECS reads at task start (never plain environment).
	TLSSecretArn        string
	ConnectionSecretArn string
	LicenseSecretArn    string // optional
	Script              string // the start script
	// Budget divides the task between the node and the collector.
	Budget Budget
	// Collector, when set, adds the metrics collector beside the node.
	Collector *Collector
}

// Paths inside the container. Each is a task volume of its own (Mounts):
// the container's root filesystem is read-only.
const (
	CertsDir = "/cockroach/certs"
	StoreDir = "/cockroach/cockroach-data"
	StateDir = "/cockroach/edstack"
	// TempDir is the container's /tmp, and its TMPDIR.
	TempDir = "/tmp"
)

// Mount is a task volume and the path where the node container mounts it,
// writable.
type Mount struct {
	Volume string // the task volume's name
	Path   string // the container path
}

// Mounts are the only paths the node container can write: its root
// filesystem is read-only (readonlyRootFilesystem), so that nothing in the
// container, cockroach included, can alter its binaries or its image.
//
// On Fargate a task volume with a name alone is a bind mount on the task's
// ephemeral storage: it starts empty with the task and is gone with it, as
// the rest of the task's disk always was (a Fargate node's store never
// outlives its task, see start.sh). The mounts share the task's
// ephemeralStorage (Args.StorageGiB) with the image and one another; the
// store is nearly all of it, the others a few kilobytes.
//
// Nothing else is written: cockroach's client commands (sql, init, node)
// log to stderr only, and `cockroach sql` keeps a history file only when
// interactive; curl, timeout, grep and the rest write no files; start.sh
// writes nothing relative to the working directory (the image's WORKDIR,
// /cockroach, which holds the cockroach binary) nor under HOME. The tests
// run start.sh in a stand-in for the container's filesystem and fail on any
// write outside these mounts (start_test.go), and check every path the
// script writes to, and every path flag it gives cockroach, against them
// (container_test.go).
var Mounts = []Mount{
	// The store: cockroach's data, and all that `cockroach start` writes by
	// default under its first store, which start.sh leaves at their
	// defaults (it sets none of --log-dir, --temp-dir, --external-io-dir,
	// --socket-dir, --pid-file, --listening-url-file, nor --log): logs/
	// (with the heap, goroutine and CPU profile dumps), the temp storage of
	// queries that spill to disk (cockroach-temp*/, temp-dirs-record.txt),
	// extern/ for external I/O, auxiliary/ (the emergency ballast) and the
	// cockroach.*-addr files.
	{Volume: "store", Path: StoreDir},
	// The TLS certificates and keys, which start.sh writes from the task's
	// secrets at every start; cockroach only reads them.
	{Volume: "certs", Path: CertsDir},
	// start.sh's own state: the desired-state steps this task has done
	// (done-*) and cockroach's pid.
	{Volume: "state", Path: StateDir},
	// Temporary files, through TMPDIR or /tmp itself. start.sh makes none
	// (it reads commands' output through pipes, and has no here-document or
	// mktemp), but bash writes a here-document that does not fit a pipe to
	// TMPDIR, and a tool that wants a temporary file would otherwise fail
	// on a read-only /tmp.
	{Volume: "tmp", Path: TempDir},
}

// mountPoints are the container definition's mountPoints: every Mount,
// writable. readOnly is stated although false is its default, so that the
// container definitions ECS returns match ours whether or not ECS fills the
// default in: the provider replaces a task definition whose container
// definitions differ, and a new task definition rolls its node.
func mountPoints() []map[string]any {
	out := make([]map[string]any, 0, len(Mounts))
	for _, m := range Mounts {
		out = append(out, map[string]any{"sourceVolume": m.Volume, "containerPath": m.Path, "readOnly": false})
	}
	return out
}

type keyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type secretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// Secrets are the secret values the node container receives and where they
// come from: the TLS secret's JSON keys, the connection secret's password.
func (s ContainerSpec) Secrets() []secretRef {
	tlsKey := func(env, key string) secretRef {
		return secretRef{Name: env, ValueFrom: fmt.Sprintf("%s:%s::", s.TLSSecretArn, key)}
	}
	out := []secretRef{
		tlsKey("COCKROACH_CA_CRT", "ca_crt"),
		tlsKey("COCKROACH_NODE_CRT", "node_crt"),
		tlsKey("COCKROACH_NODE_KEY", "node_key"),
		tlsKey("COCKROACH_ROOT_CRT", "root_crt"),
		tlsKey("COCKROACH_ROOT_KEY", "root_key"),
		{Name: "COCKROACH_APP_PASSWORD", ValueFrom: s.ConnectionSecretArn + ":password::"},
	}
	if s.LicenseSecretArn != "" {
		out = append(out, secretRef{Name: "COCKROACH_LICENSE_KEY", ValueFrom: s.LicenseSecretArn})
	}
	return out
}

func seconds(d time.Duration) string { return fmt.Sprint(int(d.Seconds())) }

// Environment is the plain configuration of the start script: no secrets.
func (s ContainerSpec) Environment() []keyValue {
	env := []keyValue{
		{"COCKROACH_NODE_INDEX", fmt.Sprint(s.Node)},
		{"COCKROACH_ZONE", s.Zone},
		{"COCKROACH_NAMESPACE", s.Namespace},
		{"COCKROACH_JOIN", JoinList(s.Nodes, s.Namespace, s.LoadBalancer)},
		{"COCKROACH_REGION", s.Region},
		{"COCKROACH_CACHE", ".25"},
		{"COCKROACH_MAX_SQL_MEMORY", ".25"},
		{"COCKROACH_CERTS_DIR", CertsDir},
		{"COCKROACH_STORE", StoreDir},
		{"COCKROACH_STATE_DIR", StateDir},
		// Where anything that makes a temporary file makes it: the tmp mount.
		{"TMPDIR", TempDir},
		{"COCKROACH_DATABASE", s.Bootstrap.Database},
		{"COCKROACH_APP_USER", s.Bootstrap.User},
		{"COCKROACH_BACKUP_URI", s.Bootstrap.BackupURI},
		{"COCKROACH_SETTINGS_SQL", s.Bootstrap.SettingsSQL()},
		{"COCKROACH_SCHEMA_SQL", s.Bootstrap.SchemaSQL()},
		{"COCKROACH_SCHEDULE_SQL", s.Bootstrap.ScheduleSQL()},
		{"COCKROACH_HARD_STOP_SECONDS", seconds(s.Bootstrap.Shutdown.HardStop)},
		{"COCKROACH_DEAD_NODE_SECONDS", seconds(DeadNodeDecommission)},
		{"COCKROACH_RESTARTS", fmt.Sprint(MaxRestarts)},
		{"EDSTACK_TLS_GENERATION", s.TLSGeneration},
	}
	// Only node 0 may initialize a cluster, and only when every node answers
	// that it has none (see start.sh): it alone needs the node count, so a
	// change of the count rolls node 0 and no other node.
	if s.Node == 0 {
		env = append(env, keyValue{"COCKROACH_NODE_COUNT", fmt.Sprint(s.Nodes)})
	}
	return env
}

// logConfiguration sends a container's output to the node's log group,
// under the node's prefix (streams node-<i>/<container>/<task id>).
func (s ContainerSpec) logConfiguration() map[string]any {
	return map[string]any{
		"logDriver": "awslogs",
		"options": map[string]string{
			"awslogs-group":         s.LogGroup,
			"awslogs-region":        s.Region,
			"awslogs-stream-prefix": fmt.Sprintf("node-%d", s.Node),
		},
	}
}

// MaxRestarts is how often the start script restarts a cockroach process
// that exits on its own, in the same task and so with the same store,
// before it gives up and lets the task end.
const MaxRestarts = 5

// Definitions renders the task definition's containerDefinitions.
func (s ContainerSpec) Definitions() (string, error) {
	def := map[string]any{
		"name":      ContainerName,
		"image":     s.Image,
		"essential": true,
		// The stock image's entrypoint runs `cockroach`; ours runs the start
		// script, which starts cockroach with the flags of this deployment.
		"entryPoint":  []string{"/bin/bash", "-c"},
		"command":     []string{s.Script},
		"environment": s.Environment(),
		"secrets":     s.Secrets(),
		// Nothing but the task volumes is writable (Mounts): Checkov
		// CKV_AWS_336, Security Hub ECS.5.
		"readonlyRootFilesystem": true,
		"mountPoints":            mountPoints(),
		"portMappings": []map[string]any{
			{"containerPort": SQLPort, "protocol": "tcp", "name": "sql"},
			{"containerPort": HTTPPort, "protocol": "tcp", "name": "http"},
		},
		// All the Spot notice allows: the drain ends well inside it.
		"stopTimeout":      int(SpotNotice.Seconds()),
		"ulimits":          []map[string]any{{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}},
		"logConfiguration": s.logConfiguration(),
		// The node's share of the task (TaskBudget): its memory is a hard
		// limit, which CockroachDB reads and takes its fractions of.
		"cpu":    s.Budget.NodeCPU,
		"memory": s.Budget.NodeMemoryMiB,
	}
	if s.RepositoryCredentialsArn != "" {
		def["repositoryCredentials"] = map[string]string{"credentialsParameter": s.RepositoryCredentialsArn}
	}
	defs := []map[string]any{def}
	if s.Collector != nil {
		config, err := s.Collector.Config()
		if err != nil {
			return "", err
		}
		defs = append(defs, s.collectorDefinition(config))
	}
	b, err := json.Marshal(defs)
	if err != nil {
		return "", fmt.Errorf("cockroach: container definitions: %w", err)
	}
	return string(b), nil
}
