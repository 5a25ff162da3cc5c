package api

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OriginHeader is the header CloudFront sends the API with the origin
// secret; the API's authorizer refuses requests without it.
const OriginHeader = "X-Origin-Verify"

// OriginCacheSeconds is how long the HTTP API caches the authorizer's
// answer for a header value: one invocation per five minutes, not one per
// request.
const OriginCacheSeconds = 300

// origin is the origin check: the secret and the authorizer function.
type origin struct {
	secret pulumi.StringOutput
	fn     *lambda.Function
}

// originCheck creates the origin secret and the authorizer that checks it.
// The secret lives in the state (encrypted), CloudFront's origin settings
// and the authorizer's environment, never in plain config.
func (b *builder) originCheck() (*origin, error) {
	pw, err := random.NewRandomPassword(b.ctx, b.name("origin-secret"), &random.RandomPasswordArgs{
		Length: pulumi.Int(48), Special: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("api: origin secret: %w", err)
	}
	src, err := DefaultHandler("origin")
	if err != nil {
		return nil, err
	}
	fn, err := b.function(fnSpec{
		role:    "origin-check",
		code:    pulumi.NewAssetArchive(map[string]any{"index.mjs": pulumi.NewStringAsset(src)}),
		timeout: 5, memory: 128,
		env:         pulumi.StringMap{"ORIGIN_VERIFY": pw.Result},
		description: "Lets through only requests that came through " + b.args.Prefix + "'s CloudFront",
	})
	if err != nil {
		return nil, err
	}
	return &origin{secret: pw.Result, fn: fn}, nil
}

// authorizer attaches the origin check to the API.
func (b *builder) authorizer(api *apigatewayv2.Api, o *origin) (*apigatewayv2.Authorizer, error) {
	auth, err := apigatewayv2.NewAuthorizer(b.ctx, b.name("http-api-origin"), &apigatewayv2.AuthorizerArgs{
		ApiId:                          api.ID(),
		Name:                           pulumi.String(b.name("origin")),
		AuthorizerType:                 pulumi.String("REQUEST"),
		AuthorizerUri:                  o.fn.InvokeArn,
		AuthorizerPayloadFormatVersion: pulumi.String("2.0"),
		EnableSimpleResponses:          pulumi.Bool(true),
		IdentitySources:                pulumi.ToStringArray([]string{"$request.header." + OriginHeader}),
		AuthorizerResultTtlInSeconds:   pulumi.Int(OriginCacheSeconds),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("api: origin authorizer: %w", err)
	}
	if _, err := lambda.NewPermission(b.ctx, b.name("http-api-authorize"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  o.fn.Name,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/authorizers/%s", api.ExecutionArn, auth.ID()),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("api: authorizer permission: %w", err)
	}
	return auth, nil
}
