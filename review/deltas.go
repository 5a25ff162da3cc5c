package review

import (
	"math"
	"sort"
	"time"

	"edstack/cost"
	"edstack/plan"
	"edstack/plan/engine"
	"edstack/policy"
)

// CostDelta is the change of the monthly estimate.
type CostDelta struct {
	Currency string  `json:"currency"`
	Base     float64 `json:"base"`
	Head     float64 `json:"head"`
	Delta    float64 `json:"delta"`
	// Components are the components whose monthly cost changes.
	Components []ComponentDelta `json:"components"`
	// Missing names the side whose plan has no estimate (planned by an
	// edstack older than the cost model): then there is no change to show.
	Missing string `json:"missing,omitempty"`
}

// ComponentDelta is one component's change.
type ComponentDelta struct {
	Component string  `json:"component"`
	Base      float64 `json:"base"`
	Head      float64 `json:"head"`
	Delta     float64 `json:"delta"`
}

// PolicyDelta is what changes in the policy verdict.
type PolicyDelta struct {
	// New are findings of the head that the base does not have.
	New []policy.Finding `json:"new"`
	// Resolved are findings of the base the head no longer has, and how.
	Resolved []Resolved `json:"resolved"`
	// WaiversAdded and WaiversRemoved compare the waivers in force: one
	// added to waivers.yaml, or one that starts or stops covering a
	// resource because the resources changed.
	WaiversAdded   []plan.JSONWaiver `json:"waiversAdded"`
	WaiversRemoved []plan.JSONWaiver `json:"waiversRemoved"`
	// Expiring are waivers in force in the head that expire soon: their
	// findings come back as violations then.
	Expiring []plan.JSONWaiver `json:"expiring"`
}

// Resolved is a finding the head no longer has.
type Resolved struct {
	policy.Finding
	// By is "fixed", or "waived" when a head waiver covers it.
	By string `json:"by"`
}

// Changed reports whether the verdict changes at all.
func (p PolicyDelta) Changed() bool {
	return len(p.New)+len(p.Resolved)+len(p.WaiversAdded)+len(p.WaiversRemoved)+len(p.Expiring) > 0
}

// NewMandatory counts the new findings that fail the plan.
func (p PolicyDelta) NewMandatory() int {
	n := 0
	for _, f := range p.New {
		if f.Level == policy.Mandatory {
			n++
		}
	}
	return n
}

// compareConfig lists the config keys that differ; secret values stay
// hidden (the plan never holds them).
func compareConfig(base, head map[string]string) []ConfigChange {
	out := []ConfigChange{}
	// A key one side does not have reads as empty: a key new to
	// Pulumi.yaml with an empty default changes nothing.
	for k, b := range base {
		if h := head[k]; h != b {
			out = append(out, ConfigChange{Key: k, Before: b, After: h})
		}
	}
	for k, h := range head {
		if _, ok := base[k]; !ok && h != "" {
			out = append(out, ConfigChange{Key: k, After: h})
		}
	}
	for i := range out {
		if out[i].Before == engine.Secret || out[i].After == engine.Secret {
			out[i].Before, out[i].After = secretOrEmpty(out[i].Before), secretOrEmpty(out[i].After)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func secretOrEmpty(v string) string {
	if v == "" {
		return ""
	}
	return engine.Secret
}

// noCost is a review without a cost comparison.
func noCost(missing string) CostDelta {
	return CostDelta{Currency: "USD", Components: []ComponentDelta{}, Missing: missing}
}

func compareCost(base, head *cost.JSON) CostDelta {
	d := CostDelta{Currency: "USD", Components: []ComponentDelta{}}
	byName := map[string]*ComponentDelta{}
	var names []string
	add := func(j *cost.JSON, head bool) {
		if j == nil {
			return
		}
		if j.Currency != "" {
			d.Currency = j.Currency
		}
		for _, c := range j.Components {
			cd, ok := byName[c.Component]
			if !ok {
				cd = &ComponentDelta{Component: c.Component}
				byName[c.Component] = cd
				names = append(names, c.Component)
			}
			if head {
				cd.Head = c.Monthly
			} else {
				cd.Base = c.Monthly
			}
		}
	}
	add(base, false)
	add(head, true)
	if base != nil {
		d.Base = base.Monthly
	}
	if head != nil {
		d.Head = head.Monthly
	}
	d.Delta = cents(d.Head - d.Base)
	for _, n := range names {
		cd := byName[n]
		cd.Delta = cents(cd.Head - cd.Base)
		if cd.Delta != 0 {
			d.Components = append(d.Components, *cd)
		}
	}
	sort.SliceStable(d.Components, func(i, j int) bool {
		return math.Abs(d.Components[i].Delta) > math.Abs(d.Components[j].Delta)
	})
	return d
}

func cents(v float64) float64 { return math.Round(v*100) / 100 }

func comparePolicy(base, head *plan.JSONPolicy, today string, expiringDays int) PolicyDelta {
	if base == nil {
		base = &plan.JSONPolicy{}
	}
	if head == nil {
		head = &plan.JSONPolicy{}
	}
	d := PolicyDelta{New: []policy.Finding{}, Resolved: []Resolved{}, WaiversAdded: []plan.JSONWaiver{},
		WaiversRemoved: []plan.JSONWaiver{}, Expiring: []plan.JSONWaiver{}}
	key := func(f policy.Finding) string { return f.Rule + " " + f.URN }
	d.New = append(d.New, onlyIn(head.Findings, base.Findings, key)...)
	waived := map[string]bool{}
	for _, w := range head.Waivers {
		for _, u := range w.URNs {
			waived[w.Rule+" "+u] = true
		}
	}
	for _, f := range onlyIn(base.Findings, head.Findings, key) {
		by := "fixed"
		if waived[key(f)] {
			by = "waived"
		}
		d.Resolved = append(d.Resolved, Resolved{Finding: f, By: by})
	}
	wkey := func(w plan.JSONWaiver) string { return w.Rule + "\x00" + w.Reason + "\x00" + w.Expires }
	d.WaiversAdded = append(d.WaiversAdded, onlyIn(head.Waivers, base.Waivers, wkey)...)
	d.WaiversRemoved = append(d.WaiversRemoved, onlyIn(base.Waivers, head.Waivers, wkey)...)
	if t, err := time.Parse(time.DateOnly, today); err == nil {
		soon := t.AddDate(0, 0, expiringDays).Format(time.DateOnly)
		for _, w := range head.Waivers {
			if w.Expires <= soon {
				d.Expiring = append(d.Expiring, w)
			}
		}
	}
	return d
}

// onlyIn are the elements of a whose key no element of b has, in a's order.
func onlyIn[T any](a, b []T, key func(T) string) []T {
	inB := make(map[string]bool, len(b))
	for _, e := range b {
		inB[key(e)] = true
	}
	var out []T
	for _, e := range a {
		if !inB[key(e)] {
			out = append(out, e)
		}
	}
	return out
}
