package cost

import (
	"strings"

	"edstack/components/setting"
)

// The config keys the cost model owns.
const (
	KeyUsage               = "edstack:costUsage"
	KeySpotDiscountPercent = "edstack:spotDiscountPercent"
)

// Settings are the config keys the cost model owns.
var Settings = []setting.Setting{
	{
		Key: KeyUsage, Type: setting.String, Default: "",
		Accepts: "empty, or comma-separated `key=number` pairs of " + "`" + strings.Join(assumptionKeys(), "`, `") + "`",
		Summary: "Usage quantities that override the cost estimate's defaults, e.g. apiRequests=50000000,cdnGB=4000.",
		Doc: "Usage quantities that override the cost estimate's defaults (a school-year month for a country the size of New Zealand), " +
			"as comma-separated `key=number` pairs, e.g. `apiRequests=50000000,cdnGB=4000` (see \"What a country costs\"). Changes no resource.",
	},
	{
		Key: KeySpotDiscountPercent, Type: setting.Integer, Default: DefaultSpotDiscountPercent, Min: 1, Max: 90, What: "a discount in percent",
		Accepts: "1 to 90",
		Summary: "How far below on-demand the cost estimate prices FARGATE_SPOT, in percent; it has run 50-70.",
		Doc:     "How far below on-demand FARGATE the cost estimate prices `FARGATE_SPOT`, in percent. AWS publishes no fixed Spot price; it has run about 50-70% off. Changes no resource.",
	},
}
