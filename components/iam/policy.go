// Package iam writes IAM policy documents as typed values, so that every
// component states its permissions the same way and tests can read them
// back as data instead of matching strings.
package iam

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the IAM policy language version.
const Version = "2012-10-17"

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy document.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Allow is an Allow statement of actions on resources.
func Allow(sid string, actions []string, resources ...string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// Policy returns a document of the given statements.
func Policy(statements ...Statement) Document {
	return Document{Version: Version, Statement: statements}
}

// AssumeRole is the trust policy that lets an AWS service assume a role.
func AssumeRole(service string) Document {
	return Policy(Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Service": service},
		Action:    []string{"sts:AssumeRole"},
	})
}

// AccountRoot lets the account administer a KMS key through IAM: the
// statement of AWS's default key policy, without which only the key policy
// itself could grant use of the key.
func AccountRoot(account string) Statement {
	return Statement{
		Sid:       "EnableIAMUserPermissions",
		Effect:    "Allow",
		Principal: map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}
}

// JSON renders the document. It cannot fail for documents built from
// strings, maps and slices, so a failure is a programming error.
func (d Document) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("iam: marshal policy: %v", err))
	}
	return string(b)
}

// Parse reads a document back, for tests and for the plan.
func Parse(doc string) (Document, error) {
	var d Document
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return Document{}, fmt.Errorf("iam: parse policy document: %w", err)
	}
	return d, nil
}

// Output builds a document from values known only at deployment (ARNs):
// build receives them in the order given.
func Output(build func(values []string) Document, values ...pulumi.StringInput) pulumi.StringOutput {
	inputs := make([]any, len(values))
	for i, v := range values {
		inputs[i] = v
	}
	return pulumi.All(inputs...).ApplyT(func(resolved []any) string {
		strs := make([]string, len(resolved))
		for i, v := range resolved {
			strs[i] = v.(string)
		}
		return build(strs).JSON()
	}).(pulumi.StringOutput)
}

// AssumeRoleOnBehalfOf is AssumeRole for a service that acts for this
// account only: the condition names the account and the resources (an ARN
// pattern) it acts for, so that the service cannot be made to use the role
// for another account (the confused deputy).
func AssumeRoleOnBehalfOf(service, account, sourceArn string) Document {
	d := AssumeRole(service)
	d.Statement[0].Condition = map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": account},
		"ArnLike":      {"aws:SourceArn": sourceArn},
	}
	return d
}
