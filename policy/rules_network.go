package policy

import (
	"fmt"
	"strings"
)

func networkRules() []Rule {
	return []Rule{{
		ID: "EDS-VPC-1", Severity: Medium, Level: Mandatory,
		Title:     "Every VPC records all its traffic in flow logs",
		Rationale: "Without flow logs nobody can say afterwards what talked to the databases holding student data.",
		Fix:       "Give the VPC an aws:ec2/flowLog with trafficType ALL (components/network does).",
		Peers:     []string{"Checkov CKV2_AWS_11", "cdk-nag AwsSolutions-VPC7", "Security Hub EC2.6"},
		Types:     []string{tVPC, tFlowLog},
		Check: func(ix *Index) []Violation {
			return each(ix, tVPC, func(vpc *R) string {
				for _, f := range ix.Referrers(vpc, tFlowLog, "vpcId") {
					if f.Str("trafficType") == "ALL" {
						return ""
					}
				}
				return "no flow log records ALL traffic of " + vpc.Name
			})
		},
	}, {
		ID: "EDS-VPC-2", Severity: Medium, Level: Advisory,
		Title:     "Every VPC's default security group allows nothing",
		Rationale: "Anything launched without a group lands in the default one; AWS's default lets its members talk freely and out anywhere.",
		Fix:       "Adopt the default group with aws:ec2/defaultSecurityGroup and no ingress or egress rules.",
		Peers:     []string{"Checkov CKV2_AWS_12", "Security Hub EC2.2"},
		Types:     []string{tVPC, tDefaultSG},
		Check: func(ix *Index) []Violation {
			return each(ix, tVPC, func(vpc *R) string {
				for _, d := range ix.Referrers(vpc, tDefaultSG, "vpcId") {
					if len(d.List("ingress")) > 0 || len(d.List("egress")) > 0 {
						return "the default security group of " + vpc.Name + " keeps rules"
					}
					return ""
				}
				return "the default security group of " + vpc.Name + " is left with AWS's allow rules"
			})
		},
	}, {
		ID: "EDS-VPC-3", Severity: Medium, Level: Advisory,
		Title:     "No subnet gives instances a public IP address on launch",
		Rationale: "A public address makes a task reachable from the internet whatever its security group is meant to be.",
		Fix:       "Set mapPublicIpOnLaunch false; only NAT gateways hold public (Elastic) addresses.",
		Peers:     []string{"Checkov CKV_AWS_130", "Security Hub EC2.15"},
		Types:     []string{tSubnet},
		Check: func(ix *Index) []Violation {
			return each(ix, tSubnet, func(s *R) string {
				if s.Bool("mapPublicIpOnLaunch") {
					return s.Name + " maps a public IP on launch"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-VPC-4", Severity: High, Level: Mandatory,
		Title:     "Only public subnets route to the internet gateway; private ones leave through a NAT gateway",
		Rationale: "A private subnet with a route to the internet gateway exposes the databases' network to the internet.",
		Fix:       "Route 0.0.0.0/0 of private route tables to a NAT gateway (with its Elastic IP) in a public subnet.",
		Types:     []string{tRoute, tRouteTable, tRTAssoc, tIGW, tNAT, tEIP},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, route := range ix.Of(tRoute) {
				table := ix.Ref(route.Get("routeTableId"))
				if table == nil {
					continue
				}
				toIGW := ix.Ref(route.Get("gatewayId"))
				nat := ix.Ref(route.Get("natGatewayId"))
				for _, a := range ix.Referrers(table, tRTAssoc, "routeTableId") {
					subnet := ix.Ref(a.Get("subnetId"))
					if subnet == nil {
						continue
					}
					public := strings.Contains(subnet.Tag("Name"), "public")
					switch {
					case toIGW != nil && toIGW.Type == tIGW && !public:
						out = append(out, Violation{URN: route.URN, Message: fmt.Sprintf("private subnet %s routes to the internet gateway", subnet.Name)})
					case nat != nil && nat.Type == tNAT:
						if ix.Ref(nat.Get("allocationId")) == nil {
							out = append(out, Violation{URN: nat.URN, Message: nat.Name + " has no Elastic IP of this stack"})
						}
					}
				}
			}
			return out
		},
	}, {
		ID: "EDS-VPC-5", Severity: Low, Level: Advisory,
		Title:     "Private route tables reach S3 through a gateway endpoint",
		Rationale: "Backups and uploads then stay on AWS's network and cost no NAT data processing.",
		Fix:       "Add a Gateway aws:ec2/vpcEndpoint for S3 on every private route table.",
		Types:     []string{tEndpoint},
		Check: func(ix *Index) []Violation {
			return each(ix, tRouteTable, func(t *R) string {
				if !strings.Contains(t.Tag("Name"), "private") {
					return ""
				}
				for _, e := range ix.Referrers(t, tEndpoint, "routeTableIds") {
					if strings.HasSuffix(e.Str("serviceName"), ".s3") && e.Str("vpcEndpointType") == "Gateway" {
						return ""
					}
				}
				return t.Name + " has no S3 gateway endpoint"
			})
		},
	}, {
		ID: "EDS-SG-1", Severity: High, Level: Mandatory,
		Title:     "No security group admits traffic from the whole internet",
		Rationale: "Every listener in this design is private; the only public entry is CloudFront.",
		Fix:       "Admit a referenced security group or the VPC's range, never 0.0.0.0/0 or ::/0.",
		Peers:     []string{"Checkov CKV_AWS_24", "Checkov CKV_AWS_25", "Checkov CKV_AWS_260", "cdk-nag AwsSolutions-EC23", "Security Hub EC2.18"},
		Types:     []string{tSG, tIngress},
		Check: func(ix *Index) []Violation {
			out := each(ix, tIngress, func(r *R) string {
				if c := r.Str("cidrIpv4"); c == "0.0.0.0/0" {
					return r.Name + " admits " + c
				}
				if r.Str("cidrIpv6") == "::/0" {
					return r.Name + " admits ::/0"
				}
				return ""
			})
			return append(out, each(ix, tSG, func(g *R) string {
				for _, in := range g.List("ingress") {
					m, _ := in.(map[string]any)
					if has(asList(m["cidrBlocks"]), "0.0.0.0/0") || has(asList(m["ipv6CidrBlocks"]), "::/0") {
						return g.Name + " admits the internet inline"
					}
				}
				return ""
			})...)
		},
	}, {
		ID: "EDS-SG-2", Severity: Low, Level: Advisory,
		Title:     "Every security group and rule says what it is for",
		Rationale: "A reviewer reading a preview must tell an intended path from a mistake.",
		Fix:       "Set description on the group and on each rule.",
		Peers:     []string{"Checkov CKV_AWS_23"},
		Types:     []string{tSG, tIngress, tEgress},
		Check: func(ix *Index) []Violation {
			bad := func(r *R) string {
				if strings.TrimSpace(r.Str("description")) == "" {
					return r.Name + " has no description"
				}
				return ""
			}
			return append(append(each(ix, tSG, bad), each(ix, tIngress, bad)...), each(ix, tEgress, bad)...)
		},
	}, {
		ID: "EDS-SG-3", Severity: Medium, Level: Advisory,
		Title:     "Ingress names a protocol and a port range",
		Rationale: "An all-protocol rule admits far more than the one port a service listens on.",
		Fix:       "Use ipProtocol tcp (or udp) with fromPort and toPort.",
		Peers:     []string{"Checkov CKV_AWS_277", "Security Hub EC2.19"},
		Types:     []string{tIngress},
		Check: func(ix *Index) []Violation {
			return each(ix, tIngress, func(r *R) string {
				if p := r.Str("ipProtocol"); p == "-1" || p == "all" {
					return r.Name + " admits every protocol"
				}
				return ""
			})
		},
	}}
}

func asList(v any) []any { l, _ := v.([]any); return l }
