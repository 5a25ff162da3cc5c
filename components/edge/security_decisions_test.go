package edge

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policy "edstack/components/iam"
)

func TestCloudFrontLogsDelivered(t *testing.T) {
	tests := []struct {
		region string
		want   bool
		why    string
	}{
		{"ap-southeast-2", true, "Sydney, enabled by default"},
		{"us-east-1", true, "enabled by default"},
		{"eu-west-2", true, "enabled by default"},
		{"ca-central-1", true, "enabled by default"},
		{"ap-south-1", true, "enabled by default"},
		{"ap-northeast-3", true, "Osaka, enabled by default"},
		{"af-south-1", false, "documented"},
		{"ap-east-1", false, "documented"},
		{"eu-south-1", false, "documented"},
		{"me-south-1", false, "documented"},
		{"ap-southeast-6", false, "Auckland, opt-in (inferred)"},
		{"ap-southeast-4", false, "Melbourne, opt-in"},
		{"ap-southeast-3", false, "Jakarta, opt-in"},
		{"ap-southeast-5", false, "Malaysia, opt-in"},
		{"ap-southeast-7", false, "Thailand, opt-in"},
		{"ap-south-2", false, "Hyderabad, opt-in"},
		{"ap-east-2", false, "Taipei, opt-in"},
		{"ca-west-1", false, "Calgary, opt-in"},
		{"eu-central-2", false, "Zurich, opt-in"},
		{"eu-south-2", false, "Spain, opt-in"},
		{"il-central-1", false, "Tel Aviv, opt-in"},
		{"me-central-1", false, "UAE, opt-in"},
		{"mx-central-1", false, "Mexico, opt-in"},
		{"ap-southeast-9", false, "a future region is opt-in"},
		{"", false, "no region"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, CloudFrontLogsDelivered(tt.region), "%s: %s", tt.region, tt.why)
	}
	assert.Equal(t, "nz-edge-access-logs-abc1234.s3.amazonaws.com", CloudFrontLogBucket("nz-edge-access-logs-abc1234"))
}

func TestCheckWAFRateLimit(t *testing.T) {
	tests := []struct {
		limit int
		want  string
	}{
		{0, ""},
		{10, ""},
		{DefaultWAFRateLimit, ""},
		{MaxWAFRateLimit, ""},
		{1, "is below the 10 requests per 5 minutes"},
		{9, "use 0 to turn the web ACL off, or 10 or more"},
		{-1, "is negative"},
		{MaxWAFRateLimit + 1, "is above"},
	}
	for _, tt := range tests {
		err := CheckWAFRateLimit(tt.limit)
		if tt.want == "" {
			assert.NoError(t, err, tt.limit)
		} else {
			assert.ErrorContains(t, err, tt.want, tt.limit)
		}
	}
}

func TestWAFRules(t *testing.T) {
	assert.Empty(t, WAFRules(0), "0 turns the web ACL off")
	rules := WAFRules(500)
	require.Len(t, rules, 4)
	var groups []string
	rate := 0
	for i, r := range rules {
		assert.Equal(t, i, r.Priority, "priorities follow the order")
		assert.Regexp(t, `^[a-z-]+$`, r.Name)
		if r.RateLimit > 0 {
			rate++
			assert.Equal(t, 500, r.RateLimit)
			assert.Empty(t, r.ManagedGroup)
			continue
		}
		groups = append(groups, r.ManagedGroup)
	}
	assert.Equal(t, 1, rate, "one rate-based rule")
	assert.Equal(t, []string{IPReputationGroup, KnownBadInputsGroup, CommonRuleSetGroup}, groups)
	assert.Equal(t, []string{"SizeRestrictions_BODY"}, rules[3].Count, "GraphQL bodies over 8 KB")
	assert.Equal(t, 927, WAFCapacity(rules), "25 + 2 + 200 + 700, within the 1500 WAF prices as standard")

	assert.Equal(t, 0.0, WAFMonthlyUSD(0, 100))
	assert.InDelta(t, 9.0, WAFMonthlyUSD(DefaultWAFRateLimit, 0), 1e-9, "an ACL and four rules")
	assert.InDelta(t, 15.0, WAFMonthlyUSD(DefaultWAFRateLimit, 10), 1e-9, "plus $0.60 per million requests")
}

func TestQueryLogPolicy(t *testing.T) {
	assert.Equal(t, "/aws/route53/learn.example.au", QueryLogGroup("learn.example.au"))
	assert.Equal(t, "edstack-au-route53-query-logs", QueryLogPolicyName("au"))
	doc, err := policy.Parse(QueryLogPolicy("111122223333", "learn.example.au", "Z123").JSON())
	require.NoError(t, err)
	require.Len(t, doc.Statement, 1)
	s := doc.Statement[0]
	assert.Equal(t, "Allow", s.Effect)
	assert.Equal(t, map[string]any{"Service": "route53.amazonaws.com"}, s.Principal)
	assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents"}, s.Action)
	assert.Equal(t, []string{"arn:aws:logs:us-east-1:111122223333:log-group:/aws/route53/learn.example.au:*"}, s.Resource)
	assert.Equal(t, map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": "111122223333"},
		"ArnLike":      {"aws:SourceArn": "arn:aws:route53:::hostedzone/Z123"},
	}, s.Condition)
}

func TestDNSSECKeyPolicy(t *testing.T) {
	doc, err := policy.Parse(DNSSECKeyPolicy("111122223333").JSON())
	require.NoError(t, err)
	require.Len(t, doc.Statement, 3)
	sids := map[string]policy.Statement{}
	for _, s := range doc.Statement {
		assert.Equal(t, "Allow", s.Effect)
		assert.Equal(t, []string{"*"}, s.Resource, "a key policy names its key as *")
		sids[s.Sid] = s
	}
	root := sids["EnableIAMUserPermissions"]
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, root.Principal)
	assert.Equal(t, []string{"kms:*"}, root.Action)
	assert.Nil(t, root.Condition)

	sign := sids["AllowRoute53DNSSECService"]
	assert.Equal(t, map[string]any{"Service": "dnssec-route53.amazonaws.com"}, sign.Principal)
	assert.Equal(t, []string{"kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"}, sign.Action)
	assert.Equal(t, map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": "111122223333"},
		"ArnLike":      {"aws:SourceArn": "arn:aws:route53:::hostedzone/*"},
	}, sign.Condition)

	grant := sids["AllowRoute53DNSSECToCreateGrant"]
	assert.Equal(t, map[string]any{"Service": "dnssec-route53.amazonaws.com"}, grant.Principal)
	assert.Equal(t, []string{"kms:CreateGrant"}, grant.Action)
	assert.Equal(t, map[string]map[string]any{"Bool": {"kms:GrantIsForAWSResource": "true"}}, grant.Condition)

	assert.Regexp(t, regexp.MustCompile(`^[A-Za-z0-9_]{3,128}$`), KSKName, "Route53's KSK name rule")
}

func TestSettings(t *testing.T) {
	keys := map[string]bool{}
	for _, s := range Settings {
		assert.Empty(t, s.Check(), s.Key)
		assert.False(t, keys[s.Key], "%s declared twice", s.Key)
		keys[s.Key] = true
	}
	want := map[string]any{
		KeyWAFRateLimit:           20000,
		KeyAccessLogRetentionDays: 90,
		KeyDNSSEC:                 true,
	}
	for _, s := range Settings {
		if w, ok := want[s.Key]; ok {
			assert.Equal(t, w, s.Default, s.Key)
			delete(want, s.Key)
		}
		switch s.Key {
		case KeyWAFRateLimit:
			assert.Equal(t, 0, s.Min)
			assert.Equal(t, 2000000000, s.Max)
			assert.Contains(t, s.Accepted(), "`0` (no web ACL)")
			assert.Contains(t, s.Doc, "NAT")
		case KeyAccessLogRetentionDays:
			assert.Equal(t, 1, s.Min)
			assert.Equal(t, 3650, s.Max)
		}
	}
	assert.Empty(t, want, "settings not declared")
	assert.Equal(t, "edstack:wafRateLimit", KeyWAFRateLimit)
	assert.Equal(t, "edstack:accessLogRetentionDays", KeyAccessLogRetentionDays)
	assert.Equal(t, "edstack:dnssec", KeyDNSSEC)
}
