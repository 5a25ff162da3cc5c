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
}

// Paths inside the container.
const (
	CertsDir = "/cockroach/certs"
	StoreDir = "/cockroach/cockroach-data"
	StateDir = "/cockroach/edstack"
)

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
		"portMappings": []map[string]any{
			{"containerPort": SQLPort, "protocol": "tcp", "name": "sql"},
			{"containerPort": HTTPPort, "protocol": "tcp", "name": "http"},
		},
		// All the Spot notice allows: the drain ends well inside it.
		"stopTimeout": int(SpotNotice.Seconds()),
		"ulimits":     []map[string]any{{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}},
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         s.LogGroup,
				"awslogs-region":        s.Region,
				"awslogs-stream-prefix": fmt.Sprintf("node-%d", s.Node),
			},
		},
	}
	if s.RepositoryCredentialsArn != "" {
		def["repositoryCredentials"] = map[string]string{"credentialsParameter": s.RepositoryCredentialsArn}
	}
	b, err := json.Marshal([]map[string]any{def})
	if err != nil {
		return "", fmt.Errorf("cockroach: container definitions: %w", err)
	}
	return string(b), nil
}
