// Package api builds a country's application tier: an HTTP API whose Lambda
// answers GraphQL and /api/* within API Gateway's 30 s limit, and an SQS work
// queue, with a dead-letter queue, that an asynchronous Lambda works through
// for up to 15 minutes a job. Both functions run in the private subnets with
// the database's application security group.
package api

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/logs"
	"edstack/components/tags"
)

// Limits that AWS sets.
const (
	// MaxSyncTimeout is API Gateway's integration timeout, which HTTP APIs
	// cannot raise: a function behind it gains nothing from more.
	MaxSyncTimeout = 30
	// MaxWorkerTimeout is Lambda's longest timeout.
	MaxWorkerTimeout = 900
	// VisibilityFactor is what AWS advises between a queue's visibility
	// timeout and its consumer's timeout, so a slow job is not handed to a
	// second worker while the first still runs.
	VisibilityFactor = 6
	// DLQRetentionSeconds keeps failed jobs for 14 days, SQS's maximum.
	DLQRetentionSeconds = 14 * 24 * 3600
	// DefaultQueueRetentionSeconds is how long the work queue keeps a job
	// that no worker finishes: SQS's default of 4 days, unless the tries
	// need longer (QueueRetention).
	DefaultQueueRetentionSeconds = 4 * 24 * 3600
	// MaxQueueRetentionSeconds keeps the work queue's retention a day short
	// of the dead-letter queue's: SQS counts a message's age in both from
	// its first enqueue, so the DLQ must keep it longer.
	MaxQueueRetentionSeconds = DLQRetentionSeconds - 24*3600
)

// QueueRetention is the work queue's retention: long enough that a job
// failing every try (maxReceiveCount tries, one visibility timeout apart)
// reaches the dead-letter queue before it expires, and at least the
// default. An error says when no retention SQS allows is long enough.
func QueueRetention(maxReceiveCount, workerTimeout int) (int, error) {
	need := (maxReceiveCount + 1) * VisibilityTimeout(workerTimeout)
	if need > MaxQueueRetentionSeconds {
		most := MaxTries(workerTimeout)
		return 0, fmt.Errorf("%d tries, %d s apart (%d x the %d s worker timeout), take %.1f days, but the work queue can keep a job at most %d days "+
			"(a day less than its dead-letter queue); with this worker timeout, use at most %d tries",
			maxReceiveCount, VisibilityTimeout(workerTimeout), VisibilityFactor, workerTimeout,
			float64(need)/86400, MaxQueueRetentionSeconds/86400, most)
	}
	return max(need, DefaultQueueRetentionSeconds), nil
}

// MaxTries is the most tries a job can get with a worker timeout before the
// work queue's longest retention runs out (QueueRetention).
func MaxTries(workerTimeout int) int {
	return MaxQueueRetentionSeconds/VisibilityTimeout(workerTimeout) - 1
}

// Runtime of both functions: nodejs20.x is deprecated for new functions.
const Runtime = "nodejs22.x"

// Args configure an Api.
type Args struct {
	Prefix  string // e.g. "nz"
	Region  string
	Country string // ISO code, passed to the handlers

	// Where the functions run: the private subnets and the group that may
	// reach the database.
	SubnetIDs       pulumi.StringArrayInput
	SecurityGroupID pulumi.StringInput

	// Databases the functions use, the primary first and, while a
	// migration mirrors writes, the shadow second. The functions get the
	// ARNs of their connection secrets, never the values.
	Databases []Database
	// UserContentBucket is the bucket the API reads and writes.
	UserContentBucketName pulumi.StringInput
	UserContentBucketArn  pulumi.StringInput

	// SyncTimeout of the API function in seconds, at most 30. Default 30.
	SyncTimeout int
	// SyncMemoryMB of the API function. Default 1024.
	SyncMemoryMB int
	// WorkerTimeout in seconds, at most 900. Default 900.
	WorkerTimeout int
	// WorkerMemoryMB of the worker. Default 1024.
	WorkerMemoryMB int
	// WorkerBatchSize is how many messages one invocation takes, 1-10.
	// Default 10.
	WorkerBatchSize int
	// WorkerMaxConcurrency caps the workers the queue runs at once, 2-1000,
	// which protects the database from a burst of jobs. Default 10.
	WorkerMaxConcurrency int
	// MaxReceiveCount is how often a job is tried before it goes to the
	// dead-letter queue. Default 5.
	MaxReceiveCount int
	// SyncReservedConcurrency is the API function's reserved concurrency:
	// the most instances (and so database connections) it runs at once.
	// Default DefaultSyncReservedConcurrency.
	SyncReservedConcurrency int
	// ThrottleRate and ThrottleBurst limit the API's default route.
	// Defaults 1000 requests/s and a burst of 500.
	ThrottleRate, ThrottleBurst int

	// Root is the project folder (where Pulumi.yaml is), which bundle paths
	// are relative to. Default ".": `pulumi up` runs the program there.
	Root string
	// APIBundle and WorkerBundle are a team's own built code: a .zip file or
	// a folder. Empty uses edstack's default handlers.
	APIBundle, WorkerBundle string

	LogRetentionDays int
	// KMSKeyArn is the country's customer managed key: it encrypts the
	// queues, the log groups and the functions' environments, and the
	// functions may use it (the API also to send to the queue and to put
	// user content in its bucket). nil: AWS managed keys.
	KMSKeyArn pulumi.StringInput
	Tags      tags.Set
}

// Database is one database the functions use.
type Database struct {
	// Engine names it for the handlers: "cockroach" or "aurora".
	Engine string
	// SecretArn holds its connection details.
	SecretArn pulumi.StringInput
	// ReadableSecretArns are further secrets the connection refers to (the
	// Aurora master secret that RDS manages), which the functions may read.
	ReadableSecretArns []pulumi.StringInput
}

// DatabaseEnv is the functions' environment for their databases:
// DB_ENGINE and DB_SECRET_ARN for the primary, DB_SHADOW_ENGINE and
// DB_SHADOW_SECRET_ARN for a mirror's shadow.
func DatabaseEnv(dbs []Database) pulumi.StringMap {
	env := pulumi.StringMap{}
	for i, db := range dbs {
		prefix := "DB_"
		if i > 0 {
			prefix = "DB_SHADOW_"
		}
		env[prefix+"ENGINE"] = pulumi.String(db.Engine)
		env[prefix+"SECRET_ARN"] = db.SecretArn
	}
	return env
}

// secretArns are every secret the functions may read.
func (a Args) secretArns() []pulumi.StringInput {
	var out []pulumi.StringInput
	for _, db := range a.Databases {
		out = append(out, db.SecretArn)
		out = append(out, db.ReadableSecretArns...)
	}
	return out
}

func (a *Args) withDefaults() {
	if a.Root == "" {
		a.Root = "."
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&a.SyncTimeout, MaxSyncTimeout)
	def(&a.SyncMemoryMB, DefaultMemoryMB)
	def(&a.WorkerTimeout, MaxWorkerTimeout)
	def(&a.WorkerMemoryMB, DefaultMemoryMB)
	def(&a.WorkerBatchSize, DefaultWorkerBatchSize)
	def(&a.WorkerMaxConcurrency, DefaultWorkerMaxConcurrency)
	def(&a.MaxReceiveCount, DefaultMaxReceiveCount)
	def(&a.ThrottleRate, DefaultThrottleRate)
	def(&a.SyncReservedConcurrency, DefaultSyncReservedConcurrency)
	def(&a.ThrottleBurst, DefaultThrottleBurst)
	def(&a.LogRetentionDays, logs.DefaultRetentionDays)
}

// Defaults owned by the API component (the timeouts default to their
// maximums, MaxSyncTimeout and MaxWorkerTimeout).
const (
	DefaultMemoryMB             = 1024
	DefaultWorkerBatchSize      = 10
	DefaultWorkerMaxConcurrency = 10
	DefaultMaxReceiveCount      = 5
	DefaultThrottleRate         = 1000
	DefaultThrottleBurst        = 500
	// DefaultSyncReservedConcurrency leaves 890 of a default account's
	// 1,000 concurrent executions to everything else (AWS keeps 100
	// unreserved).
	DefaultSyncReservedConcurrency = 100
)

// Validate checks the arguments against the limits of AWS.
func (a Args) Validate() error {
	switch {
	case len(a.Databases) < 1 || len(a.Databases) > 2:
		return fmt.Errorf("api: %d databases: give the primary, and a shadow while mirroring", len(a.Databases))
	case a.SyncTimeout < 1 || a.SyncTimeout > MaxSyncTimeout:
		return fmt.Errorf("api: sync timeout %d s: API Gateway gives a function at most %d s; use 1 to %d", a.SyncTimeout, MaxSyncTimeout, MaxSyncTimeout)
	case a.WorkerTimeout < 1 || a.WorkerTimeout > MaxWorkerTimeout:
		return fmt.Errorf("api: worker timeout %d s: Lambda runs at most %d s; use 1 to %d", a.WorkerTimeout, MaxWorkerTimeout, MaxWorkerTimeout)
	case !validMemory(a.SyncMemoryMB) || !validMemory(a.WorkerMemoryMB):
		return fmt.Errorf("api: memory %d / %d MB: Lambda takes %d to %d", a.SyncMemoryMB, a.WorkerMemoryMB, MinMemoryMB, MaxMemoryMB)
	case a.WorkerBatchSize < 1 || a.WorkerBatchSize > MaxBatchSize:
		return fmt.Errorf("api: batch size %d: use 1 to %d", a.WorkerBatchSize, MaxBatchSize)
	case a.WorkerMaxConcurrency < MinMaxConcurrency || a.WorkerMaxConcurrency > MaxMaxConcurrency:
		return fmt.Errorf("api: maximum concurrency %d: SQS event sources take %d to %d", a.WorkerMaxConcurrency, MinMaxConcurrency, MaxMaxConcurrency)
	case a.MaxReceiveCount < 1 || a.MaxReceiveCount > MaxReceiveCountLimit:
		return fmt.Errorf("api: max receive count %d: use 1 to %d", a.MaxReceiveCount, MaxReceiveCountLimit)
	case a.SyncReservedConcurrency < 1 || a.SyncReservedConcurrency > MaxReservedConcurrency:
		return fmt.Errorf("api: reserved concurrency %d: use 1 to %d", a.SyncReservedConcurrency, MaxReservedConcurrency)
	case a.ThrottleRate < 1 || a.ThrottleRate > MaxThrottleRate || a.ThrottleBurst < 1 || a.ThrottleBurst > MaxThrottleBurst:
		return fmt.Errorf("api: throttle %d/s, burst %d: use 1 to %d and 1 to %d, the account's default limits", a.ThrottleRate, a.ThrottleBurst, MaxThrottleRate, MaxThrottleBurst)
	}
	if _, err := QueueRetention(a.MaxReceiveCount, a.WorkerTimeout); err != nil {
		return fmt.Errorf("api: %w", err)
	}
	return nil
}

func validMemory(mb int) bool { return mb >= MinMemoryMB && mb <= MaxMemoryMB }

// VisibilityTimeout is the work queue's visibility timeout for a worker
// timeout, in seconds.
func VisibilityTimeout(workerTimeout int) int { return VisibilityFactor * workerTimeout }
