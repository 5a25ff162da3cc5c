package api

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/logs"
)

// Api is the component and its outputs.
type Api struct {
	pulumi.ResourceState

	// Endpoint is the HTTP API's own URL; users reach it through CloudFront.
	Endpoint pulumi.StringOutput
	// OriginSecret (a secret) is what CloudFront must send in the
	// X-Origin-Verify header: the API refuses requests without it.
	OriginSecret       pulumi.StringOutput
	QueueURL           pulumi.StringOutput
	DLQURL             pulumi.StringOutput
	APIFunctionName    pulumi.StringOutput
	WorkerFunctionName pulumi.StringOutput
	// QueueName and DLQName are the queues' names, HTTPAPIID the HTTP
	// API's id: the dimensions of their metrics.
	QueueName, DLQName pulumi.StringOutput
	HTTPAPIID          pulumi.StringOutput
	// SyncTimeout and WorkerTimeout are the functions' timeouts in seconds,
	// defaults applied.
	SyncTimeout, WorkerTimeout int
}

// New creates the API, the queues and both functions under name (e.g. "nz-api").
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Api, error) {
	args.withDefaults()
	if err := args.Validate(); err != nil {
		return nil, err
	}
	apiCode, err := Code(args.Root, "api", args.APIBundle)
	if err != nil {
		return nil, err
	}
	workerCode, err := Code(args.Root, "worker", args.WorkerBundle)
	if err != nil {
		return nil, err
	}
	a := &Api{}
	if err := ctx.RegisterComponentResource("edstack:api:Api", name, a, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, args: args, parent: pulumi.Parent(a)}

	queue, dlq, err := b.queues()
	if err != nil {
		return nil, err
	}
	env := DatabaseEnv(args.Databases)
	env["COUNTRY"] = pulumi.String(args.Country)
	env["QUEUE_URL"] = queue.Url
	env["USER_CONTENT_BUCKET"] = args.UserContentBucketName
	secrets := args.secretArns()
	apiFn, err := b.function(fnSpec{
		role: "api", code: apiCode, timeout: args.SyncTimeout, memory: args.SyncMemoryMB, env: env,
		inline: policy.Output(func(v []string) policy.Document { return APIPolicy(v[0], v[1], v[2], v[3:]) },
			append([]pulumi.StringInput{queue.Arn, args.UserContentBucketArn, b.key()}, secrets...)...),
		hasInline: true, reserved: args.SyncReservedConcurrency,
		description: "GraphQL and /api/* of " + args.Prefix + ", behind the HTTP API",
	})
	if err != nil {
		return nil, err
	}
	// The worker's reserved concurrency is the queue's maximum concurrency:
	// the event source never runs more, and no other caller takes its slots.
	workerFn, err := b.function(fnSpec{
		role: "worker", code: workerCode, timeout: args.WorkerTimeout, memory: args.WorkerMemoryMB, env: env,
		inline: policy.Output(func(v []string) policy.Document { return WorkerPolicy(v[0], v[1:]) },
			append([]pulumi.StringInput{queue.Arn}, secrets...)...),
		hasInline: true, reserved: args.WorkerMaxConcurrency,
		description: "Jobs of " + args.Prefix + "'s work queue",
	})
	if err != nil {
		return nil, err
	}
	if _, err := lambda.NewEventSourceMapping(ctx, b.name("worker-jobs"), &lambda.EventSourceMappingArgs{
		EventSourceArn:        queue.Arn,
		FunctionName:          workerFn.Arn,
		BatchSize:             pulumi.Int(args.WorkerBatchSize),
		FunctionResponseTypes: pulumi.ToStringArray([]string{"ReportBatchItemFailures"}),
		ScalingConfig: &lambda.EventSourceMappingScalingConfigArgs{
			MaximumConcurrency: pulumi.Int(args.WorkerMaxConcurrency),
		},
		Tags: args.Tags.Tags(),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("api: worker event source: %w", err)
	}
	origin, err := b.originCheck()
	if err != nil {
		return nil, err
	}
	endpoint, err := b.httpAPI(apiFn, origin)
	if err != nil {
		return nil, err
	}
	a.OriginSecret = origin.secret

	a.Endpoint, a.QueueURL, a.DLQURL = endpoint, queue.Url, dlq.Url
	a.APIFunctionName, a.WorkerFunctionName = apiFn.Name, workerFn.Name
	a.QueueName, a.DLQName, a.HTTPAPIID = queue.Name, dlq.Name, b.apiID
	a.SyncTimeout, a.WorkerTimeout = args.SyncTimeout, args.WorkerTimeout
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{
		"endpoint": a.Endpoint, "queueUrl": a.QueueURL, "dlqUrl": a.DLQURL,
		"apiFunction": a.APIFunctionName, "workerFunction": a.WorkerFunctionName,
	})
}

type builder struct {
	ctx  *pulumi.Context
	args Args
	// apiID is the HTTP API's id, once created.
	apiID  pulumi.StringOutput
	parent pulumi.ResourceOption
}

func (b *builder) name(suffix string) string { return b.args.Prefix + "-" + suffix }

// key is the customer managed key's ARN, "" for none, for policies.
func (b *builder) key() pulumi.StringInput {
	if b.args.KMSKeyArn == nil {
		return pulumi.String("")
	}
	return b.args.KMSKeyArn
}

// queueEncryption sets a queue's encryption: the customer managed key, or
// SQS's managed SSE without one (the two exclude each other).
func (b *builder) queueEncryption(q *sqs.QueueArgs) *sqs.QueueArgs {
	if b.args.KMSKeyArn == nil {
		q.SqsManagedSseEnabled = pulumi.Bool(true)
		return q
	}
	q.KmsMasterKeyId = b.args.KMSKeyArn
	// How long SQS reuses a data key before asking KMS again: AWS's default,
	// stated. Longer means fewer KMS requests.
	q.KmsDataKeyReusePeriodSeconds = pulumi.Int(DataKeyReuseSeconds)
	return q
}

// DataKeyReuseSeconds is how long the queues reuse a data key (SQS's
// default, 5 minutes; 60 to 86400 are accepted).
const DataKeyReuseSeconds = 300

// queues creates the work queue and its dead-letter queue, both encrypted
// and TLS-only.
func (b *builder) queues() (*sqs.Queue, *sqs.Queue, error) {
	dlq, err := sqs.NewQueue(b.ctx, b.name("jobs-dlq"), b.queueEncryption(&sqs.QueueArgs{
		MessageRetentionSeconds: pulumi.Int(DLQRetentionSeconds),
		Tags:                    b.args.Tags.Tags(),
	}), b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("api: dead-letter queue: %w", err)
	}
	retention, err := QueueRetention(b.args.MaxReceiveCount, b.args.WorkerTimeout)
	if err != nil {
		return nil, nil, fmt.Errorf("api: %w", err)
	}
	redrive := dlq.Arn.ApplyT(func(arn string) (string, error) {
		bs, err := json.Marshal(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": b.args.MaxReceiveCount})
		return string(bs), err
	}).(pulumi.StringOutput)
	queue, err := sqs.NewQueue(b.ctx, b.name("jobs"), b.queueEncryption(&sqs.QueueArgs{
		VisibilityTimeoutSeconds: pulumi.Int(VisibilityTimeout(b.args.WorkerTimeout)),
		MessageRetentionSeconds:  pulumi.Int(retention),
		RedrivePolicy:            redrive,
		Tags:                     b.args.Tags.Tags(),
	}), b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("api: work queue: %w", err)
	}
	for _, q := range []struct {
		name  string
		queue *sqs.Queue
	}{{"jobs", queue}, {"jobs-dlq", dlq}} {
		if _, err := sqs.NewQueuePolicy(b.ctx, b.name(q.name+"-policy"), &sqs.QueuePolicyArgs{
			QueueUrl: q.queue.Url,
			Policy:   policy.Output(func(v []string) policy.Document { return DenyInsecureQueueAccess(v[0]) }, q.queue.Arn),
		}, b.parent); err != nil {
			return nil, nil, fmt.Errorf("api: %s policy: %w", q.name, err)
		}
	}
	return queue, dlq, nil
}

// fnSpec describes one function of the tier.
type fnSpec struct {
	role        string // names it: "<prefix>-<role>"
	code        pulumi.Archive
	timeout     int // seconds
	memory      int // MB
	env         pulumi.StringMap
	inline      pulumi.StringOutput // its own permissions; zero for none
	hasInline   bool
	reserved    int // reserved concurrency; 0 for none
	description string
}

// function creates a function with its own role, log group and policies.
func (b *builder) function(spec fnSpec) (*lambda.Function, error) {
	role := spec.role
	name := b.name(role)
	r, err := iam.NewRole(b.ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(policy.AssumeRole("lambda.amazonaws.com").JSON()),
		Tags:             b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("api: %s role: %w", role, err)
	}
	// The function's log group exists before the function, so Lambda does
	// not create one that keeps logs forever.
	group, err := logs.NewGroup(b.ctx, name+"-logs", logs.GroupArgs{
		Path: "/aws/lambda/" + name, RetentionDays: b.args.LogRetentionDays, KMSKeyArn: b.args.KMSKeyArn, Tags: b.args.Tags,
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("api: %s: %w", role, err)
	}
	// Two inline policies: what any function in the VPC needs to run (its
	// network interfaces, its own log group, its traces), and what this one
	// does. No managed policy: AWS's VPC access policy writes to every log
	// group in the account.
	runtime, err := iam.NewRolePolicy(b.ctx, name+"-runtime-policy", &iam.RolePolicyArgs{
		Role: r.ID(), Policy: policy.LambdaRuntime(group.Arn, b.args.KMSKeyArn, true),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("api: %s runtime policy: %w", role, err)
	}
	deps := []pulumi.Resource{runtime, group}
	if spec.hasInline {
		pol, err := iam.NewRolePolicy(b.ctx, name+"-policy", &iam.RolePolicyArgs{Role: r.ID(), Policy: spec.inline}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("api: %s policy: %w", role, err)
		}
		deps = append(deps, pol)
	}
	var reserved pulumi.IntPtrInput
	if spec.reserved > 0 {
		reserved = pulumi.Int(spec.reserved)
	}
	fn, err := lambda.NewFunction(b.ctx, name, &lambda.FunctionArgs{
		Name:        pulumi.String(name),
		Runtime:     pulumi.String(Runtime),
		Handler:     pulumi.String("index.handler"),
		Description: pulumi.String(spec.description),
		Code:        spec.code,
		Role:        r.Arn,
		Timeout:     pulumi.Int(spec.timeout),
		MemorySize:  pulumi.Int(spec.memory),
		// The connection budget: at most this many run at once.
		ReservedConcurrentExecutions: reserved,
		Architectures:                pulumi.ToStringArray([]string{"x86_64"}),
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        b.args.SubnetIDs,
			SecurityGroupIds: pulumi.StringArray{b.args.SecurityGroupID},
		},
		TracingConfig: &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: group.Name},
		Environment:   &lambda.FunctionEnvironmentArgs{Variables: spec.env},
		KmsKeyArn:     b.args.KMSKeyArn,
		Tags:          b.args.Tags.Tags(),
	}, b.parent, pulumi.DependsOn(deps))
	if err != nil {
		return nil, fmt.Errorf("api: %s function: %w", role, err)
	}
	return fn, nil
}

// AccessLogFormat is the HTTP API's access log line, as JSON.
const AccessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",` +
	`"time":"$context.requestTime","method":"$context.httpMethod","path":"$context.path",` +
	`"status":"$context.status","latencyMs":"$context.responseLatency",` +
	`"integrationLatencyMs":"$context.integrationLatency","error":"$context.integrationErrorMessage"}`

// httpAPI creates the HTTP API in front of the API function: one Lambda
// proxy integration for every route, a $default stage that deploys itself,
// access logs and throttling.
func (b *builder) httpAPI(fn *lambda.Function, o *origin) (pulumi.StringOutput, error) {
	api, err := apigatewayv2.NewApi(b.ctx, b.name("http-api"), &apigatewayv2.ApiArgs{
		ProtocolType: pulumi.String("HTTP"),
		Description:  pulumi.String("GraphQL and /api/* of " + b.args.Prefix + ", behind CloudFront"),
		Tags:         b.args.Tags.Tags(),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: http api: %w", err)
	}
	b.apiID = api.ID().ToStringOutput()
	integration, err := apigatewayv2.NewIntegration(b.ctx, b.name("http-api-lambda"), &apigatewayv2.IntegrationArgs{
		ApiId:                api.ID(),
		IntegrationType:      pulumi.String("AWS_PROXY"),
		IntegrationUri:       fn.InvokeArn,
		PayloadFormatVersion: pulumi.String("2.0"),
		TimeoutMilliseconds:  pulumi.Int(b.args.SyncTimeout * 1000),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: integration: %w", err)
	}
	auth, err := b.authorizer(api, o)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// One route for everything: the handler answers 404 itself, so a new
	// path needs no infrastructure change. The origin check guards it.
	if _, err := apigatewayv2.NewRoute(b.ctx, b.name("http-api-default-route"), &apigatewayv2.RouteArgs{
		ApiId:             api.ID(),
		RouteKey:          pulumi.String("$default"),
		Target:            pulumi.Sprintf("integrations/%s", integration.ID()),
		AuthorizationType: pulumi.String("CUSTOM"),
		AuthorizerId:      auth.ID(),
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: route: %w", err)
	}
	group, err := logs.NewGroup(b.ctx, b.name("http-api-access-logs"), logs.GroupArgs{
		Path: "/edstack/" + b.args.Prefix + "/http-api-access", RetentionDays: b.args.LogRetentionDays, KMSKeyArn: b.args.KMSKeyArn, Tags: b.args.Tags,
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: %w", err)
	}
	if _, err := apigatewayv2.NewStage(b.ctx, b.name("http-api-stage"), &apigatewayv2.StageArgs{
		ApiId:      api.ID(),
		Name:       pulumi.String("$default"),
		AutoDeploy: pulumi.Bool(true),
		AccessLogSettings: &apigatewayv2.StageAccessLogSettingsArgs{
			DestinationArn: group.Arn,
			Format:         pulumi.String(AccessLogFormat),
		},
		DefaultRouteSettings: &apigatewayv2.StageDefaultRouteSettingsArgs{
			ThrottlingRateLimit:  pulumi.Float64(float64(b.args.ThrottleRate)),
			ThrottlingBurstLimit: pulumi.Int(b.args.ThrottleBurst),
		},
		Tags: b.args.Tags.Tags(),
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: stage: %w", err)
	}
	if _, err := lambda.NewPermission(b.ctx, b.name("http-api-invoke"), &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.Name,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/*/*", api.ExecutionArn),
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api: invoke permission: %w", err)
	}
	return api.ApiEndpoint, nil
}
