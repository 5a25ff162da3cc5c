package aurora_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/aurora"
	policy "edstack/components/iam"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	componentType = "edstack:aurora:Fallback"
	clusterType   = "aws:rds/cluster:Cluster"
	instanceType  = "aws:rds/clusterInstance:ClusterInstance"
	subnetsType   = "aws:rds/subnetGroup:SubnetGroup"
	paramsType    = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	sgType        = "aws:ec2/securityGroup:SecurityGroup"
	ingressType   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressType    = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	logGroupType  = "aws:cloudwatch/logGroup:LogGroup"
	targetType    = "aws:appautoscaling/target:Target"
	policyType    = "aws:appautoscaling/policy:Policy"
	actionType    = "aws:appautoscaling/scheduledAction:ScheduledAction"
	roleType      = "aws:iam/role:Role"
	rolePolType   = "aws:iam/rolePolicy:RolePolicy"
	attachType    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	secretType    = "aws:secretsmanager/secret:Secret"

	appSG = "nz-crdb-app-sg-id"
)

var (
	zones   = []string{"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"}
	subnets = []string{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"}
)

// outputs are the component's outputs, read after the run.
type outputs struct {
	fallback *aurora.Fallback
	values   map[string]any
}

// run plans a Fallback with args; the network inputs, prefix, tags and
// (when empty) the engine version and time zone are filled in.
func run(args aurora.Args) (*engine.Result, *outputs, error) {
	args.Prefix, args.AZs = "nz", zones
	args.VpcID = pulumi.String("nz-vpc-id")
	args.SubnetIDs = pulumi.ToStringArray(subnets)
	args.AppSecurityGroupID = pulumi.String(appSG)
	args.Tags = tags.Base{Country: "nz", Stack: "nz"}.For("aurora")
	if args.EngineVersion == "" {
		args.EngineVersion = "16.6"
	}
	if args.Schedule.TimeZone == "" {
		args.Schedule.TimeZone = "Pacific/Auckland"
	}
	out := &outputs{}
	var collected engine.Collector
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		f, err := aurora.New(ctx, "nz-aurora", args)
		if err != nil {
			return err
		}
		out.fallback = f
		for name, o := range map[string]pulumi.Output{
			"writerEndpoint": f.WriterEndpoint, "readerEndpoint": f.ReaderEndpoint,
			"masterSecretArn": f.MasterSecretArn, "clusterIdentifier": f.ClusterIdentifier,
			"securityGroupId": f.SecurityGroupID,
		} {
			collected.Collect(name, o)
		}
		return nil
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	if err != nil {
		return nil, nil, err
	}
	out.values, err = collected.Wait(5 * time.Second)
	return res, out, err
}

func build(t *testing.T, args aurora.Args) (*engine.Result, *outputs) {
	t.Helper()
	res, out, err := run(args)
	require.NoError(t, err)
	return res, out
}

func named(t *testing.T, res *engine.Result, typ, name string) *engine.Resource {
	t.Helper()
	r := res.Named(typ, name)
	require.NotNil(t, r, "%s %s", typ, name)
	return r
}

func TestCluster(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	c := named(t, res, clusterType, "nz-aurora-cluster")
	assert.Equal(t, "nz-aurora", c.Input("clusterIdentifier"))
	assert.Equal(t, "aurora-postgresql", c.Input("engine"))
	assert.Equal(t, "provisioned", c.Input("engineMode"))
	assert.Equal(t, "16.6", c.Input("engineVersion"))
	assert.Equal(t, "open-source-rds-extended-support-disabled", c.Input("engineLifecycleSupport"), "no paid Extended Support")
	assert.Equal(t, "app", c.Input("databaseName"))
	assert.Equal(t, float64(5432), c.Input("port"))
	assert.Equal(t, "edstack_admin", c.Input("masterUsername"))

	// RDS manages the master password: nothing in config or state.
	assert.Equal(t, true, c.Input("manageMasterUserPassword"))
	_, hasPassword := c.Inputs["masterPassword"]
	assert.False(t, hasPassword, "no masterPassword input at all")

	assert.Equal(t, true, c.Input("storageEncrypted"))
	assert.Equal(t, true, c.Input("iamDatabaseAuthenticationEnabled"))
	assert.Equal(t, []any{"postgresql"}, c.Input("enabledCloudwatchLogsExports"))
	assert.Equal(t, true, c.Input("copyTagsToSnapshot"))
	assert.Equal(t, float64(7), c.Input("backupRetentionPeriod"))

	// Backups and maintenance in the New Zealand night, in UTC.
	assert.Equal(t, "11:00-11:30", c.Input("preferredBackupWindow"))
	assert.Equal(t, "sat:12:00-sat:13:00", c.Input("preferredMaintenanceWindow"), "early Sunday in Auckland")

	// Wired to the component's own subnet group, security group and parameters.
	assert.Equal(t, named(t, res, subnetsType, "nz-aurora-subnets").State["name"].StringValue(), c.Input("dbSubnetGroupName"))
	assert.Equal(t, []any{"nz-aurora-sg-id"}, c.Input("vpcSecurityGroupIds"))
	assert.Equal(t, named(t, res, paramsType, "nz-aurora-params").State["name"].StringValue(), c.Input("dbClusterParameterGroupName"))

	comp := named(t, res, componentType, "nz-aurora")
	assert.Equal(t, comp.URN, c.Parent)
	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, comp.URN, r.Parent, "%s %s is a child of the component", r.Type, r.Name)
		}
	}
	other := aurora.Args{BackupRetentionDays: 30, Database: "edstack"}
	res, _ = build(t, other)
	c = named(t, res, clusterType, "nz-aurora-cluster")
	assert.Equal(t, float64(30), c.Input("backupRetentionPeriod"))
	assert.Equal(t, "edstack", c.Input("databaseName"))
}

func TestEngineVersion17(t *testing.T) {
	res, _ := build(t, aurora.Args{EngineVersion: "17.4"})
	assert.Equal(t, "17.4", named(t, res, clusterType, "nz-aurora-cluster").Input("engineVersion"))
	assert.Equal(t, "aurora-postgresql17", named(t, res, paramsType, "nz-aurora-params").Input("family"))
	assert.Equal(t, "17.4", named(t, res, instanceType, "nz-aurora-writer").Input("engineVersion"))
}

func TestProtect(t *testing.T) {
	tests := []struct {
		protect bool
		final   any
	}{
		{true, "nz-aurora-final"},
		{false, nil},
	}
	for _, tt := range tests {
		res, _ := build(t, aurora.Args{Protect: tt.protect})
		c := named(t, res, clusterType, "nz-aurora-cluster")
		assert.Equal(t, tt.protect, c.Protect, "pulumi protect, Protect=%v", tt.protect)
		assert.Equal(t, tt.protect, c.Input("deletionProtection"), "Protect=%v", tt.protect)
		assert.Equal(t, !tt.protect, c.Input("skipFinalSnapshot"), "Protect=%v", tt.protect)
		assert.Equal(t, tt.final, c.Input("finalSnapshotIdentifier"), "Protect=%v", tt.protect)
	}
}

func TestNetwork(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	assert.Equal(t, []any{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"},
		named(t, res, subnetsType, "nz-aurora-subnets").Input("subnetIds"))

	sg := named(t, res, sgType, "nz-aurora-sg")
	assert.Equal(t, "nz-vpc-id", sg.Input("vpcId"))
	assert.Nil(t, sg.Input("ingress"), "rules are separate resources")
	assert.Nil(t, sg.Input("egress"), "no egress: replies pass a stateful group, and Aurora calls nothing")

	rules := res.OfType(ingressType)
	require.Len(t, rules, 1, "one way in")
	r := rules[0]
	assert.Equal(t, "nz-aurora-in-5432-from-app", r.Name)
	assert.Equal(t, "nz-aurora-sg-id", r.Input("securityGroupId"))
	assert.Equal(t, appSG, r.Input("referencedSecurityGroupId"))
	assert.Equal(t, "tcp", r.Input("ipProtocol"))
	assert.Equal(t, float64(5432), r.Input("fromPort"))
	assert.Equal(t, float64(5432), r.Input("toPort"))
	for _, k := range []string{"cidrIpv4", "cidrIpv6", "prefixListId"} {
		assert.Nil(t, r.Input(k), "no address range: %s", k)
	}
	assert.Empty(t, res.OfType(egressType))
}

func TestParameterGroup(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	p := named(t, res, paramsType, "nz-aurora-params")
	assert.Equal(t, "aurora-postgresql16", p.Input("family"))
	params := map[string]any{}
	for _, v := range p.Input("parameters").([]any) {
		kv := v.(map[string]any)
		params[kv["name"].(string)] = kv["value"]
		assert.Equal(t, "immediate", kv["applyMethod"], "%s is dynamic: no reboot", kv["name"])
	}
	assert.Equal(t, map[string]any{
		"rds.force_ssl":              "1", // TLS on every connection
		"log_min_duration_statement": "1000",
		"log_statement":              "ddl", // schema changes in the log
	}, params)
	assert.Equal(t, "Aurora PostgreSQL fallback: TLS only, slow statements logged", p.Input("description"))
}

func TestWriterCapacity(t *testing.T) {
	t.Run("serverless by default", func(t *testing.T) {
		res, _ := build(t, aurora.Args{})
		c := named(t, res, clusterType, "nz-aurora-cluster")
		assert.Equal(t, map[string]any{"minCapacity": 0.5, "maxCapacity": float64(16)}, c.Input("serverlessv2ScalingConfiguration"))
		assert.Equal(t, "db.serverless", named(t, res, instanceType, "nz-aurora-writer").Input("instanceClass"))
	})
	t.Run("serverless range", func(t *testing.T) {
		res, _ := build(t, aurora.Args{Writer: aurora.Writer{MinACU: 2, MaxACU: 64}})
		c := named(t, res, clusterType, "nz-aurora-cluster")
		assert.Equal(t, map[string]any{"minCapacity": float64(2), "maxCapacity": float64(64)}, c.Input("serverlessv2ScalingConfiguration"))
	})
	t.Run("provisioned class", func(t *testing.T) {
		res, _ := build(t, aurora.Args{Writer: aurora.Writer{InstanceClass: "db.r7g.large"}})
		c := named(t, res, clusterType, "nz-aurora-cluster")
		assert.Nil(t, c.Input("serverlessv2ScalingConfiguration"), "a provisioned writer has no capacity range")
		assert.Equal(t, "db.r7g.large", named(t, res, instanceType, "nz-aurora-writer").Input("instanceClass"))
	})
}

func TestWriterInstance(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	instances := res.OfType(instanceType)
	require.Len(t, instances, 1, "only the writer: Auto Scaling owns the readers")
	w := instances[0]
	assert.Equal(t, "nz-aurora-writer", w.Name)
	assert.Equal(t, "nz-aurora", w.Input("clusterIdentifier"))
	assert.Equal(t, "aurora-postgresql", w.Input("engine"))
	assert.Equal(t, "16.6", w.Input("engineVersion"))
	assert.Equal(t, true, w.Input("performanceInsightsEnabled"))
	assert.Equal(t, false, w.Input("publiclyAccessible"))
	assert.Equal(t, float64(0), w.Input("promotionTier"))
	assert.Equal(t, true, w.Input("autoMinorVersionUpgrade"))
	assert.Equal(t, "ap-southeast-2a", w.Input("availabilityZone"))
	assert.Equal(t, named(t, res, subnetsType, "nz-aurora-subnets").State["name"].StringValue(), w.Input("dbSubnetGroupName"))
	assert.Contains(t, w.Dependencies, named(t, res, clusterType, "nz-aurora-cluster").URN)
}

func TestReaderScaling(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	target := named(t, res, targetType, "nz-aurora-readers")
	assert.Equal(t, "rds", target.Input("serviceNamespace"))
	assert.Equal(t, "rds:cluster:ReadReplicaCount", target.Input("scalableDimension"))
	assert.Equal(t, "cluster:nz-aurora", target.Input("resourceId"))
	assert.Equal(t, float64(1), target.Input("minCapacity"))
	assert.Equal(t, float64(4), target.Input("maxCapacity"))
	assert.Contains(t, target.Dependencies, named(t, res, instanceType, "nz-aurora-writer").URN,
		"Auto Scaling adds readers only to an available cluster")

	policy := named(t, res, policyType, "nz-aurora-reader-cpu")
	assert.Equal(t, "TargetTrackingScaling", policy.Input("policyType"))
	assert.Equal(t, "cluster:nz-aurora", policy.Input("resourceId"))
	assert.Equal(t, "rds", policy.Input("serviceNamespace"))
	assert.Equal(t, "rds:cluster:ReadReplicaCount", policy.Input("scalableDimension"))
	cfg := "targetTrackingScalingPolicyConfiguration"
	assert.Equal(t, "RDSReaderAverageCPUUtilization", policy.Input(cfg, "predefinedMetricSpecification", "predefinedMetricType"))
	assert.Equal(t, float64(70), policy.Input(cfg, "targetValue"))
	assert.Equal(t, float64(60), policy.Input(cfg, "scaleOutCooldown"))
	assert.Equal(t, float64(300), policy.Input(cfg, "scaleInCooldown"))
	assert.Contains(t, policy.Dependencies, target.URN)

	start := named(t, res, actionType, "nz-aurora-school-day-start")
	assert.Equal(t, "cron(0 7 ? * MON-FRI *)", start.Input("schedule"))
	assert.Equal(t, "Pacific/Auckland", start.Input("timezone"))
	assert.Equal(t, "cluster:nz-aurora", start.Input("resourceId"))
	assert.Equal(t, "rds:cluster:ReadReplicaCount", start.Input("scalableDimension"))
	assert.Equal(t, map[string]any{"minCapacity": float64(2), "maxCapacity": float64(4)}, start.Input("scalableTargetAction"),
		"the morning raises the minimum to the peak")
	end := named(t, res, actionType, "nz-aurora-school-day-end")
	assert.Equal(t, "cron(0 18 ? * MON-FRI *)", end.Input("schedule"))
	assert.Equal(t, "Pacific/Auckland", end.Input("timezone"))
	assert.Equal(t, map[string]any{"minCapacity": float64(1), "maxCapacity": float64(4)}, end.Input("scalableTargetAction"),
		"the evening lowers it back")
	// One change at a time to the target.
	assert.Contains(t, start.Dependencies, policy.URN)
	assert.Contains(t, end.Dependencies, start.URN)
	assert.Len(t, res.OfType(actionType), 2)
}

func TestReaderScalingCustom(t *testing.T) {
	res, out := build(t, aurora.Args{
		MinReaders: 2, MaxReaders: 10, PeakMinReaders: new(6), TargetCPU: 55,
		Schedule: aurora.SchoolDay{TimeZone: "Europe/London", Start: "08:30", End: "15:15", Days: "MON-THU"},
	})
	target := named(t, res, targetType, "nz-aurora-readers")
	assert.Equal(t, float64(2), target.Input("minCapacity"))
	assert.Equal(t, float64(10), target.Input("maxCapacity"))
	assert.Equal(t, float64(55), named(t, res, policyType, "nz-aurora-reader-cpu").Input("targetTrackingScalingPolicyConfiguration", "targetValue"))
	start := named(t, res, actionType, "nz-aurora-school-day-start")
	assert.Equal(t, "cron(30 8 ? * MON-THU *)", start.Input("schedule"))
	assert.Equal(t, "Europe/London", start.Input("timezone"))
	assert.Equal(t, map[string]any{"minCapacity": float64(6), "maxCapacity": float64(10)}, start.Input("scalableTargetAction"))
	end := named(t, res, actionType, "nz-aurora-school-day-end")
	assert.Equal(t, "cron(15 15 ? * MON-THU *)", end.Input("schedule"))
	assert.Equal(t, map[string]any{"minCapacity": float64(2), "maxCapacity": float64(10)}, end.Input("scalableTargetAction"))
	assert.Equal(t, [2]int{2, 10}, out.fallback.ScalingRange)
}

// A school-day minimum of 0 is what it says, not a request for the default.
func TestReaderScalingPeakZeroHonoured(t *testing.T) {
	res, _ := build(t, aurora.Args{MinReaders: 0, MaxReaders: 3, PeakMinReaders: new(0)})
	start := named(t, res, actionType, "nz-aurora-school-day-start")
	assert.Equal(t, map[string]any{"minCapacity": float64(0), "maxCapacity": float64(3)}, start.Input("scalableTargetAction"))
	res, _ = build(t, aurora.Args{MinReaders: 0, MaxReaders: 3})
	start = named(t, res, actionType, "nz-aurora-school-day-start")
	assert.Equal(t, float64(2), start.Input("scalableTargetAction", "minCapacity"), "unset: the default, max(min, 2)")
}

func TestLogGroup(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	g := named(t, res, logGroupType, "nz-aurora-logs")
	assert.Equal(t, "/aws/rds/cluster/nz-aurora/postgresql", g.Input("name"), "where RDS exports the postgresql log")
	assert.Equal(t, float64(90), g.Input("retentionInDays"))
	assert.Contains(t, named(t, res, clusterType, "nz-aurora-cluster").Dependencies, g.URN,
		"the group exists before RDS would create a never-expiring one")

	res, _ = build(t, aurora.Args{LogRetentionDays: 14})
	assert.Equal(t, float64(14), named(t, res, logGroupType, "nz-aurora-logs").Input("retentionInDays"))
}

func TestTags(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	n := 0
	for _, r := range res.Resources {
		if !r.Custom || !tags.Taggable(r.Type) {
			continue
		}
		n++
		assert.NoError(t, tags.Base{Country: "nz", Stack: "nz"}.For("aurora").Check(r.Input("tags")), "%s %s", r.Type, r.Name)
	}
	assert.Equal(t, 10, n, "subnet group, security group, rule, parameters, log group, monitoring role, cluster, writer, target, connection secret")
	assert.Equal(t, "nz-aurora-sg", named(t, res, sgType, "nz-aurora-sg").Input("tags", "Name"))
}

func TestOutputs(t *testing.T) {
	_, out := build(t, aurora.Args{})
	assert.Equal(t, map[string]any{
		"writerEndpoint":    "nz-aurora.cluster-abc.ap-southeast-2.rds.amazonaws.com",
		"readerEndpoint":    "nz-aurora.cluster-ro-abc.ap-southeast-2.rds.amazonaws.com",
		"masterSecretArn":   "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:rds!cluster-nz-aurora-cluster",
		"clusterIdentifier": "nz-aurora",
		"securityGroupId":   "nz-aurora-sg-id",
	}, out.values)
	assert.Equal(t, 5432, out.fallback.Port)
	assert.Equal(t, [2]int{1, 4}, out.fallback.ScalingRange)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	_, _, err := run(aurora.Args{EngineVersion: "15.4", MaxReaders: 16})
	require.Error(t, err)
	assert.ErrorContains(t, err, `EngineVersion "15.4"`)
	assert.ErrorContains(t, err, "MaxReaders 16")
}

// Pulumi leaves alone what AWS and the schedule change on their own: the
// engine version (minor upgrades in the maintenance window), the scalable
// target's minimum (moved twice a school day) and the writer's Enhanced
// Monitoring, which follows the cluster's.
func TestIgnoredChanges(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	assert.Equal(t, []string{"engineVersion"}, named(t, res, clusterType, "nz-aurora-cluster").IgnoreChanges)
	assert.Equal(t, []string{"engineVersion", "monitoringInterval", "monitoringRoleArn"}, named(t, res, instanceType, "nz-aurora-writer").IgnoreChanges,
		"Enhanced Monitoring changes go through the cluster, which RDS requires once the cluster holds it")
	assert.Equal(t, []string{"minCapacity"}, named(t, res, targetType, "nz-aurora-readers").IgnoreChanges)
}

func TestCheckInstanceClass(t *testing.T) {
	for _, ok := range []string{"db.serverless", "db.r7g.large", "db.r6i.32xlarge", "db.x2g.2xlarge", "db.t4g.medium", "db.r8g.48xlarge"} {
		assert.NoError(t, aurora.CheckInstanceClass(ok), ok)
	}
	for _, bad := range []string{"db.serverless.v2", "r7g.large", "db.m5.large", "db.r6gd.xlarge", ""} {
		assert.ErrorContains(t, aurora.CheckInstanceClass(bad), "Aurora PostgreSQL does not offer it", bad)
	}
	// Sizes a family does not come in.
	for bad, want := range map[string]string{
		"db.t3.micro": `db.t3 in size "micro"; use one of medium, large`, "db.t4g.xlarge": `db.t4g in size "xlarge"`,
		"db.r6g.48xlarge": `db.r6g in size "48xlarge"`, "db.r7g.24xlarge": `db.r7g in size "24xlarge"`, "db.x2g.32xlarge": "db.x2g",
	} {
		assert.ErrorContains(t, aurora.CheckInstanceClass(bad), want, bad)
	}
}

// Enhanced Monitoring is on the cluster, which the readers Auto Scaling adds
// inherit, and on every instance Pulumi registers (the writer), all with the
// component's role.
func TestEnhancedMonitoring(t *testing.T) {
	tests := []struct {
		name     string
		interval *int
		want     float64
	}{
		{"default", nil, 60},
		{"every second", new(1), 1},
		{"every 15 s", new(15), 15},
		{"every 30 s", new(30), 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := build(t, aurora.Args{MonitoringInterval: tt.interval})
			roles := res.OfType(roleType)
			require.Len(t, roles, 1)
			role := roles[0]
			assert.Equal(t, "nz-aurora-monitoring-role", role.Name)
			roleArn := role.State["arn"].StringValue()

			c := named(t, res, clusterType, "nz-aurora-cluster")
			assert.Equal(t, tt.want, c.Input("monitoringInterval"))
			assert.Equal(t, roleArn, c.Input("monitoringRoleArn"))
			assert.Contains(t, c.Dependencies, named(t, res, rolePolType, "nz-aurora-monitoring-policy").URN,
				"RDS checks the role's permissions when the cluster is created")

			instances := res.OfType(instanceType)
			require.NotEmpty(t, instances)
			for _, i := range instances {
				assert.Equal(t, tt.want, i.Input("monitoringInterval"), i.Name)
				assert.Equal(t, roleArn, i.Input("monitoringRoleArn"), i.Name)
			}
		})
	}
}

// An interval of 0 is honoured: Enhanced Monitoring off, and no role.
func TestEnhancedMonitoringOff(t *testing.T) {
	res, _ := build(t, aurora.Args{MonitoringInterval: new(0)})
	c := named(t, res, clusterType, "nz-aurora-cluster")
	assert.Equal(t, float64(0), c.Input("monitoringInterval"))
	assert.Nil(t, c.Input("monitoringRoleArn"))
	w := named(t, res, instanceType, "nz-aurora-writer")
	assert.Equal(t, float64(0), w.Input("monitoringInterval"))
	assert.Nil(t, w.Input("monitoringRoleArn"))
	assert.Empty(t, res.OfType(roleType))
	assert.Empty(t, res.OfType(rolePolType))
}

// Only the RDS monitoring service may assume the role, and only for this
// account: the confused-deputy condition.
func TestMonitoringRoleTrust(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	trust, err := policy.Parse(named(t, res, roleType, "nz-aurora-monitoring-role").Input("assumeRolePolicy").(string))
	require.NoError(t, err)
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, map[string]any{"Service": "monitoring.rds.amazonaws.com"}, st.Principal)
	assert.Equal(t, []string{"sts:AssumeRole"}, st.Action)
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"aws:SourceAccount": engine.AccountID}}, st.Condition)
}

// The role's permissions are AWS's AmazonRDSEnhancedMonitoringRole written
// inline and scoped to the stack's region and account; no managed policy is
// attached.
func TestMonitoringPolicy(t *testing.T) {
	res, _ := build(t, aurora.Args{})
	role := named(t, res, roleType, "nz-aurora-monitoring-role")
	pol := named(t, res, rolePolType, "nz-aurora-monitoring-policy")
	assert.Equal(t, role.ID, pol.Input("role"))
	doc, err := policy.Parse(pol.Input("policy").(string))
	require.NoError(t, err)
	groups := "arn:aws:logs:ap-southeast-2:" + engine.AccountID + ":log-group:RDS*"
	assert.Equal(t, []policy.Statement{
		policy.Allow("EnhancedMonitoringLogGroups", []string{"logs:CreateLogGroup", "logs:PutRetentionPolicy"}, groups),
		policy.Allow("EnhancedMonitoringLogStreams",
			[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"},
			groups+":log-stream:*"),
	}, doc.Statement)

	assert.Empty(t, res.OfType(attachType), "no managed policy attached")
	assert.Nil(t, role.Input("managedPolicyArns"))
}

const countryKey = "arn:aws:kms:ap-southeast-2:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"

// The country's key, when given, encrypts the cluster's storage, its
// Performance Insights data, the master secret and the connection secret;
// without it, AWS's managed keys do, and storage is encrypted all the same.
func TestKMSKey(t *testing.T) {
	tests := []struct {
		name string
		key  pulumi.StringInput
		want any
	}{
		{"AWS managed keys", nil, nil},
		{"country key", pulumi.String(countryKey), countryKey},
		{"country key from another resource", pulumi.String(countryKey).ToStringOutput(), countryKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := build(t, aurora.Args{KMSKeyArn: tt.key})
			c := named(t, res, clusterType, "nz-aurora-cluster")
			assert.Equal(t, true, c.Input("storageEncrypted"))
			assert.Equal(t, tt.want, c.Input("kmsKeyId"))
			assert.Equal(t, tt.want, c.Input("masterUserSecretKmsKeyId"), "the RDS-managed master secret")
			assert.Equal(t, true, c.Input("manageMasterUserPassword"))
			for _, i := range res.OfType(instanceType) {
				assert.Equal(t, true, i.Input("performanceInsightsEnabled"), i.Name)
				assert.Equal(t, tt.want, i.Input("performanceInsightsKmsKeyId"), i.Name)
			}
			assert.Equal(t, tt.want, named(t, res, secretType, "nz-aurora-connection").Input("kmsKeyId"))
		})
	}
}
