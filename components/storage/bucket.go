// Package storage creates the private S3 buckets of every component the same
// way: public access blocked, owner-enforced, encrypted, versioned, TLS-only,
// with a lifecycle for old versions. Each setting is stated explicitly, even
// where it is AWS's default, so a reviewer sees it in the plan.
//
// A bucket may also take CORS rules (for browser uploads) and a policy with
// statements beyond the TLS-only one, such as a grant to a CloudFront
// distribution that is created after the bucket.
package storage

import (
	"errors"
	"fmt"

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
	Tags        tags.Set
}

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

	name string
	opts []pulumi.ResourceOption
}

// NewPrivateBucket creates the bucket and its settings under name. Its
// physical name is auto-named (globally unique).
func NewPrivateBucket(ctx *pulumi.Context, name string, args BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if args.NoncurrentVersionDays == 0 {
		args.NoncurrentVersionDays = 30
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
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...); err != nil {
		return nil, fmt.Errorf("storage: bucket %s ownership: %w", name, err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
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
	bucket := &Bucket{Bucket: b, Name: b.Bucket, Arn: b.Arn, name: name, opts: append([]pulumi.ResourceOption(nil), opts...)}
	if !args.DeferPolicy {
		if _, err := bucket.AttachPolicy(ctx, nil); err != nil {
			return nil, err
		}
	}
	return bucket, nil
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
	doc := policy.Output(func(v []string) policy.Document {
		var statements []policy.Statement
		if extra != nil {
			statements = extra(v[0], v[1:])
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
