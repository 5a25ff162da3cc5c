package policy

import (
	"fmt"
	"io"
	"strings"
)

// WriteRules writes every rule of the pack with its documentation, for
// `go run . policy`.
func WriteRules(w io.Writer, rules []Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "edstack policy pack: %d rules. Mandatory violations fail `go run . plan`; advisory ones are reported.\n", len(rules))
	fmt.Fprintf(&b, "Waive a rule for named resources, with a reason and an expiry, in %s.\n", WaiversFile)
	for _, r := range rules {
		fmt.Fprintf(&b, "\n%s  %s, %s\n  %s\n  why: %s\n  fix: %s\n", r.ID, r.Level, r.Severity, r.Title, r.Rationale, r.Fix)
		if len(r.Peers) > 0 {
			fmt.Fprintf(&b, "  same as: %s\n", strings.Join(r.Peers, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
