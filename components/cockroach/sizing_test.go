package cockroach

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckFargateSize(t *testing.T) {
	tests := []struct {
		cpu, mem int
		want     string // "" when valid
	}{
		{4096, 24576, ""},
		{4096, 8192, ""},
		{4096, 30720, ""},
		{8192, 16384, ""},
		{8192, 61440, ""},
		{16384, 122880, ""},
		{4096, 31744, "8192 to 30720 in steps of 1024"},
		{4096, 4096, "8192 to 30720"},
		{8192, 17408, "in steps of 4096"},
		{16384, 36864, "in steps of 8192"},
		{3000, 8192, "not a Fargate size"},
		{2048, 8192, "below CockroachDB's minimum"},
		{1024, 2048, "below CockroachDB's minimum"},
	}
	for _, tt := range tests {
		err := CheckFargateSize(tt.cpu, tt.mem)
		if tt.want == "" {
			assert.NoError(t, err, "%d/%d", tt.cpu, tt.mem)
		} else {
			assert.ErrorContains(t, err, tt.want, "%d/%d", tt.cpu, tt.mem)
		}
	}
}

func TestMemoryFlags(t *testing.T) {
	assert.Equal(t, []string{"--cache=.25", "--max-sql-memory=.25"}, MemoryFlags())
	assert.LessOrEqual(t, MemoryBudget(), 0.8, "2 x max-sql-memory + cache must stay within 80%")
}

func TestJoinList(t *testing.T) {
	assert.Equal(t, "node-0.crdb.nz.internal:26257,node-1.crdb.nz.internal:26257,node-2.crdb.nz.internal:26257,lb.example:26257",
		JoinList(12, "crdb.nz.internal", "lb.example"))
	assert.Equal(t, JoinList(3, "ns", "lb"), JoinList(30, "ns", "lb"), "the node count never changes --join")
}

func TestNodeZones(t *testing.T) {
	assert.Equal(t, []int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, NodeZones(12, 3))
	assert.Equal(t, []int{4, 4, 4}, NewTopology(12, 3, 5).PerZone)
	assert.Equal(t, []int{2, 2, 1}, NewTopology(5, 3, 5).PerZone)
}

func TestOnDemand(t *testing.T) {
	var picked []int
	for i := 0; i < 12; i++ {
		if OnDemand(i, 12, 3) {
			picked = append(picked, i)
		}
	}
	assert.Equal(t, []int{9, 10, 11}, picked, "one per zone")
	assert.False(t, OnDemand(11, 12, 0))
}

func TestSurvivableLosses(t *testing.T) {
	tests := []struct {
		nodes, rf int
		losses    int
		zone      bool
	}{
		{12, 5, 2, true},
		{12, 3, 1, true},
		{3, 3, 1, true},
		{9, 7, 3, true},
		{5, 5, 2, false}, // 2/2/1: uneven
		{4, 3, 1, false}, // 2/1/1: uneven
	}
	for _, tt := range tests {
		top := NewTopology(tt.nodes, 3, tt.rf)
		assert.Equal(t, tt.losses, top.SurvivableNodeLosses(), "%d nodes rf %d", tt.nodes, tt.rf)
		assert.Equal(t, tt.zone, top.SurvivesZoneLoss(), "%d nodes rf %d", tt.nodes, tt.rf)
	}
	assert.False(t, NewTopology(6, 2, 5).SurvivesZoneLoss(), "two zones never survive one's loss")
	assert.Equal(t, 5, DefaultReplicationFactor(12))
	assert.Equal(t, 3, DefaultReplicationFactor(4))
}

func TestShutdownFitsTheSpotNotice(t *testing.T) {
	d := DefaultShutdown
	require.NoError(t, d.Validate(ReadinessCheck, SpotNotice))
	// 15 + 15 + 2 x 10 (SQL, then distributed SQL) + 5 (jobs) = 55 s bounded.
	assert.Equal(t, 55*time.Second, d.Bounded())
	assert.Equal(t, 45*time.Second, d.LeaseTransferBudget())
	assert.Equal(t, 100*time.Second, d.Total())
	assert.LessOrEqual(t, d.Total()+StopMargin, SpotNotice)
	assert.Greater(t, d.InitialWait, ReadinessCheck.TimeToUnhealthy(), "unready long enough for the load balancer to notice")
	assert.Less(t, time.Duration(DeregistrationDelay)*time.Second, SpotNotice/2)

	for _, tt := range []struct {
		change func(*Shutdown)
		want   string
	}{
		{func(s *Shutdown) { s.InitialWait = 10 * time.Second }, "must exceed the 13s"},
		{func(s *Shutdown) { s.TransactionsTimeout = 30 * time.Second }, "left for lease transfers"},
		{func(s *Shutdown) { s.HardStop = 110 * time.Second }, "leaves less than 15s"},
	} {
		s := DefaultShutdown
		tt.change(&s)
		assert.ErrorContains(t, s.Validate(ReadinessCheck, SpotNotice), tt.want)
	}
}

func TestReadinessCheck(t *testing.T) {
	require.NoError(t, ReadinessCheck.Validate())
	assert.Less(t, ReadinessCheck.Timeout, ReadinessCheck.Interval, "AWS refuses a timeout that is not below the interval")
	assert.Equal(t, 13*time.Second, ReadinessCheck.TimeToUnhealthy())
	bad := ReadinessCheck
	bad.Timeout = 10 * time.Second // the HTTPS default that AWS refused
	assert.ErrorContains(t, bad.Validate(), "must be below its interval")
}

func TestBootstrapSQL(t *testing.T) {
	b := Bootstrap{ReplicationFactor: 5, Database: "app", User: "app",
		BackupURI: "s3://b/cockroach?AUTH=implicit", Shutdown: DefaultShutdown}
	sql := b.SettingsSQL() + b.SchemaSQL() + b.ScheduleSQL()
	for _, want := range []string{
		"ALTER RANGE default CONFIGURE ZONE USING num_replicas = 5;",
		"ALTER RANGE system CONFIGURE ZONE USING num_replicas = 5;",
		"ALTER RANGE liveness CONFIGURE ZONE USING num_replicas = 5;",
		"SET CLUSTER SETTING server.time_until_store_dead = '1m15s';",
		"SET CLUSTER SETTING server.shutdown.initial_wait = '15s';",
		"SET CLUSTER SETTING server.shutdown.connections.timeout = '15s';",
		"SET CLUSTER SETTING server.shutdown.transactions.timeout = '10s';",
		"SET CLUSTER SETTING server.shutdown.jobs.timeout = '5s';",
		"SET CLUSTER SETTING server.shutdown.lease_transfer_iteration.timeout = '5s';",
		"CREATE DATABASE IF NOT EXISTS app;",
		"CREATE USER IF NOT EXISTS app;",
		"GRANT ALL ON DATABASE app TO app;",
		"CREATE SCHEDULE IF NOT EXISTS edstack_backup FOR BACKUP INTO 's3://b/cockroach?AUTH=implicit' RECURRING '@hourly' FULL BACKUP '@daily'",
		"RESUME SCHEDULES SELECT id FROM [SHOW SCHEDULES] WHERE label = 'edstack_backup' AND schedule_status = 'PAUSED'",
	} {
		assert.Contains(t, sql, want)
	}
	assert.NotContains(t, sql, "PASSWORD", "the bootstrap holds no secret")
	assert.NotContains(t, b.SettingsSQL()+b.SchemaSQL(), "SCHEDULE", "the schedule is a step of its own")
}

func TestNodeSANs(t *testing.T) {
	assert.Equal(t, []string{"*.ns", "localhost"}, NodeSANs("ns"), "independent of the node count")
}

func TestCheckScale(t *testing.T) {
	assert.NoError(t, CheckScale(0, 12, nil), "a new stack")
	assert.NoError(t, CheckScale(12, 15, nil), "scaling up")
	assert.NoError(t, CheckScale(12, 12, nil))
	assert.NoError(t, CheckScale(12, 9, []int{9, 10, 11}), "decommissioned first")
	err := CheckScale(12, 9, nil)
	assert.ErrorContains(t, err, "going from 12 to 9 nodes deletes nodes 9, 10, 11 and their stores; decommission them first")
	assert.ErrorContains(t, err, "list them as decommissioned: [9, 10, 11]")
	assert.ErrorContains(t, CheckScale(12, 9, []int{10, 11}), "deletes node 9 ")
	off := CheckScale(12, 0, nil)
	assert.ErrorContains(t, off, "going from 12 to 0 nodes deletes the whole cluster")
	assert.ErrorContains(t, off, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]")
	assert.NoError(t, CheckScale(12, 0, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), "turning off, confirmed")
	assert.ErrorContains(t, CheckScale(12, 12, []int{3}), "node 3 is listed as decommissioned but the cluster keeps 12 nodes")
	assert.NoError(t, CheckScale(9, 9, []int{9, 10, 11}), "the list may stay after the scale-down landed")
	assert.ErrorContains(t, CheckScale(9, 12, []int{9, 10, 11}), "node 9, 10, 11 is listed", "a node brought back must leave the list")
}

func TestDeployedNodes(t *testing.T) {
	assert.Equal(t, 0, DeployedNodes("nz", nil), "a stack never deployed")
	var services []string
	for i := range 13 {
		services = append(services, ServiceName("nz", i))
	}
	assert.Equal(t, 13, DeployedNodes("nz", services), "a scale-up to 15 that failed after node 12 left 13 nodes holding data")
	assert.Equal(t, 0, DeployedNodes("nz", []string{"nz-dev-crdb-node-4", "nz-crdb-node-x", "nz-crdb-node-07", "au-crdb-node-3"}),
		"other stacks' and malformed names are not nodes")
	i, ok := ServiceNode("nz-dev", "nz-dev-crdb-node-11")
	assert.True(t, ok)
	assert.Equal(t, 11, i)
}

func TestImage(t *testing.T) {
	hub := Image{Version: "v26.2.0"}
	assert.Equal(t, SourceDockerHub, hub.Source())
	assert.Equal(t, "cockroachdb/cockroach:v26.2.0", hub.Ref("", "nz"))
	assert.Contains(t, hub.Describe("nz"), "10 pulls an hour")

	digest := "sha256:" + strings.Repeat("ab", 32)
	cache := Image{Version: "v26.2.0", Digest: digest, RegistrySecretArn: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"}
	assert.Equal(t, SourcePullThroughCache, cache.Source())
	assert.Empty(t, cache.Problems("nz"))
	assert.Equal(t, "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/nz-docker-hub/cockroachdb/cockroach:v26.2.0@"+digest,
		cache.Ref("123456789012.dkr.ecr.ap-southeast-2.amazonaws.com", "nz"))

	mirror := Image{Version: "v26.2.0", Repository: "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/cockroachdb/cockroach"}
	assert.Equal(t, SourceECR, mirror.Source())
	assert.Equal(t, "arn:aws:ecr:ap-southeast-2:123456789012:repository/cockroachdb/cockroach", ecrRepositoryArn(mirror.Repository))

	bad := Image{Version: "v26.2.0", Digest: "latest", RegistrySecretArn: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:dockerhub"}
	fields := []string{}
	for _, p := range bad.Problems("nz") {
		fields = append(fields, p[0])
	}
	assert.Equal(t, []string{"digest", "registry secret"}, fields, "every problem at once")
	long := cache.Problems("nz-a-very-long-stack-name")
	require.Len(t, long, 1)
	assert.Contains(t, long[0][2], "would exceed ECR's 30 characters")
}

func TestConnection(t *testing.T) {
	c := Connection("app", "pw", "nlb.example", "app", "CA")
	assert.Equal(t, "postgresql://app:pw@nlb.example:26257/app?sslmode=verify-full", c["url"])
	assert.Equal(t, "CA", c["ca"])
}

func TestReReplicationTime(t *testing.T) {
	// 200 GiB from 11 survivors at 32 MiB/s each: 204800 / 352 s.
	assert.Equal(t, 581, int(ReReplicationTime(200, 11).Seconds()))
	assert.Equal(t, 6400, int(ReReplicationTime(200, 1).Seconds()), "one sender: the slow case")
}
