// The roll gate of a CockroachDB cluster: `pulumi up` invokes it before it
// replaces each node (and once after the last), and it returns only when
// the nodes that answer report no under-replicated and no unavailable
// ranges, so that a roll never takes a node down while the cluster is still
// healing from the last one. It throws when that does not happen in time,
// which fails `pulumi up` before the next node is touched.
//
// It reads only what CockroachDB serves without authentication over HTTPS:
// /health?ready=1 and the Prometheus metrics at /_status/vars, checked
// against the cluster's CA. It changes nothing, so running it twice is safe.
import https from "node:https";

// What a probe found a node to be.
export const READY = "ready"; // live and serving
export const UNINITIALIZED = "uninitialized"; // up, waiting for `cockroach init`
export const UNREADY = "unready"; // up, not ready (starting, draining, not live)
export const ABSENT = "absent"; // no answer: no task, no name, or not listening yet

// classify turns the answer to /health?ready=1 into a node state.
export function classify(status, body) {
  if (status === 200) return READY;
  if (status === 503 && /waiting for cluster initialization/.test(body)) return UNINITIALIZED;
  return UNREADY;
}

// parseVars sums the per-store range gauges of a /_status/vars page.
export function parseVars(text) {
  const sums = { underreplicated: 0, unavailable: 0 };
  for (const line of text.split("\n")) {
    const m = /^ranges_(underreplicated|unavailable)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m) sums[m[1]] += Number(m[2]);
  }
  if (Number.isNaN(sums.underreplicated) || Number.isNaN(sums.unavailable)) {
    throw new Error("unreadable range metrics");
  }
  return sums;
}

function get(host, path, { port, ca, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host, port, path, ca, servername: host, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

// probe asks one node for its state and, when it is ready, its ranges.
export async function probe(host, opts) {
  try {
    const health = await get(host, "/health?ready=1", opts);
    const state = classify(health.status, health.body);
    if (state !== READY) return { host, state, detail: `HTTP ${health.status}` };
    const vars = await get(host, "/_status/vars", opts);
    if (vars.status !== 200) return { host, state: UNREADY, detail: `metrics: HTTP ${vars.status}` };
    return { host, state, ...parseVars(vars.body) };
  } catch (err) {
    return { host, state: ABSENT, detail: err.code || err.message };
  }
}

// judge says whether the roll may go on, and why.
//   event.after: the node replaced just before (its new task must answer,
//   initialized or not), or "" before the first node.
export function judge(event, probes) {
  const after = event.after && probes.find((p) => p.host === event.after);
  if (after && (after.state === ABSENT || after.state === UNREADY)) {
    return { pass: false, reason: `${after.host} is ${after.state} (${after.detail})` };
  }
  const ready = probes.filter((p) => p.state === READY);
  const under = ready.reduce((n, p) => n + p.underreplicated, 0);
  const unavailable = ready.reduce((n, p) => n + p.unavailable, 0);
  if (under > 0 || unavailable > 0) {
    return {
      pass: false,
      reason: `${under} under-replicated and ${unavailable} unavailable ranges reported by ${ready.length} live nodes`,
    };
  }
  if (ready.length === 0) {
    return { pass: true, reason: "no node is initialized yet: a new cluster, nothing to protect" };
  }
  return { pass: true, reason: `no under-replicated or unavailable ranges on ${ready.length} live nodes` };
}

// gate polls until judge passes event.confirmations times in a row, or
// throws once event.waitSeconds have gone by.
export async function gate(event, { probeNode, sleep, now, log }) {
  const deadline = now() + event.waitSeconds * 1000;
  let passes = 0;
  for (;;) {
    const probes = await Promise.all(event.nodes.map((host) => probeNode(host)));
    const verdict = judge(event, probes);
    log(JSON.stringify({ gate: event.label, ...verdict, nodes: probes }));
    passes = verdict.pass ? passes + 1 : 0;
    if (passes >= event.confirmations) {
      return { passed: true, gate: event.label, reason: verdict.reason };
    }
    if (now() + event.pollSeconds * 1000 > deadline) {
      throw new Error(
        `CockroachDB roll stopped ${event.label}: ${verdict.reason}, still after ${event.waitSeconds} s. ` +
          "No further node was replaced. Let the cluster finish re-replicating (README, \"Rolling changes\"), " +
          "then run `pulumi up` again: it resumes here.",
      );
    }
    await sleep(event.pollSeconds * 1000);
  }
}

export const handler = (event) =>
  gate(event, {
    probeNode: (host) => probe(host, { port: event.port, ca: process.env.CA_CERT, timeoutMs: event.probeTimeoutSeconds * 1000 }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: (line) => console.log(line),
  });
