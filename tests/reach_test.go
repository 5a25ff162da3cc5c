package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/stacks"
)

// planned is a JSON plan by resource type, with lookups by name.
type planned map[string][]map[string]any

func (p planned) named(t *testing.T, typ, name string) map[string]any {
	t.Helper()
	for _, r := range p[typ] {
		if r["name"] == name {
			return r
		}
	}
	t.Fatalf("no %s named %s", typ, name)
	return nil
}

// input follows a path of keys into a resource's inputs.
func input(r map[string]any, path ...string) any {
	var v any = r["inputs"]
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

const (
	fnType       = "aws:lambda/function:Function"
	queueType    = "aws:sqs/queue:Queue"
	tdType       = "aws:ecs/taskDefinition:TaskDefinition"
	auroraPrefix = "edstack:auroraEnabled=true"
	// londonLicence moves the nz stack's licence secret with it to eu-west-2.
	londonLicence = "edstack:cockroachLicenseSecretArn=arn:aws:secretsmanager:eu-west-2:123456789012:secret:edstack/licence-AbCdEf"
)

// Every key, set to a valid value other than its default, reaches the
// resources it configures: a setting hard-coded by mistake fails here.
// (Keys with tests of their own: the image, backup retention, licence and
// decommissioned-node keys in TestCockroachSettingsReachTheResources and
// TestScaleDownIsCheckedAgainstTheDeployment; the bundles in the plan's
// tests; edstack:database in TestDatabaseSwitch; edstack:hostedZoneId in
// TestExistingHostedZone; edstack:kmsKeyArn in
// TestTheCountryKeyEncryptsTheData; the cost keys, which change no
// resource, in TestSpotAndOnDemandDifferByTheDiscount and
// TestUsageOverrideChangesOnlyUsageLines.)
func TestEveryKeyReachesTheResources(t *testing.T) {
	keysTestedElsewhere := []string{
		stacks.KeyCockroachImageRepository, stacks.KeyCockroachImageDigest, stacks.KeyCockroachRegistrySecret,
		stacks.KeyCockroachBackupRetention, stacks.KeyCockroachLicenseSecretArn, stacks.KeyCockroachUnlicensed,
		stacks.KeyCockroachDecommissioned, stacks.KeyAPIBundle, stacks.KeyWorkerBundle, stacks.KeyDatabase,
		stacks.KeyHostedZoneID, stacks.KeyAuroraEnabled, stacks.KeyKMSKeyArn,
		stacks.KeyCostUsage, stacks.KeySpotDiscount,
		// alarms_test.go: TestMinimalMonitoring, TestWhoIsTold.
		stacks.KeyMonitoring, stacks.KeyAlarmEmails, stacks.KeyAlarmPagerSecretArn,
	}
	tests := []struct {
		config []string
		check  func(t *testing.T, p planned)
	}{
		{[]string{"edstack:apiTimeoutSeconds=12"}, func(t *testing.T, p planned) {
			assert.Equal(t, 12.0, input(p.named(t, fnType, "nz-api"), "timeout"))
			assert.Equal(t, 12000.0, input(p[("aws:apigatewayv2/integration:Integration")][0], "timeoutMilliseconds"))
		}},
		{[]string{"edstack:apiMemoryMB=2048"}, func(t *testing.T, p planned) {
			assert.Equal(t, 2048.0, input(p.named(t, fnType, "nz-api"), "memorySize"))
		}},
		{[]string{"edstack:apiThrottleRate=200", "edstack:apiThrottleBurst=100"}, func(t *testing.T, p planned) {
			stage := p["aws:apigatewayv2/stage:Stage"][0]
			assert.Equal(t, 200.0, input(stage, "defaultRouteSettings", "throttlingRateLimit"))
			assert.Equal(t, 100.0, input(stage, "defaultRouteSettings", "throttlingBurstLimit"))
		}},
		{[]string{"edstack:wafRateLimit=1234"}, func(t *testing.T, p planned) {
			acl := p["aws:wafv2/webAcl:WebAcl"][0]
			limit := 0.0
			for _, r := range input(acl, "rules").([]any) {
				if rb, ok := r.(map[string]any)["statement"].(map[string]any)["rateBasedStatement"].(map[string]any); ok {
					limit = rb["limit"].(float64)
				}
			}
			assert.Equal(t, 1234.0, limit)
		}},
		{[]string{"edstack:accessLogRetentionDays=30"}, func(t *testing.T, p planned) {
			lc := p.named(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "nz-edge-access-logs-lifecycle")
			assert.Contains(t, fmt.Sprint(input(lc, "rules")), "days:30")
		}},
		{[]string{"edstack:dnssec=false"}, func(t *testing.T, p planned) {
			assert.Empty(t, p["aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"])
			assert.Empty(t, p["aws:route53/keySigningKey:KeySigningKey"])
		}},
		{[]string{"edstack:apiReservedConcurrency=40"}, func(t *testing.T, p planned) {
			assert.Equal(t, 40.0, input(p.named(t, fnType, "nz-api"), "reservedConcurrentExecutions"))
		}},
		{[]string{"edstack:workerTimeoutSeconds=600"}, func(t *testing.T, p planned) {
			assert.Equal(t, 600.0, input(p.named(t, fnType, "nz-worker"), "timeout"))
			assert.Equal(t, 3600.0, input(p.named(t, queueType, "nz-jobs"), "visibilityTimeoutSeconds"))
		}},
		{[]string{"edstack:workerMemoryMB=3008"}, func(t *testing.T, p planned) {
			assert.Equal(t, 3008.0, input(p.named(t, fnType, "nz-worker"), "memorySize"))
		}},
		{[]string{"edstack:workerBatchSize=3", "edstack:workerMaxConcurrency=7"}, func(t *testing.T, p planned) {
			esm := p["aws:lambda/eventSourceMapping:EventSourceMapping"][0]
			assert.Equal(t, 3.0, input(esm, "batchSize"))
			assert.Equal(t, 7.0, input(esm, "scalingConfig", "maximumConcurrency"))
		}},
		{[]string{"edstack:jobMaxReceiveCount=9"}, func(t *testing.T, p planned) {
			var redrive map[string]any
			require.NoError(t, json.Unmarshal([]byte(input(p.named(t, queueType, "nz-jobs"), "redrivePolicy").(string)), &redrive))
			assert.Equal(t, 9.0, redrive["maxReceiveCount"])
		}},
		{[]string{"edstack:logRetentionDays=30"}, func(t *testing.T, p planned) {
			groups := p["aws:cloudwatch/logGroup:LogGroup"]
			require.NotEmpty(t, groups)
			for _, g := range groups {
				assert.Equal(t, 30.0, input(g, "retentionInDays"), g["name"])
			}
		}},
		{[]string{"edstack:natGateways=single"}, func(t *testing.T, p planned) {
			assert.Len(t, p["aws:ec2/natGateway:NatGateway"], 1)
		}},
		{[]string{"edstack:vpcCidr=10.99.0.0/16"}, func(t *testing.T, p planned) {
			assert.Equal(t, "10.99.0.0/16", input(p.named(t, "aws:ec2/vpc:Vpc", "nz-vpc"), "cidrBlock"))
		}},
		{[]string{`edstack:availabilityZones=["ap-southeast-2c","ap-southeast-2a","ap-southeast-2b"]`}, func(t *testing.T, p planned) {
			// Subnets are named by zone; the first zone listed takes node 0.
			assert.Equal(t, "ap-southeast-2c", input(p.named(t, "aws:ec2/subnet:Subnet", "nz-private-c"), "availabilityZone"))
			node0 := p.named(t, "aws:ecs/service:Service", "nz-crdb-node-0")
			assert.Equal(t, []any{"nz-private-c-id"}, input(node0, "networkConfiguration", "subnets"))
		}},
		{[]string{"edstack:protectData=false"}, func(t *testing.T, p planned) {
			for _, rs := range p {
				for _, r := range rs {
					assert.Equal(t, false, r["protect"], r["name"])
				}
			}
		}},
		{[]string{"edstack:cockroachNodes=6"}, func(t *testing.T, p planned) {
			assert.Len(t, p["aws:ecs/service:Service"], 6)
		}},
		{[]string{"edstack:cockroachCpu=8192", "edstack:cockroachMemoryMiB=32768", "edstack:cockroachStorageGiB=100"}, func(t *testing.T, p planned) {
			td := p.named(t, tdType, "nz-crdb-node-0-task")
			assert.Equal(t, "8192", input(td, "cpu"))
			assert.Equal(t, "32768", input(td, "memory"))
			assert.Equal(t, 100.0, input(td, "ephemeralStorage", "sizeInGib"))
		}},
		{[]string{"edstack:cockroachVersion=v26.1.3"}, func(t *testing.T, p planned) {
			assert.Equal(t, "cockroachdb/cockroach:v26.1.3", containerOf(t, p.named(t, tdType, "nz-crdb-node-0-task"))["image"])
		}},
		{[]string{"edstack:cockroachReplicationFactor=3"}, func(t *testing.T, p planned) {
			assert.Contains(t, envOf(t, p.named(t, tdType, "nz-crdb-node-0-task"))["COCKROACH_SETTINGS_SQL"], "num_replicas = 3")
		}},
		{[]string{"edstack:cockroachOnDemandNodes=2"}, func(t *testing.T, p planned) {
			onDemand := 0
			for _, s := range p["aws:ecs/service:Service"] {
				strategy := input(s, "capacityProviderStrategies").([]any)[0].(map[string]any)
				if strategy["capacityProvider"] == "FARGATE" {
					onDemand++
				}
			}
			assert.Equal(t, 2, onDemand)
		}},
		{[]string{auroraPrefix, "edstack:auroraEngineVersion=17.4"}, func(t *testing.T, p planned) {
			assert.Equal(t, "17.4", input(p.named(t, "aws:rds/cluster:Cluster", "nz-aurora-cluster"), "engineVersion"))
		}},
		{[]string{auroraPrefix, "edstack:auroraWriterClass=db.r7g.large"}, func(t *testing.T, p planned) {
			assert.Equal(t, "db.r7g.large", input(p.named(t, "aws:rds/clusterInstance:ClusterInstance", "nz-aurora-writer"), "instanceClass"))
		}},
		{[]string{auroraPrefix, "edstack:auroraMinAcu=1", "edstack:auroraMaxAcu=32"}, func(t *testing.T, p planned) {
			cfg := input(p.named(t, "aws:rds/cluster:Cluster", "nz-aurora-cluster"), "serverlessv2ScalingConfiguration")
			assert.Equal(t, map[string]any{"minCapacity": 1.0, "maxCapacity": 32.0}, cfg)
		}},
		{[]string{auroraPrefix, "edstack:auroraMinReaders=2", "edstack:auroraMaxReaders=6", "edstack:auroraPeakMinReaders=5"}, func(t *testing.T, p planned) {
			target := p.named(t, "aws:appautoscaling/target:Target", "nz-aurora-readers")
			assert.Equal(t, 2.0, input(target, "minCapacity"))
			assert.Equal(t, 6.0, input(target, "maxCapacity"))
			start := p.named(t, "aws:appautoscaling/scheduledAction:ScheduledAction", "nz-aurora-school-day-start")
			assert.Equal(t, 5.0, input(start, "scalableTargetAction", "minCapacity"))
		}},
		{[]string{auroraPrefix, "edstack:auroraTargetCpu=55"}, func(t *testing.T, p planned) {
			policy := p.named(t, "aws:appautoscaling/policy:Policy", "nz-aurora-reader-cpu")
			assert.Equal(t, 55.0, input(policy, "targetTrackingScalingPolicyConfiguration", "targetValue"))
		}},
		{[]string{auroraPrefix, "edstack:auroraBackupRetentionDays=21"}, func(t *testing.T, p planned) {
			assert.Equal(t, 21.0, input(p.named(t, "aws:rds/cluster:Cluster", "nz-aurora-cluster"), "backupRetentionPeriod"))
		}},
		{[]string{"edstack:cloudFrontPriceClass=PriceClass_200", "edstack:country=gb", "aws:region=eu-west-2", londonLicence}, func(t *testing.T, p planned) {
			assert.Equal(t, "PriceClass_200", input(p["aws:cloudfront/distribution:Distribution"][0], "priceClass"))
		}},
		{[]string{"edstack:allowAnyRegion=true", "aws:region=eu-west-2", londonLicence}, func(t *testing.T, p planned) {
			// nz deploys to London only because the exception is allowed.
			assert.Equal(t, "eu-west-2a", input(p.named(t, "aws:ec2/subnet:Subnet", "nz-private-a"), "availabilityZone"))
		}},
		{[]string{auroraPrefix, "edstack:schoolDayStart=08:15", "edstack:schoolDayEnd=15:45"}, func(t *testing.T, p planned) {
			kind := "aws:appautoscaling/scheduledAction:ScheduledAction"
			assert.Equal(t, "cron(15 8 ? * MON-FRI *)", input(p.named(t, kind, "nz-aurora-school-day-start"), "schedule"))
			assert.Equal(t, "cron(45 15 ? * MON-FRI *)", input(p.named(t, kind, "nz-aurora-school-day-end"), "schedule"))
		}},
	}
	// Every setting is covered here or by the tests named above: a new key
	// without a test of what it reaches fails.
	covered := map[string]bool{stacks.KeyRegion: true}
	for _, k := range keysTestedElsewhere {
		covered[k] = true
	}
	for _, tt := range tests {
		for _, c := range tt.config {
			if c != auroraPrefix && c != londonLicence {
				k, _, _ := strings.Cut(c, "=")
				covered[k] = true
			}
		}
	}
	for _, s := range stacks.Settings() {
		assert.True(t, covered[s.Key] || s.Required(), "%s: no test sets it off its default and asserts the resources it reaches", s.Key)
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.config, ","), func(t *testing.T) {
			args := []string{"--stack", "nz"}
			for _, c := range tt.config {
				args = append(args, "--config", c)
			}
			tt.check(t, planned(resourcesOf(planJSON(t, args...))))
		})
	}
}

// envOf is a task definition's container environment, by name.
func envOf(t *testing.T, td map[string]any) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, e := range containerOf(t, td)["environment"].([]any) {
		kv := e.(map[string]any)
		env[kv["name"].(string)] = fmt.Sprint(kv["value"])
	}
	return env
}
