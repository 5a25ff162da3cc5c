import { test } from "node:test";
import assert from "node:assert/strict";

import { makeHandler, handler as defaultHandler } from "./index.mjs";

const QUEUE_URL = "https://sqs.ap-southeast-2.amazonaws.com/123456789012/work";
const NOW = Date.parse("2025-03-01T02:03:04.000Z");

/** An HTTP API payload-format-2.0 event. */
function httpEvent({ method = "GET", path, body, isBase64Encoded = false, rawQueryString = "" }) {
  return {
    version: "2.0",
    rawPath: path,
    rawQueryString,
    headers: { "content-type": "application/json" },
    requestContext: { requestId: "req-1", http: { method, path } },
    ...(body === undefined ? {} : { body, isBase64Encoded }),
  };
}

/** A fake queue sender recording its inputs. */
function fakeSqs({ fail } = {}) {
  const calls = [];
  return {
    calls,
    async sendMessage(input) {
      calls.push(input);
      if (fail) throw Object.assign(new Error("service unavailable"), { name: "ServiceUnavailable" });
      return { MessageId: "msg-123" };
    },
  };
}

function setup({ sqs = fakeSqs(), env = { COUNTRY: "nz", QUEUE_URL } } = {}) {
  const logs = [];
  const handle = makeHandler({ sqs, env, now: () => NOW, log: (entry) => logs.push(entry) });
  const call = async (event) => {
    const response = await handle(event);
    assertCommonHeaders(response);
    return { ...response, json: JSON.parse(response.body) };
  };
  return { call, sqs, logs };
}

function assertCommonHeaders(response) {
  assert.equal(response.headers["content-type"], "application/json");
  assert.equal(response.headers["cache-control"], "no-store");
}

const postJob = (body, extra = {}) => httpEvent({ method: "POST", path: "/api/jobs", body, ...extra });
const postGraphql = (payload) =>
  httpEvent({ method: "POST", path: "/graphql", body: typeof payload === "string" ? payload : JSON.stringify(payload) });

test("GET /api/health reports status, country and time", async () => {
  const { call, logs } = setup();
  const res = await call(httpEvent({ path: "/api/health" }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json, { status: "ok", country: "nz", time: "2025-03-01T02:03:04.000Z" });
  assert.deepEqual(logs, [{ method: "GET", path: "/api/health", requestId: "req-1", status: 200, durationMs: 0 }]);
});

test("POST /api/jobs enqueues the JSON body with a type attribute", async () => {
  const { call, sqs, logs } = setup();
  const body = JSON.stringify({ type: "send-email", to: "student-42" });
  const res = await call(postJob(body));
  assert.equal(res.statusCode, 202);
  assert.deepEqual(res.json, { messageId: "msg-123" });
  assert.deepEqual(sqs.calls, [
    {
      QueueUrl: QUEUE_URL,
      MessageBody: body,
      MessageAttributes: { type: { DataType: "String", StringValue: "send-email" } },
    },
  ]);
  assert.ok(!JSON.stringify(logs).includes("student-42"), "request body must never be logged");
});

test("POST /api/jobs without a type sends no attributes", async () => {
  const { call, sqs } = setup();
  const res = await call(postJob('{"n":1}'));
  assert.equal(res.statusCode, 202);
  assert.deepEqual(sqs.calls, [{ QueueUrl: QUEUE_URL, MessageBody: '{"n":1}' }]);
});

test("POST /api/jobs decodes a base64 body", async () => {
  const { call, sqs } = setup();
  const text = JSON.stringify({ type: "résumé", x: 1 });
  const res = await call(postJob(Buffer.from(text).toString("base64"), { isBase64Encoded: true }));
  assert.equal(res.statusCode, 202);
  assert.equal(sqs.calls[0].MessageBody, text);
  assert.equal(sqs.calls[0].MessageAttributes.type.StringValue, "résumé");
});

test("POST /api/jobs rejects bodies that are not JSON objects", async (t) => {
  const cases = {
    "not JSON": "not json",
    empty: "",
    array: "[1,2]",
    "non-string type": '{"type": 5}',
    "character SQS rejects": '{"a":"\uFFFF"}',
  };
  for (const [name, body] of Object.entries(cases)) {
    await t.test(name, async () => {
      const { call, sqs } = setup();
      const res = await call(postJob(body));
      assert.equal(res.statusCode, 400);
      assert.equal(typeof res.json.error, "string");
      assert.equal(sqs.calls.length, 0);
    });
  }
});

test("POST /api/jobs rejects invalid UTF-8 in a base64 body", async () => {
  const { call, sqs } = setup();
  const res = await call(postJob(Buffer.from([0x7b, 0xff, 0x7d]).toString("base64"), { isBase64Encoded: true }));
  assert.equal(res.statusCode, 400);
  assert.match(res.json.error, /UTF-8/);
  assert.equal(sqs.calls.length, 0);
});

test("POST /api/jobs rejects bodies over 256 KiB", async () => {
  const { call, sqs } = setup();
  const atLimit = JSON.stringify({ pad: "x".repeat(256 * 1024 - 10) });
  assert.equal(Buffer.byteLength(atLimit), 256 * 1024);
  assert.equal((await call(postJob(atLimit))).statusCode, 202);

  const over = JSON.stringify({ pad: "x".repeat(256 * 1024) });
  const res = await call(postJob(over));
  assert.equal(res.statusCode, 400);
  assert.match(res.json.error, /exceeds/);
  assert.equal(sqs.calls.length, 1);
});

test("POST /api/jobs counts the type attribute towards the SQS size limit", async () => {
  const { call, sqs } = setup();
  const body = JSON.stringify({ type: "t", pad: "x".repeat(256 * 1024 - 21) });
  assert.equal(Buffer.byteLength(body), 256 * 1024);
  const res = await call(postJob(body));
  assert.equal(res.statusCode, 400);
  assert.equal(sqs.calls.length, 0);
});

test("POST /api/jobs answers 503 and logs when SQS fails", async () => {
  const { call, logs } = setup({ sqs: fakeSqs({ fail: true }) });
  const res = await call(postJob('{"type":"x"}'));
  assert.equal(res.statusCode, 503);
  assert.equal(typeof res.json.error, "string");
  assert.equal(logs.length, 1);
  assert.equal(logs[0].status, 503);
  assert.deepEqual(logs[0].error, { name: "ServiceUnavailable", message: "service unavailable" });
});

test("POST /api/jobs answers 500 when QUEUE_URL is not configured", async () => {
  const { call, sqs } = setup({ env: { COUNTRY: "nz" } });
  const res = await call(postJob("{}"));
  assert.equal(res.statusCode, 500);
  assert.equal(sqs.calls.length, 0);
});

test("POST /graphql answers health with any subset and order of fields", async (t) => {
  const cases = [
    ["{ health { status country } }", { health: { status: "ok", country: "nz" } }],
    ["{ health { country status } }", { health: { country: "nz", status: "ok" } }],
    ["query { health { status } }", { health: { status: "ok" } }],
    ["query Health { health { country } }", { health: { country: "nz" } }],
    ["# comment\n{ health { status, __typename } }", { health: { status: "ok", __typename: "Health" } }],
  ];
  for (const [query, data] of cases) {
    await t.test(query, async () => {
      const { call } = setup();
      const res = await call(postGraphql({ query }));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json, { data });
    });
  }
});

test("POST /graphql answers __typename", async () => {
  const { call } = setup();
  const res = await call(postGraphql({ query: "{ __typename }" }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json, { data: { __typename: "Query" } });
});

test("POST /graphql honours operationName", async () => {
  const { call } = setup();
  const ok = await call(postGraphql({ query: "query H { __typename }", operationName: "H" }));
  assert.deepEqual(ok.json, { data: { __typename: "Query" } });
  const wrong = await call(postGraphql({ query: "query H { __typename }", operationName: "Other" }));
  assert.equal(wrong.statusCode, 200);
  assert.match(wrong.json.errors[0].message, /Unknown operation/);
});

test("POST /graphql answers unsupported documents with 200 and errors", async (t) => {
  const cases = {
    "unknown field": ["{ health { uptime } }", /Cannot query field "uptime" on type "Health"/],
    "unknown root field": ["{ users }", /Cannot query field "users" on type "Query"/],
    "object without selection": ["{ health }", /must have a selection of subfields/],
    "leaf with selection": ["{ health { status { x } } }", /must not have a selection/],
    mutation: ["mutation { health { status } }", /only query operations/],
    arguments: ['{ health(id: "1") { status } }', /unsupported character "\("/],
    "unterminated selection": ["{ health { status }", /expected "}", found end of document/],
    "two operations": ["{ __typename } { __typename }", /single operation/],
    "deep nesting": [`${"{ a ".repeat(10_000)}${"}".repeat(10_000)}`, /nested too deeply/],
  };
  for (const [name, [query, message]] of Object.entries(cases)) {
    await t.test(name, async () => {
      const { call } = setup();
      const res = await call(postGraphql({ query }));
      assert.equal(res.statusCode, 200);
      assert.equal(res.json.data, undefined);
      assert.match(res.json.errors[0].message, message);
    });
  }
});

test("POST /graphql answers 400 for a body that is not JSON or has no query", async (t) => {
  const cases = { "not JSON": "{query", "no query": { variables: {} }, "non-string query": { query: 1 } };
  for (const [name, payload] of Object.entries(cases)) {
    await t.test(name, async () => {
      const { call } = setup();
      const res = await call(postGraphql(payload));
      assert.equal(res.statusCode, 400);
      assert.equal(typeof res.json.errors[0].message, "string");
    });
  }
});

test("GET /graphql reads the query from the query string", async () => {
  const { call } = setup();
  const rawQueryString = new URLSearchParams({ query: "{ health { status } }" }).toString();
  const res = await call(httpEvent({ path: "/graphql", rawQueryString }));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json, { data: { health: { status: "ok" } } });

  const missing = await call(httpEvent({ path: "/graphql" }));
  assert.equal(missing.statusCode, 400);
});

test("/graphql/ with a trailing slash is the same route", async () => {
  const { call } = setup();
  const res = await call(postGraphql({ query: "{ __typename }" }));
  const slash = await call(httpEvent({ method: "POST", path: "/graphql/", body: '{"query":"{ __typename }"}' }));
  assert.deepEqual(slash.json, res.json);
});

test("unknown paths answer 404", async () => {
  const { call } = setup();
  for (const path of ["/", "/api", "/api/nope", "/graphqlx"]) {
    const res = await call(httpEvent({ path }));
    assert.equal(res.statusCode, 404, path);
    assert.deepEqual(res.json, { error: "not found" });
  }
});

test("wrong methods on known paths answer 405 with an allow header", async () => {
  const { call, sqs } = setup();
  const cases = [
    ["POST", "/api/health", "GET"],
    ["GET", "/api/jobs", "POST"],
    ["DELETE", "/graphql", "GET, POST"],
  ];
  for (const [method, path, allow] of cases) {
    const res = await call(httpEvent({ method, path }));
    assert.equal(res.statusCode, 405, `${method} ${path}`);
    assert.equal(res.headers.allow, allow);
    assert.deepEqual(res.json, { error: "method not allowed" });
  }
  assert.equal(sqs.calls.length, 0);
});

test("one log line per request with method, path, status and duration", async () => {
  const logs = [];
  let clock = 1000;
  const handle = makeHandler({ sqs: fakeSqs(), env: {}, now: () => (clock += 5), log: (e) => logs.push(e) });
  await handle(httpEvent({ path: "/nope" }));
  assert.deepEqual(logs, [{ method: "GET", path: "/nope", requestId: "req-1", status: 404, durationMs: 5 }]);
});

test("the default handler is importable without the AWS SDK", () => {
  assert.equal(typeof defaultHandler, "function");
});
