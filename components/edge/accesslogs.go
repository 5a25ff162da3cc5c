package edge

// The stack's access-log bucket: CloudFront's standard logs and the S3
// server access logs of the edge's buckets (and of any other component's
// bucket that asks for a target with AccessLogTarget).

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/storage"
)

// Access log retention, in days.
const (
	DefaultAccessLogDays = 90
	MaxAccessLogDays     = 3650
)

// Where each kind of log goes in the access-log bucket.
const (
	// CloudFrontLogPrefix starts CloudFront's standard log files.
	CloudFrontLogPrefix = "cloudfront/"
	// ServerAccessLogPrefix starts S3's server access logs, one folder per
	// source bucket: "s3/<bucket logical name>/".
	ServerAccessLogPrefix = "s3/"
)

// defaultRegions are the AWS regions enabled in every account. Every region
// opened since 2019 is opt-in, and CloudFront does not deliver standard
// (legacy) logs to buckets in opt-in regions: the CloudFront developer guide
// names af-south-1, ap-east-1, eu-south-1 and me-south-1 (and AWS Config's
// remediation runbook the same four), and the later opt-in regions
// (ap-south-2, ap-southeast-3 to -7, ap-east-2, ca-west-1, eu-central-2,
// eu-south-2, il-central-1, me-central-1, mx-central-1) are taken to be the
// same: an inference, not a documented fact, for the newest of them.
// Listing the regions that do work keeps a future opt-in region on the safe
// side.
var defaultRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
	"ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
}

// CloudFrontLogsDelivered reports whether CloudFront delivers standard logs
// to a bucket in region: only in the regions every account has enabled,
// not in an opt-in region (see defaultRegions). In a region where it does
// not, the edge turns CloudFront's logging off and keeps only the S3 logs;
// the policy pack reports the distribution as unlogged.
func CloudFrontLogsDelivered(region string) bool { return slices.Contains(defaultRegions, region) }

// CloudFrontLogBucket is a bucket as CloudFront's logging config names it:
// "<bucket>.s3.amazonaws.com".
func CloudFrontLogBucket(bucket string) string { return bucket + ".s3.amazonaws.com" }

// accessLogs creates the access-log bucket, first of the buckets, since the
// others log to it. It keeps ACLs (BucketOwnerPreferred), which CloudFront's
// standard logging needs, SSE-S3 encryption, which S3 server access logs
// need, and expires logs after AccessLogDays.
func (e *Edge) accessLogs(ctx *pulumi.Context) error {
	region := e.args.Region
	if region == "" {
		r, err := aws.GetRegion(ctx, nil)
		if err != nil {
			return fmt.Errorf("edge: read the stack's region: %w", err)
		}
		region = r.Name
	}
	e.CloudFrontLogging = CloudFrontLogsDelivered(region)

	var err error
	e.logs, err = storage.NewPrivateBucket(ctx, e.name("access-logs"), storage.BucketArgs{
		ObjectOwnership:       storage.OwnerPreferred,
		ServerAccessLogPrefix: ServerAccessLogPrefix,
		ExpireDays:            e.accessLogDays(),
		// A log is never overwritten; an expired one goes a day later.
		NoncurrentVersionDays: 1,
		Tags:                  e.args.Tags,
	}, e.parent)
	if err != nil {
		return fmt.Errorf("edge: access-log bucket: %w", err)
	}
	e.AccessLogBucket = e.logs.Name
	e.AccessLogBucketArn = e.logs.Arn
	return nil
}

func (e *Edge) accessLogDays() int {
	if e.args.AccessLogDays == 0 {
		return DefaultAccessLogDays
	}
	return e.args.AccessLogDays
}

// AccessLogTarget is where a bucket named source (its logical name, e.g.
// "nz-cockroach-backups") sends its S3 server access logs: the access-log
// bucket, under "s3/<source>/". Pass it as storage.BucketArgs.AccessLogs;
// the bucket must be in the stack's region and account.
func (e *Edge) AccessLogTarget(source string) (*storage.LogTarget, error) {
	t, err := e.logs.LogTarget(source)
	if err != nil {
		return nil, fmt.Errorf("edge: access-log target: %w", err)
	}
	return t, nil
}
