// Package logs creates the CloudWatch log groups of every component with the
// same naming and a retention that CloudWatch accepts, so no log group keeps
// data forever by accident.
package logs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/tags"
)

// RetentionDays are the retention periods CloudWatch Logs accepts.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetention reports whether CloudWatch accepts days as a retention.
func ValidRetention(days int) bool { return slices.Contains(RetentionDays, days) }

// RetentionChoices lists RetentionDays for an error message.
func RetentionChoices() string {
	s := make([]string, len(RetentionDays))
	for i, d := range RetentionDays {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ", ")
}

// GroupArgs describe one log group.
type GroupArgs struct {
	// Path is the log group name, e.g. "/edstack/nz/vpc-flow-logs".
	Path string
	// RetentionDays must be one of RetentionDays.
	RetentionDays int
	// KMSKeyArn is the customer managed key that encrypts the group; its
	// policy must let CloudWatch Logs of the group's region use it (see
	// package keys). nil: CloudWatch Logs' own key.
	KMSKeyArn pulumi.StringInput
	Tags      tags.Set
}

// NewGroup creates a log group with an explicit name and retention.
func NewGroup(ctx *pulumi.Context, name string, args GroupArgs, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	if !ValidRetention(args.RetentionDays) {
		return nil, fmt.Errorf("logs: %s: retention %d days is not one CloudWatch accepts (%s)",
			args.Path, args.RetentionDays, RetentionChoices())
	}
	return cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.Path),
		RetentionInDays: pulumi.Int(args.RetentionDays),
		KmsKeyId:        args.KMSKeyArn,
		Tags:            args.Tags.Tags(),
	}, opts...)
}
