package cost

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ServerlessClass is Aurora Serverless v2's instance class.
const ServerlessClass = "db.serverless"

// daysPerMonth is the average month's days.
const daysPerMonth = 365.0 / 12

var cronPattern = regexp.MustCompile(`^cron\((\d+) (\d+) \? \* ([A-Z,-]+) \*\)$`)

var weekdays = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// ParseDailyCron reads an Auto Scaling schedule of the form
// cron(M H ? * DAYS *): the minute of the day it fires at, and how many
// days of the week.
func ParseDailyCron(expr string) (minute int, days int, err error) {
	m := cronPattern.FindStringSubmatch(expr)
	if m == nil {
		return 0, 0, fmt.Errorf("schedule %q is not cron(M H ? * DAYS *)", expr)
	}
	mm, _ := strconv.Atoi(m[1])
	hh, _ := strconv.Atoi(m[2])
	set := map[int]bool{}
	for _, part := range strings.Split(m[3], ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, b := index(from), index(to)
		if !isRange {
			b = a
		}
		if a < 0 || b < 0 || b < a {
			return 0, 0, fmt.Errorf("schedule %q: days %q", expr, m[3])
		}
		for d := a; d <= b; d++ {
			set[d] = true
		}
	}
	return hh*60 + mm, len(set), nil
}

func index(day string) int {
	for i, d := range weekdays {
		if d == day {
			return i
		}
	}
	return -1
}

// ReaderHours are the reader instance-hours of a month under a school-day
// schedule: peak readers from start to end on schoolDays of the week, the
// minimum the rest of the time.
func ReaderHours(minimum, peak int, startMinute, endMinute, schoolDays int) float64 {
	schoolHours := float64(endMinute-startMinute) / 60 * float64(schoolDays) * daysPerMonth / 7
	return float64(peak)*schoolHours + float64(minimum)*(HoursPerMonth-schoolHours)
}

// auroraInstance prices a cluster instance at its cluster's minimum ACU
// (load above it is usage: auroraExtraACUHours, on the cluster).
func auroraInstance(e *estimator, r *R) string {
	if class := r.Str("instanceClass"); class != ServerlessClass {
		return "instance class " + class + " (only Serverless v2 is priced)"
	}
	acu, ok := e.minACU(r)
	if !ok {
		return "its cluster's Serverless v2 capacity is not in the plan"
	}
	e.add(r, fmt.Sprintf("Serverless v2 at its minimum %g ACU", acu), "aurora-acu-hour", acu*HoursPerMonth, false)
	return ""
}

func (e *estimator) minACU(r *R) (float64, bool) {
	c := e.ix.Ref(r.Get("clusterIdentifier"))
	if c == nil {
		for _, cl := range e.ix.Of("aws:rds/cluster:Cluster") {
			if cl.Str("clusterIdentifier") == r.Str("clusterIdentifier") {
				c = cl
			}
		}
	}
	if c == nil {
		return 0, false
	}
	return c.Num("serverlessv2ScalingConfiguration", "minCapacity")
}

// auroraCluster prices storage, I/O and capacity above the minimum.
func auroraCluster(e *estimator, r *R) string {
	e.add(r, "storage", "aurora-storage-gb-month", e.use("auroraGB"), true)
	e.add(r, "I/O", "aurora-million-io", e.use("auroraIOMillions"), true)
	if extra := e.use("auroraExtraACUHours"); extra > 0 {
		e.add(r, "capacity above the minimum", "aurora-acu-hour", extra, true)
	}
	return ""
}

// auroraReaders prices the readers Auto Scaling adds, from the target's
// minimum and the school-day scheduled actions, and records the saving
// against a fleet kept at the school-day peak around the clock.
func auroraReaders(e *estimator, r *R) string {
	if r.Str("serviceNamespace") != "rds" {
		return "" // not a database target: nothing of its own
	}
	minimum, _ := r.Num("minCapacity")
	peak := minimum
	start, end, days := -1, -1, 0
	for _, a := range e.ix.Of("aws:appautoscaling/scheduledAction:ScheduledAction") {
		if a.Str("resourceId") != r.Str("resourceId") {
			continue
		}
		at, d, err := ParseDailyCron(a.Str("schedule"))
		if err != nil {
			return err.Error()
		}
		n, _ := a.Num("scalableTargetAction", "minCapacity")
		if n > minimum { // the school day's start raises the minimum
			peak, start, days = n, at, d
		} else {
			end = at
		}
	}
	acu := 0.0
	for _, c := range e.ix.Of("aws:rds/cluster:Cluster") {
		if strings.HasSuffix(r.Str("resourceId"), ":"+c.Str("clusterIdentifier")) {
			acu, _ = c.Num("serverlessv2ScalingConfiguration", "minCapacity")
		}
	}
	if acu == 0 {
		return "its cluster's Serverless v2 capacity is not in the plan"
	}
	hours := float64(minimum) * HoursPerMonth
	if start >= 0 && end > start {
		hours = ReaderHours(int(minimum), int(peak), start, end, days)
	}
	item := fmt.Sprintf("readers at %g ACU: %g outside school hours, %g in them", acu, minimum, peak)
	e.add(r, item, "aurora-acu-hour", hours*acu, false)
	if peak > minimum {
		p, _ := e.prices.Get("aurora-acu-hour")
		actual := round(hours * acu * p.USD)
		flat := round(peak * HoursPerMonth * acu * p.USD)
		e.savings = append(e.savings, Saving{
			What:   fmt.Sprintf("Aurora readers on the school-day schedule instead of %g around the clock", peak),
			Actual: actual, Alternative: flat, Saving: round(flat - actual),
		})
	}
	return ""
}
