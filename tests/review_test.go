package tests

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/plan"
	"edstack/review"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/review and testdata/newcountry")

// reviewDay fixes the date waivers are judged on, so the golden files do
// not change with the calendar.
const reviewDay = "2026-11-21"

// planOf plans a stack in the form a review compares, as deployed with
// nz's 12 nodes (the base of every upgrade path).
func planOf(t testing.TB, dir, stack string, config ...string) *plan.JSON {
	t.Helper()
	p, err := buildPlan(dir, stack, config...)
	require.NoError(t, err)
	j, err := review.FromPlan(p)
	require.NoError(t, err)
	return j
}

func buildPlan(dir, stack string, config ...string) (*plan.Plan, error) {
	var ovr []plan.Override
	for _, c := range config {
		o, err := plan.ParseOverride(c)
		if err != nil {
			return nil, err
		}
		ovr = append(ovr, o)
	}
	return plan.Build(plan.Options{Dir: dir, Stack: stack, Overrides: ovr, Today: reviewDay, DeployedNodes: 12})
}

// withWaiver is a copy of the project whose waivers.yaml has one more
// waiver.
func withWaiver(t *testing.T, waiver string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.nz.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	b, err := os.ReadFile(filepath.Join("..", "waivers.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "waivers.yaml"), append(b, waiver...), 0o644))
	return dir
}

// The changes users really make to a country stack, reviewed: the golden
// files in testdata/review are what the pull request's comment would say
// (go test ./tests -run TestUpgradePaths -update rewrites them). None of
// these changes may replace or delete a resource that holds data, or stop
// `pulumi up` on a protected one.
func TestUpgradePaths(t *testing.T) {
	aurora := []string{"auroraEnabled=true"}
	mirror := append(aurora, "database=mirror")
	for _, tc := range []struct {
		name       string
		base, head []string
		headDir    func(t *testing.T) string
		// want are facts the review must state.
		want []string
	}{
		{name: "scale-cockroach-up", head: []string{"cockroachNodes=15"},
			want: []string{"**15 to create", "`edstack:cockroachNodes` | `12` | `15`", "+ nz-crdb-node-14 (aws:ecs/service:Service)"}},
		{name: "bump-cockroach-version", head: []string{"cockroachVersion=v26.2.1"},
			want: []string{"update <code>nz-crdb-node-11</code>", "cockroachdb/cockroach:v26.2.1"}},
		{name: "nat-single", head: []string{"natGateways=single"},
			want: []string{"delete <code>nz-nat-c</code>"}},
		{name: "aurora-on", head: aurora,
			want: []string{"+ nz-aurora-cluster (aws:rds/cluster:Cluster)", "| aurora | $0.00 |"}},
		{name: "database-mirror", base: aurora, head: mirror,
			want: []string{"`edstack:database` | `cockroach` | `mirror`"}},
		{name: "database-aurora", base: mirror, head: append(aurora, "database=aurora"),
			want: []string{"`edstack:database` | `mirror` | `aurora`"}},
		{name: "api-memory", head: []string{"apiMemoryMB=2048"},
			want: []string{"update <code>nz-api</code>", "+ memorySize: 2048"}},
		{name: "add-waiver", head: []string{"wafRateLimit=0"},
			headDir: func(t *testing.T) string {
				return withWaiver(t, `
  - rule: EDS-CF-2
    resources: ["nz-edge-cdn"]
    stacks: [nz]
    reason: A test of the review; never merged.
    expires: "2027-01-31"
`)
			},
			want: []string{"waiver now applies: `EDS-CF-2` until 2027-01-31", "delete <code>nz-edge-waf</code>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headDir := ".."
			if tc.headDir != nil {
				headDir = tc.headDir(t)
			}
			r := review.Compare(planOf(t, "..", "nz", tc.base...), planOf(t, headDir, "nz", tc.head...), review.Options{Today: reviewDay})
			md := r.Markdown(0)
			for _, c := range r.Changes {
				assert.False(t, c.Blocked, "%s: %s %s would stop pulumi up", tc.name, c.Action, c.Name)
				assert.False(t, c.Destructive() && c.Data != "", "%s: %s %s loses %s", tc.name, c.Action, c.Name, c.Data)
			}
			assert.True(t, r.Changed())
			for _, w := range tc.want {
				assert.True(t, strings.Contains(md, w), "the review says %q", w)
			}
			assert.LessOrEqual(t, len(md), review.MaxComment)
			golden := filepath.Join("testdata", "review", tc.name+".md")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(md), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file: run go test ./tests -run TestUpgradePaths -update and read it")
			assert.True(t, string(want) == md, "%s differs from the review; if the change is meant, rewrite it with -update and read the diff", golden)
		})
	}
}

// A change that would stop `pulumi up` is impossible to miss: taking the
// backups bucket's protection away is fine, but renaming the country
// replaces every protected resource, and the review says so at the top.
func TestReviewFlagsBlockedReplacements(t *testing.T) {
	r := review.Compare(planOf(t, "..", "nz"), planOf(t, "..", "nz", "domain=school.nz.edstack.example"), review.Options{Today: reviewDay})
	md := r.Markdown(0)
	blocked := 0
	for _, c := range r.Changes {
		if c.Blocked {
			blocked++
			assert.True(t, c.Protected)
			assert.NotEmpty(t, c.Data)
		}
	}
	require.Positive(t, blocked, "a new domain replaces the protected DNSSEC signing key")
	assert.Equal(t, blocked, r.Counts.Blocked)
	caution := strings.Index(md, "[!CAUTION]")
	table := strings.Index(md, "#### Destructive changes")
	require.True(t, caution > 0 && table > caution, "the caution comes first, then the table")
	firstRow := md[table:]
	firstRow = firstRow[strings.Index(firstRow, "|---|"):]
	firstRow = strings.SplitN(firstRow, "\n", 3)[1]
	assert.Contains(t, firstRow, "**blocked: `pulumi up` will stop here**", "the blocked change is the first row")
}

// Scaling down without decommissioning first would lose replicas: the
// program refuses it against the deployed state, and the review says the
// head does not plan, with the program's reason, instead of listing
// deletes.
func TestReviewOfAnUnsafeScaleDown(t *testing.T) {
	_, err := buildPlan("..", "nz", "cockroachNodes=9")
	require.Error(t, err)
	base := &review.Plans{Plans: map[string]*plan.JSON{"nz": planOf(t, "..", "nz")}}
	head := &review.Plans{Plans: map[string]*plan.JSON{}, Errors: map[string]string{"nz": err.Error()}}
	reviews, rerr := review.Review(base, head, nil, review.Options{Today: reviewDay})
	require.NoError(t, rerr)
	md := reviews[0].Markdown(0)
	assert.Contains(t, md, "**The head does not plan**")
	assert.Contains(t, md, "cockroachDecommissionedNodes")
	assert.NotContains(t, md, "to delete")
}

// Every resource type the program registers has an entry in the
// replacement table, so the review never guesses which changes replace.
func TestEveryRegisteredTypeHasAReplacementEntry(t *testing.T) {
	seen := map[string]bool{}
	for _, stack := range plan.Stacks("..") {
		for _, config := range [][]string{nil, {"auroraEnabled=true", "database=mirror"}, {"natGateways=single", "wafRateLimit=0", "dnssec=false"}} {
			p, err := plan.Build(plan.Options{Dir: "..", Stack: stack, Overrides: overrides(t, config)})
			require.NoError(t, err)
			for _, r := range p.Resources {
				if r.Custom && !seen[r.Type] {
					seen[r.Type] = true
					assert.True(t, review.Known(r.Type), "%s has no entry in review/replace_table.go: list the inputs whose change replaces it (the provider's ForceNew/RequiresReplace)", r.Type)
				}
			}
		}
	}
	assert.Greater(t, len(seen), 60)
}

// Reviewing plans of 500 resources and more, a 99-node cluster against a
// 12-node one, takes well under a second.
func TestReviewOfLargePlansIsFast(t *testing.T) {
	base, head := planOf(t, "..", "nz"), planOf(t, "..", "nz", "cockroachNodes=99")
	require.Greater(t, len(head.Resources), 500)
	var md string
	took := fastest(3, func() { md = review.Compare(base, head, review.Options{Today: reviewDay}).Markdown(0) })
	assert.Less(t, took, time.Second)
	assert.LessOrEqual(t, len(md), review.MaxComment)
}

func BenchmarkReview99NodesAgainst12(b *testing.B) {
	base, head := planOf(b, "..", "nz"), planOf(b, "..", "nz", "cockroachNodes=99")
	b.ResetTimer()
	for b.Loop() {
		_ = review.Compare(base, head, review.Options{Today: reviewDay}).Markdown(0)
	}
}

// Plan, policy and cost of every stack file, as the review job builds one
// side.
func BenchmarkPlanEveryStack(b *testing.B) {
	for b.Loop() {
		if _, err := review.PlansOf("..", review.Deployed{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPlanOfEveryStackIsFast(t *testing.T) {
	_, err := review.PlansOf("..", nil) // warm: the first run loads the providers' schemas
	require.NoError(t, err)
	var plans *review.Plans
	took := fastest(3, func() {
		plans, err = review.PlansOf("..", review.Deployed{})
		require.NoError(t, err)
	})
	assert.Less(t, took, time.Second, "plan, policy and cost of every stack file")
	assert.Empty(t, plans.Errors)
	assert.Len(t, plans.Plans, len(plan.Stacks("..")))
}

// fastest is the shortest of n runs of f: the cost of the work itself, not
// of whatever else the machine (or go test's other packages) is doing.
func fastest(n int, f func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range n {
		start := time.Now()
		f()
		best = min(best, time.Since(start))
	}
	return best
}
