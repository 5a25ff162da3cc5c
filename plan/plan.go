// Package plan is the offline plan: it runs the edstack program in-process
// against the engine's mock monitor, with a stack's configuration read the
// way the Pulumi CLI reads it, and renders what `pulumi up` would create.
package plan

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/cockroach"
	"edstack/cost"
	"edstack/plan/engine"
	"edstack/policy"
	"edstack/stacks"
)

// Plan is what one stack would create.
type Plan struct {
	Project string
	Stack   string
	// Config is the stack's configuration, secrets as engine.Secret.
	Config    map[string]string
	Resources []*engine.Resource
	// Outputs are the stack outputs as plain values.
	Outputs map[string]any
	// Settings are the key decisions of the stack, for a reviewer.
	Settings []stacks.Section
	// Notes say what the plan could not read or had to assume.
	Notes []string
	// Warnings are what may fail at deployment though the config is
	// valid (stacks.Config.Warnings); `pulumi up` logs the same.
	Warnings []string
	// Preview says values AWS computes show as engine.Unknown, as in
	// `pulumi preview`, rather than as placeholders.
	Preview bool
	// Policy is the policy pack's verdict on the resources.
	Policy policy.Report
	// Cost is the monthly estimate of the resources.
	Cost *cost.Estimate
}

// Options select what to plan.
type Options struct {
	Dir   string // holds Pulumi.yaml; default "."
	Stack string
	// StackFile is the stack file to read; default Pulumi.<Stack>.yaml in
	// Dir.
	StackFile string
	Overrides []Override
	// DeployedNodes is the CockroachDB node count of the stack's saved
	// state, which `pulumi up` reads from the state; 0 plans a stack never
	// deployed.
	DeployedNodes int
	// Preview plans as `pulumi preview` shows a first deployment: values
	// known only once AWS creates the resources are unknown.
	Preview bool
	// Today is the date waivers are checked against, YYYY-MM-DD; default
	// the current date.
	Today string
}

// Build plans one stack. A configuration that does not validate returns the
// *stacks.ConfigError before any resource is registered.
func Build(opts Options) (*Plan, error) {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	var sc *StackConfig
	var err error
	if opts.StackFile != "" {
		sc, err = LoadStackFile(opts.Dir, opts.Stack, opts.StackFile, opts.Overrides)
	} else {
		sc, err = LoadStackConfig(opts.Dir, opts.Stack, opts.Overrides)
	}
	if err != nil {
		return nil, err
	}
	cfg, err := stacks.Load(opts.Stack, sc.Source())
	if err != nil {
		return nil, err
	}
	if opts.Today == "" {
		opts.Today = time.Now().Format(time.DateOnly)
	}
	rules := policy.Pack()
	waivers, err := policy.LoadWaivers(opts.Dir, rules, opts.Today)
	if err != nil {
		return nil, err
	}

	var collected engine.Collector
	stackOutputs := map[string]pulumi.Output{}
	program := func(ctx *pulumi.Context) error {
		outs, err := stacks.Run(ctx, sc.Source())
		if err != nil {
			return err
		}
		for name, in := range outs {
			o := pulumi.ToOutput(in)
			stackOutputs[name] = o
			collected.Collect(name, o)
		}
		return nil
	}
	// The saved state of a stack that runs DeployedNodes nodes.
	deployed := map[string]string{}
	for i := range opts.DeployedNodes {
		deployed[cockroach.ServiceName(cfg.Prefix(), i)] = cockroach.ServiceType
	}
	res, err := engine.Run(program, engine.Options{
		Deployed:   deployed,
		Project:    sc.Project,
		Stack:      sc.Stack,
		Config:     sc.Values,
		SecretKeys: sc.Secret,
		Region:     cfg.Region,
	})
	if err != nil {
		return nil, err
	}
	values, err := collected.Wait(10 * time.Second)
	if err != nil {
		return nil, err
	}
	// The pack reads the values as the program sent them, before a preview
	// marks the computed ones unknown.
	verdict := policy.Evaluate(rules, res.Resources, policy.Scope{Stack: sc.Stack, Region: cfg.Region}, waivers, opts.Today)
	estimate, err := cost.EstimateOf(res.Resources, cost.Options{
		Region: cfg.Region, Usage: cfg.Cost.Usage, SpotDiscountPercent: float64(cfg.Cost.SpotDiscountPercent),
	})
	if err != nil {
		return nil, err
	}
	var unknowns engine.Unknowns
	if opts.Preview {
		unknowns = res.ToPreview()
	}
	outputs := make(map[string]any, len(values))
	for name, v := range values {
		outputs[name] = unknowns.Plain(plainJSON(v))
		if pulumi.IsSecret(stackOutputs[name]) {
			outputs[name] = engine.Secret
		}
	}
	return &Plan{
		Project:   sc.Project,
		Stack:     sc.Stack,
		Config:    sc.Values,
		Resources: res.Resources,
		Outputs:   outputs,
		Settings:  cfg.Summary(res),
		Notes:     sc.Notes,
		Warnings:  cfg.Warnings,
		Preview:   opts.Preview,
		Policy:    verdict,
		Cost:      estimate,
	}, nil
}

// plainJSON turns an output's Go value (pulumi.ID, []pulumi.ID, ...) into
// plain JSON values.
func plainJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return engine.Unknown
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return engine.Unknown
	}
	return out
}

// Counts returns how many resources of each type the plan holds, by type.
func (p *Plan) Counts() ([]string, map[string]int) {
	counts := map[string]int{}
	for _, r := range p.Resources {
		counts[r.Type]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	return types, counts
}
