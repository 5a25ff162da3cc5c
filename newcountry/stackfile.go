package newcountry

import (
	"fmt"
	"net/netip"
	"strings"

	"edstack/stacks"
)

// File is the stack file new-country writes: only what differs from the
// defaults of Pulumi.yaml and of the country's catalog entry.
type File struct {
	Country stacks.Country
	Region  string
	Domain  string
	// LicenceSecretArn is the CockroachDB licence secret; "" writes
	// edstack:cockroachUnlicensed: true until it exists.
	LicenceSecretArn string
	// CIDR is the VPC range when the catalog's is taken; zero keeps the
	// catalog's, which the file then leaves out.
	CIDR netip.Prefix
	// Taken says which stack file's range took the catalog's, for the
	// comment beside CIDR.
	Taken Range
}

// Command is the new-country command line that writes f, with the flags in
// a fixed order and the region only when it is not the default, so that the
// same choice always writes the same file.
func (f File) Command() string {
	cmd := fmt.Sprintf("go run . new-country %s --domain %s", f.Country.Code, f.Domain)
	if f.Region != f.Country.Region {
		cmd += " --region " + f.Region
	}
	if f.LicenceSecretArn != "" {
		cmd += " --licence-secret-arn " + f.LicenceSecretArn
	}
	return cmd
}

// Values are the config keys the file sets, in the order it sets them.
func (f File) Values() [][2]string {
	v := [][2]string{
		{stacks.KeyRegion, f.Region},
		{stacks.KeyCountry, f.Country.Code},
		{stacks.KeyDomain, f.Domain},
	}
	if f.CIDR.IsValid() {
		v = append(v, [2]string{stacks.KeyVPCCIDR, f.CIDR.String()})
	}
	if f.LicenceSecretArn != "" {
		v = append(v, [2]string{stacks.KeyCockroachLicenseSecretArn, f.LicenceSecretArn})
	} else {
		v = append(v, [2]string{stacks.KeyCockroachUnlicensed, "true"})
	}
	return v
}

// Render is the file's text: a header that says where it came from, then
// the config block, with a comment on every value a reader would ask about.
func (f File) Render() string {
	var b strings.Builder
	c := f.Country
	fmt.Fprintf(&b, "# %s, written by `%s`.\n", c.Name, f.Command())
	b.WriteString("# Only what differs from the defaults of Pulumi.yaml and of the catalog\n")
	fmt.Fprintf(&b, "# (stacks/countries.go); `go run . plan --stack %s` shows everything.\n", c.Code)
	b.WriteString("config:\n")
	for _, kv := range f.Values() {
		switch kv[0] {
		case stacks.KeyRegion:
			if f.Region == c.Region {
				b.WriteString("  # The country's default region.\n")
			} else {
				fmt.Fprintf(&b, "  # One of the country's allowed regions; its default is %s.\n", c.Region)
			}
		case stacks.KeyVPCCIDR:
			fmt.Fprintf(&b, "  # The country's catalog range, %s, overlaps %s's %s.\n", c.VPCCIDR, f.Taken.File, f.Taken.Prefix)
		case stacks.KeyCockroachUnlicensed:
			b.WriteString("  # Until the licence secret exists: then replace this line with\n")
			fmt.Fprintf(&b, "  # %s (README, \"The licence\").\n", stacks.KeyCockroachLicenseSecretArn)
		}
		fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
	}
	return b.String()
}
