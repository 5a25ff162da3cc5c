package stacks

import "net/netip"

// countries is the catalog: one entry per country, sorted by code. Adding a
// country is adding its entry (the README's catalog table, Pulumi.yaml's
// accepted codes and the tests all read this list); its regions need rows
// in regions.csv and cost/prices.csv, which the tests name when missing.
//
// VPC ranges are 10.<20+n>.0.0/16, one per country, so that any two country
// VPCs can be peered or joined to one transit gateway; 10.90.0.0/16 and up
// are left for development stacks.
//
// Once a country has a stack, its VPC range is fixed: a stack file that
// leaves edstack:vpcCidr out takes it from here, and a new range replaces
// the VPC and everything in it, the database nodes and the protected load
// balancer included. Its price class may change (CloudFront updates in
// place); its default region matters only to new stack files, which write
// aws:region.
var countries = []Country{
	{
		Code: "au", Name: "Australia",
		Region:     "ap-southeast-2",
		Regions:    []string{"ap-southeast-2", "ap-southeast-4"},
		TimeZone:   "Australia/Sydney",
		VPCCIDR:    netip.MustParsePrefix("10.21.0.0/16"),
		PriceClass: "PriceClass_All",
	},
	{
		Code: "br", Name: "Brazil",
		Region:     "sa-east-1",
		Regions:    []string{"sa-east-1"},
		TimeZone:   "America/Sao_Paulo",
		VPCCIDR:    netip.MustParsePrefix("10.31.0.0/16"),
		PriceClass: "PriceClass_All",
	},
	{
		Code: "ca", Name: "Canada",
		Region:     "ca-central-1",
		Regions:    []string{"ca-central-1", "ca-west-1"},
		TimeZone:   "America/Toronto",
		VPCCIDR:    netip.MustParsePrefix("10.23.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "de", Name: "Germany",
		Region:     "eu-central-1",
		Regions:    []string{"eu-central-1"},
		TimeZone:   "Europe/Berlin",
		VPCCIDR:    netip.MustParsePrefix("10.29.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "fr", Name: "France",
		Region:     "eu-west-3",
		Regions:    []string{"eu-west-3"},
		TimeZone:   "Europe/Paris",
		VPCCIDR:    netip.MustParsePrefix("10.30.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "gb", Name: "United Kingdom",
		Region:     "eu-west-2",
		Regions:    []string{"eu-west-2"},
		TimeZone:   "Europe/London",
		VPCCIDR:    netip.MustParsePrefix("10.22.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "id", Name: "Indonesia",
		Region:     "ap-southeast-3",
		Regions:    []string{"ap-southeast-3"},
		TimeZone:   "Asia/Jakarta",
		VPCCIDR:    netip.MustParsePrefix("10.33.0.0/16"),
		PriceClass: "PriceClass_200",
	},
	{
		Code: "ie", Name: "Ireland",
		Region:     "eu-west-1",
		Regions:    []string{"eu-west-1"},
		TimeZone:   "Europe/Dublin",
		VPCCIDR:    netip.MustParsePrefix("10.27.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "in", Name: "India",
		Region:     "ap-south-1",
		Regions:    []string{"ap-south-1", "ap-south-2"},
		TimeZone:   "Asia/Kolkata",
		VPCCIDR:    netip.MustParsePrefix("10.26.0.0/16"),
		PriceClass: "PriceClass_200",
	},
	{
		Code: "jp", Name: "Japan",
		Region:     "ap-northeast-1",
		Regions:    []string{"ap-northeast-1", "ap-northeast-3"},
		TimeZone:   "Asia/Tokyo",
		VPCCIDR:    netip.MustParsePrefix("10.28.0.0/16"),
		PriceClass: "PriceClass_200",
	},
	{
		Code: "kr", Name: "South Korea",
		Region:     "ap-northeast-2",
		Regions:    []string{"ap-northeast-2"},
		TimeZone:   "Asia/Seoul",
		VPCCIDR:    netip.MustParsePrefix("10.32.0.0/16"),
		PriceClass: "PriceClass_200",
	},
	{
		Code: "mx", Name: "Mexico",
		Region:     "us-east-2",
		Regions:    []string{"us-east-2", "mx-central-1"},
		TimeZone:   "America/Mexico_City",
		VPCCIDR:    netip.MustParsePrefix("10.35.0.0/16"),
		PriceClass: "PriceClass_100",
		Notes: "Mexico (Central), mx-central-1, does not run API Gateway HTTP APIs, which the request path " +
			"needs (regions.csv), so a stack there is refused; Ohio runs everything. Set " +
			"aws:region: mx-central-1 once HTTP APIs run there.",
	},
	{
		Code: "nl", Name: "Netherlands",
		Region:     "eu-central-1",
		Regions:    []string{"eu-central-1", "eu-west-1"},
		TimeZone:   "Europe/Amsterdam",
		VPCCIDR:    netip.MustParsePrefix("10.36.0.0/16"),
		PriceClass: "PriceClass_100",
		Notes: "AWS has no region in the Netherlands: Frankfurt is the nearest (about 8 ms from Amsterdam) " +
			"and keeps data in the EU; Ireland is allowed too.",
	},
	{
		Code: "nz", Name: "New Zealand",
		Region:     "ap-southeast-2",
		Regions:    []string{"ap-southeast-2", "ap-southeast-6"},
		TimeZone:   "Pacific/Auckland",
		VPCCIDR:    netip.MustParsePrefix("10.20.0.0/16"),
		PriceClass: "PriceClass_All",
		Notes: "Auckland (ap-southeast-6) opened in September 2025 and is not confirmed to run ECS on Fargate, " +
			"Fargate Spot or HTTP APIs (regions.csv); Sydney runs everything, at about 25 ms. Set " +
			"aws:region: ap-southeast-6 once they are confirmed.",
	},
	{
		Code: "ph", Name: "Philippines",
		Region:     "ap-southeast-1",
		Regions:    []string{"ap-southeast-1"},
		TimeZone:   "Asia/Manila",
		VPCCIDR:    netip.MustParsePrefix("10.37.0.0/16"),
		PriceClass: "PriceClass_200",
		Notes:      "AWS has no region in the Philippines: Singapore is the nearest (about 35 ms from Manila).",
	},
	{
		Code: "sg", Name: "Singapore",
		Region:     "ap-southeast-1",
		Regions:    []string{"ap-southeast-1"},
		TimeZone:   "Asia/Singapore",
		VPCCIDR:    netip.MustParsePrefix("10.25.0.0/16"),
		PriceClass: "PriceClass_200",
	},
	{
		Code: "us", Name: "United States",
		Region:     "us-east-1",
		Regions:    []string{"us-east-1", "us-east-2", "us-west-2"},
		TimeZone:   "America/New_York",
		VPCCIDR:    netip.MustParsePrefix("10.24.0.0/16"),
		PriceClass: "PriceClass_100",
	},
	{
		Code: "za", Name: "South Africa",
		Region:     "af-south-1",
		Regions:    []string{"af-south-1"},
		TimeZone:   "Africa/Johannesburg",
		VPCCIDR:    netip.MustParsePrefix("10.34.0.0/16"),
		PriceClass: "PriceClass_200",
		Notes: "HTTP APIs are not confirmed in Cape Town (regions.csv), so its plan warns; the nearest " +
			"region confirmed to run everything is in Europe, about 160 ms away, too far for a default.",
	},
}
