package review

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"edstack/plan"
	"edstack/plan/engine"
)

// maxShown is the longest value a diff shows; longer values are cut with a
// note of their length, so one policy document cannot fill a comment.
const maxShown = 160

// compareResources lines up the resources of both plans by URN and works
// out what `pulumi up` does to each: the direct changes first, then the
// replacements they cascade into through references and providers.
func compareResources(base, head []plan.JSONResource, baseRegion, headRegion string) []Change {
	before := make(map[string]*plan.JSONResource, len(base))
	for i := range base {
		before[base[i].URN] = &base[i]
	}
	after := make(map[string]*plan.JSONResource, len(head))
	for i := range head {
		after[head[i].URN] = &head[i]
	}

	changes := map[string]*Change{}
	for i := range head {
		h := &head[i]
		b, ok := before[h.URN]
		if !ok {
			changes[h.URN] = &Change{URN: h.URN, Type: h.Type, Name: h.Name, Action: Create}
			continue
		}
		if c := compareOne(b, h); c != nil {
			changes[h.URN] = c
		}
		if baseRegion != headRegion && h.Provider == "" && strings.HasPrefix(h.Type, "aws:") {
			// The default provider's region changes: the engine replaces
			// the provider, and with it everything it manages.
			c := changes[h.URN]
			if c == nil {
				c = &Change{URN: h.URN, Type: h.Type, Name: h.Name}
				changes[h.URN] = c
			}
			c.Action = Replace
			c.Diffs = append(c.Diffs, Diff{Path: "(provider)", Before: "default aws provider in " + baseRegion,
				After: "default aws provider in " + headRegion, Replaces: true})
			c.ReplacedBy = appendUnique(c.ReplacedBy, "(provider) "+regionKey)
		}
	}
	cascade(head, before, changes)

	out := make([]Change, 0, len(changes)+len(base))
	for _, c := range changes {
		out = append(out, *c)
	}
	for i := range base {
		b := &base[i]
		if _, kept := after[b.URN]; !kept {
			out = append(out, Change{URN: b.URN, Type: b.Type, Name: b.Name, Action: Delete})
		}
	}
	for i := range out {
		judge(&out[i], before[out[i].URN], after[out[i].URN])
	}
	return out
}

// compareOne is the direct change to a resource in both plans, nil when its
// inputs (and provider) are the same.
func compareOne(b, h *plan.JSONResource) *Change {
	diffs := ignoring(diffInputs(b.Inputs, h.Inputs), h.IgnoreChanges)
	c := &Change{URN: h.URN, Type: h.Type, Name: h.Name, Action: Update}
	if b.Provider != h.Provider {
		// A resource moved to another provider is replaced: the engine
		// cannot update it across providers.
		diffs = append(diffs, Diff{Path: "(provider)", Before: providerName(b.Provider), After: providerName(h.Provider), Replaces: true})
	}
	if len(diffs) == 0 {
		return nil
	}
	for i := range diffs {
		prop := diffs[i].Path
		if prop != "(provider)" {
			prop, diffs[i].Replaces = replacing(h.Type, diffs[i].Path)
		}
		if diffs[i].Replaces {
			c.Action = Replace
			c.ReplacedBy = appendUnique(c.ReplacedBy, prop)
		}
	}
	c.Diffs = diffs
	return c
}

// cascade propagates replacements: a replaced resource gets new outputs
// (id, ARN, and everything AWS computes), so every input built from them
// changes, which replaces the dependent where that input forces it, and so
// on. A resource whose provider is replaced is replaced with it.
func cascade(head []plan.JSONResource, before map[string]*plan.JSONResource, changes map[string]*Change) {
	names := make(map[string]string, len(head))
	for i := range head {
		names[head[i].URN] = head[i].Name
	}
	replaced := func(urn string) bool {
		c, ok := changes[urn]
		return ok && c.Action == Replace
	}
	// Each pass can only add replacements, so this ends within the
	// depth of the dependency graph.
	for grew := true; grew; {
		grew = false
		for i := range head {
			h := &head[i]
			if _, existed := before[h.URN]; !existed {
				continue // created: it has no old inputs to change
			}
			c := changes[h.URN]
			if c == nil {
				c = &Change{URN: h.URN, Type: h.Type, Name: h.Name, Action: Update}
			}
			added := false
			if p := providerURN(h.Provider); p != "" && replaced(p) && !hasVia(c, "(provider)", p) {
				c.Diffs = append(c.Diffs, Diff{Path: "(provider)", Via: p, Replaces: true})
				added = true
			}
			for _, prop := range sortedKeys(h.PropertyDependencies) {
				if len(ignoring([]Diff{{Path: prop}}, h.IgnoreChanges)) == 0 {
					continue // pulumi up leaves it as it is
				}
				for _, dep := range h.PropertyDependencies[prop] {
					if dep == h.URN || !replaced(dep) || hasVia(c, prop, dep) {
						continue
					}
					d := Diff{Path: prop, Via: dep}
					_, d.Replaces = replacing(h.Type, prop)
					d.Secret = isSecret(h.Inputs[prop])
					c.Diffs = append(c.Diffs, d)
					added = true
				}
			}
			if !added {
				continue
			}
			changes[h.URN] = c
			for _, d := range c.Diffs {
				if d.Via == "" || !d.Replaces {
					continue
				}
				c.ReplacedBy = appendUnique(c.ReplacedBy, d.Path)
				if c.Action != Replace {
					c.Action = Replace
					c.Chain = append([]string{names[d.Via] + " via " + d.Path}, changes[d.Via].Chain...)
					grew = true
				}
			}
		}
	}
	for _, c := range changes {
		sort.SliceStable(c.Diffs, func(i, j int) bool { return c.Diffs[i].Path < c.Diffs[j].Path })
		for i := range c.Diffs {
			if v := c.Diffs[i].Via; v != "" && names[v] != "" {
				c.Diffs[i].Via = names[v]
			}
		}
	}
}

// ignoring drops the diffs at or under a path the resource's ignoreChanges
// option names: `pulumi up` leaves those as they are.
func ignoring(diffs []Diff, ignored []string) []Diff {
	if len(ignored) == 0 {
		return diffs
	}
	out := diffs[:0:0]
	for _, d := range diffs {
		skip := false
		for _, ig := range ignored {
			if d.Path == ig || strings.HasPrefix(d.Path, ig+".") || strings.HasPrefix(d.Path, ig+"[") || strings.HasPrefix(d.Path, ig+"#") {
				skip = true
				break
			}
		}
		if !skip {
			out = append(out, d)
		}
	}
	return out
}

func hasVia(c *Change, path, via string) bool {
	for _, d := range c.Diffs {
		if d.Path == path && d.Via == via {
			return true
		}
	}
	return false
}

// diffInputs compares two input maps leaf by leaf. A string holding a JSON
// document (an IAM policy, a container definition) is compared inside, so
// the diff names the statement that changed rather than the whole string.
func diffInputs(before, after map[string]any) []Diff {
	b, a := map[string]string{}, map[string]string{}
	flatten("", before, b)
	flatten("", after, a)
	var diffs []Diff
	for path, old := range b {
		nw, ok := a[path]
		switch {
		case !ok:
			diffs = append(diffs, leafDiff(path, old, ""))
		case nw != old:
			diffs = append(diffs, leafDiff(path, old, nw))
		}
	}
	for path, nw := range a {
		if _, ok := b[path]; !ok {
			diffs = append(diffs, leafDiff(path, "", nw))
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Path < diffs[j].Path })
	return diffs
}

var secretJSON = mustJSON(engine.Secret)

func leafDiff(path, before, after string) Diff {
	if before == secretJSON || after == secretJSON {
		return Diff{Path: path, Secret: true}
	}
	return Diff{Path: path, Before: shorten(before), After: shorten(after)}
}

func isSecret(v any) bool {
	s, ok := v.(string)
	return ok && s == engine.Secret
}

// flatten writes every leaf of v under prefix as path -> JSON value. Empty
// maps and lists are leaves, so that adding the first element shows.
func flatten(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 && prefix != "" {
			out[prefix] = "{}"
			return
		}
		for k, e := range t {
			p := k
			if prefix != "" && !strings.HasSuffix(prefix, "#") {
				p = prefix + "." + k
			} else if prefix != "" {
				p = prefix + k
			}
			flatten(p, e, out)
		}
	case []any:
		if len(t) == 0 {
			out[prefix] = "[]"
			return
		}
		names := elementNames(t)
		for i, e := range t {
			if names != nil {
				flatten(fmt.Sprintf("%s[%s]", prefix, names[i]), e, out)
			} else {
				flatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
			}
		}
	case string:
		if doc, ok := embeddedJSON(t); ok {
			flatten(prefix+"#", doc, out)
			return
		}
		out[prefix] = mustJSON(t)
	default:
		out[prefix] = mustJSON(t)
	}
}

// elementNames are the names of a list's elements when every element is an
// object with a distinct "name" (a container's environment, its port
// mappings, a tag list): "environment[COCKROACH_NODE_COUNT].value" says
// more than "environment[21].value", and survives an insertion above it.
func elementNames(list []any) []string {
	names := make([]string, len(list))
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil
		}
		n, ok := m["name"].(string)
		if !ok || n == "" || seen[n] || strings.ContainsAny(n, "[]") {
			return nil
		}
		seen[n] = true
		names[i] = n
	}
	return names
}

// embeddedJSON parses a string that holds a JSON object or list.
func embeddedJSON(s string) (any, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != '{' && s[0] != '[') {
		return nil, false
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, false
	}
	switch v.(type) {
	case map[string]any, []any:
		return v, true
	}
	return nil, false
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut-- // never split a character
	}
	return fmt.Sprintf("%s… (%d characters)", s[:cut], len(s))
}

// providerURN is the URN part of a provider reference "<urn>::<id>".
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return ref[:i]
	}
	return ref
}

// providerName is a provider reference as a reviewer knows it: its name,
// or "default" for the stack's default provider.
func providerName(ref string) string {
	if ref == "" {
		return "default"
	}
	urn := providerURN(ref)
	return urn[strings.LastIndex(urn, "::")+2:]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func appendUnique(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}
