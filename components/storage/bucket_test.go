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
