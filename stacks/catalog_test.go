package stacks

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/edge"
	"edstack/policy"
)

// Every entry is complete and consistent; the list itself is read from the
// catalog, never repeated here.
func TestCatalogCountries(t *testing.T) {
	codes := CountryCodes()
	require.GreaterOrEqual(t, len(codes), 12, "the catalog holds the large school markets")
	iso := regexp.MustCompile(`^[a-z]{2}$`)
	inFileOrder := make([]string, len(countries))
	for i, c := range countries {
		inFileOrder[i] = c.Code
	}
	assert.Equal(t, codes, inFileOrder, "countries.go lists its entries sorted by code, once each")

	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			c, ok := LookupCountry(code)
			require.True(t, ok)
			assert.Regexp(t, iso, c.Code)
			assert.NotEmpty(t, c.Name)
			assert.Contains(t, c.Regions, c.Region, "the default region must be an allowed region")
			assert.Len(t, slices.Compact(slices.Sorted(slices.Values(c.Regions))), len(c.Regions), "a region listed twice")
			for _, r := range c.Regions {
				_, ok := LookupRegion(r)
				assert.True(t, ok, "region %s has no row in regions.csv", r)
			}
			if reg, ok := LookupRegion(c.Region); ok {
				missing, unconfirmed := reg.Lacking(Services)
				assert.Empty(t, missing, "the default region %s must run every service a stack may use", c.Region)
				if len(unconfirmed) > 0 {
					assert.Contains(t, c.Notes, "not confirmed", "the default region %s is not confirmed to run %s: Notes must say why it is the default", c.Region, serviceList(unconfirmed))
				}
			}
			if c.Region != c.Regions[0] || len(RegionsRunning(c, Services)) < len(c.Regions) {
				assert.NotEmpty(t, c.Notes, "a country whose default is not its first region, or with a region that lacks a service, says why")
			}
			_, err := time.LoadLocation(c.TimeZone)
			assert.NoError(t, err, "time zone %s", c.TimeZone)
			assert.Equal(t, 16, c.VPCCIDR.Bits())
			assert.True(t, c.VPCCIDR.Addr().IsPrivate(), "%s is not a private range", c.VPCCIDR)
			assert.NoError(t, edge.CheckPriceClass(c.PriceClass))
			assert.Equal(t, c.PriceClass, DefaultPriceClass(c))
		})
	}
}

func TestCatalogCIDRsDoNotOverlap(t *testing.T) {
	for i, a := range countries {
		for _, b := range countries[i+1:] {
			assert.False(t, a.VPCCIDR.Overlaps(b.VPCCIDR), "%s %s overlaps %s %s", a.Code, a.VPCCIDR, b.Code, b.VPCCIDR)
		}
	}
}

// Every region the table holds is one some country may use, so the table
// (and the prices it forces) does not grow rows nobody reads.
func TestEveryRegionIsACountrysRegion(t *testing.T) {
	used := map[string]bool{}
	for _, c := range countries {
		for _, r := range c.Regions {
			used[r] = true
		}
	}
	for _, r := range CatalogRegions() {
		assert.True(t, used[r], "regions.csv has %s, which no country allows", r)
	}
}

func TestPriceClassServes(t *testing.T) {
	for _, tc := range []struct {
		country string // the cheapest class with edge locations there
		serves  []string
	}{
		{"PriceClass_100", []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}},
		{"PriceClass_200", []string{"PriceClass_200", "PriceClass_All"}},
		{"PriceClass_All", []string{"PriceClass_All"}},
	} {
		c := Country{Code: "xx", PriceClass: tc.country}
		for _, class := range edge.PriceClasses {
			assert.Equal(t, slices.Contains(tc.serves, class), PriceClassServes(class, c), "%s for a %s country", class, tc.country)
		}
		assert.False(t, PriceClassServes("PriceClass_300", c))
	}
}

func TestRegionTable(t *testing.T) {
	facts := RegionTableFacts()
	_, err := time.Parse(time.DateOnly, facts.Checked)
	assert.NoError(t, err)
	assert.NotEmpty(t, facts.Source)
	for name, r := range regions {
		t.Run(name, func(t *testing.T) {
			assert.Regexp(t, regionPattern, name)
			assert.NotEmpty(t, r.Name)
			require.Len(t, r.AZs, 3)
			for _, az := range r.AZs {
				assert.True(t, strings.HasPrefix(az, name), "%s is not in %s", az, name)
				assert.True(t, r.HasZone(name, az), "%s: the default zone %s is one of its zones", name, az)
			}
			assert.False(t, r.HasZone(name, name+"z"), name)
			assert.Len(t, r.Runs, len(Services))
		})
	}
}

func TestParseRegionsRefusesBadTables(t *testing.T) {
	head := "# checked: 2026-11-21\n# source: test\n" + regionsHeader + ",ecs_fargate,fargate_spot,lambda,http_api,sqs,cloud_map,nlb,aurora_pg_serverless_v2,kms,secrets_manager\n"
	good := "xx-test-1,Test,no,abc,yes,yes,yes,yes,yes,yes,yes,unconfirmed,yes,no\n"
	rs, facts, err := parseRegions(head + good)
	require.NoError(t, err)
	assert.Equal(t, RegionFacts{Checked: "2026-11-21", Source: "test"}, facts)
	assert.Equal(t, []string{"xx-test-1a", "xx-test-1b", "xx-test-1c"}, rs["xx-test-1"].AZs)
	missing, unconfirmed := rs["xx-test-1"].Lacking(Services)
	assert.Equal(t, []Service{ServiceSecretManager}, missing)
	assert.Equal(t, []Service{ServiceAuroraV2}, unconfirmed)

	for name, tc := range map[string]struct{ text, want string }{
		"no date":      {strings.Replace(head, "2026-11-21", "soon", 1) + good, "checked: YYYY-MM-DD"},
		"no source":    {strings.Replace(head, "# source: test\n", "", 1) + good, "source"},
		"header":       {strings.Replace(head, "lambda", "lambada", 1) + good, "the header must be"},
		"twice":        {head + good + good, "listed twice"},
		"two zones":    {head + strings.Replace(good, ",abc,", ",ab,", 1), `zones "ab"`},
		"zone order":   {head + strings.Replace(good, ",abc,", ",acb,", 1), `zones "acb"`},
		"opt-in":       {head + strings.Replace(good, ",no,", ",maybe,", 1), `opt_in "maybe"`},
		"support word": {head + strings.Replace(good, "unconfirmed", "soon", 1), `aurora_pg_serverless_v2 "soon"`},
	} {
		_, _, err := parseRegions(tc.text)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), tc.want, name)
		}
	}
}

// New Zealand deploys to Sydney by default: Auckland is not confirmed to
// run every service the stack uses. Auckland stays an allowed choice.
func TestNewZealandRegion(t *testing.T) {
	nz, _ := LookupCountry("nz")
	assert.Equal(t, "ap-southeast-2", nz.Region)
	assert.Contains(t, nz.Regions, "ap-southeast-6")
	assert.Equal(t, "Pacific/Auckland", nz.TimeZone)
	assert.NotEmpty(t, nz.Notes, "the choice of another country's region is explained")
}

func TestZonesEveryAccountSees(t *testing.T) {
	ca, _ := LookupRegion("ca-central-1")
	assert.Equal(t, []string{"ca-central-1a", "ca-central-1b", "ca-central-1d"}, ca.AZs)
	assert.False(t, ca.HasZone("ca-central-1", "ca-central-1c"), "ca-central-1 has no c")
	use1, _ := LookupRegion("us-east-1")
	assert.True(t, use1.HasZone("us-east-1", "us-east-1f"))
}

// The edge decides where CloudFront can log from its own list of the
// regions every account has; the table's opt-in column must agree, and the
// waiver of the unlogged distribution must name exactly the catalog's
// opt-in regions.
func TestOptInRegionsAgree(t *testing.T) {
	var optIn []string
	for _, name := range CatalogRegions() {
		r, _ := LookupRegion(name)
		assert.Equal(t, !r.OptIn, edge.CloudFrontLogsDelivered(name), "%s: regions.csv's opt_in and components/edge's list disagree", name)
		if r.OptIn {
			optIn = append(optIn, name)
		}
	}
	waivers, err := policy.LoadWaivers("..", policy.Pack(), "2026-11-21")
	require.NoError(t, err)
	found := false
	for _, w := range waivers {
		if w.Rule == "EDS-CF-3" && len(w.Regions) > 0 {
			found = true
			assert.ElementsMatch(t, optIn, w.Regions, "waivers.yaml: EDS-CF-3's regions are the catalog's opt-in regions")
		}
	}
	assert.True(t, found, "waivers.yaml waives EDS-CF-3 in opt-in regions")
}
