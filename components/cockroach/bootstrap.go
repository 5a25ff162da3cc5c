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

// TimeUntilStoreDead is how long the cluster waits for a vanished node before
// re-replicating its ranges (CockroachDB's default is 5 minutes, its minimum
// 25 s). A Fargate task's store never comes back, so waiting longer only
// leaves ranges under-replicated for longer; 75 s still covers a cockroach
// process that the start script restarts in place.
const TimeUntilStoreDead = 75 * time.Second

// DeadNodeDecommission is how long a node must have been dead before the
// sweep that every node runs decommissions it: the time until its store is
// declared dead, plus a margin for re-replication to start. A node on
// Fargate never comes back once its task is gone (its store went with it),
// so a node dead this long is gone for good; the sweep never touches a live
// node (see start.sh).
const DeadNodeDecommission = TimeUntilStoreDead + 10*time.Minute

// Bootstrap is the cluster's desired state, which every node's start
// script applies, step by step, once the node is part of an established
// cluster: each step is idempotent and retried on its own, so a failing
// step (say, the backup schedule) never holds back the others (the
// application's password, the licence).
type Bootstrap struct {
	ReplicationFactor int
	Database, User    string
	// BackupURI is the backup collection, e.g.
	// "s3://bucket/cockroach?AUTH=implicit".
	BackupURI string
	Shutdown  Shutdown
}

// SettingsSQL sets the zone configs and cluster settings, one statement a
// line (`cockroach sql -e` gives each its own implicit transaction, as SET
// CLUSTER SETTING needs).
func (b Bootstrap) SettingsSQL() string {
	sys := max(b.ReplicationFactor, 3)
	s := []string{
		fmt.Sprintf("ALTER RANGE default CONFIGURE ZONE USING num_replicas = %d", b.ReplicationFactor),
		fmt.Sprintf("ALTER RANGE system CONFIGURE ZONE USING num_replicas = %d", sys),
		fmt.Sprintf("ALTER RANGE meta CONFIGURE ZONE USING num_replicas = %d", sys),
		fmt.Sprintf("ALTER RANGE liveness CONFIGURE ZONE USING num_replicas = %d", sys),
		fmt.Sprintf("ALTER DATABASE system CONFIGURE ZONE USING num_replicas = %d", sys),
		setting("server.time_until_store_dead", TimeUntilStoreDead.String()),
	}
	for _, kv := range b.Shutdown.Settings() {
		s = append(s, setting(kv[0], kv[1]))
	}
	return lines(s)
}

// SchemaSQL creates the application's database and user, and edstack's own
// bookkeeping: which task last applied the licence and the password (see
// start.sh), so a node that started earlier never overwrites a newer value.
func (b Bootstrap) SchemaSQL() string {
	return lines([]string{
		fmt.Sprintf("CREATE DATABASE IF NOT EXISTS %s", b.Database),
		fmt.Sprintf("CREATE USER IF NOT EXISTS %s", b.User),
		fmt.Sprintf("GRANT ALL ON DATABASE %s TO %s", b.Database, b.User),
		"CREATE DATABASE IF NOT EXISTS edstack",
		"CREATE TABLE IF NOT EXISTS edstack.applied (name STRING PRIMARY KEY, task_started_at TIMESTAMPTZ NOT NULL)",
	})
}

// ScheduleName labels the backup schedule.
const ScheduleName = "edstack_backup"

// ScheduleSQL creates the backup schedule and resumes it if it is paused (a
// restored cluster's schedules come back paused). The schedule is created
// only in an established cluster, never in an empty one, so an empty
// cluster cannot start a chain of empty backups; the schedule's jobs run on
// whichever node the job system picks, not on one node in particular.
func (b Bootstrap) ScheduleSQL() string {
	return lines([]string{
		fmt.Sprintf("CREATE SCHEDULE IF NOT EXISTS %s FOR BACKUP INTO '%s' "+
			"RECURRING '@hourly' FULL BACKUP '@daily' WITH SCHEDULE OPTIONS first_run = 'now'", ScheduleName, b.BackupURI),
		fmt.Sprintf("RESUME SCHEDULES SELECT id FROM [SHOW SCHEDULES] WHERE label = '%s' AND schedule_status = 'PAUSED'", ScheduleName),
	})
}

func setting(name, value string) string {
	return fmt.Sprintf("SET CLUSTER SETTING %s = '%s'", name, value)
}

func lines(statements []string) string { return strings.Join(statements, ";\n") + ";" }
