package storage_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policy "edstack/components/iam"
	"edstack/components/storage"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	bucketType = "aws:s3/bucketV2:BucketV2"
	policyType = "aws:s3/bucketPolicy:BucketPolicy"
	corsType   = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
)

var set = tags.Base{Country: "nz", Stack: "nz"}.For("test")

func run(t *testing.T, program pulumi.RunFunc) (*engine.Result, error) {
	t.Helper()
	return engine.Run(program, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
}

func TestDefaultBucket(t *testing.T) {
	var attachErr error
	res, err := run(t, func(ctx *pulumi.Context) error {
		b, err := storage.NewPrivateBucket(ctx, "nz-plain", storage.BucketArgs{NoncurrentVersionDays: 35, Tags: set}, pulumi.Protect(true))
		if err != nil {
			return err
		}
		_, attachErr = b.AttachPolicy(ctx, nil)
		return nil
	})
	require.NoError(t, err)
	assert.ErrorContains(t, attachErr, "storage: bucket nz-plain: the bucket already has its policy")

	arn := res.Named(bucketType, "nz-plain").State["arn"].StringValue()
	p := res.Named(policyType, "nz-plain-policy")
	require.NotNil(t, p)
	assert.True(t, p.Protect, "settings carry the bucket's options")
	doc, err := policy.Parse(p.Input("policy").(string))
	require.NoError(t, err)
	assert.Equal(t, storage.DenyInsecureTransport(arn), doc)
	assert.Nil(t, res.Named(corsType, "nz-plain-cors"), "no CORS unless asked")
	assert.Equal(t, float64(35), res.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "nz-plain-lifecycle").
		Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays"))
}

const testKey = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func TestEncryption(t *testing.T) {
	res, err := run(t, func(ctx *pulumi.Context) error {
		if _, err := storage.NewPrivateBucket(ctx, "nz-plain", storage.BucketArgs{Tags: set}); err != nil {
			return err
		}
		_, err := storage.NewPrivateBucket(ctx, "nz-keyed", storage.BucketArgs{KMSKeyArn: pulumi.String(testKey), Tags: set})
		return err
	})
	require.NoError(t, err)
	const sse = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	plain := res.Named(sse, "nz-plain-encryption").Input("rules", 0)
	assert.Equal(t, map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}, plain,
		"without a key: SSE-S3, and no Bucket Key, which only SSE-KMS uses")
	keyed := res.Named(sse, "nz-keyed-encryption").Input("rules", 0)
	assert.Equal(t, map[string]any{
		"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": testKey},
		"bucketKeyEnabled":                   true,
	}, keyed)
}

func TestCORSAndDeferredPolicy(t *testing.T) {
	const reader = "arn:aws:iam::123456789012:role/reader"
	var twice error
	res, err := run(t, func(ctx *pulumi.Context) error {
		b, err := storage.NewPrivateBucket(ctx, "nz-site", storage.BucketArgs{
			DeferPolicy: true,
			CORS: []storage.CORSRule{
				{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: 600},
				{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
			},
			Tags: set,
		})
		if err != nil {
			return err
		}
		extra := func(bucketArn string, v []string) []policy.Statement {
			s := policy.Allow("Read", []string{"s3:GetObject"}, bucketArn+"/*")
			s.Principal = map[string]any{"AWS": v[0]}
			return []policy.Statement{s}
		}
		if _, err := b.AttachPolicy(ctx, extra, pulumi.String(reader)); err != nil {
			return err
		}
		_, twice = b.AttachPolicy(ctx, extra, pulumi.String(reader))
		return nil
	})
	require.NoError(t, err)
	assert.ErrorContains(t, twice, "already has its policy")
	assert.Len(t, res.OfType(policyType), 1)

	bucket := res.Named(bucketType, "nz-site")
	arn := bucket.State["arn"].StringValue()
	doc, err := policy.Parse(res.Named(policyType, "nz-site-policy").Input("policy").(string))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, "DenyInsecureTransport", doc.Statement[0].Sid, "the TLS-only statement stays first")
	assert.Equal(t, map[string]any{"AWS": reader}, doc.Statement[1].Principal)
	assert.Equal(t, []string{arn + "/*"}, doc.Statement[1].Resource)

	cors := res.Named(corsType, "nz-site-cors")
	require.NotNil(t, cors)
	assert.Equal(t, bucket.ID, cors.Input("bucket"))
	assert.Equal(t, []any{
		map[string]any{"allowedOrigins": []any{"https://a.example"}, "allowedMethods": []any{"PUT"}, "allowedHeaders": []any{"*"},
			"exposeHeaders": []any{"ETag"}, "maxAgeSeconds": float64(600)},
		map[string]any{"allowedOrigins": []any{"*"}, "allowedMethods": []any{"GET"}},
	}, cors.Input("corsRules"))
}

func TestBucketPolicy(t *testing.T) {
	const arn = "arn:aws:s3:::b"
	assert.Equal(t, storage.DenyInsecureTransport(arn), storage.BucketPolicy(arn))
	extra := policy.Allow("X", []string{"s3:GetObject"}, arn+"/*")
	doc := storage.BucketPolicy(arn, extra)
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, storage.DenyInsecureTransport(arn).Statement[0], doc.Statement[0])
	assert.Equal(t, extra, doc.Statement[1])
}

const (
	loggingType   = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	ownershipType = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	lifecycleType = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	sseType       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
)

func TestAccessLogs(t *testing.T) {
	var targetErr, notReceiving error
	res, err := run(t, func(ctx *pulumi.Context) error {
		logs, err := storage.NewPrivateBucket(ctx, "nz-logs", storage.BucketArgs{
			ObjectOwnership:       storage.OwnerPreferred,
			ServerAccessLogPrefix: "s3/",
			NoncurrentVersionDays: 2,
			ExpireDays:            45,
			Tags:                  set,
		})
		if err != nil {
			return err
		}
		target, err := logs.LogTarget("nz-backups")
		if err != nil {
			return err
		}
		src, err := storage.NewPrivateBucket(ctx, "nz-backups", storage.BucketArgs{AccessLogs: target, Tags: set}, pulumi.Protect(true))
		if err != nil {
			return err
		}
		_, targetErr = logs.LogTarget("a/b")
		_, notReceiving = src.LogTarget("x")
		return nil
	})
	require.NoError(t, err)
	assert.ErrorContains(t, targetErr, `log source "a/b"`)
	assert.ErrorContains(t, notReceiving, "storage: bucket nz-backups does not receive server access logs")

	logs := res.Named(bucketType, "nz-logs")
	logsArn := logs.State["arn"].StringValue()
	assert.Equal(t, "BucketOwnerPreferred", res.Input(ownershipType, "nz-logs-ownership", "rule", "objectOwnership"),
		"CloudFront standard logs need ACLs")
	assert.Equal(t, "BucketOwnerEnforced", res.Input(ownershipType, "nz-backups-ownership", "rule", "objectOwnership"))
	assert.Equal(t, "AES256", res.Input(sseType, "nz-logs-encryption", "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
		"server access logs accept SSE-S3 only")
	assert.Equal(t, float64(45), res.Input(lifecycleType, "nz-logs-lifecycle", "rules", 0, "expiration", "days"))
	assert.Equal(t, float64(2), res.Input(lifecycleType, "nz-logs-lifecycle", "rules", 0, "noncurrentVersionExpiration", "noncurrentDays"))
	assert.Nil(t, res.Named(loggingType, "nz-logs-access-logs"), "a log bucket does not log to itself")

	// The log bucket's policy: TLS only, and S3's log delivery under s3/ for
	// the account's buckets.
	p := res.Named(policyType, "nz-logs-policy")
	require.NotNil(t, p)
	doc, err := policy.Parse(p.Input("policy").(string))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, "DenyInsecureTransport", doc.Statement[0].Sid)
	grant := doc.Statement[1]
	assert.Equal(t, map[string]any{"Service": "logging.s3.amazonaws.com"}, grant.Principal)
	assert.Equal(t, []string{"s3:PutObject"}, grant.Action)
	assert.Equal(t, []string{logsArn + "/s3/*"}, grant.Resource)
	assert.Equal(t, map[string]map[string]any{
		"ArnLike":      {"aws:SourceArn": "arn:aws:s3:::*"},
		"StringEquals": {"aws:SourceAccount": engine.AccountID},
	}, grant.Condition)

	// The source logs there, under its own folder, once the grant exists.
	l := res.Named(loggingType, "nz-backups-access-logs")
	require.NotNil(t, l)
	assert.Equal(t, res.Named(bucketType, "nz-backups").ID, l.Input("bucket"))
	assert.Equal(t, logs.State["bucket"].StringValue(), l.Input("targetBucket"))
	assert.Equal(t, "s3/nz-backups/", l.Input("targetPrefix"))
	assert.Contains(t, l.Dependencies, p.URN, "logging waits for the grant")
	assert.True(t, l.Protect, "settings carry the bucket's options")
}

func TestBucketArgsValidate(t *testing.T) {
	target := &storage.LogTarget{Bucket: pulumi.String("logs"), Prefix: "s3/x/"}
	tests := []struct {
		name string
		args storage.BucketArgs
		want string
	}{
		{"default", storage.BucketArgs{}, ""},
		{"preferred", storage.BucketArgs{ObjectOwnership: storage.OwnerPreferred}, ""},
		{"enforced", storage.BucketArgs{ObjectOwnership: storage.OwnerEnforced, AccessLogs: target}, ""},
		{"object writer", storage.BucketArgs{ObjectOwnership: "ObjectWriter"}, `object ownership "ObjectWriter"`},
		{"logs to itself", storage.BucketArgs{ServerAccessLogPrefix: "s3/", AccessLogs: target}, "must not log its own access"},
		{"no target bucket", storage.BucketArgs{AccessLogs: &storage.LogTarget{Prefix: "s3/x/"}}, "no target bucket"},
		{"no prefix", storage.BucketArgs{AccessLogs: &storage.LogTarget{Bucket: pulumi.String("logs")}}, "no prefix"},
		{"wildcard prefix", storage.BucketArgs{ServerAccessLogPrefix: "s3/*"}, "without a leading slash or wildcard"},
		{"log target under a KMS key", storage.BucketArgs{ServerAccessLogPrefix: "s3/", KMSKeyArn: pulumi.String(testKey)}, "must keep SSE-S3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.args.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.want)
			}
		})
	}
	_, err := run(t, func(ctx *pulumi.Context) error {
		_, err := storage.NewPrivateBucket(ctx, "nz-bad", storage.BucketArgs{ObjectOwnership: "ObjectWriter"})
		return err
	})
	assert.ErrorContains(t, err, "storage: bucket nz-bad: object ownership")
}

func TestLogTargetNeedsPolicy(t *testing.T) {
	var early error
	_, err := run(t, func(ctx *pulumi.Context) error {
		b, err := storage.NewPrivateBucket(ctx, "nz-logs", storage.BucketArgs{ServerAccessLogPrefix: "s3/", DeferPolicy: true})
		if err != nil {
			return err
		}
		_, early = b.LogTarget("src")
		return nil
	})
	require.NoError(t, err)
	assert.ErrorContains(t, early, "attach its policy")
}

func TestServerAccessLogDelivery(t *testing.T) {
	const arn, acct = "arn:aws:s3:::logs", "111122223333"
	tests := []struct {
		name    string
		sources []string
		want    any
	}{
		{"any bucket of the account", nil, "arn:aws:s3:::*"},
		{"one source", []string{"arn:aws:s3:::a"}, "arn:aws:s3:::a"},
		{"sources", []string{"arn:aws:s3:::a", "arn:aws:s3:::b"}, []string{"arn:aws:s3:::a", "arn:aws:s3:::b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storage.ServerAccessLogDelivery(arn, "s3/", acct, tt.sources...)
			assert.Equal(t, "Allow", s.Effect)
			assert.Equal(t, []string{arn + "/s3/*"}, s.Resource)
			assert.Equal(t, tt.want, s.Condition["ArnLike"]["aws:SourceArn"])
			assert.Equal(t, acct, s.Condition["StringEquals"]["aws:SourceAccount"])
		})
	}
}
