package engine

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Pulumi's mock monitor cannot run a program as a dry run that passes a
// secret built from an unknown value to another resource (it drops the
// unknown and then refuses the secret), so a preview is derived from a full
// run instead: every value the engine computed for a custom resource (its
// id, ARN, endpoints: everything that is not one of its inputs or its name)
// is a placeholder unique to that resource, and an input or output that
// holds one is what `pulumi preview` would show as unknown.

// ToPreview turns a result into what `pulumi preview` shows of a first
// deployment: ids Unknown, and every input that carries a computed value
// Unknown. It returns the computed values, for the outputs (Unknowns).
func (r *Result) ToPreview() Unknowns {
	var tokens []string
	seen := map[string]bool{}
	for _, res := range r.Resources {
		if !res.Custom {
			continue
		}
		nameKey := resource.PropertyKey(orName(nameKeys[res.Type]))
		name := ""
		if v, ok := res.State[nameKey]; ok && v.IsString() {
			name = v.StringValue()
		}
		add := func(s string) {
			// The physical name is known at preview (Pulumi auto-names
			// before it creates), even where AWS uses it as the id; an
			// account id or another bare number is not the resource's own.
			if len(s) >= 8 && s != name && strings.Trim(s, "0123456789") != "" && !seen[s] {
				seen[s] = true
				tokens = append(tokens, s)
			}
		}
		add(res.ID)
		for k, v := range res.State {
			if _, input := res.Inputs[k]; input || k == nameKey {
				continue
			}
			leaves(v, add)
		}
	}
	// Longest first, so that an ARN is matched before the name inside it.
	sort.Slice(tokens, func(i, j int) bool { return len(tokens[i]) > len(tokens[j]) })
	u := Unknowns(tokens)
	for _, res := range r.Resources {
		if res.Custom {
			res.ID = Unknown
		}
		for k, v := range res.Inputs {
			res.Inputs[k] = u.mark(v)
		}
	}
	return u
}

// leaves calls f with every string inside a property value.
func leaves(v resource.PropertyValue, f func(string)) {
	switch {
	case v.IsString():
		f(v.StringValue())
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			leaves(e, f)
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			leaves(e, f)
		}
	case v.IsSecret():
		leaves(v.SecretValue().Element, f)
	}
}

// Unknowns are the values only a deployment makes known.
type Unknowns []string

// Plain replaces in a plain value (as Plain returns) every string that
// holds an unknown with Unknown.
func (u Unknowns) Plain(v any) any {
	switch x := v.(type) {
	case string:
		if u.in(x) {
			return Unknown
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = u.Plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = u.Plain(e)
		}
		return out
	}
	return v
}

func (u Unknowns) in(s string) bool {
	for _, t := range u {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// mark replaces, inside a property value, every string that holds an
// unknown with an unknown value: an object keeps its known fields, as
// `pulumi preview` shows them. Secrets stay secret.
func (u Unknowns) mark(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsString():
		if u.in(v.StringValue()) {
			return resource.MakeComputed(resource.NewStringProperty(""))
		}
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]resource.PropertyValue, len(arr))
		for i, e := range arr {
			out[i] = u.mark(e)
		}
		return resource.NewArrayProperty(out)
	case v.IsObject():
		out := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			out[k] = u.mark(e)
		}
		return resource.NewObjectProperty(out)
	}
	return v
}
