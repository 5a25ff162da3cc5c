package stacks

//go:generate go run ../internal/gendocs ..

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/observability"
	"edstack/components/setting"
)

// The generated parts of the project's documents: Pulumi.yaml from its
// config block to the end, the README's tables of settings and countries
// between their markers.
const (
	configBlock  = "\nconfig:\n"
	readmeBegin  = "<!-- settings:begin: generated from the components' settings.go by `go generate ./stacks`; do not edit -->\n"
	readmeEnd    = "<!-- settings:end -->\n"
	catalogBegin = "<!-- catalog:begin: generated from stacks/countries.go by `go generate ./stacks`; do not edit -->\n"
	catalogEnd   = "<!-- catalog:end -->\n"
	regionsBegin = "<!-- regions:begin: generated from stacks/regions.csv by `go generate ./stacks`; do not edit -->\n"
	regionsEnd   = "<!-- regions:end -->\n"
	alarmsBegin  = "<!-- alarms:begin: generated from components/observability by `go generate ./stacks`; do not edit -->\n"
	alarmsEnd    = "<!-- alarms:end -->\n"
	regenerateIt = "run `go generate ./stacks` after changing a setting"
)

// PulumiConfig is Pulumi.yaml's config block, from the settings: each key
// with its type, default and a description that says what it accepts.
func PulumiConfig() (string, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, s := range Settings() {
		if s.Undeclared {
			continue
		}
		decl := &yaml.Node{Kind: yaml.MappingNode}
		pair := func(k string, v *yaml.Node) {
			decl.Content = append(decl.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
		}
		typ, items, _ := strings.Cut(string(s.Type), " of ")
		pair("type", scalar(typ))
		if items != "" {
			pair("items", &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("type"), scalar(items)}})
		}
		desc := s.Summary
		if want := s.Want(); want != "" && s.Type != setting.Boolean { // the type says it
			desc += " Accepts " + want + "."
		}
		pair("description", scalar(desc))
		if !s.Required() {
			var v yaml.Node
			if err := v.Encode(s.Default); err != nil {
				return "", fmt.Errorf("setting %s: default: %w", s.Key, err)
			}
			if v.Kind == yaml.SequenceNode {
				v.Style = yaml.FlowStyle
			}
			pair("default", &v)
		}
		root.Content = append(root.Content, scalar(s.Key), decl)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return "", fmt.Errorf("Pulumi.yaml config: %w", err)
	}
	// Indent under "config:".
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n", nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

// ReadmeTable is the README's configuration reference table.
func ReadmeTable() string {
	var b strings.Builder
	b.WriteString("| key | type | default | accepts | meaning |\n|---|---|---|---|---|\n")
	for _, s := range Settings() {
		def := "(required)"
		if !s.Required() {
			def = "`" + s.DefaultText() + "`"
			if s.DefaultNote != "" {
				def += " (" + s.DefaultNote + ")"
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", s.Key, s.Type, tableCell(def), tableCell(s.Accepted()), tableCell(s.Doc))
	}
	return b.String()
}

// CatalogTable is the README's table of the countries edstack knows.
func CatalogTable() string {
	var b strings.Builder
	b.WriteString("| country | default region | allowed regions | time zone | VPC range | CloudFront price class (`auto`) | notes |\n|---|---|---|---|---|---|---|\n")
	for _, code := range CountryCodes() {
		c, _ := LookupCountry(code)
		region := c.Region
		if r, ok := LookupRegion(c.Region); ok {
			region += " (" + r.Name + ")"
		}
		fmt.Fprintf(&b, "| `%s` %s | %s | %s | %s | %s | `%s` | %s |\n", c.Code, c.Name, region, strings.Join(c.Regions, ", "),
			c.TimeZone, c.VPCCIDR, c.PriceClass, tableCell(c.Notes))
	}
	return b.String()
}

// RegionsTable is the README's table of the regions the catalog allows:
// zones, opt-in, and which services run there.
func RegionsTable() string {
	var b strings.Builder
	facts := RegionTableFacts()
	fmt.Fprintf(&b, "Checked %s. Sources: %s\n\n", facts.Checked, facts.Source)
	b.WriteString("| region | zones | opt-in |")
	for _, s := range Services {
		b.WriteString(" " + s.String() + " |")
	}
	b.WriteString("\n|---|---|---|" + strings.Repeat("---|", len(Services)) + "\n")
	marks := map[Support]string{Runs: "yes", DoesNotRun: "**no**", Unconfirmed: "*unconfirmed*"}
	for _, name := range CatalogRegions() {
		r, _ := LookupRegion(name)
		optIn := "no"
		if r.OptIn {
			optIn = "yes"
		}
		fmt.Fprintf(&b, "| %s %s | %s | %s |", name, r.Name, strings.Join(strings.Split(r.Zones, ""), ", "), optIn)
		for _, s := range Services {
			b.WriteString(" " + marks[r.Runs[s]] + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func tableCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// AlarmsTable is the README's table of the alarms of a default country
// stack (12 nodes, full monitoring, Aurora on with its default writer):
// when each fires, what it means and what to do first. The per-node and
// per-gateway alarms show once.
func AlarmsTable() string {
	t := observability.Targets{
		Cockroach: &observability.CockroachTargets{ClusterName: "cluster", ServiceNames: []string{"<prefix>-crdb-node-<i>"},
			Nodes: cockroach.DefaultNodes, Zones: 3, StorageGiB: cockroach.DefaultStorageGiB},
		API: observability.APITargets{APIFunction: "api", WorkerFunction: "worker",
			SyncTimeout: api.MaxSyncTimeout, WorkerTimeout: api.MaxWorkerTimeout, Queue: "jobs", DLQ: "dlq", HTTPAPIID: "api"},
		NATGateways:    []any{"nat"},
		Aurora:         &observability.AuroraTargets{ClusterIdentifier: "aurora", MaxACU: aurora.DefaultMaxACU},
		DistributionID: "cdn",
	}
	alarms := append(observability.Alarms(t, observability.Full), observability.SpotAlarm("cluster"))
	var b strings.Builder
	b.WriteString("| alarm | fires when | what it means | first step |\n|---|---|---|---|\n")
	each := strings.NewReplacer("node 0 ", "node *i* ", "gateway 0:", "gateway *i*:")
	for _, a := range alarms {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", tableCell(each.Replace(a.Title)), tableCell(a.Condition()), tableCell(each.Replace(a.Meaning)), tableCell(a.FirstStep))
	}
	return b.String()
}

// Between replaces what lies between two markers of a text.
func Between(text, begin, end, with string) (string, error) {
	before, rest, found := strings.Cut(text, begin)
	_, after, found2 := strings.Cut(rest, end)
	if !found || !found2 {
		return "", fmt.Errorf("README.md lacks the markers %q and %q", strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	return before + begin + with + end + after, nil
}

// Docs returns the project's Pulumi.yaml and README.md (as read from dir)
// with their generated parts brought up to date from the settings.
func Docs(pulumiYAML, readme string) (string, string, error) {
	head, _, found := strings.Cut(pulumiYAML, configBlock)
	if !found {
		return "", "", fmt.Errorf("Pulumi.yaml has no top-level config block")
	}
	block, err := PulumiConfig()
	if err != nil {
		return "", "", err
	}
	readme, err = Between(readme, readmeBegin, readmeEnd, ReadmeTable())
	if err != nil {
		return "", "", err
	}
	if readme, err = Between(readme, catalogBegin, catalogEnd, CatalogTable()); err != nil {
		return "", "", err
	}
	if readme, err = Between(readme, regionsBegin, regionsEnd, RegionsTable()); err != nil {
		return "", "", err
	}
	if readme, err = Between(readme, alarmsBegin, alarmsEnd, AlarmsTable()); err != nil {
		return "", "", err
	}
	return head + configBlock + block, readme, nil
}

// UpdateDocs rewrites the generated parts of dir's Pulumi.yaml and
// README.md; it reports whether anything changed.
func UpdateDocs(dir string) (bool, error) {
	paths := []string{filepath.Join(dir, "Pulumi.yaml"), filepath.Join(dir, "README.md")}
	var old [2]string
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return false, err
		}
		old[i] = string(b)
	}
	project, readme, err := Docs(old[0], old[1])
	if err != nil {
		return false, err
	}
	changed := false
	for i, text := range []string{project, readme} {
		if text == old[i] {
			continue
		}
		changed = true
		if err := os.WriteFile(paths[i], []byte(text), 0o644); err != nil {
			return false, err
		}
	}
	return changed, nil
}
