package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"edstack/cost"
	"edstack/policy"
	"edstack/stacks"
)

// JSON is the machine-readable plan. Its shape is a contract that other
// tools read (see the design): change it only with them.
type JSON struct {
	Project   string            `json:"project"`
	Stack     string            `json:"stack"`
	Config    map[string]string `json:"config"`
	Resources []JSONResource    `json:"resources"`
	Outputs   map[string]any    `json:"outputs"`
	// Preview is set when values AWS computes show as "[unknown]", as in
	// `pulumi preview`; absent for placeholder values.
	Preview bool `json:"preview,omitempty"`
	// Policy is the policy pack's verdict (see package policy).
	Policy *JSONPolicy `json:"policy,omitempty"`
	// Cost is the monthly estimate (see package cost).
	Cost *cost.JSON `json:"cost,omitempty"`
	// Warnings are what may fail at deployment though the config is valid,
	// such as a service not confirmed to run in the region; absent when
	// there are none.
	Warnings []string `json:"warnings,omitempty"`
}

// JSONPolicy is the plan's policy object: rules evaluated, findings no
// waiver covers, and the waivers in force.
type JSONPolicy struct {
	Rules    int              `json:"rules"`
	Passed   int              `json:"passed"`
	Findings []policy.Finding `json:"findings"`
	Waivers  []JSONWaiver     `json:"waivers"`
}

// JSONWaiver is a waiver in force and the resources it covers.
type JSONWaiver struct {
	Rule    string   `json:"rule"`
	URNs    []string `json:"urns"`
	Reason  string   `json:"reason"`
	Expires string   `json:"expires"`
}

// JSONResource is one resource of the JSON plan.
type JSONResource struct {
	URN          string   `json:"urn"`
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	Custom       bool     `json:"custom"`
	Parent       string   `json:"parent"`
	Provider     string   `json:"provider"`
	Dependencies []string `json:"dependencies"`
	// PropertyDependencies are, per input, the URNs whose outputs the
	// input was built from; absent when no input references another
	// resource. Added after the first contract: older readers ignore it.
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Protect              bool                `json:"protect"`
	// RetainOnDelete: deleting it from the program leaves it in the cloud.
	RetainOnDelete bool `json:"retainOnDelete"`
	// IgnoreChanges are the input paths later updates leave alone.
	IgnoreChanges []string       `json:"ignoreChanges"`
	Inputs        map[string]any `json:"inputs"`
}

// ToJSON returns the plan in the contract's shape.
func (p *Plan) ToJSON() JSON {
	j := JSON{Project: p.Project, Stack: p.Stack, Config: map[string]string{}, Outputs: p.Outputs, Preview: p.Preview,
		Resources: make([]JSONResource, 0, len(p.Resources))}
	for k, v := range p.Config {
		j.Config[k] = v
	}
	for _, r := range p.Resources {
		deps := r.Dependencies
		if deps == nil {
			deps = []string{}
		}
		ignore := r.IgnoreChanges
		if ignore == nil {
			ignore = []string{}
		}
		j.Resources = append(j.Resources, JSONResource{
			URN: r.URN, ID: r.ID, Type: r.Type, Name: r.Name, Custom: r.Custom, Parent: r.Parent,
			Provider: r.Provider, Dependencies: deps, PropertyDependencies: r.PropertyDependencies, Protect: r.Protect,
			RetainOnDelete: r.Retain, IgnoreChanges: ignore, Inputs: r.Plain(),
		})
	}
	j.Policy = &JSONPolicy{Rules: p.Policy.Rules, Passed: p.Policy.Passed, Findings: p.Policy.Findings, Waivers: []JSONWaiver{}}
	if j.Policy.Findings == nil {
		j.Policy.Findings = []policy.Finding{}
	}
	for _, w := range p.Policy.Waivers {
		j.Policy.Waivers = append(j.Policy.Waivers, JSONWaiver{Rule: w.Rule, URNs: w.URNs, Reason: w.Reason, Expires: w.Expires})
	}
	if j.Outputs == nil {
		j.Outputs = map[string]any{}
	}
	if p.Cost != nil {
		j.Cost = p.Cost.ToJSON()
	}
	j.Warnings = p.Warnings
	return j
}

// WriteJSON writes the JSON plan, indented.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p.ToJSON())
}

// WriteText writes the plan for a person: the resource tree by component,
// the counts per type, the key settings and the outputs.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	custom := 0
	for _, r := range p.Resources {
		if r.Custom {
			custom++
		}
	}
	fmt.Fprintf(&b, "edstack plan: stack %s would create %d resources (%d components, %d AWS and other resources)\n",
		p.Stack, len(p.Resources), len(p.Resources)-custom, custom)
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if p.Preview {
		b.WriteString("preview: values AWS computes (ids, ARNs, endpoints) and everything built from them show as [unknown], as pulumi preview shows a first deployment\n")
	}

	b.WriteString("\nResources\n")
	children := map[string][]int{}
	for i, r := range p.Resources {
		children[r.Parent] = append(children[r.Parent], i)
	}
	for _, idx := range children {
		sort.SliceStable(idx, func(a, c int) bool { return p.less(idx[a], idx[c]) })
	}
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		kids := children[parent]
		for n, i := range kids {
			r := p.Resources[i]
			branch, next := "├─ ", "│  "
			if n == len(kids)-1 {
				branch, next = "└─ ", "   "
			}
			flags := ""
			if r.Protect {
				flags += "  [protected]"
			}
			if r.Retain {
				flags += "  [retained on delete]"
			}
			if len(r.IgnoreChanges) > 0 {
				flags += "  [ignores changes to " + strings.Join(r.IgnoreChanges, ", ") + "]"
			}
			fmt.Fprintf(&b, "%s%s%s  %s%s\n", indent, branch, r.Name, r.Type, flags)
			walk(r.URN, indent+next)
		}
	}
	walk("", "")

	b.WriteString("\nCounts by type\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	types, counts := p.Counts()
	for _, t := range types {
		fmt.Fprintf(tw, "  %s\t%d\n", t, counts[t])
	}
	tw.Flush()

	for _, s := range p.Settings {
		b.WriteString("\n")
		writeSection(&b, s)
	}
	p.writeAlarms(&b)
	p.writeCost(&b)
	p.writePolicy(&b)

	if p.Preview {
		b.WriteString("\nOutputs ([unknown] until deployed)\n")
	} else {
		b.WriteString("\nOutputs (placeholder values)\n")
	}
	names := make([]string, 0, len(p.Outputs))
	for k := range p.Outputs {
		names = append(names, k)
	}
	sort.Strings(names)
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, k := range names {
		v, _ := json.Marshal(p.Outputs[k])
		fmt.Fprintf(tw, "  %s\t%s\n", k, v)
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSection writes one block of key settings under its title.
func writeSection(b *strings.Builder, s stacks.Section) {
	fmt.Fprintf(b, "%s\n", s.Title)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, it := range s.Items {
		fmt.Fprintf(tw, "  %s\t%s\n", it.Key, it.Value)
	}
	tw.Flush()
}

// less orders siblings in the tree: components first, then by type, then by
// name, so that a reviewer finds the same resource in the same place.
func (p *Plan) less(i, j int) bool {
	a, c := p.Resources[i], p.Resources[j]
	if a.Custom != c.Custom {
		return !a.Custom
	}
	if a.Type != c.Type {
		return a.Type < c.Type
	}
	return a.Name < c.Name
}
