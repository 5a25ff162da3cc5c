// Package review compares two plans of a stack, a base and a head, and says
// what `pulumi up` would do to get from one to the other: every resource to
// create, update, replace or delete, the input paths that changed, the
// replacements that cascade through references, the data a change would
// lose, the resources a change cannot touch because they are protected, and
// what happens to the cost and the policy verdict.
//
// It reads only plans (see package plan), so it runs on a fork's pull request
// with no cloud credentials. What it cannot know offline it says: a secret's
// value is never read, only that what it is built from changed; outputs AWS
// computes are placeholders in both plans, so a replacement's effect on the
// resources that reference it comes from the plan's property dependencies
// and the replacement table (replace_table.go), as the engine would work it
// out.
package review

import (
	"sort"
	"strings"

	"edstack/plan"
)

// Action is what `pulumi up` does to one resource.
type Action string

// The actions, in the order a reviewer should read them: danger first.
const (
	Delete  Action = "delete"
	Replace Action = "replace"
	Update  Action = "update"
	Create  Action = "create"
)

// actionOrder ranks the actions for sorting, destructive first.
var actionOrder = map[Action]int{Delete: 0, Replace: 1, Update: 2, Create: 3}

// Change is one resource that a `pulumi up` from base to head touches.
type Change struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Action Action `json:"action"`
	// Diffs are the changed input paths, sorted; secret values show as
	// plan's secret placeholder.
	Diffs []Diff `json:"diffs"`
	// ReplacedBy are the input paths whose change forces the replacement.
	ReplacedBy []string `json:"replacedBy,omitempty"`
	// Chain is, for a replacement caused by another one, the resources it
	// cascades from, nearest first: "nz-crdb-node-cert via certRequestPem".
	Chain []string `json:"chain,omitempty"`
	// Data says what data the resource holds that a replace or delete
	// loses; empty when it holds none.
	Data string `json:"data,omitempty"`
	// Protected: the base plan protects the resource.
	Protected bool `json:"protected"`
	// Blocked: `pulumi up` stops here, because it would have to replace or
	// delete a protected resource.
	Blocked bool `json:"blocked"`
	// Unprotected: the base protects the resource and the head lifts the
	// protection in the same change that replaces it: nothing stops it.
	Unprotected bool `json:"unprotected,omitempty"`
	// Retained: the old resource is left in AWS, unmanaged, when it is
	// deleted or replaced (retainOnDelete).
	Retained bool `json:"retained,omitempty"`
}

// Destructive reports whether the change replaces or deletes.
func (c Change) Destructive() bool { return c.Action == Replace || c.Action == Delete }

// Dangerous reports whether the change must be in the destructive table:
// it replaces or deletes something holding data, or `pulumi up` stops on it.
func (c Change) Dangerous() bool { return c.Destructive() && (c.Data != "" || c.Blocked) }

// Diff is one changed input path.
type Diff struct {
	Path   string `json:"path"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Secret: the value is secret, so neither side is shown.
	Secret bool `json:"secret,omitempty"`
	// Via is the replaced resource the value is built from, when the
	// change comes from a replacement rather than from the program.
	Via string `json:"via,omitempty"`
	// Replaces: a change to this path replaces the resource.
	Replaces bool `json:"replaces,omitempty"`
}

// ConfigChange is one stack config key that differs.
type ConfigChange struct {
	Key    string `json:"key"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// StackReview is the review of one stack.
type StackReview struct {
	Stack string `json:"stack"`
	// New: the stack has no base plan (a stack file the change adds).
	New bool `json:"new,omitempty"`
	// Removed: the stack has no head plan (a stack file the change
	// deletes); its resources are not deleted until someone destroys it.
	Removed bool `json:"removed,omitempty"`
	// HeadError is why the head does not plan: the change breaks the
	// stack. BaseError is why the base does not; the review then treats
	// every head resource as new.
	HeadError string         `json:"headError,omitempty"`
	BaseError string         `json:"baseError,omitempty"`
	Config    []ConfigChange `json:"config"`
	Changes   []Change       `json:"changes"`
	Counts    Counts         `json:"counts"`
	Cost      CostDelta      `json:"cost"`
	Policy    PolicyDelta    `json:"policy"`
}

// Counts are the resources per action.
type Counts struct {
	Create  int `json:"create"`
	Update  int `json:"update"`
	Replace int `json:"replace"`
	Delete  int `json:"delete"`
	// Same are the resources the change leaves alone.
	Same int `json:"same"`
	// Blocked are the changes `pulumi up` stops on.
	Blocked int `json:"blocked"`
	// Data are the replaces and deletes of resources holding data.
	Data int `json:"data"`
}

// Changed reports whether anything differs.
func (r *StackReview) Changed() bool {
	c := r.Counts
	return r.HeadError != "" || c.Create+c.Update+c.Replace+c.Delete > 0 || len(r.Config) > 0 ||
		r.Cost.Delta != 0 || r.Policy.Changed()
}

// regionKey is the default AWS provider's region: changing it replaces the
// provider, and every resource the provider manages with it.
const regionKey = "aws:region"

// Options are what a comparison needs besides the plans.
type Options struct {
	// Today is the date waivers' expiry is judged from, YYYY-MM-DD.
	Today string
	// ExpiringDays: a waiver expiring within this many days of Today is
	// called out; default 30.
	ExpiringDays int
}

// Compare reviews the change from base to head of one stack. Either may be
// nil: a stack the change adds or removes.
func Compare(base, head *plan.JSON, opts Options) *StackReview {
	if opts.ExpiringDays == 0 {
		opts.ExpiringDays = 30
	}
	empty := &plan.JSON{}
	r := &StackReview{Config: []ConfigChange{}, Changes: []Change{}}
	switch {
	case base == nil && head == nil:
		return r
	case base == nil:
		r.Stack, r.New, base = head.Stack, true, empty
	case head == nil:
		r.Stack, r.Removed, head = base.Stack, true, empty
	default:
		r.Stack = head.Stack
	}
	if r.Removed {
		// Nothing changes until someone destroys the stack: there is no
		// head to compare cost, policy or config with.
		r.Cost, r.Policy = noCost(""), comparePolicy(nil, nil, "", 0)
		return r
	}
	r.Config = compareConfig(base.Config, head.Config)
	r.Changes = compareResources(base.Resources, head.Resources, base.Config[regionKey], head.Config[regionKey])
	sortChanges(r.Changes)
	r.Counts = count(r.Changes, len(head.Resources))
	r.Cost = compareCost(base.Cost, head.Cost)
	switch {
	case base.Cost == nil && !r.New:
		r.Cost = noCost("base")
	case head.Cost == nil:
		r.Cost = noCost("head")
	}
	r.Policy = comparePolicy(base.Policy, head.Policy, opts.Today, opts.ExpiringDays)
	return r
}

func count(changes []Change, headResources int) Counts {
	var c Counts
	touched := 0
	for _, ch := range changes {
		switch ch.Action {
		case Create:
			c.Create++
		case Update:
			c.Update++
		case Replace:
			c.Replace++
		case Delete:
			c.Delete++
		}
		if ch.Action != Delete {
			touched++
		}
		if ch.Blocked {
			c.Blocked++
		}
		if ch.Destructive() && ch.Data != "" {
			c.Data++
		}
	}
	c.Same = headResources - touched
	return c
}

// sortChanges orders the changes danger first: blocked, then destructive
// changes to data, then by action, then by name.
func sortChanges(cs []Change) {
	rank := func(c Change) int {
		switch {
		case c.Blocked:
			return 0
		case c.Unprotected, c.Destructive() && c.Data != "":
			return 1
		}
		return 2
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		if actionOrder[a.Action] != actionOrder[b.Action] {
			return actionOrder[a.Action] < actionOrder[b.Action]
		}
		if a.Name != b.Name {
			return naturalLess(a.Name, b.Name)
		}
		return a.URN < b.URN
	})
}

// naturalLess orders names with their numbers as numbers: node-2 before
// node-10, as a reviewer counts them.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
