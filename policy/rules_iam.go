package policy

import (
	"fmt"
	"slices"
	"strings"

	policy "edstack/components/iam"
	"edstack/components/tags"
)

// wildcardResourceActions are the actions that AWS gives no resource scope
// to, so "*" is their only resource.
var wildcardResourceActions = slices.Concat(policy.NetworkInterfaceActions, policy.XRayActions,
	[]string{"ecr:GetAuthorizationToken", "servicediscovery:DiscoverInstances"})

// confusedDeputyServices are the service principals whose trust policies
// must name the account (or source) they act for.
var confusedDeputyServices = []string{"vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com"}

// rolePolicy is a policy document and the resource that holds it.
type rolePolicy struct {
	r   *R
	doc policy.Document
}

// rolePolicies are the policy documents of the plan's roles: inline role
// policies and the roles' inlinePolicies.
func rolePolicies(ix *Index) []rolePolicy {
	var out []rolePolicy
	for _, p := range ix.Of(tRolePolicy) {
		if d, ok := document(p, "policy"); ok {
			out = append(out, rolePolicy{p, d})
		}
	}
	for _, role := range ix.Of(tRole) {
		for _, ip := range role.List("inlinePolicies") {
			m, _ := ip.(map[string]any)
			if s, _ := m["policy"].(string); s != "" {
				if d, err := policy.Parse(s); err == nil {
					out = append(out, rolePolicy{role, d})
				}
			}
		}
	}
	return out
}

func iamRules() []Rule {
	return []Rule{{
		ID: "EDS-IAM-1", Severity: Medium, Level: Advisory,
		Title:     "Roles carry no AWS managed policies",
		Rationale: "Managed policies grant more than a role uses and change under you (AWSLambdaVPCAccessExecutionRole writes to every log group).",
		Fix:       "Write an inline policy of the actions and resources the role uses.",
		Peers:     []string{"cdk-nag AwsSolutions-IAM4"},
		Types:     []string{tAttachment, tRole},
		Check: func(ix *Index) []Violation {
			out := each(ix, tAttachment, func(a *R) string {
				if strings.HasPrefix(a.Str("policyArn"), "arn:aws:iam::aws:policy/") {
					return a.Name + " attaches " + a.Str("policyArn")
				}
				return ""
			})
			return append(out, each(ix, tRole, func(r *R) string {
				if len(r.List("managedPolicyArns")) > 0 {
					return r.Name + " lists managed policies"
				}
				return ""
			})...)
		},
	}, {
		ID: "EDS-IAM-2", Severity: High, Level: Mandatory,
		Title:     "Policies name their actions, and their resources where AWS allows",
		Rationale: "A wildcard grants what nobody reviewed, today and for every action AWS adds later.",
		Fix:       "List the actions; give \"*\" as the resource only to actions without resource-level permissions.",
		Peers:     []string{"Checkov CKV_AWS_355", "Checkov CKV_AWS_63", "cdk-nag AwsSolutions-IAM5", "Security Hub IAM.21"},
		Types:     []string{tRolePolicy},
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, p := range rolePolicies(ix) {
				for _, s := range p.doc.Statement {
					if s.Effect != "Allow" {
						continue
					}
					for _, a := range s.Action {
						if a == "*" || strings.HasSuffix(a, ":*") {
							out = append(out, Violation{URN: p.r.URN, Message: fmt.Sprintf("%s allows %s", p.r.Name, a)})
						}
					}
					if !slices.Contains(s.Resource, "*") {
						continue
					}
					for _, a := range s.Action {
						if !slices.Contains(wildcardResourceActions, a) {
							out = append(out, Violation{URN: p.r.URN, Message: fmt.Sprintf("%s allows %s on every resource", p.r.Name, a)})
							break
						}
					}
				}
			}
			return out
		},
	}, {
		ID: "EDS-IAM-3", Severity: Medium, Level: Advisory,
		Title:     "Service roles trust their service only on this account's behalf",
		Rationale: "Without aws:SourceAccount or aws:SourceArn the service could be made to use the role for another account (the confused deputy).",
		Fix:       "Add a StringEquals aws:SourceAccount (or ArnLike aws:SourceArn) condition to the trust policy.",
		Types:     []string{tRole},
		Check: func(ix *Index) []Violation {
			return each(ix, tRole, func(r *R) string {
				d, ok := document(r, "assumeRolePolicy")
				if !ok {
					return ""
				}
				for _, s := range d.Statement {
					for _, svc := range principals(s, "Service") {
						if !slices.Contains(confusedDeputyServices, svc) {
							continue
						}
						cond := fmt.Sprint(s.Condition)
						if !strings.Contains(cond, "aws:SourceAccount") && !strings.Contains(cond, "aws:SourceArn") {
							return r.Name + " trusts " + svc + " without naming the source account"
						}
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-TAG-1", Severity: Low, Level: Advisory,
		Title:     "Every taggable resource says its country, stack and component",
		Rationale: "Cost reports, access reviews and incident response find a resource's owner by its tags.",
		Fix:       "Give the resource the component's tags (components/tags).",
		Types:     taggedTypes,
		Check: func(ix *Index) []Violation {
			var out []Violation
			for _, typ := range ix.Types() {
				if !strings.HasPrefix(typ, "aws:") || !tags.Taggable(typ) {
					continue
				}
				out = append(out, each(ix, typ, func(r *R) string {
					for _, k := range []string{tags.Country, tags.Stack, tags.Component} {
						if r.Tag(k) == "" && !providerTags(ix, r, k) {
							return r.Name + " has no " + k + " tag"
						}
					}
					return ""
				})...)
			}
			return out
		},
	}}
}

// providerTags reports whether r's explicit provider adds tag key to it.
func providerTags(ix *Index, r *R, key string) bool {
	if r.Provider == "" {
		return false
	}
	urn := r.Provider
	if i := strings.LastIndex(urn, "::"); i > 0 {
		urn = urn[:i]
	}
	p := ix.URN(urn)
	return p != nil && p.Str("defaultTags", "tags", key) != ""
}

// taggedTypes are the types EDS-TAG-1 looks at that no other rule does.
var taggedTypes = []string{tNamespace, tDiscovery, tEIP, tIGW, tNAT, tRouteTable, tECSCluster, tSG, tAPI,
	tStage, tLogGroup, tRole, tQueue, tFunction, tESM, tZone, tCert, tKey, tSecret, tBucket, tDistribution,
	tLB, tListener, tTargetGroup, tRDSCluster, tRDSInstance, tRDSParams, tRDSSubnets, tScaleTarget, tWebACL,
	tVPC, tSubnet, tFlowLog, tEndpoint, tTaskDef, tECSService}
