package cockroach

import "fmt"

// Name limits the prefix must fit. Pulumi autonames a resource whose name
// it is not given as "<logical name>-<7 random characters>".
const (
	AutonameSuffix = 8
	// ELBNameLimit is the most characters a load balancer's or a target
	// group's name takes: the tightest name rule any stack resource feeds.
	ELBNameLimit = 32
)

// elbNames are the cluster's autonamed load balancer and target group.
var elbNames = []string{"nlb", "sql"}

// MaxPrefix is the longest prefix whose load balancer and target group
// names AWS accepts.
func MaxPrefix() int {
	longest := 0
	for _, n := range elbNames {
		longest = max(longest, len("-crdb-"+n))
	}
	return ELBNameLimit - AutonameSuffix - longest
}

// CheckPrefix says whether the names built on prefix fit AWS's rules.
func CheckPrefix(prefix string) error {
	if len(prefix) > MaxPrefix() {
		return fmt.Errorf("gives the load balancer the name %q plus Pulumi's %d-character suffix, over the %d characters ELB allows",
			prefix+"-crdb-"+elbNames[0], AutonameSuffix, ELBNameLimit)
	}
	return nil
}

// ResourceName is the logical name of the cluster's resource suffix, e.g.
// "nz-crdb-backups".
func ResourceName(prefix, suffix string) string { return prefix + "-crdb-" + suffix }

// BackupBucketName is the logical name of the backups bucket, e.g.
// "nz-crdb-backups": what its access logs are filed under.
func BackupBucketName(prefix string) string { return ResourceName(prefix, "backups") }
