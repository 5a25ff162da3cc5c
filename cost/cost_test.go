package cost_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/cost"
	"edstack/stacks"
)

func TestSplitTasks(t *testing.T) {
	for _, tt := range []struct {
		name       string
		desired    int
		strategies []cost.Strategy
		want       map[string]float64
	}{
		{"no strategy: on-demand", 2, nil, map[string]float64{cost.Fargate: 2}},
		{"all Spot", 1, []cost.Strategy{{cost.FargateSpot, 0, 1}}, map[string]float64{cost.FargateSpot: 1}},
		{"base first, then weights", 10, []cost.Strategy{{cost.Fargate, 2, 1}, {cost.FargateSpot, 0, 3}},
			map[string]float64{cost.Fargate: 2 + 2, cost.FargateSpot: 6}},
		{"base larger than desired", 1, []cost.Strategy{{cost.Fargate, 3, 0}, {cost.FargateSpot, 0, 1}},
			map[string]float64{cost.Fargate: 1, cost.FargateSpot: 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, cost.SplitTasks(tt.desired, tt.strategies))
		})
	}
}

func TestParseDailyCron(t *testing.T) {
	at, days, err := cost.ParseDailyCron("cron(15 8 ? * MON-FRI *)")
	require.NoError(t, err)
	assert.Equal(t, 8*60+15, at)
	assert.Equal(t, 5, days)
	_, days, err = cost.ParseDailyCron("cron(0 9 ? * MON,WED,FRI-SAT *)")
	require.NoError(t, err)
	assert.Equal(t, 4, days)
	_, _, err = cost.ParseDailyCron("rate(1 hour)")
	assert.Error(t, err)
}

func TestReaderHours(t *testing.T) {
	// 8:00-16:00 on 5 days: 8 h x 5/7 x 365/12 days = 173.81 school hours.
	school := 8.0 * 5 / 7 * 365 / 12
	assert.InDelta(t, 3*school+1*(730-school), cost.ReaderHours(1, 3, 8*60, 16*60, 5), 1e-9)
	assert.InDelta(t, 730, cost.ReaderHours(1, 1, 8*60, 16*60, 5), 1e-9, "no peak: the minimum all month")
}

func TestParseUsage(t *testing.T) {
	u, err := cost.ParseUsage(" apiRequests=5e7, cdnGB = 4000 ")
	require.NoError(t, err)
	assert.Equal(t, 5e7, u["apiRequests"])
	assert.Equal(t, 4000.0, u["cdnGB"])
	assert.Equal(t, cost.DefaultUsage()["jobs"], u["jobs"], "the rest keep their defaults")
	_, err = cost.ParseUsage("apiCalls=1,cdnGB=-2,natGB")
	require.Error(t, err)
	for _, want := range []string{`"apiCalls" is not a usage quantity`, `cdnGB: "-2" is not a non-negative number`, `"natGB" is not key=number`} {
		assert.Contains(t, err.Error(), want)
	}
}

// Every region a country may deploy to has every price the model uses, and
// no price is zero or absurd.
func TestEveryCatalogRegionHasEveryPrice(t *testing.T) {
	reference, err := cost.Prices("us-east-1")
	require.NoError(t, err)
	for _, region := range stacks.CatalogRegions() {
		table, err := cost.Prices(region)
		require.NoError(t, err, "the price table lacks %s, a catalog region", region)
		for _, sku := range cost.SKUs() {
			p, ok := table.Get(sku)
			if !assert.True(t, ok, "%s: no price for %s", region, sku) {
				continue
			}
			ref, _ := reference.Get(sku)
			ratio := p.USD / ref.USD
			assert.True(t, ratio >= 0.85 && ratio < 2.5, "%s %s: %v is %.2f x us-east-1's %v", region, sku, p.USD, ratio, ref.USD)
		}
	}
}

func TestDollarsAndChange(t *testing.T) {
	for v, want := range map[float64]string{0: "$0.00", 1.999: "$2.00", -1234567.891: "-$1,234,567.89", 999.5: "$999.50", 1000: "$1,000.00"} {
		assert.Equal(t, want, cost.Dollars(v))
	}
	for v, want := range map[float64]string{0: "±$0", 313.06: "+$313.06", -45: "-$45.00"} {
		assert.Equal(t, want, cost.Change(v))
	}
}
