package stacks

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/logs"
	"edstack/components/network"
)

// Config keys read by edstack. Pulumi.yaml declares each with its type,
// description and default; the Pulumi CLI (and `edstack plan`) applies the
// defaults before the program runs.
const (
	KeyRegion           = "aws:region"
	KeyCountry          = "edstack:country"
	KeyDomain           = "edstack:domain"
	KeyAllowAnyRegion   = "edstack:allowAnyRegion"
	KeyVPCCIDR          = "edstack:vpcCidr"
	KeyAZs              = "edstack:availabilityZones"
	KeyNATGateways      = "edstack:natGateways"
	KeyLogRetentionDays = "edstack:logRetentionDays"
	KeyProtectData      = "edstack:protectData"

	KeyCockroachNodes            = "edstack:cockroachNodes"
	KeyCockroachCPU              = "edstack:cockroachCpu"
	KeyCockroachMemoryMiB        = "edstack:cockroachMemoryMiB"
	KeyCockroachStorageGiB       = "edstack:cockroachStorageGiB"
	KeyCockroachVersion          = "edstack:cockroachVersion"
	KeyCockroachReplication      = "edstack:cockroachReplicationFactor"
	KeyCockroachOnDemandNodes    = "edstack:cockroachOnDemandNodes"
	KeyCockroachLicenseSecretArn = "edstack:cockroachLicenseSecretArn"
	KeyCockroachUnlicensed       = "edstack:cockroachUnlicensed"
	KeyCockroachBackupRetention  = "edstack:cockroachBackupRetentionDays"
	KeyCockroachImageRepository  = "edstack:cockroachImageRepository"
	KeyCockroachImageDigest      = "edstack:cockroachImageDigest"
	KeyCockroachRegistrySecret   = "edstack:cockroachRegistrySecretArn"
	KeyCockroachDecommissioned   = "edstack:cockroachDecommissionedNodes"

	KeyHostedZoneID         = "edstack:hostedZoneId"
	KeyPriceClass           = "edstack:cloudFrontPriceClass"
	KeyAPITimeout           = "edstack:apiTimeoutSeconds"
	KeyAPIMemory            = "edstack:apiMemoryMB"
	KeyAPIThrottleRate      = "edstack:apiThrottleRate"
	KeyAPIThrottleBurst     = "edstack:apiThrottleBurst"
	KeyAPIBundle            = "edstack:apiBundle"
	KeyWorkerTimeout        = "edstack:workerTimeoutSeconds"
	KeyWorkerMemory         = "edstack:workerMemoryMB"
	KeyWorkerBatchSize      = "edstack:workerBatchSize"
	KeyWorkerMaxConcurrency = "edstack:workerMaxConcurrency"
	KeyWorkerBundle         = "edstack:workerBundle"
	KeyJobMaxReceiveCount   = "edstack:jobMaxReceiveCount"

	KeyDatabase              = "edstack:database"
	KeyAuroraEnabled         = "edstack:auroraEnabled"
	KeyAuroraEngineVersion   = "edstack:auroraEngineVersion"
	KeyAuroraWriterClass     = "edstack:auroraWriterClass"
	KeyAuroraMinACU          = "edstack:auroraMinAcu"
	KeyAuroraMaxACU          = "edstack:auroraMaxAcu"
	KeyAuroraMinReaders      = "edstack:auroraMinReaders"
	KeyAuroraMaxReaders      = "edstack:auroraMaxReaders"
	KeyAuroraPeakMinReaders  = "edstack:auroraPeakMinReaders"
	KeyAuroraTargetCPU       = "edstack:auroraTargetCpu"
	KeyAuroraBackupRetention = "edstack:auroraBackupRetentionDays"
	KeySchoolDayStart        = "edstack:schoolDayStart"
	KeySchoolDayEnd          = "edstack:schoolDayEnd"
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
	Cockroach   CockroachConfig
	Edge        EdgeConfig
	API         APIConfig
	// Database is what the application uses: DatabaseCockroach,
	// DatabaseAurora or DatabaseMirror.
	Database string
	// Aurora is the Aurora fallback; nil when it is off.
	Aurora *aurora.Args
	// Root is the project folder, which bundle paths are relative to.
	Root string
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
}

// APIConfig is the application tier part of Config.
type APIConfig struct {
	SyncTimeout, SyncMemoryMB             int
	ThrottleRate, ThrottleBurst           int
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
	cfg.Network.CIDR = r.cidr(country, countryOK)
	cfg.Network.AZs = r.azs(region, regionOK)
	cfg.Network.NAT = r.nat()
	cfg.LogRetentionDays = r.logRetention()
	cfg.ProtectData = r.boolean(KeyProtectData)
	cfg.Database = r.database()
	cfg.Aurora = r.aurora(cfg, countryOK && regionOK)
	if cfg.Database != DatabaseCockroach && cfg.Database != "" && cfg.Aurora == nil {
		ps.add(KeyDatabase, cfg.Database, "needs the Aurora cluster; set %s: true, or use %q", KeyAuroraEnabled, DatabaseCockroach)
	}
	cfg.Cockroach = r.cockroach(region, regionOK, cfg.Database, cfg.Prefix())
	cfg.Edge = r.edge(country, countryOK)
	cfg.API = r.api()

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

// reader reads keys and records what is wrong with them.
type reader struct {
	get Lookup
	ps  *problems
	// root is the project folder, which paths are relative to.
	root string
}

// required returns a key's value, or records that it is missing.
func (r reader) required(key, want string) (string, bool) {
	v, ok := r.get(key)
	if !ok || strings.TrimSpace(v) == "" {
		r.ps.missing(key, "%s", want)
		return "", false
	}
	return v, true
}

// declared returns the value of a key that Pulumi.yaml gives a default.
func (r reader) declared(key string) (string, bool) {
	v, ok := r.get(key)
	if !ok {
		r.ps.missing(key, "Pulumi.yaml declares its default, so run the program through the Pulumi CLI (v3.44 or newer) or `go run . plan`")
	}
	return v, ok
}

// KeyStackName stands for the stack's name in problems: not a config key,
// but it names every resource.
const KeyStackName = "stack name"

var prefixPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// stackName checks the name prefix the stack gives its resources
// (Config.Prefix) against the rules of the names it feeds.
func (r reader) stackName(cfg Config) {
	prefix := cfg.Prefix()
	switch {
	case !prefixPattern.MatchString(prefix):
		r.ps.add(KeyStackName, cfg.Stack, "makes the resource name prefix %q; use lowercase letters, digits and single hyphens "+
			"(load balancer, target group and S3 bucket names take nothing else), e.g. dev or loadtest", prefix)
	default:
		if err := cockroach.CheckPrefix(prefix); err != nil {
			r.ps.add(KeyStackName, cfg.Stack, "makes the resource name prefix %q, which %s: use a stack name of at most %d characters",
				prefix, err, cockroach.MaxPrefix()-len(cfg.Country.Code)-1)
		}
	}
}

func (r reader) country() (Country, bool) {
	codes := strings.Join(CountryCodes(), ", ")
	v, ok := r.required(KeyCountry, "set it to the ISO code of the country this stack serves: one of "+codes)
	if !ok {
		return Country{}, false
	}
	c, found := LookupCountry(v)
	if !found {
		r.ps.add(KeyCountry, v, "is not a supported country; use one of %s (lowercase ISO 3166-1 codes)", codes)
	}
	return c, found
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$`)

// region returns aws:region and whether it is one the stack may use.
func (r reader) region(country Country, countryOK bool) (string, bool) {
	want := "set it to the AWS region of this stack"
	if countryOK {
		want = fmt.Sprintf("set it to %s, the default region of %s", country.Region, country.Name)
	}
	allowAny := r.boolean(KeyAllowAnyRegion)
	v, ok := r.required(KeyRegion, want)
	if !ok {
		return "", false
	}
	if !regionPattern.MatchString(v) {
		r.ps.add(KeyRegion, v, "is not an AWS region name (e.g. ap-southeast-2)")
		return v, false
	}
	if countryOK && !allowAny && !slices.Contains(country.Regions, v) {
		r.ps.add(KeyRegion, v, "is not a region %s deploys to; use one of %s, or set %s: true to deploy there anyway",
			country.Name, strings.Join(country.Regions, ", "), KeyAllowAnyRegion)
		return v, false
	}
	return v, countryOK
}

// A DNS name of at least two labels, each 1-63 lowercase letters, digits or
// inner hyphens, with a top-level label that is not all digits.
var labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (r reader) domain() string {
	v, ok := r.required(KeyDomain, "set it to the domain the country's site is served at, e.g. learn.example.nz")
	if !ok {
		return ""
	}
	if why := domainProblem(v); why != "" {
		r.ps.add(KeyDomain, v, "is not a valid domain: %s", why)
	} else if err := edge.CheckDomain(v); err != nil {
		r.ps.add(KeyDomain, v, "%s; use a shorter domain", err)
	}
	return v
}

// domainProblem says what is wrong with a domain name, or "" when nothing is.
func domainProblem(d string) string {
	switch {
	case strings.Contains(d, "://") || strings.ContainsAny(d, "/:?#@ "):
		return "give the bare domain, without scheme, port, path or spaces (e.g. learn.example.nz)"
	case d != strings.ToLower(d):
		return "use lowercase"
	case strings.HasSuffix(d, "."):
		return "drop the trailing dot"
	case len(d) > 253:
		return "longer than 253 characters"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "needs at least two labels (e.g. example.nz)"
	}
	for _, l := range labels {
		if !labelPattern.MatchString(l) {
			return fmt.Sprintf("label %q must be 1-63 letters, digits or inner hyphens", l)
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return "the top-level label cannot be numeric"
	}
	return ""
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

func (r reader) cidr(country Country, countryOK bool) netip.Prefix {
	v, ok := r.declared(KeyVPCCIDR)
	if !ok {
		return netip.Prefix{}
	}
	if v == "" {
		return country.VPCCIDR // the catalog's; invalid only when the country is
	}
	p, err := netip.ParsePrefix(v)
	switch {
	case err != nil || !p.Addr().Is4():
		r.ps.add(KeyVPCCIDR, v, "is not an IPv4 CIDR block; use e.g. 10.20.0.0/16, or leave it empty for the country's default")
	case p.Masked() != p:
		r.ps.add(KeyVPCCIDR, v, "has host bits set; did you mean %s?", p.Masked())
	case p.Bits() < network.MinVPCPrefix || p.Bits() > network.MaxVPCPrefix:
		r.ps.add(KeyVPCCIDR, v, "must have a prefix length from /%d to /%d", network.MinVPCPrefix, network.MaxVPCPrefix)
	case !slices.ContainsFunc(privateRanges, func(r netip.Prefix) bool { return r.Contains(p.Addr()) }):
		r.ps.add(KeyVPCCIDR, v, "is not in a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
	default:
		return p
	}
	return netip.Prefix{}
}

// azs reads the zones; they are checked only against a region the stack
// may use, so a wrong region is reported once, not twice.
func (r reader) azs(region string, regionOK bool) []string {
	v, ok := r.declared(KeyAZs)
	if !ok || !regionOK {
		return nil
	}
	var zones []string
	if err := json.Unmarshal([]byte(v), &zones); err != nil {
		r.ps.add(KeyAZs, v, "is not a list of zone names; use e.g. [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c], or [] for the region's default")
		return nil
	}
	if len(zones) == 0 {
		reg, known := LookupRegion(region)
		if !known {
			r.ps.add(KeyAZs, v, "is empty, and edstack's catalog has no zones for %s; list three zones of that region", region)
			return nil
		}
		return reg.AZs
	}
	if len(zones) != 3 {
		r.ps.add(KeyAZs, v, "lists %d zones; a stack spans exactly 3, so that the database survives the loss of one", len(zones))
		return nil
	}
	seen := map[string]bool{}
	reg, known := LookupRegion(region)
	for _, z := range zones {
		if !strings.HasPrefix(z, region) || len(z) != len(region)+1 || z[len(z)-1] < 'a' || z[len(z)-1] > 'z' {
			r.ps.add(KeyAZs, v, "holds %q, which is not a zone of %s (e.g. %sa)", z, region, region)
			return nil
		}
		if known && !reg.HasZone(region, z) {
			r.ps.add(KeyAZs, v, "holds %q, which %s does not have; its zones are %s", z, region, strings.Join(azs(region, strings.Split(reg.Zones, "")...), ", "))
			return nil
		}
		if seen[z] {
			r.ps.add(KeyAZs, v, "lists %s twice; use three different zones", z)
			return nil
		}
		seen[z] = true
	}
	return zones
}

func (r reader) nat() network.NATMode {
	v, ok := r.declared(KeyNATGateways)
	if !ok {
		return ""
	}
	for _, m := range network.NATModes {
		if string(m) == v {
			return m
		}
	}
	r.ps.add(KeyNATGateways, v, "is not a NAT mode; use %q (one gateway, for development) or %q (one per zone, for countries)",
		network.NATSingle, network.NATPerAZ)
	return ""
}

func (r reader) logRetention() int {
	v, ok := r.declared(KeyLogRetentionDays)
	if !ok {
		return 0
	}
	days, err := strconv.Atoi(v)
	if err != nil || !logs.ValidRetention(days) {
		r.ps.add(KeyLogRetentionDays, v, "is not a retention CloudWatch accepts; use one of %s", logs.RetentionChoices())
		return 0
	}
	return days
}

// integer reads a declared integer key within [lo, hi].
func (r reader) integer(key string, lo, hi int, what string) (int, bool) {
	return r.integerWant(key, lo, hi, fmt.Sprintf("is not %s; use a whole number from %d to %d", what, lo, hi))
}

// integerWant reads an integer key whose accepted values are more than a
// range (odd numbers, sizes per CPU): want says exactly what is accepted,
// for a value that is not a number or outside lo to hi.
func (r reader) integerWant(key string, lo, hi int, want string) (int, bool) {
	v, ok := r.declared(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.ps.add(key, v, "%s", want)
		return 0, false
	}
	return n, true
}

var (
	versionPattern    = regexp.MustCompile(`^v(2[4-9]|[3-9][0-9])\.[0-9]+\.[0-9]+$`)
	oldVersionPattern = regexp.MustCompile(`^v([1-9]|1[0-9]|2[0-3])\.[0-9]+\.[0-9]+$`)
	secretArnPattern  = regexp.MustCompile(`^arn:aws:secretsmanager:([a-z0-9-]+):[0-9]{12}:secret:.+$`)
)

func (r reader) cockroach(region string, regionOK bool, database, prefix string) CockroachConfig {
	var c CockroachConfig
	nodesOK := false
	c.Decommissioned = r.nodeList(KeyCockroachDecommissioned)
	if v, _ := r.get(KeyCockroachNodes); v == "0" {
		// No cluster at all: only when the application runs on Aurora.
		if database != DatabaseAurora {
			r.ps.add(KeyCockroachNodes, v, "turns CockroachDB off, which only %s: %s allows; use 3 or more nodes", KeyDatabase, DatabaseAurora)
		}
		return c
	}
	c.Nodes, nodesOK = r.integer(KeyCockroachNodes, 3, 99, "a node count (a cluster needs at least 3, or 0 with edstack:database: aurora)")
	if nodesOK {
		if err := cockroach.CheckDecommissioned(c.Nodes, c.Decommissioned); err != nil {
			r.ps.add(KeyCockroachDecommissioned, r.raw(KeyCockroachDecommissioned), "is not usable: %s", err)
		}
	}
	cpu, cpuOK := r.integerWant(KeyCockroachCPU, 1, 16384, "is not a CPU size; use 4096 (4 vCPU, CockroachDB's minimum), 8192 or 16384")
	mem, memOK := r.integerWant(KeyCockroachMemoryMiB, 1, 122880, "is not a memory size in MiB; use "+cockroach.MemoryChoices())
	if cpuOK && memOK {
		if err := cockroach.CheckFargateSize(cpu, mem); err != nil {
			r.ps.add(KeyCockroachCPU+" / "+KeyCockroachMemoryMiB, fmt.Sprintf("%d / %d", cpu, mem), "%s", err)
		}
	}
	c.CPU, c.MemoryMiB = cpu, mem
	c.StorageGiB, _ = r.integer(KeyCockroachStorageGiB, 21, 200, "an ephemeral storage size Fargate accepts")
	if v, ok := r.declared(KeyCockroachVersion); ok {
		switch {
		case versionPattern.MatchString(v):
		case oldVersionPattern.MatchString(v):
			r.ps.add(KeyCockroachVersion, v, "is older than edstack supports (its start script and settings need v24.1 or newer); use a pinned patch of v24 or newer, such as v26.2.0")
		default:
			r.ps.add(KeyCockroachVersion, v, "is not a pinned CockroachDB release tag (vMAJOR.MINOR.PATCH); use one of v24 or newer, such as v26.2.0")
		}
		c.Version = v
	}
	if rf, ok := r.integerWant(KeyCockroachReplication, 0, 99, fmt.Sprintf("is not a replication factor; use 0 (5 with 5 or more nodes, else 3) or an odd number from 3 to %s (the node count)", r.raw(KeyCockroachNodes))); ok {
		switch {
		case rf == 0 && nodesOK:
			c.ReplicationFactor = cockroach.DefaultReplicationFactor(c.Nodes)
		case rf != 0 && (rf < 3 || rf%2 == 0 || (nodesOK && rf > c.Nodes)):
			r.ps.add(KeyCockroachReplication, strconv.Itoa(rf), "is not usable; use 0 (5 with 5 or more nodes, else 3) or an odd number from 3 to %s (the node count)", r.raw(KeyCockroachNodes))
		default:
			c.ReplicationFactor = rf
		}
	}
	if n, ok := r.integerWant(KeyCockroachOnDemandNodes, 0, 99, fmt.Sprintf("is not a node count; use 0 to %s (the node count)", r.raw(KeyCockroachNodes))); ok {
		if nodesOK && n > c.Nodes {
			r.ps.add(KeyCockroachOnDemandNodes, strconv.Itoa(n), "is more than the %d nodes of the cluster; use 0 to %d", c.Nodes, c.Nodes)
		}
		c.OnDemandNodes = n
	}
	if v, ok := r.declared(KeyCockroachLicenseSecretArn); ok && v != "" {
		m := secretArnPattern.FindStringSubmatch(v)
		switch {
		case m == nil:
			r.ps.add(KeyCockroachLicenseSecretArn, v, "is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)")
		case regionOK && m[1] != region:
			r.ps.add(KeyCockroachLicenseSecretArn, v, "is in %s; ECS reads secrets of the stack's region, %s", m[1], region)
		}
		c.LicenseSecretArn = v
	}
	c.Unlicensed = r.boolean(KeyCockroachUnlicensed)
	_, unlicensedErr := strconv.ParseBool(r.raw(KeyCockroachUnlicensed))
	if c.LicenseSecretArn == "" && !c.Unlicensed && unlicensedErr == nil {
		r.ps.add(KeyCockroachLicenseSecretArn, "", "is empty: CockroachDB throttles a cluster without a licence key 7 days after init; give the ARN of the secret holding the key, or set %s: true for a stack that may run unlicensed (development)", KeyCockroachUnlicensed)
	}
	c.BackupRetentionDays, _ = r.integer(KeyCockroachBackupRetention, cockroach.MinBackupRetentionDays, 3650, "days to keep backup chains")
	c.Image = cockroach.Image{
		Repository:        r.raw(KeyCockroachImageRepository),
		Version:           c.Version,
		Digest:            r.raw(KeyCockroachImageDigest),
		RegistrySecretArn: r.raw(KeyCockroachRegistrySecret),
	}
	keyOf := map[string]string{"repository": KeyCockroachImageRepository, "digest": KeyCockroachImageDigest, "registry secret": KeyCockroachRegistrySecret}
	for _, p := range c.Image.Problems(prefix) {
		r.ps.add(keyOf[p[0]], p[1], "is not usable; use %s", p[2])
	}
	return c
}

// nodeList reads a JSON list of node indexes, each listed once.
func (r reader) nodeList(key string) []int {
	v := r.raw(key)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var nodes []int
	if err := json.Unmarshal([]byte(v), &nodes); err != nil {
		r.ps.add(key, v, "is not a list of node numbers; use e.g. [9, 10, 11], or [] for none")
		return nil
	}
	seen := map[int]bool{}
	for _, n := range nodes {
		if n < 0 || n > 98 || seen[n] {
			r.ps.add(key, v, "holds %d, which is not a node number or is listed twice; nodes are numbered 0 to 98", n)
			return nil
		}
		seen[n] = true
	}
	if len(nodes) == 0 {
		return nil
	}
	return nodes
}

var zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

func (r reader) edge(country Country, countryOK bool) EdgeConfig {
	var e EdgeConfig
	if v, ok := r.declared(KeyHostedZoneID); ok {
		if v != "" && !zoneIDPattern.MatchString(v) {
			r.ps.add(KeyHostedZoneID, v, "is not a Route53 hosted zone id (Z followed by capitals and digits, e.g. Z0123456789ABCDEFGHIJ); leave it empty to create a zone")
		}
		e.HostedZoneID = v
	}
	if v, ok := r.declared(KeyPriceClass); ok {
		switch {
		case v == "auto" && countryOK:
			e.PriceClass = DefaultPriceClass(country)
		case v == "auto":
		case edge.ValidPriceClass(v):
			e.PriceClass = v
			if countryOK && !PriceClassServes(v, country) {
				r.ps.add(KeyPriceClass, v, "has no edge locations in %s; use auto or %s", country.Name, DefaultPriceClass(country))
			}
		default:
			r.ps.add(KeyPriceClass, v, "is not a CloudFront price class; use auto, %s", strings.Join(edge.PriceClasses, ", "))
		}
	}
	return e
}

func (r reader) api() APIConfig {
	var a APIConfig
	a.SyncTimeout, _ = r.integer(KeyAPITimeout, 1, 30, "a timeout API Gateway allows (HTTP APIs give a function at most 30 s)")
	a.SyncMemoryMB, _ = r.integer(KeyAPIMemory, 128, 10240, "a Lambda memory size in MB")
	a.ThrottleRate, _ = r.integer(KeyAPIThrottleRate, 1, 10000, "a rate in requests per second (the account's default limit is 10,000)")
	a.ThrottleBurst, _ = r.integer(KeyAPIThrottleBurst, 1, 5000, "a burst (the account's default limit is 5,000)")
	var timeoutOK, triesOK bool
	a.WorkerTimeout, timeoutOK = r.integer(KeyWorkerTimeout, 1, 900, "a Lambda timeout (at most 900 s, 15 minutes)")
	a.WorkerMemoryMB, _ = r.integer(KeyWorkerMemory, 128, 10240, "a Lambda memory size in MB")
	a.WorkerBatchSize, _ = r.integer(KeyWorkerBatchSize, 1, 10, "a batch size")
	a.WorkerMaxConcurrency, _ = r.integer(KeyWorkerMaxConcurrency, 2, 1000, "a maximum concurrency SQS event sources accept")
	a.MaxReceiveCount, triesOK = r.integer(KeyJobMaxReceiveCount, 1, 1000, "a receive count")
	if triesOK && timeoutOK {
		if _, err := api.QueueRetention(a.MaxReceiveCount, a.WorkerTimeout); err != nil {
			r.ps.add(KeyJobMaxReceiveCount, strconv.Itoa(a.MaxReceiveCount), "is too many: %s", err)
		}
	}
	a.APIBundle = r.bundle(KeyAPIBundle)
	a.WorkerBundle = r.bundle(KeyWorkerBundle)
	return a
}

func (r reader) bundle(key string) string {
	v, ok := r.declared(key)
	if !ok || v == "" {
		return ""
	}
	if err := api.CheckBundle(r.root, v); err != nil {
		r.ps.add(key, v, "is not a usable bundle: %v", err)
	}
	return v
}

func (r reader) database() string {
	v, ok := r.declared(KeyDatabase)
	if ok && !slices.Contains(Databases, v) {
		r.ps.add(KeyDatabase, v, "is not a database edstack runs; use %s", strings.Join(Databases, ", "))
		return ""
	}
	return v
}

// auroraFields maps the fields aurora.Args.Validate names to the config keys
// they come from, longest first so that no name replaces part of another.
var auroraFields = []struct{ field, key string }{
	{"Writer.MinACU/MaxACU", KeyAuroraMinACU + "/" + KeyAuroraMaxACU},
	{"Writer.InstanceClass", KeyAuroraWriterClass},
	{"BackupRetentionDays", KeyAuroraBackupRetention},
	{"PeakMinReaders", KeyAuroraPeakMinReaders},
	{"LogRetentionDays", KeyLogRetentionDays},
	{"Writer.MinACU", KeyAuroraMinACU},
	{"Writer.MaxACU", KeyAuroraMaxACU},
	{"EngineVersion", KeyAuroraEngineVersion},
	{"Schedule.Start", KeySchoolDayStart},
	{"Schedule.End", KeySchoolDayEnd},
	{"MinReaders", KeyAuroraMinReaders},
	{"MaxReaders", KeyAuroraMaxReaders},
	{"TargetCPU", KeyAuroraTargetCPU},
	{"Schedule", KeySchoolDayStart + "-" + KeySchoolDayEnd},
}

// aurora reads the Aurora keys when the cluster is on, and checks them with
// the component's own rules, reported under the config keys.
func (r reader) aurora(cfg Config, placed bool) *aurora.Args {
	if !r.boolean(KeyAuroraEnabled) {
		return nil
	}
	a := &aurora.Args{
		Prefix: cfg.Prefix(),
		AZs:    cfg.Network.AZs,
		// Placeholders: the resources come later, and are not config.
		VpcID: pulumi.String(""), SubnetIDs: pulumi.StringArray{}, AppSecurityGroupID: pulumi.String(""),
		Writer:           aurora.Writer{},
		Protect:          cfg.ProtectData,
		Database:         "app",
		LogRetentionDays: cfg.LogRetentionDays,
		Schedule:         aurora.SchoolDay{TimeZone: cfg.Country.TimeZone, Days: "MON-FRI"},
	}
	before := len(*r.ps)
	a.EngineVersion, _ = r.declared(KeyAuroraEngineVersion)
	a.Writer.InstanceClass, _ = r.declared(KeyAuroraWriterClass)
	a.Writer.MinACU, _ = r.number(KeyAuroraMinACU)
	a.Writer.MaxACU, _ = r.number(KeyAuroraMaxACU)
	if !a.Writer.Serverless() {
		a.Writer.MinACU, a.Writer.MaxACU = 0, 0 // the class is the size
	}
	a.MinReaders, _ = r.integer(KeyAuroraMinReaders, 0, aurora.MaxReplicas, "a reader count")
	a.MaxReaders, _ = r.integer(KeyAuroraMaxReaders, 1, aurora.MaxReplicas, "a reader count")
	if peak, ok := r.integerWant(KeyAuroraPeakMinReaders, aurora.AutoPeakMinReaders, aurora.MaxReplicas,
		fmt.Sprintf("is not a reader count; use %d (max(%s, %d), capped at %s) or a count from %s to %s",
			aurora.AutoPeakMinReaders, KeyAuroraMinReaders, aurora.DefaultPeakReaders, KeyAuroraMaxReaders, KeyAuroraMinReaders, KeyAuroraMaxReaders)); ok && peak != aurora.AutoPeakMinReaders {
		a.PeakMinReaders = &peak // 0 included: honoured
	}
	a.TargetCPU, _ = r.integer(KeyAuroraTargetCPU, 0, 100, "a CPU percentage")
	a.BackupRetentionDays, _ = r.integer(KeyAuroraBackupRetention, 0, 365, "a number of days")
	a.Schedule.Start, _ = r.declared(KeySchoolDayStart)
	a.Schedule.End, _ = r.declared(KeySchoolDayEnd)
	if !placed || len(*r.ps) > before {
		return a // the component's rules need the values above to be sound
	}
	if err := a.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			r.auroraProblem(strings.TrimPrefix(line, "aurora: "))
		}
	}
	return a
}

// auroraProblem records one of the component's messages under the key it
// is about, with the component's field names replaced by config keys.
func (r reader) auroraProblem(msg string) {
	key, at := KeyAuroraEnabled, len(msg)
	pairs := make([]string, 0, 2*len(auroraFields))
	for _, f := range auroraFields {
		pairs = append(pairs, f.field, f.key)
		if i := strings.Index(msg, f.field); i >= 0 && i < at {
			key, at = f.key, i
		}
	}
	// One pass, so that a key put in is never matched again.
	msg = strings.NewReplacer(pairs...).Replace(msg)
	*r.ps = append(*r.ps, Problem{Key: key, Set: true, Message: msg})
}

// number reads a declared key holding a decimal number (Pulumi config has
// no number type, so such keys are strings).
func (r reader) number(key string) (float64, bool) {
	v, ok := r.declared(key)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.ps.add(key, v, "is not a number; use e.g. 0.5")
		return 0, false
	}
	return f, true
}

// raw is a key's value as given, for messages.
func (r reader) raw(key string) string {
	v, _ := r.get(key)
	return v
}

// boolean reads an optional boolean key; a bad value is recorded and reads
// as false.
func (r reader) boolean(key string) bool {
	v, ok := r.declared(key)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.ps.add(key, v, "is not a boolean; use true or false")
	}
	return b
}
