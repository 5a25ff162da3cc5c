package edge

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A DNS name of at least two labels, each 1-63 lowercase letters, digits or
// inner hyphens, with a top-level label that is not all digits.
var labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// domainProblem says what is wrong with a domain name's form, or "".
func domainProblem(d string) string {
	switch {
	case strings.Contains(d, "://") || strings.ContainsAny(d, "/:?#@ "):
		return "give the bare domain, without scheme, port, path or spaces (e.g. learn.example.nz)"
	case d != strings.ToLower(d):
		return "use lowercase"
	case strings.HasSuffix(d, "."):
		return "drop the trailing dot"
	case len(d) > 253:
		return "longer than 253 characters"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "needs at least two labels (e.g. example.nz)"
	}
	for _, l := range labels {
		if !labelPattern.MatchString(l) {
			return fmt.Sprintf("label %q must be 1-63 letters, digits or inner hyphens", l)
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return "the top-level label cannot be numeric"
	}
	return ""
}

// CheckDomain says what is wrong with the site's domain, or nil: its form,
// then the certificate names it makes, which ACM limits.
func CheckDomain(domain string) error {
	if why := domainProblem(domain); why != "" {
		return fmt.Errorf("is not a valid domain: %s", why)
	}
	names := SiteNames(domain)
	if len(names[0]) > CertificateFirstNameLimit {
		return fmt.Errorf("has %d characters; ACM takes at most %d in a certificate's first name, which is the domain; use a shorter domain", len(names[0]), CertificateFirstNameLimit)
	}
	for _, n := range names[1:] {
		if len(n) > CertificateNameLimit {
			return fmt.Errorf("makes the certificate name %s, over ACM's %d characters; use a shorter domain", n, CertificateNameLimit)
		}
	}
	return nil
}

var zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// CheckHostedZoneID says whether id is the form of a Route53 hosted zone id;
// empty (create a zone) is fine.
func CheckHostedZoneID(id string) error {
	if id != "" && !zoneIDPattern.MatchString(id) {
		return fmt.Errorf("is not a Route53 hosted zone id (Z followed by capitals and digits, e.g. Z0123456789ABCDEFGHIJ); leave it empty to create a zone")
	}
	return nil
}
