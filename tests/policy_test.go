package tests

import (
	"os"
	"strconv"
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

// The README lists every waiver in force: a table row names its rule and
// its expiry, and the table names no waiver that waivers.yaml lost.
func TestTheREADMEListsEveryWaiver(t *testing.T) {
	waivers, err := policy.LoadWaivers("..", policy.Pack(), time.Now().Format(time.DateOnly))
	require.NoError(t, err)
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var rows []string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| EDS-") {
			rows = append(rows, line)
		}
	}
	require.NotEmpty(t, rows, "the README's waivers table")
	listed := func(w policy.Waiver) bool {
		for _, row := range rows {
			cells := strings.Split(row, "|")
			if strings.Contains(cells[1], w.Rule) && strings.Contains(row, "| "+w.Expires+" |") {
				return true
			}
		}
		return false
	}
	inFile := map[string]bool{}
	for _, w := range waivers {
		inFile[w.Rule+" "+w.Expires] = true
		assert.True(t, listed(w), "README: no waivers table row for %s (%v) until %s", w.Rule, w.Resources, w.Expires)
	}
	for _, row := range rows {
		cells := strings.Split(row, "|")
		expires := strings.TrimSpace(cells[len(cells)-2])
		for _, rule := range strings.Split(cells[1], ",") {
			assert.True(t, inFile[strings.TrimSpace(rule)+" "+expires], "README lists %s until %s, which waivers.yaml does not hold", strings.TrimSpace(rule), expires)
		}
	}
}

// The README states the pack's size as it is.
func TestReadmeCountsTheRules(t *testing.T) {
	readme, err := os.ReadFile(root + "/README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), "policy pack: "+strconv.Itoa(len(policy.Pack()))+" rules (`EDS-")
}
