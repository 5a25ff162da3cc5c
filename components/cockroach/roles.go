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
// (and the registry credentials, if any) and decrypt them with the
// customer managed key (keyArn, "" for none), write its log group, and
// pull the image from ECR when it comes from there (repositoryArns: the
// repositories, none for another registry).
func ExecutionPolicy(secretArns []string, logGroupArn, keyArn string, repositoryArns ...string) policy.Document {
	doc := policy.Policy(append([]policy.Statement{
		policy.Allow("ReadClusterSecrets", []string{"secretsmanager:GetSecretValue"}, secretArns...),
		policy.Allow("WriteNodeLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroupArn+":*"),
	}, policy.KeyStatements(keyArn, false)...)...)
	if len(repositoryArns) > 0 {
		doc.Statement = append(doc.Statement,
			// GetAuthorizationToken has no resource of its own.
			policy.Allow("LogInToECR", []string{"ecr:GetAuthorizationToken"}, "*"),
			policy.Allow("PullNodeImage", []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, repositoryArns...),
		)
	}
	return doc
}

// PullThroughPolicy is what the first pull through the cache needs on top
// of ExecutionPolicy: create the cached repository and import the image.
func PullThroughPolicy(repositoryArns ...string) policy.Statement {
	return policy.Allow("FillPullThroughCache", []string{"ecr:BatchImportUpstreamImage", "ecr:CreateRepository"}, repositoryArns...)
}

// TaskPolicy lets the nodes back up to and restore from their bucket, and
// nothing else: what CockroachDB documents for BACKUP (s3:PutObject,
// s3:GetObject, s3:ListBucket) and RESTORE and SHOW BACKUPS (s3:GetObject,
// s3:ListBucket), and with the bucket encrypted under a customer managed
// key (keyArn, "" for none) the data keys its objects take. No
// s3:DeleteObject: backups never delete (since v22.1 it is needed for
// nothing), and the bucket's lifecycle ages chains out.
func TaskPolicy(bucketArn, keyArn string) policy.Document {
	return policy.Policy(append([]policy.Statement{
		policy.Allow("ListBackups", []string{"s3:ListBucket"}, bucketArn),
		policy.Allow("ReadWriteBackups", []string{"s3:GetObject", "s3:PutObject"}, bucketArn+"/*"),
	}, policy.KeyStatements(keyArn, true)...)...)
}

// MetricsStatement lets the collector write its EMF events to its log
// group (logGroupArn), which the stack creates: the exporter puts events
// and creates its stream, and needs nothing else (it creates a group only
// when the group is missing).
func MetricsStatement(logGroupArn string) policy.Statement {
	return policy.Allow("WriteNodeMetrics", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroupArn+":*")
}

// repositoryArns are the ECR repositories the nodes pull from: none for
// Docker Hub or another registry.
func (b *builder) repositoryArns() pulumi.StringOutput {
	switch b.args.Image.Source() {
	case SourceECR:
		return pulumi.String(ecrRepositoryArn(b.args.Image.Repository)).ToStringOutput()
	case SourcePullThroughCache:
		return b.cache.RegistryId.ApplyT(func(account string) string {
			return fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s/*", b.args.Region, account, CacheRepositoryPrefix(b.args.Prefix))
		}).(pulumi.StringOutput)
	}
	return pulumi.String("").ToStringOutput()
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
	credentials := pulumi.String("")
	if b.args.Image.Source() == SourcePrivateRegistry {
		credentials = pulumi.String(b.args.Image.RegistrySecretArn)
	}
	pullThrough := b.args.Image.Source() == SourcePullThroughCache
	if _, err := iam.NewRolePolicy(b.ctx, b.name("execution-policy"), &iam.RolePolicyArgs{
		Role: b.execRole.ID(),
		Policy: policy.Output(func(v []string) policy.Document {
			secrets := []string{v[0], v[1]}
			for _, optional := range v[2:4] {
				if optional != "" {
					secrets = append(secrets, optional)
				}
			}
			if v[5] == "" {
				return ExecutionPolicy(secrets, v[4], v[6])
			}
			doc := ExecutionPolicy(secrets, v[4], v[6], v[5])
			if pullThrough {
				doc.Statement = append(doc.Statement, PullThroughPolicy(v[5]))
			}
			return doc
		}, b.tlsSecret.Arn, b.connection.Arn, license, credentials, b.logGroup.Arn, b.repositoryArns(), b.key()),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: execution policy: %w", err)
	}
	metrics := pulumi.String("").ToStringOutput()
	if b.metricsGroup != nil {
		metrics = b.metricsGroup.Arn
	}
	if _, err := iam.NewRolePolicy(b.ctx, b.name("task-policy"), &iam.RolePolicyArgs{
		Role: b.taskRole.ID(),
		Policy: policy.Output(func(v []string) policy.Document {
			doc := TaskPolicy(v[0], v[1])
			if v[2] != "" {
				doc.Statement = append(doc.Statement, MetricsStatement(v[2]))
			}
			return doc
		}, b.bucket.Arn, b.key(), metrics),
	}, b.parent); err != nil {
		return fmt.Errorf("cockroach: task policy: %w", err)
	}
	return nil
}
