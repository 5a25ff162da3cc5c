package stacks

// Reading the monitoring keys: the level, and whom the alarms tell.

import (
	"encoding/json"
	"slices"

	"edstack/components/observability"
)

func (r reader) monitoring(region string, regionOK bool) MonitoringConfig {
	var m MonitoringConfig
	if v, ok := r.declared(KeyMonitoring); ok {
		m.Level = observability.Level(v)
		if !slices.Contains(observability.Levels, m.Level) {
			r.ps.add(KeyMonitoring, v, "is not a monitoring level; use %s", r.want(KeyMonitoring))
		}
	}
	if v, ok := r.declared(KeyAlarmEmails); ok {
		if err := json.Unmarshal([]byte(v), &m.Emails); err != nil {
			r.ps.add(KeyAlarmEmails, v, "is not a list of email addresses; use e.g. [ops@example.org], or [] for none")
		}
		if len(m.Emails) > observability.MaxEmails {
			r.ps.add(KeyAlarmEmails, v, "lists %d addresses; use %s (a group address reaches more people)", len(m.Emails), r.want(KeyAlarmEmails))
		}
		seen := map[string]bool{}
		for _, e := range m.Emails {
			if err := observability.CheckEmail(e); err != nil {
				r.ps.add(KeyAlarmEmails, e, "%s", err)
			}
			if seen[e] {
				r.ps.add(KeyAlarmEmails, e, "is listed twice; list each address once")
			}
			seen[e] = true
		}
	}
	if v, ok := r.declared(KeyAlarmPagerSecretArn); ok && v != "" {
		m.PagerSecretArn = v
		match := secretArnPattern.FindStringSubmatch(v)
		switch {
		case match == nil:
			r.ps.add(KeyAlarmPagerSecretArn, v, "is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>); store the pager's URL in a secret and give its ARN")
		case regionOK && match[1] != region:
			r.ps.add(KeyAlarmPagerSecretArn, v, "is in %s; the stack reads secrets of its own region, %s", match[1], region)
		}
	}
	return m
}
