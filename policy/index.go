package policy

import (
	"encoding/json"
	"slices"
	"strings"

	"edstack/plan/engine"
)

// Index is a plan's resources, looked up the ways rules need: by type, by
// URN, and by the id or ARN that other resources' inputs hold.
type Index struct {
	resources []*engine.Resource
	byType    map[string][]*R
	byURN     map[string]*R
	byRef     map[string]*R
}

// R is one resource as rules read it: the engine's record and its inputs as
// plain values (secrets as engine.Secret).
type R struct {
	*engine.Resource
	In map[string]any
	// Arn is the ARN the engine computed, when the type has one.
	Arn string
}

// NewIndex indexes resources.
func NewIndex(resources []*engine.Resource) *Index {
	ix := &Index{resources: resources, byType: map[string][]*R{}, byURN: map[string]*R{}, byRef: map[string]*R{}}
	for _, res := range resources {
		ix.Add(res)
	}
	return ix
}

// Of returns the resources of a type, in URN order.
func (ix *Index) Of(typ string) []*R { return ix.byType[typ] }

// Ref returns the resource whose id or ARN is ref, or nil.
func (ix *Index) Ref(ref any) *R {
	s, _ := ref.(string)
	return ix.byRef[s]
}

// URN returns the resource with a URN, or nil.
func (ix *Index) URN(urn string) *R { return ix.byURN[urn] }

// NameOf is the logical name of the resource with a URN.
func (ix *Index) NameOf(urn string) string {
	if r := ix.byURN[urn]; r != nil {
		return r.Name
	}
	return urn[strings.LastIndex(urn, "::")+2:]
}

// any reports whether some resource's logical name satisfies match.
func (ix *Index) any(match func(name string) bool) bool {
	for _, r := range ix.byURN {
		if match(r.Name) {
			return true
		}
	}
	return false
}

// Named returns the custom resource with a logical name (a component may
// share it), or nil.
func (ix *Index) Named(name string) *R {
	for _, r := range ix.byURN {
		if r.Name == name && r.Custom {
			return r
		}
	}
	return nil
}

// Drop removes a resource from the index: a what-if for tests and reviews
// ("would the plan pass without it?").
func (ix *Index) Drop(r *R) {
	delete(ix.byURN, r.URN)
	delete(ix.byRef, r.ID)
	delete(ix.byRef, r.Arn)
	ix.byType[r.Type] = slices.DeleteFunc(ix.byType[r.Type], func(o *R) bool { return o == r })
}

// Add indexes one more resource: a what-if, like Drop.
func (ix *Index) Add(res *engine.Resource) *R {
	r := &R{Resource: res, In: res.Plain()}
	if v, ok := res.State["arn"]; ok && v.IsString() {
		r.Arn = v.StringValue()
	}
	ix.byType[res.Type] = append(ix.byType[res.Type], r)
	ix.byURN[res.URN] = r
	if res.ID != "" {
		ix.byRef[res.ID] = r
	}
	if r.Arn != "" {
		ix.byRef[r.Arn] = r
	}
	return r
}

// Types are the resource types registered.
func (ix *Index) Types() []string {
	out := make([]string, 0, len(ix.byType))
	for t := range ix.byType {
		out = append(out, t)
	}
	return out
}

// Get returns the plain input at a path of keys and indexes; nil when the
// path does not exist.
func (r *R) Get(path ...any) any { return engine.At(r.In, path...) }

// Str is the string input at a path, "" when absent or not a string.
func (r *R) Str(path ...any) string { s, _ := r.Get(path...).(string); return s }

// Bool is the boolean input at a path, false when absent.
func (r *R) Bool(path ...any) bool { b, _ := r.Get(path...).(bool); return b }

// Num is the numeric input at a path, and whether it is set.
func (r *R) Num(path ...any) (float64, bool) { n, ok := r.Get(path...).(float64); return n, ok }

// List is the array input at a path, nil when absent.
func (r *R) List(path ...any) []any { a, _ := r.Get(path...).([]any); return a }

// Map is the object input at a path, nil when absent.
func (r *R) Map(path ...any) map[string]any { m, _ := r.Get(path...).(map[string]any); return m }

// JSON decodes a string input that holds a JSON document (a policy, a task
// definition's containers) into v; false when absent or not JSON.
func (r *R) JSON(v any, path ...any) bool {
	s := r.Str(path...)
	return s != "" && json.Unmarshal([]byte(s), v) == nil
}

// Tag is the value of a tag, "" when absent.
func (r *R) Tag(key string) string { return r.Str("tags", key) }

// Has reports whether a key is set to something other than null.
func (r *R) Has(path ...any) bool { return r.Get(path...) != nil }

// Referrers returns the resources of typ whose input at path holds r's id or
// ARN (or a list holding it).
func (ix *Index) Referrers(r *R, typ string, path ...any) []*R {
	var out []*R
	for _, o := range ix.Of(typ) {
		if refers(o.Get(path...), r) {
			out = append(out, o)
		}
	}
	return out
}

func refers(v any, r *R) bool {
	switch x := v.(type) {
	case string:
		return x != "" && (x == r.ID || x == r.Arn)
	case []any:
		for _, e := range x {
			if refers(e, r) {
				return true
			}
		}
	}
	return false
}

// each is the shape of most rules: every resource of typ is checked by
// bad, which returns a message when it breaks the rule.
func each(ix *Index, typ string, bad func(*R) string) []Violation {
	var out []Violation
	for _, r := range ix.Of(typ) {
		if msg := bad(r); msg != "" {
			out = append(out, Violation{URN: r.URN, Message: msg})
		}
	}
	return out
}
