package stacks

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/plan/engine"
)

// plan runs the program over a config in the offline engine: the
// resources the summary reads.
func plan(t *testing.T, changes map[string]string) (Config, *engine.Result) {
	t.Helper()
	values := valid()
	for k, v := range changes {
		values[k] = v
	}
	src := Source{Values: values, Declared: declared(t)}
	cfg, err := Load("nz", src)
	require.NoError(t, err)
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		_, err := Run(ctx, src)
		return err
	}, engine.Options{Project: "edstack", Stack: "nz", Config: values, Region: cfg.Region})
	require.NoError(t, err)
	return cfg, res
}

// items is the summary's section of a title, by label.
func items(t *testing.T, sections []Section, title string) map[string]string {
	t.Helper()
	for _, s := range sections {
		if s.Title == title {
			out := map[string]string{}
			for _, it := range s.Items {
				out[it.Key] = it.Value
			}
			return out
		}
	}
	t.Fatalf("no %s section", title)
	return nil
}

// cockroachItems is the plan's CockroachDB section of a config, by label.
func cockroachItems(t *testing.T, changes map[string]string) map[string]string {
	t.Helper()
	cfg, res := plan(t, changes)
	return items(t, cfg.Summary(res), "CockroachDB")
}

// The summary reads the resources, not the config: a resource that says
// something else than the config is what the plan shows.
func TestSummaryReadsTheResources(t *testing.T) {
	cfg, res := plan(t, nil)
	set := func(typ, name, key string, v resource.PropertyValue) {
		r := res.Named(typ, name)
		require.NotNil(t, r, name)
		r.Inputs[resource.PropertyKey(key)] = v
	}
	set(functionType, "nz-api", "timeout", resource.NewNumberProperty(7))
	set(vpcType, "nz-vpc", "cidrBlock", resource.NewStringProperty("10.99.0.0/16"))
	set(distributionType, "nz-edge-cdn", "priceClass", resource.NewStringProperty("PriceClass_100"))
	sections := cfg.Summary(res)
	assert.Contains(t, items(t, sections, "Request path")["5 API function"], "7 s timeout")
	assert.Contains(t, items(t, sections, "Request path")["2 CloudFront"], "PriceClass_100")
	assert.Equal(t, "10.99.0.0/16", items(t, sections, "Network")["VPC CIDR"])

	assert.Equal(t, engine.Unknown, Unknown, "the summary reads the engine's marker")

	// A resource the program did not register is never described as built.
	delete(res.Named(queueType, "nz-jobs").Inputs, "visibilityTimeoutSeconds")
	assert.Contains(t, items(t, cfg.Summary(res), "Request path")["6 Work queue"], "visibility "+NotBuilt)
}

// The plan states every fact issue #8 asks a reviewer to see, from the
// stack's own settings.
func TestCockroachSummaryStatesTheFacts(t *testing.T) {
	items := cockroachItems(t, nil)
	for label, want := range map[string]string{
		"Nodes":                          "12 x 4 vCPU / 24 GiB, 200 GiB ephemeral store each",
		"Capacity":                       "12 on FARGATE_SPOT, 0 on on-demand FARGATE",
		"Survives":                       "2 nodes lost at once",
		"Survives a zone outage":         "yes",
		"Drain on SIGTERM":               "= 55s bounded",
		"A replacement":                  "joins at once",
		"Dead nodes":                     "never a live node",
		"Total loss":                     "restored automatically from the latest backup",
		"Lost store re-replicated after": "200 GiB takes about 10m0s at the 32 MiB/s snapshot rate with 11 nodes sending",
		"Image from":                     "Docker Hub",
		"Licence":                        "none, acknowledged by edstack:cockroachUnlicensed",
		"Rolling changes":                "no under-replicated or unavailable range",
		"Scaling down":                   "edstack:cockroachDecommissionedNodes",
	} {
		assert.Contains(t, items[label], want, label)
	}
	assert.NotContains(t, items["Rolling changes"], "longer than a gate waits", "12 nodes heal a 200 GiB store within one gate")

	// Non-default settings reach the text.
	items = cockroachItems(t, map[string]string{
		KeyCockroachNodes: "3", KeyCockroachOnDemandNodes: "1", KeyCockroachStorageGiB: "100",
		KeyCockroachUnlicensed:       "false",
		KeyCockroachLicenseSecretArn: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:lic-AbCdEf",
		KeyCockroachRegistrySecret:   "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf",
	})
	assert.Contains(t, items["Capacity"], "2 on FARGATE_SPOT, 1 on on-demand FARGATE")
	assert.Contains(t, items["Survives"], "1 node lost at once")
	assert.Contains(t, items["Lost store re-replicated after"], "100 GiB takes about 27m0s")
	assert.Contains(t, items["Rolling changes"], "healing a full 100 GiB store takes about 28m0s, longer than a gate waits")
	assert.Contains(t, items["Licence"], "secret:lic-AbCdEf")
	assert.Contains(t, items["Image from"], "pull-through cache")
}
