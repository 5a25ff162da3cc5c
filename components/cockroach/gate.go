package cockroach

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/api"
	policy "edstack/components/iam"
	"edstack/components/logs"
)

// GateCode is the roll gate function's handler (gate/index.mjs).
//
//go:embed gate/index.mjs
var GateCode string

// RollGate says how `pulumi up` waits between two node replacements: a
// Lambda function in the VPC polls every node's /health?ready=1 and
// /_status/vars and returns once the live nodes report no under-replicated
// and no unavailable ranges on Confirmations polls in a row (the rule the
// CockroachDB operator rolls by). It runs before each node is replaced and
// once after the last; the node replaced just before must answer first.
//
// A gate that is still waiting after Wait fails `pulumi up` with a message
// saying where the roll stopped: no further node is touched, and the next
// `pulumi up` runs that gate again and resumes. Spot replacements are ECS's
// own and never wait for a gate.
type RollGate struct {
	Wait, Poll, ProbeTimeout time.Duration
	Confirmations            int
}

// DefaultRollGate fits one Lambda invocation.
var DefaultRollGate = RollGate{Wait: 13 * time.Minute, Poll: 15 * time.Second, ProbeTimeout: 5 * time.Second, Confirmations: 2}

// GateFunctionTimeout is Lambda's maximum, the bound of one gate.
const GateFunctionTimeout = 15 * time.Minute

// Longest is the longest one gate can run: the wait, a last poll and its
// two sequential requests per node (health, then metrics).
func (g RollGate) Longest() time.Duration { return g.Wait + g.Poll + 2*g.ProbeTimeout }

// Validate checks that a gate ends, with its verdict, inside the function's
// timeout, and that a pass is confirmed.
func (g RollGate) Validate() error {
	switch {
	case g.Longest() >= GateFunctionTimeout:
		return fmt.Errorf("roll gate: waits up to %s, over Lambda's %s: it would time out without saying why", g.Longest(), GateFunctionTimeout)
	case g.Confirmations < 2:
		return fmt.Errorf("roll gate: %d confirmation: one clean poll can be the moment before a dead node is noticed; use 2 or more", g.Confirmations)
	case g.Poll <= 0 || g.ProbeTimeout <= 0:
		return fmt.Errorf("roll gate: poll %s and probe timeout %s must be positive", g.Poll, g.ProbeTimeout)
	}
	return nil
}

// GateEvent is what the gate function is invoked with.
type GateEvent struct {
	// Label names the gate in logs and errors: "before node 4" or "after the last node".
	Label string `json:"label"`
	// After is the node replaced just before, which must answer; "" for the first.
	After               string `json:"after"`
	Port                int    `json:"port"`
	WaitSeconds         int    `json:"waitSeconds"`
	PollSeconds         int    `json:"pollSeconds"`
	ProbeTimeoutSeconds int    `json:"probeTimeoutSeconds"`
	Confirmations       int    `json:"confirmations"`
}

// Gates are the events of a cluster's gates, in roll order: one before
// each node, then one after the last. The node list is not in them but in
// the function's environment (GateEnvironment), so that scaling does not re-run
// every gate.
func (g RollGate) Gates(nodes int, namespace string) []GateEvent {
	events := make([]GateEvent, nodes+1)
	for i := range events {
		e := GateEvent{
			Label: fmt.Sprintf("before node %d", i), Port: HTTPPort,
			WaitSeconds: int(g.Wait.Seconds()), PollSeconds: int(g.Poll.Seconds()),
			ProbeTimeoutSeconds: int(g.ProbeTimeout.Seconds()), Confirmations: g.Confirmations,
		}
		if i > 0 {
			e.After = NodeHost(i-1, namespace)
		}
		if i == nodes {
			e.Label = "after the last node"
		}
		events[i] = e
	}
	return events
}

// NodeHost is node i's stable name in the cluster's namespace.
func NodeHost(i int, namespace string) string { return fmt.Sprintf("node-%d.%s", i, namespace) }

// GateEnvironment is the gate function's environment: the nodes to probe
// (NODE_COUNT names node-0 to node-<count-1> in NAMESPACE: a size that does
// not grow with the cluster, as Lambda's 4 KB of environment would not
// hold 99 names and the CA), whether the stack has deployed the cluster
// before (then a gate that sees no live node fails instead of taking the
// cluster for new), and the CA certificate (public) to verify the nodes
// with.
func GateEnvironment(nodes int, namespace string, deployedNodes int, caCert pulumi.StringInput) pulumi.StringMap {
	return pulumi.StringMap{
		"NODE_COUNT":     pulumi.String(fmt.Sprint(nodes)),
		"NAMESPACE":      pulumi.String(namespace),
		"CLUSTER_EXISTS": pulumi.String(fmt.Sprint(deployedNodes > 0)),
		"CA_CERT":        caCert,
	}
}

// gateFunction creates the roll gate's function: in the private subnets,
// in the gate security group, trusting the cluster's CA.
func (b *builder) gateFunction() error {
	name := b.name("roll-gate")
	role, err := iam.NewRole(b.ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(policy.AssumeRole("lambda.amazonaws.com").JSON()),
		Description:      pulumi.String("CockroachDB roll gate: network interfaces in the VPC and its logs, nothing else"),
		Tags:             b.args.Tags.Named(name + "-role"),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: roll gate role: %w", err)
	}
	group, err := logs.NewGroup(b.ctx, name+"-logs", logs.GroupArgs{
		Path: "/aws/lambda/" + name, RetentionDays: b.args.LogRetentionDays, KMSKeyArn: b.args.KMSKeyArn, Tags: b.args.Tags,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: roll gate: %w", err)
	}
	access, err := iam.NewRolePolicy(b.ctx, name+"-runtime-policy", &iam.RolePolicyArgs{
		Role: role.ID(), Policy: policy.LambdaRuntime(group.Arn, b.args.KMSKeyArn, true),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: roll gate role: %w", err)
	}
	env := GateEnvironment(b.args.Nodes, b.c.Namespace, b.args.DeployedNodes, b.caCert)
	// The function exists only once its network rules do: a gate that
	// cannot reach the nodes would see none.
	deps := append([]pulumi.Resource{access, group}, b.gateRules...)
	b.gate, err = lambda.NewFunction(b.ctx, name, &lambda.FunctionArgs{
		Name:          pulumi.String(name),
		Description:   pulumi.String("Holds a CockroachDB roll until no range is under-replicated or unavailable"),
		Runtime:       pulumi.String(api.Runtime),
		Handler:       pulumi.String("index.handler"),
		Code:          pulumi.NewAssetArchive(map[string]any{"index.mjs": pulumi.NewStringAsset(GateCode)}),
		Role:          role.Arn,
		Timeout:       pulumi.Int(int(GateFunctionTimeout.Seconds())),
		MemorySize:    pulumi.Int(256),
		Architectures: pulumi.ToStringArray([]string{"x86_64"}),
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        b.args.PrivateSubnetIDs,
			SecurityGroupIds: pulumi.StringArray{b.gateSG.ID()},
		},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: group.Name},
		TracingConfig: &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		// The CA certificate is public; the CA key never leaves the state.
		Environment: &lambda.FunctionEnvironmentArgs{Variables: env},
		KmsKeyArn:   b.args.KMSKeyArn,
		Tags:        b.args.Tags.Named(name),
	}, b.parent, pulumi.DependsOn(deps))
	if err != nil {
		return fmt.Errorf("cockroach: roll gate function: %w", err)
	}
	return nil
}

// invokeGate creates one gate of the roll. It runs when it is created and
// whenever trigger changes (what replaces the node it guards), and after
// every resource in deps.
func (b *builder) invokeGate(name string, event GateEvent, trigger pulumi.StringMapInput, deps []pulumi.Resource) (pulumi.Resource, error) {
	input, err := json.Marshal(event)
	if err != nil {
		return nil, fmt.Errorf("cockroach: gate %s: %w", name, err)
	}
	inv, err := lambda.NewInvocation(b.ctx, name, &lambda.InvocationArgs{
		FunctionName: b.gate.Name,
		Input:        pulumi.String(string(input)),
		Triggers:     trigger,
	}, b.parent, pulumi.DependsOn(deps))
	if err != nil {
		return nil, fmt.Errorf("cockroach: gate %s: %w", name, err)
	}
	return inv, nil
}
