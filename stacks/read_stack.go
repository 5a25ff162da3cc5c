package stacks

// Reading the keys of the stack itself: country, region, names, network.

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/keys"
	"edstack/components/logs"
	"edstack/components/network"
	"edstack/cost"
)

// KeyStackName stands for the stack's name in problems: not a config key,
// but it names every resource.
const KeyStackName = "stack name"

var prefixPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// stackName checks the name prefix the stack gives its resources
// (Config.Prefix) against the rules of the names it feeds.
func (r reader) stackName(cfg Config) {
	prefix := cfg.Prefix()
	switch {
	case !prefixPattern.MatchString(prefix):
		r.ps.add(KeyStackName, cfg.Stack, "makes the resource name prefix %q; use lowercase letters, digits and single hyphens "+
			"(load balancer, target group and S3 bucket names take nothing else), e.g. dev or loadtest", prefix)
	default:
		if err := cockroach.CheckPrefix(prefix); err != nil {
			r.ps.add(KeyStackName, cfg.Stack, "makes the resource name prefix %q, which %s: use a stack name of at most %d characters",
				prefix, err, cockroach.MaxPrefix()-len(cfg.Country.Code)-1)
		}
	}
}

func (r reader) country() (Country, bool) {
	codes := strings.Join(CountryCodes(), ", ")
	v, ok := r.required(KeyCountry, "set it to the ISO code of the country this stack serves: one of "+codes)
	if !ok {
		return Country{}, false
	}
	c, found := LookupCountry(v)
	if !found {
		r.ps.add(KeyCountry, v, "is not a supported country; use one of %s (lowercase ISO 3166-1 codes)", codes)
	}
	return c, found
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$`)

// region returns aws:region and whether it is one the stack may use.
func (r reader) region(country Country, countryOK bool) (string, bool) {
	want := "set it to the AWS region of this stack"
	if countryOK {
		want = fmt.Sprintf("set it to %s, the default region of %s", country.Region, country.Name)
	}
	allowAny := r.boolean(KeyAllowAnyRegion)
	v, ok := r.required(KeyRegion, want)
	if !ok {
		return "", false
	}
	if !regionPattern.MatchString(v) {
		r.ps.add(KeyRegion, v, "is not an AWS region name (e.g. ap-southeast-2)")
		return v, false
	}
	if countryOK && !allowAny && !slices.Contains(country.Regions, v) {
		r.ps.add(KeyRegion, v, "is not a region %s deploys to; use one of %s, or set %s: true to deploy there anyway",
			country.Name, strings.Join(country.Regions, ", "), KeyAllowAnyRegion)
		return v, false
	}
	return v, countryOK
}

func (r reader) domain() string {
	v, ok := r.required(KeyDomain, "set it to the domain the country's site is served at, e.g. learn.example.nz")
	if !ok {
		return ""
	}
	if err := edge.CheckDomain(v); err != nil {
		r.ps.add(KeyDomain, v, "%s", err)
	}
	return v
}

func (r reader) cidr(country Country) netip.Prefix {
	v, ok := r.declared(KeyVPCCIDR)
	if !ok {
		return netip.Prefix{}
	}
	if v == "" {
		return country.VPCCIDR // the catalog's; invalid only when the country is
	}
	p, err := network.ParseVPCCIDR(v)
	if err != nil {
		r.ps.add(KeyVPCCIDR, v, "%s", err)
	}
	return p
}

// azs reads the zones; they are checked only against a region the stack
// may use, so a wrong region is reported once, not twice.
func (r reader) azs(region string, regionOK bool) []string {
	v, ok := r.declared(KeyAZs)
	if !ok || !regionOK {
		return nil
	}
	var zones []string
	if err := json.Unmarshal([]byte(v), &zones); err != nil {
		r.ps.add(KeyAZs, v, "is not a list of zone names; use e.g. [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c], or [] for the region's default")
		return nil
	}
	if len(zones) == 0 {
		reg, known := LookupRegion(region)
		if !known {
			r.ps.add(KeyAZs, v, "is empty, and edstack's catalog has no zones for %s; list three zones of that region", region)
			return nil
		}
		return reg.AZs
	}
	if len(zones) != 3 {
		r.ps.add(KeyAZs, v, "lists %d zones; a stack spans exactly 3, so that the database survives the loss of one", len(zones))
		return nil
	}
	seen := map[string]bool{}
	reg, known := LookupRegion(region)
	for _, z := range zones {
		if !strings.HasPrefix(z, region) || len(z) != len(region)+1 || z[len(z)-1] < 'a' || z[len(z)-1] > 'z' {
			r.ps.add(KeyAZs, v, "holds %q, which is not a zone of %s (e.g. %sa)", z, region, region)
			return nil
		}
		if known && !reg.HasZone(region, z) {
			r.ps.add(KeyAZs, v, "holds %q, which %s does not have; its zones are %s", z, region, strings.Join(azs(region, strings.Split(reg.Zones, "")...), ", "))
			return nil
		}
		if seen[z] {
			r.ps.add(KeyAZs, v, "lists %s twice; use three different zones", z)
			return nil
		}
		seen[z] = true
	}
	return zones
}

func (r reader) nat() network.NATMode {
	v, ok := r.declared(KeyNATGateways)
	if !ok {
		return ""
	}
	for _, m := range network.NATModes {
		if string(m) == v {
			return m
		}
	}
	r.ps.add(KeyNATGateways, v, "is not a NAT mode; use %q (one gateway, for development) or %q (one per zone, for countries)",
		network.NATSingle, network.NATPerAZ)
	return ""
}

func (r reader) logRetention() int {
	v, ok := r.declared(KeyLogRetentionDays)
	if !ok {
		return 0
	}
	days, err := strconv.Atoi(v)
	if err != nil || !logs.ValidRetention(days) {
		r.ps.add(KeyLogRetentionDays, v, "is not a retention CloudWatch accepts; use one of %s", logs.RetentionChoices())
		return 0
	}
	return days
}

func (r reader) database() string {
	v, ok := r.declared(KeyDatabase)
	if ok && !slices.Contains(Databases, v) {
		r.ps.add(KeyDatabase, v, "is not a database edstack runs; use %s", strings.Join(Databases, ", "))
		return ""
	}
	return v
}

// kmsKey reads an existing key to use; its region is checked only against
// a region the stack may use, so a wrong region is reported once.
func (r reader) kmsKey(region string, regionOK bool) string {
	v, ok := r.declared(KeyKMSKeyArn)
	if !ok || v == "" {
		return ""
	}
	if !regionOK {
		region = ""
	}
	if err := keys.CheckArn(v, region); err != nil {
		r.ps.add(KeyKMSKeyArn, v, "%s; or leave it empty for the country's own key", err)
	}
	return v
}

// cost reads what the cost estimate assumes.
func (r reader) cost() CostConfig {
	var c CostConfig
	c.SpotDiscountPercent, _ = r.integer(KeySpotDiscount)
	v, _ := r.declared(KeyCostUsage)
	u, err := cost.ParseUsage(v)
	if err != nil {
		r.ps.add(KeyCostUsage, v, "%s", err)
	}
	c.Usage = u
	return c
}

// services refuses a region that does not run a service the stack needs,
// naming it, and returns a warning for each it is not confirmed to run.
func (r reader) services(cfg Config) []string {
	need := Needs(cfg)
	facts := RegionTableFacts()
	reg, known := LookupRegion(cfg.Region)
	if !known {
		return []string{fmt.Sprintf("%s: %s is not in edstack's region table (stacks/regions.csv), so whether it runs %s is unconfirmed; "+
			"check AWS's list of services by region before pulumi up", KeyRegion, cfg.Region, serviceList(need))}
	}
	missing, unconfirmed := reg.Lacking(need)
	if len(missing) > 0 {
		elsewhere := slices.DeleteFunc(RegionsRunning(cfg.Country, need), func(s string) bool { return s == cfg.Region })
		r.ps.add(KeyRegion, cfg.Region, "does not run %s, which this stack needs (stacks/regions.csv, checked %s); use a region of %s that does: %s",
			serviceList(missing), facts.Checked, cfg.Country.Name, orNone(elsewhere))
	}
	if len(unconfirmed) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: %s is not confirmed to run %s (stacks/regions.csv, checked %s): pulumi up fails where it creates them if it does not; "+
		"confirm it in AWS's list of services by region, then mark them yes in stacks/regions.csv", KeyRegion, cfg.Region, serviceList(unconfirmed), facts.Checked)}
}
