package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/cockroach"
)

// OutputCockroachNodes is the stack output that records the node count a
// deployment left, for operators (`pulumi stack output cockroachNodes`).
const OutputCockroachNodes = "cockroachNodes"

// ReadStackResourceOutputs is the Pulumi engine's built-in function that
// reads every resource of a stack's latest saved state, including what an
// update that failed half-way created. Called on the stack itself.
const ReadStackResourceOutputs = "pulumi:pulumi:readStackResourceOutputs"

type readStackResourceOutputsArgs struct {
	StackName string `pulumi:"stackName"`
}

type readStackResourceOutputsResult struct {
	// Outputs maps each resource's URN to {type, outputs}.
	Outputs map[string]any `pulumi:"outputs"`
}

// DeployedNodes is the CockroachDB node count the stack's saved state
// holds (cockroach.DeployedNodes): 0 for a stack never deployed.
func DeployedNodes(ctx *pulumi.Context, prefix string) (int, error) {
	name := fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), ctx.Stack())
	var res readStackResourceOutputsResult
	// Raw: the state holds secrets (passwords, keys), which are read here
	// only to be dropped.
	if _, err := ctx.InvokePackageRaw(ReadStackResourceOutputs, &readStackResourceOutputsArgs{StackName: name}, &res, ""); err != nil {
		return 0, fmt.Errorf("reading the saved state of %s, to check a change of %s: %w", name, KeyCockroachNodes, err)
	}
	var services []string
	for urn, v := range res.Outputs {
		if r, ok := v.(map[string]any); ok && r["type"] == cockroach.ServiceType {
			services = append(services, resource.URN(urn).Name())
		}
	}
	return cockroach.DeployedNodes(prefix, services), nil
}

// checkScale refuses a change of edstack:cockroachNodes that would delete
// nodes still holding data (cockroach.CheckScale), before anything is
// registered. It records the deployed count in cfg.
func checkScale(ctx *pulumi.Context, cfg *Config) error {
	deployed, err := DeployedNodes(ctx, cfg.Prefix())
	if err != nil {
		return err
	}
	cfg.Cockroach.Deployed = deployed
	if err := cockroach.CheckScale(deployed, cfg.Cockroach.Nodes, cfg.Cockroach.Decommissioned); err != nil {
		return &ConfigError{Stack: cfg.Stack, Problems: []Problem{{
			Key: KeyCockroachNodes, Set: true, Value: fmt.Sprint(cfg.Cockroach.Nodes),
			Message: fmt.Sprintf("%s: %d (deployed: %d): %s (%s)", KeyCockroachNodes, cfg.Cockroach.Nodes, deployed, err, KeyCockroachDecommissioned),
		}}}
	}
	return nil
}
