package stacks

import (
	"edstack/components/cockroach"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/network"
)

// declared are the keys the real Pulumi.yaml declares.
func declared(t *testing.T) Declared {
	t.Helper()
	b, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	d, err := ParseDeclared(b)
	require.NoError(t, err)
	return d
}

// valid is a complete, valid configuration as the Pulumi CLI hands it over
// (Pulumi.yaml's defaults applied).
func valid() map[string]string {
	return map[string]string{
		KeyRegion:              "ap-southeast-2",
		KeyCountry:             "nz",
		KeyDomain:              "learn.example.nz",
		KeyAllowAnyRegion:      "false",
		KeyVPCCIDR:             "",
		KeyAZs:                 "[]",
		KeyNATGateways:         "perAz",
		KeyLogRetentionDays:    "90",
		KeyProtectData:         "true",
		KeyKMSKeyArn:           "",
		KeyCostUsage:           "",
		KeySpotDiscount:        "65",
		KeyMonitoring:          "full",
		KeyAlarmEmails:         "[]",
		KeyAlarmPagerSecretArn: "",

		KeyCockroachNodes:            "12",
		KeyCockroachCPU:              "4096",
		KeyCockroachMemoryMiB:        "24576",
		KeyCockroachStorageGiB:       "200",
		KeyCockroachVersion:          "v26.2.0",
		KeyCockroachReplication:      "0",
		KeyCockroachOnDemandNodes:    "0",
		KeyCockroachLicenseSecretArn: "",
		KeyCockroachUnlicensed:       "true",
		KeyCockroachBackupRetention:  "35",
		KeyCockroachImageRepository:  "",
		KeyCockroachImageDigest:      "",
		KeyCockroachRegistrySecret:   "",
		KeyCockroachDecommissioned:   "[]",

		KeyHostedZoneID:           "",
		KeyPriceClass:             "auto",
		KeyWAFRateLimit:           "20000",
		KeyAccessLogRetentionDays: "90",
		KeyDNSSEC:                 "true",
		KeyAPITimeout:             "30",
		KeyAPIMemory:              "1024",
		KeyAPIThrottleRate:        "1000",
		KeyAPIThrottleBurst:       "500",
		KeyAPIBundle:              "",
		KeyAPIReservedConcurrency: "100",
		KeyWorkerTimeout:          "900",
		KeyWorkerMemory:           "1024",
		KeyWorkerBatchSize:        "10",
		KeyWorkerMaxConcurrency:   "10",
		KeyWorkerBundle:           "",
		KeyJobMaxReceiveCount:     "5",

		KeyDatabase:              "cockroach",
		KeyAuroraEnabled:         "false",
		KeyAuroraEngineVersion:   "16.6",
		KeyAuroraWriterClass:     "db.serverless",
		KeyAuroraMinACU:          "0.5",
		KeyAuroraMaxACU:          "16",
		KeyAuroraMinReaders:      "1",
		KeyAuroraMaxReaders:      "4",
		KeyAuroraPeakMinReaders:  "-1",
		KeyAuroraTargetCPU:       "70",
		KeyAuroraBackupRetention: "7",
		KeySchoolDayStart:        "07:00",
		KeySchoolDayEnd:          "18:00",
	}
}

// withAurora turns Aurora on, with further changes.
func withAurora(changes map[string]string) map[string]string {
	out := map[string]string{KeyAuroraEnabled: "true"}
	for k, v := range changes {
		out[k] = v
	}
	return out
}

func load(t *testing.T, stack string, changes map[string]string, unset ...string) (Config, error) {
	t.Helper()
	values := valid()
	for k, v := range changes {
		values[k] = v
	}
	for _, k := range unset {
		delete(values, k)
	}
	return Load(stack, Source{Values: values, Declared: declared(t)})
}

func TestLoadValid(t *testing.T) {
	cfg, err := load(t, "nz", nil)
	require.NoError(t, err)
	assert.Equal(t, "nz", cfg.Country.Code)
	assert.Equal(t, "ap-southeast-2", cfg.Region)
	assert.Equal(t, "learn.example.nz", cfg.Domain)
	assert.Equal(t, netip.MustParsePrefix("10.20.0.0/16"), cfg.Network.CIDR, "catalog CIDR by default")
	assert.Equal(t, []string{"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"}, cfg.Network.AZs)
	assert.Equal(t, network.NATPerAZ, cfg.Network.NAT)
	assert.Equal(t, 90, cfg.LogRetentionDays)
	assert.Equal(t, "nz", cfg.Prefix())
	assert.True(t, cfg.ProtectData)
	assert.Equal(t, CockroachConfig{Nodes: 12, CPU: 4096, MemoryMiB: 24576, StorageGiB: 200, Version: "v26.2.0",
		Image: cockroach.Image{Version: "v26.2.0"}, ReplicationFactor: 5, Unlicensed: true, BackupRetentionDays: 35}, cfg.Cockroach)
}

func TestPriceClassDefault(t *testing.T) {
	cfg, err := load(t, "nz", nil)
	require.NoError(t, err)
	assert.Equal(t, "PriceClass_All", cfg.Edge.PriceClass, "auto resolves to the country's class: only PriceClass_All reaches New Zealand")
}

func TestDatabaseSwitch(t *testing.T) {
	cfg, err := load(t, "nz", nil)
	require.NoError(t, err)
	assert.Nil(t, cfg.Aurora, "Aurora is off by default")
	assert.Equal(t, DatabaseCockroach, cfg.Database)

	cfg, err = load(t, "nz", withAurora(map[string]string{KeyDatabase: "aurora", KeyCockroachNodes: "0"}))
	require.NoError(t, err)
	require.NotNil(t, cfg.Aurora)
	assert.Equal(t, 0, cfg.Cockroach.Nodes, "CockroachDB off, allowed with aurora")
	assert.Equal(t, "Pacific/Auckland", cfg.Aurora.Schedule.TimeZone, "the school day is the country's")
	assert.Equal(t, "16.6", cfg.Aurora.EngineVersion)

	cfg, err = load(t, "nz", withAurora(map[string]string{KeyDatabase: "mirror", KeyAuroraWriterClass: "db.r7g.large"}))
	require.NoError(t, err)
	assert.Equal(t, DatabaseMirror, cfg.Database)
	assert.Equal(t, 12, cfg.Cockroach.Nodes)
	assert.Zero(t, cfg.Aurora.Writer.MaxACU, "a provisioned writer takes no ACU range")
}

func TestReplicationFactorDefault(t *testing.T) {
	for nodes, rf := range map[string]int{"3": 3, "4": 3, "5": 5, "12": 5} {
		cfg, err := load(t, "nz", map[string]string{KeyCockroachNodes: nodes})
		require.NoError(t, err)
		assert.Equal(t, rf, cfg.Cockroach.ReplicationFactor, "%s nodes", nodes)
	}
}

func TestLoadOverrides(t *testing.T) {
	cfg, err := load(t, "dev", map[string]string{
		KeyVPCCIDR:     "10.90.0.0/20",
		KeyNATGateways: "single",
		KeyAZs:         `["ap-southeast-2c","ap-southeast-2a","ap-southeast-2b"]`,
	})
	require.NoError(t, err)
	assert.Equal(t, netip.MustParsePrefix("10.90.0.0/20"), cfg.Network.CIDR)
	assert.Equal(t, network.NATSingle, cfg.Network.NAT)
	assert.Equal(t, []string{"ap-southeast-2c", "ap-southeast-2a", "ap-southeast-2b"}, cfg.Network.AZs)
	assert.Equal(t, "nz-dev", cfg.Prefix(), "a non-country stack name is part of the prefix")
}

func TestLoadAllowedRegions(t *testing.T) {
	// Auckland is allowed for New Zealand without an override.
	cfg, err := load(t, "nz", map[string]string{KeyRegion: "ap-southeast-6"})
	require.NoError(t, err)
	assert.Equal(t, []string{"ap-southeast-6a", "ap-southeast-6b", "ap-southeast-6c"}, cfg.Network.AZs)

	// Any region with the explicit override, zones from the config.
	cfg, err = load(t, "nz", map[string]string{
		KeyRegion: "eu-central-1", KeyAllowAnyRegion: "true",
		KeyAZs: `["eu-central-1a","eu-central-1b","eu-central-1c"]`,
	})
	require.NoError(t, err)
	assert.Equal(t, "eu-central-1", cfg.Region)
}

// sizeKey names the two keys of a task size, which are checked together.
const sizeKey = KeyCockroachCPU + " / " + KeyCockroachMemoryMiB

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		unset   []string
		key     string // the key the problem names
		value   string // the bad value it quotes ("" when unset)
		want    string // a part of what it says is accepted
	}{
		{"unknown country", map[string]string{KeyCountry: "zz"}, nil, KeyCountry, "zz", strings.Join(CountryCodes(), ", ")},
		{"uppercase country", map[string]string{KeyCountry: "NZ"}, nil, KeyCountry, "NZ", "lowercase"},
		{"missing country", nil, []string{KeyCountry}, KeyCountry, "", "not set"},
		{"region of another country", map[string]string{KeyRegion: "us-east-1"}, nil, KeyRegion, "us-east-1", "ap-southeast-2, ap-southeast-6"},
		{"region override hint", map[string]string{KeyRegion: "eu-west-1"}, nil, KeyRegion, "eu-west-1", KeyAllowAnyRegion},
		{"malformed region", map[string]string{KeyRegion: "sydney"}, nil, KeyRegion, "sydney", "not an AWS region"},
		{"missing region", nil, []string{KeyRegion}, KeyRegion, "", "ap-southeast-2"},
		{"domain with scheme", map[string]string{KeyDomain: "https://learn.example.nz"}, nil, KeyDomain, "https://learn.example.nz", "without scheme"},
		{"single-label domain", map[string]string{KeyDomain: "localhost"}, nil, KeyDomain, "localhost", "two labels"},
		{"domain label hyphen", map[string]string{KeyDomain: "-learn.example.nz"}, nil, KeyDomain, "-learn.example.nz", "inner hyphens"},
		{"uppercase domain", map[string]string{KeyDomain: "Learn.Example.nz"}, nil, KeyDomain, "Learn.Example.nz", "lowercase"},
		{"missing domain", nil, []string{KeyDomain}, KeyDomain, "", "not set"},
		{"cidr syntax", map[string]string{KeyVPCCIDR: "10.20.0.0"}, nil, KeyVPCCIDR, "10.20.0.0", "not an IPv4 CIDR"},
		{"cidr host bits", map[string]string{KeyVPCCIDR: "10.20.1.0/16"}, nil, KeyVPCCIDR, "10.20.1.0/16", "did you mean 10.20.0.0/16"},
		{"cidr too large", map[string]string{KeyVPCCIDR: "10.0.0.0/8"}, nil, KeyVPCCIDR, "10.0.0.0/8", "/16 to /24"},
		{"cidr too small", map[string]string{KeyVPCCIDR: "10.20.0.0/26"}, nil, KeyVPCCIDR, "10.20.0.0/26", "/16 to /24"},
		{"cidr public", map[string]string{KeyVPCCIDR: "8.8.0.0/16"}, nil, KeyVPCCIDR, "8.8.0.0/16", "private range"},
		{"cidr ipv6", map[string]string{KeyVPCCIDR: "fd00::/56"}, nil, KeyVPCCIDR, "fd00::/56", "IPv4"},
		{"unknown NAT mode", map[string]string{KeyNATGateways: "none"}, nil, KeyNATGateways, "none", `"single"`},
		{"NAT mode case", map[string]string{KeyNATGateways: "perAZ"}, nil, KeyNATGateways, "perAZ", `"perAz"`},
		{"two zones", map[string]string{KeyAZs: `["ap-southeast-2a","ap-southeast-2b"]`}, nil, KeyAZs, `["ap-southeast-2a","ap-southeast-2b"]`, "exactly 3"},
		{"zone of another region", map[string]string{KeyAZs: `["ap-southeast-2a","ap-southeast-2b","us-east-1a"]`}, nil, KeyAZs, `us-east-1a`, "not a zone of ap-southeast-2"},
		{"zone twice", map[string]string{KeyAZs: `["ap-southeast-2a","ap-southeast-2a","ap-southeast-2b"]`}, nil, KeyAZs, `ap-southeast-2a`, "twice"},
		{"zones not a list", map[string]string{KeyAZs: `ap-southeast-2a`}, nil, KeyAZs, `ap-southeast-2a`, "not a list"},
		{"unknown region needs zones", map[string]string{KeyRegion: "eu-north-1", KeyAllowAnyRegion: "true"}, nil, KeyAZs, "[]", "no zones for eu-north-1"},
		{"retention CloudWatch refuses", map[string]string{KeyLogRetentionDays: "10"}, nil, KeyLogRetentionDays, "10", "1, 3, 5, 7, 14"},
		{"retention not a number", map[string]string{KeyLogRetentionDays: "ninety"}, nil, KeyLogRetentionDays, "ninety", "3653"},
		{"override not a boolean", map[string]string{KeyAllowAnyRegion: "yes"}, nil, KeyAllowAnyRegion, "yes", "true or false"},
		{"default missing", nil, []string{KeyNATGateways}, KeyNATGateways, "", "Pulumi.yaml declares its default"},
		{"too few nodes", map[string]string{KeyCockroachNodes: "2"}, nil, KeyCockroachNodes, "2", "at least 3"},
		{"a list for a string", map[string]string{KeyDomain: `["a.example.nz","b.example.nz"]`}, nil, KeyDomain, `["a.example.nz","b.example.nz"]`, "is a list, but the key takes one string; use a lowercase domain"},
		{"a map for an integer", map[string]string{KeyCockroachNodes: `{"n":3}`}, nil, KeyCockroachNodes, `{"n":3}`, "is a map, but the key takes one integer; use 3 to 99"},
		{"CPU Fargate lacks", map[string]string{KeyCockroachCPU: "3000"}, nil, KeyCockroachCPU, "3000", "is not a CPU size; use 4096 (4 vCPU, CockroachDB's minimum), 8192 or 16384"},
		{"memory Fargate lacks", map[string]string{KeyCockroachMemoryMiB: "32768"}, nil, sizeKey, "4096 / 32768", "8192 to 30720 in steps of 1024"},
		{"CPU under CockroachDB's minimum", map[string]string{KeyCockroachCPU: "2048", KeyCockroachMemoryMiB: "8192"}, nil, KeyCockroachCPU, "2048", "use 4096 (4 vCPU, CockroachDB's minimum), 8192 or 16384"},
		{"CPU between sizes", map[string]string{KeyCockroachCPU: "5000"}, nil, KeyCockroachCPU, "5000", "is not a CPU size a node runs on; use 4096"},
		{"storage Fargate lacks", map[string]string{KeyCockroachStorageGiB: "500"}, nil, KeyCockroachStorageGiB, "500", "21 to 200"},
		{"even replication factor", map[string]string{KeyCockroachReplication: "4"}, nil, KeyCockroachReplication, "4", "odd number from 3 to 12"},
		{"no licence, not acknowledged", map[string]string{KeyCockroachUnlicensed: "false"}, nil, KeyCockroachLicenseSecretArn, "", "set edstack:cockroachUnlicensed: true"},
		{"unlicensed not a boolean", map[string]string{KeyCockroachUnlicensed: "maybe"}, nil, KeyCockroachUnlicensed, "maybe", "true or false"},
		{"decommissioned not a list", map[string]string{KeyCockroachDecommissioned: "9,10"}, nil, KeyCockroachDecommissioned, "9,10", "list of node numbers"},
		{"decommissioned twice", map[string]string{KeyCockroachDecommissioned: "[12, 12]"}, nil, KeyCockroachDecommissioned, "[12, 12]", "listed twice"},
		{"decommissioned node kept", map[string]string{KeyCockroachDecommissioned: "[11, 12]"}, nil, KeyCockroachDecommissioned, "[11, 12]", "node 11 is listed as decommissioned but the cluster keeps 12 nodes"},
		{"domain over ACM's first-name limit", map[string]string{KeyDomain: "learning-platform-for-all-students.schools.education.example.govt.nz"}, nil, KeyDomain, "learning-platform", "at most 64 in a certificate's first name"},
		{"tries outlive the queue", map[string]string{KeyJobMaxReceiveCount: "300"}, nil, KeyJobMaxReceiveCount, "300", "at most 207 tries"},
		{"zone the region lacks", map[string]string{KeyAZs: `["ap-southeast-2a","ap-southeast-2b","ap-southeast-2z"]`}, nil, KeyAZs, "ap-southeast-2z", "ap-southeast-2 does not have; its zones are ap-southeast-2a, ap-southeast-2b, ap-southeast-2c"},
		{"ca-central-1 has no c", map[string]string{KeyCountry: "ca", KeyRegion: "ca-central-1", KeyDomain: "learn.example.ca", KeyAZs: `["ca-central-1a","ca-central-1b","ca-central-1c"]`}, nil, KeyAZs, "ca-central-1c", "its zones are ca-central-1a, ca-central-1b, ca-central-1d"},
		{"aurora class RDS-only", withAurora(map[string]string{KeyAuroraWriterClass: "db.t3.micro"}), nil, KeyAuroraWriterClass, "db.t3.micro", `Aurora PostgreSQL does not offer db.t3 in size "micro"`},
		{"aurora serverless misnamed", withAurora(map[string]string{KeyAuroraWriterClass: "db.serverless.v2"}), nil, KeyAuroraWriterClass, "db.serverless.v2", `use "db.serverless" (Serverless v2)`},
		{"memory not a number", map[string]string{KeyCockroachMemoryMiB: "lots"}, nil, KeyCockroachMemoryMiB, "lots", "8192 to 30720 in steps of 1024 with 4096 CPU units"},
		{"replication not a number", map[string]string{KeyCockroachReplication: "x"}, nil, KeyCockroachReplication, "x", "odd number from 3 to 12 (the node count)"},
		{"on-demand negative", map[string]string{KeyCockroachOnDemandNodes: "-1"}, nil, KeyCockroachOnDemandNodes, "-1", "use 0 to 12 (the node count)"},
		{"cockroach too old", map[string]string{KeyCockroachVersion: "v23.1.0"}, nil, KeyCockroachVersion, "v23.1.0", "older than edstack supports"},
		{"aurora major too new", withAurora(map[string]string{KeyAuroraEngineVersion: "18.1"}), nil, KeyAuroraEngineVersion, "18.1", "newer than edstack's parameter groups"},
		{"backups kept too briefly", map[string]string{KeyCockroachBackupRetention: "3"}, nil, KeyCockroachBackupRetention, "3", "7"},
		{"digest not a digest", map[string]string{KeyCockroachImageDigest: "latest"}, nil, KeyCockroachImageDigest, "latest", "sha256: followed by 64"},
		{"repository with a tag", map[string]string{KeyCockroachImageRepository: "Cockroach:latest"}, nil, KeyCockroachImageRepository, "Cockroach:latest", "without tag"},
		{"cache secret without the ECR prefix", map[string]string{KeyCockroachRegistrySecret: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:dockerhub"}, nil, KeyCockroachRegistrySecret, "secret:dockerhub", "ecr-pullthroughcache/"},
		{"credentials for ECR", map[string]string{KeyCockroachImageRepository: "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/cockroachdb/cockroach", KeyCockroachRegistrySecret: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:x"}, nil, KeyCockroachRegistrySecret, "secret:x", "ECR authenticates with the task execution role"},
		{"replication over node count", map[string]string{KeyCockroachNodes: "3", KeyCockroachReplication: "5"}, nil, KeyCockroachReplication, "5", "odd number from 3 to 3"},
		{"on-demand over node count", map[string]string{KeyCockroachOnDemandNodes: "13"}, nil, KeyCockroachOnDemandNodes, "13", "0 to 12"},
		{"floating version", map[string]string{KeyCockroachVersion: "latest"}, nil, KeyCockroachVersion, "latest", "not a pinned CockroachDB release tag (vMAJOR.MINOR.PATCH)"},
		{"licence not an ARN", map[string]string{KeyCockroachLicenseSecretArn: "my-licence"}, nil, KeyCockroachLicenseSecretArn, "my-licence", "secret ARN"},
		{"sync timeout over API Gateway's limit", map[string]string{KeyAPITimeout: "60"}, nil, KeyAPITimeout, "60", "at most 30 s"},
		{"worker timeout over Lambda's limit", map[string]string{KeyWorkerTimeout: "1800"}, nil, KeyWorkerTimeout, "1800", "at most 900 s"},
		{"lambda memory", map[string]string{KeyAPIMemory: "64"}, nil, KeyAPIMemory, "64", "128 to 10240"},
		{"concurrency below SQS's minimum", map[string]string{KeyWorkerMaxConcurrency: "1"}, nil, KeyWorkerMaxConcurrency, "1", "2 to 1000"},
		{"batch too large", map[string]string{KeyWorkerBatchSize: "100"}, nil, KeyWorkerBatchSize, "100", "1 to 10"},
		{"unknown price class", map[string]string{KeyPriceClass: "PriceClass_300"}, nil, KeyPriceClass, "PriceClass_300", "auto, PriceClass_100, PriceClass_200, PriceClass_All"},
		{"price class without the country", map[string]string{KeyPriceClass: "PriceClass_100"}, nil, KeyPriceClass, "PriceClass_100", "no edge locations in New Zealand"},
		{"zone id", map[string]string{KeyHostedZoneID: "example.nz"}, nil, KeyHostedZoneID, "example.nz", "not a Route53 hosted zone id"},
		{"missing bundle", map[string]string{KeyAPIBundle: "build/missing.zip"}, nil, KeyAPIBundle, "build/missing.zip", "not found"},
		{"unknown database", map[string]string{KeyDatabase: "postgres"}, nil, KeyDatabase, "postgres", "cockroach, aurora, mirror"},
		{"aurora without the cluster", map[string]string{KeyDatabase: "aurora"}, nil, KeyDatabase, "aurora", "set edstack:auroraEnabled: true"},
		{"mirror without the cluster", map[string]string{KeyDatabase: "mirror"}, nil, KeyDatabase, "mirror", "set edstack:auroraEnabled: true"},
		{"no cockroach for cockroach", map[string]string{KeyCockroachNodes: "0"}, nil, KeyCockroachNodes, "0", "only edstack:database: aurora allows"},
		{"no cockroach while mirroring", withAurora(map[string]string{KeyDatabase: "mirror", KeyCockroachNodes: "0"}), nil, KeyCockroachNodes, "0", "only edstack:database: aurora allows"},
		{"aurora major 15", withAurora(map[string]string{KeyAuroraEngineVersion: "15.4"}), nil, KeyAuroraEngineVersion, "15.4", "use major 16 or 17"},
		{"aurora readers reversed", withAurora(map[string]string{KeyAuroraMinReaders: "5"}), nil, KeyAuroraMinReaders, "5", "must not exceed the maximum"},
		{"aurora too many readers", withAurora(map[string]string{KeyAuroraMaxReaders: "16"}), nil, KeyAuroraMaxReaders, "16", "1 to 15"},
		{"aurora peak outside range", withAurora(map[string]string{KeyAuroraPeakMinReaders: "6"}), nil, KeyAuroraPeakMinReaders, "6", "from edstack:auroraMinReaders (1) to edstack:auroraMaxReaders (4)"},
		{"aurora ACU off step", withAurora(map[string]string{KeyAuroraMinACU: "0.3"}), nil, KeyAuroraMinACU, "0.3", "steps of 0.5"},
		{"aurora ACU too large", withAurora(map[string]string{KeyAuroraMaxACU: "300"}), nil, KeyAuroraMaxACU, "300", "1 to 256"},
		{"aurora ACU not a number", withAurora(map[string]string{KeyAuroraMaxACU: "lots"}), nil, KeyAuroraMaxACU, "lots", "not a number"},
		{"aurora target CPU", withAurora(map[string]string{KeyAuroraTargetCPU: "95"}), nil, KeyAuroraTargetCPU, "95", "10 to 90"},
		{"aurora retention", withAurora(map[string]string{KeyAuroraBackupRetention: "36"}), nil, KeyAuroraBackupRetention, "36", "1 to 35"},
		{"aurora writer class", withAurora(map[string]string{KeyAuroraWriterClass: "r7g.large"}), nil, KeyAuroraWriterClass, "r7g.large", "db.r7g.large"},
		{"school day reversed", withAurora(map[string]string{KeySchoolDayStart: "18:00", KeySchoolDayEnd: "07:00"}), nil, KeySchoolDayStart, "18:00", "is not before edstack:schoolDayEnd"},
		{"school day time", withAurora(map[string]string{KeySchoolDayStart: "7am"}), nil, KeySchoolDayStart, "7am", "HH:MM"},
		{"usage not pairs", map[string]string{KeyCostUsage: "lots"}, nil, KeyCostUsage, "lots", `"lots" is not key=number`},
		{"usage unknown", map[string]string{KeyCostUsage: "apiCalls=5,cdnGB=-1"}, nil, KeyCostUsage, "apiCalls", `"apiCalls" is not a usage quantity (use apiRequests`},
		{"usage negative", map[string]string{KeyCostUsage: "apiCalls=5,cdnGB=-1"}, nil, KeyCostUsage, "cdnGB", `cdnGB: "-1" is not a non-negative number`},
		{"spot discount", map[string]string{KeySpotDiscount: "95"}, nil, KeySpotDiscount, "95", "1 to 90"},
		{"key an alias", map[string]string{KeyKMSKeyArn: "alias/edstack/nz"}, nil, KeyKMSKeyArn, "alias/edstack/nz", "not a KMS key ARN"},
		{"key in another region", map[string]string{KeyKMSKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, nil, KeyKMSKeyArn, "us-east-1", "the stack's is ap-southeast-2"},
		{"licence in another region", map[string]string{KeyCockroachLicenseSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-licence"}, nil, KeyCockroachLicenseSecretArn, "us-east-1", "stack's region, ap-southeast-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, "nz", tt.changes, tt.unset...)
			var ce *ConfigError
			require.True(t, errors.As(err, &ce), "want a *ConfigError, got %v", err)
			require.Len(t, ce.Problems, 1, "%v", err)
			p := ce.Problems[0]
			assert.Equal(t, tt.key, p.Key)
			msg := err.Error()
			assert.Contains(t, msg, tt.key)
			assert.Contains(t, msg, tt.value)
			assert.Contains(t, msg, tt.want)
		})
	}
}

// Every problem is reported at once, so that one run shows all there is to fix.
func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := load(t, "nz", map[string]string{
		KeyCountry:          "zz",
		KeyDomain:           "not a domain",
		KeyVPCCIDR:          "300.0.0.0/16",
		KeyNATGateways:      "many",
		KeyLogRetentionDays: "2",
	})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	var keys []string
	for _, p := range ce.Problems {
		keys = append(keys, p.Key)
	}
	assert.ElementsMatch(t, []string{KeyCountry, KeyDomain, KeyVPCCIDR, KeyNATGateways, KeyLogRetentionDays}, keys)
	assert.Contains(t, err.Error(), "stack nz: 5 configuration problems")
}

// A mistake in one group (the place, the Aurora keys' types, a bundle)
// never hides a mistake in another: the component's own rules still run
// over the keys that were readable.
func TestOneGroupDoesNotHideAnother(t *testing.T) {
	tests := []struct {
		name, stack string
		changes     map[string]string
		want        []string // the keys reported, in any order
	}{
		{"wrong country, Aurora readers inverted", "nz",
			withAurora(map[string]string{KeyCountry: "zz", KeyAuroraMinReaders: "5", KeyAuroraMaxReaders: "2"}),
			[]string{KeyCountry, KeyAuroraMinReaders}},
		{"region outside the country, Aurora version too old, bad bundle", "nz",
			withAurora(map[string]string{KeyRegion: "eu-west-2", KeyAuroraEngineVersion: "13.9", KeyAPIBundle: "../elsewhere"}),
			[]string{KeyRegion, KeyAuroraEngineVersion, KeyAPIBundle}},
		{"an Aurora type error, an Aurora rule and a bad log retention", "nz",
			withAurora(map[string]string{KeyAuroraTargetCPU: "high", KeyAuroraMinACU: "8", KeyAuroraMaxACU: "4", KeyLogRetentionDays: "2"}),
			[]string{KeyAuroraTargetCPU, KeyAuroraMinACU, KeyLogRetentionDays}},
		{"one of a pair unreadable: no problem about the default standing in", "nz",
			withAurora(map[string]string{KeyAuroraMaxReaders: "abc", KeyAuroraMinReaders: "5", KeyAuroraMaxACU: "x", KeyAuroraMinACU: "32"}),
			[]string{KeyAuroraMaxReaders, KeyAuroraMaxACU}},
		{"a bad stack name and an Aurora schedule backwards", "Load_Test",
			withAurora(map[string]string{KeySchoolDayStart: "16:00", KeySchoolDayEnd: "08:00"}),
			[]string{KeyStackName, KeySchoolDayStart}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.stack, tt.changes)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			assert.ElementsMatch(t, tt.want, keys, "%v", err)
		})
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"edstack:domain", "edstack:natGateways", "edstack:vpcCidr"}
	assert.Equal(t, "edstack:natGateways", closest("edstack:natgateways", keys))
	assert.Equal(t, "edstack:vpcCidr", closest("edstack:vpcCIDR", keys))
	assert.Equal(t, "", closest("edstack:somethingElse", keys))
	assert.Equal(t, 3, distance("kitten", "sitting"))
}

// The keys themselves are checked with the values, all problems at once:
// a key edstack does not read, a namespace typo, and an encrypted value of
// a key that is not a secret.
func TestLoadChecksKeys(t *testing.T) {
	values := valid()
	values["edstack:cockroachNode"] = "3"
	values["edstak:apiMemoryMB"] = "512"
	values["aws:profile"] = "prod" // another package's key: not edstack's to judge
	values[KeyVPCCIDR] = "[secret]"
	values[KeyLogRetentionDays] = "10"
	_, err := Load("nz", Source{Values: values, Secret: []string{KeyVPCCIDR}, Declared: declared(t)})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	got := map[string]string{}
	for _, p := range ce.Problems {
		got[p.Key] += p.String()
	}
	assert.Contains(t, got["edstack:cockroachNode"], "is not a key edstack reads; did you mean edstack:cockroachNodes?")
	assert.Contains(t, got["edstak:apiMemoryMB"], `is in namespace "edstak", not edstack; did you mean edstack:apiMemoryMB?`)
	assert.Contains(t, got[KeyVPCCIDR], "is stored encrypted (secure:), but it is not a secret")
	assert.NotContains(t, got[KeyVPCCIDR], "/16 to /24", "a key found wrong is not judged again by its value")
	assert.Contains(t, got[KeyLogRetentionDays], "1, 3, 5, 7, 14", "value problems come in the same report")
	assert.NotContains(t, got, "aws:profile")
	assert.Len(t, ce.Problems, 4)

	// A secret value is never printed, not even in a problem about its key.
	values = valid()
	values["edstack:licenceKey"] = "xK9-very-secret"
	_, err = Load("nz", Source{Values: values, Secret: []string{"edstack:licenceKey"}, Declared: declared(t)})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "xK9-very-secret")
	assert.Contains(t, err.Error(), `edstack:licenceKey: "[secret]" is not a key edstack reads`)

	// Without the list of every key (an older CLI), declared keys still load.
	partial := Source{Values: valid(), Declared: declared(t), Partial: true}
	partial.Values["edstack:cockroachNode"] = "3"
	_, err = Load("nz", partial)
	assert.NoError(t, err)
}

// The stack's name prefixes every resource name: it must fit the tightest
// name rule it feeds (the load balancer's 32 characters, autonamed) and the
// characters AWS names take.
func TestStackNames(t *testing.T) {
	for stack, want := range map[string]string{
		"dev":            "",
		"loadtest":       "",
		"load-test-12":   "",
		"loadtest-green": `makes the resource name prefix "nz-loadtest-green", which gives the load balancer`,
		"Load_Test":      "use lowercase letters, digits and single hyphens",
		"load test":      "use lowercase letters, digits and single hyphens",
		"a--b":           "single hyphens",
	} {
		_, err := load(t, stack, nil)
		if want == "" {
			assert.NoError(t, err, stack)
			continue
		}
		var ce *ConfigError
		require.ErrorAs(t, err, &ce, stack)
		require.Len(t, ce.Problems, 1, stack)
		assert.Equal(t, KeyStackName, ce.Problems[0].Key)
		assert.Equal(t, stack, ce.Problems[0].Value)
		assert.Contains(t, ce.Problems[0].String(), want, stack)
	}
	assert.Equal(t, 15, cockroach.MaxPrefix(), "32 - 8 (autoname) - len(-crdb-nlb)")
}

// auroraPeakMinReaders 0 is honoured, and the plan's text says so.
func TestAuroraPeakZero(t *testing.T) {
	cfg, res := plan(t, withAurora(map[string]string{KeyAuroraMinReaders: "0", KeyAuroraPeakMinReaders: "0"}))
	assert.Equal(t, 0, cfg.Aurora.Peak())
	found := false
	for _, sec := range cfg.Summary(res) {
		for _, it := range sec.Items {
			if it.Key == "scheduled actions" {
				found = true
				assert.Contains(t, it.Value, "at least 0 readers")
				assert.NotContains(t, it.Value, "at least 2 readers")
			}
		}
	}
	assert.True(t, found, "the plan states the scheduled actions")

	// Left at its default (-1), the peak follows the reader range.
	cfg, err := load(t, "nz", withAurora(map[string]string{KeyAuroraMinReaders: "3"}))
	require.NoError(t, err, "raising only the minimum is accepted")
	assert.Equal(t, 3, cfg.Aurora.Peak())
	cfg, err = load(t, "nz", withAurora(map[string]string{KeyAuroraMinReaders: "0", KeyAuroraMaxReaders: "1"}))
	require.NoError(t, err)
	assert.Equal(t, 1, cfg.Aurora.Peak(), "capped at the maximum")
}
