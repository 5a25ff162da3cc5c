package logs

import (
	"edstack/components/setting"
)

// KeyRetentionDays is the config key of every log group's retention.
const KeyRetentionDays = "edstack:logRetentionDays"

// DefaultRetentionDays is how long a stack's logs are kept unless it says:
// a school term, long enough to look back at an incident.
const DefaultRetentionDays = 90

// Settings are the config keys the log groups own.
var Settings = []setting.Setting{{
	Key: KeyRetentionDays, Type: setting.Integer, Default: DefaultRetentionDays,
	Min: RetentionDays[0], Max: RetentionDays[len(RetentionDays)-1], What: "a retention CloudWatch accepts",
	Accepts: "one of " + RetentionChoices(),
	Summary: "Days every CloudWatch log group of the stack keeps its logs.",
	Doc:     "Days every CloudWatch log group of the stack (VPC flow logs, the database's, the functions', API access logs) keeps its logs.",
}}
