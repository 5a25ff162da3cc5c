// Package edge serves a country's domain: a Route53 hosted zone, an ACM
// certificate in us-east-1 (where CloudFront reads certificates), and a
// CloudFront distribution in front of a private static-assets bucket (read
// through Origin Access Control) and the HTTP API (for /graphql* and
// /api/*). It also holds the private user-content bucket that browsers
// upload to with presigned URLs; that bucket is not served through
// CloudFront.
//
// In front of the distribution, unless turned off, a WAF web ACL in
// us-east-1 rate-limits each client IP and runs AWS's managed rules. An
// access-log bucket per stack receives CloudFront's standard logs (where
// the region allows) and the S3 server access logs of both buckets. A zone
// the edge creates logs its queries to CloudWatch in us-east-1 and, with
// DNSSEC, is signed (see zonesecurity.go for the DS record).
//
// The API needs the user-content bucket and CloudFront needs the API's
// endpoint, so Edge is built in two steps: New, then Serve.
package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/logs"
	"edstack/components/storage"
	"edstack/components/tags"
)

// CertificateRegion is where CloudFront reads its certificates from,
// whatever the stack's region.
const CertificateRegion = "us-east-1"

// MinimumViewerTLS is the oldest TLS a browser may use to reach the site.
const MinimumViewerTLS = "TLSv1.2_2021"

// Args configure an Edge.
type Args struct {
	// Prefix starts every resource name, e.g. "nz". Required.
	Prefix string
	// Domain is the site's domain, e.g. "learn.example.nz": lowercase, no
	// scheme, no trailing dot. Required. The site also answers to www. and
	// app. of it (see SiteNames).
	Domain string
	// HostedZoneID is an existing Route53 hosted zone for Domain. Default
	// "": Edge creates the zone, and its name servers must then be
	// delegated to from the parent domain.
	HostedZoneID string
	// PriceClass is the distribution's price class, already resolved by the
	// caller: "PriceClass_100", "PriceClass_200" or "PriceClass_All" (the
	// only one with edge locations in Australia and New Zealand). Required;
	// anything else is an error.
	PriceClass string
	// Protect marks the user-content bucket and its settings protected, so
	// that `pulumi destroy` or a replacement stops instead of deleting
	// uploads. Default false. The static bucket is rebuilt from the site's
	// build and is never protected.
	Protect bool
	// Region is the stack's region, where the buckets are; it decides
	// whether CloudFront can deliver logs there (CloudFrontLogsDelivered).
	// Default "": the default provider's region.
	Region string
	// WAFRateLimit is how many requests per 5 minutes one client IP may
	// send before the web ACL blocks it (edstack:wafRateLimit, whose
	// default is DefaultWAFRateLimit). 0, the default here, creates no web
	// ACL; otherwise at least MinWAFRateLimit.
	WAFRateLimit int
	// AccessLogDays is how long the access-log bucket keeps logs
	// (edstack:accessLogRetentionDays). Default 0: DefaultAccessLogDays.
	AccessLogDays int
	// LogRetentionDays is the retention of the zone's query log group, one
	// CloudWatch accepts (edstack:logRetentionDays). Default 0:
	// logs.DefaultRetentionDays.
	LogRetentionDays int
	// DNSSEC signs a zone the edge creates (edstack:dnssec, whose default
	// is true). Default false here. It has no effect with HostedZoneID.
	DNSSEC bool
	// KMSKeyArn is the country's customer managed key, which encrypts the
	// user-content bucket (the API's role must be able to use it). The
	// static bucket keeps SSE-S3: it holds the public web app, which
	// CloudFront could read under a KMS key only with a grant to it in the
	// key's policy; the access-log bucket keeps SSE-S3, the only
	// encryption S3's log delivery writes to; the query log group is in
	// us-east-1, where a key of the stack's region cannot encrypt. nil:
	// SSE-S3 everywhere.
	KMSKeyArn pulumi.StringInput
	// Tags is the component's tag set (component "edge").
	Tags tags.Set
}

// Validate checks the arguments.
func (a Args) Validate() error {
	switch {
	case a.Prefix == "":
		return fmt.Errorf("edge: no resource name prefix")
	case a.Domain == "":
		return fmt.Errorf("edge: no domain")
	case a.Domain != strings.ToLower(a.Domain) || strings.ContainsAny(a.Domain, ":/ ") ||
		strings.HasSuffix(a.Domain, ".") || !strings.Contains(a.Domain, "."):
		return fmt.Errorf("edge: domain %q: give the bare lowercase domain, without scheme, path or trailing dot (e.g. learn.example.nz)", a.Domain)
	case a.AccessLogDays < 0 || a.AccessLogDays > MaxAccessLogDays:
		return fmt.Errorf("edge: %s %d: keep access logs 1 to %d days", KeyAccessLogRetentionDays, a.AccessLogDays, MaxAccessLogDays)
	case a.LogRetentionDays != 0 && !logs.ValidRetention(a.LogRetentionDays):
		return fmt.Errorf("edge: log retention %d days is not one CloudWatch accepts (%s)", a.LogRetentionDays, logs.RetentionChoices())
	}
	if err := CheckWAFRateLimit(a.WAFRateLimit); err != nil {
		return fmt.Errorf("edge: %s %d %w", KeyWAFRateLimit, a.WAFRateLimit, err)
	}
	return CheckPriceClass(a.PriceClass)
}

// API is what Serve needs of the HTTP API.
type API struct {
	// Endpoint is the API's invoke URL, e.g.
	// "https://abc123.execute-api.ap-southeast-2.amazonaws.com"; its host is
	// the distribution's API origin.
	Endpoint pulumi.StringInput
	// OriginSecret, when set, is sent to the API origin in every request
	// as the OriginVerifyHeader header, as a secret, so that the API can
	// refuse requests that did not come through CloudFront (and its WAF).
	// Default nil: no header.
	OriginSecret pulumi.StringInput
}

// OriginVerifyHeader is the header that carries API.OriginSecret.
const OriginVerifyHeader = "X-Origin-Verify"

// Edge is the component and its outputs. The outputs set by New are ready
// for other components at once; DistributionID is set by Serve.
type Edge struct {
	pulumi.ResourceState

	// SiteNames are the names the site answers to (see SiteNames).
	SiteNames []string

	// SiteURL is "https://<domain>".
	SiteURL pulumi.StringOutput
	// APIURL is SiteURL + "/api".
	APIURL pulumi.StringOutput
	// ZoneID is the hosted zone's id: the created zone's, or HostedZoneID.
	ZoneID pulumi.StringOutput
	// NameServers are the created zone's name servers, to delegate to from
	// the parent domain; empty when HostedZoneID was given.
	NameServers pulumi.StringArrayOutput
	// CertificateArn is the ARN of the validated us-east-1 certificate.
	CertificateArn pulumi.StringOutput
	// StaticBucket is the name of the static-assets bucket.
	StaticBucket pulumi.StringOutput
	// UserContentBucket is the name of the user-content bucket.
	UserContentBucket pulumi.StringOutput
	// UserContentBucketArn is its ARN, for the API's role policy.
	UserContentBucketArn pulumi.StringOutput
	// East is the us-east-1 provider, for what else must live there
	// (CloudFront's alarms).
	East pulumi.ProviderResource
	// DistributionID is the CloudFront distribution's id. Set by Serve.
	DistributionID pulumi.StringOutput
	// AccessLogBucket is the name of the access-log bucket: CloudFront's
	// logs under "cloudfront/", S3's under "s3/<bucket>/". Other
	// components get a target in it with AccessLogTarget.
	AccessLogBucket pulumi.StringOutput
	// AccessLogBucketArn is its ARN.
	AccessLogBucketArn pulumi.StringOutput
	// CloudFrontLogging reports whether the distribution writes standard
	// logs: false in a region CloudFront delivers none to.
	CloudFrontLogging bool
	// WebACLArn is the web ACL's ARN; "" when WAFRateLimit is 0.
	WebACLArn pulumi.StringOutput
	// QueryLogGroup is the name of the zone's query log group (in
	// us-east-1); "" when HostedZoneID was given.
	QueryLogGroup pulumi.StringOutput
	// DSRecord is the DS record to add at the parent domain after the first
	// `pulumi up` to complete DNSSEC; "" without DNSSEC.
	DSRecord pulumi.StringOutput

	args        Args
	parent      pulumi.ResourceOption
	inEast      pulumi.ResourceOption
	account     string
	createdZone *route53.Zone
	validation  *acm.CertificateValidation
	logs        *storage.Bucket
	static      *storage.Bucket
	webACL      *wafv2.WebAcl
	oac         *cloudfront.OriginAccessControl
	headers     *cloudfront.ResponseHeadersPolicy
	served      bool
}

// New creates the component under name (e.g. "nz-edge"), the us-east-1
// provider, the hosted zone (or uses HostedZoneID) with its query logging
// and DNSSEC, the validated certificate, the access-log bucket, then the
// static and user-content buckets that log to it, the web ACL, the origin
// access control and the response headers policy. Call Serve to put the
// distribution in front of them.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Edge, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	e := &Edge{SiteNames: SiteNames(args.Domain), args: args}
	if err := ctx.RegisterComponentResource("edstack:edge:Edge", name, e, opts...); err != nil {
		return nil, fmt.Errorf("edge: register %s: %w", name, err)
	}
	e.parent = pulumi.Parent(e)
	siteURL := "https://" + args.Domain
	e.SiteURL = pulumi.String(siteURL).ToStringOutput()
	e.APIURL = pulumi.String(siteURL + "/api").ToStringOutput()

	id, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("edge: read the account id: %w", err)
	}
	e.account = id.AccountId

	for _, step := range []func(*pulumi.Context) error{
		e.provider, e.zone, e.zoneSecurity, e.certificate, e.accessLogs, e.buckets, e.firewall, e.cdnPolicies,
	} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *Edge) name(suffix string) string { return e.args.Prefix + "-edge-" + suffix }

// zone creates the hosted zone, or takes the given one.
func (e *Edge) zone(ctx *pulumi.Context) error {
	if e.args.HostedZoneID != "" {
		e.ZoneID = pulumi.String(e.args.HostedZoneID).ToStringOutput()
		e.NameServers = pulumi.StringArray{}.ToStringArrayOutput()
		return nil
	}
	z, err := route53.NewZone(ctx, e.name("zone"), &route53.ZoneArgs{
		Name:    pulumi.String(e.args.Domain),
		Comment: pulumi.String("edstack " + e.args.Prefix + ": the site's domain"),
		Tags:    e.args.Tags.Named(e.name("zone")),
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: hosted zone %s: %w", e.args.Domain, err)
	}
	e.createdZone = z
	e.ZoneID = z.ZoneId
	e.NameServers = z.NameServers
	return nil
}

// provider creates the us-east-1 provider, for what CloudFront and Route53
// read from there: the certificate, the web ACL, the query log group and
// the DNSSEC key.
func (e *Edge) provider(ctx *pulumi.Context) error {
	// An explicit provider does not read the stack's aws: config, so it gets
	// the tag set as default tags to tag what it manages like the rest.
	east, err := aws.NewProvider(ctx, e.args.Prefix+"-"+CertificateRegion, &aws.ProviderArgs{
		Region:      pulumi.String(CertificateRegion),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: e.args.Tags.Tags()},
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: %s provider: %w", CertificateRegion, err)
	}
	e.inEast = pulumi.Provider(east)
	e.East = east
	return nil
}

// certificate creates the certificate for every site name in us-east-1,
// its DNS validation records and the validation that waits for ACM to
// issue it.
func (e *Edge) certificate(ctx *pulumi.Context) error {
	inEast := e.inEast
	cert, err := acm.NewCertificate(ctx, e.name("cert"), &acm.CertificateArgs{
		DomainName:              pulumi.String(e.args.Domain),
		SubjectAlternativeNames: pulumi.ToStringArray(e.SiteNames[1:]),
		ValidationMethod:        pulumi.String("DNS"),
		Tags:                    e.args.Tags.Named(e.name("cert")),
	}, e.parent, inEast)
	if err != nil {
		return fmt.Errorf("edge: certificate: %w", err)
	}

	fqdns := make(pulumi.StringArray, len(e.SiteNames))
	for i, site := range e.SiteNames {
		opt := cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
			return validationOption(opts, site)
		}).(acm.CertificateDomainValidationOptionOutput)
		rec, err := route53.NewRecord(ctx, e.name("cert-dns-"+siteLabels[i]), &route53.RecordArgs{
			ZoneId:  e.ZoneID,
			Name:    opt.ResourceRecordName().Elem(),
			Type:    opt.ResourceRecordType().Elem(),
			Records: pulumi.StringArray{opt.ResourceRecordValue().Elem()},
			Ttl:     pulumi.Int(60),
			// ACM may ask for the same record again (a re-issued
			// certificate); take it over rather than fail.
			AllowOverwrite: pulumi.Bool(true),
		}, e.parent)
		if err != nil {
			return fmt.Errorf("edge: certificate validation record for %s: %w", site, err)
		}
		// The record's name is its FQDN (ACM asks for absolute names, and
		// the validation ignores a trailing dot). Unlike the computed fqdn,
		// the offline plan knows it; either way the validation waits for
		// the record.
		fqdns[i] = rec.Name
	}

	validation, err := acm.NewCertificateValidation(ctx, e.name("cert-validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, e.parent, inEast)
	if err != nil {
		return fmt.Errorf("edge: certificate validation: %w", err)
	}
	e.validation = validation
	e.CertificateArn = validation.CertificateArn
	return nil
}

// buckets creates the static-assets bucket (its policy names the
// distribution, so Serve attaches it) and the user-content bucket, both
// logging to the access-log bucket.
func (e *Edge) buckets(ctx *pulumi.Context) error {
	staticLogs, err := e.AccessLogTarget(e.name("static"))
	if err != nil {
		return err
	}
	e.static, err = storage.NewPrivateBucket(ctx, e.name("static"), storage.BucketArgs{
		DeferPolicy: true,
		AccessLogs:  staticLogs,
		Tags:        e.args.Tags,
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: static bucket: %w", err)
	}
	userOpts := []pulumi.ResourceOption{e.parent}
	if e.args.Protect {
		userOpts = append(userOpts, pulumi.Protect(true))
	}
	contentLogs, err := e.AccessLogTarget(e.name("user-content"))
	if err != nil {
		return err
	}
	content, err := storage.NewPrivateBucket(ctx, e.name("user-content"), storage.BucketArgs{
		AccessLogs:            contentLogs,
		NoncurrentVersionDays: 30,
		CORS:                  []storage.CORSRule{UserContentCORS(e.args.Domain)},
		KMSKeyArn:             e.args.KMSKeyArn,
		Tags:                  e.args.Tags,
	}, userOpts...)
	if err != nil {
		return fmt.Errorf("edge: user-content bucket: %w", err)
	}
	e.StaticBucket = e.static.Name
	e.UserContentBucket = content.Name
	e.UserContentBucketArn = content.Arn
	return nil
}

// cdnPolicies creates the origin access control and the response headers
// policy of the distribution.
func (e *Edge) cdnPolicies(ctx *pulumi.Context) error {
	var err error
	e.oac, err = cloudfront.NewOriginAccessControl(ctx, e.name("static-oac"), &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.String("CloudFront signs its reads of the " + e.args.Domain + " static assets"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: origin access control: %w", err)
	}
	e.headers, err = cloudfront.NewResponseHeadersPolicy(ctx, e.name("security-headers"), &cloudfront.ResponseHeadersPolicyArgs{
		Comment: pulumi.String("Security headers on every response of " + e.args.Domain),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(63072000), // two years
				IncludeSubdomains:      pulumi.Bool(true),
				Preload:                pulumi.Bool(true),
				Override:               pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{
				Override: pulumi.Bool(true),
			},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String("DENY"),
				Override:    pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"),
				Override:       pulumi.Bool(true),
			},
		},
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: response headers policy: %w", err)
	}
	return nil
}

// Serve creates the distribution, with the static bucket as its default
// origin and the API as its second, behind the web ACL and logging to the
// access-log bucket, the static bucket's policy (which names the
// distribution), and the site names' alias records, then registers the
// component's outputs. Call it once, after New.
func (e *Edge) Serve(ctx *pulumi.Context, api API) error {
	if e.served {
		return fmt.Errorf("edge: Serve called twice")
	}
	if api.Endpoint == nil {
		return fmt.Errorf("edge: Serve: no API endpoint")
	}
	e.served = true
	apiDomain := api.Endpoint.ToStringOutput().ApplyT(func(endpoint string) (string, error) {
		host := OriginDomain(endpoint)
		return host, checkOriginDomain(endpoint, host)
	}).(pulumi.StringOutput)

	apiOrigin := &cloudfront.DistributionOriginArgs{
		OriginId:   pulumi.String(APIOriginID),
		DomainName: apiDomain,
		CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
			HttpPort:             pulumi.Int(80),
			HttpsPort:            pulumi.Int(443),
			OriginProtocolPolicy: pulumi.String("https-only"),
			OriginSslProtocols:   pulumi.ToStringArray([]string{"TLSv1.2"}),
		},
	}
	if api.OriginSecret != nil {
		apiOrigin.CustomHeaders = cloudfront.DistributionOriginCustomHeaderArray{&cloudfront.DistributionOriginCustomHeaderArgs{
			Name:  pulumi.String(OriginVerifyHeader),
			Value: pulumi.ToSecret(api.OriginSecret.ToStringOutput()).(pulumi.StringOutput),
		}}
	}
	var webACL pulumi.StringPtrInput
	if e.webACL != nil {
		// A CLOUDFRONT web ACL is attached by its ARN.
		webACL = e.webACL.Arn
	}
	var logging cloudfront.DistributionLoggingConfigPtrInput
	var after []pulumi.Resource
	if e.CloudFrontLogging {
		logging = &cloudfront.DistributionLoggingConfigArgs{
			Bucket:         e.logs.Name.ApplyT(CloudFrontLogBucket).(pulumi.StringOutput),
			Prefix:         pulumi.String(CloudFrontLogPrefix),
			IncludeCookies: pulumi.Bool(false),
		}
		// CloudFront grants itself write access to the log bucket with an
		// ACL, which the bucket's ownership setting must allow first.
		after = append(after, e.logs.Ownership)
	}

	dist, err := cloudfront.NewDistribution(ctx, e.name("cdn"), &cloudfront.DistributionArgs{
		Comment:           pulumi.String("edstack " + e.args.Prefix + ": " + e.args.Domain),
		Enabled:           pulumi.Bool(true),
		Aliases:           pulumi.ToStringArray(e.SiteNames),
		IsIpv6Enabled:     pulumi.Bool(true),
		HttpVersion:       pulumi.String("http2and3"),
		DefaultRootObject: pulumi.String("index.html"),
		PriceClass:        pulumi.String(e.args.PriceClass),
		ViewerCertificate: &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      e.CertificateArn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String(MinimumViewerTLS),
		},
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		Origins: cloudfront.DistributionOriginArray{
			&cloudfront.DistributionOriginArgs{
				OriginId:              pulumi.String(StaticOriginID),
				DomainName:            e.static.Bucket.BucketRegionalDomainName,
				OriginAccessControlId: e.oac.ID(),
			},
			apiOrigin,
		},
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(StaticOriginID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD", "OPTIONS"}),
			CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:           pulumi.String(CachingOptimizedPolicyID),
			Compress:                pulumi.Bool(true),
			ResponseHeadersPolicyId: e.headers.ID(),
		},
		OrderedCacheBehaviors: e.apiBehaviours(),
		WebAclId:              webACL,
		LoggingConfig:         logging,
		Tags:                  e.args.Tags.Named(e.name("cdn")),
	}, e.parent, pulumi.DependsOn(after))
	if err != nil {
		return fmt.Errorf("edge: distribution: %w", err)
	}

	if _, err := e.static.AttachPolicy(ctx, func(bucketArn string, v []string) []policy.Statement {
		return []policy.Statement{CloudFrontRead(bucketArn, v[0])}
	}, dist.Arn); err != nil {
		return fmt.Errorf("edge: static bucket policy: %w", err)
	}

	for i, site := range e.SiteNames {
		for _, typ := range []string{"A", "AAAA"} {
			if _, err := route53.NewRecord(ctx, e.name(siteLabels[i]+"-"+strings.ToLower(typ)), &route53.RecordArgs{
				ZoneId: e.ZoneID,
				Name:   pulumi.String(site),
				Type:   pulumi.String(typ),
				Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
					Name:                 dist.DomainName,
					ZoneId:               dist.HostedZoneId,
					EvaluateTargetHealth: pulumi.Bool(false),
				}},
			}, e.parent); err != nil {
				return fmt.Errorf("edge: %s record for %s: %w", typ, site, err)
			}
		}
	}

	e.DistributionID = dist.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{
		"siteUrl":              e.SiteURL,
		"apiUrl":               e.APIURL,
		"distributionId":       e.DistributionID,
		"nameServers":          e.NameServers,
		"zoneId":               e.ZoneID,
		"certificateArn":       e.CertificateArn,
		"staticBucket":         e.StaticBucket,
		"userContentBucket":    e.UserContentBucket,
		"userContentBucketArn": e.UserContentBucketArn,
		"accessLogBucket":      e.AccessLogBucket,
		"webAclArn":            e.WebACLArn,
		"queryLogGroup":        e.QueryLogGroup,
		"dsRecord":             e.DSRecord,
	}); err != nil {
		return fmt.Errorf("edge: register outputs: %w", err)
	}
	return nil
}

// apiBehaviours send the API's paths to the API origin, uncached, with
// every viewer value but Host.
func (e *Edge) apiBehaviours() cloudfront.DistributionOrderedCacheBehaviorArray {
	out := make(cloudfront.DistributionOrderedCacheBehaviorArray, len(APIPathPatterns))
	for i, path := range APIPathPatterns {
		out[i] = &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(path),
			TargetOriginId:          pulumi.String(APIOriginID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          pulumi.ToStringArray(AllMethods),
			CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
			CachePolicyId:           pulumi.String(CachingDisabledPolicyID),
			OriginRequestPolicyId:   pulumi.String(AllViewerExceptHostHeaderPolicyID),
			ResponseHeadersPolicyId: e.headers.ID(),
		}
	}
	return out
}
