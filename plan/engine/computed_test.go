package engine

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Placeholder ids and ARNs take AWS's shapes where a reviewer reads them:
// a name, an ARN or a URL where AWS uses one as the id, name prefixes and
// families honoured, load balancer ARNs with their hash, task definitions
// with their revision.
func TestPlaceholdersFollowAWSShapes(t *testing.T) {
	const (
		h7   = `[0-9a-f]{7}`
		h16  = `[0-9a-f]{16}`
		acct = "ap-southeast-2:123456789012:"
	)
	tests := []struct {
		typ, name string
		inputs    map[string]any
		id, arn   string // regular expressions
		state     map[string]any
	}{
		{"aws:s3/bucketV2:BucketV2", "nz-static", nil, `^nz-static-` + h7 + `$`, `^arn:aws:s3:::nz-static-` + h7 + `$`, nil},
		{"aws:s3/bucketV2:BucketV2", "nz-logs", map[string]any{"bucketPrefix": "edstack-logs-"}, `^edstack-logs-[0-9a-f]{26}$`, `^arn:aws:s3:::edstack-logs-`, nil},
		{"aws:secretsmanager/secret:Secret", "nz-ca", map[string]any{"namePrefix": "edstack/nz/ca-"},
			`^arn:aws:secretsmanager:` + acct + `secret:edstack/nz/ca-[0-9a-f]{26}-[0-9a-f]{6}$`, `^arn:aws:secretsmanager:` + acct + `secret:edstack/nz/ca-`, nil},
		{"aws:sqs/queue:Queue", "nz-jobs", nil, `^https://sqs\.ap-southeast-2\.amazonaws\.com/123456789012/nz-jobs-` + h7 + `$`, `^arn:aws:sqs:` + acct + `nz-jobs-` + h7 + `$`, nil},
		{"aws:lb/loadBalancer:LoadBalancer", "nz-nlb", map[string]any{"loadBalancerType": "network"},
			`^arn:aws:elasticloadbalancing:` + acct + `loadbalancer/net/nz-nlb-` + h7 + `/` + h16 + `$`, `loadbalancer/net/`, nil},
		{"aws:lb/targetGroup:TargetGroup", "nz-sql", map[string]any{"name": "nz-sql"},
			`^arn:aws:elasticloadbalancing:` + acct + `targetgroup/nz-sql/` + h16 + `$`, `targetgroup/nz-sql/`, nil},
		{"aws:ecs/taskDefinition:TaskDefinition", "nz-node-0-task", map[string]any{"family": "nz-node-0"},
			`^nz-node-0$`, `^arn:aws:ecs:` + acct + `task-definition/nz-node-0:1$`, map[string]any{"revision": 1.0}},
		{"aws:ecs/service:Service", "nz-node-0", map[string]any{"name": "nz-node-0", "cluster": "arn:aws:ecs:" + acct + "cluster/nz-crdb"},
			`^arn:aws:ecs:` + acct + `service/nz-crdb/nz-node-0$`, `service/nz-crdb/nz-node-0$`, nil},
		{"aws:iam/role:Role", "nz-api-role", nil, `^nz-api-role-` + h7 + `$`, `^arn:aws:iam::123456789012:role/nz-api-role-` + h7 + `$`, nil},
		{"aws:lambda/function:Function", "nz-api", map[string]any{"functionName": "nz-api"}, `^nz-api$`, `^arn:aws:lambda:` + acct + `function:nz-api$`, nil},
		{"aws:rds/cluster:Cluster", "nz-aurora-cluster", map[string]any{"clusterIdentifier": "nz-aurora"}, `^nz-aurora$`, `^arn:aws:rds:` + acct + `cluster:nz-aurora$`, nil},
		{"aws:ec2/vpc:Vpc", "nz-vpc", nil, `^nz-vpc-id$`, `^arn:aws:ec2:` + acct + `vpc/nz-vpc-`, nil},
		{"aws:route53/zone:Zone", "nz-zone", map[string]any{"name": "learn.example.nz"}, `^Z[0-9A-F]{20}$`, `^arn:aws:route53:::hostedzone/Z[0-9A-F]{20}$`, nil},
		{"aws:cloudfront/distribution:Distribution", "nz-cdn", nil, `^E[0-9A-F]{13}$`, `^arn:aws:cloudfront::123456789012:distribution/E[0-9A-F]{13}$`, nil},
		{"aws:lb/listener:Listener", "nz-sql-listener", map[string]any{"loadBalancerArn": "arn:aws:elasticloadbalancing:" + acct + "loadbalancer/net/nz-nlb/0123456789abcdef"},
			`^arn:aws:elasticloadbalancing:` + acct + `listener/net/nz-nlb/0123456789abcdef/` + h16 + `$`, `listener/net/nz-nlb/`, nil},
		{"aws:acm/certificate:Certificate", "nz-cert", nil, `^arn:aws:acm:` + acct + `certificate/`, `^arn:aws:acm:` + acct + `certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.name, func(t *testing.T) {
			r := &Resource{URN: "urn:pulumi:nz::edstack::" + tt.typ + "::" + tt.name, Type: tt.typ, Name: tt.name,
				Inputs: resource.NewPropertyMapFromMap(tt.inputs)}
			state := computedState(r, "ap-southeast-2")
			id := placeholderID(r, state)
			assert.Regexp(t, tt.id, id)
			assert.Regexp(t, tt.arn, state["arn"].StringValue())
			for k, v := range tt.state {
				assert.Equal(t, v, state[resource.PropertyKey(k)].V, k)
			}
			if tt.typ == "aws:route53/zone:Zone" || tt.typ == "aws:cloudfront/distribution:Distribution" {
				assert.Contains(t, state["arn"].StringValue(), id, "the ARN names the id")
			}
			if tt.typ == "aws:route53/zone:Zone" {
				assert.Equal(t, id, state["zoneId"].StringValue(), "zoneId is the id")
			}
			// The same on every run.
			again := computedState(r, "ap-southeast-2")
			assert.Equal(t, id, placeholderID(r, again))
		})
	}
}

// A preview shows what `pulumi preview` shows of a first deployment: every
// id unknown, an input that carries another resource's computed value
// unknown (inside an object, only that field), the rest as given.
func TestPreviewMarksComputedValuesUnknown(t *testing.T) {
	res, err := Run(func(ctx *pulumi.Context) error {
		vpc, err := ec2.NewVpc(ctx, "nz-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.20.0.0/16")})
		if err != nil {
			return err
		}
		q, err := sqs.NewQueue(ctx, "nz-jobs", &sqs.QueueArgs{})
		if err != nil {
			return err
		}
		group, err := cloudwatch.NewLogGroup(ctx, "nz-worker-logs", &cloudwatch.LogGroupArgs{Name: pulumi.String("/edstack/nz/worker")})
		if err != nil {
			return err
		}
		if _, err = route53.NewZone(ctx, "nz-zone", &route53.ZoneArgs{Name: pulumi.String("learn.example.nz")}); err != nil {
			return err
		}
		_, err = ec2.NewSubnet(ctx, "nz-private-a", &ec2.SubnetArgs{
			VpcId: vpc.ID(), CidrBlock: pulumi.String("10.20.0.0/18"),
			Tags: pulumi.StringMap{"queue": q.Arn, "Name": pulumi.String("nz-private-a"), "logs": group.ID(), "account": pulumi.String(AccountID)},
		})
		return err
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	unknowns := res.ToPreview()

	subnet := res.Named("aws:ec2/subnet:Subnet", "nz-private-a")
	assert.Equal(t, Unknown, subnet.ID)
	assert.Equal(t, Unknown, subnet.Input("vpcId"), "the VPC's id is known only once it exists")
	assert.Equal(t, "10.20.0.0/18", subnet.Input("cidrBlock"), "its own inputs are known")
	assert.Equal(t, Unknown, subnet.Input("tags", "queue"), "a field holding an ARN")
	assert.Equal(t, "nz-private-a", subnet.Input("tags", "Name"), "the object's other fields stay known")
	assert.Equal(t, "10.20.0.0/16", res.Named("aws:ec2/vpc:Vpc", "nz-vpc").Input("cidrBlock"))
	assert.Equal(t, "/edstack/nz/worker", subnet.Input("tags", "logs"), "an id that is the name the program gave is known")
	assert.Equal(t, AccountID, subnet.Input("tags", "account"), "a bare account id is no resource's own value")

	// Computed lists are unknown, element by element.
	ns := res.Named("aws:route53/zone:Zone", "nz-zone").State["nameServers"].ArrayValue()[0].StringValue()
	assert.Equal(t, Unknown, unknowns.Plain(ns), "the name servers are known only once the zone exists")

	// Outputs built from computed values are unknown too.
	q := res.Named("aws:sqs/queue:Queue", "nz-jobs")
	assert.Equal(t, Unknown, unknowns.Plain(q.State["url"].StringValue()))
	assert.Equal(t, []any{"ap-southeast-2", Unknown}, unknowns.Plain([]any{"ap-southeast-2", "nz-vpc-id"}))
}
