package network

import (
	"fmt"

	"edstack/components/setting"
)

// The config keys the network owns.
const (
	KeyVPCCIDR     = "edstack:vpcCidr"
	KeyAZs         = "edstack:availabilityZones"
	KeyNATGateways = "edstack:natGateways"
)

// Settings are the network's config keys.
var Settings = []setting.Setting{
	{
		Key: KeyVPCCIDR, Type: setting.String, Default: "", DefaultNote: "the country's",
		Accepts: fmt.Sprintf("an IPv4 block from `/%d` to `/%d` inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, or empty", MinVPCPrefix, MaxVPCPrefix),
		Summary: "IPv4 range of the VPC. Empty uses the country's catalog range.",
		Doc:     "IPv4 range of the VPC, split into a public and a private subnet per zone. Empty uses the country's range from the catalog (below), which no other country's overlaps.",
	},
	{
		Key: KeyAZs, Type: setting.Strings, Default: []string{}, DefaultNote: "the region's",
		Accepts: "exactly three different zones of `aws:region`, or `[]`",
		Summary: "Three availability zones of aws:region, in the order subnets are numbered. Empty uses the catalog's zones of the region.",
		Doc: "The three zones of `aws:region` the stack spans, in the order subnets are numbered. For a region the catalog knows, only zones it has (`ca-central-1` has a, b and d). " +
			"Required for a region the catalog does not know, which is checked for form only.",
	},
	{
		Key: KeyNATGateways, Type: setting.String, Default: string(NATPerAZ),
		Accepts: fmt.Sprintf("`%s` or `%s`", NATPerAZ, NATSingle),
		Summary: "NAT gateways for the private subnets: single (one, for development) or perAz (one per zone, for countries).",
		Doc: fmt.Sprintf("`%s`: one NAT gateway per zone, so a zone outage leaves the others their outbound path (country stacks). `%s`: one for all zones, cheaper (development).",
			NATPerAZ, NATSingle),
	},
}
