package tags

// untaggable are the resource types edstack uses that AWS does not tag:
// settings of another resource, rules, attachments, policies and
// invocations.
var untaggable = map[string]bool{
	"aws:acm/certificateValidation:CertificateValidation":                                        true,
	"aws:apigatewayv2/integration:Integration":                                                   true,
	"aws:apigatewayv2/route:Route":                                                               true,
	"aws:appautoscaling/policy:Policy":                                                           true,
	"aws:appautoscaling/scheduledAction:ScheduledAction":                                         true,
	"aws:cloudfront/originAccessControl:OriginAccessControl":                                     true,
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":                                 true,
	"aws:ec2/route:Route":                                                                        true,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        true,
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":                                  true,
	"aws:apigatewayv2/authorizer:Authorizer":                                                     true,
	"aws:route53/queryLog:QueryLog":                                                              true,
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     true,
	"aws:route53/hostedZoneDnsSec:HostedZoneDnsSec":                                              true,
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy":                                         true,
	"aws:cloudwatch/dashboard:Dashboard":                                                         true,
	"aws:cloudwatch/eventTarget:EventTarget":                                                     true,
	"aws:cloudwatch/logMetricFilter:LogMetricFilter":                                             true,
	"aws:sns/topicSubscription:TopicSubscription":                                                true,
	"aws:route53/keySigningKey:KeySigningKey":                                                    true,
	"aws:s3/bucketAclV2:BucketAclV2":                                                             true,
	"aws:iam/rolePolicy:RolePolicy":                                                              true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          true,
	"aws:kms/alias:Alias":                                                                        true,
	"aws:lambda/invocation:Invocation":                                                           true,
	"aws:lambda/permission:Permission":                                                           true,
	"aws:route53/record:Record":                                                                  true,
	"aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2":                                 true,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       true,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     true,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     true,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               true,
	"aws:secretsmanager/secretVersion:SecretVersion":                                             true,
	"aws:sqs/queuePolicy:QueuePolicy":                                                            true,
}

// Taggable reports whether resources of an AWS type token take tags, so
// tests can check that every one that does carries the tag set.
func Taggable(typ string) bool { return !untaggable[typ] }
