package cockroach

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
	assert.Equal(t, "node-0.crdb.nz.internal:26257,node-1.crdb.nz.internal:26257,node-2.crdb.nz.internal:26257",
		JoinList(12, "crdb.nz.internal"))
	assert.Equal(t, "node-0.ns:26257,node-1.ns:26257,node-2.ns:26257", JoinList(3, "ns"))
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
	total := DefaultShutdown.Total()
	assert.Equal(t, 75*time.Second, total)
	assert.LessOrEqual(t, total, SpotNotice*3/4, "the drain ends well inside the 120 s notice")
	assert.Less(t, time.Duration(DeregistrationDelay)*time.Second, SpotNotice/2)
	assert.GreaterOrEqual(t, TimeUntilStoreDead, 75*time.Second, "CockroachDB's minimum")
}

func TestBootstrapSQL(t *testing.T) {
	sql := Bootstrap{ReplicationFactor: 5, Database: "app", User: "app",
		BackupURI: "s3://b/cockroach?AUTH=implicit", Shutdown: DefaultShutdown}.SQL()
	for _, want := range []string{
		"ALTER RANGE default CONFIGURE ZONE USING num_replicas = 5;",
		"ALTER RANGE system CONFIGURE ZONE USING num_replicas = 5;",
		"ALTER RANGE liveness CONFIGURE ZONE USING num_replicas = 5;",
		"SET CLUSTER SETTING server.time_until_store_dead = '1m15s';",
		"SET CLUSTER SETTING server.shutdown.initial_wait = '15s';",
		"SET CLUSTER SETTING server.shutdown.connections.timeout = '25s';",
		"SET CLUSTER SETTING server.shutdown.transactions.timeout = '25s';",
		"SET CLUSTER SETTING server.shutdown.lease_transfer_iteration.timeout = '10s';",
		"CREATE DATABASE IF NOT EXISTS app;",
		"CREATE USER IF NOT EXISTS app;",
		"GRANT ALL ON DATABASE app TO app;",
		"CREATE SCHEDULE IF NOT EXISTS edstack_backup FOR BACKUP INTO 's3://b/cockroach?AUTH=implicit' RECURRING '@hourly' FULL BACKUP '@daily'",
	} {
		assert.Contains(t, sql, want)
	}
	assert.NotContains(t, sql, "PASSWORD", "the bootstrap holds no secret")
}

func TestNodeSANs(t *testing.T) {
	assert.Equal(t, []string{"node-0.ns", "node-1.ns", "node-2.ns", "*.ns", "localhost"}, NodeSANs(3, "ns"))
}

func TestConnection(t *testing.T) {
	c := Connection("app", "pw", "nlb.example", "app", "CA")
	assert.Equal(t, "postgresql://app:pw@nlb.example:26257/app?sslmode=verify-full", c["url"])
	assert.Equal(t, "CA", c["ca"])
}
