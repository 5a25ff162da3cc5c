package cockroach

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type lbParts struct {
	nlb         *lb.LoadBalancer
	targetGroup *lb.TargetGroup
	// listener forwards to targetGroup: ECS refuses to create a service on
	// a target group that no load balancer forwards to yet.
	listener *lb.Listener
}

// DeregistrationDelay is how long the load balancer keeps a draining node's
// connections: well under the Spot notice, so the node is out of the target
// group before its drain ends.
const DeregistrationDelay = 30

func (b *builder) loadBalancer() error {
	check := ReadinessCheck
	if err := check.Validate(); err != nil {
		return fmt.Errorf("cockroach: %w", err)
	}
	var err error
	// The load balancer is replaced, and its DNS name (the SQL endpoint,
	// the last entry of every node's --join and a name in the node
	// certificate) changes, when one of its name, internal or
	// loadBalancerType changes, when a subnet is removed, or when it gains
	// or loses all its security groups: none of them depends on anything but
	// the stack's name and network, so routine changes (the node count,
	// sizes, version, image) update it in place or not at all.
	b.nlb, err = lb.NewLoadBalancer(b.ctx, b.name(elbNames[0]), &lb.LoadBalancerArgs{
		LoadBalancerType:             pulumi.String("network"),
		Internal:                     pulumi.Bool(true),
		Subnets:                      b.args.PrivateSubnetIDs,
		SecurityGroups:               pulumi.StringArray{b.lbSG.ID().ToStringOutput()},
		EnableCrossZoneLoadBalancing: pulumi.Bool(true),
		// Deleting it cuts every client off the database (Checkov
		// CKV_AWS_150, Security Hub ELB.6); it is on with
		// edstack:protectData, and changes in place. So a stack with
		// protectData cannot delete it, nor replace it (AWS refuses the
		// delete once the replacement exists): to delete the stack, or the
		// cluster (edstack:cockroachNodes 0), first set protectData false
		// and `pulumi up`, which turns deletion protection off in that one
		// update.
		EnableDeletionProtection: pulumi.Bool(b.args.Protect),
		Tags:                     b.args.Tags.Named(b.name(elbNames[0])),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: load balancer: %w", err)
	}
	b.targetGroup, err = lb.NewTargetGroup(b.ctx, b.name(elbNames[1]), &lb.TargetGroupArgs{
		TargetType: pulumi.String("ip"),
		Protocol:   pulumi.String("TCP"),
		Port:       pulumi.Int(SQLPort),
		VpcId:      b.args.VpcID,
		// Nodes see the client's own address; their security group admits
		// the load balancer's group as well, so SQL works either way.
		PreserveClientIp:    pulumi.String("true"),
		DeregistrationDelay: pulumi.Int(DeregistrationDelay),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Protocol:           pulumi.String("HTTPS"),
			Port:               pulumi.String(fmt.Sprint(HTTPPort)),
			Path:               pulumi.String(check.Path),
			Interval:           pulumi.Int(int(check.Interval.Seconds())),
			Timeout:            pulumi.Int(int(check.Timeout.Seconds())),
			HealthyThreshold:   pulumi.Int(check.HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(check.Unhealthy),
			Matcher:            pulumi.String("200"),
		},
		Tags: b.args.Tags.Named(b.name("sql")),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: target group: %w", err)
	}
	b.listener, err = lb.NewListener(b.ctx, b.name("sql-listener"), &lb.ListenerArgs{
		LoadBalancerArn: b.nlb.Arn,
		Protocol:        pulumi.String("TCP"),
		Port:            pulumi.Int(SQLPort),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: b.targetGroup.Arn,
		}},
		Tags: b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: listener: %w", err)
	}
	return nil
}
