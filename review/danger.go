package review

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"edstack/components/cockroach"
	"edstack/plan"
)

// holdsData says, per resource type, what a replace or delete loses. A
// type not listed holds nothing that `pulumi up` cannot build again, unless
// the stack protects it.
var holdsData = map[string]string{
	"aws:s3/bucketV2:BucketV2":                                     "its objects",
	"aws:secretsmanager/secret:Secret":                             "its secret value and versions",
	"aws:rds/cluster:Cluster":                                      "the Aurora database",
	"aws:kms/key:Key":                                              "the key everything it encrypted needs to be read",
	"aws:sqs/queue:Queue":                                          "the messages waiting in it",
	"aws:cloudwatch/logGroup:LogGroup":                             "its log events",
	"aws:route53/zone:Zone":                                        "its records and name servers: the registrar's delegation breaks",
	"aws:route53/keySigningKey:KeySigningKey":                      "the DNSSEC chain: resolvers reject the zone until the DS record is updated",
	"tls:index/selfSignedCert:SelfSignedCert":                      "the CA every node and client certificate chains to",
	"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": "the names every node joins the cluster by",
}

// nodeData is what a CockroachDB node's service holds: its task's store.
const nodeData = "a CockroachDB node's replicas: its Fargate disk goes with the task, " +
	"and replacing or deleting several nodes at once can lose ranges"

// dataOf says what the resource holds that a replace or delete loses.
func dataOf(r *plan.JSONResource) string {
	if r == nil {
		return ""
	}
	if isNodeService(r) {
		return nodeData
	}
	if d, ok := holdsData[r.Type]; ok {
		return d
	}
	if r.Protect {
		return "what the stack protects it for (protect is set)"
	}
	return ""
}

// isNodeService reports whether r is a CockroachDB node's ECS service.
func isNodeService(r *plan.JSONResource) bool {
	return r.Type == cockroach.ServiceType && r.Parent != "" &&
		string(resource.URN(r.Parent).Type()) == cockroach.ComponentType && strings.Contains(r.Name, "-crdb-node-")
}

// judge fills in what is at stake in a change: the data it would lose,
// whether `pulumi up` stops on it because the resource is protected, and
// whether AWS keeps the old resource.
func judge(c *Change, before, after *plan.JSONResource) {
	subject := before
	if subject == nil {
		subject = after
	}
	c.Protected = before != nil && before.Protect
	if !c.Destructive() {
		return
	}
	c.Data = dataOf(subject)
	// The engine refuses to delete a resource its state protects, and to
	// replace one that is protected before and after: a change that lifts
	// the protection and replaces the resource in one update goes ahead,
	// and loses what it holds.
	c.Blocked = c.Protected && (c.Action == Delete || after != nil && after.Protect)
	c.Unprotected = c.Protected && !c.Blocked
	c.Retained = before != nil && before.RetainOnDelete
}
