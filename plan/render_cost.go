package plan

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"edstack/cost"
)

// writeCost writes the Cost section: the monthly total, the fixed and
// usage-based parts, the components, the savings, what is not priced, and
// the assumptions, one line each.
func (p *Plan) writeCost(b *strings.Builder) {
	e := p.Cost
	if e == nil {
		return
	}
	approx := ""
	if e.Approximate {
		approx = ", some approximate"
	}
	fmt.Fprintf(b, "\nCost (%s a month, %s prices of %s%s; `go run . cost` compares stacks)\n", e.Currency, e.Region, e.PriceDate, approx)
	fmt.Fprintf(b, "  Total %s: %s fixed by the resources' settings, %s from the usage profile\n",
		cost.Dollars(e.Total), cost.Dollars(e.Fixed), cost.Dollars(e.UsageBased))
	for _, c := range e.Components {
		fmt.Fprintf(b, "  %-12s %12s\n", c.Name, cost.Dollars(c.Monthly))
	}
	for _, s := range e.Savings {
		fmt.Fprintf(b, "  Saving: %s: %s instead of %s, %s a month less", s.What, cost.Dollars(s.Actual), cost.Dollars(s.Alternative), cost.Dollars(s.Saving))
		if len(s.Range) == 2 {
			fmt.Fprintf(b, " (%s to %s at %d-%d%% off)", cost.Dollars(s.Range[0]), cost.Dollars(s.Range[1]), cost.MinSpotDiscountPercent, cost.MaxSpotDiscountPercent)
		}
		b.WriteString("\n")
	}
	if len(e.Unpriced) == 0 {
		fmt.Fprintf(b, "  Every resource is priced or free (%d free: settings, policies, records)\n", len(e.Free))
	} else {
		fmt.Fprintf(b, "  Not priced, %d resource(s): add them to package cost\n", len(e.Unpriced))
		for _, u := range e.Unpriced {
			fmt.Fprintf(b, "    %s (%s): %s\n", u.Name, u.Type, u.Why)
		}
	}
	b.WriteString("  Assumptions:\n")
	for _, a := range e.Assumptions {
		fmt.Fprintf(b, "    - %s\n", a)
	}
}

// CompareCost writes every stack file's estimate side by side: per
// component, the total, and the savings. Stacks that do not plan are named
// with their error. It returns the number of stacks that did not plan.
func CompareCost(dir string, w io.Writer) int {
	var plans []*Plan
	failed := 0
	for _, stack := range Stacks(dir) {
		p, err := Build(Options{Dir: dir, Stack: stack})
		if err != nil {
			fmt.Fprintf(w, "%s: does not plan: %s\n", stack, indent(err))
			failed++
			continue
		}
		plans = append(plans, p)
	}
	if len(plans) == 0 {
		return failed
	}
	var components []string
	seen := map[string]bool{}
	for _, p := range plans {
		for _, c := range p.Cost.Components {
			if !seen[c.Name] {
				seen[c.Name] = true
				components = append(components, c.Name)
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, cell func(*Plan) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, p := range plans {
			fmt.Fprintf(tw, "%s\t", cell(p))
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(w, "Monthly cost estimate, %s (prices dated %s; usage profiles per stack)\n\n", cost.Currency, cost.PriceDate)
	row("", func(p *Plan) string { return p.Stack })
	row("region", func(p *Plan) string { return p.Cost.Region })
	for _, c := range components {
		row(c, func(p *Plan) string {
			for _, pc := range p.Cost.Components {
				if pc.Name == c {
					return cost.Dollars(pc.Monthly)
				}
			}
			return "-"
		})
	}
	row("fixed", func(p *Plan) string { return cost.Dollars(p.Cost.Fixed) })
	row("usage-based", func(p *Plan) string { return cost.Dollars(p.Cost.UsageBased) })
	row("total", func(p *Plan) string { return cost.Dollars(p.Cost.Total) })
	row("Spot saves", func(p *Plan) string { return saving(p.Cost, "FARGATE_SPOT") })
	row("schedule saves", func(p *Plan) string { return saving(p.Cost, "school-day") })
	row("not priced", func(p *Plan) string { return fmt.Sprint(len(p.Cost.Unpriced)) })
	tw.Flush()
	return failed
}

func saving(e *cost.Estimate, what string) string {
	for _, s := range e.Savings {
		if strings.Contains(s.What, what) {
			return cost.Dollars(s.Saving)
		}
	}
	return "-"
}
