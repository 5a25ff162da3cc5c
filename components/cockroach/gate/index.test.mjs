import { test } from "node:test";
import assert from "node:assert/strict";
import { ABSENT, READY, UNINITIALIZED, UNREADY, classify, gate, judge, nodeHosts, parseVars, probe } from "./index.mjs";

test("nodeHosts names every node in the namespace, as the Go side does", () => {
  assert.deepEqual(nodeHosts(3, "crdb.nz.internal"), ["node-0.crdb.nz.internal", "node-1.crdb.nz.internal", "node-2.crdb.nz.internal"]);
});

const VARS = `# HELP ranges_underreplicated Number of ranges with fewer live replicas than the replication target
# TYPE ranges_underreplicated gauge
ranges_underreplicated{store="4",node_id="4"} 3
ranges_underreplicated{store="5",node_id="4"} 2
ranges_unavailable{store="4",node_id="4"} 0
ranges{store="4",node_id="4"} 812
ranges_unavailable_total 9
`;

test("parseVars sums the per-store gauges and nothing else", () => {
  assert.deepEqual(parseVars(VARS), { underreplicated: 5, unavailable: 0 });
  assert.deepEqual(parseVars("ranges_underreplicated 0\nranges_unavailable 1\n"), { underreplicated: 0, unavailable: 1 });
  assert.throws(() => parseVars("ranges_underreplicated{store=\"1\"} NaN\nranges_unavailable 0\n"), /unreadable/);
  assert.throws(() => parseVars("ranges 812\n"), /no ranges_underreplicated/, "a page without the gauges is never a zero");
  assert.throws(() => parseVars("ranges_underreplicated 0\n"), /no ranges_underreplicated or ranges_unavailable/);
});

test("classify tells an uninitialized node from an unready one", () => {
  assert.equal(classify(200, ""), READY);
  assert.equal(classify(503, '{"error": "node is waiting for cluster initialization"}'), UNINITIALIZED);
  assert.equal(classify(503, '{"error": "node is shutting down"}'), UNREADY);
  assert.equal(classify(500, ""), UNREADY);
});

const ready = (host, underreplicated = 0, unavailable = 0) => ({ host, state: READY, underreplicated, unavailable });

test("judge: the operator's rule, no under-replicated or unavailable range on live nodes", () => {
  const ev = { after: "node-3" };
  assert.equal(judge(ev, [ready("node-2"), ready("node-3")], true).pass, true);
  const healing = judge(ev, [ready("node-2", 4), ready("node-3")], true);
  assert.equal(healing.pass, false);
  assert.match(healing.reason, /4 under-replicated and 0 unavailable ranges reported by 2 live nodes/);
  assert.equal(judge(ev, [ready("node-2", 0, 1), ready("node-3")], true).pass, false, "unavailable ranges hold the roll");
});

test("judge: the node replaced last must come back before the roll goes on", () => {
  const absent = judge({ after: "node-3" }, [ready("node-2"), { host: "node-3", state: ABSENT, detail: "ENOTFOUND" }], true);
  assert.equal(absent.pass, false);
  assert.match(absent.reason, /node-3, replaced just before, is absent \(ENOTFOUND\)/);
  const lost = judge({ after: "node-3" }, [ready("node-2"), { host: "node-3", state: UNINITIALIZED }], true);
  assert.equal(lost.pass, false, "a replacement that never joined the live cluster holds the roll");
  assert.match(lost.reason, /is uninitialized/);
});

test("judge: any unready node holds the roll", () => {
  const v = judge({ after: "" }, [ready("node-2"), { host: "node-3", state: UNREADY, detail: "HTTP 503" }], true);
  assert.equal(v.pass, false);
  assert.match(v.reason, /node-3 is unready \(HTTP 503\)/);
  assert.equal(judge({ after: "" }, [{ host: "node-0", state: UNREADY, detail: "metrics: no ranges_underreplicated" }], false).pass, false,
    "a node without range metrics is not a healthy node");
});

test("judge: a new cluster, waiting for init, passes; a deployed one with no live node does not", () => {
  const waiting = [{ host: "node-0", state: UNINITIALIZED }, { host: "node-1", state: UNINITIALIZED }, { host: "node-2", state: ABSENT }];
  const fresh = judge({ after: "node-1" }, waiting, false);
  assert.equal(fresh.pass, true);
  assert.match(fresh.reason, /new cluster/);
  assert.equal(judge({ after: "" }, [{ host: "node-0", state: ABSENT }], false).pass, true, "before the first node exists");
  const unreachable = judge({ after: "" }, [{ host: "node-0", state: ABSENT }, { host: "node-1", state: ABSENT }], true);
  assert.equal(unreachable.pass, false, "a deployed cluster the gate cannot see is never waved through");
  assert.match(unreachable.reason, /no node is live/);
});

// A clock the gate's sleeps advance, and a cluster whose state follows it.
function harness(stateAt, nodes = ["node-2", "node-3"]) {
  let t = 0;
  const lines = [];
  return {
    lines,
    deps: {
      nodes,
      clusterExists: true,
      now: () => t,
      sleep: async (ms) => { t += ms; },
      log: (l) => lines.push(l),
      probeNode: async (host) => stateAt(t, host),
    },
  };
}

const event = { label: "before node 4", after: "node-3", waitSeconds: 600, pollSeconds: 15, confirmations: 2, port: 8080 };

test("gate waits for re-replication, then passes after two clean polls", async () => {
  // Under-replicated for the first 5 minutes after the replacement.
  const h = harness((t, host) => ready(host, t < 300_000 ? 7 : 0));
  const out = await gate(event, h.deps);
  assert.equal(out.passed, true);
  assert.equal(h.lines.length, 22, "20 healing polls, then 2 clean ones");
  assert.match(h.lines[0], /14 under-replicated and 0 unavailable ranges reported by 2 live nodes/);
});

test("gate throws, naming where the roll stopped and how to resume, when time runs out", async () => {
  const h = harness((t, host) => ready(host, 2));
  await assert.rejects(gate(event, h.deps), (err) => {
    assert.match(err.message, /roll stopped before node 4: 4 under-replicated and 0 unavailable ranges reported by 2 live nodes, still after 600 s/);
    assert.match(err.message, /run `pulumi up` again: it resumes here/);
    return true;
  });
  assert.ok(h.lines.length <= 41, "bounded by waitSeconds");
});

test("gate never passes on one lucky poll", async () => {
  // Clean every other poll: never two in a row.
  let n = 0;
  const h = harness((t, host) => ready(host, n++ % 2), ["node-3"]);
  await assert.rejects(gate(event, h.deps), /roll stopped/);
});

test("probe reports a node that does not listen as absent", async () => {
  const p = await probe("127.0.0.1", { port: 9, ca: undefined, timeoutMs: 2000 });
  assert.equal(p.state, ABSENT);
  assert.ok(p.detail);
});
