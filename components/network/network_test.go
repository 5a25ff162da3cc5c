package network_test

import (
	"net/netip"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/iam"
	"edstack/components/network"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	subnetType = "aws:ec2/subnet:Subnet"
	routeType  = "aws:ec2/route:Route"
	rtType     = "aws:ec2/routeTable:RouteTable"
	rtaType    = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	natType    = "aws:ec2/natGateway:NatGateway"
)

var zones = []string{"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"}

func build(t *testing.T, mode network.NATMode, retention int) (*engine.Result, map[string]any) {
	t.Helper()
	// Applies run on goroutines of their own: the map needs a lock.
	var mu sync.Mutex
	outputs := map[string]any{}
	set := func(key string, v any) {
		mu.Lock()
		defer mu.Unlock()
		outputs[key] = v
	}
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		n, err := network.New(ctx, "nz-network", network.Args{
			Prefix:               "nz",
			Region:               "ap-southeast-2",
			CIDR:                 netip.MustParsePrefix("10.20.0.0/16"),
			AZs:                  zones,
			NAT:                  mode,
			FlowLogRetentionDays: retention,
			Tags:                 tags.Base{Country: "nz", Stack: "nz"}.For("network"),
		})
		if err != nil {
			return err
		}
		n.PrivateSubnetIDs.ApplyT(func(ids []string) error { set("private", ids); return nil })
		n.PublicSubnetIDs.ApplyT(func(ids []string) error { set("public", ids); return nil })
		n.VpcID.ApplyT(func(id pulumi.ID) error { set("vpc", id); return nil })
		return nil
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	return res, outputs
}

func TestSubnets(t *testing.T) {
	res, outputs := build(t, network.NATPerAZ, 0)
	want := map[string]struct{ az, cidr string }{
		"nz-private-a": {"ap-southeast-2a", "10.20.0.0/18"},
		"nz-private-b": {"ap-southeast-2b", "10.20.64.0/18"},
		"nz-private-c": {"ap-southeast-2c", "10.20.128.0/18"},
		"nz-public-a":  {"ap-southeast-2a", "10.20.192.0/20"},
		"nz-public-b":  {"ap-southeast-2b", "10.20.208.0/20"},
		"nz-public-c":  {"ap-southeast-2c", "10.20.224.0/20"},
	}
	subnets := res.OfType(subnetType)
	require.Len(t, subnets, 6, "a public and a private subnet per zone")
	for _, s := range subnets {
		w, ok := want[s.Name]
		require.True(t, ok, "unexpected subnet %s", s.Name)
		assert.Equal(t, w.az, s.Input("availabilityZone"), s.Name)
		assert.Equal(t, w.cidr, s.Input("cidrBlock"), s.Name)
		assert.Equal(t, "nz-vpc-id", s.Input("vpcId"), s.Name)
		assert.Equal(t, false, s.Input("mapPublicIpOnLaunch"), s.Name)
	}
	// The outputs list subnets in zone order.
	assert.Equal(t, []string{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"}, outputs["private"])
	assert.Equal(t, []string{"nz-public-a-id", "nz-public-b-id", "nz-public-c-id"}, outputs["public"])
	assert.Equal(t, pulumi.ID("nz-vpc-id"), outputs["vpc"])

	vpc := res.Named("aws:ec2/vpc:Vpc", "nz-vpc")
	require.NotNil(t, vpc)
	assert.Equal(t, "10.20.0.0/16", vpc.Input("cidrBlock"))
	assert.Equal(t, true, vpc.Input("enableDnsHostnames"))
	assert.Equal(t, true, vpc.Input("enableDnsSupport"))
}

func TestNATPerMode(t *testing.T) {
	tests := []struct {
		mode network.NATMode
		nats int
		// the NAT gateway each private subnet's default route leads to
		routes map[string]string
	}{
		{network.NATSingle, 1, map[string]string{"a": "nz-nat-a-id", "b": "nz-nat-a-id", "c": "nz-nat-a-id"}},
		{network.NATPerAZ, 3, map[string]string{"a": "nz-nat-a-id", "b": "nz-nat-b-id", "c": "nz-nat-c-id"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			res, _ := build(t, tt.mode, 0)
			nats := res.OfType(natType)
			require.Len(t, nats, tt.nats)
			for _, n := range nats {
				// Each NAT gateway sits in the public subnet of its zone.
				zone := n.Name[len(n.Name)-1:]
				assert.Equal(t, "nz-public-"+zone+"-id", n.Input("subnetId"))
				assert.Equal(t, n.Name+"-eip-id", n.Input("allocationId"))
			}
			assert.Len(t, res.OfType("aws:ec2/eip:Eip"), len(nats))

			for zone, nat := range tt.routes {
				route := res.Named(routeType, "nz-private-"+zone+"-default-route")
				require.NotNil(t, route, zone)
				assert.Equal(t, "0.0.0.0/0", route.Input("destinationCidrBlock"))
				assert.Equal(t, nat, route.Input("natGatewayId"), zone)
				assert.Equal(t, "nz-private-"+zone+"-rt-id", route.Input("routeTableId"))

				rta := res.Named(rtaType, "nz-private-"+zone+"-rta")
				require.NotNil(t, rta)
				assert.Equal(t, "nz-private-"+zone+"-id", rta.Input("subnetId"))
				assert.Equal(t, "nz-private-"+zone+"-rt-id", rta.Input("routeTableId"))
			}
		})
	}
}

func TestPublicRouting(t *testing.T) {
	res, _ := build(t, network.NATPerAZ, 0)
	route := res.Named(routeType, "nz-public-default-route")
	require.NotNil(t, route)
	assert.Equal(t, "0.0.0.0/0", route.Input("destinationCidrBlock"))
	assert.Equal(t, "nz-igw-id", route.Input("gatewayId"))
	assert.Equal(t, "nz-public-rt-id", route.Input("routeTableId"))
	for _, zone := range []string{"a", "b", "c"} {
		rta := res.Named(rtaType, "nz-public-"+zone+"-rta")
		require.NotNil(t, rta)
		assert.Equal(t, "nz-public-rt-id", rta.Input("routeTableId"))
		assert.Equal(t, "nz-public-"+zone+"-id", rta.Input("subnetId"))
	}
	assert.Len(t, res.OfType(rtType), 4, "one public table and one private table per zone")
	assert.Len(t, res.OfType(routeType), 4)
}

func TestS3Endpoint(t *testing.T) {
	res, _ := build(t, network.NATSingle, 0)
	ep := res.Named("aws:ec2/vpcEndpoint:VpcEndpoint", "nz-s3-endpoint")
	require.NotNil(t, ep)
	assert.Equal(t, "com.amazonaws.ap-southeast-2.s3", ep.Input("serviceName"))
	assert.Equal(t, "Gateway", ep.Input("vpcEndpointType"))
	assert.ElementsMatch(t, []any{"nz-private-a-rt-id", "nz-private-b-rt-id", "nz-private-c-rt-id"}, ep.Input("routeTableIds"))
}

func TestFlowLogs(t *testing.T) {
	for _, retention := range []int{0, 7, 365} {
		res, _ := build(t, network.NATSingle, retention)
		want := retention
		if want == 0 {
			want = 90 // the default
		}
		group := res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-flow-logs")
		require.NotNil(t, group)
		assert.Equal(t, float64(want), group.Input("retentionInDays"))
		assert.Equal(t, "/edstack/nz/vpc-flow-logs", group.Input("name"))

		fl := res.Named("aws:ec2/flowLog:FlowLog", "nz-flow-log")
		require.NotNil(t, fl)
		assert.Equal(t, "ALL", fl.Input("trafficType"))
		assert.Equal(t, "nz-vpc-id", fl.Input("vpcId"))
		groupArn := "arn:aws:logs:ap-southeast-2:" + engine.AccountID + ":log-group:/edstack/nz/vpc-flow-logs"
		assert.Equal(t, groupArn, fl.Input("logDestination"))
		assert.Equal(t, res.Named("aws:iam/role:Role", "nz-flow-logs-role").State["arn"].StringValue(), fl.Input("iamRoleArn"))

		role := res.Named("aws:iam/role:Role", "nz-flow-logs-role")
		trust, err := iam.Parse(role.Input("assumeRolePolicy").(string))
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"Service": "vpc-flow-logs.amazonaws.com"}, trust.Statement[0].Principal)
		assert.Equal(t, map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": engine.AccountID},
			"ArnLike":      {"aws:SourceArn": "arn:aws:ec2:ap-southeast-2:" + engine.AccountID + ":vpc-flow-log/*"},
		}, trust.Statement[0].Condition, "only for this account's flow logs (the confused deputy)")

		def := res.Named("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "nz-default-sg")
		require.NotNil(t, def, "the default security group is adopted")
		assert.Equal(t, "nz-vpc-id", def.Input("vpcId"))
		assert.Nil(t, def.Input("ingress"), "no rule: adopting it removes AWS's")
		assert.Nil(t, def.Input("egress"))

		pol := res.Named("aws:iam/rolePolicy:RolePolicy", "nz-flow-logs-policy")
		doc, err := iam.Parse(pol.Input("policy").(string))
		require.NoError(t, err)
		require.Len(t, doc.Statement, 1)
		assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, doc.Statement[0].Action)
		assert.Equal(t, []string{groupArn + ":*"}, doc.Statement[0].Resource, "the role writes to its own log group only")
	}
}

func TestFlowLogRetentionRejected(t *testing.T) {
	_, err := engine.Run(func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "nz-network", network.Args{
			Prefix: "nz", Region: "ap-southeast-2", CIDR: netip.MustParsePrefix("10.20.0.0/16"),
			AZs: zones, FlowLogRetentionDays: 10,
		})
		return err
	}, engine.Options{Project: "edstack", Stack: "nz"})
	assert.ErrorContains(t, err, "retention 10 days is not one CloudWatch accepts")
}

func TestTags(t *testing.T) {
	res, _ := build(t, network.NATPerAZ, 0)
	set := tags.Base{Country: "nz", Stack: "nz"}.For("network")
	for _, r := range res.Resources {
		if !r.Custom || !tags.Taggable(r.Type) {
			continue
		}
		assert.NoError(t, set.Check(r.Input("tags")), "%s %s", r.Type, r.Name)
	}
}
