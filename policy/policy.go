// Package policy is edstack's policy pack: rules that every plan is checked
// against, offline, as pure functions over the resources the program
// registers (the records the JSON plan prints).
//
// The vocabulary is CrossGuard's, so it reads familiar: a rule is advisory
// (reported) or mandatory (the plan fails), and a pack is the set of rules.
// CrossGuard cannot run Go policies, so the engine is this package.
//
// A conscious exception is a waiver in the project's waivers.yaml: a rule,
// the resources it covers, a reason and an expiry date (see waivers.go).
package policy

import (
	"fmt"
	"sort"
	"strings"

	"edstack/plan/engine"
)

// Severity is how much a violation matters.
type Severity string

// The severities, as Security Hub names them.
const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Level is what a violation does to the plan.
type Level string

// The enforcement levels, as CrossGuard names them.
const (
	// Advisory violations are reported; the plan still succeeds.
	Advisory Level = "advisory"
	// Mandatory violations fail the plan unless waived.
	Mandatory Level = "mandatory"
)

// Rule is one policy of the pack.
type Rule struct {
	// ID is stable: EDS-<SERVICE>-<n>. Waivers and reviews name it.
	ID       string
	Severity Severity
	Level    Level
	// Title says what holds when the rule passes.
	Title string
	// Rationale says in one line why it matters.
	Rationale string
	// Fix says what to change when it fails.
	Fix string
	// Peers are the equivalent controls of other tools, e.g.
	// "Checkov CKV_AWS_18", "cdk-nag AwsSolutions-S1", "Security Hub S3.9".
	Peers []string
	// Types are the resource types the rule looks at: the coverage test
	// requires every AWS type the program registers to be in some rule's.
	Types []string
	// Check returns the violations in a plan.
	Check func(*Index) []Violation
}

// Violation is one resource breaking a rule, before waivers.
type Violation struct {
	URN     string
	Message string
}

// Finding is a violation after waivers: reported, and failing the plan when
// its rule is mandatory and no waiver in force covers it.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Level    Level    `json:"level"`
	URN      string   `json:"urn"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	Peers    []string `json:"peers"`
	// Expired is the waiver that covered this finding until it expired.
	Expired *Waiver `json:"expiredWaiver,omitempty"`
}

// Applied is a waiver in force and the findings it covers in this plan.
type Applied struct {
	Waiver
	// URNs are the resources whose findings the waiver covers.
	URNs []string `json:"urns"`
}

// Report is the outcome of checking one plan.
type Report struct {
	// Rules is how many rules were evaluated.
	Rules int `json:"rules"`
	// Passed is how many rules had no finding and no waived violation.
	Passed int `json:"passed"`
	// Findings are the violations no waiver in force covers: mandatory
	// first, then by severity, rule and resource.
	Findings []Finding `json:"findings"`
	// Waivers are the waivers in force that covered a violation.
	Waivers []Applied `json:"waivers"`
	// Unused are the waivers for this stack whose resources exist but
	// break no rule: a fixed finding whose waiver should go.
	Unused []Waiver `json:"unusedWaivers,omitempty"`
}

// Mandatory returns the findings that fail the plan.
func (r *Report) Mandatory() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Level == Mandatory {
			out = append(out, f)
		}
	}
	return out
}

// Evaluate checks resources against the pack, with the waivers that apply
// to stack on date today ("2006-01-02").
func Evaluate(rules []Rule, resources []*engine.Resource, stack Scope, waivers []Waiver, today string) Report {
	ix := NewIndex(resources)
	rep := Report{Rules: len(rules), Findings: []Finding{}, Waivers: []Applied{}}
	applied := map[int]*Applied{}
	matched := map[int]bool{} // waivers that cover some violation
	for _, rule := range rules {
		violations := rule.Check(ix)
		if len(violations) == 0 {
			rep.Passed++
			continue
		}
		for _, v := range violations {
			f := Finding{Rule: rule.ID, Severity: rule.Severity, Level: rule.Level, URN: v.URN,
				Message: v.Message, Fix: rule.Fix, Peers: rule.Peers}
			name := ix.NameOf(v.URN)
			for i := range waivers {
				if covers(waivers[i], rule.ID, name, stack) {
					matched[i] = true
				}
			}
			if i, w := cover(waivers, rule.ID, name, stack); w != nil {
				if w.Expires >= today {
					if applied[i] == nil {
						applied[i] = &Applied{Waiver: *w}
					}
					applied[i].URNs = append(applied[i].URNs, v.URN)
					continue
				}
				expired := *w
				f.Expired = &expired
				f.Message += fmt.Sprintf(" (waiver expired %s: %s)", w.Expires, w.Reason)
			}
			rep.Findings = append(rep.Findings, f)
		}
	}
	for i, w := range waivers {
		if !w.AppliesTo(stack) {
			continue
		}
		if a := applied[i]; a != nil {
			sort.Strings(a.URNs)
			rep.Waivers = append(rep.Waivers, *a)
		} else if w.Expires >= today && !matched[i] && ix.any(w.Covers) {
			// Its resources exist and break nothing: the waiver is stale.
			rep.Unused = append(rep.Unused, w)
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Level != b.Level {
			return a.Level == Mandatory
		}
		if a.Severity != b.Severity {
			return rank(a.Severity) > rank(b.Severity)
		}
		if a.Rule != b.Rule {
			return lessID(a.Rule, b.Rule)
		}
		return a.URN < b.URN
	})
	return rep
}

func covers(w Waiver, rule, name string, stack Scope) bool {
	return w.Rule == rule && w.AppliesTo(stack) && w.Covers(name)
}

// cover returns the first waiver (and its index) that covers a violation of
// rule by the resource named name in stack, or nil.
func cover(waivers []Waiver, rule, name string, stack Scope) (int, *Waiver) {
	for i := range waivers {
		w := &waivers[i]
		if covers(*w, rule, name, stack) {
			return i, w
		}
	}
	return -1, nil
}

func rank(s Severity) int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	}
	return 1
}

// lessID orders rule ids by service, then by number: EDS-S3-2 < EDS-S3-10.
func lessID(a, b string) bool {
	sa, na := splitID(a)
	sb, nb := splitID(b)
	if sa != sb {
		return sa < sb
	}
	return na < nb
}

func splitID(id string) (string, int) {
	i := strings.LastIndex(id, "-")
	var n int
	fmt.Sscanf(id[i+1:], "%d", &n)
	return id[:i], n
}

// Find returns the rule with the given id, or nil.
func Find(rules []Rule, id string) *Rule {
	for i := range rules {
		if rules[i].ID == id {
			return &rules[i]
		}
	}
	return nil
}
