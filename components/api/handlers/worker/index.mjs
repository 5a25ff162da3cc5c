// Asynchronous worker behind an SQS event source mapping with
// ReportBatchItemFailures: records that fail are returned in
// `batchItemFailures` so SQS redelivers only those (and, after maxReceiveCount,
// moves them to the DLQ); the rest of the batch is deleted.
//
// Assumes a standard (non-FIFO) queue: every record is processed even after
// an earlier one fails.

/**
 * Default job processor: logs and succeeds, except that a job with
 * `"fail": true` throws, so a team can exercise the retry and DLQ path.
 *
 * @param {unknown} job the parsed message body
 * @param {{ messageId: string, log: (entry: object) => void }} context
 * @returns {Promise<void>}
 */
export async function processJob(job, { messageId, log }) {
  if (job?.fail === true) throw new Error('job requested failure ("fail": true)');
  log({ job: messageId, status: "done" });
}

/**
 * Builds the Lambda handler with injectable dependencies.
 *
 * @param {object} [deps]
 * @param {(job: unknown, context: { messageId: string, log: (entry: object) => void }) => unknown} [deps.process]
 *   job processor; may be async; a throw marks the record as failed. Defaults to {@link processJob}.
 * @param {(entry: object) => void} [deps.log] structured log sink; defaults to one JSON line on stdout.
 * @returns {(event: { Records?: object[] }) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>}
 */
export function makeHandler({ process = processJob, log = logLine } = {}) {
  return async function handler(event) {
    const batchItemFailures = [];
    for (const record of event?.Records ?? []) {
      const ok = await handleRecord(record, { process, log });
      if (!ok) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures };
  };
}

/** Lambda entry point (`index.handler`). */
export const handler = makeHandler();

/** @returns {Promise<boolean>} whether the record was processed successfully */
async function handleRecord(record, { process, log }) {
  const messageId = record.messageId;
  const receiveCount = toCount(record.attributes?.ApproximateReceiveCount);

  let job;
  try {
    job = JSON.parse(record.body);
  } catch {
    log({ job: messageId, type: null, receiveCount });
    log({ job: messageId, status: "failed", error: { name: "SyntaxError", message: "body is not valid JSON" } });
    return false;
  }

  log({ job: messageId, type: typeof job?.type === "string" ? job.type : null, receiveCount });
  try {
    await process(job, { messageId, log });
    return true;
  } catch (err) {
    log({ job: messageId, status: "failed", error: { name: err?.name ?? "Error", message: err?.message ?? String(err) } });
    return false;
  }
}

/** SQS delivers ApproximateReceiveCount as a string. */
function toCount(value) {
  const count = Number(value);
  return value === undefined || Number.isNaN(count) ? null : count;
}

function logLine(entry) {
  console.log(JSON.stringify(entry));
}
