// Package keys creates a country's customer managed KMS key: the one key
// that encrypts the stack's data at rest (buckets, secrets, queues, log
// groups, function environments, Aurora), so that every use of it shows in
// CloudTrail and the country can revoke it. A stack may instead name a key
// it already has (edstack:kmsKeyArn); that key's policy must then let
// CloudWatch Logs use it (see Policy).
//
// The key is symmetric, rotates yearly, and waits 30 days between a
// scheduled deletion and the deletion. Nothing about it ever needs a
// replacement: its spec, usage and region are fixed, and the policy and
// description change in place, so protecting it with the data costs no
// `pulumi up`.
package keys

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/tags"
)

// Args configure a country's key.
type Args struct {
	// Prefix starts every resource name, e.g. "nz".
	Prefix string
	// Region is the stack's region: CloudWatch Logs of that region may use
	// the key.
	Region string
	// ExistingKeyArn, when set, is a key the stack uses instead of creating
	// one (edstack:kmsKeyArn): a key ARN in Region. Default "": create.
	ExistingKeyArn string
	// DeletionWindowDays is how long a key scheduled for deletion stays
	// recoverable, 7 to 30. Default 30.
	DeletionWindowDays int
	// Protect marks the key protected: `pulumi destroy` refuses to delete
	// it, as deleting it makes everything it encrypted unreadable.
	Protect bool
	// Description of the key. Default: the country key's, which names
	// what it encrypts.
	Description string
	// Tags of the key and alias; the component is "keys".
	Tags tags.Set
}

// Limits of a key's deletion window, which KMS enforces.
const (
	MinDeletionWindowDays     = 7
	MaxDeletionWindowDays     = 30
	DefaultDeletionWindowDays = MaxDeletionWindowDays
)

// ArnPattern matches a KMS key ARN (not an alias), capturing its region.
var ArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+$`)

// CheckArn checks that arn names a KMS key in region.
func CheckArn(arn, region string) error {
	m := ArnPattern.FindStringSubmatch(arn)
	switch {
	case m == nil:
		return fmt.Errorf("is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; an alias will not do)")
	case region != "" && m[1] != region:
		return fmt.Errorf("is in %s; a key encrypts data of its own region only, the stack's is %s", m[1], region)
	}
	return nil
}

// AliasName is the alias a country's key is known by, e.g. alias/edstack/nz.
func AliasName(prefix string) string { return "alias/edstack/" + prefix }

// LogsService is CloudWatch Logs' service principal in region.
func LogsService(region string) string { return "logs." + region + ".amazonaws.com" }

// CloudWatchService is CloudWatch's service principal: its alarms publish
// to the alarm topics, which the key encrypts.
const CloudWatchService = "cloudwatch.amazonaws.com"

// Policy is a country key's policy: the account administers and uses it
// through IAM (roles get only what their policies grant); CloudWatch
// Logs of the key's region may use it for the account's log groups there,
// which it needs to encrypt a log group with the key (AWS's documented
// statement for log group encryption); and CloudWatch may make and read
// data keys, which its alarms need to publish to a topic the key encrypts
// (AWS's documented statement for encrypted topics: SNS's own managed key
// does not let CloudWatch publish).
func Policy(account, region string) policy.Document {
	return policy.Policy(
		policy.AccountRoot(account),
		policy.Statement{
			Sid:       "AllowCloudWatchLogs",
			Effect:    "Allow",
			Principal: map[string]any{"Service": LogsService(region)},
			Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:" + region + ":" + account + ":log-group:*"},
			},
		},
		policy.Statement{
			Sid:       "AllowCloudWatchAlarms",
			Effect:    "Allow",
			Principal: map[string]any{"Service": CloudWatchService},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
		},
	)
}

// Key is a country's key.
type Key struct {
	pulumi.ResourceState

	// Arn is the key's ARN, what every encrypted resource names.
	Arn pulumi.StringOutput
	// Alias is the key's alias name; "" for an existing key.
	Alias string
	// Created says whether the stack created the key (or uses an existing one).
	Created bool
}

// Validate checks the arguments.
func (a Args) Validate() error {
	if a.Prefix == "" || a.Region == "" {
		return fmt.Errorf("keys: a key needs a prefix and a region")
	}
	if a.ExistingKeyArn != "" {
		if err := CheckArn(a.ExistingKeyArn, a.Region); err != nil {
			return fmt.Errorf("keys: existing key %q %w", a.ExistingKeyArn, err)
		}
	}
	if d := a.DeletionWindowDays; d != 0 && (d < MinDeletionWindowDays || d > MaxDeletionWindowDays) {
		return fmt.Errorf("keys: deletion window %d days: KMS takes %d to %d", d, MinDeletionWindowDays, MaxDeletionWindowDays)
	}
	return nil
}

// New creates the country's key and its alias, or takes the existing key.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Key, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if args.DeletionWindowDays == 0 {
		args.DeletionWindowDays = DefaultDeletionWindowDays
	}
	if args.Description == "" {
		args.Description = "edstack " + args.Prefix + ": encrypts the country's data at rest " +
			"(buckets, secrets, queues, logs, function environments, Aurora, alarm notifications)"
	}
	k := &Key{}
	if err := ctx.RegisterComponentResource("edstack:keys:CountryKey", name, k, opts...); err != nil {
		return nil, err
	}
	if args.ExistingKeyArn != "" {
		k.Arn = pulumi.String(args.ExistingKeyArn).ToStringOutput()
		return k, ctx.RegisterResourceOutputs(k, pulumi.Map{"arn": k.Arn, "created": pulumi.Bool(false)})
	}
	id, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("keys: read the account id for the key policy: %w", err)
	}
	keyOpts := []pulumi.ResourceOption{pulumi.Parent(k)}
	if args.Protect {
		keyOpts = append(keyOpts, pulumi.Protect(true))
	}
	key, err := kms.NewKey(ctx, args.Prefix+"-key", &kms.KeyArgs{
		Description:           pulumi.String(args.Description),
		CustomerMasterKeySpec: pulumi.String("SYMMETRIC_DEFAULT"),
		KeyUsage:              pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:     pulumi.Bool(true),
		DeletionWindowInDays:  pulumi.Int(args.DeletionWindowDays),
		Policy:                pulumi.String(Policy(id.AccountId, args.Region).JSON()),
		Tags:                  args.Tags.Named(args.Prefix + "-key"),
	}, keyOpts...)
	if err != nil {
		return nil, fmt.Errorf("keys: key: %w", err)
	}
	k.Alias = AliasName(args.Prefix)
	if _, err := kms.NewAlias(ctx, args.Prefix+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String(k.Alias),
		TargetKeyId: key.KeyId,
	}, pulumi.Parent(k)); err != nil {
		return nil, fmt.Errorf("keys: alias: %w", err)
	}
	k.Arn, k.Created = key.Arn, true
	return k, ctx.RegisterResourceOutputs(k, pulumi.Map{"arn": k.Arn, "alias": pulumi.String(k.Alias), "created": pulumi.Bool(true)})
}
