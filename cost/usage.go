package cost

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Assumption is one quantity of the usage profile: what a month of use
// looks like, where the resources' settings cannot say.
type Assumption struct {
	Key     string
	Default float64
	Unit    string
	What    string
}

// Assumptions are the usage profile's quantities and their defaults: a
// school-year month for a country the size of New Zealand (about 150,000
// students active in a month, most of them in school hours).
var Assumptions = []Assumption{
	{"apiRequests", 30e6, "requests", "HTTP API requests (each one API function invocation and one origin check, cached 300 s)"},
	{"apiDurationMs", 150, "ms", "average API function duration"},
	{"jobs", 1e6, "jobs", "work-queue jobs, each one worker invocation"},
	{"jobDurationMs", 5000, "ms", "average worker duration"},
	{"cdnGB", 2000, "GB", "CloudFront data to viewers"},
	{"cdnRequests", 60e6, "requests", "CloudFront requests (WAF inspects each)"},
	{"natGB", 200, "GB", "data through the NAT gateways (image pulls, AWS APIs without endpoints)"},
	{"userContentGB", 500, "GB", "user uploads stored"},
	{"userContentPuts", 2e6, "requests", "uploads and other PUTs to user content"},
	{"userContentGets", 10e6, "requests", "reads of user content"},
	{"backupGB", 1500, "GB", "CockroachDB backups stored (35 days of daily full and hourly incremental)"},
	{"staticGB", 2, "GB", "the web app's files"},
	{"accessLogGB", 50, "GB", "access logs stored (CloudFront and S3)"},
	{"logsGB", 100, "GB", "CloudWatch Logs ingested from functions, the API and the nodes"},
	{"flowLogsGB", 50, "GB", "VPC flow logs ingested"},
	{"queryLogsGB", 2, "GB", "Route 53 query logs ingested"},
	{"dnsQueries", 1e6, "queries", "Route 53 queries that are not alias queries (aliases to CloudFront are free)"},
	{"secretCalls", 3e6, "calls", "Secrets Manager calls (function cold starts, task starts)"},
	{"kmsRequests", 5e6, "requests", "KMS requests (data keys, decrypts; S3 Bucket Keys and SQS key reuse keep them low)"},
	{"sqsRequests", 5e6, "requests", "SQS requests (send, receive and delete per job, plus the event source's polling)"},
	{"nlbLCU", 1, "LCU", "average NLB capacity units"},
	{"traces", 2e6, "traces", "X-Ray traces recorded (sampling: 1 a second and 5% beyond)"},
	{"auroraExtraACUHours", 0, "ACU-hours", "Aurora capacity above every instance's minimum (0: priced at the minimum)"},
	{"auroraGB", 100, "GB", "Aurora storage"},
	{"auroraIOMillions", 100, "million I/O", "Aurora I/O requests"},
	{"imageGB", 1, "GB", "CockroachDB image cached in ECR (pull-through cache only)"},
}

// Usage is a usage profile: every Assumption's value.
type Usage map[string]float64

// DefaultUsage is the profile with every default.
func DefaultUsage() Usage {
	u := Usage{}
	for _, a := range Assumptions {
		u[a.Key] = a.Default
	}
	return u
}

// ParseUsage reads overrides onto the defaults: comma-separated
// key=number pairs of Assumption keys and non-negative numbers, e.g.
// "apiRequests=50000000, cdnGB=4000". It names every unknown key and bad
// value at once.
func ParseUsage(text string) (Usage, error) {
	u := DefaultUsage()
	var problems []string
	for _, pair := range strings.Split(text, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		n, err := strconv.ParseFloat(v, 64)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%q is not key=number (e.g. apiRequests=50000000)", pair))
		case !slices.ContainsFunc(Assumptions, func(a Assumption) bool { return a.Key == k }):
			problems = append(problems, fmt.Sprintf("%q is not a usage quantity (use %s)", k, strings.Join(assumptionKeys(), ", ")))
		case err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n):
			problems = append(problems, fmt.Sprintf("%s: %q is not a non-negative number", k, v))
		default:
			u[k] = n
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return u, nil
}

func assumptionKeys() []string {
	out := make([]string, len(Assumptions))
	for i, a := range Assumptions {
		out[i] = a.Key
	}
	return out
}
