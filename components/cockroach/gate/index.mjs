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

// parseVars sums the per-store range gauges of a /_status/vars page. A page
// without them (a renamed metric, a node with no store yet) is an error,
// never a zero.
export function parseVars(text) {
  const sums = { underreplicated: 0, unavailable: 0 };
  const seen = new Set();
  for (const line of text.split("\n")) {
    const m = /^ranges_(underreplicated|unavailable)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m) {
      sums[m[1]] += Number(m[2]);
      seen.add(m[1]);
    }
  }
  if (seen.size < 2) throw new Error("no ranges_underreplicated or ranges_unavailable metric");
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
    try {
      return { host, state, ...parseVars(vars.body) };
    } catch (err) {
      return { host, state: UNREADY, detail: `metrics: ${err.message}` };
    }
  } catch (err) {
    return { host, state: ABSENT, detail: err.code || err.message };
  }
}

// judge says whether the roll may go on, and why. It passes only on
// evidence: every node that answers is live or waiting for init, the node
// replaced just before (event.after, "" before the first) has come back,
// and no live node reports an under-replicated or unavailable range. With
// no live node at all it passes only for a cluster that was never
// deployed (clusterExists false) and shows no node in trouble.
export function judge(event, probes, clusterExists) {
  const ready = probes.filter((p) => p.state === READY);
  const unready = probes.filter((p) => p.state === UNREADY);
  if (unready.length > 0) {
    return { pass: false, reason: unready.map((p) => `${p.host} is unready (${p.detail})`).join(", ") };
  }
  const after = event.after && probes.find((p) => p.host === event.after);
  if (after && !(after.state === READY || (after.state === UNINITIALIZED && ready.length === 0))) {
    return { pass: false, reason: `${after.host}, replaced just before, is ${after.state}${after.detail ? ` (${after.detail})` : ""}` };
  }
  if (ready.length === 0) {
    if (clusterExists) {
      return { pass: false, reason: "no node is live, though the stack has deployed the cluster" };
    }
    return { pass: true, reason: "no node is initialized yet: a new cluster, nothing to protect" };
  }
  const under = ready.reduce((n, p) => n + p.underreplicated, 0);
  const unavailable = ready.reduce((n, p) => n + p.unavailable, 0);
  if (under > 0 || unavailable > 0) {
    return {
      pass: false,
      reason: `${under} under-replicated and ${unavailable} unavailable ranges reported by ${ready.length} live nodes`,
    };
  }
  return { pass: true, reason: `no under-replicated or unavailable ranges on ${ready.length} live nodes` };
}

// gate polls the nodes until judge passes event.confirmations times in a
// row, or throws once event.waitSeconds have gone by.
export async function gate(event, { nodes, clusterExists, probeNode, sleep, now, log }) {
  const deadline = now() + event.waitSeconds * 1000;
  let passes = 0;
  for (;;) {
    const probes = await Promise.all(nodes.map((host) => probeNode(host)));
    const verdict = judge(event, probes, clusterExists);
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

// nodeHosts are the names of count nodes in a cluster's namespace.
export function nodeHosts(count, namespace) {
  return Array.from({ length: count }, (_, i) => `node-${i}.${namespace}`);
}

// The function's environment holds what changes with the cluster, not with
// a roll: NODE_COUNT and NAMESPACE (the nodes are node-0 to node-<count-1>
// there), CLUSTER_EXISTS ("true" once the stack has deployed nodes) and
// CA_CERT. A gate's own input holds what identifies it, so scaling does not
// re-run every gate.
export const handler = (event) =>
  gate(event, {
    nodes: nodeHosts(Number(process.env.NODE_COUNT), process.env.NAMESPACE),
    clusterExists: process.env.CLUSTER_EXISTS === "true",
    probeNode: (host) => probe(host, { port: event.port, ca: process.env.CA_CERT, timeoutMs: event.probeTimeoutSeconds * 1000 }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: (line) => console.log(line),
  });
