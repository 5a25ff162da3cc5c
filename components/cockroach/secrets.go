package cockroach

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi-tls/sdk/v5/go/tls"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type secretParts struct {
	tlsSecret, connection *secretsmanager.Secret
	// tlsGeneration is a digest of the node certificate: renewing it
	// changes every node's task definition, so the new certificates reach
	// the nodes through a roll.
	tlsGeneration pulumi.StringOutput
	// caCert is the CA certificate (public), which clients verify nodes with.
	caCert pulumi.StringOutput
}

// Certificate lifetimes. pulumi-tls replaces the node and root
// certificates on the first `pulumi up` within their early-renewal window;
// the new certificates change every node's task definition
// (EDSTACK_TLS_GENERATION), so that `pulumi up` rolls them out node by
// node. The CA lasts ten years and is never renewed automatically.
const (
	caValidityHours   = 10 * 365 * 24
	certValidityHours = 2 * 365 * 24
	earlyRenewalHours = 90 * 24
)

// CertificateLifetimes describes, for the plan, how long the certificates
// last and when they are renewed.
func CertificateLifetimes() string {
	return fmt.Sprintf("node and root certificates valid %d days, renewed by the first `pulumi up` within %d days of expiry (which rolls the nodes); CA valid %d years",
		certValidityHours/24, earlyRenewalHours/24, caValidityHours/24/365)
}

// NodeSANs are the DNS names a node certificate covers (the load balancer's
// name comes on top, once it is known): the namespace wildcard, which
// covers every node-<i> name whatever the node count, so that scaling never
// replaces the certificate, and localhost for the start script's own
// connections.
func NodeSANs(namespace string) []string {
	return []string{"*." + namespace, "localhost"}
}

// secrets creates the TLS material (a CA, a node certificate and a client
// certificate for root) and the application's password, and stores them in
// Secrets Manager, where ECS reads them at task start.
func (b *builder) secrets() error {
	key := func(name string, opts ...pulumi.ResourceOption) (*tls.PrivateKey, error) {
		k, err := tls.NewPrivateKey(b.ctx, b.name(name), &tls.PrivateKeyArgs{
			Algorithm: pulumi.String("RSA"),
			RsaBits:   pulumi.Int(2048),
		}, opts...)
		if err != nil {
			return nil, fmt.Errorf("cockroach: key %s: %w", name, err)
		}
		return k, nil
	}
	// The CA outlives every node and client certificate: protected like the data.
	caKey, err := key("ca-key", b.stateful...)
	if err != nil {
		return err
	}
	ca, err := tls.NewSelfSignedCert(b.ctx, b.name("ca"), &tls.SelfSignedCertArgs{
		PrivateKeyPem:       caKey.PrivateKeyPem,
		IsCaCertificate:     pulumi.Bool(true),
		ValidityPeriodHours: pulumi.Int(caValidityHours),
		Subject: &tls.SelfSignedCertSubjectArgs{
			CommonName:   pulumi.String("edstack " + b.args.Prefix + " CockroachDB CA"),
			Organization: pulumi.String("edstack"),
		},
		AllowedUses: pulumi.ToStringArray([]string{"cert_signing", "crl_signing", "digital_signature", "key_encipherment"}),
	}, b.stateful...)
	if err != nil {
		return fmt.Errorf("cockroach: CA: %w", err)
	}
	sign := func(name, cn string, dns pulumi.StringArrayInput, ips []string, uses []string) (*tls.PrivateKey, *tls.LocallySignedCert, error) {
		k, err := key(name+"-key", b.parent)
		if err != nil {
			return nil, nil, err
		}
		csr, err := tls.NewCertRequest(b.ctx, b.name(name+"-csr"), &tls.CertRequestArgs{
			PrivateKeyPem: k.PrivateKeyPem,
			Subject:       &tls.CertRequestSubjectArgs{CommonName: pulumi.String(cn), Organization: pulumi.String("Cockroach")},
			DnsNames:      dns,
			IpAddresses:   pulumi.ToStringArray(ips),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("cockroach: %s request: %w", name, err)
		}
		cert, err := tls.NewLocallySignedCert(b.ctx, b.name(name+"-cert"), &tls.LocallySignedCertArgs{
			CertRequestPem:      csr.CertRequestPem,
			CaPrivateKeyPem:     caKey.PrivateKeyPem,
			CaCertPem:           ca.CertPem,
			ValidityPeriodHours: pulumi.Int(certValidityHours),
			EarlyRenewalHours:   pulumi.Int(earlyRenewalHours),
			AllowedUses:         pulumi.ToStringArray(uses),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("cockroach: %s certificate: %w", name, err)
		}
		return k, cert, nil
	}
	// CockroachDB wants CN=node on the node certificate, which serves both
	// ends of node-to-node connections.
	nodeDNS := pulumi.All(b.nlb.DnsName).ApplyT(func(v []any) []string {
		return append(NodeSANs(b.c.Namespace), v[0].(string))
	}).(pulumi.StringArrayOutput)
	nodeKey, nodeCert, err := sign("node", "node", nodeDNS, []string{"127.0.0.1"},
		[]string{"digital_signature", "key_encipherment", "server_auth", "client_auth"})
	if err != nil {
		return err
	}
	rootKey, rootCert, err := sign("root", "root", pulumi.StringArray{}, nil,
		[]string{"digital_signature", "key_encipherment", "client_auth"})
	if err != nil {
		return err
	}

	b.caCert = ca.CertPem
	b.tlsGeneration = nodeCert.CertPem.ApplyT(func(pem string) string {
		sum := sha256.Sum256([]byte(pem))
		return hex.EncodeToString(sum[:8])
	}).(pulumi.StringOutput)

	b.tlsSecret, err = b.secret("tls", "CockroachDB CA, node and root client certificates and keys",
		pulumi.All(ca.CertPem, nodeCert.CertPem, nodeKey.PrivateKeyPem, rootCert.CertPem, rootKey.PrivateKeyPem).ApplyT(
			func(v []any) (string, error) {
				return jsonString(map[string]any{
					"ca_crt": v[0], "node_crt": v[1], "node_key": v[2], "root_crt": v[3], "root_key": v[4],
				})
			}).(pulumi.StringOutput))
	if err != nil {
		return err
	}

	// Letters and digits only: the password travels in a URL and in SQL.
	password, err := random.NewRandomPassword(b.ctx, b.name("app-password"), &random.RandomPasswordArgs{
		Length:  pulumi.Int(32),
		Special: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cockroach: password: %w", err)
	}
	b.connection, err = b.secret("connection", "Connection details of the application's CockroachDB user",
		pulumi.All(password.Result, b.nlb.DnsName, ca.CertPem).ApplyT(func(v []any) (string, error) {
			return jsonString(Connection(b.args.User, v[0].(string), v[1].(string), b.args.Database, v[2].(string)))
		}).(pulumi.StringOutput))
	return err
}

// Connection is what the connection secret holds: the parts, and a ready
// URL that verifies the server's certificate against the CA.
func Connection(user, password, host, database, caPEM string) map[string]any {
	u := url.URL{
		Scheme:   "postgresql",
		User:     url.UserPassword(user, password),
		Host:     fmt.Sprintf("%s:%d", host, SQLPort),
		Path:     "/" + database,
		RawQuery: "sslmode=verify-full",
	}
	return map[string]any{
		"engine": "cockroachdb", "username": user, "password": password, "host": host,
		"port": SQLPort, "dbname": database, "sslmode": "verify-full", "ca": caPEM, "url": u.String(),
	}
}

// secret creates a Secrets Manager secret and its value. The secret is
// protected with the data; its value is not: a new value replaces the
// version resource (AWS cannot change a version in place), and protecting
// it would turn every such change, a renewed certificate among them, into a
// failed `pulumi up`. The secret keeps its earlier versions either way.
func (b *builder) secret(name, description string, value pulumi.StringOutput) (*secretsmanager.Secret, error) {
	s, err := secretsmanager.NewSecret(b.ctx, b.name(name), &secretsmanager.SecretArgs{
		NamePrefix:  pulumi.String("edstack/" + b.args.Prefix + "/cockroach/" + name + "-"),
		Description: pulumi.String(description),
		// Deleted secrets stay recoverable for 30 days.
		RecoveryWindowInDays: pulumi.Int(30),
		KmsKeyId:             b.args.KMSKeyArn,
		Tags:                 b.args.Tags.Tags(),
	}, b.stateful...)
	if err != nil {
		return nil, fmt.Errorf("cockroach: secret %s: %w", name, err)
	}
	if _, err := secretsmanager.NewSecretVersion(b.ctx, b.name(name+"-value"), &secretsmanager.SecretVersionArgs{
		SecretId:     s.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("cockroach: secret %s value: %w", name, err)
	}
	return s, nil
}

func jsonString(v any) (string, error) {
	bs, err := json.Marshal(v)
	return string(bs), err
}
