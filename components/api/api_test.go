package api_test

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/api"
	"edstack/components/iam"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	secretArn = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:nz-connection"
	bucketArn = "arn:aws:s3:::nz-user-content"
)

func build(t *testing.T, args api.Args) (*engine.Result, error) {
	t.Helper()
	return engine.Run(func(ctx *pulumi.Context) error {
		args.Prefix, args.Region, args.Country = "nz", "ap-southeast-2", "nz"
		args.SubnetIDs = pulumi.ToStringArray([]string{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"})
		args.SecurityGroupID = pulumi.String("nz-crdb-app-sg-id")
		if args.Databases == nil {
			args.Databases = []api.Database{{Engine: "cockroach", SecretArn: pulumi.String(secretArn)}}
		}
		args.UserContentBucketName = pulumi.String("nz-user-content")
		args.UserContentBucketArn = pulumi.String(bucketArn)
		args.Tags = tags.Base{Country: "nz", Stack: "nz"}.For("api")
		_, err := api.New(ctx, "nz-api", args)
		return err
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
}

func mustBuild(t *testing.T, args api.Args) *engine.Result {
	t.Helper()
	res, err := build(t, args)
	require.NoError(t, err)
	return res
}

const fnType = "aws:lambda/function:Function"

func TestFunctions(t *testing.T) {
	res := mustBuild(t, api.Args{})
	tests := []struct {
		name    string
		timeout float64
	}{{"nz-api", 30}, {"nz-worker", 900}}
	for _, tt := range tests {
		fn := res.Named(fnType, tt.name)
		require.NotNil(t, fn, tt.name)
		assert.Equal(t, "nodejs22.x", fn.Input("runtime"))
		assert.Equal(t, "index.handler", fn.Input("handler"))
		assert.Equal(t, tt.timeout, fn.Input("timeout"), tt.name)
		assert.Equal(t, float64(1024), fn.Input("memorySize"))
		assert.Equal(t, []any{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"}, fn.Input("vpcConfig", "subnetIds"))
		assert.Equal(t, []any{"nz-crdb-app-sg-id"}, fn.Input("vpcConfig", "securityGroupIds"))
		assert.Equal(t, "Active", fn.Input("tracingConfig", "mode"))
		assert.Equal(t, "/aws/lambda/"+tt.name, fn.Input("loggingConfig", "logGroup"))
		env := fn.Input("environment", "variables").(map[string]any)
		queue := res.Named("aws:sqs/queue:Queue", "nz-jobs")
		assert.Equal(t, map[string]any{
			"COUNTRY":             "nz",
			"QUEUE_URL":           queue.State["url"].StringValue(),
			"USER_CONTENT_BUCKET": "nz-user-content",
			"DB_ENGINE":           "cockroach",
			"DB_SECRET_ARN":       secretArn,
		}, env, "only references, no secret values")
		src, err := api.DefaultHandler(tt.name[len("nz-"):])
		require.NoError(t, err)
		sum := sha256.Sum256([]byte(src))
		assert.Equal(t, map[string]any{"archive": map[string]any{"files": map[string]any{
			"index.mjs": "sha256:" + hex.EncodeToString(sum[:])}}}, fn.Input("code"), "the default handler, alone")
		group := res.Named("aws:cloudwatch/logGroup:LogGroup", tt.name+"-logs")
		assert.Equal(t, float64(90), group.Input("retentionInDays"))
		assert.Contains(t, fn.Dependencies, group.URN, "the log group exists first")
	}
}

func TestCustomerManagedKey(t *testing.T) {
	const key = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	res := mustBuild(t, api.Args{KMSKeyArn: pulumi.String(key)})
	for _, q := range res.OfType("aws:sqs/queue:Queue") {
		assert.Equal(t, key, q.Input("kmsMasterKeyId"), q.Name)
		assert.Equal(t, float64(api.DataKeyReuseSeconds), q.Input("kmsDataKeyReusePeriodSeconds"), q.Name)
		assert.Nil(t, q.Input("sqsManagedSseEnabled"), "%s: SQS refuses both", q.Name)
	}
	for _, fn := range res.OfType(fnType) {
		assert.Equal(t, key, fn.Input("kmsKeyArn"), fn.Name)
	}
	for _, g := range res.OfType("aws:cloudwatch/logGroup:LogGroup") {
		assert.Equal(t, key, g.Input("kmsKeyId"), g.Name)
	}
	doc := api.APIPolicy("q", "b", key, []string{"s"})
	assert.Equal(t, iam.KMSUse(key), doc.Statement[len(doc.Statement)-1], "sending to the queue and putting objects make data keys")
	assert.Len(t, api.APIPolicy("q", "b", "", []string{"s"}).Statement, 4, "no key, no KMS statement")
}

func TestQueues(t *testing.T) {
	res := mustBuild(t, api.Args{WorkerTimeout: 600, MaxReceiveCount: 3})
	queue := res.Named("aws:sqs/queue:Queue", "nz-jobs")
	dlq := res.Named("aws:sqs/queue:Queue", "nz-jobs-dlq")
	assert.Equal(t, float64(3600), queue.Input("visibilityTimeoutSeconds"), "6 x the worker's 600 s")
	assert.Equal(t, true, queue.Input("sqsManagedSseEnabled"))
	assert.Equal(t, true, dlq.Input("sqsManagedSseEnabled"))
	assert.Equal(t, float64(14*24*3600), dlq.Input("messageRetentionSeconds"))
	assert.Equal(t, float64(4*24*3600), queue.Input("messageRetentionSeconds"), "3 tries an hour apart fit SQS's default")
	long := mustBuild(t, api.Args{WorkerTimeout: 600, MaxReceiveCount: 200}).Named("aws:sqs/queue:Queue", "nz-jobs")
	assert.Equal(t, float64(201*3600), long.Input("messageRetentionSeconds"), "200 tries an hour apart: the queue keeps a job until its last try ends")
	var redrive map[string]any
	require.NoError(t, json.Unmarshal([]byte(queue.Input("redrivePolicy").(string)), &redrive))
	assert.Equal(t, map[string]any{"deadLetterTargetArn": dlq.State["arn"].StringValue(), "maxReceiveCount": float64(3)}, redrive)

	for _, name := range []string{"nz-jobs-policy", "nz-jobs-dlq-policy"} {
		p := res.Named("aws:sqs/queuePolicy:QueuePolicy", name)
		doc, err := iam.Parse(p.Input("policy").(string))
		require.NoError(t, err)
		require.Len(t, doc.Statement, 1)
		assert.Equal(t, "Deny", doc.Statement[0].Effect)
		assert.Equal(t, map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}, doc.Statement[0].Condition)
	}

	esm := res.OfType("aws:lambda/eventSourceMapping:EventSourceMapping")
	require.Len(t, esm, 1)
	assert.Equal(t, queue.State["arn"].StringValue(), esm[0].Input("eventSourceArn"))
	assert.Equal(t, res.Named(fnType, "nz-worker").State["arn"].StringValue(), esm[0].Input("functionName"))
	assert.Equal(t, []any{"ReportBatchItemFailures"}, esm[0].Input("functionResponseTypes"))
	assert.Equal(t, float64(10), esm[0].Input("batchSize"))
	assert.Equal(t, float64(10), esm[0].Input("scalingConfig", "maximumConcurrency"))
}

func TestVisibilityTimeout(t *testing.T) {
	for _, w := range []int{1, 30, 900} {
		assert.Equal(t, 6*w, api.VisibilityTimeout(w))
		assert.GreaterOrEqual(t, api.VisibilityTimeout(w), w, "Lambda refuses a queue whose visibility is shorter than the function")
	}
}

func TestHTTPAPI(t *testing.T) {
	res := mustBuild(t, api.Args{ThrottleRate: 200, ThrottleBurst: 100})
	a := res.Named("aws:apigatewayv2/api:Api", "nz-http-api")
	assert.Equal(t, "HTTP", a.Input("protocolType"))
	in := res.Named("aws:apigatewayv2/integration:Integration", "nz-http-api-lambda")
	assert.Equal(t, "AWS_PROXY", in.Input("integrationType"))
	assert.Equal(t, "2.0", in.Input("payloadFormatVersion"))
	assert.Equal(t, float64(30000), in.Input("timeoutMilliseconds"))
	assert.Equal(t, res.Named(fnType, "nz-api").State["invokeArn"].StringValue(), in.Input("integrationUri"))
	route := res.Named("aws:apigatewayv2/route:Route", "nz-http-api-default-route")
	assert.Equal(t, "$default", route.Input("routeKey"))
	assert.Equal(t, "integrations/nz-http-api-lambda-id", route.Input("target"))
	stage := res.Named("aws:apigatewayv2/stage:Stage", "nz-http-api-stage")
	assert.Equal(t, "$default", stage.Input("name"))
	assert.Equal(t, true, stage.Input("autoDeploy"))
	assert.Equal(t, float64(200), stage.Input("defaultRouteSettings", "throttlingRateLimit"))
	assert.Equal(t, float64(100), stage.Input("defaultRouteSettings", "throttlingBurstLimit"))
	group := res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-http-api-access-logs")
	assert.Equal(t, group.State["arn"].StringValue(), stage.Input("accessLogSettings", "destinationArn"))
	assert.True(t, json.Valid([]byte(stage.Input("accessLogSettings", "format").(string))))
	perm := res.Named("aws:lambda/permission:Permission", "nz-http-api-invoke")
	assert.Equal(t, "apigateway.amazonaws.com", perm.Input("principal"))
	assert.Equal(t, a.State["executionArn"].StringValue()+"/*/*", perm.Input("sourceArn"))
}

func policyOf(t *testing.T, res *engine.Result, name string) iam.Document {
	t.Helper()
	doc, err := iam.Parse(res.Named("aws:iam/rolePolicy:RolePolicy", name).Input("policy").(string))
	require.NoError(t, err)
	return doc
}

func TestPolicies(t *testing.T) {
	res := mustBuild(t, api.Args{})
	queueArn := res.Named("aws:sqs/queue:Queue", "nz-jobs").State["arn"].StringValue()
	actions := func(doc iam.Document) map[string][]string {
		out := map[string][]string{}
		for _, s := range doc.Statement {
			assert.Equal(t, "Allow", s.Effect)
			for _, a := range s.Action {
				assert.NotContains(t, a, "*", "no wildcard actions")
				out[a] = s.Resource
			}
			for _, r := range s.Resource {
				assert.NotEqual(t, "*", r, "no wildcard resources")
			}
		}
		return out
	}
	assert.Equal(t, map[string][]string{
		"sqs:SendMessage":               {queueArn},
		"secretsmanager:GetSecretValue": {secretArn},
		"s3:ListBucket":                 {bucketArn},
		"s3:GetObject":                  {bucketArn + "/*"},
		"s3:PutObject":                  {bucketArn + "/*"},
		"s3:DeleteObject":               {bucketArn + "/*"},
	}, actions(policyOf(t, res, "nz-api-policy")))
	assert.Equal(t, map[string][]string{
		"sqs:ReceiveMessage":            {queueArn},
		"sqs:DeleteMessage":             {queueArn},
		"sqs:GetQueueAttributes":        {queueArn},
		"sqs:ChangeMessageVisibility":   {queueArn},
		"secretsmanager:GetSecretValue": {secretArn},
	}, actions(policyOf(t, res, "nz-worker-policy")))

	for _, role := range []string{"nz-api-role", "nz-worker-role"} {
		r := res.Named("aws:iam/role:Role", role)
		trust, err := iam.Parse(r.Input("assumeRolePolicy").(string))
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"Service": "lambda.amazonaws.com"}, trust.Statement[0].Principal)
		fn := strings.TrimSuffix(role, "-role")
		runtime := policyOf(t, res, fn+"-runtime-policy")
		group := res.Named("aws:cloudwatch/logGroup:LogGroup", fn+"-logs").State["arn"].StringValue()
		assert.Equal(t, iam.Policy(append(iam.LambdaInVPC(group), iam.XRayWrite())...), runtime,
			"network interfaces, its own log group and traces; nothing account-wide")
	}
	assert.Empty(t, res.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "no managed policy: AWS's VPC access policy writes to every log group")
}

// While a migration mirrors writes, the functions get both databases and
// may read both connections (and the Aurora master secret they refer to).
func TestMirror(t *testing.T) {
	const auroraConn = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:nz-aurora-connection"
	const auroraMaster = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:rds!cluster-nz"
	res := mustBuild(t, api.Args{Databases: []api.Database{
		{Engine: "cockroach", SecretArn: pulumi.String(secretArn)},
		{Engine: "aurora", SecretArn: pulumi.String(auroraConn), ReadableSecretArns: []pulumi.StringInput{pulumi.String(auroraMaster)}},
	}})
	env := res.Named(fnType, "nz-worker").Input("environment", "variables").(map[string]any)
	assert.Equal(t, "cockroach", env["DB_ENGINE"])
	assert.Equal(t, secretArn, env["DB_SECRET_ARN"])
	assert.Equal(t, "aurora", env["DB_SHADOW_ENGINE"])
	assert.Equal(t, auroraConn, env["DB_SHADOW_SECRET_ARN"])
	for _, p := range []string{"nz-api-policy", "nz-worker-policy"} {
		for _, s := range policyOf(t, res, p).Statement {
			if s.Sid == "ReadDatabaseConnection" {
				assert.Equal(t, []string{secretArn, auroraConn, auroraMaster}, s.Resource, p)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		args api.Args
		want string
	}{
		{api.Args{SyncTimeout: 31}, "at most 30 s"},
		{api.Args{WorkerTimeout: 901}, "at most 900 s"},
		{api.Args{SyncMemoryMB: 64}, "128 to 10240"},
		{api.Args{WorkerBatchSize: 11}, "1 to 10"},
		{api.Args{WorkerMaxConcurrency: 1}, "2 to 1000"},
	}
	for _, tt := range tests {
		_, err := build(t, tt.args)
		assert.ErrorContains(t, err, tt.want)
	}
}

// writeZip writes a zip archive holding files (name -> content).
func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := zip.NewWriter(f)
	for name, body := range files {
		fw, err := w.Create(name)
		require.NoError(t, err)
		_, err = fw.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
}

func TestBundles(t *testing.T) {
	root := t.TempDir()
	build := filepath.Join(root, "build")
	require.NoError(t, os.MkdirAll(filepath.Join(build, "worker"), 0o755))
	writeZip(t, filepath.Join(build, "api.zip"), map[string]string{"index.mjs": "export const handler = async () => ({})\n"})
	require.NoError(t, os.WriteFile(filepath.Join(build, "worker", "index.js"), []byte("exports.handler = async () => {}\n"), 0o644))

	res := mustBuild(t, api.Args{Root: root, APIBundle: "build/api.zip", WorkerBundle: "build/worker"})
	assert.Equal(t, map[string]any{"archive": map[string]any{"path": filepath.Join(root, "build/api.zip")}}, res.Named(fnType, "nz-api").Input("code"),
		"relative to the project folder, not the current one")
	assert.Equal(t, map[string]any{"archive": map[string]any{"path": filepath.Join(root, "build/worker")}}, res.Named(fnType, "nz-worker").Input("code"))

	// Bad bundles, each refused with what would be accepted.
	require.NoError(t, os.WriteFile(filepath.Join(build, "fake.zip"), []byte("PK not really"), 0o644))
	writeZip(t, filepath.Join(build, "nohandler.zip"), map[string]string{"index.mjs": "export const main = () => 1\n"})
	writeZip(t, filepath.Join(build, "nested.zip"), map[string]string{"dist/index.mjs": "export const handler = () => 1\n"})
	require.NoError(t, os.MkdirAll(filepath.Join(build, "empty"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(build, "api.tar"), nil, 0o644))
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "index.mjs"), []byte("export const handler = () => 1\n"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(build, "escape")))
	for path, want := range map[string]string{
		"build/missing.zip":   "not found in the project folder",
		"/etc":                "relative to the project folder, not an absolute one",
		"../":                 "not inside the project folder",
		".":                   "not inside the project folder",
		"build/../..":         "not inside the project folder",
		"build/api.tar":       "a .zip file or a folder",
		"build/fake.zip":      "not a readable zip archive",
		"build/nohandler.zip": "index.mjs does not export a function named handler",
		"build/nested.zip":    "holds no index.js, index.mjs, index.cjs at its top level",
		"build/empty":         "the folder holds no index.js, index.mjs, index.cjs",
		"build/escape":        "not inside the project folder",
	} {
		assert.ErrorContains(t, api.CheckBundle(root, path), want, path)
	}
	for _, ok := range []string{"build/api.zip", "build/worker", "./build/api.zip"} {
		assert.NoError(t, api.CheckBundle(root, ok), ok)
	}
	// What bundlers write for CommonJS exports is recognised too.
	for i, body := range []string{
		"var x = {}; __export(x, { handler: () => handler });",
		"__webpack_require__.d(__webpack_exports__, { handler: () => handler });",
		`Object.defineProperty(exports, "handler", { enumerable: true, get: function () { return h; } });`,
	} {
		dir := filepath.Join(build, fmt.Sprintf("cjs%d", i))
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "index.cjs"), []byte(body), 0o644))
		assert.NoError(t, api.CheckBundle(root, "build/"+filepath.Base(dir)), body)
	}

	src, err := api.DefaultHandler("api")
	require.NoError(t, err)
	assert.Contains(t, src, "export const handler")
}

// A failing job reaches the dead-letter queue before the work queue lets it
// expire: the retention follows the tries, within what SQS allows.
func TestQueueRetention(t *testing.T) {
	for _, tt := range []struct {
		tries, timeout, want int
	}{
		{5, 900, api.DefaultQueueRetentionSeconds},   // 6 x 5400 s < 4 days
		{100, 900, 101 * 5400},                       // 6.3 days
		{1000, 30, api.DefaultQueueRetentionSeconds}, // 1001 x 180 s < 4 days
		{207, 900, 208 * 5400},                       // 13 days
	} {
		got, err := api.QueueRetention(tt.tries, tt.timeout)
		require.NoError(t, err, "%d tries", tt.tries)
		assert.Equal(t, tt.want, got, "%d tries", tt.tries)
		assert.Less(t, got, api.DLQRetentionSeconds, "the DLQ keeps a job longer than the queue")
	}
	_, err := api.QueueRetention(208, 900)
	assert.ErrorContains(t, err, "use at most 207 tries")
}

// The API function reserves the configured concurrency (its database
// connection budget), the worker its queue's maximum concurrency.
func TestReservedConcurrency(t *testing.T) {
	res := mustBuild(t, api.Args{SyncReservedConcurrency: 42, WorkerMaxConcurrency: 7})
	assert.Equal(t, float64(42), res.Named(fnType, "nz-api").Input("reservedConcurrentExecutions"))
	assert.Equal(t, float64(7), res.Named(fnType, "nz-worker").Input("reservedConcurrentExecutions"))
	assert.Nil(t, res.Named(fnType, "nz-origin-check").Input("reservedConcurrentExecutions"), "the authorizer is cached and cheap")

	res = mustBuild(t, api.Args{})
	assert.Equal(t, float64(api.DefaultSyncReservedConcurrency), res.Named(fnType, "nz-api").Input("reservedConcurrentExecutions"))

	_, err := engine.Run(func(ctx *pulumi.Context) error {
		_, err := api.New(ctx, "nz-api", api.Args{Prefix: "nz", SyncReservedConcurrency: api.MaxReservedConcurrency + 1,
			Databases: []api.Database{{Engine: "cockroach", SecretArn: pulumi.String(secretArn)}}})
		return err
	}, engine.Options{Project: "edstack", Stack: "nz"})
	assert.ErrorContains(t, err, "reserved concurrency 10001: use 1 to 10000")
}

// The execute-api endpoint serves only requests that carry CloudFront's
// secret header: the route is guarded by an authorizer that checks it.
func TestOriginCheck(t *testing.T) {
	res := mustBuild(t, api.Args{})
	fn := res.Named(fnType, "nz-origin-check")
	require.NotNil(t, fn)
	assert.Equal(t, engine.Secret, fn.Input("environment", "variables", "ORIGIN_VERIFY"), "the secret is a secret in the plan")
	auth := res.Named("aws:apigatewayv2/authorizer:Authorizer", "nz-http-api-origin")
	require.NotNil(t, auth)
	assert.Equal(t, "REQUEST", auth.Input("authorizerType"))
	assert.Equal(t, []any{"$request.header.X-Origin-Verify"}, auth.Input("identitySources"))
	assert.Equal(t, true, auth.Input("enableSimpleResponses"))
	assert.Equal(t, fn.State["invokeArn"].StringValue(), auth.Input("authorizerUri"))
	route := res.Named("aws:apigatewayv2/route:Route", "nz-http-api-default-route")
	assert.Equal(t, "CUSTOM", route.Input("authorizationType"))
	assert.Equal(t, auth.ID, route.Input("authorizerId"))
	perm := res.Named("aws:lambda/permission:Permission", "nz-http-api-authorize")
	assert.Equal(t, "nz-origin-check", perm.Input("function"))
	assert.Contains(t, perm.Input("sourceArn"), "/authorizers/"+auth.ID)
	assert.Nil(t, res.Named("aws:iam/rolePolicy:RolePolicy", "nz-origin-check-policy"), "the authorizer needs no AWS permission")
}
