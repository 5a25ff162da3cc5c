package iam

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// NetworkInterfaceActions are what Lambda needs to attach a function to a
// VPC: the actions of AWS's AWSLambdaVPCAccessExecutionRole less its logs
// permissions, which that policy grants on every log group in the account.
// EC2 gives these no useful resource scope, so they apply to "*".
var NetworkInterfaceActions = []string{
	"ec2:CreateNetworkInterface",
	"ec2:DescribeNetworkInterfaces",
	"ec2:DescribeSubnets",
	"ec2:DeleteNetworkInterface",
	"ec2:AssignPrivateIpAddresses",
	"ec2:UnassignPrivateIpAddresses",
}

// XRayActions send trace segments; X-Ray has no resource-level permissions.
var XRayActions = []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}

// LambdaInVPC are the statements every function in a VPC needs and no more:
// its network interfaces, and writing to its own log group (logGroupArn,
// the group's ARN without the trailing ":*").
func LambdaInVPC(logGroupArn string) []Statement {
	return []Statement{
		Allow("NetworkInterfaces", NetworkInterfaceActions, "*"),
		Allow("OwnLogGroup", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroupArn+":*"),
	}
}

// XRayWrite lets a function send its traces.
func XRayWrite() Statement { return Allow("Traces", XRayActions, "*") }

// KMSUse lets a role encrypt and decrypt with a key: what a reader and
// writer of data encrypted under a customer managed key needs.
func KMSUse(keyArn string) Statement {
	return Allow("UseCountryKey", []string{"kms:Decrypt", "kms:GenerateDataKey"}, keyArn)
}

// LambdaRuntime is the policy document of what a function in a VPC needs to
// run (see LambdaInVPC), with X-Ray when traced, for its log group's ARN;
// with a customer managed key (keyArn, nil for none), decrypting with it:
// the function's environment, secrets and messages are encrypted under it.
func LambdaRuntime(logGroupArn, keyArn pulumi.StringInput, traced bool) pulumi.StringOutput {
	if keyArn == nil {
		keyArn = pulumi.String("")
	}
	return Output(func(v []string) Document {
		st := LambdaInVPC(v[0])
		if traced {
			st = append(st, XRayWrite())
		}
		return Policy(append(st, KeyStatements(v[1], false)...)...)
	}, logGroupArn, keyArn)
}

// KMSDecrypt lets a role decrypt with a key: what a reader of secrets,
// queue messages or objects encrypted under a customer managed key needs.
func KMSDecrypt(keyArn string) Statement {
	return Allow("DecryptWithCountryKey", []string{"kms:Decrypt"}, keyArn)
}

// KeyStatements are what a role needs of the customer managed key keyArn:
// decrypt, and with write also make data keys (to send to an encrypted
// queue or put objects into an encrypted bucket). None for keyArn "" (the
// data is under AWS managed keys, which need no grant).
func KeyStatements(keyArn string, write bool) []Statement {
	switch {
	case keyArn == "":
		return nil
	case write:
		return []Statement{KMSUse(keyArn)}
	}
	return []Statement{KMSDecrypt(keyArn)}
}
