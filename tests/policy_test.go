package tests

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/plan"
	"edstack/policy"
)

// Every stack file plans with no violation left: each rule passes or a
// waiver in force, with its reason, covers it; and no waiver is stale.
func TestEveryStackPassesThePolicyPack(t *testing.T) {
	for _, stack := range stackNames(t) {
		t.Run(stack, func(t *testing.T) {
			p, err := plan.Build(plan.Options{Dir: "..", Stack: stack})
			require.NoError(t, err)
			for _, f := range p.Policy.Findings {
				t.Errorf("%s %s: %s", f.Level, f.Rule, f.Message)
			}
			assert.Empty(t, p.Policy.Unused, "waivers whose resources pass: remove them")
			assert.Equal(t, len(policy.Pack()), p.Policy.Rules)
		})
	}
}

// A resource type the program registers that no rule looks at fails here,
// so coverage cannot erode silently: give it a rule (or add it to the Types
// of the rule that covers it).
func TestEveryAWSTypeIsCoveredByARule(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range policy.Pack() {
		for _, typ := range r.Types {
			covered[typ] = true
		}
	}
	seen := map[string]bool{}
	configs := [][]plan.Override{nil, {{Key: "edstack:auroraEnabled", Value: "true"}}}
	for _, stack := range stackNames(t) {
		for _, ovr := range configs {
			p, err := plan.Build(plan.Options{Dir: "..", Stack: stack, Overrides: ovr})
			require.NoError(t, err)
			for _, r := range p.Resources {
				if strings.HasPrefix(r.Type, "aws:") && !seen[r.Type] {
					seen[r.Type] = true
					assert.True(t, covered[r.Type], "no rule covers %s", r.Type)
				}
			}
		}
	}
}

// An expired waiver is a violation again, and the plan fails on a mandatory
// one: the same plan a year after every waiver's expiry.
func TestExpiredWaiversAreViolationsAgain(t *testing.T) {
	p, err := plan.Build(plan.Options{Dir: "..", Stack: "nz",
		Today: time.Now().AddDate(0, 0, policy.MaxWaiverDays).Format(time.DateOnly)})
	require.NoError(t, err)
	require.NotEmpty(t, p.Policy.Findings)
	for _, f := range p.Policy.Findings {
		require.NotNil(t, f.Expired, "%s: only expired waivers' findings come back", f.Rule)
		assert.Contains(t, f.Message, "waiver expired")
	}
	assert.Empty(t, p.Policy.Waivers)
}
