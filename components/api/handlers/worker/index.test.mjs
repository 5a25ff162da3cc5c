import { test } from "node:test";
import assert from "node:assert/strict";

import { makeHandler, processJob, handler as defaultHandler } from "./index.mjs";

/** An SQS event record as delivered by the event source mapping. */
function sqsRecord(messageId, body, receiveCount = "1") {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: receiveCount },
    messageAttributes: {},
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:ap-southeast-2:123456789012:work",
  };
}

function setup() {
  const logs = [];
  const handle = makeHandler({ log: (entry) => logs.push(entry) });
  return { handle, logs };
}

test("a mixed batch reports exactly the bad-JSON and failing records", async () => {
  const { handle, logs } = setup();
  const result = await handle({
    Records: [
      sqsRecord("good", JSON.stringify({ type: "send-email" })),
      sqsRecord("bad-json", "not json", "3"),
      sqsRecord("fails", JSON.stringify({ type: "boom", fail: true }), "2"),
    ],
  });

  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "bad-json" }, { itemIdentifier: "fails" }] });

  const received = logs.filter((entry) => "receiveCount" in entry);
  assert.deepEqual(received, [
    { job: "good", type: "send-email", receiveCount: 1 },
    { job: "bad-json", type: null, receiveCount: 3 },
    { job: "fails", type: "boom", receiveCount: 2 },
  ]);
  assert.ok(!JSON.stringify(logs).includes("not json"), "message bodies must never be logged");
});

test("an empty batch reports no failures", async () => {
  const { handle } = setup();
  assert.deepEqual(await handle({ Records: [] }), { batchItemFailures: [] });
  assert.deepEqual(await handle({}), { batchItemFailures: [] });
});

test("an injected processor receives the parsed job; its throws become failures", async () => {
  const seen = [];
  const handle = makeHandler({
    log: () => {},
    process: async (job) => {
      seen.push(job);
      if (job.n === 2) throw new Error("no");
    },
  });
  const result = await handle({ Records: [sqsRecord("a", '{"n":1}'), sqsRecord("b", '{"n":2}')] });
  assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "b" }] });
});

test("the default processor succeeds unless the job asks to fail", async () => {
  const context = { messageId: "m", log: () => {} };
  await processJob({ type: "x" }, context);
  await processJob(null, context);
  await assert.rejects(processJob({ fail: true }, context), /fail/);
});

test("the default handler is exported", () => {
  assert.equal(typeof defaultHandler, "function");
});
