// Package storage creates the private S3 buckets of every component the same
// way: public access blocked, owner-enforced, encrypted, versioned, TLS-only,
// with a lifecycle for old versions. Each setting is stated explicitly, even
// where it is AWS's default, so a reviewer sees it in the plan.
package storage

import (
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
	Tags       tags.Set
}

// Bucket is a private bucket and its name and ARN.
type Bucket struct {
	Bucket *s3.BucketV2
	Name   pulumi.StringOutput
	Arn    pulumi.StringOutput
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
	if _, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.ID(),
		Policy: policy.Output(func(v []string) policy.Document { return DenyInsecureTransport(v[0]) }, b.Arn),
	}, opts...); err != nil {
		return nil, fmt.Errorf("storage: bucket %s policy: %w", name, err)
	}
	return &Bucket{Bucket: b, Name: b.Bucket, Arn: b.Arn}, nil
}

// DenyInsecureTransport refuses every request to the bucket that does not
// use TLS.
func DenyInsecureTransport(bucketArn string) policy.Document {
	return policy.Policy(policy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}
