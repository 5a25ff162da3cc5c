package cockroach

import (
	"fmt"
	"regexp"
	"strings"
)

// DockerHubRepository is the official image on Docker Hub.
const DockerHubRepository = "cockroachdb/cockroach"

// Image says where nodes pull cockroach from. Every task start pulls the
// image: anonymous Docker Hub pulls are limited to 10 an hour per address,
// and all the tasks behind one NAT gateway share an address, so a roll or a
// burst of Spot replacements can fail to pull (CannotPullContainerError)
// exactly when the cluster needs its nodes back. Production stacks should
// pull from ECR: either a pull-through cache of Docker Hub that edstack
// creates (give RegistrySecretArn) or a repository you mirror the image to
// (give Repository).
type Image struct {
	// Repository is an image repository without tag; empty for Docker Hub's
	// cockroachdb/cockroach (or the pull-through cache of it).
	Repository string
	// Version is the tag, e.g. "v26.2.0".
	Version string
	// Digest pins the image, "sha256:<64 hex digits>"; empty pins the tag only.
	Digest string
	// RegistrySecretArn is a Secrets Manager secret with registry
	// credentials: with no Repository, Docker Hub credentials for an ECR
	// pull-through cache (the secret's name must start with
	// "ecr-pullthroughcache/"); with a repository outside ECR, the
	// registry's username and password.
	RegistrySecretArn string
}

// Kinds of image source.
const (
	SourceDockerHub        = "docker-hub"
	SourcePullThroughCache = "ecr-pull-through-cache"
	SourceECR              = "ecr"
	SourcePrivateRegistry  = "private-registry"
)

var (
	ecrRepositoryPattern = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([a-z0-9._/-]+)$`)
	repositoryPattern    = regexp.MustCompile(`^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$|^[a-z0-9._-]+(/[a-z0-9._-]+)+$`)
	digestPattern        = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	pullThroughPattern   = regexp.MustCompile(`^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:ecr-pullthroughcache/.+$`)
)

// Source is where the image comes from: one of the Source constants.
func (i Image) Source() string {
	switch {
	case i.Repository == "" && i.RegistrySecretArn != "":
		return SourcePullThroughCache
	case i.Repository == "":
		return SourceDockerHub
	case ecrRepositoryPattern.MatchString(i.Repository):
		return SourceECR
	}
	return SourcePrivateRegistry
}

// Problems lists what is wrong with the image settings of the stack whose
// name prefix is prefix, as (field, value, what is accepted) triples, all at
// once.
func (i Image) Problems(prefix string) [][3]string {
	var out [][3]string
	add := func(field, value, want string) { out = append(out, [3]string{field, value, want}) }
	if i.Repository != "" && !repositoryPattern.MatchString(i.Repository) {
		add("repository", i.Repository, "an image repository without tag, such as 123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/cockroachdb/cockroach")
	}
	if i.Digest != "" && !digestPattern.MatchString(i.Digest) {
		add("digest", i.Digest, "sha256: followed by 64 lowercase hex digits, as `docker buildx imagetools inspect` prints it")
	}
	switch i.Source() {
	case SourcePullThroughCache:
		if !pullThroughPattern.MatchString(i.RegistrySecretArn) {
			add("registry secret", i.RegistrySecretArn, "the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/ (ECR requires it for a pull-through cache of Docker Hub)")
		}
		if p := CacheRepositoryPrefix(prefix); len(p) > MaxCachePrefix {
			add("registry secret", i.RegistrySecretArn, fmt.Sprintf("a mirror repository instead: the cache's repository prefix %q would exceed ECR's %d characters (a shorter stack name fits)", p, MaxCachePrefix))
		}
	case SourceECR:
		if i.RegistrySecretArn != "" {
			add("registry secret", i.RegistrySecretArn, "empty: ECR authenticates with the task execution role")
		}
	}
	return out
}

// MaxCachePrefix is the longest repository prefix ECR takes for a
// pull-through cache rule.
const MaxCachePrefix = 30

// CacheRepositoryPrefix is the ECR repository prefix of the pull-through
// cache of Docker Hub.
func CacheRepositoryPrefix(prefix string) string { return prefix + "-docker-hub" }

// Ref is the image reference a task pulls. registry is the ECR registry
// host ("<account>.dkr.ecr.<region>.amazonaws.com") for a pull-through
// cache, unused otherwise; prefix is the stack's name prefix.
func (i Image) Ref(registry, prefix string) string {
	repo := i.Repository
	switch i.Source() {
	case SourceDockerHub:
		repo = DockerHubRepository
	case SourcePullThroughCache:
		repo = registry + "/" + CacheRepositoryPrefix(prefix) + "/" + DockerHubRepository
	}
	ref := repo + ":" + i.Version
	if i.Digest != "" {
		ref += "@" + i.Digest
	}
	return ref
}

// Describe says, for the plan, where nodes pull from.
func (i Image) Describe(prefix string) string {
	pin := "tag " + i.Version
	if i.Digest != "" {
		pin += ", pinned to " + i.Digest
	}
	switch i.Source() {
	case SourcePullThroughCache:
		return fmt.Sprintf("ECR pull-through cache of Docker Hub (%s/%s), %s", CacheRepositoryPrefix(prefix), DockerHubRepository, pin)
	case SourceECR:
		return fmt.Sprintf("ECR repository %s, %s", i.Repository, pin)
	case SourcePrivateRegistry:
		creds := "no credentials"
		if i.RegistrySecretArn != "" {
			creds = "credentials from " + i.RegistrySecretArn
		}
		return fmt.Sprintf("registry %s (%s), %s", i.Repository, creds, pin)
	}
	return fmt.Sprintf("Docker Hub %s anonymously, %s (10 pulls an hour per NAT address: use ECR for production)", DockerHubRepository, pin)
}

// ecrRepositoryArn is the ARN of an ECR repository URI.
func ecrRepositoryArn(uri string) string {
	m := ecrRepositoryPattern.FindStringSubmatch(uri)
	if m == nil {
		return ""
	}
	return fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", m[2], m[1], strings.TrimSuffix(m[3], "/"))
}
