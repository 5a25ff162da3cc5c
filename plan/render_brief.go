package plan

import (
	"fmt"
	"io"
	"strings"

	"edstack/cost"
	"edstack/policy"
)

// WriteBrief writes the plan in a screenful, for a command that made a
// stack rather than one that reviews it: the stack and network settings,
// the alarms and whether anyone is told, the cost by component, and the
// policy verdict with every violation. `go run . plan` has the rest.
func (p *Plan) WriteBrief(w io.Writer) error {
	var b strings.Builder
	for _, s := range p.Settings {
		if s.Title != "Stack" && s.Title != "Network" {
			continue
		}
		writeSection(&b, s)
		b.WriteString("\n")
	}

	alarms, told := 0, 0
	for _, r := range p.Resources {
		switch r.Type {
		case alarmType:
			alarms++
		case subscriptionType:
			told++
		}
	}
	fmt.Fprintf(&b, "Alarms: %d", alarms)
	if alarms > 0 && told == 0 {
		b.WriteString(", and NOBODY IS TOLD: no subscription (set edstack:alarmEmails or edstack:alarmPagerSecretArn)")
	} else if told > 0 {
		fmt.Fprintf(&b, ", %d subscription(s)", told)
	}
	b.WriteString("\n")

	if e := p.Cost; e != nil {
		approx := ""
		if e.Approximate {
			approx = ", some approximate"
		}
		fmt.Fprintf(&b, "Cost: %s a month (%s fixed, %s from the usage profile; %s prices of %s%s)\n",
			cost.Dollars(e.Total), cost.Dollars(e.Fixed), cost.Dollars(e.UsageBased), e.Region, e.PriceDate, approx)
		for _, c := range e.Components {
			fmt.Fprintf(&b, "  %-14s %12s\n", c.Name, cost.Dollars(c.Monthly))
		}
		if len(e.Unpriced) > 0 {
			fmt.Fprintf(&b, "  not priced: %d resource(s)\n", len(e.Unpriced))
		}
	}

	r := p.Policy
	fmt.Fprintf(&b, "Policy: %d of %d rules passed, %d violation(s), %d mandatory; %d waiver(s) of %s in force\n",
		r.Passed, r.Rules, len(r.Findings), len(r.Mandatory()), len(r.Waivers), policy.WaiversFile)
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", mark(f.Level), f.Rule, names([]string{f.URN}), f.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
