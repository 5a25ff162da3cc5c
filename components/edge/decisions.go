package edge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"

	policy "edstack/components/iam"
	"edstack/components/storage"
)

// AWS-managed CloudFront policies. Their ids are fixed and published by AWS
// ("Use managed cache policies", "Use managed origin request policies" in the
// CloudFront developer guide), the same in every account, so they are
// constants rather than data source lookups (which the offline plan cannot
// answer).
const (
	// CachingOptimizedPolicyID is the managed cache policy "CachingOptimized":
	// long TTLs, no cookies, headers or query strings in the cache key,
	// gzip and brotli. For the static assets.
	CachingOptimizedPolicyID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CachingDisabledPolicyID is the managed cache policy "CachingDisabled":
	// every request goes to the origin. For the API.
	CachingDisabledPolicyID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewerExceptHostHeaderPolicyID is the managed origin request policy
	// "AllViewerExceptHostHeader": every viewer header, cookie and query
	// string except Host, which API Gateway answers with 403 when it is not
	// its own name.
	AllViewerExceptHostHeaderPolicyID = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// Origin ids of the distribution.
const (
	StaticOriginID = "static"
	APIOriginID    = "api"
)

// APIPathPatterns are the paths CloudFront sends to the HTTP API; everything
// else is a static asset.
var APIPathPatterns = []string{"/graphql*", "/api/*"}

// AllMethods are the seven HTTP methods CloudFront can forward.
var AllMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// PriceClasses are the CloudFront price classes. Only PriceClass_All
// includes the edge locations in Australia and New Zealand.
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

// ValidPriceClass reports whether CloudFront accepts pc as a price class.
func ValidPriceClass(pc string) bool { return slices.Contains(PriceClasses, pc) }

// CheckPriceClass explains why pc is not a price class, or returns nil.
func CheckPriceClass(pc string) error {
	if ValidPriceClass(pc) {
		return nil
	}
	return fmt.Errorf("edge: price class %q is not one CloudFront accepts (%s)", pc, strings.Join(PriceClasses, ", "))
}

// siteLabels name the site names in resource names, in SiteNames order.
var siteLabels = []string{"apex", "www", "app"}

// SiteNames are the names the site answers to, each an alias of the
// distribution and a name of the certificate: the domain, www. and app.
func SiteNames(domain string) []string {
	return []string{domain, "www." + domain, "app." + domain}
}

// ACM's limits on a certificate's names: the first (its DomainName, which
// becomes the subject's common name) at most 64 characters, each other name
// (SAN) at most 253.
const (
	CertificateFirstNameLimit = 64
	CertificateNameLimit      = 253
)

// CORSOrigins are the origins a browser may upload to the user-content
// bucket from: https on each site name.
func CORSOrigins(domain string) []string {
	names := SiteNames(domain)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "https://" + n
	}
	return out
}

// UserContentCORS is the user-content bucket's CORS rule: browsers on the
// site read and upload objects with presigned URLs.
func UserContentCORS(domain string) storage.CORSRule {
	return storage.CORSRule{
		AllowedOrigins: CORSOrigins(domain),
		AllowedMethods: []string{"GET", "HEAD", "PUT", "POST"},
		AllowedHeaders: []string{"*"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  3000,
	}
}

// OriginDomain is the host of an API endpoint, the origin's domain name:
// "https://x.execute-api.r.amazonaws.com/" gives "x.execute-api.r.amazonaws.com".
// It drops the scheme, any path, query or fragment, and lowercases; an
// endpoint with no host gives "".
func OriginDomain(endpoint string) string {
	s := strings.TrimSpace(endpoint)
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// checkOriginDomain refuses a host CloudFront cannot use as an origin.
func checkOriginDomain(endpoint, host string) error {
	if host == "" || strings.ContainsAny(host, ":@ ") {
		return fmt.Errorf("edge: API endpoint %q: want https://<host>[/path], with no port or credentials", endpoint)
	}
	return nil
}

// CloudFrontRead lets exactly one distribution read a bucket's objects
// through Origin Access Control.
func CloudFrontRead(bucketArn, distributionArn string) policy.Statement {
	return policy.Statement{
		Sid:       "AllowCloudFrontRead",
		Effect:    "Allow",
		Principal: map[string]any{"Service": "cloudfront.amazonaws.com"},
		Action:    []string{"s3:GetObject"},
		Resource:  []string{bucketArn + "/*"},
		Condition: map[string]map[string]any{"StringEquals": {"AWS:SourceArn": distributionArn}},
	}
}

// StaticBucketPolicy is the static bucket's policy: TLS only, and reads by
// the distribution and nobody else.
func StaticBucketPolicy(bucketArn, distributionArn string) policy.Document {
	return storage.BucketPolicy(bucketArn, CloudFrontRead(bucketArn, distributionArn))
}

// validationOption picks the DNS record ACM asks for to validate name. ACM
// returns the options as a set, in no promised order, so they are matched by
// name rather than by position: each record keeps its name across runs.
func validationOption(opts []acm.CertificateDomainValidationOption, name string) (acm.CertificateDomainValidationOption, error) {
	for _, o := range opts {
		if o.DomainName != nil && *o.DomainName == name {
			if o.ResourceRecordName == nil || o.ResourceRecordType == nil || o.ResourceRecordValue == nil {
				return o, fmt.Errorf("edge: certificate validation for %s has no DNS record", name)
			}
			return o, nil
		}
	}
	return acm.CertificateDomainValidationOption{}, fmt.Errorf("edge: the certificate has no validation option for %s", name)
}
