package policy

import (
	"encoding/json"
	"strings"
)

// Resource type tokens of the alarms' rules.
const (
	tTopic        = "aws:sns/topic:Topic"
	tSubscription = "aws:sns/topicSubscription:TopicSubscription"
	tAlarm        = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tDashboard    = "aws:cloudwatch/dashboard:Dashboard"
	tEventRule    = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget  = "aws:cloudwatch/eventTarget:EventTarget"
	tMetricFilter = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
)

func alarmRules() []Rule {
	return []Rule{{
		ID: "EDS-SNS-1", Severity: High, Level: Mandatory,
		Title:     "Alarm topics are encrypted with a customer managed key",
		Rationale: "Notifications name the stack's resources and failures; SNS's own managed key does not let CloudWatch publish, so an alarm on such a topic tells nobody.",
		Fix:       "Set kmsMasterKeyId to a customer managed key whose policy lets cloudwatch.amazonaws.com use it (components/keys does).",
		Peers:     []string{"Checkov CKV_AWS_26", "Security Hub SNS.1"},
		Types:     []string{tTopic},
		Check: func(ix *Index) []Violation {
			return each(ix, tTopic, func(t *R) string {
				switch k := t.Str("kmsMasterKeyId"); {
				case k == "":
					return t.Name + " is not encrypted"
				case strings.HasSuffix(k, "alias/aws/sns"):
					return t.Name + " uses SNS's managed key, which CloudWatch cannot publish with"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SNS-2", Severity: Medium, Level: Mandatory,
		Title:     "Subscriptions deliver over TLS",
		Rationale: "An http:// endpoint carries every notification, and a pager's key in its URL, in clear.",
		Fix:       "Subscribe email addresses or an https:// endpoint.",
		Types:     []string{tSubscription},
		Check: func(ix *Index) []Violation {
			return each(ix, tSubscription, func(s *R) string {
				if s.Str("protocol") == "http" {
					return s.Name + " delivers over plain http"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CW-1", Severity: High, Level: Mandatory,
		Title:     "Every alarm notifies a topic of the stack when it fires and when it recovers",
		Rationale: "An alarm without an action changes colour on a console nobody watches; without the recovery, nobody knows the incident is over.",
		Fix:       "Give alarmActions and okActions the alarm topic of the alarm's region (components/observability does).",
		Types:     []string{tAlarm, tTopic},
		Check: func(ix *Index) []Violation {
			return each(ix, tAlarm, func(a *R) string {
				for _, key := range []string{"alarmActions", "okActions"} {
					actions := a.List(key)
					if len(actions) == 0 {
						return a.Name + " has no " + key
					}
					for _, act := range actions {
						if t := ix.Ref(act); t == nil || t.Type != tTopic {
							return a.Name + "'s " + key + " name no topic of the stack"
						}
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CW-2", Severity: Medium, Level: Advisory,
		Title:     "Spot interruptions of the nodes are recorded, counted and alarmed",
		Rationale: "Every Spot interruption replaces a CockroachDB node; a burst of them is how a cluster loses ranges, and Container Insights does not show why a task stopped.",
		Fix:       "An EventBridge rule on the cluster's ECS task state changes with a Spot stop code, a log group target, a metric filter and an alarm (components/observability).",
		Types:     []string{tEventRule, tEventTarget, tMetricFilter, tCapacity},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, c := range ix.Of(tCapacity) {
				if !has(c.List("capacityProviders"), "FARGATE_SPOT") {
					continue
				}
				recorded := false
				for _, rule := range ix.Of(tEventRule) {
					if !strings.Contains(rule.Str("eventPattern"), "SpotInterruption") {
						continue
					}
					for _, target := range ix.Of(tEventTarget) {
						if target.Str("rule") != rule.Str("name") {
							continue
						}
						group := ix.Ref(target.Str("arn"))
						recorded = recorded || (group != nil && len(ix.Referrers(group, tMetricFilter, "logGroupName")) > 0)
					}
				}
				if !recorded {
					out = append(out, Violation{URN: c.URN, Message: "no rule records the Spot interruptions of " + c.Name + " into a counted log group"})
				}
			}
			return out
		},
	}, {
		ID: "EDS-CW-3", Severity: Low, Level: Advisory,
		Title:     "The country's dashboard graphs every alarm's metric",
		Rationale: "The first question of an incident is what else moved; a dashboard of the alarms' own signals answers it in one place.",
		Fix:       "Build the dashboard from the same alarm list as the alarms (components/observability does).",
		Types:     []string{tDashboard},
		Check: func(ix *Index) []Violation {
			return each(ix, tDashboard, func(d *R) string {
				var body map[string]any
				if json.Unmarshal([]byte(d.Str("dashboardBody")), &body) != nil {
					return d.Name + "'s body is not JSON"
				}
				text := d.Str("dashboardBody")
				for _, a := range ix.Of(tAlarm) {
					metric := a.Str("metricName")
					if metric != "" && !strings.Contains(text, `"`+metric+`"`) {
						return d.Name + " does not graph " + metric + " (" + a.Name + ")"
					}
				}
				return ""
			})
		},
	}}
}
