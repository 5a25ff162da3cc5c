package stacks

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withRegion adds a region to the table for one test.
func withRegion(t *testing.T, name string, runs map[Service]Support) {
	t.Helper()
	r := Region{Name: "Test", Zones: "abc", AZs: azs(name, "a", "b", "c"), Runs: map[Service]Support{}}
	for _, s := range Services {
		r.Runs[s] = Runs
	}
	for s, v := range runs {
		r.Runs[s] = v
	}
	regions[name] = r
	t.Cleanup(func() { delete(regions, name) })
}

// elsewhere deploys New Zealand to a region outside its catalog entry.
func elsewhere(region string, more map[string]string) map[string]string {
	out := map[string]string{KeyRegion: region, KeyAllowAnyRegion: "true"}
	for k, v := range more {
		out[k] = v
	}
	return out
}

func TestRegionLackingAServiceIsRefused(t *testing.T) {
	withRegion(t, "eu-north-1", map[Service]Support{ServiceFargateSpot: DoesNotRun, ServiceAuroraV2: DoesNotRun})

	_, err := load(t, "nz", elsewhere("eu-north-1", nil))
	var ce *ConfigError
	require.True(t, errors.As(err, &ce), "want a *ConfigError, got %v", err)
	require.Len(t, ce.Problems, 1, "%v", err)
	assert.Equal(t, KeyRegion, ce.Problems[0].Key)
	assert.Contains(t, err.Error(), `"eu-north-1" does not run Fargate Spot, which this stack needs`)
	assert.Contains(t, err.Error(), "use a region of New Zealand that does: ap-southeast-2")

	_, err = load(t, "nz", elsewhere("eu-north-1", withAurora(nil)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not run Fargate Spot and Aurora PostgreSQL Serverless v2", "every missing service is named")

	// Without Spot nodes or Aurora, the stack needs neither.
	cfg, err := load(t, "nz", elsewhere("eu-north-1", map[string]string{KeyCockroachOnDemandNodes: "12"}))
	require.NoError(t, err)
	assert.Empty(t, cfg.Warnings)
	assert.NotContains(t, Needs(cfg), ServiceFargateSpot)
}

func TestUnconfirmedServicesWarn(t *testing.T) {
	withRegion(t, "eu-north-1", map[Service]Support{ServiceCloudMap: Unconfirmed, ServiceAuroraV2: Unconfirmed})

	cfg, err := load(t, "nz", elsewhere("eu-north-1", nil))
	require.NoError(t, err, "a region not confirmed to run a service is planned")
	require.Len(t, cfg.Warnings, 1)
	assert.Contains(t, cfg.Warnings[0], "aws:region: eu-north-1 is not confirmed to run Cloud Map (stacks/regions.csv, checked ")
	assert.NotContains(t, cfg.Warnings[0], "Aurora", "Aurora is off, so the stack does not need it")

	cfg, err = load(t, "nz", elsewhere("eu-north-1", withAurora(nil)))
	require.NoError(t, err)
	assert.Contains(t, cfg.Warnings[0], "Cloud Map and Aurora PostgreSQL Serverless v2")
}

func TestRegionOutsideTheTableWarns(t *testing.T) {
	cfg, err := load(t, "nz", elsewhere("eu-north-1", map[string]string{KeyAZs: `["eu-north-1a","eu-north-1b","eu-north-1c"]`}))
	require.NoError(t, err)
	require.Len(t, cfg.Warnings, 1)
	assert.Contains(t, cfg.Warnings[0], "eu-north-1 is not in edstack's region table")
	assert.Contains(t, cfg.Warnings[0], "Fargate Spot")
}

func TestNeeds(t *testing.T) {
	base := []Service{ServiceLambda, ServiceHTTPAPI, ServiceSQS, ServiceKMS, ServiceSecretManager}
	for _, tc := range []struct {
		name string
		cfg  Config
		want []Service
	}{
		{"no database of its own", Config{}, base},
		{"all on Spot", Config{Cockroach: CockroachConfig{Nodes: 12}},
			append(base[:5:5], ServiceFargate, ServiceCloudMap, ServiceNLB, ServiceFargateSpot)},
		{"all on demand", Config{Cockroach: CockroachConfig{Nodes: 3, OnDemandNodes: 3}},
			append(base[:5:5], ServiceFargate, ServiceCloudMap, ServiceNLB)},
	} {
		assert.Equal(t, tc.want, Needs(tc.cfg), tc.name)
	}
}
