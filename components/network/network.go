// Package network builds a country's VPC: public and private subnets in three
// availability zones, NAT gateways, route tables, an S3 gateway endpoint and
// VPC flow logs.
package network

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	awsvpc "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/logs"
	"edstack/components/tags"
)

// Args configure a Network.
type Args struct {
	// Prefix starts every resource name, e.g. "nz".
	Prefix string
	// Region is the AWS region, for the S3 endpoint's service name.
	Region string
	// CIDR is the VPC's IPv4 range, /16 to /24 (see PlanLayout).
	CIDR netip.Prefix
	// AZs are the availability zones, in order; three for a country stack.
	AZs []string
	// NAT is how many NAT gateways to run. Default NATPerAZ.
	NAT NATMode
	// FlowLogRetentionDays is how long flow logs are kept. Default 90.
	FlowLogRetentionDays int
	// KMSKeyArn is the country's customer managed key, which encrypts the
	// flow log group. nil: CloudWatch Logs' own key.
	KMSKeyArn pulumi.StringInput
	// Tags is the component's tag set.
	Tags tags.Set
}

// Network is the component and its outputs.
type Network struct {
	pulumi.ResourceState

	// Layout is the subnet plan the network was built from.
	Layout Layout
	// AZs are the zone names, in the order of the subnet id lists.
	AZs []string

	VpcID pulumi.IDOutput
	// AppSecurityGroupID is the group of the application workloads (the
	// functions): the databases admit their members, and no one else.
	AppSecurityGroupID pulumi.StringOutput
	PrivateSubnetIDs   pulumi.StringArrayOutput // in AZ order
	PublicSubnetIDs    pulumi.StringArrayOutput // in AZ order
	// NATGatewayIDs are the NAT gateways' ids, in the order of their zones.
	NATGatewayIDs []pulumi.StringOutput
}

func (a *Args) withDefaults() {
	if a.NAT == "" {
		a.NAT = NATPerAZ
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = 90
	}
}

// New creates the network under name (e.g. "nz-network").
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Network, error) {
	args.withDefaults()
	layout, err := PlanLayout(args.CIDR, len(args.AZs))
	if err != nil {
		return nil, err
	}
	n := &Network{Layout: layout, AZs: append([]string(nil), args.AZs...)}
	if err := ctx.RegisterComponentResource("edstack:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	b := builder{ctx: ctx, args: args, parent: pulumi.Parent(n), nats: &[]pulumi.StringOutput{}}

	vpc, err := ec2.NewVpc(ctx, b.name("vpc"), &ec2.VpcArgs{
		CidrBlock:          pulumi.String(layout.VPC.String()),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               args.Tags.Named(b.name("vpc")),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("network: vpc: %w", err)
	}
	public, igw, err := b.publicSubnets(vpc, layout)
	if err != nil {
		return nil, err
	}
	private, routeTables, err := b.privateSubnets(vpc, layout, public, igw)
	if err != nil {
		return nil, err
	}
	if err := b.s3Endpoint(vpc, routeTables); err != nil {
		return nil, err
	}
	if err := b.flowLogs(vpc); err != nil {
		return nil, err
	}
	// Adopting the default security group removes AWS's rules from it:
	// anything launched without a group of its own can talk to nothing.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, b.name("default-sg"), &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  b.args.Tags.Named(b.name("default-sg")),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("network: default security group: %w", err)
	}
	app, err := b.appSecurityGroup(vpc)
	if err != nil {
		return nil, err
	}

	n.VpcID = vpc.ID()
	n.AppSecurityGroupID = app.ID().ToStringOutput()
	n.PublicSubnetIDs = ids(public)
	n.PrivateSubnetIDs = ids(private)
	n.NATGatewayIDs = *b.nats
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":              n.VpcID,
		"privateSubnetIds":   n.PrivateSubnetIDs,
		"publicSubnetIds":    n.PublicSubnetIDs,
		"availabilityZones":  pulumi.ToStringArray(n.AZs),
		"appSecurityGroupId": n.AppSecurityGroupID,
	})
}

type builder struct {
	ctx    *pulumi.Context
	args   Args
	parent pulumi.ResourceOption
	// nats collects the NAT gateways' ids, in zone order.
	nats *[]pulumi.StringOutput
}

func (b builder) name(suffix string) string { return b.args.Prefix + "-" + suffix }

// zoneSuffix is the short name of zone i in resource names: "a" for
// "ap-southeast-2a", so names read like the zones they stand in.
func (b builder) zoneSuffix(i int) string {
	az := b.args.AZs[i]
	return az[len(az)-1:]
}

// publicSubnets creates the public subnets, the internet gateway and the
// public route table.
func (b builder) publicSubnets(vpc *ec2.Vpc, layout Layout) ([]*ec2.Subnet, *ec2.InternetGateway, error) {
	igw, err := ec2.NewInternetGateway(b.ctx, b.name("igw"), &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  b.args.Tags.Named(b.name("igw")),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("network: internet gateway: %w", err)
	}
	rt, err := ec2.NewRouteTable(b.ctx, b.name("public-rt"), &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  b.args.Tags.Named(b.name("public-rt")),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("network: public route table: %w", err)
	}
	if _, err := ec2.NewRoute(b.ctx, b.name("public-default-route"), &ec2.RouteArgs{
		RouteTableId:         rt.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, b.parent); err != nil {
		return nil, nil, fmt.Errorf("network: public default route: %w", err)
	}
	subnets := make([]*ec2.Subnet, len(layout.Public))
	for i, cidr := range layout.Public {
		if subnets[i], err = b.subnet(vpc, "public", i, cidr, rt); err != nil {
			return nil, nil, err
		}
	}
	return subnets, igw, nil
}

// privateSubnets creates the NAT gateways in the public subnets and the
// private subnets, each with its own route table whose default route leads
// to its NAT gateway. Every zone has its own table in both NAT modes, so a
// change of mode changes routes, never subnet associations.
func (b builder) privateSubnets(vpc *ec2.Vpc, layout Layout, public []*ec2.Subnet,
	igw *ec2.InternetGateway) ([]*ec2.Subnet, []*ec2.RouteTable, error) {
	natZones := NATGatewayZones(b.args.NAT, len(b.args.AZs))
	nats := map[int]*ec2.NatGateway{}
	for _, z := range natZones {
		if _, done := nats[z]; done {
			continue
		}
		name := b.name("nat-" + b.zoneSuffix(z))
		eip, err := ec2.NewEip(b.ctx, name+"-eip", &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   b.args.Tags.Named(name + "-eip"),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("network: NAT address %s: %w", b.args.AZs[z], err)
		}
		// A NAT gateway needs the internet gateway attached to reach out.
		nats[z], err = ec2.NewNatGateway(b.ctx, name, &ec2.NatGatewayArgs{
			AllocationId: eip.ID(),
			SubnetId:     public[z].ID(),
			Tags:         b.args.Tags.Named(name),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, nil, fmt.Errorf("network: NAT gateway %s: %w", b.args.AZs[z], err)
		}
		*b.nats = append(*b.nats, nats[z].ID().ToStringOutput())
	}

	subnets := make([]*ec2.Subnet, len(layout.Private))
	tables := make([]*ec2.RouteTable, len(layout.Private))
	for i, cidr := range layout.Private {
		name := b.name("private-" + b.zoneSuffix(i))
		var err error
		tables[i], err = ec2.NewRouteTable(b.ctx, name+"-rt", &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  b.args.Tags.Named(name + "-rt"),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("network: private route table %s: %w", b.args.AZs[i], err)
		}
		if _, err := ec2.NewRoute(b.ctx, name+"-default-route", &ec2.RouteArgs{
			RouteTableId:         tables[i].ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nats[natZones[i]].ID(),
		}, b.parent); err != nil {
			return nil, nil, fmt.Errorf("network: private default route %s: %w", b.args.AZs[i], err)
		}
		if subnets[i], err = b.subnet(vpc, "private", i, cidr, tables[i]); err != nil {
			return nil, nil, err
		}
	}
	return subnets, tables, nil
}

// subnet creates zone i's subnet of a tier ("public" or "private") and
// associates it with its route table. No subnet gives instances a public
// IP: load balancers and NAT gateways bring their own addresses.
func (b builder) subnet(vpc *ec2.Vpc, tier string, i int, cidr netip.Prefix, rt *ec2.RouteTable) (*ec2.Subnet, error) {
	name := b.name(tier + "-" + b.zoneSuffix(i))
	subnet, err := ec2.NewSubnet(b.ctx, name, &ec2.SubnetArgs{
		VpcId:               vpc.ID(),
		CidrBlock:           pulumi.String(cidr.String()),
		AvailabilityZone:    pulumi.String(b.args.AZs[i]),
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                b.args.Tags.Named(name),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("network: %s subnet %s: %w", tier, b.args.AZs[i], err)
	}
	if _, err := ec2.NewRouteTableAssociation(b.ctx, name+"-rta", &ec2.RouteTableAssociationArgs{
		SubnetId:     subnet.ID(),
		RouteTableId: rt.ID(),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("network: %s subnet %s route table: %w", tier, b.args.AZs[i], err)
	}
	return subnet, nil
}

// s3Endpoint keeps S3 traffic (backups, user content) off the NAT gateways:
// a gateway endpoint is free, NAT traffic is billed per GB.
func (b builder) s3Endpoint(vpc *ec2.Vpc, tables []*ec2.RouteTable) error {
	ids := make(pulumi.StringArray, len(tables))
	for i, t := range tables {
		ids[i] = t.ID().ToStringOutput()
	}
	_, err := ec2.NewVpcEndpoint(b.ctx, b.name("s3-endpoint"), &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.String("com.amazonaws." + b.args.Region + ".s3"),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   ids,
		Tags:            b.args.Tags.Named(b.name("s3-endpoint")),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("network: s3 endpoint: %w", err)
	}
	return nil
}

// flowLogs records every accepted and rejected connection of the VPC in
// CloudWatch, for incident response.
func (b builder) flowLogs(vpc *ec2.Vpc) error {
	group, err := logs.NewGroup(b.ctx, b.name("flow-logs"), logs.GroupArgs{
		Path:          "/edstack/" + b.args.Prefix + "/vpc-flow-logs",
		RetentionDays: b.args.FlowLogRetentionDays,
		KMSKeyArn:     b.args.KMSKeyArn,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("network: flow log group: %w", err)
	}
	caller, err := aws.GetCallerIdentity(b.ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("network: flow log role: account: %w", err)
	}
	role, err := iam.NewRole(b.ctx, b.name("flow-logs-role"), &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(policy.AssumeRoleOnBehalfOf("vpc-flow-logs.amazonaws.com", caller.AccountId,
			fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", b.args.Region, caller.AccountId)).JSON()),
		Tags: b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("network: flow log role: %w", err)
	}
	if _, err := iam.NewRolePolicy(b.ctx, b.name("flow-logs-policy"), &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy.Output(FlowLogPolicy, group.Arn),
	}, b.parent); err != nil {
		return fmt.Errorf("network: flow log policy: %w", err)
	}
	if _, err := ec2.NewFlowLog(b.ctx, b.name("flow-log"), &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		// One-minute aggregation: the default ten minutes hides short bursts.
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   b.args.Tags.Named(b.name("flow-log")),
	}, b.parent); err != nil {
		return fmt.Errorf("network: flow log: %w", err)
	}
	return nil
}

// appSecurityGroup creates the application workloads' group: no ingress,
// all egress (they call AWS APIs through the NAT gateways).
func (b builder) appSecurityGroup(vpc *ec2.Vpc) (*ec2.SecurityGroup, error) {
	g, err := ec2.NewSecurityGroup(b.ctx, b.name("app-sg"), &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("Application workloads; the databases admit this group"),
		Tags:        b.args.Tags.Named(b.name("app-sg")),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("network: application security group: %w", err)
	}
	if _, err := awsvpc.NewSecurityGroupEgressRule(b.ctx, b.name("app-sg-out-all"), &awsvpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: g.ID(),
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Description:     pulumi.String("all outbound"),
		Tags:            b.args.Tags.Named(b.name("app-sg-out-all")),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("network: application security group egress: %w", err)
	}
	return g, nil
}

// FlowLogPolicy lets the flow log service write to exactly one log group.
func FlowLogPolicy(arns []string) policy.Document {
	return policy.Policy(policy.Allow("WriteFlowLogs",
		[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
		arns[0]+":*"))
}

func ids(subnets []*ec2.Subnet) pulumi.StringArrayOutput {
	arr := make(pulumi.StringArray, len(subnets))
	for i, s := range subnets {
		arr[i] = s.ID().ToStringOutput()
	}
	return arr.ToStringArrayOutput()
}
