package stacks

import (
	"net/netip"
	"slices"
	"strings"

	// The catalog's time zones must resolve on any machine, including a
	// container image without /usr/share/zoneinfo.
	_ "time/tzdata"

	"edstack/components/edge"
)

// Country is what edstack knows about a country it deploys to, so that a
// country's stack file holds only what differs from these defaults. The
// catalog (countries.go) holds one entry per country, and nothing else in
// the project lists countries: adding a country is adding its entry.
type Country struct {
	Code string // ISO 3166-1 alpha-2, lowercase; also the stack name and name prefix
	Name string
	// Region is the default AWS region: one of Regions that runs every
	// service a stack uses (regions.csv), in the country where AWS has a
	// region there.
	Region string
	// Regions are the regions the country may deploy to (data residency);
	// any other region needs edstack:allowAnyRegion.
	Regions  []string
	TimeZone string       // IANA, where most of the country's students are
	VPCCIDR  netip.Prefix // default VPC range; no two countries overlap
	// PriceClass is the cheapest CloudFront price class with edge
	// locations in the country (edge.PriceClasses, cheapest first):
	// PriceClass_100 covers North America (the USA, Mexico and Canada,
	// one pricing region), Europe and Israel; PriceClass_200 adds Japan,
	// Korea, South and South-East Asia, the Middle East and Africa; only
	// PriceClass_All reaches South America, Australia and New Zealand
	// (CloudFront's pricing page).
	PriceClass string
	// Notes say why the regions are what they are, where that is a choice
	// (no region in the country, a region too new to be confirmed).
	Notes string
}

// LookupCountry returns the catalog entry of an ISO code.
func LookupCountry(code string) (Country, bool) {
	i := slices.IndexFunc(countries, func(c Country) bool { return c.Code == code })
	if i < 0 {
		return Country{}, false
	}
	return countries[i], true
}

// CountryCodes lists the catalog's countries, sorted.
func CountryCodes() []string {
	codes := make([]string, len(countries))
	for i, c := range countries {
		codes[i] = c.Code
	}
	slices.Sort(codes)
	return codes
}

// PriceClassServes reports whether a price class has edge locations in the
// country, so its students are served nearby: the country's own class or a
// larger one.
func PriceClassServes(class string, c Country) bool {
	have, need := slices.Index(edge.PriceClasses, class), slices.Index(edge.PriceClasses, c.PriceClass)
	return have >= 0 && need >= 0 && have >= need
}

// DefaultPriceClass is the cheapest class that serves the country.
func DefaultPriceClass(c Country) string { return c.PriceClass }

// Needs are the services a stack of cfg runs in its region: the request
// path always; the CockroachDB cluster's when it has nodes (Fargate Spot
// when any node runs on it); Aurora's when it is on.
func Needs(cfg Config) []Service {
	need := []Service{ServiceLambda, ServiceHTTPAPI, ServiceSQS, ServiceKMS, ServiceSecretManager}
	if c := cfg.Cockroach; c.Nodes > 0 {
		need = append(need, ServiceFargate, ServiceCloudMap, ServiceNLB)
		if c.OnDemandNodes < c.Nodes {
			need = append(need, ServiceFargateSpot)
		}
	}
	if cfg.Aurora != nil {
		need = append(need, ServiceAuroraV2)
	}
	return need
}

// RegionsRunning are the country's allowed regions that run every service
// of need, for a message that says where a stack could go instead.
func RegionsRunning(c Country, need []Service) []string {
	var out []string
	for _, name := range c.Regions {
		if r, ok := LookupRegion(name); ok {
			if missing, unconfirmed := r.Lacking(need); len(missing)+len(unconfirmed) == 0 {
				out = append(out, name)
			}
		}
	}
	return out
}

// orNone is a list for a message, or "none".
func orNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
