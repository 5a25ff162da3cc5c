package newcountry

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/stacks"
)

func country(t *testing.T, code string) stacks.Country {
	t.Helper()
	c, ok := stacks.LookupCountry(code)
	require.True(t, ok, code)
	return c
}

func TestPickCIDR(t *testing.T) {
	jp := country(t, "jp")
	catalog := func(code string) netip.Prefix { return country(t, code).VPCCIDR }
	for _, tc := range []struct {
		name  string
		taken []Range
		want  string // "" keeps the catalog's
		clash string
	}{
		{"nothing else", nil, "", ""},
		{"other countries' own ranges", []Range{{"Pulumi.nz.yaml", catalog("nz")}, {"Pulumi.au.yaml", catalog("au")}}, "", ""},
		{"a dev stack on Japan's range", []Range{{"Pulumi.dev.yaml", jp.VPCCIDR}}, "10.38.0.0/16", "Pulumi.dev.yaml"},
		{"a wider range over it", []Range{{"Pulumi.big.yaml", netip.MustParsePrefix("10.28.0.0/15")}}, "10.38.0.0/16", "Pulumi.big.yaml"},
		{"the first free one taken too", []Range{{"Pulumi.a.yaml", jp.VPCCIDR}, {"Pulumi.b.yaml", netip.MustParsePrefix("10.38.0.0/16")}},
			"10.39.0.0/16", "Pulumi.a.yaml"},
	} {
		got, clash, err := PickCIDR(jp, tc.taken)
		require.NoError(t, err, tc.name)
		if tc.want == "" {
			assert.False(t, got.IsValid(), tc.name)
		} else {
			assert.Equal(t, tc.want, got.String(), tc.name)
			for _, code := range stacks.CountryCodes() {
				assert.False(t, got.Overlaps(catalog(code)), "%s: %s takes %s's range", tc.name, got, code)
			}
		}
		assert.Equal(t, tc.clash, clash.File, tc.name)
	}
	_, _, err := PickCIDR(jp, []Range{{"Pulumi.all.yaml", netip.MustParsePrefix("10.0.0.0/8")}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "set edstack:vpcCidr in the stack file by hand")
}

func TestChooseRefusesEveryProblemAtOnce(t *testing.T) {
	_, err := choose(Options{Code: "zz", Domain: "Learn.Example", Region: "mars-1"})
	var r *Refused
	require.ErrorAs(t, err, &r)
	require.Len(t, r.Problems, 2, "an unknown country's region cannot be checked, so it is not a second complaint")
	assert.Contains(t, r.Problems[0], `country "zz" is not in the catalog; use one of `+strings.Join(stacks.CountryCodes(), ", "))
	assert.Contains(t, r.Problems[1], `--domain "Learn.Example" is not a valid domain: use lowercase`)

	_, err = choose(Options{Code: "jp", Region: "eu-west-1"})
	require.ErrorAs(t, err, &r)
	assert.Equal(t, []string{
		"--domain is not set: give the domain the country's site is served at, e.g. learn.example.nz",
		`--region "eu-west-1" is not a region Japan deploys to (data residency); use one of ap-northeast-1, ap-northeast-3, or leave --region out for ap-northeast-1`,
	}, r.Problems)

	f, err := choose(Options{Code: "jp", Domain: "learn.example.jp"})
	require.NoError(t, err)
	assert.Equal(t, "ap-northeast-1", f.Region, "the default region")
}

// Only what differs from the defaults, and each choice visible: a region
// other than the default, a licence secret, a range of its own.
func TestFileHoldsOnlyWhatDiffers(t *testing.T) {
	jp := country(t, "jp")
	plain := File{Country: jp, Region: jp.Region, Domain: "learn.example.jp"}
	assert.Equal(t, [][2]string{{"aws:region", "ap-northeast-1"}, {"edstack:country", "jp"}, {"edstack:domain", "learn.example.jp"},
		{"edstack:cockroachUnlicensed", "true"}}, plain.Values())
	assert.Equal(t, "go run . new-country jp --domain learn.example.jp", plain.Command())

	arn := "arn:aws:secretsmanager:ap-northeast-3:111122223333:secret:edstack/jp/cockroach-licence-AbCdEf"
	chosen := File{Country: jp, Region: "ap-northeast-3", Domain: "learn.example.jp", LicenceSecretArn: arn,
		CIDR: netip.MustParsePrefix("10.38.0.0/16"), Taken: Range{"Pulumi.dev.yaml", jp.VPCCIDR}}
	assert.Equal(t, [][2]string{{"aws:region", "ap-northeast-3"}, {"edstack:country", "jp"}, {"edstack:domain", "learn.example.jp"},
		{"edstack:vpcCidr", "10.38.0.0/16"}, {"edstack:cockroachLicenseSecretArn", arn}}, chosen.Values())
	text := chosen.Render()
	assert.Contains(t, text, "`go run . new-country jp --domain learn.example.jp --region ap-northeast-3 --licence-secret-arn "+arn+"`")
	assert.Contains(t, text, "# One of the country's allowed regions; its default is ap-northeast-1.\n  aws:region: ap-northeast-3\n")
	assert.Contains(t, text, "# The country's catalog range, 10.28.0.0/16, overlaps Pulumi.dev.yaml's 10.28.0.0/16.\n  edstack:vpcCidr: 10.38.0.0/16\n")
	assert.NotContains(t, text, "cockroachUnlicensed")
	assert.Empty(t, configDiff([]byte(text), chosen.Values()), "the file says what it was made from")
}

func TestConfigDiff(t *testing.T) {
	want := [][2]string{{"aws:region", "ap-northeast-1"}, {"edstack:country", "jp"}, {"edstack:domain", "learn.example.jp"},
		{"edstack:cockroachUnlicensed", "true"}}
	// What the checklist has the user do: pulumi stack init, the licence, alarms.
	followed := "secretsprovider: awskms://alias/state\nconfig:\n  aws:region: ap-northeast-1   # Tokyo\n  edstack:country: jp\n" +
		"  edstack:domain: learn.example.jp\n  edstack:cockroachLicenseSecretArn: arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:x\n" +
		"  edstack:alarmEmails:\n    - oncall@example.org\n"
	assert.Empty(t, configDiff([]byte(followed), want), "what the user adds after new-country is the file's own")
	other := "config:\n  aws:region: ap-northeast-3\n  edstack:country: jp\n"
	assert.Equal(t, []string{"sets aws:region to ap-northeast-3, not ap-northeast-1", "does not set edstack:domain"},
		configDiff([]byte(other), want))
	bad := configDiff([]byte("config: [\n"), want)
	require.Len(t, bad, 1)
	assert.Contains(t, bad[0], "is not valid YAML (yaml: ")
}

func TestSteps(t *testing.T) {
	no, yes := false, true
	base := Facts{Code: "jp", Region: "ap-northeast-1", Domain: "learn.example.jp", OptIn: &no, DNSSEC: true,
		ZoneURN: "urn:zone", SpotVCPU: 48}
	titles := func(steps []Step) []string {
		var out []string
		for _, s := range steps {
			out = append(out, s.Title)
		}
		return out
	}
	steps := Steps(base)
	// The order the issue asks for: region, state and secrets, licence, image, alarms, DNS.
	order := []string{"Enable the region", "Fargate quotas", "state backend and secrets provider", "licence", "image", "alarms",
		"Commit", "hosted zone first", "Deploy", "After the first pulumi up"}
	require.Len(t, steps, len(order))
	for i, want := range order {
		assert.Contains(t, steps[i].Title, want)
	}
	assert.True(t, steps[0].Done, "Tokyo is not opt-in")
	assert.Contains(t, steps[1].Why, "48 vCPUs on Fargate Spot")
	assert.Contains(t, steps[7].Commands[0], "pulumi up --target 'urn:zone'")
	assert.Contains(t, steps[9].Commands[0], "dsRecord")

	optIn := base
	optIn.OptIn = &yes
	assert.False(t, Steps(optIn)[0].Done)
	assert.Equal(t, "aws account enable-region --region-name ap-northeast-1", Steps(optIn)[0].Commands[0])

	settled := base
	settled.Licensed, settled.ImageMirrored, settled.Told, settled.ZoneURN, settled.DNSSEC = true, true, true, "", false
	got := Steps(settled)
	for _, i := range []int{3, 4, 5, 7} {
		assert.True(t, got[i].Done, got[i].Title)
		assert.Empty(t, got[i].Commands, got[i].Title)
	}
	assert.Contains(t, titles(got), "The records go to the existing zone (edstack:hostedZoneId)")
	assert.Empty(t, got[9].Commands, "no DS record without DNSSEC")
}

func TestReadmeRunbookIsGenerated(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	want, err := stacks.Between(string(b), runbookBegin, runbookEnd, Runbook())
	require.NoError(t, err)
	assert.Equal(t, want, string(b), "README.md's runbook: run `go generate ./stacks`")
	assert.Contains(t, Runbook(), "1. **If the region is opt-in")
}
