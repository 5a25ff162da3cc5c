package policy

import (
	"fmt"
	"strings"

	policy "edstack/components/iam"
	"edstack/components/keys"
)

// Pack is every rule of edstack's policy pack, in id order.
func Pack() []Rule {
	var rules []Rule
	for _, group := range [][]Rule{
		networkRules(), computeRules(), functionRules(), edgeRules(), dataRules(), iamRules(), alarmRules(),
	} {
		rules = append(rules, group...)
	}
	return rules
}

// Resource type tokens the rules read.
const (
	tVPC          = "aws:ec2/vpc:Vpc"
	tDefaultSG    = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tFlowLog      = "aws:ec2/flowLog:FlowLog"
	tSubnet       = "aws:ec2/subnet:Subnet"
	tRoute        = "aws:ec2/route:Route"
	tRouteTable   = "aws:ec2/routeTable:RouteTable"
	tRTAssoc      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tIGW          = "aws:ec2/internetGateway:InternetGateway"
	tNAT          = "aws:ec2/natGateway:NatGateway"
	tEIP          = "aws:ec2/eip:Eip"
	tEndpoint     = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tSG           = "aws:ec2/securityGroup:SecurityGroup"
	tIngress      = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgress       = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tECSCluster   = "aws:ecs/cluster:Cluster"
	tCapacity     = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
	tECSService   = "aws:ecs/service:Service"
	tTaskDef      = "aws:ecs/taskDefinition:TaskDefinition"
	tNamespace    = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
	tDiscovery    = "aws:servicediscovery/service:Service"
	tLB           = "aws:lb/loadBalancer:LoadBalancer"
	tListener     = "aws:lb/listener:Listener"
	tTargetGroup  = "aws:lb/targetGroup:TargetGroup"
	tFunction     = "aws:lambda/function:Function"
	tPermission   = "aws:lambda/permission:Permission"
	tESM          = "aws:lambda/eventSourceMapping:EventSourceMapping"
	tInvocation   = "aws:lambda/invocation:Invocation"
	tQueue        = "aws:sqs/queue:Queue"
	tQueuePolicy  = "aws:sqs/queuePolicy:QueuePolicy"
	tAPI          = "aws:apigatewayv2/api:Api"
	tIntegration  = "aws:apigatewayv2/integration:Integration"
	tAPIRoute     = "aws:apigatewayv2/route:Route"
	tStage        = "aws:apigatewayv2/stage:Stage"
	tAuthorizer   = "aws:apigatewayv2/authorizer:Authorizer"
	tDistribution = "aws:cloudfront/distribution:Distribution"
	tOAC          = "aws:cloudfront/originAccessControl:OriginAccessControl"
	tHeaders      = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
	tWebACL       = "aws:wafv2/webAcl:WebAcl"
	tCert         = "aws:acm/certificate:Certificate"
	tCertValid    = "aws:acm/certificateValidation:CertificateValidation"
	tBucket       = "aws:s3/bucketV2:BucketV2"
	tPAB          = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tSSE          = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tVersioning   = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	tBucketLog    = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	tLifecycle    = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tOwnership    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tCORS         = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
	tZone         = "aws:route53/zone:Zone"
	tRecord       = "aws:route53/record:Record"
	tQueryLog     = "aws:route53/queryLog:QueryLog"
	tKSK          = "aws:route53/keySigningKey:KeySigningKey"
	tDNSSEC       = "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"
	tLogPolicy    = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
	tRDSCluster   = "aws:rds/cluster:Cluster"
	tRDSInstance  = "aws:rds/clusterInstance:ClusterInstance"
	tRDSParams    = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	tRDSSubnets   = "aws:rds/subnetGroup:SubnetGroup"
	tScaleTarget  = "aws:appautoscaling/target:Target"
	tScalePolicy  = "aws:appautoscaling/policy:Policy"
	tSchedule     = "aws:appautoscaling/scheduledAction:ScheduledAction"
	tSecret       = "aws:secretsmanager/secret:Secret"
	tSecretValue  = "aws:secretsmanager/secretVersion:SecretVersion"
	tKey          = "aws:kms/key:Key"
	tAlias        = "aws:kms/alias:Alias"
	tLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	tRole         = "aws:iam/role:Role"
	tRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	tAttachment   = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

// containers reads a task definition's container definitions.
func containers(r *R) []map[string]any {
	var cs []map[string]any
	r.JSON(&cs, "containerDefinitions")
	return cs
}

// document reads an IAM policy document input; ok false when it is not one.
func document(r *R, key string) (policy.Document, bool) {
	var d policy.Document
	return d, r.JSON(&d, key)
}

// principals are a statement's principals of one kind ("Service", "AWS").
func principals(s policy.Statement, kind string) []string {
	switch p := s.Principal[kind].(type) {
	case string:
		return []string{p}
	case []any:
		var out []string
		for _, e := range p {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// bucketOf finds the bucket a bucket setting (versioning, policy...) is for.
func bucketOf(ix *Index, setting *R) *R {
	name := setting.Str("bucket")
	for _, b := range ix.Of(tBucket) {
		if b.ID == name {
			return b
		}
	}
	return nil
}

// settingsOf returns, per bucket, the settings resources of typ naming it.
func settingsOf(ix *Index, typ string) map[*R][]*R {
	out := map[*R][]*R{}
	for _, s := range ix.Of(typ) {
		if b := bucketOf(ix, s); b != nil {
			out[b] = append(out[b], s)
		}
	}
	return out
}

// perBucket checks every bucket with the settings of typ it has.
func perBucket(ix *Index, typ string, bad func(b *R, settings []*R) string) []Violation {
	set := settingsOf(ix, typ)
	return each(ix, tBucket, func(b *R) string { return bad(b, set[b]) })
}

// isKMSKey reports whether ref names a customer managed key of the plan.
func isKMSKey(ix *Index, ref any) bool {
	if k := ix.Ref(ref); k != nil {
		return k.Type == tKey
	}
	// A key the stack does not create (edstack:kmsKeyArn) is named by its
	// key ARN; an alias, aws/... included, is not a customer managed key.
	s, _ := ref.(string)
	return keys.ArnPattern.MatchString(s)
}

func has(list []any, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func lower(s string) string { return strings.ToLower(s) }

// deniesInsecure reports whether a resource policy denies every request
// made without TLS.
func deniesInsecure(d policy.Document) bool {
	for _, s := range d.Statement {
		if s.Effect == "Deny" && fmt.Sprint(s.Condition["Bool"]["aws:SecureTransport"]) == "false" {
			return true
		}
	}
	return false
}
