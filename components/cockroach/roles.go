package cockroach

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
)

type roleParts struct {
	execRole, taskRole *iam.Role
}

// ExecutionPolicy lets ECS start a node: read exactly the cluster's secrets
// and write its log group. The image comes from Docker Hub, so no registry
// permission is needed.
func ExecutionPolicy(secretArns []string, logGroupArn string) policy.Document {
	return policy.Policy(
		policy.Allow("ReadClusterSecrets", []string{"secretsmanager:GetSecretValue"}, secretArns...),
		policy.Allow("WriteNodeLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroupArn+":*"),
	)
}

// TaskPolicy lets the nodes write and read their backups, and nothing else.
func TaskPolicy(bucketArn string) policy.Document {
	return policy.Policy(
		policy.Allow("ListBackups", []string{"s3:ListBucket", "s3:GetBucketLocation"}, bucketArn),
		policy.Allow("ReadWriteBackups", []string{"s3:PutObject", "s3:GetObject"}, bucketArn+"/*"),
	)
}

func (b *builder) roles() error {
	trust := pulumi.String(policy.AssumeRole("ecs-tasks.amazonaws.com").JSON())
	var err error
	if b.execRole, err = iam.NewRole(b.ctx, b.name("execution-role"), &iam.RoleArgs{
		AssumeRolePolicy: trust, Tags: b.args.Tags.Tags(),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: execution role: %w", err)
	}
	if b.taskRole, err = iam.NewRole(b.ctx, b.name("task-role"), &iam.RoleArgs{
		AssumeRolePolicy: trust, Tags: b.args.Tags.Tags(),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: task role: %w", err)
	}
	license := pulumi.String(b.args.LicenseSecretArn)
	if _, err := iam.NewRolePolicy(b.ctx, b.name("execution-policy"), &iam.RolePolicyArgs{
		Role: b.execRole.ID(),
		Policy: policy.Output(func(v []string) policy.Document {
			secrets := []string{v[0], v[1]}
			if v[2] != "" {
				secrets = append(secrets, v[2])
			}
			return ExecutionPolicy(secrets, v[3])
		}, b.tlsSecret.Arn, b.connection.Arn, license, b.logGroup.Arn),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: execution policy: %w", err)
	}
	if _, err := iam.NewRolePolicy(b.ctx, b.name("task-policy"), &iam.RolePolicyArgs{
		Role:   b.taskRole.ID(),
		Policy: policy.Output(func(v []string) policy.Document { return TaskPolicy(v[0]) }, b.bucket.Arn),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: task policy: %w", err)
	}
	return nil
}
