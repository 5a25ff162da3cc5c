package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// AccountID is the placeholder AWS account of the offline plan (the account
// number AWS uses in its own documentation).
const AccountID = "123456789012"

// computedState is what the engine answers for a custom resource: its inputs
// plus the outputs AWS would compute and that other resources may read.
// Every value is derived from the resource's URN, name and region only, so
// it is the same on every run.
// secretOutputs are the outputs providers mark secret in their schema: the
// real engine hands them to the program as secrets whether or not the
// program wraps them, and so does the offline engine.
var secretOutputs = map[string][]string{
	"random:index/randomPassword:RandomPassword":     {"result", "bcryptHash"},
	"tls:index/privateKey:PrivateKey":                {"privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"},
	"aws:secretsmanager/secretVersion:SecretVersion": {"secretString", "secretBinary"},
}

// markSecret wraps the outputs a provider marks secret.
func markSecret(typ string, state resource.PropertyMap) {
	for _, key := range secretOutputs[typ] {
		k := resource.PropertyKey(key)
		if v, ok := state[k]; ok && !v.IsSecret() {
			state[k] = resource.MakeSecret(v)
		}
	}
}

func computedState(r *Resource, region string) resource.PropertyMap {
	state := r.Inputs.Copy()
	set := func(key string, value any) {
		if _, ok := state[resource.PropertyKey(key)]; !ok {
			state[resource.PropertyKey(key)] = resource.NewPropertyValue(value)
		}
	}
	if r.Type == "pulumi:providers:aws" || strings.HasPrefix(r.Type, "pulumi:providers:") {
		return state
	}

	name := physicalName(r, state)
	set(orName(nameKeys[r.Type]), name)
	for key, value := range typeSpecific(r, name, region) {
		set(key, value)
	}
	if strings.HasPrefix(r.Type, "aws:") {
		set("arn", arn(r, name, region))
	}
	return state
}

// nameKeys are the inputs that hold a resource's physical name where it is
// not "name".
var nameKeys = map[string]string{
	"aws:s3/bucketV2:BucketV2":                          "bucket",
	"aws:lambda/function:Function":                      "functionName",
	"aws:ecs/taskDefinition:TaskDefinition":             "family",
	"aws:rds/cluster:Cluster":                           "clusterIdentifier",
	"aws:rds/clusterInstance:ClusterInstance":           "identifier",
	"aws:lambda/permission:Permission":                  "statementId",
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": "",
}

// physicalName is the name a resource ends up with: its explicit name
// input; else its name prefix with a unique suffix, as the AWS provider
// makes one (26 characters); else Pulumi's auto-name, the logical name
// and seven random characters (here derived from the URN, so that every
// run gives the same).
func physicalName(r *Resource, state resource.PropertyMap) string {
	key := orName(nameKeys[r.Type])
	if v, ok := state[resource.PropertyKey(key)]; ok && v.IsString() && v.StringValue() != "" {
		return v.StringValue()
	}
	if v, ok := state[resource.PropertyKey(key+"Prefix")]; ok && v.IsString() && v.StringValue() != "" {
		return v.StringValue() + longHash(r.URN)[:26]
	}
	return r.Name + "-" + shortHash(r.URN)
}

// placeholderID is the id a resource gets: where AWS's id is the
// resource's name, ARN or URL, that; else (opaque ids such as vpc-0a1b...)
// "<logical name>-id", which a reviewer can follow back to the resource.
func placeholderID(r *Resource, state resource.PropertyMap) string {
	str := func(key string) string {
		if v, ok := state[resource.PropertyKey(key)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	switch r.Type {
	case "aws:s3/bucketV2:BucketV2":
		return str("bucket")
	case "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:ecs/taskDefinition:TaskDefinition",
		"aws:rds/subnetGroup:SubnetGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup":
		return str(orName(nameKeys[r.Type]))
	case "aws:lambda/function:Function":
		return str("functionName")
	case "aws:rds/cluster:Cluster":
		return str("clusterIdentifier")
	case "aws:rds/clusterInstance:ClusterInstance":
		return str("identifier")
	case "aws:sqs/queue:Queue":
		return str("url")
	case "aws:secretsmanager/secret:Secret", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup",
		"aws:lb/listener:Listener", "aws:acm/certificate:Certificate", "aws:ecs/cluster:Cluster", "aws:ecs/service:Service",
		"aws:iam/policy:Policy", "aws:sns/topic:Topic":
		return str("arn")
	case "aws:route53/zone:Zone":
		return zoneID(r)
	case "aws:cloudfront/distribution:Distribution":
		return distributionID(r)
	case "aws:kms/key:Key":
		return keyID(r)
	}
	return r.Name + "-id"
}

// distributionID is a distribution's placeholder id, in CloudFront's shape.
func distributionID(r *Resource) string { return "E" + strings.ToUpper(longHash(r.URN)[:13]) }

// keyID is a KMS key's placeholder id, in KMS's shape (a UUID).
func keyID(r *Resource) string {
	h := longHash(r.URN)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// zoneID is a hosted zone's placeholder id, in Route53's shape.
func zoneID(r *Resource) string { return "Z" + strings.ToUpper(longHash(r.URN)[:20]) }

func orName(key string) string {
	if key == "" {
		return "name"
	}
	return key
}

// arn builds a placeholder ARN in the shape AWS uses for the resource's
// service: global services (IAM, S3, CloudFront, Route53) have no region,
// load balancers and target groups end in a hash, task definitions in
// their revision, secrets in six random characters.
func arn(r *Resource, name, region string) string {
	service, kind := serviceAndKind(r.Type)
	regional := func(svc, rest string) string { return "arn:aws:" + svc + ":" + region + ":" + AccountID + ":" + rest }
	str := func(key string) string {
		if v, ok := r.Inputs[resource.PropertyKey(key)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	switch r.Type {
	case "aws:lb/loadBalancer:LoadBalancer":
		kind := map[string]string{"network": "net", "gateway": "gwy"}[str("loadBalancerType")]
		if kind == "" {
			kind = "app"
		}
		return regional("elasticloadbalancing", "loadbalancer/"+kind+"/"+name+"/"+longHash(r.URN)[:16])
	case "aws:lb/targetGroup:TargetGroup":
		return regional("elasticloadbalancing", "targetgroup/"+name+"/"+longHash(r.URN)[:16])
	case "aws:lb/listener:Listener":
		// Under its load balancer: listener/net/<lb name>/<lb hash>/<own hash>.
		lb := strings.TrimPrefix(str("loadBalancerArn"), "arn:aws:elasticloadbalancing:"+region+":"+AccountID+":loadbalancer/")
		return regional("elasticloadbalancing", "listener/"+lb+"/"+longHash(r.URN)[:16])
	case "aws:route53/zone:Zone":
		return "arn:aws:route53:::hostedzone/" + zoneID(r)
	case "aws:cloudfront/distribution:Distribution":
		return "arn:aws:cloudfront::" + AccountID + ":distribution/" + distributionID(r)
	case "aws:ecs/taskDefinition:TaskDefinition":
		return regional("ecs", "task-definition/"+name+":1")
	case "aws:ecs/cluster:Cluster":
		return regional("ecs", "cluster/"+name)
	case "aws:ecs/service:Service":
		cluster := str("cluster")
		if i := strings.LastIndex(cluster, "/"); i >= 0 {
			cluster = cluster[i+1:]
		}
		return regional("ecs", "service/"+cluster+"/"+name)
	case "aws:rds/cluster:Cluster":
		return regional("rds", "cluster:"+name)
	case "aws:rds/clusterInstance:ClusterInstance":
		return regional("rds", "db:"+name)
	case "aws:secretsmanager/secret:Secret":
		return regional("secretsmanager", "secret:"+name+"-"+longHash(r.URN)[:6])
	case "aws:acm/certificate:Certificate":
		return "arn:aws:acm:" + region + ":" + AccountID + ":certificate/" + keyID(r)
	case "aws:kms/key:Key":
		return regional("kms", "key/"+keyID(r))
	}
	switch service {
	case "iam":
		return "arn:aws:iam::" + AccountID + ":" + kind + "/" + name
	case "s3":
		return "arn:aws:s3:::" + name
	case "route53":
		return "arn:aws:route53:::" + kind + "/" + name
	case "cloudfront":
		return "arn:aws:cloudfront::" + AccountID + ":" + kind + "/" + name
	case "cloudwatch":
		if kind == "loggroup" {
			return regional("logs", "log-group:"+name)
		}
	case "sqs":
		return regional("sqs", name)
	case "sns":
		if kind == "topic" {
			return regional("sns", name)
		}
	}
	switch r.Type {
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return regional("cloudwatch", "alarm:"+name)
	case "aws:cloudwatch/dashboard:Dashboard":
		return "arn:aws:cloudwatch::" + AccountID + ":dashboard/" + str("dashboardName")
	case "aws:cloudwatch/eventRule:EventRule":
		return regional("events", "rule/"+name)
	}
	return regional(service, kind+"/"+name)
}

// serviceAndKind splits "aws:ec2/vpc:Vpc" into ("ec2", "vpc").
func serviceAndKind(typ string) (string, string) {
	parts := strings.Split(typ, ":")
	if len(parts) != 3 {
		return "unknown", "resource"
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return module, strings.ToLower(parts[2])
}

// typeSpecific holds the computed outputs, beyond id, arn and name, that a
// program reads from a resource of a given type.
func typeSpecific(r *Resource, name, region string) map[string]any {
	switch r.Type {
	case "aws:ec2/vpc:Vpc":
		return map[string]any{"defaultSecurityGroupId": r.Name + "-default-sg-id", "mainRouteTableId": r.Name + "-main-rt-id"}
	case "aws:s3/bucketV2:BucketV2":
		return map[string]any{"bucket": name, "bucketRegionalDomainName": name + ".s3." + region + ".amazonaws.com"}
	case "aws:ecr/pullThroughCacheRule:PullThroughCacheRule":
		return map[string]any{"registryId": AccountID}
	case "aws:lb/loadBalancer:LoadBalancer":
		return map[string]any{"dnsName": name + "-" + shortHash(r.URN+"dns") + ".elb." + region + ".amazonaws.com", "zoneId": "Z000000000000"}
	case "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
		return map[string]any{"hostedZone": r.Name + "-zone-id"}
	case "tls:index/privateKey:PrivateKey":
		return map[string]any{"privateKeyPem": pem("PRIVATE KEY", r.Name), "publicKeyPem": pem("PUBLIC KEY", r.Name)}
	case "tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert":
		return map[string]any{"certPem": pem("CERTIFICATE", r.Name)}
	case "tls:index/certRequest:CertRequest":
		return map[string]any{"certRequestPem": pem("CERTIFICATE REQUEST", r.Name)}
	case "aws:route53/zone:Zone":
		ns := make([]any, 4)
		for i := range ns {
			ns[i] = fmt.Sprintf("ns-%d.awsdns-%s.example", i+1, shortHash(r.URN)[:2])
		}
		return map[string]any{"zoneId": zoneID(r), "nameServers": ns}
	case "aws:acm/certificate:Certificate":
		return map[string]any{"domainValidationOptions": validationOptions(r)}
	case "aws:cloudfront/distribution:Distribution":
		return map[string]any{"domainName": "d" + shortHash(r.URN) + ".cloudfront.net", "hostedZoneId": "Z2FDTNDATAQYW2"}
	case "aws:apigatewayv2/api:Api":
		id := shortHash(r.URN)
		return map[string]any{"apiEndpoint": "https://" + id + ".execute-api." + region + ".amazonaws.com",
			"executionArn": "arn:aws:execute-api:" + region + ":" + AccountID + ":" + id}
	case "aws:ecs/taskDefinition:TaskDefinition":
		return map[string]any{"revision": 1, "arnWithoutRevision": "arn:aws:ecs:" + region + ":" + AccountID + ":task-definition/" + name}
	case "aws:kms/key:Key":
		return map[string]any{"keyId": keyID(r)}
	case "aws:sqs/queue:Queue":
		return map[string]any{"url": "https://sqs." + region + ".amazonaws.com/" + AccountID + "/" + name}
	case "aws:lambda/function:Function":
		fn := "arn:aws:lambda:" + region + ":" + AccountID + ":function:" + name
		return map[string]any{"arn": fn, "invokeArn": "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + fn + "/invocations"}
	case "aws:rds/cluster:Cluster":
		id := name
		if v, ok := r.Inputs["clusterIdentifier"]; ok && v.IsString() {
			id = v.StringValue()
		}
		return map[string]any{
			"clusterIdentifier": id,
			"endpoint":          id + ".cluster-abc." + region + ".rds.amazonaws.com",
			"readerEndpoint":    id + ".cluster-ro-abc." + region + ".rds.amazonaws.com",
			"port":              5432,
			"masterUserSecrets": []any{map[string]any{
				"secretArn":    "arn:aws:secretsmanager:" + region + ":" + AccountID + ":secret:rds!cluster-" + r.Name,
				"secretStatus": "active",
				"kmsKeyId":     "",
			}},
		}
	case "random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString":
		return map[string]any{"result": "placeholder" + shortHash(r.URN)}
	}
	return nil
}

// validationOptions are the DNS records ACM would ask for, one per name of
// the certificate.
func validationOptions(r *Resource) []any {
	var names []string
	if v, ok := r.Inputs["domainName"]; ok && v.IsString() {
		names = append(names, v.StringValue())
	}
	if v, ok := r.Inputs["subjectAlternativeNames"]; ok && v.IsArray() {
		for _, n := range v.ArrayValue() {
			if n.IsString() {
				names = append(names, n.StringValue())
			}
		}
	}
	out := make([]any, len(names))
	for i, n := range names {
		h := shortHash(n)
		out[i] = map[string]any{
			"domainName":          n,
			"resourceRecordName":  "_" + h + "." + n + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + h + ".acm-validations.aws.",
		}
	}
	return out
}

// pem is a placeholder PEM block that names the resource it stands for.
func pem(kind, name string) string {
	return "-----BEGIN " + kind + "-----\nplaceholder for " + name + "\n-----END " + kind + "-----\n"
}

func shortHash(s string) string { return longHash(s)[:7] }

// longHash is 64 hex digits derived from s.
func longHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
