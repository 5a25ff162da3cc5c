package aurora

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/logs"
)

// Application Auto Scaling's names for an Aurora cluster's readers.
const (
	ServiceNamespace  = "rds"
	ScalableDimension = "rds:cluster:ReadReplicaCount"
	// ReaderCPUMetric is the predefined metric the policy tracks: the
	// average CPU of the cluster's readers.
	ReaderCPUMetric = "RDSReaderAverageCPUUtilization"
)

// ResourceID is Application Auto Scaling's id of a cluster: "cluster:<id>".
func ResourceID(clusterIdentifier string) string { return "cluster:" + clusterIdentifier }

// Parameters are the cluster parameter group's settings: TLS on every
// connection, slow statements logged, and every DDL statement (CREATE,
// ALTER, DROP) logged, for the audit trail of schema changes. All three are
// dynamic: they apply without a reboot (parameterApplyMethod).
var Parameters = map[string]string{
	"rds.force_ssl":              "1",
	"log_min_duration_statement": fmt.Sprint(SlowQueryMillis),
	"log_statement":              "ddl",
}

// parameterApplyMethod is how RDS applies Parameters: at once, as they
// are dynamic.
const parameterApplyMethod = "immediate"

// builder holds what the steps of New share.
type builder struct {
	ctx    *pulumi.Context
	args   Args
	f      *Fallback
	parent pulumi.ResourceOption

	subnets *rds.SubnetGroup
	sg      *ec2.SecurityGroup
	params  *rds.ClusterParameterGroup
	logs    *cloudwatch.LogGroup
	// monRole and monPolicy are the Enhanced Monitoring role and its
	// permissions; nil when the interval is 0.
	monRole   *iam.Role
	monPolicy *iam.RolePolicy
	db        *rds.Cluster
	writerI   *rds.ClusterInstance
}

func (b *builder) name(suffix string) string { return b.args.Prefix + "-aurora-" + suffix }

// network creates the subnet group and the cluster's security group, which
// admits PostgreSQL from the application group only. It has no egress rule:
// security groups are stateful, so replies to admitted connections leave
// anyway, and Aurora starts no connections of its own through the VPC
// (storage, backups, log export and the managed secret are AWS's side).
// Pulumi removes the default allow-all egress rule of a new group, so a
// database that is broken into cannot call out either. An extension that
// calls out (aws_s3, aws_lambda) would need an egress rule added here.
func (b *builder) network() error {
	var err error
	b.subnets, err = rds.NewSubnetGroup(b.ctx, b.name("subnets"), &rds.SubnetGroupArgs{
		SubnetIds:   b.args.SubnetIDs,
		Description: pulumi.String("Private subnets of the Aurora PostgreSQL fallback"),
		Tags:        b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: subnet group: %w", err)
	}
	b.sg, err = ec2.NewSecurityGroup(b.ctx, b.name("sg"), &ec2.SecurityGroupArgs{
		VpcId:       b.args.VpcID,
		Description: pulumi.String("Aurora PostgreSQL fallback"),
		Tags:        b.args.Tags.Named(b.name("sg")),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: security group: %w", err)
	}
	rule := b.name(fmt.Sprintf("in-%d-from-app", PostgresPort))
	if _, err := vpc.NewSecurityGroupIngressRule(b.ctx, rule, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           b.sg.ID(),
		ReferencedSecurityGroupId: b.args.AppSecurityGroupID,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(PostgresPort),
		ToPort:                    pulumi.Int(PostgresPort),
		Description:               pulumi.String(fmt.Sprintf("PostgreSQL %d from the application group", PostgresPort)),
		Tags:                      b.args.Tags.Named(rule),
	}, b.parent); err != nil {
		return fmt.Errorf("aurora: rule %s: %w", rule, err)
	}
	return nil
}

// parameters creates the cluster parameter group of the engine's family.
// Its name is generated, so a new family (a major upgrade) or a new
// description (RDS cannot change either in place) creates the new group
// before the old one goes, and the cluster moves to it. A parameter added
// or changed in place applies at once.
func (b *builder) parameters() error {
	family, err := Family(b.args.EngineVersion)
	if err != nil {
		return fmt.Errorf("aurora: %w", err)
	}
	names := make([]string, 0, len(Parameters))
	for name := range Parameters {
		names = append(names, name)
	}
	sort.Strings(names) // a stable order: no diff from map iteration
	var params rds.ClusterParameterGroupParameterArray
	for _, name := range names {
		params = append(params, &rds.ClusterParameterGroupParameterArgs{
			Name:        pulumi.String(name),
			Value:       pulumi.String(Parameters[name]),
			ApplyMethod: pulumi.String(parameterApplyMethod),
		})
	}
	b.params, err = rds.NewClusterParameterGroup(b.ctx, b.name("params"), &rds.ClusterParameterGroupArgs{
		Family: pulumi.String(family),
		// The description stays as first deployed: RDS cannot edit it, so a
		// new one would replace the group.
		Description: pulumi.String("Aurora PostgreSQL fallback: TLS only, slow statements logged"),
		Parameters:  params,
		Tags:        b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: parameter group: %w", err)
	}
	return nil
}

// logGroup creates the group RDS exports the PostgreSQL log to, before the
// cluster: left to RDS, the group would keep its logs forever.
func (b *builder) logGroup() error {
	var err error
	b.logs, err = logs.NewGroup(b.ctx, b.name("logs"), logs.GroupArgs{
		Path:          LogGroupName(ClusterIdentifier(b.args.Prefix)),
		RetentionDays: b.args.LogRetentionDays,
		KMSKeyArn:     b.args.KMSKeyArn,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: %w", err)
	}
	return nil
}

// cluster creates the Aurora cluster itself.
func (b *builder) cluster() error {
	a := b.args
	windows, err := a.Schedule.Windows()
	if err != nil {
		return fmt.Errorf("aurora: %w", err)
	}
	args := &rds.ClusterArgs{
		ClusterIdentifier:      pulumi.String(ClusterIdentifier(a.Prefix)),
		Engine:                 pulumi.String(Engine),
		EngineMode:             pulumi.String("provisioned"),
		EngineVersion:          pulumi.String(a.EngineVersion),
		EngineLifecycleSupport: pulumi.String(LifecycleSupport),
		DatabaseName:           pulumi.String(a.Database),
		Port:                   pulumi.Int(PostgresPort),
		MasterUsername:         pulumi.String(MasterUsername),
		// RDS generates the password, keeps it in Secrets Manager and
		// rotates it: no password in config, code or state.
		ManageMasterUserPassword: pulumi.Bool(true),
		// Encrypted at rest whatever the key: AWS's aws/rds without KMSKeyArn.
		StorageEncrypted:                 pulumi.Bool(true),
		MonitoringInterval:               pulumi.Int(*a.MonitoringInterval),
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		EnabledCloudwatchLogsExports:     pulumi.ToStringArray([]string{"postgresql"}),
		BackupRetentionPeriod:            pulumi.Int(a.BackupRetentionDays),
		PreferredBackupWindow:            pulumi.String(windows.Backup),
		PreferredMaintenanceWindow:       pulumi.String(windows.Maintenance),
		CopyTagsToSnapshot:               pulumi.Bool(true),
		DeletionProtection:               pulumi.Bool(a.Protect),
		SkipFinalSnapshot:                pulumi.Bool(!a.Protect),
		DbSubnetGroupName:                b.subnets.Name,
		VpcSecurityGroupIds:              pulumi.StringArray{b.sg.ID().ToStringOutput()},
		DbClusterParameterGroupName:      b.params.Name,
		Tags:                             a.Tags.Tags(),
	}
	if a.Protect {
		args.FinalSnapshotIdentifier = pulumi.String(FinalSnapshotIdentifier(a.Prefix))
	}
	dependsOn := []pulumi.Resource{b.logs}
	if b.monRole != nil {
		// Enhanced Monitoring is set on the cluster, not only on the
		// writer: the readers Auto Scaling creates inherit the cluster's
		// setting, and no others. RDS checks the role when it is given, so
		// the cluster waits for the role's permissions.
		args.MonitoringRoleArn = b.monRole.Arn
		dependsOn = append(dependsOn, b.monPolicy)
	}
	if a.KMSKeyArn != nil {
		// The storage key is fixed at creation: a different key (or a key
		// where there was none) replaces the cluster, which Protect
		// refuses. The master secret's key can change in place.
		args.KmsKeyId = a.KMSKeyArn
		args.MasterUserSecretKmsKeyId = a.KMSKeyArn
	}
	if a.Writer.Serverless() {
		args.Serverlessv2ScalingConfiguration = &rds.ClusterServerlessv2ScalingConfigurationArgs{
			MinCapacity: pulumi.Float64(a.Writer.MinACU),
			MaxCapacity: pulumi.Float64(a.Writer.MaxACU),
		}
	}
	b.db, err = rds.NewCluster(b.ctx, b.name("cluster"), args, b.parent,
		pulumi.Protect(a.Protect),
		pulumi.DependsOn(dependsOn),
		// AWS upgrades minors in the maintenance window; see Args.EngineVersion.
		pulumi.IgnoreChanges([]string{"engineVersion"}))
	if err != nil {
		return fmt.Errorf("aurora: cluster: %w", err)
	}
	return nil
}

// writer creates the one instance Pulumi owns: the writer, first in line
// for promotion, in the first zone.
//
// It carries the cluster's Enhanced Monitoring setting too: the provider
// takes an instance without one for an instance with monitoring off, and
// would try to turn off what it inherits from the cluster. RDS refuses
// instance-level changes of a setting the cluster holds, so later changes
// are the cluster's alone (ignored here), and reach the writer from there.
func (b *builder) writer() error {
	args := &rds.ClusterInstanceArgs{
		ClusterIdentifier:          b.db.ClusterIdentifier,
		InstanceClass:              pulumi.String(b.args.Writer.InstanceClass),
		Engine:                     b.db.Engine,
		EngineVersion:              b.db.EngineVersion,
		DbSubnetGroupName:          b.subnets.Name,
		AvailabilityZone:           pulumi.String(b.args.AZs[0]),
		PerformanceInsightsEnabled: pulumi.Bool(true),
		MonitoringInterval:         pulumi.Int(*b.args.MonitoringInterval),
		PubliclyAccessible:         pulumi.Bool(false),
		PromotionTier:              pulumi.Int(0),
		AutoMinorVersionUpgrade:    pulumi.Bool(true),
		Tags:                       b.args.Tags.Tags(),
	}
	if b.monRole != nil {
		args.MonitoringRoleArn = b.monRole.Arn
	}
	if b.args.KMSKeyArn != nil {
		// Performance Insights keeps the key it started with.
		args.PerformanceInsightsKmsKeyId = b.args.KMSKeyArn
	}
	var err error
	b.writerI, err = rds.NewClusterInstance(b.ctx, b.name("writer"), args, b.parent,
		pulumi.IgnoreChanges([]string{"engineVersion", "monitoringInterval", "monitoringRoleArn"}))
	if err != nil {
		return fmt.Errorf("aurora: writer: %w", err)
	}
	return nil
}

// scaling registers the readers with Application Auto Scaling, which adds
// them up to the minimum itself: a target-tracking policy on reader CPU and
// the school-day schedule. The target waits for the writer, as Auto Scaling
// adds no readers to a cluster that is not yet available. The policy and the
// actions are created one after the other: Auto Scaling refuses concurrent
// changes to one target.
func (b *builder) scaling() error {
	a := b.args
	target, err := appautoscaling.NewTarget(b.ctx, b.name("readers"), &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String(ServiceNamespace),
		ScalableDimension: pulumi.String(ScalableDimension),
		ResourceId:        b.db.ClusterIdentifier.ApplyT(ResourceID).(pulumi.StringOutput),
		MinCapacity:       pulumi.Int(a.MinReaders),
		MaxCapacity:       pulumi.Int(a.MaxReaders),
		Tags:              a.Tags.Tags(),
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{b.writerI}),
		// The scheduled actions move the minimum twice a school day.
		pulumi.IgnoreChanges([]string{"minCapacity"}))
	if err != nil {
		return fmt.Errorf("aurora: scalable target: %w", err)
	}
	policy, err := appautoscaling.NewPolicy(b.ctx, b.name("reader-cpu"), &appautoscaling.PolicyArgs{
		Name:              pulumi.String(b.name("reader-cpu")),
		PolicyType:        pulumi.String("TargetTrackingScaling"),
		ServiceNamespace:  target.ServiceNamespace,
		ScalableDimension: target.ScalableDimension,
		ResourceId:        target.ResourceId,
		TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
			PredefinedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String(ReaderCPUMetric),
			},
			TargetValue:      pulumi.Float64(float64(a.TargetCPU)),
			ScaleOutCooldown: pulumi.Int(ScaleOutCooldownSeconds),
			ScaleInCooldown:  pulumi.Int(ScaleInCooldownSeconds),
		},
	}, b.parent)
	if err != nil {
		return fmt.Errorf("aurora: scaling policy: %w", err)
	}

	previous := pulumi.Resource(policy)
	for _, act := range []struct {
		suffix, at string
		minimum    int
	}{
		{"school-day-start", a.Schedule.Start, a.Peak()},
		{"school-day-end", a.Schedule.End, a.MinReaders},
	} {
		schedule, err := Cron(act.at, a.Schedule.Days)
		if err != nil {
			return fmt.Errorf("aurora: %s: %w", act.suffix, err)
		}
		action, err := appautoscaling.NewScheduledAction(b.ctx, b.name(act.suffix), &appautoscaling.ScheduledActionArgs{
			Name:              pulumi.String(b.name(act.suffix)),
			ServiceNamespace:  target.ServiceNamespace,
			ScalableDimension: target.ScalableDimension,
			ResourceId:        target.ResourceId,
			Schedule:          pulumi.String(schedule),
			Timezone:          pulumi.String(a.Schedule.TimeZone),
			ScalableTargetAction: &appautoscaling.ScheduledActionScalableTargetActionArgs{
				MinCapacity: pulumi.Int(act.minimum),
				MaxCapacity: pulumi.Int(a.MaxReaders),
			},
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{previous}))
		if err != nil {
			return fmt.Errorf("aurora: scheduled action %s: %w", act.suffix, err)
		}
		previous = action
	}
	return nil
}
