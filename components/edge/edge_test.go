package edge_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/edge"
	"edstack/components/iam"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	domain   = "learn.example.nz"
	endpoint = "https://abc123.execute-api.ap-southeast-2.amazonaws.com/"
	apiHost  = "abc123.execute-api.ap-southeast-2.amazonaws.com"

	providerType   = "pulumi:providers:aws"
	certType       = "aws:acm/certificate:Certificate"
	validationType = "aws:acm/certificateValidation:CertificateValidation"
	zoneType       = "aws:route53/zone:Zone"
	recordType     = "aws:route53/record:Record"
	distType       = "aws:cloudfront/distribution:Distribution"
	oacType        = "aws:cloudfront/originAccessControl:OriginAccessControl"
	headersType    = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
	bucketType     = "aws:s3/bucketV2:BucketV2"
	policyType     = "aws:s3/bucketPolicy:BucketPolicy"
	corsType       = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
	loggingType    = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	ownershipType  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	lifecycleType  = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	webACLType     = "aws:wafv2/webAcl:WebAcl"
	logGroupType   = "aws:cloudwatch/logGroup:LogGroup"
	logPolicyType  = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
	queryLogType   = "aws:route53/queryLog:QueryLog"
	keyType        = "aws:kms/key:Key"
	kskType        = "aws:route53/keySigningKey:KeySigningKey"
	dnssecType     = "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"
)

var sites = []string{"learn.example.nz", "www.learn.example.nz", "app.learn.example.nz"}

// outputs are the component's outputs, read after the run.
type outputs struct {
	siteURL, apiURL, distributionID, zoneID   string
	staticBucket, userContent, userContentArn string
	accessLogBucket, webACLArn, dsRecord      string
	queryLogGroup                             string
	nameServers                               []string
	arnBeforeServe                            bool
}

// build plans an Edge with args (Prefix, Domain and Tags filled in when
// empty) served in front of the API endpoint, sending the origin secret
// when one is given.
func build(t *testing.T, args edge.Args, originSecret ...pulumi.StringInput) (*engine.Result, *outputs) {
	t.Helper()
	res, out, err := run(args, originSecret...)
	require.NoError(t, err)
	return res, out
}

func run(args edge.Args, originSecret ...pulumi.StringInput) (*engine.Result, *outputs, error) {
	out := &outputs{}
	if args.Prefix == "" {
		args.Prefix = "nz"
	}
	if args.Domain == "" {
		args.Domain = domain
	}
	args.Tags = tags.Base{Country: "nz", Stack: "nz"}.For("edge")
	var collected engine.Collector
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		e, err := edge.New(ctx, args.Prefix+"-edge", args)
		if err != nil {
			return err
		}
		// The API component reads the user-content bucket's ARN before Serve.
		e.UserContentBucketArn.ApplyT(func(v string) error { out.userContentArn, out.arnBeforeServe = v, true; return nil })
		api := edge.API{Endpoint: pulumi.String(endpoint)}
		if len(originSecret) > 0 {
			api.OriginSecret = originSecret[0]
		}
		if err := e.Serve(ctx, api); err != nil {
			return err
		}
		for name, o := range map[string]pulumi.Output{
			"siteURL": e.SiteURL, "apiURL": e.APIURL, "distributionID": e.DistributionID, "zoneID": e.ZoneID,
			"staticBucket": e.StaticBucket, "userContent": e.UserContentBucket, "nameServers": e.NameServers,
			"accessLogBucket": e.AccessLogBucket, "webACLArn": e.WebACLArn, "dsRecord": e.DSRecord, "queryLogGroup": e.QueryLogGroup,
		} {
			collected.Collect(name, o)
		}
		return nil
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	if err != nil {
		return nil, nil, err
	}
	v, err := collected.Wait(5 * time.Second)
	if err != nil {
		return nil, nil, err
	}
	out.siteURL, out.apiURL = v["siteURL"].(string), v["apiURL"].(string)
	out.distributionID, out.zoneID = v["distributionID"].(string), v["zoneID"].(string)
	out.staticBucket, out.userContent = v["staticBucket"].(string), v["userContent"].(string)
	out.nameServers = v["nameServers"].([]string)
	out.accessLogBucket, out.webACLArn = v["accessLogBucket"].(string), v["webACLArn"].(string)
	out.dsRecord, out.queryLogGroup = v["dsRecord"].(string), v["queryLogGroup"].(string)
	return res, out, nil
}

func nzArgs() edge.Args { return edge.Args{PriceClass: "PriceClass_All"} }

func TestCertificateInUSEast1(t *testing.T) {
	res, _ := build(t, nzArgs())
	providers := res.OfType(providerType)
	require.Len(t, providers, 1)
	east := providers[0]
	assert.Equal(t, "nz-us-east-1", east.Name)
	assert.Equal(t, "us-east-1", east.Input("region"))
	assert.Equal(t, map[string]any{"country": "nz", "stack": "nz", "component": "edge", "managed-by": "edstack"},
		east.Input("defaultTags", "tags"), "what the provider manages is tagged like the rest")
	assert.Equal(t, res.Named("edstack:edge:Edge", "nz-edge").URN, east.Parent)

	ref := east.URN + "::" + east.ID
	var viaEast []string
	for _, r := range res.Resources {
		if r.Provider == ref {
			viaEast = append(viaEast, r.Type+" "+r.Name)
		} else if r.Custom {
			assert.Empty(t, r.Provider, "%s %s uses the default provider", r.Type, r.Name)
		}
	}
	assert.ElementsMatch(t, []string{
		certType + " nz-edge-cert", validationType + " nz-edge-cert-validation",
		logGroupType + " nz-edge-query-logs", logPolicyType + " nz-edge-query-logs-policy",
	}, viaEast, "only what CloudFront and Route53 read from us-east-1 lives there")

	cert := res.Named(certType, "nz-edge-cert")
	assert.Equal(t, domain, cert.Input("domainName"))
	assert.Equal(t, []any{"www." + domain, "app." + domain}, cert.Input("subjectAlternativeNames"))
	assert.Equal(t, "DNS", cert.Input("validationMethod"))
	assert.Equal(t, "edge", cert.Input("tags", "component"))
	assert.Regexp(t, `^arn:aws:acm:us-east-1:`, cert.State["arn"].StringValue())

	// One CNAME per site name in the zone, exactly what ACM asked for, and
	// the validation waits for all three.
	zone := res.Named(zoneType, "nz-edge-zone")
	require.NotNil(t, zone)
	zoneID := zone.State["zoneId"].StringValue()
	asked := map[string]map[string]any{}
	for _, o := range cert.State["domainValidationOptions"].ArrayValue() {
		m := engine.PlainValue(o).(map[string]any)
		asked[m["domainName"].(string)] = m
	}
	validation := res.Named(validationType, "nz-edge-cert-validation")
	assert.Equal(t, cert.State["arn"].StringValue(), validation.Input("certificateArn"))
	var fqdns []any
	for _, label := range []string{"apex", "www", "app"} {
		rec := res.Named(recordType, "nz-edge-cert-dns-"+label)
		require.NotNil(t, rec, label)
		site := map[string]string{"apex": domain, "www": "www." + domain, "app": "app." + domain}[label]
		want := asked[site]
		assert.Equal(t, zoneID, rec.Input("zoneId"))
		assert.Equal(t, want["resourceRecordName"], rec.Input("name"), label)
		assert.Equal(t, "CNAME", rec.Input("type"))
		assert.Equal(t, []any{want["resourceRecordValue"]}, rec.Input("records"))
		assert.Equal(t, float64(60), rec.Input("ttl"))
		assert.Equal(t, true, rec.Input("allowOverwrite"))
		assert.Contains(t, validation.Dependencies, rec.URN)
		fqdns = append(fqdns, rec.Input("name"))
	}
	assert.Equal(t, fqdns, validation.Input("validationRecordFqdns"))
}

func TestDistribution(t *testing.T) {
	res, _ := build(t, nzArgs())
	dists := res.OfType(distType)
	require.Len(t, dists, 1)
	d := dists[0]
	assert.Equal(t, true, d.Input("enabled"))
	assert.Equal(t, []any{sites[0], sites[1], sites[2]}, d.Input("aliases"))
	assert.Equal(t, true, d.Input("isIpv6Enabled"))
	assert.Equal(t, "http2and3", d.Input("httpVersion"))
	assert.Equal(t, "index.html", d.Input("defaultRootObject"))
	assert.Equal(t, "PriceClass_All", d.Input("priceClass"), "the only class with Australian and New Zealand edges")
	assert.Equal(t, "none", d.Input("restrictions", "geoRestriction", "restrictionType"))
	assert.Equal(t, "edge", d.Input("tags", "component"))

	validation := res.Named(validationType, "nz-edge-cert-validation")
	assert.Equal(t, validation.State["certificateArn"].StringValue(), d.Input("viewerCertificate", "acmCertificateArn"))
	assert.Contains(t, d.Dependencies, validation.URN, "the distribution waits for the certificate to be issued")
	assert.Equal(t, "sni-only", d.Input("viewerCertificate", "sslSupportMethod"))
	assert.Equal(t, "TLSv1.2_2021", d.Input("viewerCertificate", "minimumProtocolVersion"))
	assert.Nil(t, d.Input("viewerCertificate", "cloudfrontDefaultCertificate"))

	// Origins: the private bucket through OAC, and the API over https only.
	require.Len(t, d.Input("origins"), 2)
	static := res.Named(bucketType, "nz-edge-static")
	oac := res.Named(oacType, "nz-edge-static-oac")
	assert.Equal(t, "static", d.Input("origins", 0, "originId"))
	assert.Equal(t, static.State["bucketRegionalDomainName"].StringValue(), d.Input("origins", 0, "domainName"))
	assert.Equal(t, oac.ID, d.Input("origins", 0, "originAccessControlId"))
	assert.Nil(t, d.Input("origins", 0, "customOriginConfig"))
	assert.Equal(t, "s3", oac.Input("originAccessControlOriginType"))
	assert.Equal(t, "sigv4", oac.Input("signingProtocol"))
	assert.Equal(t, "always", oac.Input("signingBehavior"))

	assert.Equal(t, "api", d.Input("origins", 1, "originId"))
	assert.Equal(t, apiHost, d.Input("origins", 1, "domainName"))
	assert.Equal(t, "https-only", d.Input("origins", 1, "customOriginConfig", "originProtocolPolicy"))
	assert.Equal(t, []any{"TLSv1.2"}, d.Input("origins", 1, "customOriginConfig", "originSslProtocols"))
	assert.Equal(t, float64(443), d.Input("origins", 1, "customOriginConfig", "httpsPort"))

	headers := res.Named(headersType, "nz-edge-security-headers")
	require.NotNil(t, headers)

	def := d.Input("defaultCacheBehavior").(map[string]any)
	assert.Equal(t, "static", def["targetOriginId"])
	assert.Equal(t, edge.CachingOptimizedPolicyID, def["cachePolicyId"])
	assert.Equal(t, "658327ea-f89d-4fab-a63d-7e88639e58f6", def["cachePolicyId"])
	assert.Equal(t, "redirect-to-https", def["viewerProtocolPolicy"])
	assert.Equal(t, []any{"GET", "HEAD", "OPTIONS"}, def["allowedMethods"])
	assert.Equal(t, []any{"GET", "HEAD"}, def["cachedMethods"])
	assert.Equal(t, true, def["compress"])
	assert.Equal(t, headers.ID, def["responseHeadersPolicyId"])
	assert.Nil(t, def["forwardedValues"], "a cache policy, not legacy forwarded values")

	ordered := d.Input("orderedCacheBehaviors").([]any)
	require.Len(t, ordered, 2)
	var paths []any
	for _, o := range ordered {
		b := o.(map[string]any)
		paths = append(paths, b["pathPattern"])
		assert.Equal(t, "api", b["targetOriginId"])
		assert.Equal(t, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", b["cachePolicyId"], "CachingDisabled")
		assert.Equal(t, "b689b0a8-53d0-40ab-baf2-68738e2966ac", b["originRequestPolicyId"], "AllViewerExceptHostHeader")
		assert.Equal(t, "redirect-to-https", b["viewerProtocolPolicy"])
		assert.ElementsMatch(t, []any{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}, b["allowedMethods"])
		assert.Equal(t, []any{"GET", "HEAD"}, b["cachedMethods"])
		assert.Equal(t, headers.ID, b["responseHeadersPolicyId"])
	}
	assert.Equal(t, []any{"/graphql*", "/api/*"}, paths)
}

func TestSecurityHeaders(t *testing.T) {
	res, _ := build(t, nzArgs())
	h := res.Named(headersType, "nz-edge-security-headers")
	require.NotNil(t, h)
	assert.Equal(t, map[string]any{
		"accessControlMaxAgeSec": float64(63072000), "includeSubdomains": true, "preload": true, "override": true,
	}, h.Input("securityHeadersConfig", "strictTransportSecurity"))
	assert.Equal(t, map[string]any{"override": true}, h.Input("securityHeadersConfig", "contentTypeOptions"))
	assert.Equal(t, map[string]any{"frameOption": "DENY", "override": true}, h.Input("securityHeadersConfig", "frameOptions"))
	assert.Equal(t, map[string]any{"referrerPolicy": "strict-origin-when-cross-origin", "override": true},
		h.Input("securityHeadersConfig", "referrerPolicy"))
}

func TestPriceClass(t *testing.T) {
	for _, pc := range []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"} {
		res, _ := build(t, edge.Args{PriceClass: pc})
		assert.Equal(t, pc, res.OfType(distType)[0].Input("priceClass"))
	}
	for _, pc := range []string{"", "PriceClass_300", "all"} {
		_, _, err := run(edge.Args{PriceClass: pc})
		assert.ErrorContains(t, err, `edge: price class "`+pc+`" is not one CloudFront accepts`)
	}
}

func TestBuckets(t *testing.T) {
	res, out := build(t, nzArgs())
	for _, name := range []string{"nz-edge-static", "nz-edge-user-content"} {
		b := res.Named(bucketType, name)
		require.NotNil(t, b, name)
		assert.Equal(t, "edge", b.Input("tags", "component"))
		pab := res.Named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name+"-public-access")
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			assert.Equal(t, true, pab.Input(k), "%s %s", name, k)
		}
		assert.Equal(t, "BucketOwnerEnforced", res.Named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", name+"-ownership").Input("rule", "objectOwnership"))
		assert.Equal(t, "AES256", res.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", name+"-encryption").Input("rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
		assert.Equal(t, "Enabled", res.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", name+"-versioning").Input("versioningConfiguration", "status"))
	}
	lc := res.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "nz-edge-user-content-lifecycle")
	assert.Equal(t, float64(30), lc.Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays"))

	// The static bucket: TLS only, and reads by this distribution only.
	static := res.Named(bucketType, "nz-edge-static")
	staticArn := static.State["arn"].StringValue()
	dist := res.OfType(distType)[0]
	distArn := dist.State["arn"].StringValue()
	p := res.Named(policyType, "nz-edge-static-policy")
	require.NotNil(t, p)
	assert.Equal(t, static.ID, p.Input("bucket"))
	assert.Contains(t, p.Dependencies, dist.URN, "created after the distribution it names")
	doc, err := iam.Parse(p.Input("policy").(string))
	require.NoError(t, err)
	assert.Equal(t, edge.StaticBucketPolicy(staticArn, distArn), doc)
	var allows []iam.Statement
	for _, s := range doc.Statement {
		if s.Effect == "Allow" {
			allows = append(allows, s)
			continue
		}
		assert.Equal(t, "Deny", s.Effect)
		assert.Equal(t, map[string]any{"aws:SecureTransport": "false"}, s.Condition["Bool"])
		assert.Equal(t, []string{staticArn, staticArn + "/*"}, s.Resource)
	}
	require.Len(t, allows, 1, "one grant, to CloudFront")
	assert.Equal(t, map[string]any{"Service": "cloudfront.amazonaws.com"}, allows[0].Principal)
	assert.Equal(t, []string{"s3:GetObject"}, allows[0].Action)
	assert.Equal(t, []string{staticArn + "/*"}, allows[0].Resource)
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"AWS:SourceArn": distArn}}, allows[0].Condition)
	assert.Nil(t, res.Named(corsType, "nz-edge-static-cors"), "the static bucket is read through CloudFront only")

	// The user-content bucket: TLS only, no grant; browsers upload from the
	// site's three origins with presigned URLs.
	content := res.Named(bucketType, "nz-edge-user-content")
	contentArn := content.State["arn"].StringValue()
	cp, err := iam.Parse(res.Named(policyType, "nz-edge-user-content-policy").Input("policy").(string))
	require.NoError(t, err)
	require.Len(t, cp.Statement, 1)
	assert.Equal(t, "Deny", cp.Statement[0].Effect)
	cors := res.Named(corsType, "nz-edge-user-content-cors")
	require.NotNil(t, cors)
	assert.Equal(t, content.ID, cors.Input("bucket"))
	require.Len(t, cors.Input("corsRules"), 1)
	assert.Equal(t, []any{"https://" + sites[0], "https://" + sites[1], "https://" + sites[2]}, cors.Input("corsRules", 0, "allowedOrigins"))
	assert.ElementsMatch(t, []any{"GET", "HEAD", "PUT", "POST"}, cors.Input("corsRules", 0, "allowedMethods"))
	assert.Equal(t, []any{"*"}, cors.Input("corsRules", 0, "allowedHeaders"))
	assert.Equal(t, []any{"ETag"}, cors.Input("corsRules", 0, "exposeHeaders"))
	assert.Equal(t, float64(3000), cors.Input("corsRules", 0, "maxAgeSeconds"))

	assert.True(t, out.arnBeforeServe)
	assert.Equal(t, contentArn, out.userContentArn)
	assert.Equal(t, content.State["bucket"].StringValue(), out.userContent)
	assert.Equal(t, static.State["bucket"].StringValue(), out.staticBucket)
}

func TestProtect(t *testing.T) {
	res, _ := build(t, edge.Args{PriceClass: "PriceClass_All", Protect: true})
	var protected []string
	for _, r := range res.Resources {
		if r.Protect {
			protected = append(protected, r.Name)
		}
	}
	for _, name := range protected {
		assert.True(t, strings.HasPrefix(name, "nz-edge-user-content"), "%s is protected", name)
	}
	for _, suffix := range []string{"", "-public-access", "-ownership", "-encryption", "-versioning", "-lifecycle", "-cors", "-policy"} {
		assert.Contains(t, protected, "nz-edge-user-content"+suffix)
	}
	assert.False(t, res.Named(bucketType, "nz-edge-static").Protect, "static assets are rebuilt from the site's build")

	unprotected, _ := build(t, nzArgs())
	for _, r := range unprotected.Resources {
		assert.False(t, r.Protect, r.Name)
	}
}

func TestAliasRecords(t *testing.T) {
	res, out := build(t, nzArgs())
	dist := res.OfType(distType)[0]
	zoneID := res.Named(zoneType, "nz-edge-zone").State["zoneId"].StringValue()
	type alias struct{ name, typ string }
	var got []alias
	for _, r := range res.OfType(recordType) {
		if r.Input("type") == "CNAME" {
			continue
		}
		got = append(got, alias{r.Input("name").(string), r.Input("type").(string)})
		assert.Equal(t, zoneID, r.Input("zoneId"), r.Name)
		assert.Nil(t, r.Input("records"), r.Name)
		assert.Equal(t, []any{map[string]any{
			"name":                 dist.State["domainName"].StringValue(),
			"zoneId":               dist.State["hostedZoneId"].StringValue(),
			"evaluateTargetHealth": false,
		}}, r.Input("aliases"), r.Name)
	}
	var want []alias
	for _, s := range sites {
		want = append(want, alias{s, "A"}, alias{s, "AAAA"})
	}
	assert.ElementsMatch(t, want, got)
	assert.NotNil(t, res.Named(recordType, "nz-edge-www-aaaa"))

	assert.Equal(t, "https://learn.example.nz", out.siteURL)
	assert.Equal(t, "https://learn.example.nz/api", out.apiURL)
	assert.Equal(t, dist.ID, out.distributionID)
	assert.Equal(t, zoneID, out.zoneID)
	assert.Len(t, out.nameServers, 4)
	assert.Equal(t, engine.PlainValue(res.Named(zoneType, "nz-edge-zone").State["nameServers"]), toAny(out.nameServers))
}

func TestExistingHostedZone(t *testing.T) {
	const zoneID = "Z0123456789EXAMPLE"
	res, out := build(t, edge.Args{PriceClass: "PriceClass_All", HostedZoneID: zoneID})
	assert.Empty(t, res.OfType(zoneType), "no zone is created")
	records := res.OfType(recordType)
	assert.Len(t, records, 3+2*3, "three validation records, an A and an AAAA per site name")
	for _, r := range records {
		assert.Equal(t, zoneID, r.Input("zoneId"), r.Name)
	}
	assert.Equal(t, zoneID, out.zoneID)
	assert.NotNil(t, out.nameServers)
	assert.Empty(t, out.nameServers)
}

func TestOtherCountry(t *testing.T) {
	res, out := build(t, edge.Args{Prefix: "au", Domain: "learn.example.au", PriceClass: "PriceClass_All"})
	for _, r := range res.Resources {
		assert.True(t, strings.HasPrefix(r.Name, "au-"), r.Name)
	}
	assert.Equal(t, []any{"learn.example.au", "www.learn.example.au", "app.learn.example.au"}, res.OfType(distType)[0].Input("aliases"))
	assert.Equal(t, "https://learn.example.au/api", out.apiURL)
}

func TestServeErrors(t *testing.T) {
	_, err := engine.Run(func(ctx *pulumi.Context) error {
		e, err := edge.New(ctx, "nz-edge", edge.Args{Prefix: "nz", Domain: domain, PriceClass: "PriceClass_All"})
		if err != nil {
			return err
		}
		return e.Serve(ctx, edge.API{Endpoint: pulumi.String("https://")})
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	assert.ErrorContains(t, err, `API endpoint "https://"`)

	_, err = engine.Run(func(ctx *pulumi.Context) error {
		e, err := edge.New(ctx, "nz-edge", edge.Args{Prefix: "nz", Domain: domain, PriceClass: "PriceClass_All"})
		if err != nil {
			return err
		}
		api := edge.API{Endpoint: pulumi.String(endpoint)}
		if err := e.Serve(ctx, api); err != nil {
			return err
		}
		return e.Serve(ctx, api)
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	assert.ErrorContains(t, err, "Serve called twice")
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
