// Package stacks turns a stack's configuration into one CountryStack: the
// country catalog, the config loading and validation, and the assembly of
// the component tree.
package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/keys"
	"edstack/components/network"
	"edstack/components/observability"
	"edstack/components/tags"
)

// CountryStack is the top component of a stack: everything one country's
// platform runs on.
type CountryStack struct {
	pulumi.ResourceState

	Config    Config
	Key       *keys.Key
	Network   *network.Network
	Cockroach *cockroach.Cluster // nil with edstack:cockroachNodes 0
	Aurora    *aurora.Fallback   // nil unless edstack:auroraEnabled
	Edge      *edge.Edge
	API       *api.Api
	// Monitoring is the alarms, their topics and the dashboard.
	Monitoring *observability.Observability
}

// NewCountryStack builds the component tree of a validated config.
func NewCountryStack(ctx *pulumi.Context, cfg Config, opts ...pulumi.ResourceOption) (*CountryStack, error) {
	cs := &CountryStack{Config: cfg}
	if err := ctx.RegisterComponentResource("edstack:index:CountryStack", cfg.Prefix(), cs, opts...); err != nil {
		return nil, err
	}
	base := tags.Base{Country: cfg.Country.Code, Stack: cfg.Stack}

	// The country's key comes first: every component encrypts with it.
	key, err := keys.New(ctx, cfg.Prefix()+"-keys", keys.Args{
		Prefix:         cfg.Prefix(),
		Region:         cfg.Region,
		ExistingKeyArn: cfg.KMSKeyArn,
		Protect:        cfg.ProtectData,
		Tags:           base.For("keys"),
	}, pulumi.Parent(cs))
	if err != nil {
		return nil, err
	}
	cs.Key = key

	net, err := network.New(ctx, cfg.Prefix()+"-network", network.Args{
		Prefix:               cfg.Prefix(),
		Region:               cfg.Region,
		CIDR:                 cfg.Network.CIDR,
		AZs:                  cfg.Network.AZs,
		NAT:                  cfg.Network.NAT,
		FlowLogRetentionDays: cfg.LogRetentionDays,
		KMSKeyArn:            key.Arn,
		Tags:                 base.For("network"),
	}, pulumi.Parent(cs))
	if err != nil {
		return nil, err
	}
	cs.Network = net

	// The edge holds the access-log bucket the backups bucket logs to and
	// the user-content bucket the API writes to, and serves the API once it
	// exists: it is built in two steps, before the database and after the
	// API.
	site, err := edge.New(ctx, cfg.Prefix()+"-edge", edge.Args{
		Prefix:           cfg.Prefix(),
		Domain:           cfg.Domain,
		HostedZoneID:     cfg.Edge.HostedZoneID,
		PriceClass:       cfg.Edge.PriceClass,
		Region:           cfg.Region,
		WAFRateLimit:     cfg.Edge.WAFRateLimit,
		AccessLogDays:    cfg.Edge.AccessLogDays,
		LogRetentionDays: cfg.LogRetentionDays,
		DNSSEC:           cfg.Edge.DNSSEC,
		KMSKeyArn:        key.Arn,
		Protect:          cfg.ProtectData,
		Tags:             base.For("edge"),
	}, pulumi.Parent(cs))
	if err != nil {
		return nil, err
	}
	cs.Edge = site

	if cfg.Cockroach.Nodes > 0 {
		backupLogs, err := site.AccessLogTarget(cockroach.BackupBucketName(cfg.Prefix()))
		if err != nil {
			return nil, err
		}
		cs.Cockroach, err = cockroach.New(ctx, cfg.Prefix()+"-cockroach", cockroach.Args{
			Prefix:              cfg.Prefix(),
			Region:              cfg.Region,
			AZs:                 net.AZs,
			VpcID:               net.VpcID,
			PrivateSubnetIDs:    net.PrivateSubnetIDs,
			AppSecurityGroupID:  net.AppSecurityGroupID,
			Nodes:               cfg.Cockroach.Nodes,
			CPU:                 cfg.Cockroach.CPU,
			MemoryMiB:           cfg.Cockroach.MemoryMiB,
			StorageGiB:          cfg.Cockroach.StorageGiB,
			Version:             cfg.Cockroach.Version,
			ReplicationFactor:   cfg.Cockroach.ReplicationFactor,
			OnDemandNodes:       cfg.Cockroach.OnDemandNodes,
			LicenseSecretArn:    cfg.Cockroach.LicenseSecretArn,
			Unlicensed:          cfg.Cockroach.Unlicensed,
			BackupRetentionDays: cfg.Cockroach.BackupRetentionDays,
			DeployedNodes:       cfg.Cockroach.Deployed,
			Image:               cfg.Cockroach.Image,
			LogRetentionDays:    cfg.LogRetentionDays,
			KMSKeyArn:           key.Arn,
			BackupAccessLogs:    backupLogs,
			Metrics:             cfg.Monitoring.Level == observability.Full,
			ContainerInsights:   cfg.Monitoring.Level == observability.Full,
			Protect:             cfg.ProtectData,
			Tags:                base.For("cockroach"),
		}, pulumi.Parent(cs))
		if err != nil {
			return nil, err
		}
	}
	if cfg.Aurora != nil {
		args := *cfg.Aurora
		args.VpcID, args.SubnetIDs, args.AppSecurityGroupID = net.VpcID, net.PrivateSubnetIDs, net.AppSecurityGroupID
		args.KMSKeyArn = key.Arn
		args.Tags = base.For("aurora")
		if cs.Aurora, err = aurora.New(ctx, cfg.Prefix()+"-aurora", args, pulumi.Parent(cs)); err != nil {
			return nil, err
		}
	}

	app, err := api.New(ctx, cfg.Prefix()+"-api", api.Args{
		Prefix:                  cfg.Prefix(),
		Region:                  cfg.Region,
		Country:                 cfg.Country.Code,
		SubnetIDs:               net.PrivateSubnetIDs,
		SecurityGroupID:         net.AppSecurityGroupID,
		Databases:               cs.databases(),
		UserContentBucketName:   site.UserContentBucket,
		UserContentBucketArn:    site.UserContentBucketArn,
		SyncTimeout:             cfg.API.SyncTimeout,
		SyncMemoryMB:            cfg.API.SyncMemoryMB,
		WorkerTimeout:           cfg.API.WorkerTimeout,
		WorkerMemoryMB:          cfg.API.WorkerMemoryMB,
		WorkerBatchSize:         cfg.API.WorkerBatchSize,
		WorkerMaxConcurrency:    cfg.API.WorkerMaxConcurrency,
		MaxReceiveCount:         cfg.API.MaxReceiveCount,
		ThrottleRate:            cfg.API.ThrottleRate,
		ThrottleBurst:           cfg.API.ThrottleBurst,
		SyncReservedConcurrency: cfg.API.ReservedConcurrency,
		Root:                    cfg.Root,
		APIBundle:               cfg.API.APIBundle,
		WorkerBundle:            cfg.API.WorkerBundle,
		LogRetentionDays:        cfg.LogRetentionDays,
		KMSKeyArn:               key.Arn,
		Tags:                    base.For("api"),
	}, pulumi.Parent(cs))
	if err != nil {
		return nil, err
	}
	cs.API = app
	if err := site.Serve(ctx, edge.API{Endpoint: app.Endpoint, OriginSecret: app.OriginSecret}); err != nil {
		return nil, err
	}
	if cs.Monitoring, err = cs.monitoring(ctx); err != nil {
		return nil, err
	}

	return cs, ctx.RegisterResourceOutputs(cs, cs.Outputs())
}

// monitoring watches every tier the stack built.
func (cs *CountryStack) monitoring(ctx *pulumi.Context) (*observability.Observability, error) {
	cfg := cs.Config
	nats := make([]any, len(cs.Network.NATGatewayIDs))
	for i, id := range cs.Network.NATGatewayIDs {
		nats[i] = id
	}
	args := observability.Args{
		Prefix:         cfg.Prefix(),
		Title:          fmt.Sprintf("edstack %s (%s)", cfg.Prefix(), cfg.Country.Name),
		Region:         cfg.Region,
		Level:          cfg.Monitoring.Level,
		Emails:         cfg.Monitoring.Emails,
		PagerSecretArn: cfg.Monitoring.PagerSecretArn,
		KMSKeyArn:      cs.Key.Arn,
		East:           cs.Edge.East,
		Targets: observability.Targets{
			API: observability.APITargets{
				APIFunction: cs.API.APIFunctionName, WorkerFunction: cs.API.WorkerFunctionName,
				SyncTimeout: cs.API.SyncTimeout, WorkerTimeout: cs.API.WorkerTimeout,
				Queue: cs.API.QueueName, DLQ: cs.API.DLQName, HTTPAPIID: cs.API.HTTPAPIID,
			},
			NATGateways:    nats,
			DistributionID: cs.Edge.DistributionID,
		},
		LogRetentionDays: cfg.LogRetentionDays,
		Tags:             tags.Base{Country: cfg.Country.Code, Stack: cfg.Stack}.For("observability"),
	}
	if db := cs.Cockroach; db != nil {
		args.Targets.Cockroach = &observability.CockroachTargets{
			ClusterName: db.ClusterName, ServiceNames: db.ServiceNames,
			Nodes: cfg.Cockroach.Nodes, Zones: len(cs.Network.AZs), StorageGiB: cfg.Cockroach.StorageGiB,
		}
		args.ClusterArn = db.ClusterArn
	}
	if a := cs.Aurora; a != nil {
		t := &observability.AuroraTargets{ClusterIdentifier: a.ClusterIdentifier}
		if a.Writer.Serverless() {
			t.MaxACU = a.Writer.MaxACU
		}
		args.Targets.Aurora = t
	}
	return observability.New(ctx, cfg.Prefix()+"-observability", args, pulumi.Parent(cs))
}

// databases are what the functions use, per edstack:database: the primary
// first, and Aurora as the shadow while mirroring.
func (cs *CountryStack) databases() []api.Database {
	var dbs []api.Database
	if cs.Config.Database != DatabaseAurora {
		dbs = append(dbs, api.Database{Engine: DatabaseCockroach, SecretArn: cs.Cockroach.ConnectionSecretArn})
	}
	if cs.Config.Database != DatabaseCockroach {
		dbs = append(dbs, api.Database{
			Engine:             DatabaseAurora,
			SecretArn:          cs.Aurora.ConnectionSecretArn,
			ReadableSecretArns: []pulumi.StringInput{cs.Aurora.MasterSecretArn},
		})
	}
	return dbs
}

// Outputs are the stack outputs: what an operator or another stack needs.
func (cs *CountryStack) Outputs() pulumi.Map {
	out := pulumi.Map{
		"country":           pulumi.String(cs.Config.Country.Code),
		"kmsKeyArn":         cs.Key.Arn,
		"region":            pulumi.String(cs.Config.Region),
		"availabilityZones": pulumi.ToStringArray(cs.Network.AZs),
		"vpcId":             cs.Network.VpcID,
		"privateSubnetIds":  cs.Network.PrivateSubnetIDs,
		"publicSubnetIds":   cs.Network.PublicSubnetIDs,

		"appSecurityGroupId":  cs.Network.AppSecurityGroupID,
		"connectionSecretArn": cs.databases()[0].SecretArn,
		"database":            pulumi.String(cs.Config.Database),
		OutputCockroachNodes:  pulumi.Int(cs.Config.Cockroach.Nodes),

		"siteUrl":           cs.Edge.SiteURL,
		"apiUrl":            cs.Edge.APIURL,
		"distributionId":    cs.Edge.DistributionID,
		"nameServers":       cs.Edge.NameServers,
		"staticBucket":      cs.Edge.StaticBucket,
		"userContentBucket": cs.Edge.UserContentBucket,
		"queueUrl":          cs.API.QueueURL,
		"dlqUrl":            cs.API.DLQURL,

		"alarmTopicArn": cs.Monitoring.TopicArn,
		"alarmsTell":    pulumi.String(cs.Monitoring.Told),
	}
	if cs.Monitoring.Dashboard != "" {
		out["dashboard"] = pulumi.String(cs.Monitoring.Dashboard)
	}
	if db := cs.Cockroach; db != nil {
		out["sqlEndpoint"] = db.SQLEndpoint
		out["cockroachConnectionSecretArn"] = db.ConnectionSecretArn
		out["backupBucket"] = db.BackupBucket
	}
	if a := cs.Aurora; a != nil {
		out["auroraWriterEndpoint"] = a.WriterEndpoint
		out["auroraReaderEndpoint"] = a.ReaderEndpoint
		out["auroraMasterSecretArn"] = a.MasterSecretArn
		out["auroraConnectionSecretArn"] = a.ConnectionSecretArn
		out["auroraReaders"] = pulumi.Sprintf("%d-%d", a.ScalingRange[0], a.ScalingRange[1])
	}
	return out
}

// Run is the program: it validates the whole config src, then builds the
// stack and exports its outputs, which it also returns.
func Run(ctx *pulumi.Context, src Source) (pulumi.Map, error) {
	cfg, err := Load(ctx.Stack(), src)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		if err := ctx.Log.Warn(w, nil); err != nil {
			return nil, fmt.Errorf("log a warning: %w", err)
		}
	}
	if err := checkScale(ctx, &cfg); err != nil {
		return nil, err
	}
	cs, err := NewCountryStack(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", ctx.Stack(), err)
	}
	outputs := cs.Outputs()
	for k, v := range outputs {
		ctx.Export(k, v)
	}
	return outputs, nil
}

// Program is what `pulumi up` runs: Run on the configuration the Pulumi CLI
// hands over, checked against the keys declared (Pulumi.yaml's).
func Program(declared Declared) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := Run(ctx, EnvSource(ctx, declared))
		return err
	}
}
