package cockroach

import (
	"fmt"
	"strings"
	"time"
)

// Ports of a node.
const (
	SQLPort  = 26257
	HTTPPort = 8080
)

// SpotNotice is the warning Fargate gives before it reclaims a Spot task; it
// is also the longest stopTimeout a container may have.
const SpotNotice = 120 * time.Second

// Shutdown is how long a draining node waits in each phase. CockroachDB's
// defaults assume a 300 s grace period; on Fargate the whole drain must end
// well within the 120 s Spot notice, or the node is killed mid-drain.
type Shutdown struct {
	InitialWait           time.Duration // unready, so load balancers stop sending new connections
	ConnectionsTimeout    time.Duration // clients close their connections
	TransactionsTimeout   time.Duration // open transactions finish
	LeaseTransferIterTime time.Duration // each round of moving range leases away
}

// DefaultShutdown fits in 75 s: 45 s of margin inside the Spot notice.
var DefaultShutdown = Shutdown{
	InitialWait:           15 * time.Second, // > the NLB health check's 2 x 5 s to mark the node unhealthy
	ConnectionsTimeout:    25 * time.Second,
	TransactionsTimeout:   25 * time.Second,
	LeaseTransferIterTime: 10 * time.Second,
}

// Total is the longest a drain takes.
func (s Shutdown) Total() time.Duration {
	return s.InitialWait + s.ConnectionsTimeout + s.TransactionsTimeout + s.LeaseTransferIterTime
}

// TimeUntilStoreDead is how long the cluster waits for a vanished node before
// re-replicating its ranges: 75 s, CockroachDB's minimum. A Fargate task's
// store never comes back, so waiting longer only leaves ranges
// under-replicated for longer.
const TimeUntilStoreDead = 75 * time.Second

// ReplicationWait is the longest a replacement node waits, before it joins,
// for the cluster to re-replicate the ranges of the node it replaces (see
// wait_for_replication in start.sh): long enough to move a node's share of
// the data, short enough that a stuck cluster still gets its node back.
const ReplicationWait = 15 * time.Minute

// Bootstrap is what node 0 sets up once the cluster is initialized.
type Bootstrap struct {
	ReplicationFactor int
	Database, User    string
	// BackupURI is where the backup schedule writes, e.g.
	// "s3://bucket/cockroach?AUTH=implicit".
	BackupURI string
	Shutdown  Shutdown
}

// SQL is the bootstrap as idempotent statements: safe to run on every start
// of node 0. It holds no secret; the start script sets the password and the
// licence from the values ECS injects.
func (b Bootstrap) SQL() string {
	s := []string{
		fmt.Sprintf("ALTER RANGE default CONFIGURE ZONE USING num_replicas = %d", b.ReplicationFactor),
		fmt.Sprintf("ALTER RANGE system CONFIGURE ZONE USING num_replicas = %d", max(b.ReplicationFactor, 3)),
		fmt.Sprintf("ALTER RANGE meta CONFIGURE ZONE USING num_replicas = %d", max(b.ReplicationFactor, 3)),
		fmt.Sprintf("ALTER RANGE liveness CONFIGURE ZONE USING num_replicas = %d", max(b.ReplicationFactor, 3)),
		fmt.Sprintf("ALTER DATABASE system CONFIGURE ZONE USING num_replicas = %d", max(b.ReplicationFactor, 3)),
		setting("server.time_until_store_dead", TimeUntilStoreDead),
		setting("server.shutdown.initial_wait", b.Shutdown.InitialWait),
		setting("server.shutdown.connections.timeout", b.Shutdown.ConnectionsTimeout),
		setting("server.shutdown.transactions.timeout", b.Shutdown.TransactionsTimeout),
		setting("server.shutdown.lease_transfer_iteration.timeout", b.Shutdown.LeaseTransferIterTime),
		fmt.Sprintf("CREATE DATABASE IF NOT EXISTS %s", b.Database),
		fmt.Sprintf("CREATE USER IF NOT EXISTS %s", b.User),
		fmt.Sprintf("GRANT ALL ON DATABASE %s TO %s", b.Database, b.User),
		fmt.Sprintf("CREATE SCHEDULE IF NOT EXISTS edstack_backup FOR BACKUP INTO '%s' "+
			"RECURRING '@hourly' FULL BACKUP '@daily' WITH SCHEDULE OPTIONS first_run = 'now'", b.BackupURI),
	}
	return strings.Join(s, ";\n") + ";"
}

func setting(name string, d time.Duration) string {
	return fmt.Sprintf("SET CLUSTER SETTING %s = '%s'", name, d)
}
