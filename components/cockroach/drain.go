package cockroach

import (
	"fmt"
	"time"
)

// SpotNotice is the warning Fargate gives before it reclaims a Spot task; it
// is also the longest stopTimeout a container may have.
const SpotNotice = 120 * time.Second

// Shutdown is how a node drains on SIGTERM. CockroachDB's defaults assume a
// 300 s grace period; on Fargate the whole drain must end inside the 120 s
// Spot notice, or the node is killed mid-drain.
//
// CockroachDB drains in phases (pkg/server/drain.go): it turns unready and
// waits InitialWait so load balancers stop sending new connections; waits
// up to ConnectionsTimeout for clients to close; waits up to
// TransactionsTimeout for open transactions and then again, with the same
// setting, for distributed SQL flows; waits up to JobsTimeout for jobs to
// stop; and then moves its range leases away, LeaseTransferIterTime per
// round, round after round until none is left. That last phase has no bound
// of its own: the start script bounds it by sending a second SIGTERM, which
// makes cockroach stop at once, HardStop after the first.
type Shutdown struct {
	InitialWait           time.Duration // server.shutdown.initial_wait
	ConnectionsTimeout    time.Duration // server.shutdown.connections.timeout
	TransactionsTimeout   time.Duration // server.shutdown.transactions.timeout, applied twice
	JobsTimeout           time.Duration // server.shutdown.jobs.timeout
	LeaseTransferIterTime time.Duration // server.shutdown.lease_transfer_iteration.timeout
	// HardStop is when the start script stops a drain that is still moving
	// leases, counted from the first SIGTERM.
	HardStop time.Duration
}

// DefaultShutdown drains in at most 100 s: 20 s of margin inside the Spot
// notice for cockroach to exit and its last logs to leave.
var DefaultShutdown = Shutdown{
	InitialWait:           15 * time.Second, // > ReadinessCheck.TimeToUnhealthy() (13 s)
	ConnectionsTimeout:    15 * time.Second,
	TransactionsTimeout:   10 * time.Second,
	JobsTimeout:           5 * time.Second,
	LeaseTransferIterTime: 5 * time.Second,
	HardStop:              100 * time.Second,
}

// StopMargin is the least time a drain leaves between its hard stop and the
// end of the Spot notice.
const StopMargin = 15 * time.Second

// Bounded is the time of the phases that each have a timeout: the initial
// wait, connections, transactions twice (SQL, then distributed SQL) and jobs.
func (s Shutdown) Bounded() time.Duration {
	return s.InitialWait + s.ConnectionsTimeout + 2*s.TransactionsTimeout + s.JobsTimeout
}

// LeaseTransferBudget is what is left for moving leases before the hard stop.
func (s Shutdown) LeaseTransferBudget() time.Duration { return s.HardStop - s.Bounded() }

// Total is the longest a drain takes: until the hard stop.
func (s Shutdown) Total() time.Duration { return s.HardStop }

// Validate checks that the drain adds up: the load balancer has taken the
// node out before it stops accepting connections, the lease transfer gets
// at least two rounds, and the whole drain ends with StopMargin to spare
// inside the notice.
func (s Shutdown) Validate(check HealthCheck, notice time.Duration) error {
	switch {
	case s.InitialWait <= check.TimeToUnhealthy():
		return fmt.Errorf("drain: initial wait %s must exceed the %s the load balancer needs to see the node unready", s.InitialWait, check.TimeToUnhealthy())
	case s.LeaseTransferBudget() < 2*s.LeaseTransferIterTime:
		return fmt.Errorf("drain: %s left for lease transfers after %s of bounded phases; need at least two rounds of %s", s.LeaseTransferBudget(), s.Bounded(), s.LeaseTransferIterTime)
	case s.HardStop+StopMargin > notice:
		return fmt.Errorf("drain: hard stop at %s leaves less than %s of the %s notice", s.HardStop, StopMargin, notice)
	}
	return nil
}

// Settings are the drain's cluster settings, name to value.
func (s Shutdown) Settings() [][2]string {
	return [][2]string{
		{"server.shutdown.initial_wait", s.InitialWait.String()},
		{"server.shutdown.connections.timeout", s.ConnectionsTimeout.String()},
		{"server.shutdown.transactions.timeout", s.TransactionsTimeout.String()},
		{"server.shutdown.jobs.timeout", s.JobsTimeout.String()},
		{"server.shutdown.lease_transfer_iteration.timeout", s.LeaseTransferIterTime.String()},
	}
}
