package engine

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// OfType returns the resources of one type token, in URN order.
func (r *Result) OfType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Named returns the resource of the given type and name, or nil.
func (r *Result) Named(typ, name string) *Resource {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	return nil
}

// ByID returns the custom resource whose placeholder id is id, or nil.
func (r *Result) ByID(id string) *Resource {
	for _, res := range r.Resources {
		if res.Custom && res.ID == id {
			return res
		}
	}
	return nil
}

// Children returns the resources whose parent is urn, in URN order.
func (r *Result) Children(urn string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}

// Plain is the resource's inputs as plain values (see Plain).
func (res *Resource) Plain() map[string]any { return Plain(res.Inputs) }

// Input returns the plain value at a path of input keys and array indexes,
// e.g. Input("ingress", 0, "fromPort"); nil when the path does not exist.
func (res *Resource) Input(path ...any) any { return At(Plain(res.Inputs), path...) }

// At returns the value at a path of keys and array indexes into plain
// values (see Plain); nil when the path does not exist.
func At(v any, path ...any) any {
	cur := v
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[s]
		case int:
			a, ok := cur.([]any)
			if !ok || s < 0 || s >= len(a) {
				return nil
			}
			cur = a[s]
		default:
			return nil
		}
	}
	return cur
}

// IsSecret reports whether the input key holds a secret value.
func (res *Resource) IsSecret(key string) bool {
	v, ok := res.Inputs[resource.PropertyKey(key)]
	return ok && (v.IsSecret() || (v.IsOutput() && v.OutputValue().Secret))
}

// Input returns the plain value at a path into the inputs of the resource
// of a type and name; nil when there is no such resource or value.
func (r *Result) Input(typ, name string, path ...any) any {
	res := r.Named(typ, name)
	if res == nil {
		return nil
	}
	return res.Input(path...)
}

// Count is how many resources of a type were registered.
func (r *Result) Count(typ string) int { return len(r.OfType(typ)) }
