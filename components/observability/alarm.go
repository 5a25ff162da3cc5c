package observability

import (
	"fmt"
	"strings"
)

// Alarm is one alarm as a reviewer and an operator read it, and as
// CloudWatch takes it: what it watches, when it fires, what it means and
// what to do first.
type Alarm struct {
	// Name follows the stack's prefix in the alarm's name:
	// "<prefix>-alarm-<Name>".
	Name string
	// Title is a short line: "CockroachDB: unavailable ranges".
	Title string
	// Meaning says what the alarm firing means; FirstStep what to do first.
	Meaning, FirstStep string
	// Group orders the alarms in the plan and the dashboard: "CockroachDB",
	// "ECS", "Request path", "Edge", "Aurora".
	Group string

	// Metric is what the alarm watches, unless Expression is set: then the
	// alarm watches the expression over Inputs (metric math).
	Metric     Metric
	Expression string
	Inputs     []Input
	// Label names what the expression computes, e.g. "5xx rate (%)".
	Label string

	// Period of each datapoint in seconds; the alarm fires when Datapoints
	// of the last Evaluation periods breach (Datapoints 0: all of them).
	Period, Evaluation, Datapoints int
	// Comparison and Threshold: CloudWatch's operator names.
	Comparison string
	Threshold  float64
	// Unit describes the threshold for a person: "ranges", "ms", "%".
	Unit string
	// MissingData is what no data means: "breaching", "notBreaching",
	// "ignore" or "missing".
	MissingData string
	// InUSEast1 places the alarm in us-east-1, where CloudFront publishes
	// its metrics; it then notifies the us-east-1 topic.
	InUSEast1 bool
}

// Metric is one CloudWatch metric and the statistic read from it.
type Metric struct {
	Namespace, Name string
	// Dimensions, in order; their values may be known only once AWS
	// creates the resource (a function's name, an API's id).
	Dimensions []Dimension
	// Statistic is Average, Sum, Minimum, Maximum, SampleCount, or a
	// percentile such as "p99".
	Statistic string
}

// Dimension is a metric's dimension. Value is a string or a Pulumi
// string input.
type Dimension struct {
	Name  string
	Value any
}

// Input is a metric an expression reads, under an id the expression uses.
type Input struct {
	ID     string
	Metric Metric
}

// CloudWatch's comparison operators the alarms use.
const (
	Above        = "GreaterThanThreshold"
	AtOrAbove    = "GreaterThanOrEqualToThreshold"
	Below        = "LessThanThreshold"
	AtOrBelow    = "LessThanOrEqualToThreshold"
	Breaching    = "breaching"
	NotBreaching = "notBreaching"
)

// comparisons are the operators the alarms use, as a person reads them.
var comparisons = map[string]string{Above: ">", AtOrAbove: ">=", Below: "<", AtOrBelow: "<="}

// Percentile reports whether a statistic is a percentile ("p99"), which
// CloudWatch takes as an extended statistic.
func Percentile(stat string) bool { return strings.HasPrefix(stat, "p") }

// Condition says when the alarm fires, for a person:
// "Maximum of ranges_unavailable > 0 ranges for 5 min".
func (a Alarm) Condition() string {
	what := a.Metric.Statistic + " of " + a.Metric.Name
	if a.Expression != "" {
		what = a.Label
	}
	op := comparisons[a.Comparison]
	s := fmt.Sprintf("%s %s %s%s", what, op, formatNumber(a.Threshold), unit(a.Unit))
	switch {
	case a.Datapoints != 0 && a.Datapoints != a.Evaluation:
		s += fmt.Sprintf(" in %d of %d periods of %s", a.Datapoints, a.Evaluation, duration(a.Period))
	case a.Evaluation == 1:
		s += " over " + duration(a.Period)
	default:
		s += fmt.Sprintf(" in each of %d periods of %s in a row", a.Evaluation, duration(a.Period))
	}
	if a.MissingData == Breaching {
		s += "; no data counts as breaching"
	}
	return s
}

// Description is the alarm's description in CloudWatch, which every
// notification carries: the title, the condition, what it means, the first
// step (SplitDescription reads the first two back).
func (a Alarm) Description() string {
	return fmt.Sprintf("%s%s%s%s%s First: %s", a.Title, whenMark, a.Condition(), meansMark, a.Meaning, a.FirstStep)
}

const whenMark, meansMark = ". When: ", ". Means: "

// SplitDescription reads an alarm description's title and condition, for
// the plan; ok is false for a description Description did not write.
func SplitDescription(d string) (title, condition string, ok bool) {
	title, rest, ok1 := strings.Cut(d, whenMark)
	condition, _, ok2 := strings.Cut(rest, meansMark)
	return title, condition, ok1 && ok2
}

// MaxDescription is CloudWatch's limit on an alarm description.
const MaxDescription = 1024

// MaxAlarmWindow is CloudWatch's limit on Period x Evaluation: one day.
const MaxAlarmWindow = 24 * 3600

// Check says what CloudWatch would refuse in the alarm, or nil.
func (a Alarm) Check() error {
	var bad []string
	if a.Period < 60 || a.Period%60 != 0 {
		bad = append(bad, fmt.Sprintf("period %d s is not a multiple of 60", a.Period))
	}
	if a.Evaluation < 1 || a.Period*a.Evaluation > MaxAlarmWindow {
		bad = append(bad, fmt.Sprintf("%d periods of %d s exceed CloudWatch's one day", a.Evaluation, a.Period))
	}
	if a.Datapoints < 0 || a.Datapoints > a.Evaluation {
		bad = append(bad, fmt.Sprintf("%d datapoints of %d periods", a.Datapoints, a.Evaluation))
	}
	if len(a.Description()) > MaxDescription {
		bad = append(bad, fmt.Sprintf("description of %d characters exceeds %d", len(a.Description()), MaxDescription))
	}
	if (a.Expression == "") == (a.Metric.Name == "") {
		bad = append(bad, "needs a metric or an expression, not both")
	}
	if _, ok := comparisons[a.Comparison]; !ok {
		bad = append(bad, fmt.Sprintf("comparison %q", a.Comparison))
	}
	if len(bad) > 0 {
		return fmt.Errorf("observability: alarm %s: %s", a.Name, strings.Join(bad, "; "))
	}
	return nil
}

func unit(u string) string {
	if u == "" || u == "%" {
		return u
	}
	return " " + u
}

func formatNumber(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprint(int64(f))
	}
	return fmt.Sprintf("%g", f)
}

// duration writes seconds as "5 min", "2 h", "90 s".
func duration(seconds int) string {
	switch {
	case seconds%3600 == 0:
		return fmt.Sprintf("%d h", seconds/3600)
	case seconds%60 == 0:
		return fmt.Sprintf("%d min", seconds/60)
	}
	return fmt.Sprintf("%d s", seconds)
}
