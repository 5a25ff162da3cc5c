package policy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SupportedRuntimes are the Lambda runtimes not yet deprecated (AWS's
// runtime deprecation schedule, checked 2026-11).
var SupportedRuntimes = []string{"nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14", "java21", "java25", "provided.al2023"}

// HTTPAPITimeout is the HTTP API's integration limit, in seconds.
const HTTPAPITimeout = 30

// OriginVerifyHeader is the header CloudFront adds to requests to the API,
// with a secret value the API function checks.
const OriginVerifyHeader = "X-Origin-Verify"

// apiFunctions are the functions an HTTP API integration invokes.
func apiFunctions(ix *Index) map[*R]*R {
	out := map[*R]*R{}
	for _, in := range ix.Of(tIntegration) {
		uri := in.Str("integrationUri")
		for _, fn := range ix.Of(tFunction) {
			if v, ok := fn.State["invokeArn"]; ok && v.IsString() && v.StringValue() == uri {
				out[fn] = in
			}
		}
	}
	return out
}

// queueFunctions are the functions a queue feeds, with the mapping.
func queueFunctions(ix *Index) map[*R]*R {
	out := map[*R]*R{}
	for _, m := range ix.Of(tESM) {
		if fn := ix.Ref(m.Get("functionName")); fn != nil {
			out[fn] = m
		}
	}
	return out
}

type redrive struct {
	Target string  `json:"deadLetterTargetArn"`
	Max    float64 `json:"maxReceiveCount"`
}

func redriveOf(q *R) (redrive, bool) {
	var r redrive
	s := q.Str("redrivePolicy")
	return r, s != "" && json.Unmarshal([]byte(s), &r) == nil
}

// isDLQ reports whether another queue sends its failures to q.
func isDLQ(ix *Index, q *R) bool {
	for _, o := range ix.Of(tQueue) {
		if r, ok := redriveOf(o); ok && r.Target == q.Arn {
			return true
		}
	}
	return false
}

func functionRules() []Rule {
	return []Rule{{
		ID: "EDS-LAMBDA-1", Severity: Medium, Level: Advisory,
		Title:     "Functions run in the VPC",
		Rationale: "The functions reach the database privately, and the VPC's flow logs see what they do.",
		Fix:       "Set vpcConfig with the private subnets and a security group.",
		Peers:     []string{"Checkov CKV_AWS_117", "Security Hub Lambda.3"},
		Types:     []string{tFunction},
		Check: func(ix *Index) []Violation {
			return each(ix, tFunction, func(fn *R) string {
				if len(fn.List("vpcConfig", "subnetIds")) == 0 {
					return fn.Name + " runs outside the VPC"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LAMBDA-2", Severity: Low, Level: Advisory,
		Title:     "Functions trace with X-Ray",
		Rationale: "A slow request is found in a trace, not guessed from logs.",
		Fix:       "Set tracingConfig.mode Active (the role needs xray:PutTraceSegments).",
		Peers:     []string{"Checkov CKV_AWS_50", "Security Hub Lambda.7"},
		Types:     []string{tFunction},
		Check: func(ix *Index) []Violation {
			return each(ix, tFunction, func(fn *R) string {
				if fn.Str("tracingConfig", "mode") != "Active" {
					return fn.Name + " is not traced"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LAMBDA-3", Severity: Medium, Level: Mandatory,
		Title:     "Functions use a supported runtime",
		Rationale: "A deprecated runtime gets no security patches and soon cannot be updated.",
		Fix:       "Use one of: " + strings.Join(SupportedRuntimes, ", ") + ".",
		Peers:     []string{"Checkov CKV_AWS_363", "cdk-nag AwsSolutions-L1", "Security Hub Lambda.2"},
		Types:     []string{tFunction},
		Check: func(ix *Index) []Violation {
			return each(ix, tFunction, func(fn *R) string {
				rt := fn.Str("runtime")
				for _, ok := range SupportedRuntimes {
					if rt == ok {
						return ""
					}
				}
				return fmt.Sprintf("%s runs %q", fn.Name, rt)
			})
		},
	}, {
		ID: "EDS-LAMBDA-4", Severity: Medium, Level: Advisory,
		Title:     "Functions fed by the HTTP API or a queue have reserved concurrency",
		Rationale: "Reserved concurrency is the database connection budget: a traffic spike cannot open more connections than the cluster serves.",
		Fix:       "Set reservedConcurrentExecutions (edstack:apiReservedConcurrency; the worker's is its queue's maximum concurrency).",
		Peers:     []string{"Checkov CKV_AWS_115"},
		Types:     []string{tFunction, tESM},
		Check: func(ix *Index) []Violation {
			fed := apiFunctions(ix)
			for fn, m := range queueFunctions(ix) {
				fed[fn] = m
			}
			return each(ix, tFunction, func(fn *R) string {
				if fed[fn] == nil {
					return ""
				}
				if n, ok := fn.Num("reservedConcurrentExecutions"); !ok || n < 1 {
					return fn.Name + " has no reserved concurrency"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LAMBDA-5", Severity: Low, Level: Advisory,
		Title:     "Function environments are encrypted with the country's key",
		Rationale: "Environment values (secret ARNs, the origin check) stay under a key the country controls and audits.",
		Fix:       "Set kmsKeyArn to the stack's customer managed key.",
		Peers:     []string{"Checkov CKV_AWS_173"},
		Types:     []string{tFunction},
		Check: func(ix *Index) []Violation {
			return each(ix, tFunction, func(fn *R) string {
				if fn.Has("environment") && !isKMSKey(ix, fn.Get("kmsKeyArn")) {
					return fn.Name + "'s environment uses an AWS managed key"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LAMBDA-6", Severity: Low, Level: Advisory,
		Title:     "Failed asynchronous work lands in a dead-letter queue",
		Rationale: "A job that fails every retry must wait to be looked at, not vanish.",
		Fix:       "Feed the function from a queue with a redrive policy, or set deadLetterConfig.",
		Peers:     []string{"Checkov CKV_AWS_116"},
		Types:     []string{tFunction},
		Check: func(ix *Index) []Violation {
			fed := queueFunctions(ix)
			return each(ix, tFunction, func(fn *R) string {
				if fn.Has("deadLetterConfig", "targetArn") {
					return ""
				}
				if m := fed[fn]; m != nil {
					if q := ix.Ref(m.Get("eventSourceArn")); q != nil {
						if _, ok := redriveOf(q); ok {
							return ""
						}
					}
				}
				return fn.Name + " has no dead-letter queue"
			})
		},
	}, {
		ID: "EDS-LAMBDA-7", Severity: High, Level: Mandatory,
		Title:     "A function behind the HTTP API finishes within the API's 30 s",
		Rationale: "The HTTP API gives up at 30 s; a longer function keeps working (and holding a connection) for a client that got a 503.",
		Fix:       "Keep the function's timeout at most 30 s and move longer work to the queue.",
		Types:     []string{tFunction, tIntegration},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for fn, in := range apiFunctions(ix) {
				t, _ := fn.Num("timeout")
				limit := float64(HTTPAPITimeout)
				if ms, ok := in.Num("timeoutMilliseconds"); ok {
					limit = min(limit, ms/1000)
				}
				if t > limit {
					out = append(out, Violation{URN: fn.URN, Message: fmt.Sprintf("%s times out after %v s behind an API that waits %v s", fn.Name, t, limit)})
				}
			}
			return out
		},
	}, {
		ID: "EDS-LAMBDA-8", Severity: High, Level: Mandatory,
		Title:     "Invoke permissions name their source",
		Rationale: "A permission for a service principal without a source ARN lets any account's API invoke the function.",
		Fix:       "Set sourceArn (and sourceAccount where the ARN holds no account).",
		Peers:     []string{"Checkov CKV_AWS_301", "Security Hub Lambda.1"},
		Types:     []string{tPermission},
		Check: func(ix *Index) []Violation {
			return each(ix, tPermission, func(p *R) string {
				if p.Str("principal") == "*" || (strings.HasSuffix(p.Str("principal"), ".amazonaws.com") && p.Str("sourceArn") == "") {
					return p.Name + " lets any " + p.Str("principal") + " invoke " + p.Str("function")
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SQS-1", Severity: Medium, Level: Advisory,
		Title:     "Queues are encrypted with the country's key",
		Rationale: "Jobs carry student work; the country's key makes every read auditable and revocable.",
		Fix:       "Set kmsMasterKeyId to the stack's customer managed key.",
		Peers:     []string{"Checkov CKV_AWS_27", "Checkov CKV2_AWS_73", "cdk-nag AwsSolutions-SQS2", "Security Hub SQS.1"},
		Types:     []string{tQueue},
		Check: func(ix *Index) []Violation {
			return each(ix, tQueue, func(q *R) string {
				if !isKMSKey(ix, q.Get("kmsMasterKeyId")) {
					return q.Name + " is not encrypted with a customer managed key"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SQS-2", Severity: Medium, Level: Advisory,
		Title:     "Work queues have a dead-letter queue",
		Rationale: "A message that always fails otherwise retries until it expires and is lost.",
		Fix:       "Set redrivePolicy to a dead-letter queue of this stack.",
		Peers:     []string{"cdk-nag AwsSolutions-SQS3"},
		Types:     []string{tQueue},
		Check: func(ix *Index) []Violation {
			return each(ix, tQueue, func(q *R) string {
				if isDLQ(ix, q) {
					return ""
				}
				if r, ok := redriveOf(q); !ok || ix.Ref(r.Target) == nil {
					return q.Name + " has no dead-letter queue"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SQS-3", Severity: Medium, Level: Advisory,
		Title:     "Queues refuse requests without TLS",
		Rationale: "Job payloads must not cross any network in clear text.",
		Fix:       "Attach a queue policy denying sqs:* when aws:SecureTransport is false.",
		Peers:     []string{"cdk-nag AwsSolutions-SQS4"},
		Types:     []string{tQueue, tQueuePolicy},
		Check: func(ix *Index) []Violation {
			return each(ix, tQueue, func(q *R) string {
				for _, p := range ix.Of(tQueuePolicy) {
					if p.Str("queueUrl") != q.ID {
						continue
					}
					if d, ok := document(p, "policy"); ok && deniesInsecure(d) {
						return ""
					}
				}
				return q.Name + " accepts requests without TLS"
			})
		},
	}, {
		ID: "EDS-SQS-4", Severity: Medium, Level: Mandatory,
		Title:     "A queue's retry budget fits its retention, and its dead-letter queue keeps messages longer",
		Rationale: "Retries beyond the retention expire unseen; a standard queue's DLQ counts age from the first send, so a shorter DLQ retention deletes failures on arrival.",
		Fix:       "Keep maxReceiveCount x visibilityTimeoutSeconds within messageRetentionSeconds, and the DLQ's retention above the queue's.",
		Types:     []string{tQueue},
		Check: func(ix *Index) []Violation {
			return each(ix, tQueue, func(q *R) string {
				r, ok := redriveOf(q)
				if !ok {
					return ""
				}
				vis, _ := q.Num("visibilityTimeoutSeconds")
				ret, set := q.Num("messageRetentionSeconds")
				if !set {
					ret = 345600
				}
				if r.Max*vis > ret {
					return fmt.Sprintf("%s: %v tries x %v s visibility exceed its %v s retention", q.Name, r.Max, vis, ret)
				}
				if dlq := ix.Ref(r.Target); dlq != nil {
					if dret, _ := dlq.Num("messageRetentionSeconds"); dret <= ret {
						return fmt.Sprintf("%s keeps messages %v s, its dead-letter queue only %v s", q.Name, ret, dret)
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SQS-5", Severity: Medium, Level: Mandatory,
		Title:     "A queue's visibility timeout is at least six times its consumer's timeout",
		Rationale: "AWS's guidance for Lambda consumers: a shorter visibility hands a job still running to a second worker.",
		Fix:       "Set visibilityTimeoutSeconds to 6 x the function's timeout (at most 12 hours).",
		Types:     []string{tQueue, tESM, tFunction},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for fn, m := range queueFunctions(ix) {
				q := ix.Ref(m.Get("eventSourceArn"))
				if q == nil {
					continue
				}
				vis, _ := q.Num("visibilityTimeoutSeconds")
				t, _ := fn.Num("timeout")
				if vis < 6*t && vis < 43200 {
					out = append(out, Violation{URN: q.URN, Message: fmt.Sprintf("%s: visibility %v s, consumer %s times out after %v s", q.Name, vis, fn.Name, t)})
				}
			}
			return out
		},
	}, {
		ID: "EDS-APIGW-1", Severity: Medium, Level: Advisory,
		Title:     "API stages write access logs and throttle",
		Rationale: "Access logs answer who called what; a stage without throttling lets one client exhaust the database budget.",
		Fix:       "Set accessLogSettings and defaultRouteSettings throttling (edstack:apiThrottleRate, apiThrottleBurst).",
		Peers:     []string{"Checkov CKV_AWS_95", "cdk-nag AwsSolutions-APIG1", "Security Hub APIGateway.9"},
		Types:     []string{tStage, tAPI},
		Check: func(ix *Index) []Violation {
			return each(ix, tStage, func(s *R) string {
				if s.Str("accessLogSettings", "destinationArn") == "" {
					return s.Name + " writes no access log"
				}
				if _, ok := s.Num("defaultRouteSettings", "throttlingRateLimit"); !ok {
					return s.Name + " does not throttle"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-APIGW-2", Severity: High, Level: Mandatory,
		Title:     "The HTTP API is reachable only through CloudFront",
		Rationale: "The execute-api endpoint is public: without a check, anyone bypasses the WAF, the TLS policy and the logs of CloudFront.",
		Fix:       "Have CloudFront send a secret " + OriginVerifyHeader + " header to the API origin, and guard every route with an authorizer that checks it.",
		Types:     []string{tAPI, tDistribution, tAuthorizer},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, api := range ix.Of(tAPI) {
				if api.Bool("disableExecuteApiEndpoint") {
					continue
				}
				guarded := false
				for _, d := range ix.Of(tDistribution) {
					for _, o := range d.List("origins") {
						m, _ := o.(map[string]any)
						if fmt.Sprint(m["domainName"]) != endpointHost(api) {
							continue
						}
						for _, h := range asList(m["customHeaders"]) {
							hm, _ := h.(map[string]any)
							if strings.EqualFold(fmt.Sprint(hm["name"]), OriginVerifyHeader) && hm["value"] == "[secret]" {
								guarded = true
							}
						}
					}
				}
				for _, route := range ix.Referrers(api, tAPIRoute, "apiId") {
					auth := ix.Ref(route.Get("authorizerId"))
					if route.Str("authorizationType") != "CUSTOM" || auth == nil ||
						!has(auth.List("identitySources"), "$request.header."+OriginVerifyHeader) {
						guarded = false
					}
				}
				if !guarded {
					out = append(out, Violation{URN: api.URN, Message: api.Name + "'s execute-api endpoint accepts requests that did not come through CloudFront"})
				}
			}
			return out
		},
	}, {
		ID: "EDS-APIGW-3", Severity: Low, Level: Advisory,
		Title:     "API routes name an authorization type",
		Rationale: "A route without an authorizer relies on the application to authenticate every request.",
		Fix:       "Set authorizationType (JWT, AWS_IAM or CUSTOM) on each route, or waive with how the application authenticates.",
		Peers:     []string{"Checkov CKV_AWS_309", "cdk-nag AwsSolutions-APIG4", "Security Hub APIGateway.8"},
		Types:     []string{tAPIRoute},
		Check: func(ix *Index) []Violation {
			return each(ix, tAPIRoute, func(r *R) string {
				if t := r.Str("authorizationType"); t == "" || t == "NONE" {
					return r.Name + " (" + r.Str("routeKey") + ") has no authorizer"
				}
				return ""
			})
		},
	}}
}

// endpointHost is the host of an HTTP API's execute-api endpoint.
func endpointHost(api *R) string {
	v, ok := api.State["apiEndpoint"]
	if !ok || !v.IsString() {
		return api.ID + ".execute-api"
	}
	return strings.TrimPrefix(v.StringValue(), "https://")
}
