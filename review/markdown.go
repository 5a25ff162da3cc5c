package review

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"edstack/cost"
)

// MaxComment is the most characters one stack's Markdown takes: GitHub
// refuses a comment over 65,536, and the rest is headroom for the job that
// posts it.
const MaxComment = 60000

// Marker is the hidden line that identifies a stack's comment, so that the
// comment job edits it in place instead of adding another.
func Marker(stack string) string { return "<!-- edstack-review stack=" + stack + " -->" }

// Markdown renders one stack's review for a pull-request comment, in at
// most limit characters (MaxComment when 0). The marker, the headline and
// the destructive-changes table come first and are never cut: when they do
// not fit as rows, the table groups its rows. Config, cost, policy and the
// per-resource diffs follow, in collapsed sections, as far as they fit; the
// cut says how much is left out and where to find it.
func (r *StackReview) Markdown(limit int) string {
	if limit <= 0 {
		limit = MaxComment
	}
	const cutNote = 400 // room for the note that says what was cut
	var head strings.Builder
	head.WriteString(Marker(r.Stack) + "\n")
	r.writeHeadline(&head)
	table := r.destructiveTable(false)
	if head.Len()+len(table)+cutNote > limit {
		table = r.destructiveTable(true)
	}
	head.WriteString(table)
	if head.Len()+cutNote > limit {
		// Even grouped, the table does not fit: a change this large is
		// read in the JSON review; the headline says what it does.
		return capped(head.String(), limit-cutNote) +
			"\n\n> [!NOTE]\n> The destructive table is cut: it does not fit in one comment. The review.json artifact has every change.\n"
	}

	sections := []string{r.configSection(), r.costSection(), r.policySection()}
	details := r.changeDetails()
	var b strings.Builder
	b.WriteString(head.String())
	left := func() int { return limit - b.Len() - cutNote }
	cut := 0
	for _, s := range sections {
		if len(s) <= left() {
			b.WriteString(s)
		} else if s != "" {
			cut++
		}
	}
	if len(details) > 0 {
		opening := "\n<details><summary>Every change, input by input</summary>\n\n"
		closing := "</details>\n"
		if left() > len(opening)+len(closing) {
			b.WriteString(opening)
			shown := 0
			for _, d := range details {
				if len(d) > left()-len(closing) {
					break
				}
				b.WriteString(d)
				shown++
			}
			b.WriteString(closing)
			cut += len(details) - shown
		} else {
			cut += len(details)
		}
	}
	if cut > 0 {
		fmt.Fprintf(&b, "\n> [!NOTE]\n> %d more section(s) did not fit in one comment. The job summary's review.json artifact has every change; `go run . review` prints it all.\n", cut)
	}
	return b.String()
}

func (r *StackReview) writeHeadline(b *strings.Builder) {
	c := r.Counts
	fmt.Fprintf(b, "### edstack review: stack `%s`\n\n", r.Stack)
	if r.HeadError != "" {
		fmt.Fprintf(b, "> [!CAUTION]\n> **The head does not plan**, so `pulumi up` would stop before changing anything:\n\n```\n%s\n```\n",
			fence(capped(strings.TrimSpace(r.HeadError), maxError)))
		return
	}
	if r.BaseError != "" {
		fmt.Fprintf(b, "The base does not plan (%s), so every resource shows as new.\n\n", oneLine(r.BaseError))
	}
	switch {
	case r.New:
		fmt.Fprintf(b, "A new stack: `pulumi up` would create all %d resources.\n\n", c.Create)
	case r.Removed:
		b.WriteString("The change removes this stack's file. Nothing is deleted until someone runs `pulumi destroy` on the stack; until then its resources stay, and cost, as they are.\n\n")
	}
	if !r.Changed() {
		b.WriteString("**No changes.** `pulumi up` would leave every resource as it is.\n")
		return
	}
	fmt.Fprintf(b, "**%d to create · %d to update · %d to replace · %d to delete** (%d unchanged)",
		c.Create, c.Update, c.Replace, c.Delete, c.Same)
	if r.Cost.Missing != "" {
		fmt.Fprintf(b, " · cost change unknown: the %s plan has no estimate (an older edstack planned it)", r.Cost.Missing)
	} else {
		fmt.Fprintf(b, " · cost %s a month", cost.Change(r.Cost.Delta))
	}
	if r.Cost.Delta != 0 {
		fmt.Fprintf(b, " (%s → %s)", cost.Dollars(r.Cost.Base), cost.Dollars(r.Cost.Head))
	}
	fmt.Fprintf(b, " · %d new policy violation(s)", len(r.Policy.New))
	if m := r.Policy.NewMandatory(); m > 0 {
		fmt.Fprintf(b, ", %d mandatory", m)
	}
	b.WriteString("\n")
	if c.Blocked > 0 {
		fmt.Fprintf(b, "\n> [!CAUTION]\n> **`pulumi up` will stop:** %d change(s) replace or delete a protected resource. "+
			"Pulumi refuses, and the update fails part-way. Change the program so these resources are kept, "+
			"or, when losing them is intended, lift `protect` first (an update that only does that, or `pulumi state unprotect`).\n", c.Blocked)
	}
	if n := r.unprotected(); n > 0 {
		fmt.Fprintf(b, "\n> [!CAUTION]\n> **Protection lifted and replaced in one change:** %d protected resource(s) lose `protect` in this change "+
			"and are replaced by it, so nothing stops `pulumi up` from losing what they hold.\n", n)
	}
	if c.Data > 0 {
		fmt.Fprintf(b, "\n> [!WARNING]\n> %d change(s) replace or delete a resource that holds data: read the table below.\n", c.Data)
	}
	if n := len(r.Policy.Expiring); n > 0 {
		fmt.Fprintf(b, "\n> [!IMPORTANT]\n> %d waiver(s) expire within 30 days; their findings become violations again.\n", n)
	}
}

// destructiveTable lists every replace and delete, danger first. grouped
// folds rows of the same type, action, cause and stakes into one, for a
// change so large that its rows would not fit.
func (r *StackReview) destructiveTable(grouped bool) string {
	type row struct{ resource, action, forcedBy, data, blocked string }
	var rows []row
	index := map[row]int{}
	names := map[int][]string{}
	for _, c := range r.Changes {
		if !c.Destructive() {
			continue
		}
		rw := row{action: string(c.Action), forcedBy: forcedBy(c, !grouped), data: dash(c.Data), blocked: "no"}
		switch {
		case c.Blocked:
			rw.blocked = "**blocked: `pulumi up` will stop here**"
		case c.Unprotected:
			rw.blocked = "**no: protection lifted in this change**"
		case c.Retained:
			rw.blocked = "no (the old one is left in AWS, unmanaged: retainOnDelete)"
		}
		if !grouped {
			rw.resource = fmt.Sprintf("%s (%s)", code(c.Name), c.Type)
			rows = append(rows, rw)
			continue
		}
		rw.resource = c.Type
		if i, ok := index[rw]; ok {
			names[i] = append(names[i], c.Name)
			continue
		}
		index[rw] = len(rows)
		names[len(rows)] = []string{c.Name}
		rows = append(rows, rw)
	}
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n#### Destructive changes\n\n| Resource | Action | Forced by | Data at risk | Blocked |\n|---|---|---|---|---|\n")
	for i, rw := range rows {
		res := rw.resource
		if grouped {
			n := names[i]
			list := strings.Join(n, ", ")
			if len(n) > 3 {
				list = fmt.Sprintf("%s, … %s", strings.Join(n[:2], ", "), n[len(n)-1])
			}
			res = fmt.Sprintf("%d × %s: %s", len(n), rw.resource, list)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(res), rw.action, cell(rw.forcedBy), cell(rw.data), rw.blocked)
	}
	return b.String()
}

// forcedBy names what replaces a resource: its inputs, and (withChain)
// the chain of replacements it comes from.
func forcedBy(c Change, withChain bool) string {
	if c.Action == Delete {
		return "removed from the program"
	}
	parts := make([]string, 0, len(c.ReplacedBy))
	for _, p := range c.ReplacedBy {
		parts = append(parts, "`"+p+"`")
	}
	s := strings.Join(parts, ", ")
	if withChain && len(c.Chain) > 0 {
		s += " ← " + strings.Join(c.Chain, " ← ")
	} else if len(c.Chain) > 0 {
		s += " (cascaded)"
	}
	return s
}

func (r *StackReview) unprotected() int {
	n := 0
	for _, c := range r.Changes {
		if c.Unprotected {
			n++
		}
	}
	return n
}

// maxError is the most of a program's error the headline quotes.
const maxError = 4000

// capped cuts s to at most n bytes, on a character boundary.
func capped(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "\n… (cut)"
	n -= len(more)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:max(n, 0)] + more
}

func (r *StackReview) configSection() string {
	if len(r.Config) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n#### Config\n\n| Key | Base | Head |\n|---|---|---|\n")
	for _, c := range r.Config {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Key, cell(code(c.Before)), cell(code(c.After)))
	}
	return b.String()
}

func (r *StackReview) costSection() string {
	if r.Cost.Delta == 0 && len(r.Cost.Components) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n#### Cost: %s a month\n\n| Component | Base | Head | Change |\n|---|--:|--:|--:|\n", cost.Change(r.Cost.Delta))
	for _, c := range r.Cost.Components {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Component, cost.Dollars(c.Base), cost.Dollars(c.Head), cost.Change(c.Delta))
	}
	return b.String()
}

func (r *StackReview) policySection() string {
	p := r.Policy
	if !p.Changed() {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n#### Policy\n\n")
	for _, f := range p.New {
		fmt.Fprintf(&b, "- **new %s %s** `%s` on `%s`: %s\n", f.Level, f.Severity, f.Rule, urnName(f.URN), oneLine(f.Message))
	}
	for _, f := range p.Resolved {
		fmt.Fprintf(&b, "- %s: `%s` on `%s`\n", f.By, f.Rule, urnName(f.URN))
	}
	for _, w := range p.WaiversAdded {
		fmt.Fprintf(&b, "- waiver now applies: `%s` until %s, for %d resource(s): %s\n", w.Rule, w.Expires, len(w.URNs), oneLine(w.Reason))
	}
	for _, w := range p.WaiversRemoved {
		fmt.Fprintf(&b, "- waiver no longer applies: `%s` (was until %s)\n", w.Rule, w.Expires)
	}
	for _, w := range p.Expiring {
		fmt.Fprintf(&b, "- **waiver expiring** %s: `%s` for %d resource(s)\n", w.Expires, w.Rule, len(w.URNs))
	}
	return b.String()
}

// changeDetails is one collapsed block per changed resource, and one for
// all the creates.
func (r *StackReview) changeDetails() []string {
	var out []string
	var creates []string
	for _, c := range r.Changes {
		if c.Action == Create {
			creates = append(creates, fmt.Sprintf("+ %s (%s)\n", fence(oneLine(c.Name)), c.Type))
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<details><summary>%s <code>%s</code> (%s)</summary>\n\n```diff\n", c.Action, html.EscapeString(c.Name), c.Type)
		if c.Action == Delete {
			b.WriteString("- the resource is no longer in the program\n")
		}
		for _, d := range c.Diffs {
			b.WriteString(diffLines(d))
		}
		b.WriteString("```\n</details>\n")
		out = append(out, b.String())
	}
	if len(creates) > 0 {
		out = append(out, fmt.Sprintf("<details><summary>create %d resource(s)</summary>\n\n```diff\n%s```\n</details>\n",
			len(creates), strings.Join(creates, "")))
	}
	return out
}

func diffLines(d Diff) string {
	d.Path, d.Via = fence(oneLine(d.Path)), fence(oneLine(d.Via))
	mark := ""
	if d.Replaces {
		mark = "  (forces replacement)"
	}
	switch {
	case d.Via != "":
		what := "changes"
		if d.Secret {
			what = "[secret] changes"
		}
		return fmt.Sprintf("! %s: %s, built from %s, which is replaced%s\n", d.Path, what, d.Via, mark)
	case d.Secret:
		return fmt.Sprintf("! %s: [secret] changed%s\n", d.Path, mark)
	}
	var b strings.Builder
	if d.Before != "" {
		fmt.Fprintf(&b, "- %s: %s%s\n", d.Path, fence(d.Before), mark)
	}
	if d.After != "" {
		m := mark
		if d.Before != "" {
			m = ""
		}
		fmt.Fprintf(&b, "+ %s: %s%s\n", d.Path, fence(d.After), m)
	}
	return b.String()
}

func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func code(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// fence keeps a value from closing the diff's code block.
func fence(s string) string { return strings.ReplaceAll(s, "```", "'''") }

// urnName is the name part of a URN.
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}
