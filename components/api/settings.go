package api

import (
	"fmt"

	"edstack/components/setting"
)

// The config keys the application tier owns.
const (
	KeyAPITimeout             = "edstack:apiTimeoutSeconds"
	KeyAPIMemory              = "edstack:apiMemoryMB"
	KeyAPIThrottleRate        = "edstack:apiThrottleRate"
	KeyAPIThrottleBurst       = "edstack:apiThrottleBurst"
	KeyAPIBundle              = "edstack:apiBundle"
	KeyWorkerTimeout          = "edstack:workerTimeoutSeconds"
	KeyWorkerMemory           = "edstack:workerMemoryMB"
	KeyWorkerBatchSize        = "edstack:workerBatchSize"
	KeyWorkerMaxConcurrency   = "edstack:workerMaxConcurrency"
	KeyWorkerBundle           = "edstack:workerBundle"
	KeyJobMaxReceiveCount     = "edstack:jobMaxReceiveCount"
	KeyAPIReservedConcurrency = "edstack:apiReservedConcurrency"
)

// Limits that AWS sets on the settings.
const (
	// MinMemoryMB and MaxMemoryMB are Lambda's memory limits.
	MinMemoryMB = 128
	MaxMemoryMB = 10240
	// MaxBatchSize is what an SQS event source takes without a batching
	// window, which the worker does not use.
	MaxBatchSize = 10
	// MinMaxConcurrency and MaxMaxConcurrency bound an SQS event source's
	// maximum concurrency.
	MinMaxConcurrency = 2
	MaxMaxConcurrency = 1000
	// MaxReceiveCountLimit is the most a redrive policy allows.
	MaxReceiveCountLimit = 1000
	// MaxThrottleRate and MaxThrottleBurst are an account's default API
	// Gateway limits in a region; a stage cannot throttle above them.
	MaxThrottleRate  = 10000
	MaxThrottleBurst = 5000
	// MaxReservedConcurrency is what a function may reserve in an account
	// at the default 1,000 concurrent executions, which keeps 100 unreserved
	// and leaves room for the worker's.
	MaxReservedConcurrency = 10000
)

func bundleSetting(key, function string) setting.Setting {
	return setting.Setting{
		Key: key, Type: setting.String, Default: "", DefaultNote: "edstack's default handler",
		Accepts: "a `.zip` file or a folder inside the project folder whose top level holds `index.js`, `index.mjs` or `index.cjs` exporting `handler`, or empty",
		Summary: fmt.Sprintf("Your built %s: a .zip file or a folder, relative to the project folder; empty uses edstack's default handler.", function),
		Doc: fmt.Sprintf("Your built %s. A relative path is relative to the project folder (the plan's `--dir`). Checked before anything is created (see \"Shipping your own handlers\").",
			function),
	}
}

// Settings are the application tier's config keys.
var Settings = []setting.Setting{
	{
		Key: KeyAPITimeout, Type: setting.Integer, Default: MaxSyncTimeout, Min: 1, Max: MaxSyncTimeout, What: "a timeout API Gateway allows (HTTP APIs give a function at most 30 s)",
		Summary: "Timeout of the GraphQL/API function in seconds; the HTTP API waits at most 30 s for it.",
		Doc:     "Timeout of the GraphQL/API function in seconds, also the HTTP API integration's: the HTTP API waits at most 30 s.",
	},
	{
		Key: KeyAPIMemory, Type: setting.Integer, Default: DefaultMemoryMB, Min: MinMemoryMB, Max: MaxMemoryMB, What: "a Lambda memory size in MB",
		Summary: "Memory of the GraphQL/API function in MB.",
		Doc:     "Memory of the GraphQL/API function in MB (CPU grows with it).",
	},
	{
		Key: KeyAPIThrottleRate, Type: setting.Integer, Default: DefaultThrottleRate, Min: 1, Max: MaxThrottleRate, What: "a rate in requests per second (the account's default limit is 10,000)",
		Summary: "Steady requests per second the HTTP API's default route accepts.",
		Doc:     "Steady requests per second the HTTP API accepts (the account's default limit is 10,000).",
	},
	{
		Key: KeyAPIThrottleBurst, Type: setting.Integer, Default: DefaultThrottleBurst, Min: 1, Max: MaxThrottleBurst, What: "a burst (the account's default limit is 5,000)",
		Summary: "Burst of requests the HTTP API's default route accepts.",
		Doc:     "Burst of requests the HTTP API accepts above the rate.",
	},
	{
		Key: KeyAPIReservedConcurrency, Type: setting.Integer, Default: DefaultSyncReservedConcurrency, Min: 1, Max: MaxReservedConcurrency,
		What:    "a reserved concurrency (the account's limit less 100 less the worker's)",
		Summary: "Most GraphQL/API function instances at once: the API's database connection budget.",
		Doc: "Most GraphQL/API function instances running at once, reserved for it: the API's database connection budget. " +
			"AWS keeps 100 of the account's concurrency unreserved, so an account still at a new account's low limit (10) refuses any reservation: raise the limit first. The worker reserves `workerMaxConcurrency`.",
	},
	bundleSetting(KeyAPIBundle, "GraphQL/API function"),
	{
		Key: KeyWorkerTimeout, Type: setting.Integer, Default: MaxWorkerTimeout, Min: 1, Max: MaxWorkerTimeout, What: "a Lambda timeout (at most 900 s, 15 minutes)",
		Summary: "Timeout of the async worker function in seconds; the work queue's visibility timeout is six times this.",
		Doc:     "Timeout of the async worker in seconds (900 is 15 minutes, Lambda's limit). The work queue's visibility timeout is six times this.",
	},
	{
		Key: KeyWorkerMemory, Type: setting.Integer, Default: DefaultMemoryMB, Min: MinMemoryMB, Max: MaxMemoryMB, What: "a Lambda memory size in MB",
		Summary: "Memory of the async worker function in MB.",
		Doc:     "Memory of the async worker in MB.",
	},
	{
		Key: KeyWorkerBatchSize, Type: setting.Integer, Default: DefaultWorkerBatchSize, Min: 1, Max: MaxBatchSize, What: "a batch size",
		Summary: "Jobs one worker invocation takes from the queue.",
		Doc:     "Jobs one worker invocation takes from the queue.",
	},
	{
		Key: KeyWorkerMaxConcurrency, Type: setting.Integer, Default: DefaultWorkerMaxConcurrency, Min: MinMaxConcurrency, Max: MaxMaxConcurrency,
		What:    "a maximum concurrency SQS event sources accept",
		Summary: "Most workers the queue runs at once; protects the database from a burst of jobs.",
		Doc:     "Most workers the queue runs at once: keeps a burst of jobs from overwhelming the database.",
	},
	bundleSetting(KeyWorkerBundle, "worker function"),
	{
		Key: KeyJobMaxReceiveCount, Type: setting.Integer, Default: DefaultMaxReceiveCount, Min: 1, Max: MaxReceiveCountLimit, What: "a receive count",
		Accepts: fmt.Sprintf("1 to %d, and as many as fit the queue's %d-day retention (%d with a %d s worker)",
			MaxReceiveCountLimit, MaxQueueRetentionSeconds/86400, MaxTries(MaxWorkerTimeout), MaxWorkerTimeout),
		Summary: "Tries a job gets before it moves to the dead-letter queue.",
		Doc: "Tries a job gets before it moves to the dead-letter queue. The work queue keeps a job 4 days, or longer when the tries (one visibility timeout apart) need it, " +
			"so a job that fails every try reaches the dead-letter queue before it expires (unless a backlog holds it back longer than that). " +
			"At most 13 days, a day less than the dead-letter queue, as SQS ages a job from its first enqueue in both: more tries are refused.",
	},
}
