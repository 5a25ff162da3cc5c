// Package engine runs a Pulumi program in-process against a mock resource
// monitor and records every registration it makes: the offline engine behind
// `edstack plan` and behind every test that looks at what a program builds.
//
// It gives each custom resource a placeholder id in AWS's shape (its name,
// URL or ARN where AWS uses that, else "<name>-id") and, where AWS would
// compute one, an ARN and the other values later resources read (see
// computed.go), so that references between resources resolve the same way
// on every run.
package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registration as the engine received it.
type Resource struct {
	URN          string
	ID           string // empty for components
	Type         string
	Name         string
	Custom       bool
	Parent       string // empty when the parent is the stack root
	Provider     string // "<provider URN>::<provider id>", empty for the default provider
	Dependencies []string
	// PropertyDependencies are, per input, the resources whose outputs the
	// input was built from: what a replacement of one of them changes.
	PropertyDependencies map[string][]string
	Protect              bool
	Retain               bool // retainOnDelete
	// IgnoreChanges are the input paths later updates leave alone.
	IgnoreChanges []string
	Inputs        resource.PropertyMap
	State         resource.PropertyMap // inputs plus the values the engine computed
}

// Options say which program run to simulate.
type Options struct {
	Project string
	Stack   string
	// Config holds every config value as the Pulumi CLI hands it to a program:
	// "namespace:key" -> string (arrays and objects JSON-encoded).
	Config map[string]string
	// SecretKeys are the config keys whose values are secret.
	SecretKeys []string
	// Region is the default provider's region, used for placeholder ARNs.
	Region string
	// Deployed are the resources of the stack's saved state, name -> type,
	// which the program reads through the engine's readStackResourceOutputs
	// function; nil for a stack never deployed.
	Deployed map[string]string
}

// Result is what one run registered.
type Result struct {
	// Resources in a stable order: by URN.
	Resources []*Resource
}

// Run runs program against a fresh mock monitor and returns every resource it
// registered. A program error is returned as is, wrapped with no context, so
// that callers can show the user exactly what the program said.
func Run(program pulumi.RunFunc, opts Options) (*Result, error) {
	m := &monitor{
		project:  opts.Project,
		stack:    opts.Stack,
		region:   opts.Region,
		deployed: opts.Deployed,
		byURN:    map[string]*Resource{},
	}
	withConfig := func(ri *pulumi.RunInfo) {
		ri.Config = opts.Config
		ri.ConfigSecretKeys = opts.SecretKeys
	}
	err := pulumi.RunErr(program, pulumi.WithMocks(opts.Project, opts.Stack, m), withConfig)
	if err != nil {
		return nil, err
	}
	return m.result(), nil
}

// monitor implements pulumi.MockResourceMonitor and records registrations.
type monitor struct {
	project, stack, region string
	deployed               map[string]string

	mu    sync.Mutex
	byURN map[string]*Resource
}

func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	if rpc == nil {
		return "", nil, fmt.Errorf("engine: %s %q: reading existing resources is not supported offline", args.TypeToken, args.Name)
	}
	r := &Resource{
		URN:           m.urn(rpc.GetParent(), args.TypeToken, args.Name),
		Type:          args.TypeToken,
		Name:          args.Name,
		Custom:        args.Custom,
		Parent:        m.parent(rpc.GetParent()),
		Provider:      args.Provider,
		Dependencies:  append([]string(nil), rpc.GetDependencies()...),
		Protect:       rpc.GetProtect(),
		Retain:        rpc.GetRetainOnDelete(),
		IgnoreChanges: append([]string(nil), rpc.GetIgnoreChanges()...),
		Inputs:        args.Inputs,
	}
	sort.Strings(r.Dependencies)
	for key, deps := range rpc.GetPropertyDependencies() {
		if urns := deps.GetUrns(); len(urns) > 0 {
			if r.PropertyDependencies == nil {
				r.PropertyDependencies = map[string][]string{}
			}
			r.PropertyDependencies[key] = append([]string(nil), urns...)
			sort.Strings(r.PropertyDependencies[key])
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.byURN[r.URN]; dup {
		return "", nil, fmt.Errorf("engine: duplicate resource URN %s", r.URN)
	}
	if r.Custom {
		r.State = computedState(r, m.regionOf(r))
		r.ID = placeholderID(r, r.State)
		markSecret(r.Type, r.State)
	} else {
		r.State = args.Inputs
	}
	m.byURN[r.URN] = r
	return r.ID, r.State, nil
}

// SecretPlaceholder is the value the plan reads from any secret: the plan
// never reads Secrets Manager.
const SecretPlaceholder = "https://pager.invalid/edstack-plan-placeholder"

// Call answers the few data sources a program may read at plan time. Any
// other data source is an error: a silent empty answer would plan something
// that `pulumi up` would not.
func (m *monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": m.region, "region": m.region, "id": m.region,
		}), nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": AccountID, "arn": "arn:aws:iam::" + AccountID + ":user/plan", "userId": "plan", "id": AccountID,
		}), nil
	case "pulumi:pulumi:readStackResourceOutputs":
		state := map[string]any{}
		for name, typ := range m.deployed {
			state[m.urn("", typ, name)] = map[string]any{"type": typ, "outputs": map[string]any{}}
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": args.Args["stackName"].StringValue(), "outputs": state,
		}), nil
	case "aws:secretsmanager/getSecretVersion:getSecretVersion":
		// The value stays in Secrets Manager: the plan uses a placeholder
		// of the shape the program checks, which it keeps secret.
		id := args.Args["secretId"].StringValue()
		return resource.NewPropertyMapFromMap(map[string]any{
			"arn": id, "id": id + "|AWSCURRENT", "secretId": id, "secretString": SecretPlaceholder,
			"versionId": "plan", "versionStage": "AWSCURRENT",
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws",
		}), nil
	}
	return nil, fmt.Errorf("engine: the offline plan has no answer for data source %s", args.Token)
}

// urn builds a resource's URN the way the Pulumi engine does.
func (m *monitor) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType,
		tokens.Type(typ), name))
}

// parent drops the root stack: a top-level resource reports no parent.
func (m *monitor) parent(urn string) string {
	if p := resource.URN(urn); p == "" || p.QualifiedType() == resource.RootStackType {
		return ""
	}
	return urn
}

// regionOf is the region of the provider that manages r. Callers hold m.mu.
func (m *monitor) regionOf(r *Resource) string {
	if r.Type == "pulumi:providers:aws" {
		if v, ok := r.Inputs["region"]; ok && v.IsString() {
			return v.StringValue()
		}
	}
	if r.Provider != "" {
		// A provider reference is "<urn>::<id>", and the URN itself holds "::".
		providerURN := r.Provider
		if i := strings.LastIndex(r.Provider, "::"); i > 0 {
			providerURN = r.Provider[:i]
		}
		if p, ok := m.byURN[providerURN]; ok {
			if v, ok := p.Inputs["region"]; ok && v.IsString() {
				return v.StringValue()
			}
		}
	}
	return m.region
}

func (m *monitor) result() *Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	res := &Result{Resources: make([]*Resource, 0, len(m.byURN))}
	for _, r := range m.byURN {
		res.Resources = append(res.Resources, r)
	}
	sort.Slice(res.Resources, func(i, j int) bool { return res.Resources[i].URN < res.Resources[j].URN })
	return res
}
