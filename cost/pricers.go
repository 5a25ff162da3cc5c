package cost

import (
	"edstack/components/cockroach"
	"strings"
)

// pricers price the types that cost money, from their settings and, for
// what only use decides, the usage profile.
var pricers = map[string]pricer{
	"aws:ecs/service:Service": fargateService,
	"aws:ecs/cluster:Cluster": containerInsights,
	"aws:ec2/natGateway:NatGateway": func(e *estimator, r *R) string {
		e.add(r, "gateway hours", "nat-hour", HoursPerMonth, false)
		e.add(r, "data processed (this gateway's share)", "nat-gb", e.use("natGB")/float64(len(e.ix.Of(r.Type))), true)
		return ""
	},
	"aws:ec2/eip:Eip": func(e *estimator, r *R) string {
		e.add(r, "public IPv4 address", "public-ipv4-hour", HoursPerMonth, false)
		return ""
	},
	"aws:lb/loadBalancer:LoadBalancer": func(e *estimator, r *R) string {
		if t := r.Str("loadBalancerType"); t != "network" {
			return "load balancer type " + t + " (only network load balancers are priced)"
		}
		e.add(r, "load balancer hours", "nlb-hour", HoursPerMonth, false)
		e.add(r, "capacity units", "nlb-lcu-hour", e.use("nlbLCU")*HoursPerMonth, true)
		return ""
	},
	"aws:kms/key:Key": func(e *estimator, r *R) string {
		e.add(r, "key", "kms-key-month", 1, false)
		if r.Str("keyUsage") != "SIGN_VERIFY" {
			e.add(r, "requests", "kms-10k-requests", e.use("kmsRequests")/1e4, true)
		}
		return ""
	},
	"aws:secretsmanager/secret:Secret": func(e *estimator, r *R) string {
		e.add(r, "secret", "secret-month", 1, false)
		e.add(r, "API calls (this secret's share)", "secret-10k-calls", e.use("secretCalls")/1e4/float64(len(e.ix.Of(r.Type))), true)
		return ""
	},
	"aws:route53/zone:Zone": func(e *estimator, r *R) string {
		e.add(r, "hosted zone", "r53-zone-month", 1, false)
		e.add(r, "queries", "r53-million-queries", e.use("dnsQueries")/1e6, true)
		return ""
	},
	"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": func(e *estimator, r *R) string {
		e.add(r, "its private hosted zone", "r53-zone-month", 1, false)
		return ""
	},
	"aws:servicediscovery/service:Service": func(e *estimator, r *R) string {
		e.add(r, "registered instance (one task)", "cloudmap-instance-month", 1, false)
		return ""
	},
	"aws:wafv2/webAcl:WebAcl": func(e *estimator, r *R) string {
		e.add(r, "web ACL", "waf-acl-month", 1, false)
		e.add(r, "rules", "waf-rule-month", float64(len(r.List("rules"))), false)
		e.add(r, "requests inspected", "waf-million-requests", e.use("cdnRequests")/1e6, true)
		return ""
	},
	"aws:cloudfront/distribution:Distribution": func(e *estimator, r *R) string {
		e.add(r, "data to viewers (the country's edge)", "cloudfront-gb", e.use("cdnGB"), true)
		e.add(r, "HTTPS requests", "cloudfront-10k-requests", e.use("cdnRequests")/1e4, true)
		return ""
	},
	"aws:apigatewayv2/api:Api": func(e *estimator, r *R) string {
		e.add(r, "requests", "httpapi-million-requests", e.use("apiRequests")/1e6, true)
		return ""
	},
	"aws:lambda/function:Function":            lambdaFunction,
	"aws:sqs/queue:Queue":                     sqsQueue,
	"aws:s3/bucketV2:BucketV2":                bucket,
	"aws:cloudwatch/logGroup:LogGroup":        logGroup,
	"aws:rds/cluster:Cluster":                 auroraCluster,
	"aws:rds/clusterInstance:ClusterInstance": auroraInstance,
	"aws:appautoscaling/target:Target":        auroraReaders,
	"aws:cloudwatch/metricAlarm:MetricAlarm": func(e *estimator, r *R) string {
		// CloudWatch bills a metric-math alarm for each metric it reads.
		metrics := 1
		if q := r.List("metricQueries"); len(q) > 0 {
			metrics = 0
			for _, m := range q {
				if mq, _ := m.(map[string]any); mq["metric"] != nil {
					metrics++
				}
			}
		}
		e.add(r, "standard-resolution alarm metrics", "cw-alarm-month", float64(metrics), false)
		return ""
	},
	"aws:cloudwatch/dashboard:Dashboard": func(e *estimator, r *R) string {
		e.add(r, "dashboard (an account's first 3 are free)", "cw-dashboard-month", 1, false)
		return ""
	},
	"aws:cloudwatch/logMetricFilter:LogMetricFilter": func(e *estimator, r *R) string {
		e.add(r, "the custom metric it writes", "cw-metric-month", 1, false)
		return ""
	},
	"aws:ecr/pullThroughCacheRule:PullThroughCacheRule": func(e *estimator, r *R) string {
		e.add(r, "cached image", "ecr-gb-month", e.use("imageGB"), true)
		return ""
	},
}

// Container Insights metrics, which CloudWatch bills as custom metrics
// (approximate counts of what it publishes for ECS on Fargate).
const (
	insightsClusterMetrics = 11
	insightsServiceMetrics = 15
)

func containerInsights(e *estimator, r *R) string {
	on := false
	for _, s := range r.List("settings") {
		m, _ := s.(map[string]any)
		if m["name"] == "containerInsights" && m["value"] != "disabled" {
			on = true
		}
	}
	if !on {
		return ""
	}
	services := 0
	for _, s := range e.ix.Of("aws:ecs/service:Service") {
		if e.ix.Ref(s.Get("cluster")) == r {
			services++
		}
	}
	e.add(r, "Container Insights metrics (cluster and per service)", "cw-metric-month",
		float64(insightsClusterMetrics+insightsServiceMetrics*services), false)
	return ""
}

// The functions' roles, from their logical names.
const (
	apiFunction    = "-api"
	workerFunction = "-worker"
	originCheck    = "-origin-check"
	rollGate       = "-roll-gate"
)

// originCheckShare is the share of API requests the origin check sees: its
// answers are cached 300 s per CloudFront connection.
const originCheckShare = 0.01

func lambdaFunction(e *estimator, r *R) string {
	mem, _ := r.Num("memorySize")
	if mem == 0 {
		mem = 128
	}
	invoke := func(what string, count, ms float64) {
		e.add(r, what+" requests", "lambda-million-requests", count/1e6, true)
		e.add(r, what+" compute", "lambda-gb-second", count*ms/1000*mem/1024, true)
	}
	switch name := r.Name; {
	case strings.HasSuffix(name, rollGate):
		// Runs only during pulumi up, a few times per node rolled.
		e.add(r, "invocations during pulumi up only", "lambda-million-requests", 0, true)
	case strings.HasSuffix(name, originCheck):
		invoke("authorizer (cached)", e.use("apiRequests")*originCheckShare, 50)
	case strings.HasSuffix(name, workerFunction):
		invoke("jobs", e.use("jobs"), e.use("jobDurationMs"))
	case strings.HasSuffix(name, apiFunction):
		invoke("API", e.use("apiRequests"), e.use("apiDurationMs"))
	default:
		return "a function edstack does not know the use of"
	}
	if r.Str("tracingConfig", "mode") == "Active" && strings.HasSuffix(r.Name, apiFunction) {
		e.add(r, "X-Ray traces", "xray-million-traces", e.use("traces")/1e6, true)
	}
	return ""
}

func sqsQueue(e *estimator, r *R) string {
	if r.Get("redrivePolicy") == nil {
		// A dead-letter queue sees requests only when jobs fail.
		e.add(r, "requests (only failed jobs)", "sqs-million-requests", 0, true)
		return ""
	}
	e.add(r, "requests", "sqs-million-requests", e.use("sqsRequests")/1e6, true)
	return ""
}

// The buckets' roles, from their logical names.
func bucket(e *estimator, r *R) string {
	switch name := r.Name; {
	case strings.HasSuffix(name, "-crdb-backups"):
		e.add(r, "backups stored", "s3-gb-month", e.use("backupGB"), true)
	case strings.HasSuffix(name, "-edge-user-content"):
		e.add(r, "uploads stored", "s3-gb-month", e.use("userContentGB"), true)
		e.add(r, "PUT requests", "s3-1k-puts", e.use("userContentPuts")/1e3, true)
		e.add(r, "GET requests", "s3-1k-gets", e.use("userContentGets")/1e3, true)
	case strings.HasSuffix(name, "-edge-static"):
		e.add(r, "web app stored", "s3-gb-month", e.use("staticGB"), true)
	case strings.HasSuffix(name, "-edge-access-logs"):
		e.add(r, "access logs stored", "s3-gb-month", e.use("accessLogGB"), true)
	default:
		return "a bucket edstack does not know the use of"
	}
	return ""
}

// logGroup prices ingestion and storage: the flow logs and query logs by
// their own quantities, the other groups sharing logsGB; what is stored is
// what the retention keeps of a month's ingestion (uncompressed: an upper
// bound).
func logGroup(e *estimator, r *R) string {
	path := r.Str("name")
	var gb float64
	sku := "logs-ingest-gb"
	switch {
	case strings.HasSuffix(path, "/vpc-flow-logs"):
		gb, sku = e.use("flowLogsGB"), "logs-vended-gb"
	case strings.HasPrefix(path, "/aws/route53/"):
		gb = e.use("queryLogsGB")
	default:
		others := 0
		for _, g := range e.ix.Of(r.Type) {
			n := g.Str("name")
			if !strings.HasSuffix(n, "/vpc-flow-logs") && !strings.HasPrefix(n, "/aws/route53/") {
				others++
			}
		}
		gb = e.use("logsGB") / float64(others)
	}
	e.add(r, "ingestion", sku, gb, true)
	if strings.HasSuffix(path, cockroach.MetricsLogGroupLeaf) {
		// The collectors' EMF events become one custom metric per name:
		// every node writes under the one cluster dimension.
		e.add(r, "custom metrics from the nodes' collectors", "cw-metric-month", float64(len(cockroach.ExportedMetrics)), false)
	}
	days, _ := r.Num("retentionInDays")
	if days == 0 {
		days = 3653 // kept forever: ten years as a bound
	}
	e.add(r, "stored for its retention", "logs-store-gb-month", gb*min(days, 3653)/30, true)
	return ""
}

// freeTypes cost nothing by themselves; the reason says where their cost,
// if any, is counted.
var freeTypes = map[string]string{
	"aws:ec2/vpc:Vpc":                                                                            "free",
	"aws:ec2/subnet:Subnet":                                                                      "free",
	"aws:ec2/routeTable:RouteTable":                                                              "free",
	"aws:ec2/route:Route":                                                                        "free",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        "free",
	"aws:ec2/internetGateway:InternetGateway":                                                    "free (its data is NAT's and CloudFront's)",
	"aws:ec2/securityGroup:SecurityGroup":                                                        "free",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                                          "free",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":                                  "free",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":                                    "free",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                                            "free: an S3 gateway endpoint",
	"aws:ec2/flowLog:FlowLog":                                                                    "priced on its log group (vended logs)",
	"aws:iam/role:Role":                                                                          "free",
	"aws:iam/rolePolicy:RolePolicy":                                                              "free",
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          "free",
	"aws:acm/certificate:Certificate":                                                            "free: a public ACM certificate",
	"aws:acm/certificateValidation:CertificateValidation":                                        "free",
	"aws:cloudfront/originAccessControl:OriginAccessControl":                                     "free",
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":                                 "free",
	"aws:route53/record:Record":                                                                  "priced on its zone (alias queries to CloudFront are free)",
	"aws:route53/queryLog:QueryLog":                                                              "priced on its log group",
	"aws:route53/keySigningKey:KeySigningKey":                                                    "priced on its KMS key",
	"aws:route53/hostedZoneDnsSec:HostedZoneDnsSec":                                              "free",
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy":                                         "free",
	"aws:kms/alias:Alias":                                                                        "free",
	"aws:sns/topic:Topic":                                                                        "free at alarm volumes (1M publishes and 1,000 emails a month are free)",
	"aws:sns/topicSubscription:TopicSubscription":                                                "free at alarm volumes",
	"aws:cloudwatch/eventRule:EventRule":                                                         "free: events of AWS services",
	"aws:cloudwatch/eventTarget:EventTarget":                                                     "priced on its log group",
	"aws:lambda/permission:Permission":                                                           "free",
	"aws:lambda/eventSourceMapping:EventSourceMapping":                                           "priced on its queue (polling requests)",
	"aws:lambda/invocation:Invocation":                                                           "runs during pulumi up only (the roll gate)",
	"aws:apigatewayv2/integration:Integration":                                                   "priced on its API",
	"aws:apigatewayv2/route:Route":                                                               "priced on its API",
	"aws:apigatewayv2/stage:Stage":                                                               "priced on its API (access logs on their log group)",
	"aws:apigatewayv2/authorizer:Authorizer":                                                     "priced on its function",
	"aws:ecs/taskDefinition:TaskDefinition":                                                      "priced on its service",
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":                                  "free",
	"aws:lb/listener:Listener":                                                                   "priced on its load balancer",
	"aws:lb/targetGroup:TargetGroup":                                                             "priced on its load balancer",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     "free",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     "free",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "free (KMS requests on the key)",
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               "free (old versions in the bucket's storage)",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       "free",
	"aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2":                                 "free",
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     "free (the logs' storage on the access-log bucket)",
	"aws:s3/bucketPolicy:BucketPolicy":                                                           "free",
	"aws:s3/bucketAclV2:BucketAclV2":                                                             "free",
	"aws:sqs/queuePolicy:QueuePolicy":                                                            "free",
	"aws:secretsmanager/secretVersion:SecretVersion":                                             "priced on its secret",
	"aws:rds/subnetGroup:SubnetGroup":                                                            "free",
	"aws:rds/clusterParameterGroup:ClusterParameterGroup":                                        "free",
	"aws:appautoscaling/policy:Policy":                                                           "priced on its scalable target",
	"aws:appautoscaling/scheduledAction:ScheduledAction":                                         "priced on its scalable target",
	"aws:iam/policy:Policy":                                                                      "free",
	"random:index/randomPassword:RandomPassword":                                                 "free: made in the Pulumi state",
	"tls:index/privateKey:PrivateKey":                                                            "free: made in the Pulumi state",
	"tls:index/selfSignedCert:SelfSignedCert":                                                    "free: made in the Pulumi state",
	"tls:index/certRequest:CertRequest":                                                          "free: made in the Pulumi state",
	"tls:index/locallySignedCert:LocallySignedCert":                                              "free: made in the Pulumi state",
}

// Priced reports whether the model knows a type: it prices it, or knows it
// to be free.
func Priced(typ string) bool {
	_, p := pricers[typ]
	_, f := freeTypes[typ]
	return p || f
}
