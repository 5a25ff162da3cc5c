package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// WaiversFile is the project file that declares waivers, beside Pulumi.yaml.
// It is checked in, so that every exception is reviewed like code and its
// history says who decided it; a stack's config cannot waive a rule.
const WaiversFile = "waivers.yaml"

// MaxWaiverDays is how far ahead a waiver may expire: every exception is
// looked at again within two years.
const MaxWaiverDays = 731

// Waiver is a conscious exception to a rule, for some resources.
type Waiver struct {
	Rule string `json:"rule" yaml:"rule"`
	// Resources are the logical names the waiver covers, as shell patterns
	// ("*-api-sync" covers nz-api-sync and au-api-sync).
	Resources []string `json:"resources" yaml:"resources"`
	// Stacks are the stacks it covers, as patterns; empty for every stack.
	Stacks []string `json:"stacks,omitempty" yaml:"stacks,omitempty"`
	// Regions are the regions of the stacks it covers, as patterns; empty
	// for every region. For an exception that AWS makes by region.
	Regions []string `json:"regions,omitempty" yaml:"regions,omitempty"`
	Reason  string   `json:"reason" yaml:"reason"`
	// Expires is the last day the waiver is in force, YYYY-MM-DD.
	Expires string `json:"expires" yaml:"expires"`
}

// Scope is the stack a verdict is for, and its region.
type Scope struct{ Stack, Region string }

// AppliesTo reports whether the waiver is for the stack.
func (w Waiver) AppliesTo(s Scope) bool {
	return (len(w.Stacks) == 0 || matchAny(w.Stacks, s.Stack)) && (len(w.Regions) == 0 || matchAny(w.Regions, s.Region))
}

// Covers reports whether the waiver names the resource called name.
func (w Waiver) Covers(name string) bool { return matchAny(w.Resources, name) }

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

type waiversDoc struct {
	Waivers []Waiver `yaml:"waivers"`
}

// LoadWaivers reads dir's waivers file (none when it does not exist) and
// checks every waiver against the pack on date today, reporting every
// problem at once.
func LoadWaivers(dir string, rules []Rule, today string) ([]Waiver, error) {
	file := filepath.Join(dir, WaiversFile)
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	ws, err := ParseWaivers(b, rules, today)
	if err != nil {
		return nil, fmt.Errorf("policy: %s: %w", file, err)
	}
	return ws, nil
}

// ParseWaivers reads a waivers document and checks it (see LoadWaivers).
func ParseWaivers(b []byte, rules []Rule, today string) ([]Waiver, error) {
	var doc waiversDoc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	now, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return nil, fmt.Errorf("today %q: %w", today, err)
	}
	var problems []string
	for i, w := range doc.Waivers {
		at := fmt.Sprintf("waivers[%d] (rule %q)", i, w.Rule)
		if Find(rules, w.Rule) == nil {
			problems = append(problems, fmt.Sprintf("%s: no such rule; `go run . policy` lists the rules", at))
		}
		if len(w.Resources) == 0 {
			problems = append(problems, at+": resources: name at least one resource (a pattern such as \"*-api-sync\")")
		}
		for _, p := range slices.Concat(w.Resources, w.Stacks, w.Regions) {
			if _, err := path.Match(p, ""); err != nil {
				problems = append(problems, fmt.Sprintf("%s: pattern %q: %v", at, p, err))
			}
		}
		if strings.TrimSpace(w.Reason) == "" {
			problems = append(problems, at+": reason: say why the rule does not apply or why it waits")
		}
		exp, err := time.Parse(time.DateOnly, w.Expires)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: expires %q: use a date, YYYY-MM-DD", at, w.Expires))
		case exp.After(now.AddDate(0, 0, MaxWaiverDays)):
			problems = append(problems, fmt.Sprintf("%s: expires %s: at most %d days ahead (by %s)", at, w.Expires,
				MaxWaiverDays, now.AddDate(0, 0, MaxWaiverDays).Format(time.DateOnly)))
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return doc.Waivers, nil
}
