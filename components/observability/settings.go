package observability

import (
	"fmt"

	"edstack/components/setting"
)

// The config keys the observability component owns.
const (
	KeyMonitoring          = "edstack:monitoring"
	KeyAlarmEmails         = "edstack:alarmEmails"
	KeyAlarmPagerSecretArn = "edstack:alarmPagerSecretArn"
)

// Level is how much a stack watches.
type Level string

// The levels: Full for a country, Minimal for a cheap development stack.
const (
	// Full watches everything: the nodes' metrics through the collector,
	// Container Insights, every alarm and the dashboard.
	Full Level = "full"
	// Minimal keeps what costs next to nothing: the topic, the request
	// path's alarms in the stack's region (on metrics AWS publishes for
	// free) and the Spot interruption record. No collector, no Container
	// Insights, no dashboard, nothing in us-east-1.
	Minimal Level = "minimal"
)

// Levels are the accepted levels.
var Levels = []Level{Full, Minimal}

// Settings are the observability component's config keys.
var Settings = []setting.Setting{
	{
		Key: KeyMonitoring, Type: setting.String, Default: string(Full),
		Accepts: fmt.Sprintf("`%s` or `%s`", Full, Minimal),
		Summary: "How much the stack watches: full (every alarm, the CockroachDB metrics, Container Insights, a dashboard) or minimal (the request path's alarms and Spot records only, for development).",
		Doc: fmt.Sprintf("`%s`: every alarm of \"Operating a country\", the CockroachDB metrics collector beside each node, Container Insights and the country's dashboard. "+
			"`%s`: the alarm topic, the request path's alarms in the stack's region and the Spot interruption record only, for a cheap development stack.", Full, Minimal),
	},
	{
		Key: KeyAlarmEmails, Type: setting.Strings, Default: []string{},
		Accepts: "a list of email addresses, at most " + fmt.Sprint(MaxEmails),
		Summary: "Email addresses every alarm notifies; each confirms its subscription once per topic.",
		Doc: "Email addresses every alarm notifies. SNS sends each a confirmation per topic (the stack's region and, with `full`, us-east-1 for CloudFront's alarms) " +
			"and tells nobody until it is confirmed. Empty: the alarms still change state and show on the dashboard, but nobody is told (the plan says so).",
	},
	{
		Key: KeyAlarmPagerSecretArn, Type: setting.String, Default: "",
		Accepts: "a Secrets Manager secret ARN in the stack's region, or empty",
		Summary: "Secrets Manager secret whose value is a pager's HTTPS endpoint (it holds the pager's key) that every alarm notifies; empty for none.",
		Doc: "A Secrets Manager secret in the stack's region whose value is a pager's HTTPS endpoint, such as a PagerDuty or Opsgenie CloudWatch integration URL. " +
			"The URL holds the pager's key, so it never sits in config: `pulumi up` reads it and keeps it secret in the state. Empty: no pager.",
	},
}
