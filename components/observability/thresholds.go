package observability

import (
	"math"
	"time"

	"edstack/components/api"
	"edstack/components/cockroach"
)

// The thresholds' decisions, each from what the stack runs. Every one is
// documented in the README's "Operating a country".

// NearTimeout is the share of a function's timeout at which its duration
// counts as near the timeout.
const NearTimeout = 0.8

// DurationThresholdMs is the duration, in milliseconds, that counts as near
// a timeout of timeoutSeconds.
func DurationThresholdMs(timeoutSeconds int) float64 {
	return math.Round(NearTimeout * float64(timeoutSeconds) * 1000)
}

// OldestJobThreshold is the age, in seconds, at which the work queue's
// oldest job counts as stuck: one visibility timeout and one more run. SQS
// counts a job that failed a try, and waits out its visibility timeout
// before the next, in the oldest message's age: a lower threshold would
// fire on every retry (worker-errors tells of those). A job older than
// this has failed a try and waited a whole run more, or was never taken.
func OldestJobThreshold(workerTimeout int) int {
	return api.VisibilityTimeout(workerTimeout) + workerTimeout
}

// MaxFill is the share of the cluster's storage that may be used before
// CockroachDB's own rules call it low on disk (ClusterDiskLow: under 20%
// free).
const MaxFill = 0.8

// MinFreePercent is the share of the cluster's storage that must stay free
// for the cluster to survive the loss of a zone: the surviving zones must
// take every replica the lost zone held and still stay under MaxFill, so
// the data may fill at most MaxFill x (zones-1)/zones of today's storage.
// 47% free with three zones. With fewer than 2 zones, the low-disk rule
// alone: 20%.
func MinFreePercent(zones int) float64 {
	if zones < 2 {
		return math.Ceil(100 * (1 - MaxFill))
	}
	return math.Ceil(100 * (1 - MaxFill*float64(zones-1)/float64(zones)))
}

// AlarmStep is the granularity of the long alarms' windows: 5 minutes.
const AlarmStep = 5 * time.Minute

// UnderReplicatedWindow is how long ranges may stay under-replicated
// before the alarm fires: twice the time the cluster takes to heal from a
// lost node (time until the store counts as dead, then re-replication of
// a full store from the other nodes), rounded up to 5 minutes, at least
// 15. Every Spot interruption under-replicates ranges for about the heal
// time; twice that means the cluster is not healing.
func UnderReplicatedWindow(storeGiB, nodes int) time.Duration {
	heal := cockroach.TimeUntilStoreDead + cockroach.ReReplicationTime(storeGiB, nodes-1)
	w := (2*heal + AlarmStep - 1).Truncate(AlarmStep)
	return max(w, 3*AlarmStep)
}

// NodeReplacementWindow is how long a node may be missing (a task
// replaced after a Spot interruption: the new task is placed, pulls the
// image and joins) before the alarm fires.
const NodeReplacementWindow = 10 * time.Minute

// ClockOffsetThresholdMs is CockroachDB's own alert level for clock
// offset (ClockOffsetNearMax): 300 ms. A node stops itself at 80% of the
// 500 ms maximum offset, 400 ms.
const ClockOffsetThresholdMs = 300

// CertificateWarningDays is how long before a certificate expires the
// alarm fires: 30 days. edstack renews the node certificate at the first
// `pulumi up` within 90 days of its expiry, so the alarm means no
// `pulumi up` ran in the two months since.
const CertificateWarningDays = 30

// BackupGap is how long the cluster may go without a successful backup:
// three hours, two missed runs of the hourly schedule.
const BackupGap = 3 * time.Hour

// Request-path thresholds.
const (
	// APIErrorsPer5Min: the API function failing this often in 5 minutes
	// (errors the handler does not answer, timeouts, crashes).
	APIErrorsPer5Min = 10
	// WorkerErrorsPer5Min: job tries failing in 5 minutes.
	WorkerErrorsPer5Min = 5
	// Error5xxPercent is the share of API or CloudFront answers that may be
	// server errors.
	Error5xxPercent = 2
	// MinRequestsForRate is how many requests a 5-minute period needs
	// before its error rate counts: a few errors of a quiet night are not
	// an outage.
	MinRequestsForRate = 50
	// LatencyP95Ms is the API's 95th percentile latency that students
	// notice: 5 s.
	LatencyP95Ms = 5000
	// CPUPercent is the Aurora writer's sustained CPU that leaves no room.
	CPUPercent = 80
	// ReplicaLagMs is how far an Aurora reader may fall behind.
	ReplicaLagMs = 2000
)
