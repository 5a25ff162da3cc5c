package stacks

import (
	"fmt"
	"strings"

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
	return []Section{stack, net}
}
