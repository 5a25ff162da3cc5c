package cost

import (
	"fmt"
	"strconv"
)

// Capacity providers of Fargate.
const (
	Fargate     = "FARGATE"
	FargateSpot = "FARGATE_SPOT"
)

// Strategy is one capacity provider of a service's strategy.
type Strategy struct {
	Provider     string
	Base, Weight int
}

// SplitTasks places a service's desired tasks on its capacity providers the
// way ECS does: each provider's base first, in order, then the rest in
// proportion to the weights. Without a strategy every task runs on
// FARGATE.
func SplitTasks(desired int, strategies []Strategy) map[string]float64 {
	out := map[string]float64{}
	if len(strategies) == 0 {
		out[Fargate] = float64(desired)
		return out
	}
	left := desired
	total := 0
	for _, s := range strategies {
		b := min(s.Base, left)
		out[s.Provider] += float64(b)
		left -= b
		total += s.Weight
	}
	if left > 0 && total > 0 {
		for _, s := range strategies {
			out[s.Provider] += float64(left) * float64(s.Weight) / float64(total)
		}
	}
	return out
}

// freeEphemeralGiB is the ephemeral storage every Fargate task gets at no
// charge.
const freeEphemeralGiB = 20

// fargateService prices an ECS service's tasks: vCPU, memory and the
// ephemeral storage above 20 GiB, per capacity provider, FARGATE_SPOT at
// the discount (which applies to vCPU and memory).
func fargateService(e *estimator, r *R) string {
	desired, _ := r.Num("desiredCount")
	td := e.ix.Ref(r.Get("taskDefinition"))
	if td == nil {
		return "its task definition is not in the plan"
	}
	cpu, err1 := strconv.ParseFloat(td.Str("cpu"), 64)
	mem, err2 := strconv.ParseFloat(td.Str("memory"), 64)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("task size %q / %q is not a number", td.Str("cpu"), td.Str("memory"))
	}
	storage, ok := td.Num("ephemeralStorage", "sizeInGib")
	if !ok {
		storage = freeEphemeralGiB
	}
	var strategies []Strategy
	for _, raw := range r.List("capacityProviderStrategies") {
		m, _ := raw.(map[string]any)
		base, _ := m["base"].(float64)
		weight, _ := m["weight"].(float64)
		p, _ := m["capacityProvider"].(string)
		strategies = append(strategies, Strategy{Provider: p, Base: int(base), Weight: int(weight)})
	}
	if len(strategies) == 0 && r.Str("launchType") != "" && r.Str("launchType") != Fargate {
		return "launch type " + r.Str("launchType") + " is not Fargate"
	}
	for _, provider := range []string{Fargate, FargateSpot} {
		tasks := SplitTasks(int(desired), strategies)[provider]
		if tasks == 0 {
			continue
		}
		factor := 1.0
		if provider == FargateSpot {
			factor = 1 - e.discount
		}
		hours := tasks * HoursPerMonth
		e.addAt(r, provider+" vCPU", "fargate-vcpu-hour", hours*cpu/1024, factor, false)
		e.addAt(r, provider+" memory", "fargate-gb-hour", hours*mem/1024, factor, false)
		if extra := storage - freeEphemeralGiB; extra > 0 {
			e.add(r, fmt.Sprintf("ephemeral storage above %d GiB", freeEphemeralGiB), "fargate-storage-gb-hour", hours*extra, false)
		}
	}
	return ""
}

// spotSaving compares the Fargate lines with the same tasks on on-demand
// FARGATE: the saving Spot gives, at the configured discount and across
// the range Spot has shown.
func (e *estimator) spotSaving() (Saving, bool) {
	var actual, onDemand, spotOnDemand float64
	for _, l := range e.lines {
		if l.Type != "aws:ecs/service:Service" {
			continue
		}
		actual += l.Monthly
		switch l.Item {
		case FargateSpot + " vCPU", FargateSpot + " memory":
			od := l.Quantity * l.UnitPrice / (1 - e.discount)
			onDemand += od
			spotOnDemand += od
		default:
			onDemand += l.Monthly
		}
	}
	if spotOnDemand == 0 {
		return Saving{}, false
	}
	at := func(percent float64) float64 { return round(spotOnDemand * percent / 100) }
	return Saving{
		What:        "CockroachDB nodes on FARGATE_SPOT instead of on-demand FARGATE",
		Actual:      round(actual),
		Alternative: round(onDemand),
		Saving:      round(onDemand - actual),
		Range:       []float64{at(MinSpotDiscountPercent), at(MaxSpotDiscountPercent)},
	}, true
}
