// Package cost estimates what a stack costs a month, in USD, from the
// resources the plan registers: fixed costs from the resources' own
// settings, usage-based costs from a usage profile a stack can override,
// FARGATE_SPOT priced at a discount off on-demand, and Aurora's school-day
// reader schedule priced from its schedule. Prices come from an embedded,
// dated table (prices.csv); nothing is fetched at plan time.
package cost

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// PriceDate is when the embedded prices were taken.
const PriceDate = "2025-06-01"

// PriceSource says where the embedded prices come from.
const PriceSource = "AWS public pricing pages (aws.amazon.com/<service>/pricing), on-demand, Linux/x86, first tier. " +
	"Rows marked list are AWS's list prices (us-east-1, us-east-2, us-west-2, and Sydney's Fargate and NAT; for the regions " +
	"added in November 2026, prices found in AWS Price List data up to July 2026); rows marked approx are scaled from " +
	"us-east-1 by the region's usual premium: check them against the AWS Price List API before relying on them."

// HoursPerMonth is the month the estimate prices: 365 x 24 / 12.
const HoursPerMonth = 730.0

//go:embed prices.csv
var pricesCSV string

// Price is one SKU's price in one region.
type Price struct {
	SKU   string
	Unit  string
	USD   float64
	Basis string // "list" or "approx"
}

// Table is the prices of one region, by SKU.
type Table struct {
	Region string
	prices map[string]Price
}

// Get returns a SKU's price; ok is false when the table lacks it.
func (t Table) Get(sku string) (Price, bool) {
	p, ok := t.prices[sku]
	return p, ok
}

// Approximate reports whether any of the region's prices are approximate.
func (t Table) Approximate() bool {
	for _, p := range t.prices {
		if p.Basis != "list" {
			return true
		}
	}
	return false
}

var tables = sync.OnceValues(func() (map[string]Table, error) { return parsePrices(pricesCSV) })

// parsePrices reads a price table: region,sku,unit,usd,basis.
func parsePrices(text string) (map[string]Table, error) {
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("cost: prices.csv: %w", err)
	}
	out := map[string]Table{}
	for i, row := range rows[1:] {
		if len(row) != 5 {
			return nil, fmt.Errorf("cost: prices.csv line %d: want region,sku,unit,usd,basis", i+2)
		}
		usd, err := strconv.ParseFloat(row[3], 64)
		if err != nil || usd <= 0 {
			return nil, fmt.Errorf("cost: prices.csv line %d: price %q is not a positive number", i+2, row[3])
		}
		if row[4] != "list" && row[4] != "approx" {
			return nil, fmt.Errorf("cost: prices.csv line %d: basis %q: use list or approx", i+2, row[4])
		}
		t, ok := out[row[0]]
		if !ok {
			t = Table{Region: row[0], prices: map[string]Price{}}
			out[row[0]] = t
		}
		if _, dup := t.prices[row[1]]; dup {
			return nil, fmt.Errorf("cost: prices.csv line %d: %s in %s twice", i+2, row[1], row[0])
		}
		t.prices[row[1]] = Price{SKU: row[1], Unit: row[2], USD: usd, Basis: row[4]}
	}
	return out, nil
}

// Prices returns the price table of a region.
func Prices(region string) (Table, error) {
	all, err := tables()
	if err != nil {
		return Table{}, err
	}
	t, ok := all[region]
	if !ok {
		return Table{}, fmt.Errorf("cost: no prices for %s; the table has %s", region, strings.Join(Regions(), ", "))
	}
	return t, nil
}

// Regions lists the regions the table prices.
func Regions() []string {
	all, _ := tables()
	out := make([]string, 0, len(all))
	for r := range all {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// ReferenceRegion is the region whose table lists every SKU the model
// prices; every other region must price the same SKUs.
const ReferenceRegion = "us-east-1"

// SKUs are the SKUs the model prices, as the reference region lists them.
func SKUs() []string {
	t, err := Prices(ReferenceRegion)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(t.prices))
	for sku := range t.prices {
		out = append(out, sku)
	}
	sort.Strings(out)
	return out
}
