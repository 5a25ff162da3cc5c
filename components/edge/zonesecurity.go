package edge

// Query logging and DNSSEC of the hosted zone the edge creates. Neither is
// set up for a zone given with HostedZoneID, which its owner manages.
//
// Query logs: Route53 writes them only to a CloudWatch log group in
// us-east-1 named under /aws/route53/, which a CloudWatch Logs resource
// policy opens to it. An account has at most 10 such resource policies per
// region, shared by every service that uses them (each stack takes one in
// us-east-1).
//
// DNSSEC: a key-signing key on an asymmetric KMS key in us-east-1, and
// signing turned on. Signing is safe while the parent domain has no DS
// record; after the first `pulumi up`, add the DS record (the DSRecord
// output) at the parent to complete the chain of trust. Before turning
// DNSSEC off, remove the DS record at the parent and wait for its TTL to
// pass: a parent that still vouches for a key the zone no longer signs with
// makes the site unresolvable for validating resolvers.

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/logs"
)

// KSKName names the zone's key-signing key (letters, digits and
// underscores). Changing it would replace the key and break the DS record
// at the parent.
const KSKName = "edstack_ksk"

// DNSSEC key settings that Route53 requires of a KSK's KMS key.
const (
	DNSSECKeySpec  = "ECC_NIST_P256"
	DNSSECKeyUsage = "SIGN_VERIFY"
	// DNSSECKeyDeletionDays is the longest KMS waits before deleting a
	// key: time to notice a DS record still pointing at it.
	DNSSECKeyDeletionDays = 30
)

// Service principals of Route53's logging and signing.
const (
	route53Service = "route53.amazonaws.com"
	dnssecService  = "dnssec-route53.amazonaws.com"
)

// QueryLogGroup is the log group of a domain's query logs: Route53 writes
// only to groups under /aws/route53/.
func QueryLogGroup(domain string) string { return "/aws/route53/" + domain }

// QueryLogPolicyName is the name of a stack's CloudWatch Logs resource
// policy for query logs, unique per stack in the account's us-east-1.
func QueryLogPolicyName(prefix string) string { return "edstack-" + prefix + "-route53-query-logs" }

// HostedZoneArn is a hosted zone's ARN.
func HostedZoneArn(zoneID string) string { return "arn:aws:route53:::hostedzone/" + zoneID }

// QueryLogPolicy lets Route53 write the query logs of one zone of the
// account to the domain's log group, and nothing else.
func QueryLogPolicy(account, domain, zoneID string) policy.Document {
	return policy.Policy(policy.Statement{
		Sid:       "Route53QueryLogs",
		Effect:    "Allow",
		Principal: map[string]any{"Service": route53Service},
		Action:    []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource:  []string{"arn:aws:logs:" + CertificateRegion + ":" + account + ":log-group:" + QueryLogGroup(domain) + ":*"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": account},
			"ArnLike":      {"aws:SourceArn": HostedZoneArn(zoneID)},
		},
	})
}

// DNSSECKeyPolicy is the key policy of a KSK's KMS key: the account
// administers it through IAM, and Route53's DNSSEC service may read its
// public key and sign with it for the account's zones, and grant itself
// use of it.
func DNSSECKeyPolicy(account string) policy.Document {
	return policy.Policy(
		policy.AccountRoot(account),
		policy.Statement{
			Sid:       "AllowRoute53DNSSECService",
			Effect:    "Allow",
			Principal: map[string]any{"Service": dnssecService},
			Action:    []string{"kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": account},
				"ArnLike":      {"aws:SourceArn": HostedZoneArn("*")},
			},
		},
		policy.Statement{
			Sid:       "AllowRoute53DNSSECToCreateGrant",
			Effect:    "Allow",
			Principal: map[string]any{"Service": dnssecService},
			Action:    []string{"kms:CreateGrant"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"Bool": {"kms:GrantIsForAWSResource": "true"}},
		},
	)
}

// zoneSecurity turns on query logging and, with DNSSEC, signing, for a
// zone the edge created.
func (e *Edge) zoneSecurity(ctx *pulumi.Context) error {
	e.QueryLogGroup = pulumi.String("").ToStringOutput()
	e.DSRecord = pulumi.String("").ToStringOutput()
	if e.createdZone == nil {
		return nil
	}
	if err := e.queryLogs(ctx); err != nil {
		return err
	}
	if e.args.DNSSEC {
		return e.dnssec(ctx)
	}
	return nil
}

// queryLogs creates the us-east-1 log group, the resource policy that
// opens it to Route53 for this zone, and the query logging config.
func (e *Edge) queryLogs(ctx *pulumi.Context) error {
	group, err := logs.NewGroup(ctx, e.name("query-logs"), logs.GroupArgs{
		Path:          QueryLogGroup(e.args.Domain),
		RetentionDays: e.logRetentionDays(),
		Tags:          e.args.Tags,
	}, e.parent, e.inEast)
	if err != nil {
		return fmt.Errorf("edge: query log group: %w", err)
	}
	account, domain := e.account, e.args.Domain
	doc := policy.Output(func(v []string) policy.Document { return QueryLogPolicy(account, domain, v[0]) }, e.ZoneID)
	grant, err := cloudwatch.NewLogResourcePolicy(ctx, e.name("query-logs-policy"), &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(QueryLogPolicyName(e.args.Prefix)),
		PolicyDocument: doc,
	}, e.parent, e.inEast)
	if err != nil {
		return fmt.Errorf("edge: query log resource policy: %w", err)
	}
	if _, err := route53.NewQueryLog(ctx, e.name("query-log"), &route53.QueryLogArgs{
		ZoneId:                e.ZoneID,
		CloudwatchLogGroupArn: group.Arn,
	}, e.parent, pulumi.DependsOn([]pulumi.Resource{grant})); err != nil {
		return fmt.Errorf("edge: query logging: %w", err)
	}
	e.QueryLogGroup = group.Name
	return nil
}

func (e *Edge) logRetentionDays() int {
	if e.args.LogRetentionDays == 0 {
		return logs.DefaultRetentionDays
	}
	return e.args.LogRetentionDays
}

// dnssec creates the KMS key in us-east-1, the key-signing key on it and
// turns signing on. The key and the KSK carry Protect: losing either while
// the parent has the DS record takes the site off the internet for
// validating resolvers.
func (e *Edge) dnssec(ctx *pulumi.Context) error {
	keep := []pulumi.ResourceOption{e.parent}
	if e.args.Protect {
		keep = append(keep, pulumi.Protect(true))
	}
	key, err := kms.NewKey(ctx, e.name("dnssec-key"), &kms.KeyArgs{
		Description:           pulumi.String("edstack " + e.args.Prefix + ": DNSSEC key-signing key of " + e.args.Domain),
		CustomerMasterKeySpec: pulumi.String(DNSSECKeySpec),
		KeyUsage:              pulumi.String(DNSSECKeyUsage),
		EnableKeyRotation:     pulumi.Bool(false), // asymmetric keys do not rotate
		DeletionWindowInDays:  pulumi.Int(DNSSECKeyDeletionDays),
		Policy:                pulumi.String(DNSSECKeyPolicy(e.account).JSON()),
		Tags:                  e.args.Tags.Named(e.name("dnssec-key")),
	}, append(keep, e.inEast)...)
	if err != nil {
		return fmt.Errorf("edge: DNSSEC key: %w", err)
	}
	ksk, err := route53.NewKeySigningKey(ctx, e.name("ksk"), &route53.KeySigningKeyArgs{
		HostedZoneId:            e.ZoneID,
		KeyManagementServiceArn: key.Arn,
		Name:                    pulumi.String(KSKName),
		Status:                  pulumi.String("ACTIVE"),
	}, keep...)
	if err != nil {
		return fmt.Errorf("edge: DNSSEC key-signing key: %w", err)
	}
	if _, err := route53.NewHostedZoneDnsSec(ctx, e.name("dnssec"), &route53.HostedZoneDnsSecArgs{
		HostedZoneId:  ksk.HostedZoneId,
		SigningStatus: pulumi.String("SIGNING"),
	}, e.parent, pulumi.DependsOn([]pulumi.Resource{ksk})); err != nil {
		return fmt.Errorf("edge: DNSSEC signing: %w", err)
	}
	e.DSRecord = ksk.DsRecord
	return nil
}
