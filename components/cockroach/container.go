package cockroach

import (
	"encoding/json"
	"fmt"
)

// ContainerName is the name of the node container in the task definition.
const ContainerName = "cockroach"

// ContainerSpec is what the node container needs from the deployment.
type ContainerSpec struct {
	Image     string // e.g. "cockroachdb/cockroach:v26.2.0"
	Nodes     int
	Namespace string // Cloud Map namespace, e.g. "crdb.nz.internal"
	Region    string
	Bootstrap Bootstrap
	LogGroup  string
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

// Environment is the plain configuration of the start script: no secrets.
func (s ContainerSpec) Environment() []keyValue {
	return []keyValue{
		{"COCKROACH_NODE_COUNT", fmt.Sprint(s.Nodes)},
		{"COCKROACH_NAMESPACE", s.Namespace},
		{"COCKROACH_JOIN", JoinList(s.Nodes, s.Namespace)},
		{"COCKROACH_REGION", s.Region},
		{"COCKROACH_CACHE", ".25"},
		{"COCKROACH_MAX_SQL_MEMORY", ".25"},
		{"COCKROACH_CERTS_DIR", CertsDir},
		{"COCKROACH_STORE", StoreDir},
		{"COCKROACH_APP_USER", s.Bootstrap.User},
		{"COCKROACH_REPLICATION_FACTOR", fmt.Sprint(s.Bootstrap.ReplicationFactor)},
		{"COCKROACH_REPLICATION_WAIT_SECONDS", fmt.Sprint(int(ReplicationWait.Seconds()))},
		{"COCKROACH_BOOTSTRAP_SQL", s.Bootstrap.SQL()},
	}
}

// Definitions renders the task definition's containerDefinitions.
func (s ContainerSpec) Definitions() (string, error) {
	def := []map[string]any{{
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
		// All the Spot notice allows: the drain settings fit well inside it.
		"stopTimeout": int(SpotNotice.Seconds()),
		"ulimits":     []map[string]any{{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}},
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         s.LogGroup,
				"awslogs-region":        s.Region,
				"awslogs-stream-prefix": "node",
			},
		},
	}}
	b, err := json.Marshal(def)
	if err != nil {
		return "", fmt.Errorf("cockroach: container definitions: %w", err)
	}
	return string(b), nil
}
