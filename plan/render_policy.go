package plan

import (
	"fmt"
	"strings"

	"edstack/policy"
)

// writePolicy writes the Policy section: violations (mandatory first), the
// waivers in force, then how many rules passed.
func (p *Plan) writePolicy(b *strings.Builder) {
	r := p.Policy
	mandatory := len(r.Mandatory())
	fmt.Fprintf(b, "\nPolicy (%d rules: %d violations, %d mandatory; `go run . policy` explains each rule)\n",
		r.Rules, len(r.Findings), mandatory)
	pack := policy.Pack()
	for _, f := range r.Findings {
		title := ""
		if rule := policy.Find(pack, f.Rule); rule != nil {
			title = rule.Title
		}
		fmt.Fprintf(b, "  %s %-9s %-8s %s  %s\n", mark(f.Level), f.Level, f.Severity, f.Rule, title)
		fmt.Fprintf(b, "      %s\n      fix: %s\n      at:  %s\n", f.Message, f.Fix, f.URN)
	}
	if len(r.Waivers) > 0 {
		fmt.Fprintf(b, "  Waivers in force (%s):\n", policy.WaiversFile)
		for _, w := range r.Waivers {
			fmt.Fprintf(b, "  ~ %s until %s, %d resource(s): %s\n      reason: %s\n",
				w.Rule, w.Expires, len(w.URNs), names(w.URNs), w.Reason)
		}
	}
	for _, w := range r.Unused {
		fmt.Fprintf(b, "  ? waiver of %s for %s covers nothing here: remove it from %s if the finding is fixed\n",
			w.Rule, strings.Join(w.Resources, ", "), policy.WaiversFile)
	}
	fmt.Fprintf(b, "  %d of %d rules passed", r.Passed, r.Rules)
	if mandatory > 0 {
		fmt.Fprintf(b, "; %d mandatory violation(s): pulumi up should not run", mandatory)
	}
	b.WriteString("\n")
}

func mark(l policy.Level) string {
	if l == policy.Mandatory {
		return "✗"
	}
	return "!"
}

// names are the logical names of URNs, for one line.
func names(urns []string) string {
	out := make([]string, len(urns))
	for i, u := range urns {
		out[i] = u[strings.LastIndex(u, "::")+2:]
	}
	return strings.Join(out, ", ")
}
