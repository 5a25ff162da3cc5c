package cockroach

import (
	"fmt"
	"regexp"
	"strings"

	cfg "edstack/components/setting"
)

// The config keys the cluster owns.
const (
	KeyNodes                 = "edstack:cockroachNodes"
	KeyCPU                   = "edstack:cockroachCpu"
	KeyMemoryMiB             = "edstack:cockroachMemoryMiB"
	KeyStorageGiB            = "edstack:cockroachStorageGiB"
	KeyVersion               = "edstack:cockroachVersion"
	KeyReplicationFactor     = "edstack:cockroachReplicationFactor"
	KeyOnDemandNodes         = "edstack:cockroachOnDemandNodes"
	KeyLicenseSecretArn      = "edstack:cockroachLicenseSecretArn"
	KeyUnlicensed            = "edstack:cockroachUnlicensed"
	KeyBackupRetentionDays   = "edstack:cockroachBackupRetentionDays"
	KeyImageRepository       = "edstack:cockroachImageRepository"
	KeyImageDigest           = "edstack:cockroachImageDigest"
	KeyRegistrySecretArn     = "edstack:cockroachRegistrySecretArn"
	KeyDecommissionedNodes   = "edstack:cockroachDecommissionedNodes"
	maxBackupRetentionDays   = 3650
	replicationFactorAutoDoc = "`0` (auto), or an odd number from 3 to the node count"
)

// Defaults and limits of a node's size and of the cluster.
const (
	// MaxNodes bounds the node count: node services are numbered 0 to 98.
	MaxNodes = 99
	// MinNodes is the smallest cluster that keeps a quorum of three replicas.
	MinNodes         = 3
	DefaultCPU       = 4096
	DefaultMemoryMiB = 24576
	// MinStorageGiB and MaxStorageGiB are Fargate's ephemeral storage limits.
	MinStorageGiB     = 21
	MaxStorageGiB     = 200
	DefaultStorageGiB = MaxStorageGiB
	// DefaultVersion is the CockroachDB release new stacks run.
	DefaultVersion = "v26.2.0"
)

var (
	versionPattern    = regexp.MustCompile(`^v(2[4-9]|[3-9][0-9])\.[0-9]+\.[0-9]+$`)
	oldVersionPattern = regexp.MustCompile(`^v([1-9]|1[0-9]|2[0-3])\.[0-9]+\.[0-9]+$`)
)

// CheckVersion says what is wrong with an image tag, or nil: edstack runs
// pinned patch releases of v24 or newer, whose flags and settings its start
// script uses.
func CheckVersion(v string) error {
	switch {
	case versionPattern.MatchString(v):
		return nil
	case oldVersionPattern.MatchString(v):
		return fmt.Errorf("is older than edstack supports (its start script and settings need v24.1 or newer); use a pinned patch of v24 or newer, such as %s", DefaultVersion)
	}
	return fmt.Errorf("is not a pinned CockroachDB release tag (vMAJOR.MINOR.PATCH); use one of v24 or newer, such as %s", DefaultVersion)
}

// Settings are the cluster's config keys.
var Settings = []cfg.Setting{
	{
		Key: KeyNodes, Type: cfg.Integer, Default: DefaultNodes, Min: 0, Max: MaxNodes, What: "a node count",
		Accepts: fmt.Sprintf("%d to %d; `0` (no cluster) only with `edstack:database: aurora`", MinNodes, MaxNodes),
		Summary: "CockroachDB node count, spread round-robin over the three zones.",
		Doc:     "CockroachDB nodes, spread round-robin over the three zones (use a multiple of 3 to survive a zone outage). Lowering it deletes the highest nodes: see \"Removing nodes\".",
	},
	{
		Key: KeyCPU, Type: cfg.Integer, Default: DefaultCPU, Min: MinCPU, Max: 16384, What: "a CPU size",
		Accepts: "`4096` (4 vCPU, CockroachDB's minimum), `8192` or `16384`",
		Summary: "CPU units of each node's Fargate task (4096 = 4 vCPU).",
		Doc:     "CPU units of each node's Fargate task.",
	},
	{
		Key: KeyMemoryMiB, Type: cfg.Integer, Default: DefaultMemoryMiB, Min: 8192, Max: 122880, What: "a memory size in MiB",
		Accepts: "a size Fargate offers for the CPU: " + MemoryChoices(),
		Summary: "Memory of each node's Fargate task in MiB.",
		Doc:     fmt.Sprintf("Memory of each node's task in MiB. CockroachDB gets a quarter as cache and a quarter for SQL (`%s`).", strings.Join(MemoryFlags(), " ")),
	},
	{
		Key: KeyStorageGiB, Type: cfg.Integer, Default: DefaultStorageGiB, Min: MinStorageGiB, Max: MaxStorageGiB, What: "an ephemeral storage size Fargate accepts",
		Summary: "Ephemeral storage of each node's task in GiB; it holds the node's store and dies with the task.",
		Doc:     "Ephemeral storage of each node's task in GiB: the node's store, which dies with the task (replicas elsewhere keep the data).",
	},
	{
		Key: KeyVersion, Type: cfg.String, Default: DefaultVersion,
		Accepts: "a pinned patch release tag, `vMAJOR.MINOR.PATCH`, v24 or newer",
		Summary: "Tag of the cockroachdb/cockroach image, a pinned patch release.",
		Doc:     "Tag of the `cockroachdb/cockroach` image the nodes run. Changing it rolls the nodes one at a time, each gated on the cluster's health.",
	},
	{
		Key: KeyReplicationFactor, Type: cfg.Integer, Default: 0, DefaultNote: "auto", Min: 0, Max: MaxNodes, What: "a replication factor",
		Accepts: replicationFactorAutoDoc,
		Summary: "Replicas of every range; 0 picks 5 with 5 or more nodes (survives two lost nodes), else 3.",
		Doc:     "Replicas of every range. `0` picks 5 with 5 or more nodes (survives two lost nodes), else 3.",
	},
	{
		Key: KeyOnDemandNodes, Type: cfg.Integer, Default: 0, Min: 0, Max: MaxNodes, What: "a node count",
		Accepts: "0 to the node count",
		Summary: "How many nodes run on on-demand FARGATE instead of FARGATE_SPOT.",
		Doc:     "Nodes that run on on-demand `FARGATE` instead of `FARGATE_SPOT` (the last ones, so they too spread over the zones).",
	},
	{
		Key: KeyLicenseSecretArn, Type: cfg.String, Default: "",
		Accepts: "a Secrets Manager secret ARN in the stack's region; empty only with `edstack:cockroachUnlicensed: true`",
		Summary: "ARN of a Secrets Manager secret holding the CockroachDB licence key; required unless edstack:cockroachUnlicensed is true.",
		Doc:     "ARN of a Secrets Manager secret whose value is the CockroachDB licence key (see \"The licence\").",
	},
	{
		Key: KeyUnlicensed, Type: cfg.Boolean, Default: false,
		Summary: "Run CockroachDB without a licence key, which it throttles 7 days after init; for development stacks only.",
		Doc:     "Run CockroachDB without a licence key, which it throttles 7 days after init: for development stacks only (`dev`).",
	},
	{
		Key: KeyBackupRetentionDays, Type: cfg.Integer, Default: DefaultBackupRetentionDays, Min: MinBackupRetentionDays, Max: maxBackupRetentionDays,
		What:    "days to keep backup chains",
		Summary: "Days the backups bucket keeps every backup object, so whole backup chains age out.",
		Doc:     "Days the backups bucket keeps every backup object: whole backup chains age out, a chain within a day of its full backup.",
	},
	{
		Key: KeyImageRepository, Type: cfg.String, Default: "",
		Accepts: "an image repository without tag or digest (`<account>.dkr.ecr.<region>.amazonaws.com/<name>` or another registry's), or empty",
		Summary: "Image repository the nodes pull from, without tag; empty for Docker Hub or the pull-through cache.",
		Doc:     "Image repository the nodes pull from: an ECR repository you mirror `cockroachdb/cockroach` to, or another registry. Empty: Docker Hub, or the pull-through cache (see \"Images\").",
	},
	{
		Key: KeyImageDigest, Type: cfg.String, Default: "",
		Accepts: "`sha256:` and 64 lowercase hex digits, or empty",
		Summary: "Pin the node image by digest on top of edstack:cockroachVersion; empty pins the tag only.",
		Doc:     "Pin the node image by digest on top of `edstack:cockroachVersion`.",
	},
	{
		Key: KeyRegistrySecretArn, Type: cfg.String, Default: "",
		Accepts: "a Secrets Manager secret ARN (named `ecr-pullthroughcache/…` for the pull-through cache), or empty",
		Summary: "Registry credentials in Secrets Manager: Docker Hub's for an ECR pull-through cache, or another registry's username and password.",
		Doc: "Registry credentials in Secrets Manager. With no repository: Docker Hub credentials in a secret named `ecr-pullthroughcache/…`, for an ECR pull-through cache of Docker Hub that edstack creates. " +
			"With a registry outside ECR: its `username` and `password`.",
	},
	{
		Key: KeyDecommissionedNodes, Type: cfg.Integers, Default: []int{},
		Accepts: fmt.Sprintf("node numbers from the new node count to %d, each once", MaxNodes-1),
		Summary: "Nodes already decommissioned with cockroach node decommission, which lowering edstack:cockroachNodes may then delete.",
		Doc: "Nodes (e.g. `[9, 10, 11]`) you have decommissioned with `cockroach node decommission`. Lowering `edstack:cockroachNodes` below the deployed count is refused unless every removed node is listed; " +
			"turning CockroachDB off (`0`) needs every node listed. See \"Removing nodes\".",
	},
}
