package stacks

import (
	"slices"

	"edstack/components/edge"
)

// priceClassCountries are the catalog countries whose edge locations each
// class includes: PriceClass_100 covers North America and Europe,
// PriceClass_200 adds Asia, the Middle East and Africa, and only
// PriceClass_All includes Australia and New Zealand.
var priceClassCountries = map[string][]string{
	"PriceClass_100": {"us", "ca", "gb"},
	"PriceClass_200": {"us", "ca", "gb", "sg", "in"},
}

// PriceClassServes reports whether a price class has edge locations in the
// country, so its students are served nearby.
func PriceClassServes(class string, c Country) bool {
	if class == "PriceClass_All" {
		return true
	}
	return slices.Contains(priceClassCountries[class], c.Code)
}

// DefaultPriceClass is the cheapest class that serves the country.
func DefaultPriceClass(c Country) string {
	for _, class := range edge.PriceClasses {
		if PriceClassServes(class, c) {
			return class
		}
	}
	return "PriceClass_All"
}
