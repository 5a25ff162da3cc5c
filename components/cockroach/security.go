package cockroach

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/servicediscovery"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// sg are the cluster's security groups:
//   - nodes: the CockroachDB tasks;
//   - lb: the Network Load Balancer;
//   - gate: the roll gate function (gate.go), which reads the nodes' health;
//
// and it admits the stack's application group (Args.AppSecurityGroupID),
// which clients such as the Lambdas join to reach SQL.
//
// Nodes admit SQL (26257) from app, from each other and from the load
// balancer (whether or not it preserves the client's address), and the HTTP
// port (8080: health, metrics, DB Console) from each other, from the load
// balancer's health checks and from the roll gate. Nothing admits the
// internet.
type sg struct {
	nodeSG, lbSG, gateSG *ec2.SecurityGroup
	// gateRules are the rules the roll gate reaches the nodes through.
	gateRules []pulumi.Resource
}

// Rule is one ingress rule, for tests and the plan: port, and the group the
// traffic comes from.
type Rule struct {
	Group string // "nodes" or "lb": the group the rule belongs to
	Port  int
	From  string // "app", "nodes", "lb" or "gate"
}

// IngressRules are every ingress rule of the cluster's groups.
var IngressRules = []Rule{
	{"nodes", SQLPort, "app"},
	{"nodes", SQLPort, "nodes"},
	{"nodes", SQLPort, "lb"},
	{"nodes", HTTPPort, "nodes"},
	{"nodes", HTTPPort, "lb"},
	{"nodes", HTTPPort, "gate"},
	{"lb", SQLPort, "app"},
}

func (b *builder) network() error {
	mk := func(role, desc string) (*ec2.SecurityGroup, error) {
		g, err := ec2.NewSecurityGroup(b.ctx, b.name(role+"-sg"), &ec2.SecurityGroupArgs{
			VpcId:       b.args.VpcID,
			Description: pulumi.String(desc),
			Tags:        b.args.Tags.Named(b.name(role + "-sg")),
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("cockroach: %s security group: %w", role, err)
		}
		return g, nil
	}
	var err error
	if b.nodeSG, err = mk("nodes", "CockroachDB nodes"); err != nil {
		return err
	}
	if b.lbSG, err = mk("lb", "CockroachDB SQL load balancer"); err != nil {
		return err
	}
	if b.gateSG, err = mk("gate", "CockroachDB roll gate"); err != nil {
		return err
	}
	groups := map[string]pulumi.StringInput{
		"app": b.args.AppSecurityGroupID, "nodes": b.nodeSG.ID().ToStringOutput(), "lb": b.lbSG.ID().ToStringOutput(),
		"gate": b.gateSG.ID().ToStringOutput(),
	}
	for _, r := range IngressRules {
		name := b.name(fmt.Sprintf("%s-in-%d-from-%s", r.Group, r.Port, r.From))
		rule, err := vpc.NewSecurityGroupIngressRule(b.ctx, name, &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId:           groups[r.Group],
			ReferencedSecurityGroupId: groups[r.From],
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(r.Port),
			ToPort:                    pulumi.Int(r.Port),
			Description:               pulumi.String(fmt.Sprintf("%d from %s", r.Port, r.From)),
			Tags:                      b.args.Tags.Named(name),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("cockroach: rule %s: %w", name, err)
		}
		if r.From == "gate" {
			b.gateRules = append(b.gateRules, rule)
		}
	}
	// Egress: the nodes reach AWS APIs, S3 and the image registry through
	// the NAT gateways; the load balancer and the gate reach the nodes
	// only. (DNS to the VPC resolver passes no security group.)
	egress := []struct {
		group string
		port  int
		to    string
	}{{"nodes", 0, ""}, {"lb", SQLPort, "nodes"}, {"lb", HTTPPort, "nodes"}, {"gate", HTTPPort, "nodes"}}
	for _, e := range egress {
		args := &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: groups[e.group],
			IpProtocol:      pulumi.String("-1"),
			CidrIpv4:        pulumi.String("0.0.0.0/0"),
			Description:     pulumi.String("all outbound"),
		}
		name := b.name(e.group + "-out-all")
		if e.to != "" {
			name = b.name(fmt.Sprintf("%s-out-%d-to-%s", e.group, e.port, e.to))
			args.IpProtocol, args.CidrIpv4 = pulumi.String("tcp"), nil
			args.FromPort, args.ToPort = pulumi.Int(e.port), pulumi.Int(e.port)
			args.ReferencedSecurityGroupId = groups[e.to]
			args.Description = pulumi.String(fmt.Sprintf("%d to %s", e.port, e.to))
		}
		args.Tags = b.args.Tags.Named(name)
		rule, err := vpc.NewSecurityGroupEgressRule(b.ctx, name, args, b.parent)
		if err != nil {
			return fmt.Errorf("cockroach: rule %s: %w", name, err)
		}
		if e.group == "gate" {
			b.gateRules = append(b.gateRules, rule)
		}
	}

	b.namespace, err = servicediscovery.NewPrivateDnsNamespace(b.ctx, b.name("namespace"), &servicediscovery.PrivateDnsNamespaceArgs{
		Name:        pulumi.String(b.c.Namespace),
		Vpc:         b.args.VpcID,
		Description: pulumi.String("Stable names of the CockroachDB nodes"),
		Tags:        b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: namespace: %w", err)
	}
	return nil
}
