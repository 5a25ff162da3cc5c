package stacks

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Region is what edstack knows about an AWS region: its zones, whether an
// account must opt in to it, and which of the services a stack uses run
// there. The facts live in regions.csv, dated and sourced.
type Region struct {
	Name string
	// OptIn: the region is off in a new account until enabled (AWS's
	// regions opened after March 2019).
	OptIn bool
	// AZs are three availability zones of the region, used in this order.
	AZs []string
	// Zones are the letters of every zone the region has (us-east-1 has a
	// to f), against which a stack's own choice is checked.
	Zones string
	// Runs says, per service, whether it runs in the region.
	Runs map[Service]Support
}

// Service is an AWS service that a country stack needs in its region.
type Service string

// The services a stack needs in its region, as regions.csv's columns name
// them. CloudFront, ACM, Route 53 and WAF are global or in us-east-1.
const (
	ServiceFargate       Service = "ecs_fargate"
	ServiceFargateSpot   Service = "fargate_spot"
	ServiceLambda        Service = "lambda"
	ServiceHTTPAPI       Service = "http_api"
	ServiceSQS           Service = "sqs"
	ServiceCloudMap      Service = "cloud_map"
	ServiceNLB           Service = "nlb"
	ServiceAuroraV2      Service = "aurora_pg_serverless_v2"
	ServiceKMS           Service = "kms"
	ServiceSecretManager Service = "secrets_manager"
)

// Services lists every service the table records, in its column order.
var Services = []Service{ServiceFargate, ServiceFargateSpot, ServiceLambda, ServiceHTTPAPI, ServiceSQS,
	ServiceCloudMap, ServiceNLB, ServiceAuroraV2, ServiceKMS, ServiceSecretManager}

var serviceNames = map[Service]string{
	ServiceFargate:       "ECS on Fargate",
	ServiceFargateSpot:   "Fargate Spot",
	ServiceLambda:        "Lambda",
	ServiceHTTPAPI:       "API Gateway HTTP APIs",
	ServiceSQS:           "SQS",
	ServiceCloudMap:      "Cloud Map",
	ServiceNLB:           "Network Load Balancers",
	ServiceAuroraV2:      "Aurora PostgreSQL Serverless v2",
	ServiceKMS:           "KMS",
	ServiceSecretManager: "Secrets Manager",
}

// String is the service's name as AWS's documentation gives it.
func (s Service) String() string { return serviceNames[s] }

// Support is whether a service runs in a region.
type Support string

// What regions.csv records per service.
const (
	Runs        Support = "yes"
	DoesNotRun  Support = "no"
	Unconfirmed Support = "unconfirmed"
)

// RegionFacts are where the region table comes from and when it was
// checked, for the README and for warnings.
type RegionFacts struct {
	Checked string // YYYY-MM-DD
	Source  string
}

//go:embed regions.csv
var regionsCSV string

// regions and regionFacts are parsed once from regions.csv; a malformed
// table stops the program at start, and TestRegionTable names the line.
var regions, regionFacts = mustParseRegions(regionsCSV)

func mustParseRegions(text string) (map[string]Region, RegionFacts) {
	rs, facts, err := parseRegions(text)
	if err != nil {
		panic(err)
	}
	return rs, facts
}

const regionsHeader = "region,name,opt_in,zones"

// parseRegions reads the region table: '#' lines carry "checked:" and
// "source:", then a header row and one row per region.
func parseRegions(text string) (map[string]Region, RegionFacts, error) {
	var facts RegionFacts
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "#"), ":"); ok && strings.HasPrefix(line, "#") {
			switch strings.TrimSpace(k) {
			case "checked":
				facts.Checked = strings.TrimSpace(v)
			case "source":
				facts.Source = strings.TrimSpace(facts.Source + " " + strings.TrimSpace(v))
			}
		}
	}
	if _, err := time.Parse(time.DateOnly, facts.Checked); err != nil {
		return nil, facts, fmt.Errorf("regions.csv: want a '# checked: YYYY-MM-DD' line, have %q", facts.Checked)
	}
	if facts.Source == "" {
		return nil, facts, fmt.Errorf("regions.csv: want a '# source: ...' line")
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comment = '#'
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, facts, fmt.Errorf("regions.csv: %w", err)
	}
	want := regionsHeader
	for _, s := range Services {
		want += "," + string(s)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != want {
		return nil, facts, fmt.Errorf("regions.csv: the header must be %s", want)
	}
	out := map[string]Region{}
	for i, row := range rows[1:] {
		line := fmt.Sprintf("regions.csv row %d (%s)", i+2, row[0])
		if _, dup := out[row[0]]; dup {
			return nil, facts, fmt.Errorf("%s: region listed twice", line)
		}
		zones := row[3]
		if len(zones) < 3 || !sortedLetters(zones) {
			return nil, facts, fmt.Errorf("%s: zones %q: want at least three distinct letters in order, e.g. abc", line, zones)
		}
		if row[2] != "yes" && row[2] != "no" {
			return nil, facts, fmt.Errorf("%s: opt_in %q: use yes or no", line, row[2])
		}
		r := Region{Name: row[1], OptIn: row[2] == "yes", Zones: zones, AZs: azs(row[0], strings.Split(zones[:3], "")...),
			Runs: map[Service]Support{}}
		for j, s := range Services {
			v := Support(row[4+j])
			if v != Runs && v != DoesNotRun && v != Unconfirmed {
				return nil, facts, fmt.Errorf("%s: %s %q: use yes, no or unconfirmed", line, string(s), v)
			}
			r.Runs[s] = v
		}
		out[row[0]] = r
	}
	return out, facts, nil
}

func sortedLetters(s string) bool {
	for i := range len(s) {
		if s[i] < 'a' || s[i] > 'z' || (i > 0 && s[i] <= s[i-1]) {
			return false
		}
	}
	return true
}

func azs(region string, letters ...string) []string {
	out := make([]string, len(letters))
	for i, l := range letters {
		out[i] = region + l
	}
	return out
}

// HasZone reports whether zone (e.g. "us-east-1d") is one of the region's.
func (r Region) HasZone(region, zone string) bool {
	letter, ok := strings.CutPrefix(zone, region)
	return ok && len(letter) == 1 && strings.Contains(r.Zones, letter)
}

// Lacking are the services of need that the region does not run, and those
// it is not confirmed to run.
func (r Region) Lacking(need []Service) (missing, unconfirmed []Service) {
	for _, s := range need {
		switch r.Runs[s] {
		case DoesNotRun:
			missing = append(missing, s)
		case Unconfirmed:
			unconfirmed = append(unconfirmed, s)
		}
	}
	return missing, unconfirmed
}

// LookupRegion returns the table's entry of a region.
func LookupRegion(name string) (Region, bool) {
	r, ok := regions[name]
	return r, ok
}

// CatalogRegions are the regions the table knows, sorted: every region a
// catalog country may deploy to, and no other.
func CatalogRegions() []string {
	out := make([]string, 0, len(regions))
	for r := range regions {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// RegionTableFacts says where the region table comes from and when it was
// checked.
func RegionTableFacts() RegionFacts { return regionFacts }

// serviceList names services for a message: "Fargate Spot and Cloud Map".
func serviceList(ss []Service) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.String()
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
