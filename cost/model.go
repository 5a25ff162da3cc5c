package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"edstack/plan/engine"
	"edstack/policy"
)

// Currency of every amount.
const Currency = "USD"

// Spot discount: FARGATE_SPOT is priced as on-demand x (1 - discount).
// AWS does not publish a fixed Spot price; it has run about 50% to 70%
// below on-demand.
const (
	DefaultSpotDiscountPercent = 65
	MinSpotDiscountPercent     = 50
	MaxSpotDiscountPercent     = 70
)

// Line is one priced item of one resource.
type Line struct {
	URN       string  `json:"urn"`
	Name      string  `json:"name"`
	Type      string  `json:"type"`
	Component string  `json:"component"`
	Item      string  `json:"item"`
	Quantity  float64 `json:"quantity"`
	Unit      string  `json:"unit"`
	UnitPrice float64 `json:"unitPrice"`
	Monthly   float64 `json:"monthly"`
	// Usage says the quantity comes from the usage profile, not from the
	// resource's settings.
	Usage bool `json:"usage"`
}

// Unpriced is a resource the model cannot price, and why.
type Unpriced struct {
	URN  string `json:"urn"`
	Name string `json:"name"`
	Type string `json:"type"`
	Why  string `json:"why"`
}

// Free is a resource that costs nothing by itself, and why.
type Free struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Why  string `json:"why"`
}

// Saving compares what the stack pays with an alternative it avoids.
type Saving struct {
	What        string  `json:"what"`
	Actual      float64 `json:"actual"`
	Alternative float64 `json:"alternative"`
	Saving      float64 `json:"saving"`
	// Range, when set, is the saving at the low and high ends of what the
	// discount has been.
	Range []float64 `json:"range,omitempty"`
}

// Component is one component's monthly total.
type Component struct {
	Name    string  `json:"name"`
	Monthly float64 `json:"monthly"`
}

// Estimate is a stack's monthly cost.
type Estimate struct {
	Currency    string `json:"currency"`
	PriceDate   string `json:"priceDate"`
	PriceSource string `json:"priceSource"`
	Region      string `json:"region"`
	// Approximate says some of the region's prices are approximate.
	Approximate  bool        `json:"approximate"`
	Total        float64     `json:"total"`
	Fixed        float64     `json:"fixed"`
	UsageBased   float64     `json:"usageBased"`
	Components   []Component `json:"components"`
	Lines        []Line      `json:"lines"`
	Savings      []Saving    `json:"savings"`
	Unpriced     []Unpriced  `json:"unpriced"`
	Free         []Free      `json:"free"`
	SpotDiscount float64     `json:"spotDiscountPercent"`
	Usage        Usage       `json:"usage"`
	// Assumptions are the model's assumptions, one line each.
	Assumptions []string `json:"assumptions"`
}

// Options are what an estimate depends on beyond the resources.
type Options struct {
	Region string
	// Usage is the usage profile; nil is DefaultUsage.
	Usage Usage
	// SpotDiscountPercent is FARGATE_SPOT's discount; 0 is the default.
	SpotDiscountPercent float64
}

// estimator holds what pricers read.
type estimator struct {
	ix       *policy.Index
	prices   Table
	usage    Usage
	discount float64 // fraction
	lines    []Line
	missing  map[string]bool
	savings  []Saving
}

// Estimate prices resources for a month.
func EstimateOf(resources []*engine.Resource, opts Options) (*Estimate, error) {
	t, err := Prices(opts.Region)
	if err != nil {
		return nil, err
	}
	if opts.Usage == nil {
		opts.Usage = DefaultUsage()
	}
	if opts.SpotDiscountPercent == 0 {
		opts.SpotDiscountPercent = DefaultSpotDiscountPercent
	}
	if d := opts.SpotDiscountPercent; d < 0 || d >= 100 {
		return nil, fmt.Errorf("cost: Spot discount %v%%: use 0 to 99", d)
	}
	e := &estimator{ix: policy.NewIndex(resources), prices: t, usage: opts.Usage,
		discount: opts.SpotDiscountPercent / 100, missing: map[string]bool{}}
	est := &Estimate{Currency: Currency, PriceDate: PriceDate, PriceSource: PriceSource, Region: opts.Region,
		Approximate: t.Approximate(), SpotDiscount: opts.SpotDiscountPercent, Usage: opts.Usage,
		Lines: []Line{}, Unpriced: []Unpriced{}, Free: []Free{}, Savings: []Saving{}}
	for _, r := range resources {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		pr, priced := pricers[r.Type]
		why, free := freeTypes[r.Type]
		switch {
		case priced:
			e.price(pr, e.ix.URN(r.URN))
		case free:
			est.Free = append(est.Free, Free{Name: r.Name, Type: r.Type, Why: why})
		default:
			est.Unpriced = append(est.Unpriced, Unpriced{URN: r.URN, Name: r.Name, Type: r.Type, Why: "no price model for this type"})
		}
	}
	for _, l := range e.lines {
		if l.Usage {
			est.UsageBased += l.Monthly
		} else {
			est.Fixed += l.Monthly
		}
	}
	est.Lines = e.lines
	est.Unpriced = append(est.Unpriced, e.unpricedLines()...)
	est.Total = est.Fixed + est.UsageBased
	est.Components = byComponent(e.lines)
	est.Savings = append(est.Savings, e.savings...)
	if s, ok := e.spotSaving(); ok {
		est.Savings = append(est.Savings, s)
	}
	est.Assumptions = assumptions(est)
	return est, nil
}

// price runs a pricer; a resource whose pricer finds a setting it cannot
// price is reported unpriced.
func (e *estimator) price(pr pricer, r *R) {
	if why := pr(e, r); why != "" {
		e.missing[r.URN+"\x00"+why] = true
	}
}

func (e *estimator) unpricedLines() []Unpriced {
	var out []Unpriced
	for k := range e.missing {
		urn, why, _ := strings.Cut(k, "\x00")
		r := e.ix.URN(urn)
		out = append(out, Unpriced{URN: urn, Name: r.Name, Type: r.Type, Why: why})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// R is a resource as pricers read it.
type R = policy.R

// pricer adds a resource's lines; it returns why it could not price it,
// or "".
type pricer func(e *estimator, r *R) string

// add adds a line of quantity units of a SKU.
func (e *estimator) add(r *R, item, sku string, quantity float64, usage bool) {
	e.addAt(r, item, sku, quantity, 1, usage)
}

// addAt adds a line priced at factor x the SKU's price (Spot's discount).
func (e *estimator) addAt(r *R, item, sku string, quantity, factor float64, usage bool) {
	p, ok := e.prices.Get(sku)
	if !ok {
		e.missing[r.URN+"\x00"+"no price for "+sku+" in "+e.prices.Region] = true
		return
	}
	unit := p.USD * factor
	e.lines = append(e.lines, Line{URN: r.URN, Name: r.Name, Type: r.Type, Component: ComponentOf(r.URN), Item: item,
		Quantity: quantity, Unit: p.Unit, UnitPrice: unit, Monthly: round(quantity * unit), Usage: usage})
}

// use is a usage quantity.
func (e *estimator) use(key string) float64 { return e.usage[key] }

// ComponentOf is the component a resource belongs to, from its URN: the
// first edstack component under the country stack ("cockroach", "edge"),
// or "stack".
func ComponentOf(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return "stack"
	}
	for _, typ := range strings.Split(parts[2], "$") {
		if strings.HasPrefix(typ, "edstack:") && typ != "edstack:index:CountryStack" {
			mod := strings.Split(typ, ":")[1]
			return mod
		}
	}
	return "stack"
}

func byComponent(lines []Line) []Component {
	m := map[string]float64{}
	for _, l := range lines {
		m[l.Component] += l.Monthly
	}
	out := make([]Component, 0, len(m))
	for name, v := range m {
		out = append(out, Component{Name: name, Monthly: round(v)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Monthly != out[j].Monthly {
			return out[i].Monthly > out[j].Monthly
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// round rounds to a hundredth of a cent.
func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func assumptions(est *Estimate) []string {
	out := []string{
		fmt.Sprintf("a month is %v hours; prices of %s dated %s, first tier, no free tier, no savings plans", HoursPerMonth, est.Region, est.PriceDate),
		fmt.Sprintf("FARGATE_SPOT at %v%% off on-demand (it has run %d-%d%% off)", est.SpotDiscount, MinSpotDiscountPercent, MaxSpotDiscountPercent),
	}
	if est.Approximate {
		out = append(out, "some of "+est.Region+"'s prices are approximate (scaled from us-east-1): see cost/prices.csv")
	}
	for _, a := range Assumptions {
		if v := est.Usage[a.Key]; v != a.Default {
			out = append(out, fmt.Sprintf("%s: %s %s (default %s)", a.What, human(v), a.Unit, human(a.Default)))
		} else {
			out = append(out, fmt.Sprintf("%s: %s %s", a.What, human(v), a.Unit))
		}
	}
	return out
}

// human writes a quantity briefly: 30000000 as 30M.
func human(v float64) string {
	if v >= 1e6 && math.Mod(v, 1e5) == 0 {
		return fmt.Sprintf("%gM", v/1e6)
	}
	return fmt.Sprintf("%g", v)
}
