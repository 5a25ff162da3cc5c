package edge

// The WAF web ACL in front of the distribution: a per-IP rate limit and
// three AWS managed rule groups.

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Limits of the rate limit, in requests per WAFWindowSeconds per client IP.
const (
	// MinWAFRateLimit is the least a WAF rate-based rule counts.
	MinWAFRateLimit = 10
	// MaxWAFRateLimit is the most a WAF rate-based rule counts.
	MaxWAFRateLimit = 2000000000
	// DefaultWAFRateLimit is high because a school puts hundreds of
	// students behind one NAT address, who all load the site at the start
	// of a lesson.
	DefaultWAFRateLimit = 20000
)

// WAFWindowSeconds is the window the rate limit counts over: five minutes.
const WAFWindowSeconds = 300

// WAFScope is the scope of a web ACL that a CloudFront distribution uses;
// such an ACL lives in us-east-1.
const WAFScope = "CLOUDFRONT"

// AWS managed rule groups the web ACL runs.
const (
	// IPReputationGroup blocks addresses Amazon's threat intelligence
	// knows for bots and attacks.
	IPReputationGroup = "AWSManagedRulesAmazonIpReputationList"
	// KnownBadInputsGroup blocks request patterns of known exploits
	// (Log4j, Java deserialisation, ...).
	KnownBadInputsGroup = "AWSManagedRulesKnownBadInputsRuleSet"
	// CommonRuleSetGroup is AWS's baseline of the OWASP Top 10.
	CommonRuleSetGroup = "AWSManagedRulesCommonRuleSet"
	// BodySizeRule is the common rule set's rule that blocks request bodies
	// over 8 KB. The API takes GraphQL bodies that large, so it only counts.
	BodySizeRule = "SizeRestrictions_BODY"
)

// WAF prices in US dollars (us-east-1, for CloudFront).
const (
	// WAFACLMonthlyUSD is what a web ACL costs a month.
	WAFACLMonthlyUSD = 5.00
	// WAFRuleMonthlyUSD is what each rule of it costs a month.
	WAFRuleMonthlyUSD = 1.00
	// WAFMillionRequestsUSD is what a million requests inspected cost.
	WAFMillionRequestsUSD = 0.60
)

const (
	// wafManagedVendor publishes the managed rule groups.
	wafManagedVendor = "AWS"
	// wafStandardCapacity is the most capacity units a web ACL uses at the
	// standard request price.
	wafStandardCapacity = 1500
	// wafRateBasedWCUs is a plain rate-based rule's capacity units.
	wafRateBasedWCUs = 2
)

// CheckWAFRateLimit says what is wrong with a rate limit, or nil: 0 turns
// the web ACL off, otherwise WAF counts MinWAFRateLimit to MaxWAFRateLimit
// requests per five minutes.
func CheckWAFRateLimit(limit int) error {
	switch {
	case limit == 0:
		return nil
	case limit < 0:
		return fmt.Errorf("is negative; use 0 to turn the web ACL off, or %d to %d requests per 5 minutes", MinWAFRateLimit, MaxWAFRateLimit)
	case limit < MinWAFRateLimit:
		return fmt.Errorf("is below the %d requests per 5 minutes a WAF rate-based rule counts at least; use 0 to turn the web ACL off, or %d or more", MinWAFRateLimit, MinWAFRateLimit)
	case limit > MaxWAFRateLimit:
		return fmt.Errorf("is above the %d requests per 5 minutes a WAF rate-based rule counts at most", MaxWAFRateLimit)
	}
	return nil
}

// WAFRule is one rule of the web ACL: the per-IP rate limit, or an AWS
// managed rule group.
type WAFRule struct {
	// Name names the rule and, after the ACL's name, its metric.
	Name     string
	Priority int
	// RateLimit, when set, makes the rule block a client IP that sends more
	// requests than this in WAFWindowSeconds.
	RateLimit int
	// ManagedGroup is the AWS managed rule group the rule runs, when it is
	// one.
	ManagedGroup string
	// Count are rules of the group that only count instead of blocking.
	Count []string
	// WCU is the rule's share of the web ACL's capacity units.
	WCU int
}

// WAFRules are the web ACL's rules in priority order for a rate limit; none
// for 0 (no web ACL). Reputation first, the cheapest check; then the rate
// limit; then the groups that inspect requests.
func WAFRules(limit int) []WAFRule {
	if limit == 0 {
		return nil
	}
	return []WAFRule{
		{Name: "ip-reputation", Priority: 0, ManagedGroup: IPReputationGroup, WCU: 25},
		{Name: "rate-limit-per-ip", Priority: 1, RateLimit: limit, WCU: wafRateBasedWCUs},
		{Name: "known-bad-inputs", Priority: 2, ManagedGroup: KnownBadInputsGroup, WCU: 200},
		{Name: "common", Priority: 3, ManagedGroup: CommonRuleSetGroup, Count: []string{BodySizeRule}, WCU: 700},
	}
}

// WAFCapacity is the web capacity units the rules use; above 1500 WAF
// charges more per request.
func WAFCapacity(rules []WAFRule) int {
	n := 0
	for _, r := range rules {
		n += r.WCU
	}
	return n
}

// WAFMonthlyUSD is what the web ACL of a rate limit costs a month for
// millionRequests million requests; 0 without a web ACL.
func WAFMonthlyUSD(limit int, millionRequests float64) float64 {
	rules := WAFRules(limit)
	if len(rules) == 0 {
		return 0
	}
	return WAFACLMonthlyUSD + WAFRuleMonthlyUSD*float64(len(rules)) + WAFMillionRequestsUSD*millionRequests
}

// wafMetric is the CloudWatch metric name of the ACL (rule "") or a rule.
func (e *Edge) wafMetric(rule string) string {
	if rule == "" {
		return e.name("waf")
	}
	return e.name("waf-" + rule)
}

// firewall creates the web ACL in us-east-1, unless the rate limit is 0.
func (e *Edge) firewall(ctx *pulumi.Context) error {
	rules := WAFRules(e.args.WAFRateLimit)
	if len(rules) == 0 {
		e.WebACLArn = pulumi.String("").ToStringOutput()
		return nil
	}
	if c := WAFCapacity(rules); c > wafStandardCapacity {
		return fmt.Errorf("edge: web ACL needs %d capacity units, over the %d WAF prices as standard", c, wafStandardCapacity)
	}
	args := make(wafv2.WebAclRuleArray, len(rules))
	for i, r := range rules {
		args[i] = e.wafRule(r)
	}
	acl, err := wafv2.NewWebAcl(ctx, e.name("waf"), &wafv2.WebAclArgs{
		Description:      pulumi.String("edstack " + e.args.Prefix + ": in front of " + e.args.Domain),
		Scope:            pulumi.String(WAFScope),
		DefaultAction:    &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:            args,
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true), MetricName: pulumi.String(e.wafMetric("")), SampledRequestsEnabled: pulumi.Bool(true)},
		Tags:             e.args.Tags.Named(e.name("waf")),
	}, e.parent, e.inEast)
	if err != nil {
		return fmt.Errorf("edge: web ACL: %w", err)
	}
	e.webACL = acl
	e.WebACLArn = acl.Arn
	return nil
}

// wafRule turns a rule into the provider's input.
func (e *Edge) wafRule(r WAFRule) *wafv2.WebAclRuleArgs {
	out := &wafv2.WebAclRuleArgs{
		Name:     pulumi.String(r.Name),
		Priority: pulumi.Int(r.Priority),
		VisibilityConfig: &wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(e.wafMetric(r.Name)),
			SampledRequestsEnabled:   pulumi.Bool(true),
		},
	}
	if r.RateLimit > 0 {
		out.Action = &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}}
		out.Statement = &wafv2.WebAclRuleStatementArgs{
			RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
				Limit:               pulumi.Int(r.RateLimit),
				AggregateKeyType:    pulumi.String("IP"),
				EvaluationWindowSec: pulumi.Int(WAFWindowSeconds),
			},
		}
		return out
	}
	group := &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
		Name:       pulumi.String(r.ManagedGroup),
		VendorName: pulumi.String(wafManagedVendor),
	}
	if len(r.Count) > 0 {
		overrides := make(wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray, len(r.Count))
		for i, name := range r.Count {
			overrides[i] = &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs{
				Name: pulumi.String(name),
				ActionToUse: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs{
					Count: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs{},
				},
			}
		}
		group.RuleActionOverrides = overrides
	}
	out.OverrideAction = &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}}
	out.Statement = &wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: group}
	return out
}
