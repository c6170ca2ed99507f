#!/usr/bin/env node
// Offline stand-in for Prisma's native `schema-engine` binary (PostgreSQL only).
//
// Prisma 7's CLI downloads a native schema engine before migrate / diff / db push, and that download is
// impossible here. prisma.config.ts sets PRISMA_SCHEMA_ENGINE_BINARY to this file, and the CLI runs it as
//   --datamodels <file>… --datasource '{"url":…}'   → line-delimited JSON-RPC 2.0 on stdin/stdout, or
//   --datasource '{"url":…}' cli <command>          → a one-shot database check.
// We answer with @prisma/schema-engine-wasm (the same Rust engine compiled to WASM) over @prisma/adapter-pg.
// Pins: prisma 7.10.1, @prisma/adapter-pg 7.10.1, @prisma/schema-engine-wasm 8.1.0-2.59be4fda…
// Fixes (a)-(c) reach into adapter-pg's private classes: tests/integration/migrations.test.ts replays every
// migration on a fresh database and must stay green after any upgrade.
import fs from "node:fs";
import readline from "node:readline";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";

const args = process.argv.slice(2);
const valuesOf = (flag) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
if (args.includes("--version")) {
  console.log("lectern-schema-engine-bridge (postgresql, wasm)");
  process.exit(0);
}

const url = JSON.parse(valuesOf("--datasource")[0] ?? "{}").url ?? process.env.DATABASE_URL;
const schema = new URL(url).searchParams.get("schema") ?? undefined;
const datamodels = valuesOf("--datamodels").map((file) => [file, fs.readFileSync(file, "utf8")]);
const ident = (name) => `"${name.replaceAll('"', '""')}"`;
const withDatabase = (name) => Object.assign(new URL(url), { pathname: `/${encodeURIComponent(name)}` }).href;

async function runSql(connectionString, text) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

// One-shot checks. The CLI drops the first stderr line and JSON-parses the rest, so an error is one free line
// then a single JSON log record carrying the P-code. P1003 ("database does not exist") is what makes
// `migrate deploy/dev` call `create-database` instead of giving up.
if (args.includes("cli")) {
  const command = args[args.indexOf("cli") + 1];
  try {
    if (command === "can-connect-to-database") await runSql(url, "SELECT 1");
    else if (command === "create-database")
      await runSql(withDatabase("postgres"), `CREATE DATABASE ${ident(decodeURIComponent(new URL(url).pathname.slice(1)))}`);
    else throw new Error(`unsupported: cli ${command}`);
    process.exit(0);
  } catch (e) {
    const error_code = e.code === "3D000" ? "P1003" : "P1001";
    const record = { level: "ERROR", target: "schema_engine::logger", fields: { message: e.message, error_code } };
    process.stderr.write(`cli ${command}\n${JSON.stringify(record)}`);
    process.exit(1);
  }
}

// Like the native engine, a ?schema= parameter becomes the search_path.
const pgOptions = (u) => ({ connectionString: u, ...(schema && { options: `-c search_path=${ident(schema)}` }) });
const factory = new PrismaPg(pgOptions(url), { schema });
const sample = await factory.connect(); // opens no connection; only gives us adapter-pg's prototypes
const AdapterProto = Object.getPrototypeOf(sample);
const QueryableProto = Object.getPrototypeOf(AdapterProto); // shared by the adapter and its transactions
await sample.dispose();

// (a) Catalog columns of Postgres' one-byte "char" type (OID 18: pg_class.relkind, pg_constraint.contype…)
// have no mapping in adapter-pg, and the engine expects Character values. Read them as text, label them Character.
const charColumnsOf = new WeakMap();
const { performIO, queryRaw } = QueryableProto;
QueryableProto.performIO = async function (query) {
  const result = await performIO.call(this, query);
  const indexes = [];
  result.fields?.forEach((field, i) => {
    if (field.dataTypeID === 18) {
      field.dataTypeID = 25;
      indexes.push(i);
    }
  });
  charColumnsOf.set(query, indexes);
  return result;
};
QueryableProto.queryRaw = async function (query) {
  const result = await queryRaw.call(this, query);
  for (const i of charColumnsOf.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
  return result;
};

// (b) adapter-pg's executeScript splits a migration on every ';', which tears $$ function bodies apart.
// Send the script whole, as one simple-protocol query, as the native engine does.
AdapterProto.executeScript = async function (script) {
  try {
    await this.client.query(script);
  } catch (e) {
    this.onError(e);
  }
};

// (c) The shadow database: adapter-pg's version reuses the main connection string (so it migrates the real
// database) and drops the temporary one while still connected. Make a real, throwaway one (needs CREATEDB).
factory.connectToShadowDb = async () => {
  const name = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
  await runSql(url, `CREATE DATABASE ${ident(name)}`);
  const shadow = await new PrismaPg(pgOptions(withDatabase(name)), { schema }).connect();
  const dispose = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await dispose();
    await runSql(url, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  };
  return shadow;
};

// The engine: wasm-bindgen glue instantiated by hand, with panics captured through the registry it expects.
let panicMessage;
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => (panicMessage = m) };
const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
const wasmFile = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), { "./schema_engine_bg.js": glue });
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();

let engine;
let currentId;
const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);

async function serve(method, params) {
  // An empty datamodels list makes the engine panic; "none" is spelled undefined.
  engine ??= await glue.SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    (log) => console.error(log),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  // (d) createMigration / evaluateDataLoss read a shadow-database cache that only devDiagnostic fills.
  if (method === "createMigration" || method === "evaluateDataLoss")
    await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters }).catch(() => {});
  if (typeof engine[method] !== "function") throw new Error(`${method} is not available in the wasm schema engine`);
  const result = (await engine[method](params)) ?? null;
  // (e) `migrate diff`: the CLI prints what arrives as a `print` request; the wasm engine returns it instead.
  if (method === "diff" && typeof result?.stdout === "string") {
    send({ id: `print-${currentId}`, method: "print", params: { content: result.stdout.replace(/\n$/, "") } });
    return { ...result, stdout: null };
  }
  return result;
}

function answerError(id, e) {
  const message = [panicMessage, e?.message ?? String(e)].filter(Boolean).join("\n");
  const data = { is_panic: panicMessage !== undefined, message, meta: e?.meta ?? null, error_code: e?.code ?? null };
  send({ id, error: { code: 4466, message, data } });
  panicMessage = undefined;
}

// (f) A panic in an async engine task lands here. Answer the pending request: a silent exit would make
// `migrate dev` print nothing and exit 0.
process.on("uncaughtException", (e) => {
  answerError(currentId, e);
  process.exit(101);
});

let queue = Promise.resolve();
readline
  .createInterface({ input: process.stdin })
  .on("line", (line) => {
    const request = line.trim() ? JSON.parse(line) : {};
    if (request.method === undefined) return; // a blank line, or the CLI acknowledging a `print`
    queue = queue.then(async () => {
      currentId = request.id;
      try {
        send({ id: request.id, result: await serve(request.method, request.params ?? {}) });
      } catch (e) {
        answerError(request.id, e);
      }
    });
  })
  .on("close", async () => {
    await queue;
    engine?.free();
    process.exit(0);
  });
