package stacks

import (
	"net/netip"
	"sort"
	"strings"
	// The catalog's time zones must resolve on any machine, including a
	// container image without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Country is what edstack knows about a country it deploys to, so that a
// country's stack file holds only what differs from these defaults.
type Country struct {
	Code string // ISO 3166-1 alpha-2, lowercase; also the stack name and name prefix
	Name string
	// Region is the default AWS region: one where Fargate Spot, Aurora
	// PostgreSQL, Lambda, API Gateway HTTP APIs and SQS all run.
	Region string
	// Regions are the regions the country may deploy to (data residency);
	// any other region needs edstack:allowAnyRegion.
	Regions  []string
	TimeZone string       // IANA, where most of the country's students are
	VPCCIDR  netip.Prefix // default VPC range; no two countries overlap
}

// Region is what edstack knows about an AWS region.
type Region struct {
	Name string
	// AZs are three availability zones of the region, used in this order.
	AZs []string
	// Zones are the letters of every zone the region has (us-east-1 has a
	// to f), against which a stack's own choice is checked.
	Zones string
}

// HasZone reports whether zone (e.g. "us-east-1d") is one of the region's.
func (r Region) HasZone(region, zone string) bool {
	letter, ok := strings.CutPrefix(zone, region)
	return ok && len(letter) == 1 && strings.Contains(r.Zones, letter)
}

// countries is the catalog. CIDRs are 10.<20+n>.0.0/16 so that any two
// country VPCs can be peered or joined to one transit gateway.
var countries = map[string]Country{
	"nz": {
		Code: "nz", Name: "New Zealand",
		// Auckland (ap-southeast-6) opened in September 2025, and a new region
		// gains services over months: Fargate Spot and Aurora PostgreSQL are
		// not known to run there yet. Sydney runs every service edstack uses,
		// at about 25 ms from New Zealand; set aws:region: ap-southeast-6 once
		// the services are confirmed there.
		Region:   "ap-southeast-2",
		Regions:  []string{"ap-southeast-2", "ap-southeast-6"},
		TimeZone: "Pacific/Auckland",
		VPCCIDR:  netip.MustParsePrefix("10.20.0.0/16"),
	},
	"au": {
		Code: "au", Name: "Australia",
		Region:   "ap-southeast-2",
		Regions:  []string{"ap-southeast-2", "ap-southeast-4"},
		TimeZone: "Australia/Sydney",
		VPCCIDR:  netip.MustParsePrefix("10.21.0.0/16"),
	},
	"gb": {
		Code: "gb", Name: "United Kingdom",
		Region:   "eu-west-2",
		Regions:  []string{"eu-west-2"},
		TimeZone: "Europe/London",
		VPCCIDR:  netip.MustParsePrefix("10.22.0.0/16"),
	},
	"ca": {
		Code: "ca", Name: "Canada",
		Region:   "ca-central-1",
		Regions:  []string{"ca-central-1", "ca-west-1"},
		TimeZone: "America/Toronto",
		VPCCIDR:  netip.MustParsePrefix("10.23.0.0/16"),
	},
	"us": {
		Code: "us", Name: "United States",
		Region:   "us-east-1",
		Regions:  []string{"us-east-1", "us-east-2", "us-west-2"},
		TimeZone: "America/New_York",
		VPCCIDR:  netip.MustParsePrefix("10.24.0.0/16"),
	},
	"sg": {
		Code: "sg", Name: "Singapore",
		Region:   "ap-southeast-1",
		Regions:  []string{"ap-southeast-1"},
		TimeZone: "Asia/Singapore",
		VPCCIDR:  netip.MustParsePrefix("10.25.0.0/16"),
	},
	"in": {
		Code: "in", Name: "India",
		Region:   "ap-south-1",
		Regions:  []string{"ap-south-1", "ap-south-2"},
		TimeZone: "Asia/Kolkata",
		VPCCIDR:  netip.MustParsePrefix("10.26.0.0/16"),
	},
}

// regions are the regions that countries may use. The zone names are the
// ones every account sees (ca-central-1 has no "c" zone; us-east-1 has a to
// f, us-west-2 a to d), as describe-availability-zones lists them.
var regions = map[string]Region{
	"ap-southeast-1": {Name: "Asia Pacific (Singapore)", AZs: azs("ap-southeast-1", "a", "b", "c"), Zones: "abc"},
	"ap-southeast-2": {Name: "Asia Pacific (Sydney)", AZs: azs("ap-southeast-2", "a", "b", "c"), Zones: "abc"},
	"ap-southeast-4": {Name: "Asia Pacific (Melbourne)", AZs: azs("ap-southeast-4", "a", "b", "c"), Zones: "abc"},
	"ap-southeast-6": {Name: "Asia Pacific (New Zealand)", AZs: azs("ap-southeast-6", "a", "b", "c"), Zones: "abc"},
	"ap-south-1":     {Name: "Asia Pacific (Mumbai)", AZs: azs("ap-south-1", "a", "b", "c"), Zones: "abc"},
	"ap-south-2":     {Name: "Asia Pacific (Hyderabad)", AZs: azs("ap-south-2", "a", "b", "c"), Zones: "abc"},
	"eu-west-2":      {Name: "Europe (London)", AZs: azs("eu-west-2", "a", "b", "c"), Zones: "abc"},
	"ca-central-1":   {Name: "Canada (Central)", AZs: azs("ca-central-1", "a", "b", "d"), Zones: "abd"},
	"ca-west-1":      {Name: "Canada West (Calgary)", AZs: azs("ca-west-1", "a", "b", "c"), Zones: "abc"},
	"us-east-1":      {Name: "US East (N. Virginia)", AZs: azs("us-east-1", "a", "b", "c"), Zones: "abcdef"},
	"us-east-2":      {Name: "US East (Ohio)", AZs: azs("us-east-2", "a", "b", "c"), Zones: "abc"},
	"us-west-2":      {Name: "US West (Oregon)", AZs: azs("us-west-2", "a", "b", "c"), Zones: "abcd"},
}

func azs(region string, letters ...string) []string {
	out := make([]string, len(letters))
	for i, l := range letters {
		out[i] = region + l
	}
	return out
}

// LookupCountry returns the catalog entry of an ISO code.
func LookupCountry(code string) (Country, bool) {
	c, ok := countries[code]
	return c, ok
}

// LookupRegion returns the catalog entry of a region.
func LookupRegion(name string) (Region, bool) {
	r, ok := regions[name]
	return r, ok
}

// CountryCodes lists the supported countries, sorted.
func CountryCodes() []string {
	codes := make([]string, 0, len(countries))
	for c := range countries {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// CatalogRegions are the regions the catalog knows, sorted: where a
// country may deploy without edstack:allowAnyRegion.
func CatalogRegions() []string {
	out := make([]string, 0, len(regions))
	for r := range regions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
