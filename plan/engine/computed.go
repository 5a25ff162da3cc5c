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

	// Auto-naming: Pulumi appends seven random characters to the logical name
	// of a resource whose physical name is not set; here they come from the URN.
	physical := r.Name + "-" + shortHash(r.URN)
	set("name", physical)
	for key, value := range typeSpecific(r, physicalName(state, physical), region) {
		set(key, value)
	}
	if strings.HasPrefix(r.Type, "aws:") {
		set("arn", arn(r.Type, physicalName(state, physical), region))
	}
	return state
}

// physicalName is the name a resource ends up with: its explicit name input,
// else the auto-name.
func physicalName(state resource.PropertyMap, auto string) string {
	for _, k := range []string{"name", "bucket", "functionName"} {
		if v, ok := state[resource.PropertyKey(k)]; ok && v.IsString() && v.StringValue() != "" {
			return v.StringValue()
		}
	}
	return auto
}

// arn builds a placeholder ARN in the shape AWS uses for the resource's
// service: global services (IAM, S3, CloudFront, Route53) have no region.
func arn(typ, name, region string) string {
	service, kind := serviceAndKind(typ)
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
			return "arn:aws:logs:" + region + ":" + AccountID + ":log-group:" + name
		}
	case "sqs":
		return "arn:aws:sqs:" + region + ":" + AccountID + ":" + name
	case "secretsmanager":
		return "arn:aws:secretsmanager:" + region + ":" + AccountID + ":secret:" + name
	}
	return "arn:aws:" + service + ":" + region + ":" + AccountID + ":" + kind + "/" + name
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
		return map[string]any{"zoneId": r.ID, "nameServers": ns}
	case "aws:acm/certificate:Certificate":
		return map[string]any{"domainValidationOptions": validationOptions(r)}
	case "aws:cloudfront/distribution:Distribution":
		return map[string]any{"domainName": "d" + shortHash(r.URN) + ".cloudfront.net", "hostedZoneId": "Z2FDTNDATAQYW2"}
	case "aws:apigatewayv2/api:Api":
		id := shortHash(r.URN)
		return map[string]any{"apiEndpoint": "https://" + id + ".execute-api." + region + ".amazonaws.com",
			"executionArn": "arn:aws:execute-api:" + region + ":" + AccountID + ":" + id}
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

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:7]
}
