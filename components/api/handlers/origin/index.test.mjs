import { test } from "node:test";
import assert from "node:assert/strict";

import { makeHandler } from "./index.mjs";

const secret = "s3cr3t-from-cloudfront";
const handler = makeHandler({ env: { ORIGIN_VERIFY: secret } });

test("lets through a request that came through CloudFront", async () => {
  assert.deepEqual(await handler({ headers: { "x-origin-verify": secret } }), { isAuthorized: true });
});

test("refuses a wrong, shorter, longer or missing header", async () => {
  for (const headers of [{ "x-origin-verify": "guess" }, { "x-origin-verify": secret + "x" },
    { "x-origin-verify": secret.slice(1) }, {}, undefined]) {
    assert.deepEqual(await handler({ headers }), { isAuthorized: false }, JSON.stringify(headers));
  }
});

test("refuses everything when no secret is configured", async () => {
  const open = makeHandler({ env: {} });
  assert.deepEqual(await open({ headers: { "x-origin-verify": "" } }), { isAuthorized: false });
});
