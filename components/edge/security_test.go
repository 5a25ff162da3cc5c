package edge_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/edge"
	"edstack/components/iam"
	"edstack/components/storage"
	"edstack/plan/engine"
)

// eastRef is how resources managed by the us-east-1 provider name it.
func eastRef(t *testing.T, res *engine.Result) string {
	t.Helper()
	east := res.Named(providerType, "nz-us-east-1")
	require.NotNil(t, east)
	require.Equal(t, "us-east-1", east.Input("region"))
	return east.URN + "::" + east.ID
}

func TestWebACL(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", WAFRateLimit: 1234})
	acls := res.OfType(webACLType)
	require.Len(t, acls, 1)
	acl := acls[0]
	assert.Equal(t, "nz-edge-waf", acl.Name)
	assert.Equal(t, eastRef(t, res), acl.Provider, "a CloudFront web ACL lives in us-east-1")
	assert.Regexp(t, `^arn:aws:wafv2:us-east-1:`, acl.State["arn"].StringValue())
	assert.Equal(t, "CLOUDFRONT", acl.Input("scope"))
	assert.Equal(t, map[string]any{"allow": map[string]any{}}, acl.Input("defaultAction"))
	assert.Equal(t, map[string]any{"cloudwatchMetricsEnabled": true, "metricName": "nz-edge-waf", "sampledRequestsEnabled": true},
		acl.Input("visibilityConfig"))
	assert.Equal(t, "edge", acl.Input("tags", "component"))

	rules := acl.Input("rules").([]any)
	require.Len(t, rules, 4)
	byName := map[string]map[string]any{}
	var priorities []any
	for _, r := range rules {
		m := r.(map[string]any)
		byName[m["name"].(string)] = m
		priorities = append(priorities, m["priority"])
		assert.Equal(t, map[string]any{
			"cloudwatchMetricsEnabled": true, "metricName": "nz-edge-waf-" + m["name"].(string), "sampledRequestsEnabled": true,
		}, m["visibilityConfig"], m["name"])
	}
	assert.Equal(t, []any{float64(0), float64(1), float64(2), float64(3)}, priorities)

	rate := byName["rate-limit-per-ip"]
	require.NotNil(t, rate)
	assert.Equal(t, map[string]any{"block": map[string]any{}}, rate["action"])
	assert.Equal(t, map[string]any{"limit": float64(1234), "aggregateKeyType": "IP", "evaluationWindowSec": float64(300)},
		rate["statement"].(map[string]any)["rateBasedStatement"], "the configured limit reaches the rule")

	for name, group := range map[string]string{
		"ip-reputation":    "AWSManagedRulesAmazonIpReputationList",
		"known-bad-inputs": "AWSManagedRulesKnownBadInputsRuleSet",
		"common":           "AWSManagedRulesCommonRuleSet",
	} {
		r := byName[name]
		require.NotNil(t, r, name)
		assert.Equal(t, map[string]any{"none": map[string]any{}}, r["overrideAction"], name)
		assert.Nil(t, r["action"], name)
		g := r["statement"].(map[string]any)["managedRuleGroupStatement"].(map[string]any)
		assert.Equal(t, group, g["name"])
		assert.Equal(t, "AWS", g["vendorName"])
	}
	common := byName["common"]["statement"].(map[string]any)["managedRuleGroupStatement"].(map[string]any)
	assert.Equal(t, []any{map[string]any{"name": "SizeRestrictions_BODY", "actionToUse": map[string]any{"count": map[string]any{}}}},
		common["ruleActionOverrides"], "GraphQL bodies over 8 KB are counted, not blocked")

	dist := res.OfType(distType)[0]
	assert.Equal(t, acl.State["arn"].StringValue(), dist.Input("webAclId"), "a CLOUDFRONT ACL is attached by ARN")
	assert.Contains(t, dist.Dependencies, acl.URN)
	assert.Equal(t, acl.State["arn"].StringValue(), out.webACLArn)
}

func TestNoWebACL(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", WAFRateLimit: 0})
	assert.Empty(t, res.OfType(webACLType))
	assert.Nil(t, res.OfType(distType)[0].Input("webAclId"))
	assert.Equal(t, "", out.webACLArn)
}

func TestArgsValidation(t *testing.T) {
	tests := []struct {
		name string
		args edge.Args
		want string
	}{
		{"waf off", edge.Args{WAFRateLimit: 0}, ""},
		{"waf minimum", edge.Args{WAFRateLimit: 10}, ""},
		{"waf maximum", edge.Args{WAFRateLimit: 2000000000}, ""},
		{"waf 1", edge.Args{WAFRateLimit: 1}, "edge: edstack:wafRateLimit 1 is below the 10 requests per 5 minutes"},
		{"waf 9", edge.Args{WAFRateLimit: 9}, "use 0 to turn the web ACL off, or 10 or more"},
		{"waf negative", edge.Args{WAFRateLimit: -5}, "edstack:wafRateLimit -5 is negative"},
		{"waf too high", edge.Args{WAFRateLimit: 2000000001}, "edstack:wafRateLimit 2000000001 is above"},
		{"access logs negative", edge.Args{AccessLogDays: -1}, "edstack:accessLogRetentionDays -1"},
		{"access logs too long", edge.Args{AccessLogDays: 3651}, "keep access logs 1 to 3650 days"},
		{"access logs longest", edge.Args{AccessLogDays: 3650}, ""},
		{"log retention CloudWatch refuses", edge.Args{LogRetentionDays: 10}, "log retention 10 days is not one CloudWatch accepts"},
		{"log retention", edge.Args{LogRetentionDays: 14}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.args.Prefix, tt.args.Domain, tt.args.PriceClass = "nz", domain, "PriceClass_All"
			err := tt.args.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.want)
			_, _, err = run(tt.args)
			assert.ErrorContains(t, err, tt.want, "New refuses it too")
		})
	}
}

func TestAccessLogBucket(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", AccessLogDays: 30})
	logs := res.Named(bucketType, "nz-edge-access-logs")
	require.NotNil(t, logs)
	logsName, logsArn := logs.State["bucket"].StringValue(), logs.State["arn"].StringValue()
	assert.Equal(t, logsName, out.accessLogBucket)
	assert.Empty(t, logs.Provider, "in the stack's region, with the buckets that log to it")
	assert.Equal(t, "edge", logs.Input("tags", "component"))
	ownership := res.Named(ownershipType, "nz-edge-access-logs-ownership")
	assert.Equal(t, "BucketOwnerPreferred", ownership.Input("rule", "objectOwnership"), "CloudFront's log delivery needs ACLs")
	assert.Equal(t, "AES256", res.Input("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"nz-edge-access-logs-encryption", "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"), "S3 server access logs take SSE-S3 only")
	assert.Equal(t, float64(30), res.Input(lifecycleType, "nz-edge-access-logs-lifecycle", "rules", 0, "expiration", "days"),
		"the configured retention reaches the lifecycle")
	assert.Equal(t, float64(1), res.Input(lifecycleType, "nz-edge-access-logs-lifecycle", "rules", 0, "noncurrentVersionExpiration", "noncurrentDays"))
	assert.Nil(t, res.Named(loggingType, "nz-edge-access-logs-access-logs"), "the log bucket does not log to itself")

	// Its policy lets S3's log delivery write under s3/ for the account's
	// buckets, before any of them logs there.
	p := res.Named(policyType, "nz-edge-access-logs-policy")
	require.NotNil(t, p)
	doc, err := iam.Parse(p.Input("policy").(string))
	require.NoError(t, err)
	assert.Equal(t, storage.BucketPolicy(logsArn, storage.ServerAccessLogDelivery(logsArn, "s3/", engine.AccountID)), doc)

	// Both buckets log there, each under its own folder.
	for _, name := range []string{"nz-edge-static", "nz-edge-user-content"} {
		l := res.Named(loggingType, name+"-access-logs")
		require.NotNil(t, l, name)
		assert.Equal(t, res.Named(bucketType, name).ID, l.Input("bucket"))
		assert.Equal(t, logsName, l.Input("targetBucket"), name)
		assert.Equal(t, "s3/"+name+"/", l.Input("targetPrefix"), name)
		assert.Contains(t, l.Dependencies, p.URN, "%s logs once the grant exists", name)
		assert.Equal(t, "BucketOwnerEnforced", res.Input(ownershipType, name+"-ownership", "rule", "objectOwnership"), name)
	}

	// CloudFront's standard logs go there too.
	dist := res.OfType(distType)[0]
	assert.Equal(t, map[string]any{"bucket": logsName + ".s3.amazonaws.com", "prefix": "cloudfront/", "includeCookies": false},
		dist.Input("loggingConfig"))
	assert.Contains(t, dist.Dependencies, ownership.URN, "ACLs are on before CloudFront grants itself one")

	defaults, _ := build(t, nzArgs())
	assert.Equal(t, float64(90), defaults.Input(lifecycleType, "nz-edge-access-logs-lifecycle", "rules", 0, "expiration", "days"))
}

func TestNoCloudFrontLogsInOptInRegion(t *testing.T) {
	res, _ := build(t, edge.Args{PriceClass: "PriceClass_All", Region: "ap-southeast-6"})
	assert.Nil(t, res.OfType(distType)[0].Input("loggingConfig"), "CloudFront delivers no standard logs to Auckland")
	assert.NotNil(t, res.Named(bucketType, "nz-edge-access-logs"), "the S3 logs are still kept")
	assert.NotNil(t, res.Named(loggingType, "nz-edge-static-access-logs"))

	res, _ = build(t, edge.Args{PriceClass: "PriceClass_All", Region: "ap-southeast-2"})
	assert.NotNil(t, res.OfType(distType)[0].Input("loggingConfig"))
}

func TestAccessLogTargetForOtherComponents(t *testing.T) {
	var bad error
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		e, err := edge.New(ctx, "nz-edge", edge.Args{Prefix: "nz", Domain: domain, PriceClass: "PriceClass_All"})
		if err != nil {
			return err
		}
		target, err := e.AccessLogTarget("nz-cockroach-backups")
		if err != nil {
			return err
		}
		if _, err := storage.NewPrivateBucket(ctx, "nz-cockroach-backups", storage.BucketArgs{AccessLogs: target}); err != nil {
			return err
		}
		_, bad = e.AccessLogTarget("")
		return e.Serve(ctx, edge.API{Endpoint: pulumi.String(endpoint)})
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	assert.ErrorContains(t, bad, "edge: access-log target: storage: bucket nz-edge-access-logs: log source")
	l := res.Named(loggingType, "nz-cockroach-backups-access-logs")
	require.NotNil(t, l)
	assert.Equal(t, res.Named(bucketType, "nz-edge-access-logs").State["bucket"].StringValue(), l.Input("targetBucket"))
	assert.Equal(t, "s3/nz-cockroach-backups/", l.Input("targetPrefix"))
}

func TestQueryLogging(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", LogRetentionDays: 14})
	east := eastRef(t, res)
	zone := res.Named(zoneType, "nz-edge-zone")
	zoneID := zone.State["zoneId"].StringValue()

	group := res.Named(logGroupType, "nz-edge-query-logs")
	require.NotNil(t, group)
	assert.Equal(t, east, group.Provider, "Route53 writes query logs to us-east-1 only")
	assert.Equal(t, "/aws/route53/learn.example.nz", group.Input("name"))
	assert.Equal(t, float64(14), group.Input("retentionInDays"), "the configured retention reaches the group")
	assert.Equal(t, "edge", group.Input("tags", "component"))
	assert.Equal(t, "/aws/route53/learn.example.nz", out.queryLogGroup)

	p := res.Named(logPolicyType, "nz-edge-query-logs-policy")
	require.NotNil(t, p)
	assert.Equal(t, east, p.Provider)
	assert.Equal(t, "edstack-nz-route53-query-logs", p.Input("policyName"))
	doc, err := iam.Parse(p.Input("policyDocument").(string))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 1)
	s := doc.Statement[0]
	assert.Equal(t, map[string]any{"Service": "route53.amazonaws.com"}, s.Principal)
	assert.Equal(t, []string{"logs:CreateLogStream", "logs:PutLogEvents"}, s.Action)
	assert.Equal(t, []string{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/learn.example.nz:*"}, s.Resource)
	assert.Equal(t, map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": "123456789012"},
		"ArnLike":      {"aws:SourceArn": "arn:aws:route53:::hostedzone/" + zoneID},
	}, s.Condition)

	q := res.Named(queryLogType, "nz-edge-query-log")
	require.NotNil(t, q)
	assert.Equal(t, zoneID, q.Input("zoneId"))
	assert.Equal(t, group.State["arn"].StringValue(), q.Input("cloudwatchLogGroupArn"))
	assert.Contains(t, q.Dependencies, p.URN, "Route53 checks the resource policy when logging starts")

	defaults, _ := build(t, nzArgs())
	assert.Equal(t, float64(90), defaults.Input(logGroupType, "nz-edge-query-logs", "retentionInDays"))
}

func TestDNSSEC(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", DNSSEC: true, Protect: true})
	zone := res.Named(zoneType, "nz-edge-zone")
	zoneID := zone.State["zoneId"].StringValue()

	key := res.Named(keyType, "nz-edge-dnssec-key")
	require.NotNil(t, key)
	assert.Equal(t, eastRef(t, res), key.Provider, "Route53 signs with KMS keys in us-east-1 only")
	assert.Equal(t, "ECC_NIST_P256", key.Input("customerMasterKeySpec"))
	assert.Equal(t, "SIGN_VERIFY", key.Input("keyUsage"))
	assert.Equal(t, false, key.Input("enableKeyRotation"))
	assert.Equal(t, float64(30), key.Input("deletionWindowInDays"))
	assert.True(t, key.Protect)
	doc, err := iam.Parse(key.Input("policy").(string))
	require.NoError(t, err)
	assert.Equal(t, edge.DNSSECKeyPolicy(engine.AccountID), doc)

	ksk := res.Named(kskType, "nz-edge-ksk")
	require.NotNil(t, ksk)
	assert.Equal(t, zoneID, ksk.Input("hostedZoneId"))
	assert.Equal(t, key.State["arn"].StringValue(), ksk.Input("keyManagementServiceArn"))
	assert.Equal(t, "edstack_ksk", ksk.Input("name"))
	assert.Equal(t, "ACTIVE", ksk.Input("status"))
	assert.True(t, ksk.Protect)

	signing := res.Named(dnssecType, "nz-edge-dnssec")
	require.NotNil(t, signing)
	assert.Equal(t, zoneID, signing.Input("hostedZoneId"))
	assert.Equal(t, "SIGNING", signing.Input("signingStatus"))
	assert.Contains(t, signing.Dependencies, ksk.URN)
	assert.Equal(t, "", out.dsRecord, "the offline plan has no DS record; AWS computes it")

	off, out := build(t, edge.Args{PriceClass: "PriceClass_All", DNSSEC: false, Protect: true})
	for _, typ := range []string{keyType, kskType, dnssecType} {
		assert.Empty(t, off.OfType(typ), typ)
	}
	assert.NotNil(t, off.Named(queryLogType, "nz-edge-query-log"), "query logging stays on")
	assert.Equal(t, "", out.dsRecord)
}

func TestExistingZoneIsLeftAlone(t *testing.T) {
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", HostedZoneID: "Z0123456789EXAMPLE", DNSSEC: true})
	for _, typ := range []string{logGroupType, logPolicyType, queryLogType, keyType, kskType, dnssecType} {
		assert.Empty(t, res.OfType(typ), "%s: the zone's owner manages it", typ)
	}
	assert.Equal(t, "", out.queryLogGroup)
	assert.Equal(t, "", out.dsRecord)
}

func TestOriginSecret(t *testing.T) {
	for name, secret := range map[string]pulumi.StringInput{
		"secret":             pulumi.ToSecret(pulumi.String("s3cr3t")).(pulumi.StringOutput),
		"plain, made secret": pulumi.String("s3cr3t"),
	} {
		t.Run(name, func(t *testing.T) {
			res, _ := build(t, nzArgs(), secret)
			d := res.OfType(distType)[0]
			assert.Equal(t, "api", d.Input("origins", 1, "originId"))
			assert.Equal(t, []any{map[string]any{"name": "X-Origin-Verify", "value": engine.Secret}},
				d.Input("origins", 1, "customHeaders"), "sent to the API, never shown")
			assert.Nil(t, d.Input("origins", 0, "customHeaders"), "not to the bucket")
		})
	}
	res, _ := build(t, nzArgs())
	assert.Nil(t, res.OfType(distType)[0].Input("origins", 1, "customHeaders"))
}

func TestProtectDNSSEC(t *testing.T) {
	res, _ := build(t, edge.Args{PriceClass: "PriceClass_All", Protect: true, DNSSEC: true})
	var protected []string
	for _, r := range res.Resources {
		if r.Protect {
			protected = append(protected, r.Name)
		}
	}
	assert.Contains(t, protected, "nz-edge-dnssec-key")
	assert.Contains(t, protected, "nz-edge-ksk")
	assert.Contains(t, protected, "nz-edge-user-content-access-logs")
	assert.NotContains(t, protected, "nz-edge-access-logs", "logs age out anyway")
	assert.NotContains(t, protected, "nz-edge-dnssec", "signing can be turned off and on")

	unprotected, _ := build(t, edge.Args{PriceClass: "PriceClass_All", DNSSEC: true})
	for _, r := range unprotected.Resources {
		assert.False(t, r.Protect, r.Name)
	}
}
