package newcountry

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"edstack/stacks"
)

// Usage is the new-country command's help text.
const Usage = `usage: go run . new-country CODE --domain DOMAIN [--region REGION] [--licence-secret-arn ARN] [--dir DIR]

Writes Pulumi.CODE.yaml for a catalog country (stacks/countries.go) with only
what differs from the defaults, picks a VPC range that overlaps no other stack
file's, validates and plans it offline as 'go run . plan' does, and lists
what remains before 'pulumi up'. Bad input, or a stack that does not plan,
writes nothing; an existing file is never overwritten, and running the same
command again changes nothing.

  CODE                       the country's ISO 3166-1 code, lowercase (e.g. jp)
  --domain DOMAIN            the domain the country's site is served at
  --region REGION            one of the country's allowed regions (default:
                             its default region)
  --licence-secret-arn ARN   the Secrets Manager secret holding the CockroachDB
                             licence key, if it exists already
  --dir DIR                  the project folder holding Pulumi.yaml (default .)
`

// Main runs new-country with args (after the subcommand) and returns the
// exit code: 0 written or already there, 1 refused or does not plan, 2 bad
// usage.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new-country", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var opts Options
	fs.StringVar(&opts.Domain, "domain", "", "")
	fs.StringVar(&opts.Region, "region", "", "")
	fs.StringVar(&opts.LicenceSecretArn, "licence-secret-arn", "", "")
	fs.StringVar(&opts.Dir, "dir", ".", "")
	// The code may come before the flags or after them.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		opts.Code, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return 0
		}
		fmt.Fprintf(stderr, "new-country: %v\n\n%s", err, Usage)
		return 2
	}
	rest := fs.Args()
	if opts.Code == "" && len(rest) > 0 {
		opts.Code, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "new-country: unexpected argument %q\n\n%s", rest[0], Usage)
		return 2
	}
	if opts.Code == "" {
		fmt.Fprintf(stderr, "new-country: give the country's code, one of %s\n\n%s", strings.Join(stacks.CountryCodes(), ", "), Usage)
		return 2
	}
	res, err := Run(opts)
	if err != nil {
		fmt.Fprintf(stderr, "new-country: %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return 1
	}
	if err := res.Write(stdout); err != nil {
		fmt.Fprintf(stderr, "new-country: write: %v\n", err)
		return 1
	}
	return 0
}

// Write reports a run: the file, what the plan found, and the checklist.
func (r *Result) Write(w io.Writer) error {
	var b strings.Builder
	name := "Pulumi." + r.File.Country.Code + ".yaml"
	if r.Written {
		fmt.Fprintf(&b, "new-country: wrote %s\n\n", name)
	} else {
		fmt.Fprintf(&b, "new-country: %s is already there for this region, country and domain; left as it is\n\n", name)
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.Text, "\n"), "\n") {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	b.WriteString("\n")
	switch {
	case !r.Written: // the file keeps its own range
	case r.File.CIDR.IsValid():
		fmt.Fprintf(&b, "VPC range: %s, because the country's catalog range %s overlaps %s's.\n", r.File.CIDR, r.File.Country.VPCCIDR, r.Taken())
	default:
		fmt.Fprintf(&b, "VPC range: the catalog's %s, which no other stack file here overlaps.\n", r.File.Country.VPCCIDR)
	}
	for _, u := range r.Unknown {
		fmt.Fprintf(&b, "note: could not tell the VPC range of %s\n", u)
	}
	p := r.Plan
	fmt.Fprintf(&b, "Validated as pulumi up validates it; the plan registers %d resources (`go run . plan --stack %s` lists them).\n",
		len(p.Resources), r.File.Country.Code)
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, warning := range p.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warning)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if err := p.WriteBrief(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nBefore pulumi up, in order (README, \"A new country, from nothing to live\"):\n%s", Text(r.Steps))
	return err
}

// Taken names the stack file whose range took the catalog's.
func (r *Result) Taken() string { return r.File.Taken.File }
