// Package cockroach runs a CockroachDB cluster on ECS Fargate Spot: one ECS
// service per node for a stable identity, spread evenly over the zones,
// reachable by stable names in a Cloud Map namespace and through an internal
// Network Load Balancer, with TLS everywhere, hourly backups to S3 and drain
// settings that fit inside the two-minute Spot notice.
//
// On Fargate a task's disk dies with the task: every Spot interruption is a
// node replacement. The design keeps that safe with a replication factor of
// 5, an even spread over three zones, a short time until a lost store is
// re-replicated, services that roll one at a time, and frequent backups.
package cockroach

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/servicediscovery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/logs"
	"edstack/components/storage"
	"edstack/components/tags"
)

// Args configure a Cluster.
type Args struct {
	// Prefix starts every resource name, e.g. "nz".
	Prefix string
	Region string
	// AZs are the zones, in the order of PrivateSubnetIDs.
	AZs              []string
	VpcID            pulumi.IDOutput
	PrivateSubnetIDs pulumi.StringArrayOutput
	// AppSecurityGroupID is the group whose members may reach SQL.
	AppSecurityGroupID pulumi.StringInput

	// Nodes is the node count, at least 3. Default 12.
	Nodes int
	// CPU and MemoryMiB are the task size. Default 4096 / 24576.
	CPU, MemoryMiB int
	// StorageGiB is the task's ephemeral storage, 21-200. Default 200.
	StorageGiB int
	// Version is the cockroachdb/cockroach image tag, e.g. "v26.2.0".
	Version string
	// Image says where the image comes from (Version is its tag). Default:
	// Docker Hub, anonymously.
	Image Image
	// ReplicationFactor of every range. Default 5 with 5 or more nodes, else 3.
	ReplicationFactor int
	// OnDemandNodes run on FARGATE instead of FARGATE_SPOT. Default 0.
	OnDemandNodes int
	// LicenseSecretArn is a Secrets Manager secret holding the licence key;
	// empty for none, which Unlicensed must then acknowledge.
	LicenseSecretArn string
	// Unlicensed acknowledges a cluster without a licence key, which
	// CockroachDB throttles 7 days after init: for development stacks.
	Unlicensed bool
	// BackupRetentionDays is how long a backup chain is kept. Default 35.
	BackupRetentionDays int
	// DeployedNodes is the node count of the stack's saved state (see
	// DeployedNodes); 0 for a cluster never deployed, whose roll gates may
	// then take an empty, uninitialized cluster for new.
	DeployedNodes int
	// Database and User the application connects as. Default "app" / "app".
	Database, User   string
	LogRetentionDays int
	// KMSKeyArn is the country's customer managed key: it encrypts the
	// secrets, the backups, the log groups and the roll gate's environment,
	// and the execution role (secrets), the task role (backups) and the
	// gate may use it. nil: AWS managed keys.
	KMSKeyArn pulumi.StringInput
	// BackupAccessLogs, when set, is where the backups bucket's S3 server
	// access logs go (every read of a backup is then on record). Default
	// nil: none.
	BackupAccessLogs *storage.LogTarget
	// Metrics runs the metrics collector beside every node (metrics.go),
	// which exports the metrics the alarms watch to CloudWatch, in a share
	// of the node's task (TaskBudget). Default false.
	Metrics bool
	// ContainerInsights turns on Container Insights for the ECS cluster:
	// CPU, memory and running task counts per node service. Default false.
	ContainerInsights bool
	// Protect marks the resources that hold data and are never replaced
	// (backups bucket, secrets, CA) protected: `pulumi destroy` refuses to
	// delete them. It also turns on the load balancer's deletion protection
	// (see loadBalancer).
	Protect bool
	Tags    tags.Set
}

// Defaults and limits owned by the cluster.
const (
	DefaultNodes               = 12
	DefaultBackupRetentionDays = 35
	// MinBackupRetentionDays keeps at least a week of daily full backups.
	MinBackupRetentionDays = 7
)

func (a *Args) withDefaults() {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&a.Nodes, DefaultNodes)
	def(&a.CPU, DefaultCPU)
	def(&a.MemoryMiB, DefaultMemoryMiB)
	def(&a.StorageGiB, DefaultStorageGiB)
	def(&a.ReplicationFactor, DefaultReplicationFactor(a.Nodes))
	def(&a.LogRetentionDays, logs.DefaultRetentionDays)
	def(&a.BackupRetentionDays, DefaultBackupRetentionDays)
	if a.Database == "" {
		a.Database = "app"
	}
	if a.User == "" {
		a.User = "app"
	}
	a.Image.Version = a.Version
}

// Validate checks the arguments that do not depend on other resources.
func (a Args) Validate() error {
	switch {
	case a.Nodes < MinNodes:
		return fmt.Errorf("cockroach: %d nodes: a cluster needs at least 3", a.Nodes)
	case len(a.AZs) == 0:
		return fmt.Errorf("cockroach: no availability zones")
	case a.AppSecurityGroupID == nil:
		return fmt.Errorf("cockroach: no application security group to admit")
	case a.StorageGiB < MinStorageGiB || a.StorageGiB > MaxStorageGiB:
		return fmt.Errorf("cockroach: %d GiB of ephemeral storage: Fargate takes %d to %d", a.StorageGiB, MinStorageGiB, MaxStorageGiB)
	case a.ReplicationFactor < 3 || a.ReplicationFactor%2 == 0 || a.ReplicationFactor > a.Nodes:
		return fmt.Errorf("cockroach: replication factor %d: use an odd number from 3 to the node count (%d)", a.ReplicationFactor, a.Nodes)
	case a.OnDemandNodes < 0 || a.OnDemandNodes > a.Nodes:
		return fmt.Errorf("cockroach: %d on-demand nodes: use 0 to the node count (%d)", a.OnDemandNodes, a.Nodes)
	case a.Version == "":
		return fmt.Errorf("cockroach: no version")
	case a.LicenseSecretArn == "" && !a.Unlicensed:
		return fmt.Errorf("cockroach: no licence key: CockroachDB throttles an unlicensed cluster 7 days after init; give a licence secret, or acknowledge Unlicensed")
	case a.BackupRetentionDays < MinBackupRetentionDays:
		return fmt.Errorf("cockroach: backups kept %d days: keep at least %d", a.BackupRetentionDays, MinBackupRetentionDays)
	}
	if p := a.Image.Problems(a.Prefix); len(p) > 0 {
		return fmt.Errorf("cockroach: image %s %q: use %s", p[0][0], p[0][1], p[0][2])
	}
	if err := DefaultShutdown.Validate(ReadinessCheck, SpotNotice); err != nil {
		return fmt.Errorf("cockroach: %w", err)
	}
	if err := DefaultRollGate.Validate(); err != nil {
		return fmt.Errorf("cockroach: %w", err)
	}
	return CheckFargateSize(a.CPU, a.MemoryMiB)
}

// Cluster is the component and its outputs.
type Cluster struct {
	pulumi.ResourceState

	// Topology is the cluster's shape and what it survives.
	Topology Topology
	// Namespace is the Cloud Map namespace the nodes are named in.
	Namespace string

	// SQLEndpoint is "<load balancer>:26257".
	SQLEndpoint pulumi.StringOutput
	// ConnectionSecretArn holds the application's connection details.
	ConnectionSecretArn pulumi.StringOutput
	// BackupBucket is the name of the backups bucket.
	BackupBucket pulumi.StringOutput
	// ClusterName is the ECS cluster's name, the value of the nodes'
	// metrics' dimension (MetricsDimension) and of Container Insights'
	// ClusterName.
	ClusterName pulumi.StringOutput
	// ClusterArn is the ECS cluster's ARN, which task events name.
	ClusterArn pulumi.StringOutput
	// ServiceNames are the node services' names, node 0 first.
	ServiceNames []string
	// MetricsLogGroup is the collector's log group; "" without Metrics.
	MetricsLogGroup string
}

// New creates the cluster under name (e.g. "nz-cockroach").
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Cluster, error) {
	args.withDefaults()
	if err := args.Validate(); err != nil {
		return nil, err
	}
	c := &Cluster{
		Topology:  NewTopology(args.Nodes, len(args.AZs), args.ReplicationFactor),
		Namespace: "crdb." + args.Prefix + ".internal",
	}
	if err := ctx.RegisterComponentResource(ComponentType, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, args: args, c: c, parent: pulumi.Parent(c)}
	b.stateful = []pulumi.ResourceOption{b.parent}
	if args.Protect {
		b.stateful = append(b.stateful, pulumi.Protect(true))
	}
	for _, step := range []func() error{b.network, b.loadBalancer, b.backups, b.secrets, b.ecsCluster, b.registry, b.roles, b.gateFunction, b.services} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	c.SQLEndpoint = pulumi.Sprintf("%s:%d", b.nlb.DnsName, SQLPort)
	c.ConnectionSecretArn = b.connection.Arn
	c.BackupBucket = b.bucket.Name
	c.ClusterName, c.ClusterArn = b.cluster.Name, b.cluster.Arn
	for i := range args.Nodes {
		c.ServiceNames = append(c.ServiceNames, ServiceName(args.Prefix, i))
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"sqlEndpoint":         c.SQLEndpoint,
		"connectionSecretArn": c.ConnectionSecretArn,
		"backupBucket":        c.BackupBucket,
	})
}

// builder holds what the steps of New share.
type builder struct {
	ctx      *pulumi.Context
	args     Args
	c        *Cluster
	parent   pulumi.ResourceOption
	stateful []pulumi.ResourceOption // options of resources that hold data

	sg
	lbParts
	secretParts
	roleParts
	logGroup *cloudwatch.LogGroup
	// metricsGroup is the collector's log group, nil without Metrics.
	metricsGroup *cloudwatch.LogGroup
	cluster      *ecs.Cluster
	capacity     *ecs.ClusterCapacityProviders
	namespace    *servicediscovery.PrivateDnsNamespace
	bucket       *storage.Bucket
	// cache is the ECR pull-through cache of Docker Hub, when used.
	cache *ecr.PullThroughCacheRule
	// image is the image reference the tasks pull.
	image pulumi.StringOutput
	// gate is the roll gate's function (gate.go).
	gate *lambda.Function
}

func (b *builder) name(suffix string) string { return ResourceName(b.args.Prefix, suffix) }

// key is the customer managed key's ARN, "" for none, for policies.
func (b *builder) key() pulumi.StringInput {
	if b.args.KMSKeyArn == nil {
		return pulumi.String("")
	}
	return b.args.KMSKeyArn
}

func (b *builder) backups() error {
	var err error
	b.bucket, err = storage.NewPrivateBucket(b.ctx, BackupBucketName(b.args.Prefix), storage.BucketArgs{
		// A daily full backup starts a chain that the hourly incrementals
		// extend. Every object expires BackupRetentionDays after it was
		// written, so a chain ages out whole within a day of its full
		// backup, and a restore to any point of the last
		// BackupRetentionDays - 1 days finds its chain complete. Replaced
		// and deleted objects (LATEST is rewritten daily) stay a week.
		ExpireDays:            b.args.BackupRetentionDays,
		NoncurrentVersionDays: 7,
		KMSKeyArn:             b.args.KMSKeyArn,
		AccessLogs:            b.args.BackupAccessLogs,
		Tags:                  b.args.Tags,
		// The backups outlive the cluster: turning CockroachDB off
		// (edstack:cockroachNodes 0) leaves the bucket and its backups in
		// S3, only no longer managed by the stack.
	}, append(b.stateful, pulumi.RetainOnDelete(true))...)
	if err != nil {
		return fmt.Errorf("cockroach: %w", err)
	}
	return nil
}

func (b *builder) ecsCluster() error {
	var err error
	insights := "disabled"
	if b.args.ContainerInsights {
		insights = "enabled"
	}
	b.cluster, err = ecs.NewCluster(b.ctx, b.name("cluster"), &ecs.ClusterArgs{
		Settings: ecs.ClusterSettingArray{&ecs.ClusterSettingArgs{
			Name: pulumi.String("containerInsights"), Value: pulumi.String(insights),
		}},
		Tags: b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: ecs cluster: %w", err)
	}
	b.capacity, err = ecs.NewClusterCapacityProviders(b.ctx, b.name("capacity"), &ecs.ClusterCapacityProvidersArgs{
		ClusterName:       b.cluster.Name,
		CapacityProviders: pulumi.ToStringArray([]string{"FARGATE", "FARGATE_SPOT"}),
		DefaultCapacityProviderStrategies: ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArray{
			&ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs{
				CapacityProvider: pulumi.String("FARGATE_SPOT"), Weight: pulumi.Int(1),
			},
		},
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: capacity providers: %w", err)
	}
	b.logGroup, err = logs.NewGroup(b.ctx, b.name("logs"), logs.GroupArgs{
		Path:          "/edstack/" + b.args.Prefix + "/cockroach",
		RetentionDays: b.args.LogRetentionDays,
		KMSKeyArn:     b.args.KMSKeyArn,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: %w", err)
	}
	if !b.args.Metrics {
		return nil
	}
	b.c.MetricsLogGroup = MetricsLogGroup(b.args.Prefix)
	b.metricsGroup, err = logs.NewGroup(b.ctx, b.name("metrics-logs"), logs.GroupArgs{
		Path:          b.c.MetricsLogGroup,
		RetentionDays: b.args.LogRetentionDays,
		KMSKeyArn:     b.args.KMSKeyArn,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: metrics: %w", err)
	}
	return nil
}

// registry creates the ECR pull-through cache of Docker Hub when the image
// comes through one.
func (b *builder) registry() error {
	if b.args.Image.Source() != SourcePullThroughCache {
		b.image = pulumi.String(b.args.Image.Ref("", b.args.Prefix)).ToStringOutput()
		return nil
	}
	var err error
	b.cache, err = ecr.NewPullThroughCacheRule(b.ctx, b.name("docker-hub-cache"), &ecr.PullThroughCacheRuleArgs{
		EcrRepositoryPrefix: pulumi.String(CacheRepositoryPrefix(b.args.Prefix)),
		UpstreamRegistryUrl: pulumi.String("registry-1.docker.io"),
		CredentialArn:       pulumi.String(b.args.Image.RegistrySecretArn),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: pull-through cache: %w", err)
	}
	b.image = b.cache.RegistryId.ApplyT(func(account string) string {
		return b.args.Image.Ref(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com", account, b.args.Region), b.args.Prefix)
	}).(pulumi.StringOutput)
	return nil
}

// taskDefinition creates node i's task definition: the same container for
// every node, but with the node's index and zone, so that a task knows
// which node it is without asking DNS.
func (b *builder) taskDefinition(i int, zone string) (*ecs.TaskDefinition, error) {
	spec := ContainerSpec{
		Node:      i,
		Zone:      zone,
		Nodes:     b.args.Nodes,
		Namespace: b.c.Namespace,
		Region:    b.args.Region,
		Bootstrap: Bootstrap{
			ReplicationFactor: b.args.ReplicationFactor,
			Database:          b.args.Database,
			User:              b.args.User,
			Shutdown:          DefaultShutdown,
		},
		LicenseSecretArn: b.args.LicenseSecretArn,
		Script:           StartScript,
		Budget:           TaskBudget(b.args.CPU, b.args.MemoryMiB, b.args.Metrics),
	}
	if b.args.Image.Source() == SourcePrivateRegistry {
		spec.RepositoryCredentialsArn = b.args.Image.RegistrySecretArn
	}
	defs := pulumi.All(b.bucket.Name, b.logGroup.Name, b.tlsSecret.Arn, b.connection.Arn, b.nlb.DnsName, b.image, b.tlsGeneration,
		b.cluster.Name, b.caCert).ApplyT(func(v []any) (string, error) {
		s := spec
		s.Bootstrap.BackupURI = BackupURI(v[0].(string), b.args.Region)
		s.LogGroup = v[1].(string)
		s.TLSSecretArn = v[2].(string)
		s.ConnectionSecretArn = v[3].(string)
		s.LoadBalancer = v[4].(string)
		s.Image = v[5].(string)
		s.TLSGeneration = v[6].(string)
		if b.args.Metrics {
			s.Collector = &Collector{Node: i, Cluster: v[7].(string), CACert: v[8].(string),
				LogGroup: b.c.MetricsLogGroup, Region: b.args.Region}
		}
		return s.Definitions()
	}).(pulumi.StringOutput)

	name := b.name(fmt.Sprintf("node-%d-task", i))
	td, err := ecs.NewTaskDefinition(b.ctx, name, &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(name),
		RequiresCompatibilities: pulumi.ToStringArray([]string{"FARGATE"}),
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(fmt.Sprint(b.args.CPU)),
		Memory:                  pulumi.String(fmt.Sprint(b.args.MemoryMiB)),
		// The image and every task volume (Mounts), the store above all,
		// share the task's ephemeral storage.
		EphemeralStorage: &ecs.TaskDefinitionEphemeralStorageArgs{SizeInGib: pulumi.Int(b.args.StorageGiB)},
		// Fargate Spot runs x86_64 only.
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String("X86_64"),
		},
		ExecutionRoleArn:     b.execRole.Arn,
		TaskRoleArn:          b.taskRole.Arn,
		ContainerDefinitions: defs,
		Volumes:              taskVolumes(),
		Tags:                 b.args.Tags.Named(name),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("cockroach: node %d: task definition: %w", i, err)
	}
	return td, nil
}

// taskVolumes are the task definition's volumes, one for each of Mounts:
// with a name alone, which Fargate makes a bind mount on the task's
// ephemeral storage. configureAtLaunch is stated although false is its
// default (it is for EBS volumes given at launch): AWS returns false, and
// a volume that differs from the state replaces the task definition, which
// rolls its node.
func taskVolumes() ecs.TaskDefinitionVolumeArray {
	out := make(ecs.TaskDefinitionVolumeArray, 0, len(Mounts))
	for _, m := range Mounts {
		out = append(out, &ecs.TaskDefinitionVolumeArgs{
			Name:              pulumi.String(m.Volume),
			ConfigureAtLaunch: pulumi.Bool(false),
		})
	}
	return out
}

// BackupURI is the backup collection: AUTH=implicit uses the task role's
// credentials, and the region is named so that CockroachDB need not look
// the bucket's region up.
func BackupURI(bucket, region string) string {
	return "s3://" + bucket + "/cockroach?AUTH=implicit&AWS_REGION=" + region
}

// PlatformVersion is the Fargate platform the nodes run on.
const PlatformVersion = "1.4.0"

// serviceSettings names the fixed settings of every node service, so that
// changing one of them re-runs the roll gates (see services).
var serviceSettings = fmt.Sprintf("platform %s, grace %d s, deployment %d-%d%%, container %s:%d",
	PlatformVersion, HealthCheckGracePeriod, minHealthyPercent, maxPercent, ContainerName, SQLPort)

// A node's deployment stops the old task before it starts the new one: a
// node's name must never point at two tasks.
const minHealthyPercent, maxPercent = 0, 100

// ServiceTimeout bounds the creation, update and deletion of one node
// service: starting a task (with its image pull) and, on deletion, the
// two-minute drain, with room to spare.
const ServiceTimeout = "30m"

// services creates one ECS service per node, each pinned to one zone's
// private subnet and named in Cloud Map, with a roll gate before each and
// one after the last: service i waits for gate i, which waits for service
// i-1. Every service waits for a steady state, and every gate for a healed
// cluster, so a change of the task definitions replaces one node at a time
// and only while no range is under-replicated (RollGate).
func (b *builder) services() error {
	gates := DefaultRollGate.Gates(b.args.Nodes, b.c.Namespace)
	rolled := pulumi.StringMap{} // each node's gate trigger, for the last gate
	var previous pulumi.Resource
	for i, zone := range NodeZones(b.args.Nodes, len(b.args.AZs)) {
		node := fmt.Sprintf("node-%d", i)
		discovery, err := servicediscovery.NewService(b.ctx, b.name(node+"-dns"), &servicediscovery.ServiceArgs{
			Name:        pulumi.String(node),
			NamespaceId: b.namespace.ID(),
			DnsConfig: &servicediscovery.ServiceDnsConfigArgs{
				NamespaceId:   b.namespace.ID(),
				RoutingPolicy: pulumi.String("MULTIVALUE"),
				DnsRecords: servicediscovery.ServiceDnsConfigDnsRecordArray{
					&servicediscovery.ServiceDnsConfigDnsRecordArgs{Type: pulumi.String("A"), Ttl: pulumi.Int(10)},
				},
			},
			HealthCheckCustomConfig: &servicediscovery.ServiceHealthCheckCustomConfigArgs{FailureThreshold: pulumi.Int(1)},
			Tags:                    b.args.Tags.Named(b.name(node + "-dns")),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("cockroach: node %d: discovery: %w", i, err)
		}
		td, err := b.taskDefinition(i, b.args.AZs[zone])
		if err != nil {
			return err
		}

		provider := "FARGATE_SPOT"
		if OnDemand(i, b.args.Nodes, b.args.OnDemandNodes) {
			provider = "FARGATE"
		}
		subnet := b.args.PrivateSubnetIDs.Index(pulumi.Int(zone))
		// With forceNewDeployment, any change to the service's settings
		// (not its tags) replaces its task: the gate runs again whenever
		// one of them changes. The fixed settings are named in "settings".
		trigger := pulumi.StringMap{
			"taskDefinition":   td.Arn,
			"capacityProvider": pulumi.String(provider),
			"subnet":           subnet,
			"securityGroup":    b.nodeSG.ID().ToStringOutput(),
			"targetGroup":      b.targetGroup.Arn,
			"registry":         discovery.Arn,
			"settings":         pulumi.String(serviceSettings),
		}
		rolled[node] = pulumi.JSONMarshal(trigger)
		var gateDeps []pulumi.Resource
		if previous != nil {
			gateDeps = append(gateDeps, previous)
		}
		gate, err := b.invokeGate(b.name(node+"-gate"), gates[i], trigger, gateDeps)
		if err != nil {
			return err
		}
		// ECS refuses a service whose target group no listener forwards to,
		// or whose capacity provider the cluster has not associated yet.
		deps := []pulumi.Resource{b.listener, b.capacity, gate}
		svc, err := ecs.NewService(b.ctx, ServiceName(b.args.Prefix, i), &ecs.ServiceArgs{
			Name:           pulumi.String(ServiceName(b.args.Prefix, i)),
			Cluster:        b.cluster.Arn,
			TaskDefinition: td.Arn,
			DesiredCount:   pulumi.Int(1),
			CapacityProviderStrategies: ecs.ServiceCapacityProviderStrategyArray{
				&ecs.ServiceCapacityProviderStrategyArgs{CapacityProvider: pulumi.String(provider), Weight: pulumi.Int(1)},
			},
			// Without it, the provider replaces a service whose capacity
			// provider strategy changes (edstack:cockroachOnDemandNodes);
			// with it, the service is updated in place and rolls its task.
			ForceNewDeployment: pulumi.Bool(true),
			PlatformVersion:    pulumi.String(PlatformVersion),
			NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
				Subnets:        pulumi.StringArray{subnet},
				SecurityGroups: pulumi.StringArray{b.nodeSG.ID().ToStringOutput()},
				AssignPublicIp: pulumi.Bool(false),
			},
			LoadBalancers: ecs.ServiceLoadBalancerArray{&ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: b.targetGroup.Arn,
				ContainerName:  pulumi.String(ContainerName),
				ContainerPort:  pulumi.Int(SQLPort),
			}},
			// Readiness steers SQL traffic; it never stops a node.
			HealthCheckGracePeriodSeconds: pulumi.Int(HealthCheckGracePeriod),
			ServiceRegistries:             &ecs.ServiceServiceRegistriesArgs{RegistryArn: discovery.Arn},
			// Stop the old task before starting its replacement: a node's
			// name must never point at two tasks.
			DeploymentMinimumHealthyPercent: pulumi.Int(minHealthyPercent),
			DeploymentMaximumPercent:        pulumi.Int(maxPercent),
			WaitForSteadyState:              pulumi.Bool(true),
			PropagateTags:                   pulumi.String("SERVICE"),
			EnableEcsManagedTags:            pulumi.Bool(true),
			Tags:                            b.args.Tags.Named(b.name(node)),
		}, b.parent, pulumi.DependsOn(deps), pulumi.Timeouts(&pulumi.CustomTimeouts{
			Create: ServiceTimeout, Update: ServiceTimeout, Delete: ServiceTimeout,
		}))
		if err != nil {
			return fmt.Errorf("cockroach: node %d: service: %w", i, err)
		}
		previous = svc
	}
	_, err := b.invokeGate(b.name("roll-end-gate"), gates[b.args.Nodes], rolled, []pulumi.Resource{previous})
	return err
}
