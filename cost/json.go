package cost

// JSON is the plan's cost object, in the shape design.md fixes: the total,
// per component its lines, what could not be priced, and the assumptions;
// plus the fixed and usage-based parts and the savings.
type JSON struct {
	Currency    string          `json:"currency"`
	PriceDate   string          `json:"priceDate"`
	Region      string          `json:"region"`
	Monthly     float64         `json:"monthly"`
	Fixed       float64         `json:"fixed"`
	UsageBased  float64         `json:"usageBased"`
	Components  []JSONComponent `json:"components"`
	Savings     []Saving        `json:"savings"`
	Unpriced    []Unpriced      `json:"unpriced"`
	Assumptions JSONAssumptions `json:"assumptions"`
}

// JSONComponent is one component's total and lines.
type JSONComponent struct {
	Component string     `json:"component"`
	Monthly   float64    `json:"monthly"`
	Lines     []JSONLine `json:"lines"`
}

// JSONLine is one priced item.
type JSONLine struct {
	URN         string  `json:"urn"`
	Description string  `json:"description"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`
	UnitPrice   float64 `json:"unitPrice"`
	Monthly     float64 `json:"monthly"`
	// Usage says the quantity is from the usage profile.
	Usage bool `json:"usage"`
}

// JSONAssumptions are what the estimate assumes.
type JSONAssumptions struct {
	HoursPerMonth       float64  `json:"hoursPerMonth"`
	SpotDiscountPercent float64  `json:"spotDiscountPercent"`
	PriceSource         string   `json:"priceSource"`
	Approximate         bool     `json:"approximate"`
	Usage               Usage    `json:"usage"`
	Lines               []string `json:"lines"`
}

// ToJSON returns the estimate in the plan's JSON shape.
func (e *Estimate) ToJSON() *JSON {
	j := &JSON{Currency: e.Currency, PriceDate: e.PriceDate, Region: e.Region, Monthly: e.Total,
		Fixed: round(e.Fixed), UsageBased: round(e.UsageBased), Savings: e.Savings, Unpriced: e.Unpriced,
		Components: make([]JSONComponent, 0, len(e.Components)),
		Assumptions: JSONAssumptions{HoursPerMonth: HoursPerMonth, SpotDiscountPercent: e.SpotDiscount,
			PriceSource: e.PriceSource, Approximate: e.Approximate, Usage: e.Usage, Lines: e.Assumptions}}
	for _, c := range e.Components {
		jc := JSONComponent{Component: c.Name, Monthly: c.Monthly, Lines: []JSONLine{}}
		for _, l := range e.Lines {
			if l.Component == c.Name {
				jc.Lines = append(jc.Lines, JSONLine{URN: l.URN, Description: l.Name + ": " + l.Item,
					Quantity: l.Quantity, Unit: l.Unit, UnitPrice: l.UnitPrice, Monthly: l.Monthly, Usage: l.Usage})
			}
		}
		j.Components = append(j.Components, jc)
	}
	return j
}
