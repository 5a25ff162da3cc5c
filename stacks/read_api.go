package stacks

// Reading the keys of the request path: the edge and the application tier.

import (
	"strconv"
	"strings"

	"edstack/components/api"
	"edstack/components/edge"
)

func (r reader) edge(country Country, countryOK bool) EdgeConfig {
	var e EdgeConfig
	var ok bool
	if e.WAFRateLimit, ok = r.integer(KeyWAFRateLimit); ok {
		if err := edge.CheckWAFRateLimit(e.WAFRateLimit); err != nil {
			r.ps.add(KeyWAFRateLimit, strconv.Itoa(e.WAFRateLimit), "%s", err)
		}
	}
	e.AccessLogDays, _ = r.integer(KeyAccessLogRetentionDays)
	e.DNSSEC = r.boolean(KeyDNSSEC)
	if v, ok := r.declared(KeyHostedZoneID); ok {
		if err := edge.CheckHostedZoneID(v); err != nil {
			r.ps.add(KeyHostedZoneID, v, "%s", err)
		}
		e.HostedZoneID = v
	}
	if v, ok := r.declared(KeyPriceClass); ok {
		switch {
		case v == edge.AutoPriceClass && countryOK:
			e.PriceClass = DefaultPriceClass(country)
		case v == edge.AutoPriceClass:
		case edge.ValidPriceClass(v):
			e.PriceClass = v
			if countryOK && !PriceClassServes(v, country) {
				r.ps.add(KeyPriceClass, v, "has no edge locations in %s; use auto or %s", country.Name, DefaultPriceClass(country))
			}
		default:
			r.ps.add(KeyPriceClass, v, "is not a CloudFront price class; use auto, %s", strings.Join(edge.PriceClasses, ", "))
		}
	}
	return e
}

func (r reader) api() APIConfig {
	var a APIConfig
	a.SyncTimeout, _ = r.integer(KeyAPITimeout)
	a.SyncMemoryMB, _ = r.integer(KeyAPIMemory)
	a.ThrottleRate, _ = r.integer(KeyAPIThrottleRate)
	a.ThrottleBurst, _ = r.integer(KeyAPIThrottleBurst)
	a.ReservedConcurrency, _ = r.integer(KeyAPIReservedConcurrency)
	var timeoutOK, triesOK bool
	a.WorkerTimeout, timeoutOK = r.integer(KeyWorkerTimeout)
	a.WorkerMemoryMB, _ = r.integer(KeyWorkerMemory)
	a.WorkerBatchSize, _ = r.integer(KeyWorkerBatchSize)
	a.WorkerMaxConcurrency, _ = r.integer(KeyWorkerMaxConcurrency)
	a.MaxReceiveCount, triesOK = r.integer(KeyJobMaxReceiveCount)
	if triesOK && timeoutOK {
		if _, err := api.QueueRetention(a.MaxReceiveCount, a.WorkerTimeout); err != nil {
			r.ps.add(KeyJobMaxReceiveCount, strconv.Itoa(a.MaxReceiveCount), "is too many: %s", err)
		}
	}
	a.APIBundle = r.bundle(KeyAPIBundle)
	a.WorkerBundle = r.bundle(KeyWorkerBundle)
	return a
}

func (r reader) bundle(key string) string {
	v, ok := r.declared(key)
	if !ok || v == "" {
		return ""
	}
	if err := api.CheckBundle(r.root, v); err != nil {
		r.ps.add(key, v, "is not a usable bundle: %v", err)
	}
	return v
}
