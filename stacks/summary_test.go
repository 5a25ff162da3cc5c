package stacks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cockroachItems is the plan's CockroachDB section of a config, by label.
func cockroachItems(t *testing.T, changes map[string]string) map[string]string {
	t.Helper()
	cfg, err := load(t, "nz", changes)
	require.NoError(t, err)
	for _, s := range cfg.Summary() {
		if s.Title == "CockroachDB" {
			items := map[string]string{}
			for _, it := range s.Items {
				items[it.Key] = it.Value
			}
			return items
		}
	}
	t.Fatal("no CockroachDB section")
	return nil
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
