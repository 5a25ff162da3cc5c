package policy

import (
	"fmt"
	"strings"
)

// behaviors are a distribution's default and ordered cache behaviors.
func behaviors(d *R) []map[string]any {
	var out []map[string]any
	if m := d.Map("defaultCacheBehavior"); m != nil {
		out = append(out, m)
	}
	for _, b := range d.List("orderedCacheBehaviors") {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func edgeRules() []Rule {
	return []Rule{{
		ID: "EDS-CF-1", Severity: High, Level: Mandatory,
		Title:     "CloudFront serves viewers over HTTPS only, with TLS 1.2 or newer",
		Rationale: "Students sign in through these pages; nothing may travel in clear text or over broken TLS.",
		Fix:       "Set viewerProtocolPolicy redirect-to-https (or https-only) on every behavior and minimumProtocolVersion TLSv1.2_2021.",
		Peers:     []string{"Checkov CKV_AWS_34", "Checkov CKV_AWS_174", "cdk-nag AwsSolutions-CFR4", "Security Hub CloudFront.3"},
		Types:     []string{tDistribution},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				for _, b := range behaviors(d) {
					if p := b["viewerProtocolPolicy"]; p != "redirect-to-https" && p != "https-only" {
						return fmt.Sprintf("%s serves %v over %v", d.Name, b["pathPattern"], p)
					}
				}
				if v := d.Str("viewerCertificate", "minimumProtocolVersion"); !strings.HasPrefix(v, "TLSv1.2") && !strings.HasPrefix(v, "TLSv1.3") {
					return fmt.Sprintf("%s accepts viewers on %q", d.Name, v)
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CF-2", Severity: Medium, Level: Advisory,
		Title:     "CloudFront is behind a WAF web ACL with rate limiting and AWS's managed rules",
		Rationale: "The platform's only public entry must shed floods and known exploits before they reach the API.",
		Fix:       "Attach a wafv2 web ACL (scope CLOUDFRONT, in us-east-1) via webAclId (edstack:wafRateLimit).",
		Peers:     []string{"Checkov CKV_AWS_68", "cdk-nag AwsSolutions-CFR2", "Security Hub CloudFront.6"},
		Types:     []string{tDistribution, tWebACL},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				acl := ix.Ref(d.Get("webAclId"))
				if acl == nil || acl.Type != tWebACL {
					return d.Name + " has no WAF web ACL"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-WAF-1", Severity: Medium, Level: Advisory,
		Title:     "Web ACLs rate-limit per client and run AWS's common and known-bad-inputs rules",
		Rationale: "An empty web ACL costs money and stops nothing.",
		Fix:       "Give the web ACL a rate-based rule and the AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet groups, with metrics on.",
		Peers:     []string{"Checkov CKV_AWS_175", "Security Hub WAF.10"},
		Types:     []string{tWebACL},
		Check: func(ix *Index) []Violation {
			return each(ix, tWebACL, func(acl *R) string {
				var rate bool
				groups := map[string]bool{}
				for _, rule := range acl.List("rules") {
					m, _ := rule.(map[string]any)
					st, _ := m["statement"].(map[string]any)
					if st["rateBasedStatement"] != nil {
						rate = true
					}
					if g, ok := st["managedRuleGroupStatement"].(map[string]any); ok {
						groups[fmt.Sprint(g["name"])] = true
					}
				}
				switch {
				case !rate:
					return acl.Name + " has no rate-based rule"
				case !groups["AWSManagedRulesCommonRuleSet"] || !groups["AWSManagedRulesKnownBadInputsRuleSet"]:
					return acl.Name + " lacks AWS's common or known-bad-inputs rule group"
				case !acl.Bool("visibilityConfig", "cloudwatchMetricsEnabled"):
					return acl.Name + " publishes no metrics"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CF-3", Severity: Medium, Level: Advisory,
		Title:     "CloudFront writes access logs",
		Rationale: "The edge is where an abuse is first seen; its logs are the evidence.",
		Fix:       "Set loggingConfig to the stack's access-log bucket.",
		Peers:     []string{"Checkov CKV_AWS_86", "cdk-nag AwsSolutions-CFR3", "Security Hub CloudFront.5"},
		Types:     []string{tDistribution},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				if d.Str("loggingConfig", "bucket") == "" {
					return d.Name + " writes no access log"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CF-4", Severity: High, Level: Mandatory,
		Title:     "S3 origins are private, read through Origin Access Control",
		Rationale: "A bucket read as a website or through the legacy identity is easier to expose by mistake.",
		Fix:       "Give each S3 origin an originAccessControlId (signing always, sigv4).",
		Peers:     []string{"Checkov CKV2_AWS_46", "cdk-nag AwsSolutions-CFR7", "Security Hub CloudFront.13"},
		Types:     []string{tDistribution, tOAC},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				for _, o := range d.List("origins") {
					m, _ := o.(map[string]any)
					if !strings.Contains(fmt.Sprint(m["domainName"]), ".s3.") {
						continue
					}
					oac := ix.Ref(m["originAccessControlId"])
					if oac == nil || oac.Str("signingBehavior") != "always" {
						return fmt.Sprintf("%s reads %v without Origin Access Control", d.Name, m["originId"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CF-5", Severity: Medium, Level: Mandatory,
		Title:     "CloudFront talks to custom origins over HTTPS with TLS 1.2",
		Rationale: "The hop from CloudFront to the API carries the same student data as the viewer's.",
		Fix:       "Set customOriginConfig.originProtocolPolicy https-only and originSslProtocols [TLSv1.2].",
		Peers:     []string{"Checkov CKV2_AWS_72", "cdk-nag AwsSolutions-CFR5", "Security Hub CloudFront.9", "Security Hub CloudFront.10"},
		Types:     []string{tDistribution},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				for _, o := range d.List("origins") {
					m, _ := o.(map[string]any)
					c, ok := m["customOriginConfig"].(map[string]any)
					if !ok {
						continue
					}
					if c["originProtocolPolicy"] != "https-only" {
						return fmt.Sprintf("%s reaches %v over %v", d.Name, m["originId"], c["originProtocolPolicy"])
					}
					for _, p := range asList(c["originSslProtocols"]) {
						if p != "TLSv1.2" {
							return fmt.Sprintf("%s allows %v to %v", d.Name, p, m["originId"])
						}
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CF-6", Severity: Low, Level: Advisory,
		Title:     "Every response carries security headers, HSTS included",
		Rationale: "HSTS, nosniff and frame denial protect students' sessions in the browser.",
		Fix:       "Attach a response headers policy with strictTransportSecurity to every behavior.",
		Peers:     []string{"Checkov CKV2_AWS_32", "Checkov CKV_AWS_259"},
		Types:     []string{tDistribution, tHeaders},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				for _, b := range behaviors(d) {
					p := ix.Ref(b["responseHeadersPolicyId"])
					if p == nil || p.Get("securityHeadersConfig", "strictTransportSecurity") == nil {
						return fmt.Sprintf("%s: behavior %v sends no HSTS", d.Name, b["targetOriginId"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ACM-1", Severity: Critical, Level: Mandatory,
		Title:     "CloudFront's certificate is issued in us-east-1",
		Rationale: "CloudFront only takes ACM certificates from us-east-1; any other region fails the deployment.",
		Fix:       "Create the certificate (and its validation) with the us-east-1 provider.",
		Types:     []string{tCert, tDistribution},
		Check: func(ix *Index) []Violation {
			return each(ix, tDistribution, func(d *R) string {
				arn := d.Str("viewerCertificate", "acmCertificateArn")
				if arn != "" && !strings.HasPrefix(arn, "arn:aws:acm:us-east-1:") {
					return d.Name + " uses certificate " + arn + " outside us-east-1"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ACM-2", Severity: Low, Level: Advisory,
		Title:     "Certificates are DNS-validated, waited for, and logged to Certificate Transparency",
		Rationale: "DNS validation renews by itself; CT logging lets anyone spot a certificate issued for the domain by mistake.",
		Fix:       "Set validationMethod DNS, add a certificateValidation, leave CT logging enabled.",
		Peers:     []string{"Checkov CKV_AWS_234"},
		Types:     []string{tCert, tCertValid},
		Check: func(ix *Index) []Violation {
			return each(ix, tCert, func(c *R) string {
				switch {
				case c.Str("validationMethod") != "DNS":
					return c.Name + " is not DNS-validated"
				case c.Str("options", "certificateTransparencyLoggingPreference") == "DISABLED":
					return c.Name + " opts out of Certificate Transparency"
				case len(ix.Referrers(c, tCertValid, "certificateArn")) == 0:
					return c.Name + " is used before it is validated"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-R53-1", Severity: Low, Level: Advisory,
		Title:     "Hosted zones log their queries",
		Rationale: "Query logs show lookups of names that should not exist and probing of the domain.",
		Fix:       "Add an aws:route53/queryLog to a us-east-1 log group that a log resource policy opens to Route 53.",
		Peers:     []string{"Checkov CKV2_AWS_39", "Security Hub Route53.2"},
		Types:     []string{tZone, tQueryLog, tLogPolicy},
		Check: func(ix *Index) []Violation {
			return each(ix, tZone, func(z *R) string {
				if len(ix.Referrers(z, tQueryLog, "zoneId")) == 0 {
					return z.Name + " logs no queries"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-R53-2", Severity: Low, Level: Advisory,
		Title:     "Hosted zones are signed with DNSSEC",
		Rationale: "Signed answers stop a resolver on a school network from being fed a forged address for the site.",
		Fix:       "Add a key-signing key (ECC_NIST_P256 key in us-east-1) and aws:route53/hostedZoneDnsSec (edstack:dnssec), then the DS record at the parent.",
		Peers:     []string{"Checkov CKV2_AWS_38"},
		Types:     []string{tZone, tKSK, tDNSSEC},
		Check: func(ix *Index) []Violation {
			return each(ix, tZone, func(z *R) string {
				for _, s := range ix.Referrers(z, tDNSSEC, "hostedZoneId") {
					if s.Str("signingStatus") != "NOT_SIGNING" && len(ix.Referrers(z, tKSK, "hostedZoneId")) > 0 {
						return ""
					}
				}
				return z.Name + " is not signed"
			})
		},
	}, {
		ID: "EDS-R53-3", Severity: Medium, Level: Advisory,
		Title:     "Alias records point at this stack's own resources",
		Rationale: "A record aliasing something outside the stack can dangle when that thing goes, and be taken over.",
		Fix:       "Alias records to the distribution (or other resources) the stack creates.",
		Types:     []string{tRecord},
		Check: func(ix *Index) []Violation {
			domains := map[string]bool{}
			for _, d := range ix.Of(tDistribution) {
				if v, ok := d.State["domainName"]; ok && v.IsString() {
					domains[v.StringValue()] = true
				}
			}
			return each(ix, tRecord, func(r *R) string {
				for _, a := range r.List("aliases") {
					m, _ := a.(map[string]any)
					if !domains[fmt.Sprint(m["name"])] {
						return fmt.Sprintf("%s aliases %v, which this stack does not create", r.Name, m["name"])
					}
				}
				return ""
			})
		},
	}}
}
