// Package newcountry is `go run . new-country`: it writes the stack file of
// a catalog country (only what differs from the defaults), picks a VPC
// range no other stack file's overlaps, validates and plans it exactly as
// `go run . plan` does, and says what remains before `pulumi up`. Bad input
// and a stack that does not plan write nothing; running it again with the
// same choice changes nothing.
package newcountry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"edstack/components/edge"
	"edstack/plan"
	"edstack/policy"
	"edstack/stacks"
)

// Options are one run's choices.
type Options struct {
	Dir    string // the project folder; default "."
	Code   string // ISO code of a catalog country
	Domain string
	// Region is one of the country's allowed regions; "" is its default.
	Region string
	// LicenceSecretArn is the CockroachDB licence secret, if it exists.
	LicenceSecretArn string
	// Today is the date waivers are checked against; default today.
	Today string
}

// Result is what a run wrote and found.
type Result struct {
	File File
	Path string
	Text string
	// Written is false when the file already said this.
	Written bool
	// Unknown names stack files whose VPC range could not be told.
	Unknown []string
	Plan    *plan.Plan
	Steps   []Step
}

// Refused is bad input: every problem at once, each naming the flag, the
// value and what would be accepted.
type Refused struct{ Problems []string }

func (r *Refused) Error() string {
	return plural(len(r.Problems), "problem") + ", nothing written:\n- " + strings.Join(r.Problems, "\n- ")
}

// Run writes and plans one country's stack file.
func Run(opts Options) (*Result, error) {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	f, err := choose(opts)
	if err != nil {
		return nil, err
	}
	taken, unknown, err := Ranges(opts.Dir, f.Country.Code)
	if err != nil {
		return nil, err
	}
	if f.CIDR, f.Taken, err = PickCIDR(f.Country, taken); err != nil {
		return nil, err
	}
	res := &Result{File: f, Path: plan.StackFile(opts.Dir, f.Country.Code), Text: f.Render(), Unknown: unknown}

	// An existing file is never overwritten: it is planned as it is when
	// it is for the same region, country and domain, else refused.
	planPath := res.Path
	existing, err := os.ReadFile(res.Path)
	switch {
	case err == nil:
		res.Text = string(existing)
		if diff := configDiff(existing, f.Values()); len(diff) > 0 {
			return nil, &Refused{Problems: []string{fmt.Sprintf("%s exists and %s; new-country leaves an existing file as it is: "+
				"edit it, or delete it and run again", filepath.Base(res.Path), strings.Join(diff, ", "))}}
		}
	case errors.Is(err, os.ErrNotExist):
		tmp, err := os.CreateTemp("", "Pulumi."+f.Country.Code+".*.yaml")
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp.Name())
		if _, err := tmp.WriteString(res.Text); err != nil {
			tmp.Close()
			return nil, err
		}
		if err := tmp.Close(); err != nil {
			return nil, err
		}
		planPath = tmp.Name()
	default:
		return nil, err
	}

	p, err := plan.Build(plan.Options{Dir: opts.Dir, Stack: f.Country.Code, StackFile: planPath, Today: opts.Today})
	if err != nil {
		return nil, fmt.Errorf("the stack file does not validate, so nothing was written:\n%w", err)
	}
	if m := p.Policy.Mandatory(); len(m) > 0 {
		rules := make([]string, len(m))
		for i, v := range m {
			rules[i] = v.Rule
		}
		return nil, fmt.Errorf("the stack fails mandatory policy %s (waivers: %s), so nothing was written; "+
			"`go run . plan --stack %s --dir <a copy>` shows why", strings.Join(rules, ", "), policy.WaiversFile, f.Country.Code)
	}
	res.Plan = p
	if planPath != res.Path {
		if err := os.WriteFile(res.Path, []byte(res.Text), 0o644); err != nil {
			return nil, err
		}
		res.Written = true
	}
	res.Steps = Steps(factsOf(f, p))
	return res, nil
}

// choose checks the input, all of it at once, and returns the file it
// asks for (without its VPC range, which depends on the other files).
func choose(opts Options) (File, error) {
	var problems []string
	c, ok := stacks.LookupCountry(opts.Code)
	if !ok {
		problems = append(problems, fmt.Sprintf("country %q is not in the catalog; use one of %s (lowercase ISO 3166-1 codes), "+
			"or add the country's entry to stacks/countries.go", opts.Code, strings.Join(stacks.CountryCodes(), ", ")))
	}
	if opts.Domain == "" {
		problems = append(problems, "--domain is not set: give the domain the country's site is served at, e.g. learn.example.nz")
	} else if err := edge.CheckDomain(opts.Domain); err != nil {
		problems = append(problems, fmt.Sprintf("--domain %q %s", opts.Domain, err))
	}
	region := opts.Region
	if ok {
		if region == "" {
			region = c.Region
		} else if !slices.Contains(c.Regions, region) {
			problems = append(problems, fmt.Sprintf("--region %q is not a region %s deploys to (data residency); use one of %s, "+
				"or leave --region out for %s", region, c.Name, strings.Join(c.Regions, ", "), c.Region))
		}
	}
	if len(problems) > 0 {
		return File{}, &Refused{Problems: problems}
	}
	return File{Country: c, Region: region, Domain: opts.Domain, LicenceSecretArn: opts.LicenceSecretArn}, nil
}

// configDiff says how an existing stack file differs from this run's
// choice in what defines the stack: its region, country and domain. What
// else the file sets (the licence, alarm subscribers, a range of its own:
// what the checklist has the user add) and the keys Pulumi adds are the
// file's own, and do not count.
func configDiff(existing []byte, want [][2]string) []string {
	config, err := readConfig(existing)
	if err != nil {
		return []string{err.Error()}
	}
	var diff []string
	for _, kv := range want {
		if !slices.Contains(definingKeys, kv[0]) {
			continue
		}
		v, set := config[kv[0]]
		switch {
		case !set:
			diff = append(diff, fmt.Sprintf("does not set %s", kv[0]))
		case fmt.Sprint(v) != kv[1]:
			diff = append(diff, fmt.Sprintf("sets %s to %v, not %s", kv[0], v, kv[1]))
		}
	}
	return diff
}

// definingKeys are what a new-country choice is: the rest of a stack file
// is the user's to change.
var definingKeys = []string{stacks.KeyRegion, stacks.KeyCountry, stacks.KeyDomain}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
