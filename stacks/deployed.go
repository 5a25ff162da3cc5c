package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/cockroach"
)

// OutputCockroachNodes is the stack output that records the node count a
// deployment left, which the next deployment reads to tell a scale-down.
const OutputCockroachNodes = "cockroachNodes"

// ReadStackOutputs is the Pulumi engine's built-in function that reads a
// stack's outputs (what a StackReference reads), called here on the stack
// itself: its outputs are those of its last deployment.
const ReadStackOutputs = "pulumi:pulumi:readStackOutputs"

type readStackOutputsArgs struct {
	Name string `pulumi:"name"`
}

type readStackOutputsResult struct {
	Outputs map[string]any `pulumi:"outputs"`
}

// DeployedNodes is the CockroachDB node count of the stack's last
// deployment: 0 for a stack never deployed, or last deployed without the
// output (before edstack recorded it).
func DeployedNodes(ctx *pulumi.Context) (int, error) {
	name := fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), ctx.Stack())
	var res readStackOutputsResult
	if err := ctx.Invoke(ReadStackOutputs, &readStackOutputsArgs{Name: name}, &res); err != nil {
		return 0, fmt.Errorf("reading the outputs of the last deployment of %s, to check a change of %s: %w", name, KeyCockroachNodes, err)
	}
	switch v := res.Outputs[OutputCockroachNodes].(type) {
	case nil:
		return 0, nil
	case float64:
		return int(v), nil
	default:
		return 0, fmt.Errorf("the last deployment of %s recorded %s = %v, not a node count", name, OutputCockroachNodes, v)
	}
}

// checkScale refuses a change of edstack:cockroachNodes that would delete
// nodes still holding data (cockroach.CheckScale), before anything is
// registered.
func checkScale(ctx *pulumi.Context, cfg Config) error {
	deployed, err := DeployedNodes(ctx)
	if err != nil {
		return err
	}
	if err := cockroach.CheckScale(deployed, cfg.Cockroach.Nodes, cfg.Cockroach.Decommissioned); err != nil {
		return &ConfigError{Stack: cfg.Stack, Problems: []Problem{{
			Key: KeyCockroachNodes, Set: true, Value: fmt.Sprint(cfg.Cockroach.Nodes),
			Message: fmt.Sprintf("%s: %d (deployed: %d): %s (%s)", KeyCockroachNodes, cfg.Cockroach.Nodes, deployed, err, KeyCockroachDecommissioned),
		}}}
	}
	return nil
}
