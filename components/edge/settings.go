package edge

import (
	"fmt"
	"strings"

	"edstack/components/setting"
)

// The config keys the edge owns.
const (
	KeyHostedZoneID           = "edstack:hostedZoneId"
	KeyPriceClass             = "edstack:cloudFrontPriceClass"
	KeyWAFRateLimit           = "edstack:wafRateLimit"
	KeyAccessLogRetentionDays = "edstack:accessLogRetentionDays"
	KeyDNSSEC                 = "edstack:dnssec"
)

// AutoPriceClass asks for the cheapest price class whose edge locations
// include the stack's country.
const AutoPriceClass = "auto"

// Settings are the edge's config keys.
var Settings = []setting.Setting{
	{
		Key: KeyHostedZoneID, Type: setting.String, Default: "",
		Accepts: "a hosted zone id (`Z` and capitals or digits, e.g. `Z0123456789ABCDEFGHIJ`), or empty",
		Summary: "An existing Route53 hosted zone of edstack:domain to put the records in; empty creates a zone (delegate the domain to its name servers).",
		Doc:     "An existing Route53 hosted zone of `edstack:domain` to put the records in. Empty creates a zone; delegate the domain to its name servers (see \"Delegating the domain\").",
	},
	{
		Key: KeyPriceClass, Type: setting.String, Default: AutoPriceClass,
		Accepts: "`" + AutoPriceClass + "`, `" + strings.Join(PriceClasses, "`, `") + "`",
		Summary: "CloudFront price class; auto picks the cheapest whose edge locations include the country.",
		Doc:     "Which CloudFront edge locations serve the site. `auto` picks the cheapest class with edge locations in the country (the catalog below shows which: only `PriceClass_All` reaches Australia and New Zealand); a class without them is refused.",
	},
	{
		Key: KeyWAFRateLimit, Type: setting.Integer, Default: DefaultWAFRateLimit, Min: 0, Max: MaxWAFRateLimit,
		What:    "a rate limit in requests per 5 minutes per client IP",
		Accepts: fmt.Sprintf("`0` (no web ACL), or %d to %d requests per 5 minutes", MinWAFRateLimit, MaxWAFRateLimit),
		Summary: "Requests per 5 minutes one client IP may send before the CloudFront web ACL blocks it; 0 turns the WAF off.",
		Doc: "Requests per 5 minutes one client IP address may send through CloudFront before the WAF web ACL blocks it for a while. " +
			"The default is high because a school puts hundreds of students behind one NAT address, who all load the site at the start of a lesson. " +
			"The web ACL also runs AWS's IP reputation, known bad inputs and common rule groups (request bodies over 8 KB are only counted: GraphQL sends them). " +
			"It costs about $9 a month (an ACL and four rules) plus $0.60 per million requests. `0` creates no web ACL.",
	},
	{
		Key: KeyAccessLogRetentionDays, Type: setting.Integer, Default: DefaultAccessLogDays, Min: 1, Max: MaxAccessLogDays,
		What:    "days to keep access logs",
		Summary: "Days the access-log bucket keeps CloudFront's and S3's access logs.",
		Doc: "Days the stack's access-log bucket keeps the CloudFront standard logs (`cloudfront/`) and the S3 server access logs of the buckets (`s3/<bucket>/`). " +
			"CloudFront delivers no standard logs to a bucket in an opt-in region (e.g. `ap-southeast-6`, `ap-southeast-4`): there only the S3 logs are kept.",
	},
	{
		Key: KeyDNSSEC, Type: setting.Boolean, Default: true,
		Summary: "Sign the hosted zone edstack creates with DNSSEC; add the DS record (output dsRecord) at the parent after the first up.",
		Doc: "Sign the hosted zone edstack creates with DNSSEC (a key-signing key on an ECC_NIST_P256 KMS key in us-east-1, about $1 a month). " +
			"Has no effect with `edstack:hostedZoneId`. Signing is safe before the parent has a DS record; after the first `pulumi up`, add the DS record (the stack's `dsRecord` output) at the parent domain. " +
			"Before turning it off, remove the DS record at the parent and wait for its TTL to pass, or resolvers that validate will fail to resolve the site (see \"DNSSEC\").",
	},
}
