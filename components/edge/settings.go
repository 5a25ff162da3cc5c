package edge

import (
	"strings"

	"edstack/components/setting"
)

// The config keys the edge owns.
const (
	KeyHostedZoneID = "edstack:hostedZoneId"
	KeyPriceClass   = "edstack:cloudFrontPriceClass"
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
}
