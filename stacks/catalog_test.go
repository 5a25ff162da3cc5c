package stacks

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogCountries(t *testing.T) {
	codes := CountryCodes()
	require.Subset(t, codes, []string{"nz", "au", "gb", "ca", "us", "sg", "in"})
	iso := regexp.MustCompile(`^[a-z]{2}$`)

	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			c, ok := LookupCountry(code)
			require.True(t, ok)
			assert.Equal(t, code, c.Code)
			assert.Regexp(t, iso, c.Code)
			assert.NotEmpty(t, c.Name)
			assert.Contains(t, c.Regions, c.Region, "the default region must be an allowed region")
			for _, r := range c.Regions {
				reg, ok := LookupRegion(r)
				if assert.True(t, ok, "region %s has no catalog entry", r) {
					assert.Len(t, reg.AZs, 3)
				}
			}
			_, err := time.LoadLocation(c.TimeZone)
			assert.NoError(t, err, "time zone %s", c.TimeZone)
			assert.Equal(t, 16, c.VPCCIDR.Bits())
			assert.True(t, c.VPCCIDR.Addr().IsPrivate(), "%s is not a private range", c.VPCCIDR)
		})
	}
}

func TestCatalogCIDRsDoNotOverlap(t *testing.T) {
	codes := CountryCodes()
	for i, a := range codes {
		for _, b := range codes[i+1:] {
			ca, _ := LookupCountry(a)
			cb, _ := LookupCountry(b)
			assert.False(t, ca.VPCCIDR.Overlaps(cb.VPCCIDR), "%s %s overlaps %s %s", a, ca.VPCCIDR, b, cb.VPCCIDR)
		}
	}
}

func TestCatalogRegionZones(t *testing.T) {
	for name, r := range regions {
		t.Run(name, func(t *testing.T) {
			assert.NotEmpty(t, r.Name)
			require.Len(t, r.AZs, 3)
			for _, az := range r.AZs {
				assert.True(t, strings.HasPrefix(az, name), "%s is not in %s", az, name)
				assert.Len(t, az, len(name)+1)
			}
			assert.Len(t, slices.Compact(slices.Clone(r.AZs)), 3, "zones repeat")
		})
	}
	// ca-central-1 has no "c" zone.
	ca, _ := LookupRegion("ca-central-1")
	assert.Equal(t, []string{"ca-central-1a", "ca-central-1b", "ca-central-1d"}, ca.AZs)
}

// New Zealand deploys to Sydney by default: Auckland is too new to be known
// to run every service the stack uses. Auckland stays an allowed choice.
func TestNewZealandRegion(t *testing.T) {
	nz, _ := LookupCountry("nz")
	assert.Equal(t, "ap-southeast-2", nz.Region)
	assert.Contains(t, nz.Regions, "ap-southeast-6")
	assert.Equal(t, "Pacific/Auckland", nz.TimeZone)
}

func TestRegionZones(t *testing.T) {
	for name, r := range regions {
		for _, z := range r.AZs {
			assert.True(t, r.HasZone(name, z), "%s: the default zone %s is one of its zones", name, z)
		}
		assert.False(t, r.HasZone(name, name+"z"), name)
	}
	ca, _ := LookupRegion("ca-central-1")
	assert.False(t, ca.HasZone("ca-central-1", "ca-central-1c"), "ca-central-1 has no c")
	use1, _ := LookupRegion("us-east-1")
	assert.True(t, use1.HasZone("us-east-1", "us-east-1f"))
}
