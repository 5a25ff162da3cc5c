// Package aurora builds an optional Aurora PostgreSQL cluster for a country:
// a managed fallback that speaks PostgreSQL, and a migration path (mirror
// writes, compare reads) next to CockroachDB.
//
// School traffic peaks for a few hours on weekdays, so the readers follow
// the load: Pulumi creates the cluster and one writer only, and Application
// Auto Scaling owns the readers. A target-tracking policy adds readers when
// their average CPU rises and removes them when it falls, and two scheduled
// actions raise the minimum reader count for the school day and lower it in
// the evening, in the country's own time zone.
//
// Application Auto Scaling adds readers up to the minimum itself as soon as
// the target is registered, so Pulumi declares no reader instances: a reader
// Pulumi created would be one Auto Scaling could not remove, and a reader
// Auto Scaling created is one Pulumi does not know about, which is as it
// should be. Two consequences:
//   - The scheduled actions change the target's minimum every school day,
//     so Pulumi ignores later changes of the target's minCapacity (a
//     `pulumi up --refresh` at 10 am would otherwise drop the morning's
//     readers). A new MinReaders takes effect at the next End.
//   - RDS refuses to delete a cluster that still has instances, and Auto
//     Scaling does not remove its readers when the target is deleted. So
//     `pulumi destroy` of an unprotected cluster deletes the scaling target,
//     the policy, the scheduled actions and the writer, then stops at the
//     cluster. Delete the readers Auto Scaling created (instances named
//     "application-autoscaling-*": `aws rds delete-db-instance`), then run
//     `pulumi destroy` again.
//
// The master password is RDS-managed (manageMasterUserPassword): RDS keeps
// it in Secrets Manager and rotates it; it is never in config or state.
// Applications should prefer IAM database authentication, which is on.
//
// Enhanced Monitoring is set on the cluster, so the readers Auto Scaling
// adds report OS metrics as the writer does, through a role that RDS may
// assume for this account only. The parameter group logs slow statements
// and every DDL statement. Storage is always encrypted; given the country's
// customer managed key (KMSKeyArn), that key encrypts the storage, the
// Performance Insights data and both secrets.
package aurora

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/keys"
	"edstack/components/logs"
	"edstack/components/tags"
)

// PostgresPort is the port the cluster listens on.
const PostgresPort = 5432

// MasterUsername is the cluster's master user; its password lives only in
// the RDS-managed secret.
const MasterUsername = "edstack_admin"

// MaxReplicas is the most readers an Aurora cluster has.
const MaxReplicas = 15

// Reader scaling defaults and limits.
const (
	DefaultMinReaders  = 1
	DefaultMaxReaders  = 4
	DefaultPeakReaders = 2 // the school-day minimum, capped at MaxReaders
	// AutoPeakMinReaders stands, in configuration, for PeakMinReaders'
	// default (nil): max(MinReaders, DefaultPeakReaders), capped.
	AutoPeakMinReaders      = -1
	DefaultTargetCPU        = 70
	MinTargetCPU            = 10
	MaxTargetCPU            = 90
	ScaleOutCooldownSeconds = 60  // add readers quickly when the bell rings
	ScaleInCooldownSeconds  = 300 // remove them slowly
)

// Backup and log defaults.
const (
	DefaultBackupRetentionDays = 7
	MaxBackupRetentionDays     = 35
	DefaultDatabase            = "app"
	// SlowQueryMillis is log_min_duration_statement: statements slower than
	// this are logged with their duration.
	SlowQueryMillis = 1000
)

// Args configure a Fallback. Zero values take the documented defaults (see
// WithDefaults); Validate checks values as given.
type Args struct {
	// Prefix starts every resource name, e.g. "nz": the cluster is
	// "<prefix>-aurora", its other resources "<prefix>-aurora-...".
	Prefix string
	// AZs are the zones of SubnetIDs, at least two (RDS requires a subnet
	// group over two zones). The writer runs in the first.
	AZs []string
	// VpcID is the VPC of the cluster's security group.
	VpcID pulumi.StringInput
	// SubnetIDs are the private subnets the cluster's instances run in.
	SubnetIDs pulumi.StringArrayInput
	// AppSecurityGroupID is the only group admitted on 5432.
	AppSecurityGroupID pulumi.StringInput

	// EngineVersion is the Aurora PostgreSQL version the cluster is created
	// at, e.g. "16.6" (or a major alone, "16", for the default minor). The
	// major must be 16 or 17: older majors fall into paid Extended Support.
	// AWS applies minor upgrades in the maintenance window, after which
	// Pulumi ignores the difference (a pinned "16.6" would otherwise make the
	// next `pulumi up` attempt a downgrade, which RDS refuses). A major
	// upgrade is a deliberate operation outside this component: the
	// parameter group's family follows the major.
	EngineVersion string
	// Writer is the writer instance: Serverless v2 (the default) or a
	// provisioned class. The readers Auto Scaling adds are of the same kind.
	Writer Writer

	// MinReaders and MaxReaders bound the reader count, 0 to 15, min <= max.
	// When both are 0 they default to 1 and 4.
	MinReaders, MaxReaders int
	// PeakMinReaders is the minimum during the school day, MinReaders to
	// MaxReaders; 0 is honoured (no school-day minimum). Default (nil)
	// max(MinReaders, 2), capped at MaxReaders.
	PeakMinReaders *int
	// TargetCPU is the average reader CPU (percent) the policy tracks,
	// 10 to 90. Default 70.
	TargetCPU int
	// BackupRetentionDays is 1 to 35. Default 7.
	BackupRetentionDays int
	// Schedule is when the readers are raised, in the country's time zone.
	// It also places the backup and maintenance windows in the local night.
	Schedule SchoolDay

	// Protect turns on deletion protection and a final snapshot on delete,
	// and protects the cluster in Pulumi. False only for throwaway stacks
	// (no final snapshot).
	Protect bool
	// Database is the database created with the cluster. Default "app".
	Database string
	// LogRetentionDays is the retention of the cluster's PostgreSQL log
	// group, one of logs.RetentionDays. Default 90.
	LogRetentionDays int

	// MonitoringInterval is the Enhanced Monitoring interval in seconds,
	// one of 0, 1, 5, 10, 15, 30 or 60; 0 is honoured (Enhanced Monitoring
	// off, and no monitoring role). Default (nil) 60. It is set on the
	// cluster, whose instances inherit it (the readers Auto Scaling adds
	// included), and on the writer.
	MonitoringInterval *int
	// KMSKeyArn is the country's customer managed KMS key (its key ARN),
	// which then encrypts the cluster's storage, the Performance Insights
	// data, the RDS-managed master secret and the connection secret. nil
	// keeps the AWS managed keys (aws/rds, aws/secretsmanager); storage is
	// encrypted either way. A different key for an existing cluster
	// replaces the cluster (its storage key cannot change), which a
	// protected cluster refuses.
	KMSKeyArn pulumi.StringInput

	// Tags of every taggable resource; the component is "aurora".
	Tags tags.Set
}

// Writer is the cluster's writer instance.
type Writer struct {
	// InstanceClass is "db.serverless" for Serverless v2 (the default) or a
	// provisioned class such as "db.r7g.large".
	InstanceClass string
	// MinACU and MaxACU are the Serverless v2 capacity range: MinACU 0
	// (pause when idle; needs 16.3 or newer) or 0.5 to 256, MaxACU 1 to 256,
	// both in steps of 0.5, min <= max. When both are 0 they default to 0.5
	// and 16. A provisioned class takes neither.
	MinACU, MaxACU float64
}

// DefaultPeak is the default school-day minimum: max(min, 2), capped at max.
func DefaultPeak(minReaders, maxReaders int) int {
	return min(max(minReaders, DefaultPeakReaders), maxReaders)
}

// Peak is the school-day minimum of readers: PeakMinReaders, or its
// default.
func (a Args) Peak() int {
	if a.PeakMinReaders != nil {
		return *a.PeakMinReaders
	}
	return DefaultPeak(a.MinReaders, a.MaxReaders)
}

// WithDefaults returns the arguments with every zero value that has a
// default replaced by it; New applies it before Validate. Call
// args.WithDefaults().Validate() to check arguments before New.
func (a Args) WithDefaults() Args {
	if a.Writer.InstanceClass == "" {
		a.Writer.InstanceClass = ServerlessClass
	}
	if a.Writer.Serverless() && a.Writer.MinACU == 0 && a.Writer.MaxACU == 0 {
		a.Writer.MinACU, a.Writer.MaxACU = DefaultMinACU, DefaultMaxACU
	}
	if a.MinReaders == 0 && a.MaxReaders == 0 {
		a.MinReaders, a.MaxReaders = DefaultMinReaders, DefaultMaxReaders
	}
	if a.PeakMinReaders == nil {
		peak := DefaultPeak(a.MinReaders, a.MaxReaders)
		a.PeakMinReaders = &peak
	}
	if a.MonitoringInterval == nil {
		interval := DefaultMonitoringInterval
		a.MonitoringInterval = &interval
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&a.TargetCPU, DefaultTargetCPU)
	def(&a.BackupRetentionDays, DefaultBackupRetentionDays)
	def(&a.LogRetentionDays, logs.DefaultRetentionDays)
	if a.Database == "" {
		a.Database = DefaultDatabase
	}
	a.Schedule.withDefaults()
	return a
}

var (
	prefixPattern   = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	databasePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
)

// Validate checks every argument as given (see WithDefaults for the
// defaults) and reports every problem at once, each naming the field, the
// value and what is accepted.
func (a Args) Validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf(format, v...)) }

	// RDS identifiers: a letter, then letters, digits and single hyphens;
	// the cluster identifier "<prefix>-aurora" has at most 63 characters.
	if !prefixPattern.MatchString(a.Prefix) || len(a.Prefix) > 63-len("-aurora") {
		add("Prefix %q: use lowercase letters, digits and single hyphens, starting with a letter, at most %d characters (e.g. \"nz\")", a.Prefix, 63-len("-aurora"))
	}
	if len(a.AZs) < 2 {
		add("AZs %q: an RDS subnet group needs subnets in at least 2 zones", a.AZs)
	}
	if a.VpcID == nil {
		add("VpcID is not set: the cluster's security group needs the VPC")
	}
	if a.SubnetIDs == nil {
		add("SubnetIDs is not set: the cluster needs the private subnets")
	}
	if a.AppSecurityGroupID == nil {
		add("AppSecurityGroupID is not set: it is the only group admitted on %d", PostgresPort)
	}

	versionOK := true
	if err := CheckEngineVersion(a.EngineVersion); err != nil {
		errs, versionOK = append(errs, err), false
	}
	if err := a.Writer.Check(); err != nil {
		errs = append(errs, err)
	} else if versionOK && a.Writer.Serverless() && a.Writer.MinACU == 0 {
		// Scaling to 0 ACU arrived with Aurora PostgreSQL 16.3.
		if major, _ := MajorVersion(a.EngineVersion); major == 16 && minorVersion(a.EngineVersion) >= 0 && minorVersion(a.EngineVersion) < 3 {
			add("Writer.MinACU 0 with EngineVersion %q: pausing at 0 ACU needs 16.3 or newer; use MinACU 0.5 or a newer version", a.EngineVersion)
		}
	}

	readersOK := true
	for _, r := range []struct {
		field string
		v     int
	}{{"MinReaders", a.MinReaders}, {"MaxReaders", a.MaxReaders}} {
		if r.v < 0 || r.v > MaxReplicas {
			add("%s %d: an Aurora cluster has 0 to %d readers", r.field, r.v, MaxReplicas)
			readersOK = false
		}
	}
	if readersOK && a.MinReaders > a.MaxReaders {
		add("MinReaders %d is above MaxReaders %d: the minimum must not exceed the maximum", a.MinReaders, a.MaxReaders)
		readersOK = false
	}
	if peak := a.Peak(); readersOK && (peak < a.MinReaders || peak > a.MaxReaders) {
		add("PeakMinReaders %d: the school-day minimum must be from MinReaders (%d) to MaxReaders (%d)", peak, a.MinReaders, a.MaxReaders)
	}
	if a.TargetCPU < MinTargetCPU || a.TargetCPU > MaxTargetCPU {
		add("TargetCPU %d: use a reader CPU target of %d to %d percent", a.TargetCPU, MinTargetCPU, MaxTargetCPU)
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > MaxBackupRetentionDays {
		add("BackupRetentionDays %d: Aurora keeps backups 1 to %d days", a.BackupRetentionDays, MaxBackupRetentionDays)
	}
	if !logs.ValidRetention(a.LogRetentionDays) {
		add("LogRetentionDays %d: use one of %s", a.LogRetentionDays, logs.RetentionChoices())
	}
	if !databasePattern.MatchString(a.Database) {
		add("Database %q: use a letter, then letters, digits or underscores, at most 63 characters (e.g. \"app\")", a.Database)
	}
	if a.MonitoringInterval != nil && !validMonitoringInterval(*a.MonitoringInterval) {
		add("MonitoringInterval %d: use one of %s seconds (0 turns Enhanced Monitoring off)", *a.MonitoringInterval, intervalChoices())
	}
	// A key known now is checked now; one that is another resource's
	// output is checked by AWS.
	if key, ok := a.KMSKeyArn.(pulumi.String); ok && !keys.ArnPattern.MatchString(string(key)) {
		add("KMSKeyArn %q: use the key's ARN, arn:aws:kms:<region>:<account>:key/<key id> (nil keeps the AWS managed keys)", string(key))
	}
	if err := a.Schedule.Validate(); err != nil {
		errs = append(errs, err)
	}
	// One line per problem, each saying where it comes from.
	var lines []error
	for _, err := range errs {
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range joined.Unwrap() {
				lines = append(lines, fmt.Errorf("aurora: %w", e))
			}
		} else {
			lines = append(lines, fmt.Errorf("aurora: %w", err))
		}
	}
	return errors.Join(lines...)
}

// Describe renders the arguments, with defaults applied, as the lines the
// offline plan shows: the school day in local time and UTC, the readers, the
// writer, the engine, and the backup and maintenance windows.
func (a Args) Describe() ([]string, error) {
	a = a.WithDefaults()
	day, err := a.Schedule.Describe()
	if err != nil {
		return nil, fmt.Errorf("aurora: %w", err)
	}
	w, err := a.Schedule.Windows()
	if err != nil {
		return nil, fmt.Errorf("aurora: %w", err)
	}
	family, err := Family(a.EngineVersion)
	if err != nil {
		return nil, fmt.Errorf("aurora: %w", err)
	}
	writer := a.Writer.InstanceClass
	if a.Writer.Serverless() {
		writer = fmt.Sprintf("%s %g-%g ACU", writer, a.Writer.MinACU, a.Writer.MaxACU)
		if a.Writer.MinACU == 0 {
			writer += " (pauses when idle)"
		}
	}
	return []string{
		"school day: " + day,
		fmt.Sprintf("readers: %d-%d, at least %d during the school day; target reader CPU %d%%", a.MinReaders, a.MaxReaders, a.Peak(), a.TargetCPU),
		"writer: " + writer,
		fmt.Sprintf("engine: %s %s (parameter family %s), no Extended Support", Engine, a.EngineVersion, family),
		fmt.Sprintf("backups: daily %s UTC, kept %d days; maintenance: %s UTC", w.Backup, a.BackupRetentionDays, w.Maintenance),
	}, nil
}

// Fallback is the component and its outputs.
type Fallback struct {
	pulumi.ResourceState

	// WriterEndpoint is the cluster endpoint (reads and writes);
	// ReaderEndpoint balances over the readers.
	WriterEndpoint, ReaderEndpoint pulumi.StringOutput
	// MasterSecretArn is the RDS-managed secret of the master user.
	MasterSecretArn pulumi.StringOutput
	// ConnectionSecretArn holds the endpoints for the application (see
	// Connection).
	ConnectionSecretArn pulumi.StringOutput
	// ClusterIdentifier is "<prefix>-aurora".
	ClusterIdentifier pulumi.StringOutput
	// SecurityGroupID is the cluster's security group.
	SecurityGroupID pulumi.StringOutput
	// Port is PostgresPort.
	Port int
	// ScalingRange is MinReaders and MaxReaders.
	ScalingRange [2]int
	// Writer is the writer's class and capacity, defaults applied.
	Writer Writer
}

// New creates the cluster under name (e.g. "nz-aurora").
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Fallback, error) {
	args = args.WithDefaults()
	if err := args.Validate(); err != nil {
		return nil, err
	}
	f := &Fallback{Port: PostgresPort, ScalingRange: [2]int{args.MinReaders, args.MaxReaders}, Writer: args.Writer}
	if err := ctx.RegisterComponentResource("edstack:aurora:Fallback", name, f, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, args: args, f: f, parent: pulumi.Parent(f)}
	for _, step := range []func() error{b.network, b.parameters, b.logGroup, b.monitoring, b.cluster, b.writer, b.scaling} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	f.WriterEndpoint = b.db.Endpoint
	f.ReaderEndpoint = b.db.ReaderEndpoint
	f.MasterSecretArn = b.db.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()
	f.ClusterIdentifier = b.db.ClusterIdentifier
	f.SecurityGroupID = b.sg.ID().ToStringOutput()
	if err := b.connection(); err != nil {
		return nil, err
	}
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{
		"connectionSecretArn": f.ConnectionSecretArn,
		"writerEndpoint":      f.WriterEndpoint,
		"readerEndpoint":      f.ReaderEndpoint,
		"masterSecretArn":     f.MasterSecretArn,
		"clusterIdentifier":   f.ClusterIdentifier,
		"securityGroupId":     f.SecurityGroupID,
	})
}

// ClusterIdentifier is the RDS identifier of the prefix's cluster.
func ClusterIdentifier(prefix string) string { return prefix + "-aurora" }

// FinalSnapshotIdentifier is the snapshot RDS takes when a protected
// cluster is deleted.
func FinalSnapshotIdentifier(prefix string) string { return ClusterIdentifier(prefix) + "-final" }

// LogGroupName is where RDS exports the cluster's PostgreSQL log.
func LogGroupName(clusterIdentifier string) string {
	return "/aws/rds/cluster/" + clusterIdentifier + "/postgresql"
}
