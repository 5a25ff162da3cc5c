package aurora

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Connection is what the application's Aurora connection secret holds: the
// endpoints and the master secret's ARN, never a password. The password
// stays in the secret RDS manages (and rotates); a client reads it from
// there, or connects with IAM authentication.
func Connection(writer, reader, database, masterSecretArn string) map[string]any {
	return map[string]any{
		"engine":            Engine,
		"host":              writer,
		"readerHost":        reader,
		"port":              PostgresPort,
		"dbname":            database,
		"username":          MasterUsername,
		"passwordSecretArn": masterSecretArn,
		"sslmode":           "verify-full",
	}
}

// connection stores Connection in Secrets Manager, where the functions read
// it as they read CockroachDB's.
func (b *builder) connection() error {
	value := pulumi.All(b.f.WriterEndpoint, b.f.ReaderEndpoint, b.f.MasterSecretArn).ApplyT(func(v []any) (string, error) {
		bs, err := json.Marshal(Connection(v[0].(string), v[1].(string), b.args.Database, v[2].(string)))
		return string(bs), err
	}).(pulumi.StringOutput)
	opts := []pulumi.ResourceOption{b.parent, pulumi.Protect(b.args.Protect)}
	s, err := secretsmanager.NewSecret(b.ctx, b.name("connection"), &secretsmanager.SecretArgs{
		NamePrefix:           pulumi.String("edstack/" + b.args.Prefix + "/aurora/connection-"),
		Description:          pulumi.String("Connection details of the Aurora PostgreSQL cluster (endpoints; the password stays in the RDS-managed secret)"),
		RecoveryWindowInDays: pulumi.Int(30),
		// nil: Secrets Manager's AWS managed key, aws/secretsmanager.
		KmsKeyId: b.args.KMSKeyArn,
		Tags:     b.args.Tags.Tags(),
	}, opts...)
	if err != nil {
		return fmt.Errorf("aurora: connection secret: %w", err)
	}
	if _, err := secretsmanager.NewSecretVersion(b.ctx, b.name("connection-value"), &secretsmanager.SecretVersionArgs{
		SecretId:     s.ID(),
		SecretString: value,
	}, opts...); err != nil {
		return fmt.Errorf("aurora: connection secret value: %w", err)
	}
	b.f.ConnectionSecretArn = s.Arn
	return nil
}
