package policy

import (
	"fmt"
	"slices"
	"strings"
)

func dataRules() []Rule {
	return []Rule{{
		ID: "EDS-S3-1", Severity: Critical, Level: Mandatory,
		Title:     "Buckets block every form of public access",
		Rationale: "Student uploads and database backups must never become public by one wrong policy or ACL.",
		Fix:       "Add a public access block with all four settings true (components/storage does).",
		Peers:     []string{"Checkov CKV2_AWS_6", "Checkov CKV_AWS_53", "Checkov CKV_AWS_54", "Checkov CKV_AWS_55", "Checkov CKV_AWS_56", "cdk-nag AwsSolutions-S2", "Security Hub S3.8"},
		Types:     []string{tBucket, tPAB},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tPAB, func(b *R, pabs []*R) string {
				for _, p := range pabs {
					if p.Bool("blockPublicAcls") && p.Bool("blockPublicPolicy") && p.Bool("ignorePublicAcls") && p.Bool("restrictPublicBuckets") {
						return ""
					}
				}
				return b.Name + " does not block all public access"
			})
		},
	}, {
		ID: "EDS-S3-2", Severity: Medium, Level: Advisory,
		Title:     "Buckets encrypt with the country's customer managed key",
		Rationale: "A key the country controls makes every read of student data auditable in CloudTrail and revocable.",
		Fix:       "Default encryption aws:kms with the stack's key and bucketKeyEnabled.",
		Peers:     []string{"Checkov CKV_AWS_145", "Security Hub S3.17"},
		Types:     []string{tSSE},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tSSE, func(b *R, sses []*R) string {
				for _, s := range sses {
					for _, rule := range s.List("rules") {
						m, _ := rule.(map[string]any)
						def, _ := m["applyServerSideEncryptionByDefault"].(map[string]any)
						if def["sseAlgorithm"] == "aws:kms" && isKMSKey(ix, def["kmsMasterKeyId"]) {
							return ""
						}
					}
				}
				return b.Name + " is not encrypted with a customer managed key"
			})
		},
	}, {
		ID: "EDS-S3-3", Severity: Medium, Level: Advisory,
		Title:     "Buckets are versioned",
		Rationale: "An overwritten or deleted upload or backup can be recovered.",
		Fix:       "Enable versioning, with a lifecycle that expires old versions.",
		Peers:     []string{"Checkov CKV_AWS_21", "Security Hub S3.14"},
		Types:     []string{tVersioning},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tVersioning, func(b *R, vs []*R) string {
				for _, v := range vs {
					if v.Str("versioningConfiguration", "status") == "Enabled" {
						return ""
					}
				}
				return b.Name + " is not versioned"
			})
		},
	}, {
		ID: "EDS-S3-4", Severity: Medium, Level: Mandatory,
		Title:     "Buckets refuse requests without TLS",
		Rationale: "Data in transit to S3 must be encrypted even inside AWS.",
		Fix:       "Bucket policy denying s3:* when aws:SecureTransport is false.",
		Peers:     []string{"cdk-nag AwsSolutions-S10", "Security Hub S3.5"},
		Types:     []string{tBucketPolicy},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tBucketPolicy, func(b *R, ps []*R) string {
				for _, p := range ps {
					if d, ok := document(p, "policy"); ok && deniesInsecure(d) {
						return ""
					}
				}
				return b.Name + " accepts requests without TLS"
			})
		},
	}, {
		ID: "EDS-S3-5", Severity: Low, Level: Advisory,
		Title:     "Buckets write server access logs",
		Rationale: "Who read which backup or upload is answered by the access logs.",
		Fix:       "Add aws:s3/bucketLoggingV2 to the stack's access-log bucket.",
		Peers:     []string{"Checkov CKV_AWS_18", "cdk-nag AwsSolutions-S1", "Security Hub S3.9"},
		Types:     []string{tBucketLog},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tBucketLog, func(b *R, ls []*R) string {
				for _, l := range ls {
					if l.Str("targetBucket") != "" {
						return ""
					}
				}
				return b.Name + " writes no access log"
			})
		},
	}, {
		ID: "EDS-S3-6", Severity: Low, Level: Advisory,
		Title:     "Buckets have a lifecycle",
		Rationale: "Old versions and abandoned uploads otherwise pile up forever, with their cost and their data.",
		Fix:       "Add a lifecycle expiring noncurrent versions and incomplete uploads.",
		Peers:     []string{"Checkov CKV2_AWS_61", "Security Hub S3.13"},
		Types:     []string{tLifecycle},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tLifecycle, func(b *R, ls []*R) string {
				if len(ls) == 0 {
					return b.Name + " has no lifecycle"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-S3-7", Severity: Medium, Level: Advisory,
		Title:     "Buckets have ACLs disabled",
		Rationale: "With the bucket owner enforced, only policies grant access: one place to review.",
		Fix:       "Set object ownership BucketOwnerEnforced.",
		Peers:     []string{"Checkov CKV2_AWS_65", "Security Hub S3.12"},
		Types:     []string{tOwnership, tCORS},
		Check: func(ix *Index) []Violation {
			return perBucket(ix, tOwnership, func(b *R, os []*R) string {
				for _, o := range os {
					if o.Str("rule", "objectOwnership") == "BucketOwnerEnforced" {
						return ""
					}
				}
				return b.Name + " honours ACLs"
			})
		},
	}, {
		ID: "EDS-RDS-1", Severity: High, Level: Advisory,
		Title:     "Aurora encrypts storage and Performance Insights with the country's key",
		Rationale: "The fallback database holds the same student data as CockroachDB.",
		Fix:       "Set storageEncrypted and kmsKeyId on the cluster, performanceInsightsKmsKeyId on instances.",
		Peers:     []string{"Checkov CKV_AWS_96", "Checkov CKV_AWS_327", "Checkov CKV_AWS_354", "cdk-nag AwsSolutions-RDS2", "Security Hub RDS.27"},
		Types:     []string{tRDSCluster, tRDSInstance},
		Check: func(ix *Index) []Violation {
			out := each(ix, tRDSCluster, func(c *R) string {
				if !c.Bool("storageEncrypted") || !isKMSKey(ix, c.Get("kmsKeyId")) {
					return c.Name + " is not encrypted with a customer managed key"
				}
				return ""
			})
			return append(out, each(ix, tRDSInstance, func(i *R) string {
				if i.Bool("performanceInsightsEnabled") && !isKMSKey(ix, i.Get("performanceInsightsKmsKeyId")) {
					return i.Name + "'s Performance Insights use an AWS managed key"
				}
				return ""
			})...)
		},
	}, {
		ID: "EDS-RDS-2", Severity: Low, Level: Advisory,
		Title:     "Aurora instances have enhanced monitoring",
		Rationale: "OS-level metrics tell a starved instance from a slow query.",
		Fix:       "Set monitoringInterval and a monitoringRoleArn.",
		Peers:     []string{"Checkov CKV_AWS_118", "Security Hub RDS.6"},
		Types:     []string{tRDSInstance},
		Check: func(ix *Index) []Violation {
			return each(ix, tRDSInstance, func(i *R) string {
				if n, _ := i.Num("monitoringInterval"); n == 0 || i.Str("monitoringRoleArn") == "" {
					return i.Name + " has no enhanced monitoring"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-RDS-3", Severity: Medium, Level: Advisory,
		Title:     "Aurora logs schema changes and exports its log to CloudWatch",
		Rationale: "Who changed the schema, and when, is an audit question about student data.",
		Fix:       "Set log_statement ddl in the cluster parameter group and enabledCloudwatchLogsExports [postgresql].",
		Peers:     []string{"Checkov CKV2_AWS_27", "Checkov CKV_AWS_324"},
		Types:     []string{tRDSCluster, tRDSParams},
		Check: func(ix *Index) []Violation {
			return each(ix, tRDSCluster, func(c *R) string {
				if !has(c.List("enabledCloudwatchLogsExports"), "postgresql") {
					return c.Name + " does not export its log"
				}
				for _, pg := range ix.Of(tRDSParams) {
					if pg.ID != c.Str("dbClusterParameterGroupName") {
						continue
					}
					for _, p := range pg.List("parameters") {
						m, _ := p.(map[string]any)
						if m["name"] == "log_statement" && (m["value"] == "ddl" || m["value"] == "mod" || m["value"] == "all") {
							return ""
						}
					}
				}
				return c.Name + " does not log DDL statements"
			})
		},
	}, {
		ID: "EDS-RDS-4", Severity: High, Level: Advisory,
		Title:     "Aurora has deletion protection and keeps 7 days of backups",
		Rationale: "One mistaken delete must not lose the database, and a bad week must be recoverable.",
		Fix:       "Set deletionProtection (edstack:protectData) and backupRetentionPeriod of at least 7.",
		Peers:     []string{"Checkov CKV_AWS_139", "cdk-nag AwsSolutions-RDS10", "Security Hub RDS.7", "Security Hub RDS.11"},
		Types:     []string{tRDSCluster},
		Check: func(ix *Index) []Violation {
			return each(ix, tRDSCluster, func(c *R) string {
				if !c.Bool("deletionProtection") {
					return c.Name + " can be deleted"
				}
				if n, _ := c.Num("backupRetentionPeriod"); n < 7 {
					return fmt.Sprintf("%s keeps %v days of backups", c.Name, n)
				}
				return ""
			})
		},
	}, {
		ID: "EDS-RDS-5", Severity: Critical, Level: Mandatory,
		Title:     "Aurora is private and requires TLS",
		Rationale: "The database is reached from the VPC only, and never in clear text.",
		Fix:       "publiclyAccessible false on instances, private subnets in the subnet group, rds.force_ssl 1.",
		Peers:     []string{"Checkov CKV_AWS_17", "Security Hub RDS.2"},
		Types:     []string{tRDSInstance, tRDSSubnets, tRDSParams},
		Check: func(ix *Index) []Violation {
			out := each(ix, tRDSInstance, func(i *R) string {
				if i.Bool("publiclyAccessible") {
					return i.Name + " is publicly accessible"
				}
				return ""
			})
			out = append(out, each(ix, tRDSSubnets, func(g *R) string {
				for _, s := range g.List("subnetIds") {
					if sub := ix.Ref(s); sub != nil && strings.Contains(sub.Tag("Name"), "public") {
						return g.Name + " includes public subnet " + sub.Name
					}
				}
				return ""
			})...)
			return append(out, each(ix, tRDSParams, func(pg *R) string {
				for _, p := range pg.List("parameters") {
					if m, _ := p.(map[string]any); m["name"] == "rds.force_ssl" && m["value"] == "1" {
						return ""
					}
				}
				return pg.Name + " does not force TLS"
			})...)
		},
	}, {
		ID: "EDS-RDS-6", Severity: High, Level: Advisory,
		Title:     "Functions connect as an application user, never with the master password",
		Rationale: "The master user can drop every database; a leaked function credential must not be able to.",
		Fix:       "Grant the functions an application user's secret (or IAM database authentication), not the RDS-managed master secret.",
		Types:     []string{tRDSCluster, tRolePolicy},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, c := range ix.Of(tRDSCluster) {
				if !c.Bool("manageMasterUserPassword") {
					continue
				}
				for _, p := range ix.Of(tRolePolicy) {
					d, _ := document(p, "policy")
					for _, s := range d.Statement {
						if slices.ContainsFunc(s.Resource, func(r string) bool { return strings.Contains(r, ":secret:rds!") }) {
							out = append(out, Violation{URN: c.URN, Message: p.Name + " reads the master secret of " + c.Name})
						}
					}
				}
			}
			return out
		},
	}, {
		ID: "EDS-RDS-7", Severity: Medium, Level: Mandatory,
		Title:     "Aurora's reader schedule stays within its scaling range",
		Rationale: "A scheduled capacity outside the target's range is refused by Application Auto Scaling.",
		Fix:       "Keep every scheduled min and max within the scalable target's minCapacity..maxCapacity, and track a target metric.",
		Types:     []string{tScaleTarget, tScalePolicy, tSchedule},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, t := range ix.Of(tScaleTarget) {
				lo, _ := t.Num("minCapacity")
				hi, _ := t.Num("maxCapacity")
				for _, s := range ix.Of(tSchedule) {
					if s.Str("resourceId") != t.Str("resourceId") {
						continue
					}
					smin, _ := s.Num("scalableTargetAction", "minCapacity")
					smax, _ := s.Num("scalableTargetAction", "maxCapacity")
					if smin < lo || smax > hi || smin > smax {
						out = append(out, Violation{URN: s.URN, Message: fmt.Sprintf("%s sets %v-%v outside %v-%v", s.Name, smin, smax, lo, hi)})
					}
				}
				tracked := false
				for _, p := range ix.Of(tScalePolicy) {
					tracked = tracked || p.Str("resourceId") == t.Str("resourceId")
				}
				if !tracked {
					out = append(out, Violation{URN: t.URN, Message: t.Name + " follows no load metric"})
				}
			}
			return out
		},
	}, {
		ID: "EDS-SM-1", Severity: Medium, Level: Advisory,
		Title:     "Secrets are encrypted with the country's key",
		Rationale: "Database passwords and the cluster's CA key stay under a key the country controls and audits.",
		Fix:       "Set kmsKeyId to the stack's customer managed key.",
		Peers:     []string{"Checkov CKV_AWS_149"},
		Types:     []string{tSecret},
		Check: func(ix *Index) []Violation {
			return each(ix, tSecret, func(s *R) string {
				if !isKMSKey(ix, s.Get("kmsKeyId")) {
					return s.Name + " uses the AWS managed key"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SM-2", Severity: Medium, Level: Advisory,
		Title:     "Secrets rotate",
		Rationale: "A password that never changes stays valid for whoever copied it once.",
		Fix:       "Add an aws:secretsmanager/secretRotation, or waive with how the secret is renewed.",
		Peers:     []string{"Checkov CKV2_AWS_57", "cdk-nag AwsSolutions-SMG4", "Security Hub SecretsManager.1"},
		Types:     []string{tSecret},
		Check: func(ix *Index) []Violation {
			return each(ix, tSecret, func(s *R) string {
				if len(ix.Referrers(s, "aws:secretsmanager/secretRotation:SecretRotation", "secretId")) == 0 {
					return s.Name + " never rotates"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-SM-3", Severity: Critical, Level: Mandatory,
		Title:     "Secret values are secret in the program",
		Rationale: "A value passed in plain text is stored unencrypted in the Pulumi state and printed in previews.",
		Fix:       "Pass secretString as a Pulumi secret (pulumi.ToSecret, or an output of a secret).",
		Types:     []string{tSecretValue},
		Check: func(ix *Index) []Violation {
			return each(ix, tSecretValue, func(v *R) string {
				if v.Has("secretString") && !v.IsSecret("secretString") {
					return v.Name + "'s value is in plain text"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-KMS-1", Severity: Medium, Level: Advisory,
		Title:     "Symmetric keys rotate yearly and wait 30 days before deletion",
		Rationale: "Rotation limits what one key version protects; the window gives time to cancel a mistaken deletion.",
		Fix:       "Set enableKeyRotation and deletionWindowInDays 30.",
		Peers:     []string{"Checkov CKV_AWS_7", "cdk-nag AwsSolutions-KMS5", "Security Hub KMS.4"},
		Types:     []string{tKey, tAlias},
		Check: func(ix *Index) []Violation {
			return each(ix, tKey, func(k *R) string {
				if spec := k.Str("customerMasterKeySpec"); spec != "" && spec != "SYMMETRIC_DEFAULT" {
					return ""
				}
				if !k.Bool("enableKeyRotation") {
					return k.Name + " does not rotate"
				}
				if n, ok := k.Num("deletionWindowInDays"); ok && n < 30 {
					return fmt.Sprintf("%s is deleted %v days after scheduling", k.Name, n)
				}
				return ""
			})
		},
	}, {
		ID: "EDS-KMS-2", Severity: Critical, Level: Mandatory,
		Title:     "Key policies grant nothing to everyone",
		Rationale: "A key usable by any principal protects nothing.",
		Fix:       "Grant the account root and named service principals with conditions, never \"*\".",
		Peers:     []string{"Checkov CKV_AWS_33", "Security Hub KMS.5"},
		Types:     []string{tKey},
		Check: func(ix *Index) []Violation {
			return each(ix, tKey, func(k *R) string {
				d, ok := document(k, "policy")
				if !ok {
					return k.Name + " has no explicit key policy"
				}
				for _, s := range d.Statement {
					if s.Effect == "Allow" && (s.Principal["AWS"] == "*" || s.Principal["Service"] == "*") && len(s.Condition) == 0 {
						return k.Name + " allows everyone"
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LOGS-1", Severity: Medium, Level: Advisory,
		Title:     "Log groups have a retention",
		Rationale: "Logs kept forever are a cost and a store of personal data nobody decided to keep.",
		Fix:       "Set retentionInDays (edstack:logRetentionDays).",
		Peers:     []string{"Checkov CKV_AWS_66", "Security Hub CloudWatch.16"},
		Types:     []string{tLogGroup},
		Check: func(ix *Index) []Violation {
			return each(ix, tLogGroup, func(g *R) string {
				if n, _ := g.Num("retentionInDays"); n == 0 {
					return g.Name + " keeps logs forever"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-LOGS-2", Severity: Low, Level: Advisory,
		Title:     "Log groups are encrypted with the country's key",
		Rationale: "Logs can carry request details about students.",
		Fix:       "Set kmsKeyId to the stack's key (its policy lets CloudWatch Logs use it).",
		Peers:     []string{"Checkov CKV_AWS_158"},
		Types:     []string{tLogGroup},
		Check: func(ix *Index) []Violation {
			return each(ix, tLogGroup, func(g *R) string {
				if !isKMSKey(ix, g.Get("kmsKeyId")) {
					return g.Name + " uses CloudWatch's own key"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-STATE-1", Severity: High, Level: Advisory,
		Title:     "What holds data is protected from deletion by pulumi",
		Rationale: "A refactor that drops a bucket, secret, key or database from the program must stop `pulumi up`, not delete student data.",
		Fix:       "Set protect on buckets, secrets, KMS keys and databases (edstack:protectData).",
		Types:     []string{tBucket, tSecret, tKey, tRDSCluster},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, typ := range []string{tBucket, tSecret, tKey, tRDSCluster} {
				out = append(out, each(ix, typ, func(r *R) string {
					if !r.Protect {
						return r.Name + " is not protected"
					}
					return ""
				})...)
			}
			return out
		},
	}}
}
