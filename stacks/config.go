package stacks

import (
	"net/netip"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/keys"
	"edstack/components/logs"
	"edstack/components/network"
	"edstack/components/observability"
	"edstack/cost"
)

// Config keys read by edstack. Each is declared by the component that uses
// it (Settings), which owns its type, default and limits; Pulumi.yaml and
// the README are generated from the declarations.
const (
	KeyRegion         = "aws:region"
	KeyCountry        = "edstack:country"
	KeyDomain         = "edstack:domain"
	KeyAllowAnyRegion = "edstack:allowAnyRegion"
	KeyProtectData    = "edstack:protectData"
	KeyDatabase       = "edstack:database"

	KeyVPCCIDR          = network.KeyVPCCIDR
	KeyAZs              = network.KeyAZs
	KeyNATGateways      = network.KeyNATGateways
	KeyLogRetentionDays = logs.KeyRetentionDays
	KeyKMSKeyArn        = keys.KeyKMSKeyArn
	KeyCostUsage        = cost.KeyUsage
	KeySpotDiscount     = cost.KeySpotDiscountPercent

	KeyCockroachNodes            = cockroach.KeyNodes
	KeyCockroachCPU              = cockroach.KeyCPU
	KeyCockroachMemoryMiB        = cockroach.KeyMemoryMiB
	KeyCockroachStorageGiB       = cockroach.KeyStorageGiB
	KeyCockroachVersion          = cockroach.KeyVersion
	KeyCockroachReplication      = cockroach.KeyReplicationFactor
	KeyCockroachOnDemandNodes    = cockroach.KeyOnDemandNodes
	KeyCockroachLicenseSecretArn = cockroach.KeyLicenseSecretArn
	KeyCockroachUnlicensed       = cockroach.KeyUnlicensed
	KeyCockroachBackupRetention  = cockroach.KeyBackupRetentionDays
	KeyCockroachImageRepository  = cockroach.KeyImageRepository
	KeyCockroachImageDigest      = cockroach.KeyImageDigest
	KeyCockroachRegistrySecret   = cockroach.KeyRegistrySecretArn
	KeyCockroachDecommissioned   = cockroach.KeyDecommissionedNodes

	KeyHostedZoneID           = edge.KeyHostedZoneID
	KeyPriceClass             = edge.KeyPriceClass
	KeyWAFRateLimit           = edge.KeyWAFRateLimit
	KeyAccessLogRetentionDays = edge.KeyAccessLogRetentionDays
	KeyDNSSEC                 = edge.KeyDNSSEC
	KeyAPITimeout             = api.KeyAPITimeout
	KeyAPIMemory              = api.KeyAPIMemory
	KeyAPIThrottleRate        = api.KeyAPIThrottleRate
	KeyAPIThrottleBurst       = api.KeyAPIThrottleBurst
	KeyAPIBundle              = api.KeyAPIBundle
	KeyAPIReservedConcurrency = api.KeyAPIReservedConcurrency
	KeyWorkerTimeout          = api.KeyWorkerTimeout
	KeyWorkerMemory           = api.KeyWorkerMemory
	KeyWorkerBatchSize        = api.KeyWorkerBatchSize
	KeyWorkerMaxConcurrency   = api.KeyWorkerMaxConcurrency
	KeyWorkerBundle           = api.KeyWorkerBundle
	KeyJobMaxReceiveCount     = api.KeyJobMaxReceiveCount

	KeyAuroraEnabled         = aurora.KeyEnabled
	KeyAuroraEngineVersion   = aurora.KeyEngineVersion
	KeyAuroraWriterClass     = aurora.KeyWriterClass
	KeyAuroraMinACU          = aurora.KeyMinACU
	KeyAuroraMaxACU          = aurora.KeyMaxACU
	KeyAuroraMinReaders      = aurora.KeyMinReaders
	KeyAuroraMaxReaders      = aurora.KeyMaxReaders
	KeyAuroraPeakMinReaders  = aurora.KeyPeakMinReaders
	KeyAuroraTargetCPU       = aurora.KeyTargetCPU
	KeyAuroraBackupRetention = aurora.KeyBackupRetentionDays
	KeySchoolDayStart        = aurora.KeySchoolDayStart
	KeySchoolDayEnd          = aurora.KeySchoolDayEnd

	KeyMonitoring          = observability.KeyMonitoring
	KeyAlarmEmails         = observability.KeyAlarmEmails
	KeyAlarmPagerSecretArn = observability.KeyAlarmPagerSecretArn
)

// Config is a stack's whole configuration, validated.
type Config struct {
	Stack   string
	Country Country
	Region  string
	Domain  string
	Network NetworkConfig
	// LogRetentionDays applies to every CloudWatch log group of the stack.
	LogRetentionDays int
	// ProtectData marks the resources that hold data protected, so that
	// `pulumi destroy` or a careless change cannot delete them.
	ProtectData bool
	// KMSKeyArn is an existing key to encrypt the stack's data with; ""
	// creates the country's own.
	KMSKeyArn string
	Cockroach CockroachConfig
	Edge      EdgeConfig
	API       APIConfig
	// Database is what the application uses: DatabaseCockroach,
	// DatabaseAurora or DatabaseMirror.
	Database string
	// Aurora is the Aurora fallback; nil when it is off.
	Aurora *aurora.Args
	// Root is the project folder, which bundle paths are relative to.
	Root string
	// Cost is what the cost estimate assumes; it changes no resource.
	Cost CostConfig
	// Monitoring is what the stack watches and whom it tells.
	Monitoring MonitoringConfig
	// Warnings are what may fail at deployment though the config is
	// valid, such as a service not confirmed to run in the region; the plan
	// prints them and `pulumi up` logs them.
	Warnings []string
}

// MonitoringConfig is the alarms part of Config.
type MonitoringConfig struct {
	Level          observability.Level
	Emails         []string
	PagerSecretArn string
}

// CostConfig is what the cost estimate assumes beyond the resources.
type CostConfig struct {
	Usage               cost.Usage
	SpotDiscountPercent int
}

// The databases the application can use (edstack:database).
const (
	DatabaseCockroach = "cockroach"
	DatabaseAurora    = "aurora"
	// DatabaseMirror writes to both, CockroachDB as the primary and Aurora
	// as the shadow, for a dual-write-and-compare migration.
	DatabaseMirror = "mirror"
)

// Databases lists the accepted values of edstack:database.
var Databases = []string{DatabaseCockroach, DatabaseAurora, DatabaseMirror}

// EdgeConfig is the DNS and CloudFront part of Config.
type EdgeConfig struct {
	// HostedZoneID is an existing zone to use; empty creates one.
	HostedZoneID string
	// PriceClass is resolved: never "auto".
	PriceClass string
	// WAFRateLimit is requests per 5 minutes per client IP; 0 is no WAF.
	WAFRateLimit int
	// AccessLogDays is how long CloudFront and S3 access logs are kept.
	AccessLogDays int
	// DNSSEC signs the zone the stack creates.
	DNSSEC bool
}

// APIConfig is the application tier part of Config.
type APIConfig struct {
	SyncTimeout, SyncMemoryMB   int
	ThrottleRate, ThrottleBurst int
	// ReservedConcurrency is the API function's connection budget.
	ReservedConcurrency                   int
	WorkerTimeout, WorkerMemoryMB         int
	WorkerBatchSize, WorkerMaxConcurrency int
	MaxReceiveCount                       int
	APIBundle, WorkerBundle               string
}

// CockroachConfig is the CockroachDB part of Config.
type CockroachConfig struct {
	Nodes, CPU, MemoryMiB, StorageGiB int
	Version                           string
	Image                             cockroach.Image
	ReplicationFactor                 int
	OnDemandNodes                     int
	LicenseSecretArn                  string
	Unlicensed                        bool
	BackupRetentionDays               int
	// Decommissioned are the nodes the operator has decommissioned, which a
	// scale-down may delete (cockroach.CheckScale).
	Decommissioned []int
	// Deployed is the node count of the stack's saved state: not a config
	// key, but what the program reads before it builds (DeployedNodes).
	Deployed int
}

// NetworkConfig is the network part of Config.
type NetworkConfig struct {
	CIDR netip.Prefix
	AZs  []string
	NAT  network.NATMode
}

// Prefix starts every resource name of the stack: the country code for a
// country's own stack ("nz"), and "<country>-<stack>" for any other stack of
// that country ("nz-dev"), so two stacks in one account never share names.
func (c Config) Prefix() string {
	if c.Stack == c.Country.Code {
		return c.Country.Code
	}
	return c.Country.Code + "-" + c.Stack
}

// Lookup returns a config value and whether it is set, like ctx.GetConfig.
type Lookup func(key string) (string, bool)

// Load reads and validates a stack's configuration: its keys (none that
// edstack does not read, none encrypted that is not a secret) and their
// values. It reports every problem at once in a *ConfigError; nothing is
// created until it succeeds.
func Load(stack string, src Source) (Config, error) {
	var keyProblems, ps problems
	wrong := src.checkKeys(&keyProblems)
	src.checkShapes(&keyProblems, wrong)
	root := src.Root
	if root == "" {
		root = "."
	}
	r := reader{get: src.lookup, ps: &ps, root: root}
	cfg := Config{Stack: stack, Root: root}

	country, countryOK := r.country()
	cfg.Country = country
	if countryOK {
		r.stackName(cfg)
	}
	region, regionOK := r.region(country, countryOK)
	cfg.Region = region
	cfg.Domain = r.domain()
	cfg.Network.CIDR = r.cidr(country)
	cfg.Network.AZs = r.azs(region, regionOK)
	cfg.Network.NAT = r.nat()
	cfg.LogRetentionDays = r.logRetention()
	cfg.ProtectData = r.boolean(KeyProtectData)
	cfg.KMSKeyArn = r.kmsKey(region, regionOK)
	cfg.Database = r.database()
	cfg.Aurora = r.aurora(cfg, countryOK && regionOK)
	if cfg.Database != DatabaseCockroach && cfg.Database != "" && cfg.Aurora == nil {
		ps.add(KeyDatabase, cfg.Database, "needs the Aurora cluster; set %s: true, or use %q", KeyAuroraEnabled, DatabaseCockroach)
	}
	cfg.Cockroach = r.cockroach(region, regionOK, cfg.Database, cfg.Prefix())
	cfg.Edge = r.edge(country, countryOK)
	cfg.API = r.api()
	cfg.Cost = r.cost()
	cfg.Monitoring = r.monitoring(region, regionOK)
	if regionOK {
		cfg.Warnings = r.services(cfg)
	}

	// A key found wrong is reported once, as such, not again for its value.
	for _, p := range ps {
		if !wrong[p.Key] {
			keyProblems = append(keyProblems, p)
		}
	}
	if len(keyProblems) > 0 {
		return Config{}, &ConfigError{Stack: stack, Problems: keyProblems}
	}
	return cfg, nil
}
