package stacks

import (
	"fmt"
	"strings"

	"edstack/components/cockroach"
	"edstack/components/network"
)

// Section is one block of key settings in the plan, for a reviewer.
type Section struct {
	Title string
	Items []Item
}

// Item is one setting and its value.
type Item struct{ Key, Value string }

// Summary lists the stack's key decisions, component by component.
func (c Config) Summary() []Section {
	region := c.Region
	if r, ok := LookupRegion(c.Region); ok {
		region += " (" + r.Name + ")"
	}
	if c.Region != c.Country.Region {
		region += ", not the country's default " + c.Country.Region
	}
	stack := Section{Title: "Stack", Items: []Item{
		{"Country", fmt.Sprintf("%s (%s)", c.Country.Name, c.Country.Code)},
		{"Region", region},
		{"Domain", c.Domain},
		{"Name prefix", c.Prefix()},
		{"Log retention", fmt.Sprintf("%d days", c.LogRetentionDays)},
	}}

	layout, err := network.PlanLayout(c.Network.CIDR, len(c.Network.AZs))
	net := Section{Title: "Network", Items: []Item{
		{"VPC CIDR", c.Network.CIDR.String()},
		{"Availability zones", strings.Join(c.Network.AZs, ", ")},
		{"NAT gateways", fmt.Sprintf("%s (%d)", c.Network.NAT, network.NATGatewayCount(c.Network.NAT, len(c.Network.AZs)))},
	}}
	if err == nil {
		natZones := network.NATGatewayZones(c.Network.NAT, len(c.Network.AZs))
		for i, az := range c.Network.AZs {
			net.Items = append(net.Items, Item{
				"Subnets " + az,
				fmt.Sprintf("private %s, public %s, egress via NAT in %s", layout.Private[i], layout.Public[i], c.Network.AZs[natZones[i]]),
			})
		}
	}
	return []Section{stack, net, c.cockroachSummary()}
}

func (c Config) cockroachSummary() Section {
	k := c.Cockroach
	t := cockroach.NewTopology(k.Nodes, len(c.Network.AZs), k.ReplicationFactor)
	spread := make([]string, len(t.PerZone))
	for i, n := range t.PerZone {
		spread[i] = fmt.Sprintf("%s: %d", c.Network.AZs[i], n)
	}
	zoneLoss := "no: the zones hold unequal node counts or the replication factor is too low"
	if t.SurvivesZoneLoss() {
		zoneLoss = "yes: a range keeps a majority of its replicas in the other two zones"
	}
	protected := "no (edstack:protectData is false)"
	if c.ProtectData {
		protected = "yes: backups bucket, secrets and CA are protected"
	}
	license := "none (a cluster without a key is throttled 7 days after init)"
	if k.LicenseSecretArn != "" {
		license = k.LicenseSecretArn
	}
	return Section{Title: "CockroachDB", Items: []Item{
		{"Version", "cockroachdb/cockroach:" + k.Version},
		{"Nodes", fmt.Sprintf("%d x %g vCPU / %g GiB, %d GiB ephemeral store each", k.Nodes, float64(k.CPU)/1024, float64(k.MemoryMiB)/1024, k.StorageGiB)},
		{"Capacity", fmt.Sprintf("%d on FARGATE_SPOT, %d on on-demand FARGATE", k.Nodes-k.OnDemandNodes, k.OnDemandNodes)},
		{"Nodes per zone", strings.Join(spread, ", ")},
		{"Replication factor", fmt.Sprint(k.ReplicationFactor)},
		{"Survives", plural(t.SurvivableNodeLosses(), "node") + " lost at once, anywhere"},
		{"Survives a zone outage", zoneLoss},
		{"Memory flags", strings.Join(cockroach.MemoryFlags(), " ") + fmt.Sprintf(" (%.0f%% of memory committed)", 100*cockroach.MemoryBudget())},
		{"Drain on SIGTERM", fmt.Sprintf("at most %s of the %s Spot notice; stopTimeout %s", cockroach.DefaultShutdown.Total(), cockroach.SpotNotice, cockroach.SpotNotice)},
		{"Lost store re-replicated after", cockroach.TimeUntilStoreDead.String()},
		{"Backups", "hourly incremental, daily full, to the backups bucket"},
		{"Rolling changes", fmt.Sprintf("one node at a time; a replacement joins once no range is under-replicated (waits up to %s)", cockroach.ReplicationWait)},
		{"Data protected", protected},
		{"Licence", license},
	}}
}

// plural is "1 node" or "2 nodes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
