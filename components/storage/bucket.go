// Package storage creates the private S3 buckets of every component the same
// way: public access blocked, owner-enforced, encrypted, versioned, TLS-only,
// with a lifecycle for old versions. Each setting is stated explicitly, even
// where it is AWS's default, so a reviewer sees it in the plan.
//
// A bucket may also take CORS rules (for browser uploads) and a policy with
// statements beyond the TLS-only one, such as a grant to a CloudFront
// distribution that is created after the bucket.
//
// Access logs: a bucket made with ServerAccessLogPrefix receives S3 server
// access logs (and, with ObjectOwnership BucketOwnerPreferred, CloudFront
// standard logs); its LogTarget method hands out a LogTarget per source
// bucket, which BucketArgs.AccessLogs takes.
package storage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/tags"
)

// BucketArgs describe a private bucket.
type BucketArgs struct {
	// NoncurrentVersionDays is how long a replaced or deleted object's old
	// version is kept. Default 30.
	NoncurrentVersionDays int
	// ExpireDays, when set, deletes current objects after that many days.
	ExpireDays int
	// CORS are the bucket's CORS rules, for browsers that talk to the bucket
	// directly (presigned uploads). Default none: no CORS configuration.
	CORS []CORSRule
	// DeferPolicy leaves the bucket policy to a later Bucket.AttachPolicy
	// call, for a policy whose extra statements name resources that need the
	// bucket first (a CloudFront distribution with the bucket as origin).
	// Default false: the bucket gets the TLS-only policy at once.
	DeferPolicy bool
	// ObjectOwnership is the bucket's S3 Object Ownership: "" or
	// OwnerEnforced (the default: ACLs disabled, only policies grant), or
	// OwnerPreferred, which keeps ACLs working for a bucket that CloudFront
	// delivers standard logs to (CloudFront grants itself write access with
	// an ACL, and its delivery fails on an owner-enforced bucket).
	ObjectOwnership string
	// AccessLogs, when set, turns on S3 server access logging of the bucket
	// into the target (see Bucket.LogTarget). Default nil: no access logs.
	AccessLogs *LogTarget
	// ServerAccessLogPrefix, when set, makes the bucket a target of S3
	// server access logs: its policy lets S3's log delivery write under this
	// prefix for the account's buckets (see ServerAccessLogDelivery), and
	// LogTarget hands out one target per source under it. E.g. "s3/". The
	// bucket's default encryption is SSE-S3, the only one S3 server access
	// logs accept. A bucket cannot both receive logs and log to a target.
	ServerAccessLogPrefix string
	// KMSKeyArn, when set, is the customer managed key of the bucket's
	// default encryption (SSE-KMS, with an S3 Bucket Key, which cuts the
	// KMS requests by orders of magnitude); whoever writes or reads objects
	// then needs kms:GenerateDataKey or kms:Decrypt on it. Default nil:
	// SSE-S3. A bucket that receives server access logs cannot take one.
	KMSKeyArn pulumi.StringInput
	Tags      tags.Set
}

// Object Ownership settings that NewPrivateBucket accepts.
const (
	OwnerEnforced  = "BucketOwnerEnforced"
	OwnerPreferred = "BucketOwnerPreferred"
)

// LogTarget is where a bucket's S3 server access logs go: a bucket of the
// same account and region whose policy lets S3's log delivery write there
// (made with BucketArgs.ServerAccessLogPrefix). Get one from
// Bucket.LogTarget.
type LogTarget struct {
	// Bucket is the target bucket's name.
	Bucket pulumi.StringInput
	// Prefix starts the key of every log object, e.g. "s3/nz-edge-static/".
	Prefix string
	// DependsOn are what must exist before logging is turned on: the
	// target's policy that lets S3 deliver the logs.
	DependsOn []pulumi.Resource
}

// ServerAccessLogService is the service principal that delivers S3 server
// access logs.
const ServerAccessLogService = "logging.s3.amazonaws.com"

// CORSRule is one CORS rule of a bucket.
type CORSRule struct {
	// AllowedOrigins are the origins allowed, e.g. "https://learn.example.nz".
	AllowedOrigins []string
	// AllowedMethods are HTTP methods: GET, PUT, HEAD, POST, DELETE.
	AllowedMethods []string
	// AllowedHeaders are the request headers a preflight may name; "*" for any.
	AllowedHeaders []string
	// ExposeHeaders are the response headers a browser script may read.
	ExposeHeaders []string
	// MaxAgeSeconds is how long a browser caches the preflight answer. 0: unset.
	MaxAgeSeconds int
}

// Bucket is a private bucket and its name and ARN.
type Bucket struct {
	Bucket *s3.BucketV2
	Name   pulumi.StringOutput
	Arn    pulumi.StringOutput

	// Policy is the bucket policy: set by NewPrivateBucket, or by
	// AttachPolicy when the policy was deferred.
	Policy *s3.BucketPolicy
	// Ownership is the bucket's Object Ownership setting, for resources
	// that need it in place first (a CloudFront distribution that logs to
	// the bucket).
	Ownership *s3.BucketOwnershipControls
	// Logging is the bucket's server access logging; nil without
	// BucketArgs.AccessLogs.
	Logging *s3.BucketLoggingV2

	name string
	opts []pulumi.ResourceOption
	// logPrefix and account are set for a bucket that receives server
	// access logs: its policy grants S3's log delivery under logPrefix for
	// buckets of account.
	logPrefix, account string
}

// Validate checks the arguments.
func (a BucketArgs) Validate() error {
	switch a.ObjectOwnership {
	case "", OwnerEnforced, OwnerPreferred:
	default:
		return fmt.Errorf("object ownership %q: use %s or %s", a.ObjectOwnership, OwnerEnforced, OwnerPreferred)
	}
	if a.AccessLogs != nil {
		switch {
		case a.ServerAccessLogPrefix != "":
			return fmt.Errorf("a bucket that receives server access logs must not log its own access (S3 would log its own log deliveries)")
		case a.AccessLogs.Bucket == nil:
			return fmt.Errorf("access logs: no target bucket")
		case a.AccessLogs.Prefix == "":
			return fmt.Errorf("access logs: no prefix; give each source its own (see Bucket.LogTarget)")
		}
	}
	if a.KMSKeyArn != nil && a.ServerAccessLogPrefix != "" {
		return fmt.Errorf("a bucket that receives server access logs must keep SSE-S3: S3's log delivery cannot write to a bucket whose default encryption is a KMS key")
	}
	if p := a.ServerAccessLogPrefix; p != "" && (strings.HasPrefix(p, "/") || strings.Contains(p, "*")) {
		return fmt.Errorf("server access log prefix %q: give a key prefix without a leading slash or wildcard, e.g. s3/", p)
	}
	return nil
}

// NewPrivateBucket creates the bucket and its settings under name. Its
// physical name is auto-named (globally unique).
func NewPrivateBucket(ctx *pulumi.Context, name string, args BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("storage: bucket %s: %w", name, err)
	}
	if args.NoncurrentVersionDays == 0 {
		args.NoncurrentVersionDays = 30
	}
	if args.ObjectOwnership == "" {
		args.ObjectOwnership = OwnerEnforced
	}
	var account string
	if args.ServerAccessLogPrefix != "" {
		// The grant names the account whose buckets may log here.
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("storage: bucket %s: read the account id for the log delivery grant: %w", name, err)
		}
		account = id.AccountId
	}
	b, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{Tags: args.Tags.Tags()}, opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: bucket %s: %w", name, err)
	}
	// Settings are children of nothing but the same parent, and depend on
	// the bucket through its id; they carry the same options (protect).
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...); err != nil {
		return nil, fmt.Errorf("storage: bucket %s public access block: %w", name, err)
	}
	ownership, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(args.ObjectOwnership)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: bucket %s ownership: %w", name, err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  s3.BucketServerSideEncryptionConfigurationV2RuleArray{encryptionRule(args.KMSKeyArn)},
	}, opts...); err != nil {
		return nil, fmt.Errorf("storage: bucket %s encryption: %w", name, err)
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  b.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: bucket %s versioning: %w", name, err)
	}
	rule := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("expire-old-versions"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(args.NoncurrentVersionDays),
		},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(7),
		},
	}
	if args.ExpireDays > 0 {
		rule.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.ExpireDays)}
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
		// A lifecycle on an unversioned bucket would expire current objects.
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{versioning}))...); err != nil {
		return nil, fmt.Errorf("storage: bucket %s lifecycle: %w", name, err)
	}
	if len(args.CORS) > 0 {
		if _, err := s3.NewBucketCorsConfigurationV2(ctx, name+"-cors", &s3.BucketCorsConfigurationV2Args{
			Bucket:    b.ID(),
			CorsRules: corsRules(args.CORS),
		}, opts...); err != nil {
			return nil, fmt.Errorf("storage: bucket %s cors: %w", name, err)
		}
	}
	bucket := &Bucket{
		Bucket: b, Name: b.Bucket, Arn: b.Arn, Ownership: ownership,
		name: name, opts: append([]pulumi.ResourceOption(nil), opts...),
		logPrefix: args.ServerAccessLogPrefix, account: account,
	}
	if t := args.AccessLogs; t != nil {
		// The target's grant must be in place before S3 checks it.
		bucket.Logging, err = s3.NewBucketLoggingV2(ctx, name+"-access-logs", &s3.BucketLoggingV2Args{
			Bucket:       b.ID(),
			TargetBucket: t.Bucket,
			TargetPrefix: pulumi.String(t.Prefix),
		}, append(opts, pulumi.DependsOn(t.DependsOn))...)
		if err != nil {
			return nil, fmt.Errorf("storage: bucket %s access logging: %w", name, err)
		}
	}
	if !args.DeferPolicy {
		if _, err := bucket.AttachPolicy(ctx, nil); err != nil {
			return nil, err
		}
	}
	return bucket, nil
}

// encryptionRule is a bucket's default encryption: SSE-KMS under key with a
// Bucket Key, or SSE-S3 without a key.
func encryptionRule(key pulumi.StringInput) *s3.BucketServerSideEncryptionConfigurationV2RuleArgs {
	if key == nil {
		return &s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}
	}
	return &s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
		ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm:   pulumi.String("aws:kms"),
			KmsMasterKeyId: key,
		},
		BucketKeyEnabled: pulumi.Bool(true),
	}
}

// corsRules turns CORS rules into the provider's input.
func corsRules(rules []CORSRule) s3.BucketCorsConfigurationV2CorsRuleArray {
	out := make(s3.BucketCorsConfigurationV2CorsRuleArray, len(rules))
	for i, r := range rules {
		rule := &s3.BucketCorsConfigurationV2CorsRuleArgs{
			AllowedOrigins: pulumi.ToStringArray(r.AllowedOrigins),
			AllowedMethods: pulumi.ToStringArray(r.AllowedMethods),
		}
		if len(r.AllowedHeaders) > 0 {
			rule.AllowedHeaders = pulumi.ToStringArray(r.AllowedHeaders)
		}
		if len(r.ExposeHeaders) > 0 {
			rule.ExposeHeaders = pulumi.ToStringArray(r.ExposeHeaders)
		}
		if r.MaxAgeSeconds > 0 {
			rule.MaxAgeSeconds = pulumi.Int(r.MaxAgeSeconds)
		}
		out[i] = rule
	}
	return out
}

// Statements builds a policy's extra statements from the bucket's ARN and
// the values passed to AttachPolicy, resolved, in the order given.
type Statements func(bucketArn string, values []string) []policy.Statement

// AttachPolicy creates the bucket policy (named "<bucket>-policy", with the
// bucket's options): the TLS-only statement plus the statements extra
// builds, which may be nil. Call it once, and only for a bucket created with
// DeferPolicy; NewPrivateBucket calls it for the others.
func (b *Bucket) AttachPolicy(ctx *pulumi.Context, extra Statements, values ...pulumi.StringInput) (*s3.BucketPolicy, error) {
	if b.Policy != nil {
		return nil, fmt.Errorf("storage: bucket %s: %w", b.name, errPolicyExists)
	}
	inputs := append([]pulumi.StringInput{b.Arn}, values...)
	logPrefix, account := b.logPrefix, b.account
	doc := policy.Output(func(v []string) policy.Document {
		var statements []policy.Statement
		if logPrefix != "" {
			statements = append(statements, ServerAccessLogDelivery(v[0], logPrefix, account))
		}
		if extra != nil {
			statements = append(statements, extra(v[0], v[1:])...)
		}
		return BucketPolicy(v[0], statements...)
	}, inputs...)
	p, err := s3.NewBucketPolicy(ctx, b.name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.Bucket.ID(),
		Policy: doc,
	}, b.opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: bucket %s policy: %w", b.name, err)
	}
	b.Policy = p
	return p, nil
}

// LogTarget is where a source bucket's server access logs go in this
// bucket: under the bucket's ServerAccessLogPrefix, in a folder named after
// the source (its logical name, e.g. "nz-cockroach-backups", so each
// source's logs stay apart). The bucket must have been made with
// ServerAccessLogPrefix, and its policy attached.
func (b *Bucket) LogTarget(source string) (*LogTarget, error) {
	switch {
	case b.logPrefix == "":
		return nil, fmt.Errorf("storage: bucket %s does not receive server access logs (make it with ServerAccessLogPrefix)", b.name)
	case b.Policy == nil:
		return nil, fmt.Errorf("storage: bucket %s: attach its policy, which lets S3 deliver the logs, before handing out log targets", b.name)
	case source == "" || strings.ContainsAny(source, "/*? "):
		return nil, fmt.Errorf("storage: bucket %s: log source %q: name the source bucket (its logical name), without slashes, wildcards or spaces", b.name, source)
	}
	return &LogTarget{Bucket: b.Name, Prefix: b.logPrefix + source + "/", DependsOn: []pulumi.Resource{b.Policy}}, nil
}

// ServerAccessLogDelivery lets S3's log delivery write server access logs
// into a bucket under prefix, for source buckets of account only. With
// sources (bucket ARNs), only those buckets may log there; without, any
// bucket of the account may (ArnLike arn:aws:s3:::*), which is what a
// target needs when its grant must exist before its sources do.
func ServerAccessLogDelivery(bucketArn, prefix, account string, sources ...string) policy.Statement {
	var source any = "arn:aws:s3:::*"
	switch len(sources) {
	case 0:
	case 1:
		source = sources[0]
	default:
		source = sources
	}
	return policy.Statement{
		Sid:       "AllowS3ServerAccessLogs",
		Effect:    "Allow",
		Principal: map[string]any{"Service": ServerAccessLogService},
		Action:    []string{"s3:PutObject"},
		Resource:  []string{bucketArn + "/" + prefix + "*"},
		Condition: map[string]map[string]any{
			"ArnLike":      {"aws:SourceArn": source},
			"StringEquals": {"aws:SourceAccount": account},
		},
	}
}

var errPolicyExists = errors.New("the bucket already has its policy (set DeferPolicy to attach one later, and attach it once)")

// BucketPolicy is the policy of a private bucket: the TLS-only statement
// first, then extra.
func BucketPolicy(bucketArn string, extra ...policy.Statement) policy.Document {
	return policy.Policy(append([]policy.Statement{denyInsecureTransport(bucketArn)}, extra...)...)
}

// DenyInsecureTransport refuses every request to the bucket that does not
// use TLS.
func DenyInsecureTransport(bucketArn string) policy.Document {
	return BucketPolicy(bucketArn)
}

func denyInsecureTransport(bucketArn string) policy.Statement {
	return policy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	}
}
