package tests

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/newcountry"
	"edstack/plan"
	"edstack/stacks"
)

// project copies the project's Pulumi.yaml, waivers.yaml and stack files to
// a folder of its own, plus any extra stack files, so that new-country can
// write there.
func project(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(root, "Pulumi.*yaml"))
	require.NoError(t, err)
	for _, f := range append(files, filepath.Join(root, "waivers.yaml")) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644))
	}
	for stack, text := range extra {
		require.NoError(t, os.WriteFile(plan.StackFile(dir, stack), []byte(text), 0o644))
	}
	return dir
}

func newCountry(dir string, args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := newcountry.Main(append(args, "--dir", dir), &out, &errs)
	return code, out.String(), errs.String()
}

// Three regions: Tokyo (a default region every account has), Cape Town
// (opt-in, and a service not confirmed there), Ireland (not the
// Netherlands' default, with the country's range taken by another stack).
func TestNewCountryGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		extra map[string]string
	}{
		{"jp-ap-northeast-1", []string{"jp", "--domain", "learn.example.jp"}, nil},
		{"za-af-south-1", []string{"za", "--domain", "learn.example.za"}, nil},
		{"nl-eu-west-1", []string{"nl", "--domain", "learn.example.nl", "--region", "eu-west-1"},
			map[string]string{"loadtest": "config:\n  aws:region: eu-central-1\n  edstack:country: de\n  edstack:domain: loadtest.example.de\n  edstack:vpcCidr: 10.36.0.0/16\n  edstack:cockroachUnlicensed: true\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := project(t, tc.extra)
			code, out, errs := newCountry(dir, tc.args...)
			require.Equal(t, 0, code, errs)
			written, err := os.ReadFile(plan.StackFile(dir, tc.args[0]))
			require.NoError(t, err)
			got := out + "\n---- Pulumi." + tc.args[0] + ".yaml ----\n" + string(written)
			golden := filepath.Join("testdata", "newcountry", tc.name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./tests -run TestNewCountryGolden -update")
			assert.Equal(t, string(want), got)

			// The written file plans as any stack file does.
			p, err := plan.Build(plan.Options{Dir: dir, Stack: tc.args[0]})
			require.NoError(t, err)
			assert.Empty(t, p.Policy.Findings)

			// Running it again changes nothing, and says so.
			code, again, errs := newCountry(dir, tc.args...)
			require.Equal(t, 0, code, errs)
			after, err := os.ReadFile(plan.StackFile(dir, tc.args[0]))
			require.NoError(t, err)
			assert.Equal(t, string(written), string(after))
			assert.Contains(t, again, "new-country: Pulumi."+tc.args[0]+".yaml is already there for this region, country and domain; left as it is")
			_, plannedAgain, _ := strings.Cut(again, "Validated as pulumi up")
			_, planned, _ := strings.Cut(out, "Validated as pulumi up")
			assert.Equal(t, planned, plannedAgain, "the same plan and checklist")
		})
	}
}

func TestNewCountryGoldenChoices(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "newcountry", "za-af-south-1.txt"))
	require.NoError(t, err)
	za := string(b)
	assert.Contains(t, za, "warning: aws:region: af-south-1 is not confirmed to run API Gateway HTTP APIs")
	assert.Contains(t, za, "[ ] Enable the region af-south-1 in the account", "an opt-in region")
	b, err = os.ReadFile(filepath.Join("testdata", "newcountry", "nl-eu-west-1.txt"))
	require.NoError(t, err)
	nl := string(b)
	assert.Contains(t, nl, "  aws:region: eu-west-1\n")
	assert.Contains(t, nl, "  edstack:vpcCidr: 10.38.0.0/16\n", "the first /16 no stack file and no country uses")
	assert.Contains(t, nl, "[x] Enable the region eu-west-1 in the account")
}

// Bad input is refused with every problem, and writes nothing.
func TestNewCountryRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"zz", "--domain", "learn.example.zz"}, []string{`country "zz" is not in the catalog; use one of ` + strings.Join(stacks.CountryCodes(), ", ")}},
		{[]string{"jp", "--domain", "learn.example.jp", "--region", "us-east-1"}, []string{`--region "us-east-1" is not a region Japan deploys to`, "ap-northeast-1, ap-northeast-3"}},
		{[]string{"jp", "--domain", "https://learn.example.jp/"}, []string{`--domain "https://learn.example.jp/" is not a valid domain: give the bare domain`}},
		{[]string{"jp", "--domain", "Learn..jp", "--region", "eu-west-1"}, []string{"2 problems", "--domain", "--region"}},
		{[]string{"mx", "--domain", "learn.example.mx", "--region", "mx-central-1"},
			[]string{`aws:region: "mx-central-1" does not run API Gateway HTTP APIs`, "use a region of Mexico that does: us-east-2"}},
		{[]string{"jp", "--domain", "learn.example.jp", "--licence-secret-arn", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x"},
			[]string{"edstack:cockroachLicenseSecretArn", "us-east-1"}},
	} {
		dir := project(t, nil)
		code, out, errs := newCountry(dir, tc.args...)
		assert.Equal(t, 1, code, tc.args)
		assert.Empty(t, out)
		for _, w := range tc.want {
			assert.Contains(t, errs, w, tc.args)
		}
		_, err := os.Stat(plan.StackFile(dir, tc.args[0]))
		assert.True(t, os.IsNotExist(err), "%v wrote a file", tc.args)
	}

	// An existing file is never overwritten: another domain is refused;
	// the same choice plans the file as it is, with what the user added
	// since (nz names its licence secret), and ticks that step.
	dir := project(t, nil)
	before, err := os.ReadFile(plan.StackFile(dir, "nz"))
	require.NoError(t, err)
	code, _, errs := newCountry(dir, "nz", "--domain", "learn.example.nz")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "Pulumi.nz.yaml exists and sets edstack:domain to nz.edstack.example, not learn.example.nz")
	code, out, errs := newCountry(dir, "nz", "--domain", "nz.edstack.example")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "[x] Store the CockroachDB licence key")
	assert.Contains(t, out, "edstack:cockroachLicenseSecretArn: arn:aws:secretsmanager:", "the file on disk is shown")
	after, err := os.ReadFile(plan.StackFile(dir, "nz"))
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

// Every catalog country goes from nothing to a validated plan with one
// command and no code edit, with no policy violation, in its default region.
func TestEveryCatalogCountryPlans(t *testing.T) {
	dir := project(t, nil)
	for _, code := range stacks.CountryCodes() {
		c, _ := stacks.LookupCountry(code)
		path := plan.StackFile(dir, code)
		_, shipped := os.Stat(path)
		t.Run(code, func(t *testing.T) {
			if shipped == nil {
				// A shipped stack is planned as it is; new-country must agree with it or refuse.
				p, err := plan.Build(plan.Options{Dir: dir, Stack: code})
				require.NoError(t, err)
				assert.Empty(t, p.Policy.Findings)
				return
			}
			res, err := newcountry.Run(newcountry.Options{Dir: dir, Code: code, Domain: code + ".edstack.example"})
			require.NoError(t, err)
			require.True(t, res.Written)
			assert.Empty(t, res.Plan.Policy.Findings, "%s plans with policy violations", c.Name)
			assert.Equal(t, c.Region, res.File.Region)
			reg, _ := stacks.LookupRegion(c.Region)
			if _, unconfirmed := reg.Lacking(stacks.Services); len(unconfirmed) == 0 {
				assert.Empty(t, res.Plan.Warnings)
			} else {
				assert.NotEmpty(t, res.Plan.Warnings, "%s's region is not confirmed to run everything: the plan warns", c.Name)
			}
			assert.Empty(t, res.Plan.Cost.Unpriced)
		})
	}
	// Every allowed region: refused where it lacks a service, planned with a
	// warning where one is not confirmed, without violations either way.
	for _, code := range stacks.CountryCodes() {
		c, _ := stacks.LookupCountry(code)
		for _, region := range c.Regions[1:] {
			t.Run(code+"-"+region, func(t *testing.T) {
				reg, _ := stacks.LookupRegion(region)
				missing, unconfirmed := reg.Lacking(stacks.Services)
				dir := project(t, nil)
				require.NoError(t, os.RemoveAll(plan.StackFile(dir, code)), "a shipped stack of the country would be kept, not re-chosen")
				res, err := newcountry.Run(newcountry.Options{Dir: dir, Code: code, Domain: code + ".edstack.example", Region: region})
				if len(missing) > 0 {
					require.Error(t, err)
					assert.Contains(t, err.Error(), "does not run "+missing[0].String())
					return
				}
				require.NoError(t, err)
				assert.Empty(t, res.Plan.Policy.Findings)
				assert.Equal(t, len(unconfirmed) > 0, len(res.Plan.Warnings) > 0, "%s warns exactly when a service is unconfirmed", region)
			})
		}
	}
	// Each wrote its catalog range: no two stack files overlap.
	ranges, unknown, err := newcountry.Ranges(dir, "")
	require.NoError(t, err)
	assert.Empty(t, unknown)
	for i, a := range ranges {
		for _, b := range ranges[i+1:] {
			assert.False(t, a.Prefix.Overlaps(b.Prefix), "%s %s overlaps %s %s", a.File, a.Prefix, b.File, b.Prefix)
		}
	}
}

// The shipped stacks that new-country wrote are still what it writes: the
// command in each one's header gives the same file today.
func TestShippedStacksAreNewCountrys(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "Pulumi.*.yaml"))
	require.NoError(t, err)
	made := 0
	for _, f := range files {
		shipped, err := os.ReadFile(f)
		require.NoError(t, err)
		_, rest, found := strings.Cut(string(shipped), "written by `go run . new-country ")
		if !found {
			continue
		}
		args := strings.Fields(rest[:strings.Index(rest, "`")])
		dir := project(t, nil)
		require.NoError(t, os.Remove(plan.StackFile(dir, args[0])))
		code, _, errs := newCountry(dir, args...)
		require.Equal(t, 0, code, errs)
		again, err := os.ReadFile(plan.StackFile(dir, args[0]))
		require.NoError(t, err)
		assert.Equal(t, string(shipped), string(again), "%s: rerun its command, or edit it by hand and drop the header", filepath.Base(f))
		made++
	}
	assert.GreaterOrEqual(t, made, 3, "us, ca and gb were written by new-country")
}

// The whole path, from the command to a validated plan, on a warm build.
func BenchmarkNewCountry(b *testing.B) {
	dir := project(b, nil)
	for b.Loop() {
		require.NoError(b, os.RemoveAll(plan.StackFile(dir, "jp")))
		if _, err := newcountry.Run(newcountry.Options{Dir: dir, Code: "jp", Domain: "learn.example.jp"}); err != nil {
			b.Fatal(err)
		}
	}
}

// The benchmark's bound, held by every test run: a first run in a process
// (cold caches inside it) stays well under 5 seconds.
func TestNewCountryIsQuick(t *testing.T) {
	dir := project(t, nil)
	start := time.Now()
	_, err := newcountry.Run(newcountry.Options{Dir: dir, Code: "jp", Domain: "learn.example.jp"})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
}
