package edge

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policy "edstack/components/iam"
	"edstack/components/tags"
)

func TestSiteNames(t *testing.T) {
	assert.Equal(t, []string{"learn.example.nz", "www.learn.example.nz", "app.learn.example.nz"}, SiteNames("learn.example.nz"))
	assert.Len(t, siteLabels, len(SiteNames("x.example")), "one resource-name label per site name")
}

func TestCORSOrigins(t *testing.T) {
	assert.Equal(t, []string{"https://learn.example.au", "https://www.learn.example.au", "https://app.learn.example.au"},
		CORSOrigins("learn.example.au"))
	rule := UserContentCORS("learn.example.au")
	assert.Equal(t, CORSOrigins("learn.example.au"), rule.AllowedOrigins)
	assert.ElementsMatch(t, []string{"GET", "HEAD", "PUT", "POST"}, rule.AllowedMethods)
	assert.Equal(t, []string{"*"}, rule.AllowedHeaders)
	assert.Equal(t, []string{"ETag"}, rule.ExposeHeaders)
	assert.Equal(t, 3000, rule.MaxAgeSeconds)
}

func TestPriceClass(t *testing.T) {
	tests := []struct {
		pc    string
		valid bool
	}{
		{"PriceClass_100", true},
		{"PriceClass_200", true},
		{"PriceClass_All", true},
		{"", false},
		{"PriceClass_all", false},
		{"All", false},
		{"PriceClass_300", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.valid, ValidPriceClass(tt.pc), tt.pc)
		err := CheckPriceClass(tt.pc)
		if tt.valid {
			assert.NoError(t, err, tt.pc)
		} else {
			assert.ErrorContains(t, err, `price class "`+tt.pc+`"`)
			assert.ErrorContains(t, err, "PriceClass_100, PriceClass_200, PriceClass_All")
		}
	}
}

func TestOriginDomain(t *testing.T) {
	tests := []struct{ endpoint, want string }{
		{"https://x.execute-api.r.amazonaws.com/", "x.execute-api.r.amazonaws.com"},
		{"https://abc123.execute-api.ap-southeast-2.amazonaws.com", "abc123.execute-api.ap-southeast-2.amazonaws.com"},
		{"https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/graphql", "abc123.execute-api.ap-southeast-2.amazonaws.com"},
		{"HTTPS://ABC.execute-api.eu-west-2.amazonaws.com?x=1", "abc.execute-api.eu-west-2.amazonaws.com"},
		{"abc.execute-api.eu-west-2.amazonaws.com", "abc.execute-api.eu-west-2.amazonaws.com"},
		{" https://abc.example#frag ", "abc.example"},
		{"", ""},
		{"https://", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, OriginDomain(tt.endpoint), tt.endpoint)
	}
	assert.NoError(t, checkOriginDomain("https://a.example/", "a.example"))
	for _, bad := range []string{"", "a.example:8443", "user@a.example"} {
		assert.ErrorContains(t, checkOriginDomain("endpoint", bad), "API endpoint", bad)
	}
}

func TestStaticBucketPolicy(t *testing.T) {
	const bucket = "arn:aws:s3:::nz-edge-static-abc"
	const dist = "arn:aws:cloudfront::123456789012:distribution/E123"
	doc, err := policy.Parse(StaticBucketPolicy(bucket, dist).JSON())
	require.NoError(t, err)
	require.Len(t, doc.Statement, 2)

	deny := doc.Statement[0]
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, []string{bucket, bucket + "/*"}, deny.Resource)
	assert.Equal(t, map[string]any{"aws:SecureTransport": "false"}, deny.Condition["Bool"])

	allow := doc.Statement[1]
	assert.Equal(t, "Allow", allow.Effect)
	assert.Equal(t, map[string]any{"Service": "cloudfront.amazonaws.com"}, allow.Principal)
	assert.Equal(t, []string{"s3:GetObject"}, allow.Action)
	assert.Equal(t, []string{bucket + "/*"}, allow.Resource)
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"AWS:SourceArn": dist}}, allow.Condition)
}

func TestValidationOption(t *testing.T) {
	s := func(v string) *string { return &v }
	opts := []acm.CertificateDomainValidationOption{
		// ACM's order, not the certificate's.
		{DomainName: s("www.a.example"), ResourceRecordName: s("_w.www.a.example."), ResourceRecordType: s("CNAME"), ResourceRecordValue: s("_w.acm-validations.aws.")},
		{DomainName: s("a.example"), ResourceRecordName: s("_a.a.example."), ResourceRecordType: s("CNAME"), ResourceRecordValue: s("_a.acm-validations.aws.")},
		{DomainName: s("app.a.example")},
	}
	got, err := validationOption(opts, "a.example")
	require.NoError(t, err)
	assert.Equal(t, "_a.a.example.", *got.ResourceRecordName)
	got, err = validationOption(opts, "www.a.example")
	require.NoError(t, err)
	assert.Equal(t, "_w.www.a.example.", *got.ResourceRecordName)
	_, err = validationOption(opts, "app.a.example")
	assert.ErrorContains(t, err, "has no DNS record")
	_, err = validationOption(opts, "other.example")
	assert.ErrorContains(t, err, "no validation option for other.example")
}

func TestArgsValidate(t *testing.T) {
	ok := Args{Prefix: "nz", Domain: "learn.example.nz", PriceClass: "PriceClass_All", Tags: tags.Base{Country: "nz", Stack: "nz"}.For("edge")}
	require.NoError(t, ok.Validate())
	tests := []struct {
		change func(*Args)
		want   string
	}{
		{func(a *Args) { a.Prefix = "" }, "no resource name prefix"},
		{func(a *Args) { a.Domain = "" }, "no domain"},
		{func(a *Args) { a.Domain = "https://learn.example.nz" }, "bare lowercase domain"},
		{func(a *Args) { a.Domain = "Learn.Example.nz" }, "bare lowercase domain"},
		{func(a *Args) { a.Domain = "learn.example.nz." }, "bare lowercase domain"},
		{func(a *Args) { a.PriceClass = "" }, `price class ""`},
		{func(a *Args) { a.PriceClass = "PriceClass_300" }, `price class "PriceClass_300"`},
	}
	for _, tt := range tests {
		a := ok
		tt.change(&a)
		assert.ErrorContains(t, a.Validate(), tt.want)
	}
}
