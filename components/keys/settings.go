package keys

import "edstack/components/setting"

// KeyKMSKeyArn is the config key of an existing key the stack uses instead
// of creating its own.
const KeyKMSKeyArn = "edstack:kmsKeyArn"

// Settings are the config keys the country key owns.
var Settings = []setting.Setting{{
	Key: KeyKMSKeyArn, Type: setting.String, Default: "",
	Accepts: "empty, or the ARN of a symmetric KMS key in the stack's region (not an alias)",
	Summary: "An existing KMS key to encrypt the stack's data with; empty creates the country's own key (alias/edstack/<stack>).",
	Doc: "An existing customer managed KMS key (its key ARN, in the stack's region) that encrypts the stack's data at rest instead of the key the stack creates " +
		"(`alias/edstack/<country>`, rotated yearly, protected with the data). Its key policy must let CloudWatch Logs of the region and CloudWatch's alarms use it " +
		"(see \"The country's key\"). Changing it later re-encrypts nothing already written, and replaces an Aurora cluster.",
}}
