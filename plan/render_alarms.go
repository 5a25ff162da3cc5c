package plan

import (
	"fmt"
	"sort"
	"strings"

	"edstack/components/observability"
	"edstack/plan/engine"
)

const (
	alarmType        = "aws:cloudwatch/metricAlarm:MetricAlarm"
	subscriptionType = "aws:sns/topicSubscription:TopicSubscription"
	topicType        = "aws:sns/topic:Topic"
)

// writeAlarms writes the Alarms section from the registered alarms: what
// each watches and when it fires (its description's title and condition),
// grouped by the topic it notifies, and who each topic tells. A topic
// without a subscription says that nobody is told.
func (p *Plan) writeAlarms(b *strings.Builder) {
	var alarms []*engine.Resource
	topics := map[string]string{} // ARN -> name
	told := map[string][]string{} // topic ARN -> protocols
	for _, r := range p.Resources {
		switch r.Type {
		case alarmType:
			alarms = append(alarms, r)
		case topicType:
			topics[str(r.Plain(), "arn")] = str(r.Plain(), "name")
			topics[r.ID] = str(r.Plain(), "name")
		case subscriptionType:
			in := r.Plain()
			told[str(in, "topic")] = append(told[str(in, "topic")], str(in, "protocol"))
		}
	}
	if len(alarms) == 0 {
		b.WriteString("\nAlarms: none\n")
		return
	}
	byTopic := map[string][]*engine.Resource{}
	for _, a := range alarms {
		for _, action := range list(a.Plain(), "alarmActions") {
			byTopic[action] = append(byTopic[action], a)
		}
	}
	arns := make([]string, 0, len(byTopic))
	for arn := range byTopic {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	fmt.Fprintf(b, "\nAlarms (%d; each notifies its topic when it fires and when it recovers)\n", len(alarms))
	for _, arn := range arns {
		name := topics[arn]
		if name == "" {
			name = arn
		}
		fmt.Fprintf(b, "  to %s: %s\n", name, tells(told[arn]))
		for _, a := range byTopic[arn] {
			title, condition, ok := observability.SplitDescription(str(a.Plain(), "alarmDescription"))
			if !ok {
				title, condition = a.Name, "(no edstack description)"
			}
			fmt.Fprintf(b, "    %-44s %s\n      when %s\n", a.Name, title, condition)
		}
	}
}

// tells says who a topic's subscriptions reach.
func tells(protocols []string) string {
	if len(protocols) == 0 {
		return "NOBODY IS TOLD: no subscription (set edstack:alarmEmails or edstack:alarmPagerSecretArn)"
	}
	emails, pager := 0, false
	for _, p := range protocols {
		emails += map[bool]int{true: 1}[p == "email"]
		pager = pager || p == "https"
	}
	return "tells " + observability.Told(emails, pager) + " (email subscriptions wait for their confirmation)"
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func list(m map[string]any, key string) []string {
	var out []string
	items, _ := m[key].([]any)
	for _, v := range items {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
