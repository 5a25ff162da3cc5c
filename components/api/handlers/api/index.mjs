// Synchronous API / GraphQL handler behind an API Gateway HTTP API
// (payload format 2.0). CloudFront forwards /api/* and /graphql* unchanged.
//
// Routes:
//   GET  /api/health   service status
//   POST /api/jobs     enqueue a JSON job on the SQS work queue (QUEUE_URL)
//   GET  /graphql      minimal GraphQL (query in ?query=...)
//   POST /graphql      minimal GraphQL (JSON body {"query": "..."})
//
// Environment: QUEUE_URL (jobs), COUNTRY (reported by health).

/** SQS rejects messages above 256 KiB (body plus attributes). */
const MAX_MESSAGE_BYTES = 256 * 1024;

const BASE_HEADERS = Object.freeze({
  "content-type": "application/json",
  "cache-control": "no-store",
});

// Characters SQS accepts in message bodies and string attributes; anything
// else makes SendMessage fail, which is the client's fault, not ours.
const SQS_INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const ROUTES = {
  "/api/health": { GET: health },
  "/api/jobs": { POST: enqueueJob },
  "/graphql": { GET: graphqlGet, POST: graphqlPost },
};

/**
 * @typedef {object} QueueSender
 * @property {(input: object) => Promise<{ MessageId?: string }>} sendMessage
 *   Sends one message; `input` is a SendMessageCommand input.
 */

/**
 * Builds the Lambda handler with injectable dependencies.
 *
 * @param {object} [deps]
 * @param {QueueSender} [deps.sqs] queue sender; defaults to one backed by
 *   `@aws-sdk/client-sqs`, which is imported on first use only.
 * @param {Record<string, string | undefined>} [deps.env] environment; defaults to `process.env`.
 * @param {() => number} [deps.now] clock in epoch milliseconds; defaults to `Date.now`.
 * @param {(entry: object) => void} [deps.log] structured log sink; defaults to one JSON line on stdout.
 * @returns {(event: object) => Promise<{ statusCode: number, headers: object, body: string }>}
 */
export function makeHandler({ sqs, env = process.env, now = Date.now, log = logLine } = {}) {
  const deps = { sqs: sqs ?? createSqsSender(), env, now };

  return async function handler(event) {
    const started = now();
    const request = toRequest(event);
    // Route functions may add fields (e.g. `error`) to this request log entry.
    const entry = { method: request.method, path: request.path, requestId: request.requestId };
    let response;
    try {
      response = await route(request, deps, entry);
    } catch (err) {
      entry.error = describeError(err);
      response = json(500, { error: "internal error" });
    }
    log({ ...entry, status: response.statusCode, durationMs: now() - started });
    return response;
  };
}

/** Lambda entry point (`index.handler`) using the real SQS client and `process.env`. */
export const handler = makeHandler();

function route(request, deps, entry) {
  const methods = ROUTES[request.path];
  if (!methods) return json(404, { error: "not found" });
  const action = methods[request.method];
  if (!action) {
    return json(405, { error: "method not allowed" }, { allow: Object.keys(methods).join(", ") });
  }
  return action(request, deps, entry);
}

function toRequest(event) {
  const http = event?.requestContext?.http ?? {};
  return {
    method: (http.method ?? "GET").toUpperCase(),
    path: normalizePath(event?.rawPath ?? http.path ?? "/"),
    rawQueryString: event?.rawQueryString ?? "",
    body: event?.body ?? "",
    isBase64Encoded: event?.isBase64Encoded === true,
    requestId: event?.requestContext?.requestId,
  };
}

/** "/graphql/" and "/graphql" are the same route. */
function normalizePath(path) {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function json(statusCode, payload, headers = {}) {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(payload) };
}

function logLine(entry) {
  console.log(JSON.stringify(entry));
}

function describeError(err) {
  return { name: err?.name ?? "Error", message: err?.message ?? String(err) };
}

/**
 * Decodes the request body and parses it as JSON.
 * @returns {{ text: string, value: unknown } | { error: string }}
 */
function readJsonBody(request) {
  const bytes = Buffer.from(request.body, request.isBase64Encoded ? "base64" : "utf8");
  if (bytes.length > MAX_MESSAGE_BYTES) return { error: `body exceeds ${MAX_MESSAGE_BYTES} bytes` };
  let text;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { error: "body is not valid UTF-8" };
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    return { error: "body is not valid JSON" };
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// GET /api/health

function health(_request, { env, now }) {
  return json(200, { status: "ok", country: env.COUNTRY ?? null, time: new Date(now()).toISOString() });
}

// ---------------------------------------------------------------------------
// POST /api/jobs

async function enqueueJob(request, { sqs, env }, entry) {
  if (!env.QUEUE_URL) {
    entry.error = { name: "ConfigurationError", message: "QUEUE_URL is not set" };
    return json(500, { error: "queue not configured" });
  }
  const parsed = readJsonBody(request);
  if ("error" in parsed) return json(400, { error: parsed.error });
  const input = toMessageInput(parsed, env.QUEUE_URL);
  if ("error" in input) return json(400, { error: input.error });

  try {
    const result = await sqs.sendMessage(input);
    return json(202, { messageId: result?.MessageId ?? null });
  } catch (err) {
    entry.error = describeError(err);
    return json(503, { error: "queue unavailable, retry later" });
  }
}

/**
 * Validates a parsed job body and builds the SendMessage input for it.
 * @returns {object | { error: string }} the input, or the reason for a 400
 */
function toMessageInput({ text, value }, queueUrl) {
  if (!isPlainObject(value)) return { error: "body must be a JSON object" };
  const type = value.type ?? undefined;
  if (type !== undefined && (typeof type !== "string" || type === "")) {
    return { error: "type must be a non-empty string" };
  }
  if (SQS_INVALID_CHAR.test(text)) return { error: "body contains characters SQS does not accept" };
  if (messageBytes(text, type) > MAX_MESSAGE_BYTES) {
    return { error: `job exceeds ${MAX_MESSAGE_BYTES} bytes including its type attribute` };
  }

  const input = { QueueUrl: queueUrl, MessageBody: text };
  if (type !== undefined) {
    input.MessageAttributes = { type: { DataType: "String", StringValue: type } };
  }
  return input;
}

/** SQS counts attribute name, data type and value towards the message size. */
function messageBytes(body, type) {
  const attribute = type === undefined ? 0 : Buffer.byteLength("type") + Buffer.byteLength("String") + Buffer.byteLength(type);
  return Buffer.byteLength(body) + attribute;
}

/** @returns {QueueSender} a sender that loads the AWS SDK on first use. */
function createSqsSender() {
  let loading;
  const load = async () => {
    const { SQSClient, SendMessageCommand } = await import("@aws-sdk/client-sqs");
    const client = new SQSClient({});
    return (input) => client.send(new SendMessageCommand(input));
  };
  return {
    async sendMessage(input) {
      loading ??= load().catch((err) => {
        loading = undefined; // let the next request retry
        throw err;
      });
      const send = await loading;
      return send(input);
    },
  };
}

// ---------------------------------------------------------------------------
// GraphQL
//
// A deliberately tiny GraphQL subset, enough for health checks and smoke tests
// without shipping a GraphQL library. Supported:
//   - one operation per document, either shorthand `{ ... }` or
//     `query [Name] { ... }`;
//   - fields and nested selection sets, `#` comments, commas (ignored);
//   - `__typename` on any type; duplicate fields are merged.
// Not supported (rejected with a GraphQL error, never silently ignored):
//   arguments, variables, aliases, directives, fragments, mutations,
//   subscriptions, string/number literals, multiple operations.
// Validation stops at the first error.

const SCHEMA = {
  Query: { health: "Health" },
  Health: { status: "String", country: "String" },
};

/** Nesting beyond the schema depth can only be an error; cap it to bound recursion. */
const MAX_SELECTION_DEPTH = 8;

class GraphQLError extends Error {}

function graphqlGet(request, deps) {
  const params = new URLSearchParams(request.rawQueryString);
  const query = params.get("query");
  if (query === null) return graphqlError(400, 'missing "query" parameter');
  return runGraphql({ query, operationName: params.get("operationName") }, deps);
}

function graphqlPost(request, deps) {
  const parsed = readJsonBody(request);
  if ("error" in parsed) return graphqlError(400, parsed.error);
  const { value } = parsed;
  if (!isPlainObject(value) || typeof value.query !== "string") {
    return graphqlError(400, 'body must be a JSON object with a string "query"');
  }
  const operationName = value.operationName ?? null;
  if (operationName !== null && typeof operationName !== "string") {
    return graphqlError(400, '"operationName" must be a string');
  }
  return runGraphql({ query: value.query, operationName }, deps);
}

function graphqlError(statusCode, message) {
  return json(statusCode, { errors: [{ message }] });
}

function runGraphql({ query, operationName }, { env }) {
  try {
    const operation = parseGraphql(query);
    if (operationName && operationName !== operation.name) {
      throw new GraphQLError(`Unknown operation named "${operationName}".`);
    }
    const root = { health: { status: "ok", country: env.COUNTRY ?? null } };
    return json(200, { data: execute(operation.selections, "Query", root) });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return graphqlError(200, err.message);
  }
}

/** Splits a document into `{`, `}` and name tokens; whitespace, commas and comments are skipped. */
function tokenize(source) {
  const pattern = /[ \t\r\n,\uFEFF]+|#[^\r\n]*|([{}])|([_A-Za-z][_0-9A-Za-z]*)/y;
  const tokens = [];
  let position = 0;
  while (position < source.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(source);
    if (!match) {
      throw new GraphQLError(`Syntax Error: unsupported character "${source[position]}" at position ${position}.`);
    }
    if (match[1]) tokens.push({ kind: match[1], position });
    if (match[2]) tokens.push({ kind: "name", value: match[2], position });
    position = pattern.lastIndex;
  }
  return tokens;
}

/**
 * Parses one query operation.
 * @returns {{ name: string | null, selections: Array<{ name: string, selections: Array | null }> }}
 */
function parseGraphql(source) {
  const tokens = tokenize(source);
  let index = 0;

  const peek = () => tokens[index];
  const expect = (kind) => {
    const token = tokens[index];
    if (token?.kind !== kind) {
      const found = token ? `"${token.value ?? token.kind}" at position ${token.position}` : "end of document";
      throw new GraphQLError(`Syntax Error: expected ${kind === "name" ? "a name" : `"${kind}"`}, found ${found}.`);
    }
    index += 1;
    return token;
  };

  const parseSelectionSet = (depth) => {
    if (depth > MAX_SELECTION_DEPTH) throw new GraphQLError("Selection sets are nested too deeply.");
    expect("{");
    const selections = [];
    do {
      const name = expect("name").value;
      const nested = peek()?.kind === "{" ? parseSelectionSet(depth + 1) : null;
      selections.push({ name, selections: nested });
    } while (peek()?.kind === "name");
    expect("}");
    return selections;
  };

  let name = null;
  if (peek()?.kind === "name") {
    const keyword = expect("name").value;
    if (keyword !== "query") {
      throw new GraphQLError(`Unsupported definition "${keyword}": only query operations are supported.`);
    }
    if (peek()?.kind === "name") name = expect("name").value;
  }
  const selections = parseSelectionSet(1);
  if (index < tokens.length) {
    throw new GraphQLError("Syntax Error: only a single operation per document is supported.");
  }
  return { name, selections };
}

/** Resolves a selection set against `source`, an object of type `typeName`. */
function execute(selections, typeName, source) {
  const result = {};
  for (const field of selections) {
    if (field.name === "__typename") {
      if (field.selections) throw leafWithSelection(field.name, "String");
      result.__typename = typeName;
      continue;
    }
    if (!Object.hasOwn(SCHEMA[typeName], field.name)) {
      throw new GraphQLError(`Cannot query field "${field.name}" on type "${typeName}".`);
    }
    const fieldType = SCHEMA[typeName][field.name];
    if (Object.hasOwn(SCHEMA, fieldType)) {
      if (!field.selections) {
        throw new GraphQLError(`Field "${field.name}" of type "${fieldType}" must have a selection of subfields.`);
      }
      result[field.name] = { ...result[field.name], ...execute(field.selections, fieldType, source[field.name]) };
    } else {
      if (field.selections) throw leafWithSelection(field.name, fieldType);
      result[field.name] = source[field.name];
    }
  }
  return result;
}

function leafWithSelection(name, type) {
  return new GraphQLError(`Field "${name}" must not have a selection since type "${type}" has no subfields.`);
}
