package tests

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/cost"
	"edstack/plan"
)

func estimate(t *testing.T, stack string, config ...string) *cost.Estimate {
	t.Helper()
	p, err := plan.Build(plan.Options{Dir: "..", Stack: stack, Overrides: overrides(t, config)})
	require.NoError(t, err)
	require.NotNil(t, p.Cost)
	return p.Cost
}

// nz's fixed costs, computed by hand from the Sydney rows of
// cost/prices.csv and the stack's settings: what the model must reproduce.
func TestNZFixedCostsMatchAHandComputation(t *testing.T) {
	const hours = 730.0
	spot := 1 - 0.65
	nodes := 12.0
	hand := nodes*4*hours*0.04856*spot + // vCPU on FARGATE_SPOT
		nodes*24*hours*0.00532*spot + // memory
		nodes*(200-20)*hours*0.0001332 + // ephemeral storage above 20 GiB
		nodes*0.10 + 0.50 + // Cloud Map instances and the namespace's private zone
		3*hours*0.059 + 3*hours*0.005 + // NAT gateways per zone and their public IPv4 addresses
		hours*0.027 + // the NLB
		2*1.00 + // the country key and the DNSSEC key
		2*0.40 + // the TLS and connection secrets
		0.50 + // the public zone
		5.00 + 4*1.00 + // the web ACL and its 4 rules
		(11+15*nodes)*0.30 + // Container Insights metrics
		1.00 + // the us-east-1 key of CloudFront's alarm topic
		(9+2+nodes+1+10+1+3+1)*0.10 + // alarm metrics: CockroachDB's 9 (two read 2), a node's each, Spot, the request path's 10 (one reads 2), 3 NAT, CloudFront
		3.00 + // the dashboard
		(10+1)*0.30 // custom metrics: the 10 the collectors export, and the Spot count
	e := estimate(t, "nz")
	assert.InDelta(t, hand, e.Fixed, 0.01, "fixed costs")
	assert.Empty(t, e.Unpriced)
	assert.InDelta(t, e.Fixed+e.UsageBased, e.Total, 0.001)
	sum := 0.0
	for _, c := range e.Components {
		sum += c.Monthly
	}
	assert.InDelta(t, e.Total, sum, 0.01, "components add up to the total")
}

// Spot's saving is exactly the discount of the on-demand vCPU and memory,
// whatever the discount.
func TestSpotAndOnDemandDifferByTheDiscount(t *testing.T) {
	const onDemand = 12*4*730*0.04856 + 12*24*730*0.00532 // vCPU and memory, all 12 nodes
	for _, percent := range []float64{50, 65, 70} {
		e := estimate(t, "nz", "edstack:spotDiscountPercent="+fmtInt(percent))
		var s *cost.Saving
		for i := range e.Savings {
			if e.Savings[i].What == "CockroachDB nodes on FARGATE_SPOT instead of on-demand FARGATE" {
				s = &e.Savings[i]
			}
		}
		require.NotNil(t, s, "the Spot saving is shown")
		assert.InDelta(t, onDemand*percent/100, s.Saving, 0.01, "%v%%", percent)
		assert.InDelta(t, s.Alternative-s.Actual, s.Saving, 0.001)
		assert.InDelta(t, onDemand*0.5, s.Range[0], 0.01)
		assert.InDelta(t, onDemand*0.7, s.Range[1], 0.01)
	}
	// On-demand nodes cost the full price: two of twelve off Spot.
	mixed := estimate(t, "nz", "edstack:cockroachOnDemandNodes=2")
	base := estimate(t, "nz")
	assert.InDelta(t, 2*(4*730*0.04856+24*730*0.00532)*0.65, mixed.Fixed-base.Fixed, 0.01)
}

// A usage override changes the usage-based lines and nothing else.
func TestUsageOverrideChangesOnlyUsageLines(t *testing.T) {
	base := estimate(t, "nz")
	more := estimate(t, "nz", "edstack:costUsage=apiRequests=60000000,cdnGB=4000")
	assert.InDelta(t, base.Fixed, more.Fixed, 1e-9, "fixed costs do not move")
	require.Equal(t, len(base.Lines), len(more.Lines))
	changed := map[string]bool{}
	for i, l := range base.Lines {
		m := more.Lines[i]
		if l.Monthly != m.Monthly {
			assert.True(t, l.Usage, "%s %s changed but is not usage-based", l.Name, l.Item)
			changed[l.Type] = true
		}
	}
	assert.True(t, changed["aws:cloudfront/distribution:Distribution"])
	assert.True(t, changed["aws:apigatewayv2/api:Api"])
	assert.True(t, changed["aws:lambda/function:Function"])
	assert.Greater(t, more.UsageBased, base.UsageBased)
}

// Aurora's school-day schedule is priced against a peak fleet kept all day.
func TestAuroraScheduleSaving(t *testing.T) {
	e := estimate(t, "nz", auroraPrefix)
	var found bool
	for _, s := range e.Savings {
		if s.Alternative > s.Actual && s.What != "CockroachDB nodes on FARGATE_SPOT instead of on-demand FARGATE" {
			found = true
			assert.Contains(t, s.What, "school-day schedule")
		}
	}
	assert.True(t, found, "the schedule's saving is shown")
	assert.Empty(t, e.Unpriced)
}

// Nothing is silently $0: every resource of every stack, Aurora on or off,
// is priced or known to be free.
func TestEveryResourceIsPricedOrFree(t *testing.T) {
	for _, stack := range plan.Stacks("..") {
		for _, config := range [][]string{nil, {auroraPrefix}} {
			p, err := plan.Build(plan.Options{Dir: "..", Stack: stack, Overrides: overrides(t, config)})
			require.NoError(t, err)
			assert.Empty(t, p.Cost.Unpriced, "%s %v", stack, config)
			for _, r := range p.Resources {
				if r.Custom && r.Type != "pulumi:providers:aws" {
					assert.True(t, cost.Priced(r.Type), "%s: %s has no price model and is not known to be free", stack, r.Type)
				}
			}
		}
	}
}

func overrides(t *testing.T, config []string) []plan.Override {
	var out []plan.Override
	for _, c := range config {
		o, err := plan.ParseOverride(c)
		require.NoError(t, err)
		out = append(out, o)
	}
	return out
}

func fmtInt(v float64) string { return strconv.Itoa(int(v)) }
