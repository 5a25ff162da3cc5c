// Lambda authorizer of the HTTP API (payload 2.0, simple responses).
//
// The API's own execute-api endpoint is public. CloudFront adds the header
// X-Origin-Verify with a secret to every request it sends to the API; this
// authorizer lets through only requests that carry it, so nobody reaches
// the API without passing CloudFront (its WAF, TLS policy and logs).
//
// Environment: ORIGIN_VERIFY, the secret.

import { timingSafeEqual } from "node:crypto";

/**
 * Builds the authorizer.
 *
 * @param {object} [deps]
 * @param {Record<string, string | undefined>} [deps.env] environment; defaults to `process.env`.
 * @returns {(event: object) => Promise<{ isAuthorized: boolean }>}
 */
export function makeHandler({ env = process.env } = {}) {
  const expected = Buffer.from(env.ORIGIN_VERIFY ?? "", "utf8");
  return async (event) => {
    // HTTP APIs lower-case header names in payload 2.0.
    const got = Buffer.from(event?.headers?.["x-origin-verify"] ?? "", "utf8");
    const ok = expected.length > 0 && got.length === expected.length && timingSafeEqual(got, expected);
    return { isAuthorized: ok };
  };
}

export const handler = makeHandler();
