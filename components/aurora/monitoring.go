package aurora

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
)

// DefaultMonitoringInterval is the default Enhanced Monitoring interval, in
// seconds.
const DefaultMonitoringInterval = 60

// monitoringIntervals are the Enhanced Monitoring intervals RDS accepts, in
// seconds; 0 turns Enhanced Monitoring off.
var monitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

// monitoringService is the principal that publishes Enhanced Monitoring
// metrics: it assumes the monitoring role.
const monitoringService = "monitoring.rds.amazonaws.com"

// intervalChoices lists monitoringIntervals: "0, 1, 5, 10, 15, 30, 60".
func intervalChoices() string {
	s := make([]string, len(monitoringIntervals))
	for i, v := range monitoringIntervals {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

// validMonitoringInterval reports whether RDS accepts seconds as an
// Enhanced Monitoring interval.
func validMonitoringInterval(seconds int) bool {
	return slices.Contains(monitoringIntervals, seconds)
}

// monitoringTrust is the monitoring role's trust policy: the RDS monitoring
// service may assume it on behalf of the stack's own account only, so that
// no other account's database can make RDS publish into this one (the
// confused deputy).
func monitoringTrust(accountID string) policy.Document {
	doc := policy.AssumeRole(monitoringService)
	doc.Statement[0].Condition = map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": accountID},
	}
	return doc
}

// monitoringPolicy is what AWS's managed AmazonRDSEnhancedMonitoringRole
// grants, scoped to the stack's region and account instead of every one:
// create the RDS* log groups (RDSOSMetrics) and set their retention, and
// write and read their streams.
func monitoringPolicy(region, accountID string) policy.Document {
	groups := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:RDS*", region, accountID)
	return policy.Policy(
		policy.Allow("EnhancedMonitoringLogGroups",
			[]string{"logs:CreateLogGroup", "logs:PutRetentionPolicy"}, groups),
		policy.Allow("EnhancedMonitoringLogStreams",
			[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"},
			groups+":log-stream:*"),
	)
}

// monitoring creates the role RDS assumes to publish Enhanced Monitoring
// metrics, with its permissions inline rather than AWS's managed policy
// (which grants them in every region and account). It creates nothing when
// the interval is 0.
func (b *builder) monitoring() error {
	if *b.args.MonitoringInterval == 0 {
		return nil
	}
	caller, err := aws.GetCallerIdentity(b.ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("aurora: monitoring role: account id: %w", err)
	}
	region, err := aws.GetRegion(b.ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("aurora: monitoring role: region: %w", err)
	}
	b.monRole, err = iam.NewRole(b.ctx, b.name("monitoring-role"), &iam.RoleArgs{
		Description:      pulumi.String("RDS Enhanced Monitoring of the Aurora PostgreSQL fallback"),
		AssumeRolePolicy: pulumi.String(monitoringTrust(caller.AccountId).JSON()),
		Tags:             b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: monitoring role: %w", err)
	}
	b.monPolicy, err = iam.NewRolePolicy(b.ctx, b.name("monitoring-policy"), &iam.RolePolicyArgs{
		Role:   b.monRole.ID(),
		Policy: pulumi.String(monitoringPolicy(region.Name, caller.AccountId).JSON()),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: monitoring policy: %w", err)
	}
	return nil
}
