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
// run (see LambdaInVPC), with X-Ray when traced, for its log group's ARN.
func LambdaRuntime(logGroupArn pulumi.StringInput, traced bool) pulumi.StringOutput {
	return Output(func(v []string) Document {
		st := LambdaInVPC(v[0])
		if traced {
			st = append(st, XRayWrite())
		}
		return Policy(st...)
	}, logGroupArn)
}
