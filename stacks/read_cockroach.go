package stacks

// Reading the CockroachDB keys, checked with the cluster's own rules.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"edstack/components/cockroach"
)

var secretArnPattern = regexp.MustCompile(`^arn:aws:secretsmanager:([a-z0-9-]+):[0-9]{12}:secret:.+$`)

func (r reader) cockroach(region string, regionOK bool, database, prefix string) CockroachConfig {
	var c CockroachConfig
	nodesOK := false
	c.Decommissioned = r.nodeList(KeyCockroachDecommissioned)
	if v, _ := r.get(KeyCockroachNodes); v == "0" {
		// No cluster at all: only when the application runs on Aurora.
		if database != DatabaseAurora {
			r.ps.add(KeyCockroachNodes, v, "turns CockroachDB off, which only %s: %s allows; use 3 or more nodes", KeyDatabase, DatabaseAurora)
		}
		return c
	}
	c.Nodes, nodesOK = r.integer(KeyCockroachNodes)
	if nodesOK && c.Nodes < cockroach.MinNodes {
		r.refuse(KeyCockroachNodes, strconv.Itoa(c.Nodes), fmt.Sprintf("is too few: a cluster needs at least %d nodes", cockroach.MinNodes))
		nodesOK = false
	}
	if nodesOK {
		if err := cockroach.CheckDecommissioned(c.Nodes, c.Decommissioned); err != nil {
			r.ps.add(KeyCockroachDecommissioned, r.raw(KeyCockroachDecommissioned), "is not usable: %s", err)
		}
	}
	cpu, cpuOK := r.integer(KeyCockroachCPU)
	if cpuOK && !slices.Contains(cockroach.CPUSizes, cpu) {
		r.refuse(KeyCockroachCPU, strconv.Itoa(cpu), "is not a CPU size a node runs on")
		cpuOK = false
	}
	mem, memOK := r.integer(KeyCockroachMemoryMiB)
	if cpuOK && memOK {
		if err := cockroach.CheckFargateSize(cpu, mem); err != nil {
			r.ps.add(KeyCockroachCPU+" / "+KeyCockroachMemoryMiB, fmt.Sprintf("%d / %d", cpu, mem), "%s", err)
		}
	}
	c.CPU, c.MemoryMiB = cpu, mem
	c.StorageGiB, _ = r.integer(KeyCockroachStorageGiB)
	if v, ok := r.declared(KeyCockroachVersion); ok {
		if err := cockroach.CheckVersion(v); err != nil {
			r.ps.add(KeyCockroachVersion, v, "%s", err)
		}
		c.Version = v
	}
	if rf, ok := r.integer(KeyCockroachReplication); ok {
		switch {
		case rf == 0 && nodesOK:
			c.ReplicationFactor = cockroach.DefaultReplicationFactor(c.Nodes)
		case rf != 0 && (rf < 3 || rf%2 == 0):
			r.refuse(KeyCockroachReplication, strconv.Itoa(rf), "is not usable: a replication factor is odd and at least 3, so a majority survives")
		case rf != 0 && nodesOK && rf > c.Nodes:
			r.refuse(KeyCockroachReplication, strconv.Itoa(rf), fmt.Sprintf("is more than the %d nodes of the cluster", c.Nodes))
		default:
			c.ReplicationFactor = rf
		}
	}
	if n, ok := r.integer(KeyCockroachOnDemandNodes); ok {
		if nodesOK && n > c.Nodes {
			r.refuse(KeyCockroachOnDemandNodes, strconv.Itoa(n), fmt.Sprintf("is more than the %d nodes of the cluster", c.Nodes))
		}
		c.OnDemandNodes = n
	}
	if v, ok := r.declared(KeyCockroachLicenseSecretArn); ok && v != "" {
		m := secretArnPattern.FindStringSubmatch(v)
		switch {
		case m == nil:
			r.ps.add(KeyCockroachLicenseSecretArn, v, "is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)")
		case regionOK && m[1] != region:
			r.ps.add(KeyCockroachLicenseSecretArn, v, "is in %s; ECS reads secrets of the stack's region, %s", m[1], region)
		}
		c.LicenseSecretArn = v
	}
	c.Unlicensed = r.boolean(KeyCockroachUnlicensed)
	_, unlicensedErr := strconv.ParseBool(r.raw(KeyCockroachUnlicensed))
	if c.LicenseSecretArn == "" && !c.Unlicensed && unlicensedErr == nil {
		r.ps.add(KeyCockroachLicenseSecretArn, "", "is empty: CockroachDB throttles a cluster without a licence key 7 days after init; give the ARN of the secret holding the key, or set %s: true for a stack that may run unlicensed (development)", KeyCockroachUnlicensed)
	}
	c.BackupRetentionDays, _ = r.integer(KeyCockroachBackupRetention)
	c.Image = cockroach.Image{
		Repository:        r.raw(KeyCockroachImageRepository),
		Version:           c.Version,
		Digest:            r.raw(KeyCockroachImageDigest),
		RegistrySecretArn: r.raw(KeyCockroachRegistrySecret),
	}
	keyOf := map[string]string{"repository": KeyCockroachImageRepository, "digest": KeyCockroachImageDigest, "registry secret": KeyCockroachRegistrySecret}
	for _, p := range c.Image.Problems(prefix) {
		r.ps.add(keyOf[p[0]], p[1], "is not usable; use %s", p[2])
	}
	return c
}

// nodeList reads a JSON list of node indexes, each listed once.
func (r reader) nodeList(key string) []int {
	v := r.raw(key)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var nodes []int
	if err := json.Unmarshal([]byte(v), &nodes); err != nil {
		r.ps.add(key, v, "is not a list of node numbers; use e.g. [9, 10, 11], or [] for none")
		return nil
	}
	seen := map[int]bool{}
	for _, n := range nodes {
		if n < 0 || n >= cockroach.MaxNodes || seen[n] {
			r.ps.add(key, v, "holds %d, which is not a node number or is listed twice; nodes are numbered 0 to %d", n, cockroach.MaxNodes-1)
			return nil
		}
		seen[n] = true
	}
	if len(nodes) == 0 {
		return nil
	}
	return nodes
}
