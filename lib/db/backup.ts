// Backups without pg_dump (the embedded PostgreSQL ships none, and a pg_dump older than the server refuses to
// run): every table of the database copied out with PostgreSQL's own COPY, all inside one REPEATABLE READ
// transaction, so the dump is one consistent moment even while students keep answering.
//
// The file is plain text: a header line (JSON: format, migrations, tables with their columns and row counts),
// then each table as a COPY … FROM stdin block ending in "\.", the same data format psql and pg_dump use.
// A restore recreates the schema of the backup through its own migrations, loads every table in one
// transaction (parents before children), checks each row count, and then applies any newer migrations.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { migrateDeploy } from "./launcher";

export const BACKUP_FORMAT = "lectern-backup/1";
// Prisma's own bookkeeping: recreated by the restore's migrations, so it is not loaded from the file.
const MIGRATIONS_TABLE = "_prisma_migrations";

type TableInfo = { name: string; columns: string[]; rows: number };
export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  server: string;
  migrations: { name: string; checksum: string }[];
  tables: TableInfo[];
};

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The tables of schema public, parents before the tables whose foreign keys point at them. */
async function tablesInLoadOrder(client: pg.ClientBase): Promise<{ name: string; columns: string[] }[]> {
  const { rows: tables } = await client.query<{ name: string; columns: string[] }>(`
    SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    GROUP BY c.relname ORDER BY c.relname`);
  const { rows: edges } = await client.query<{ child: string; parent: string }>(`
    SELECT c.relname AS child, p.relname AS parent
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> p.oid`);
  const ordered: { name: string; columns: string[] }[] = [];
  const done = new Set<string>();
  const visit = (t: { name: string; columns: string[] }, trail: string[]) => {
    if (done.has(t.name)) return;
    if (trail.includes(t.name)) throw new Error(`foreign keys form a cycle: ${[...trail, t.name].join(" → ")}`);
    for (const e of edges.filter((e) => e.child === t.name)) visit(tables.find((x) => x.name === e.parent)!, [...trail, t.name]);
    done.add(t.name);
    ordered.push(t);
  };
  tables.forEach((t) => visit(t, []));
  return ordered;
}

/** Writes a consistent dump of the database at `url` to `file` (gzip when it ends in .gz). */
export async function backupDatabase(url: string, file: string, log: (line: string) => void = () => {}): Promise<BackupHeader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tmp = `${file}.partial`;
  try {
    // One snapshot for every table; READ ONLY, so it never blocks or is blocked by the running app.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await tablesInLoadOrder(client);
    const server = (await client.query<{ v: string }>("SELECT version() AS v")).rows[0].v;
    const hasMigrations = tables.some((t) => t.name === MIGRATIONS_TABLE);
    const migrations = hasMigrations
      ? (await client.query<{ name: string; checksum: string }>(
          `SELECT migration_name AS name, checksum FROM ${ident(MIGRATIONS_TABLE)} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
        )).rows
      : [];
    const data = tables.filter((t) => t.name !== MIGRATIONS_TABLE);
    const counts: number[] = [];
    for (const t of data) counts.push(Number((await client.query(`SELECT count(*) AS n FROM ${ident(t.name)}`)).rows[0].n));
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      server,
      migrations,
      tables: data.map((t, i) => ({ ...t, rows: counts[i] })),
    };
    const out = fs.createWriteStream(tmp, { mode: 0o600 });
    const gzip = file.endsWith(".gz") ? createGzip() : undefined;
    const sink = gzip ?? out;
    const done = gzip ? pipeline(gzip, out) : new Promise<void>((resolve, reject) => out.on("finish", resolve).on("error", reject));
    const write = (text: string) => new Promise<void>((resolve, reject) => (sink.write(text) ? resolve() : sink.once("drain", resolve).once("error", reject)));
    await write(`-- Lectern backup: restore with \`npm run restore -- ${path.basename(file)}\` (README, "Backups")\n`);
    await write(`-- ${JSON.stringify(header)}\n`);
    for (const t of header.tables) {
      const columns = t.columns.map(ident).join(", ");
      await write(`COPY ${ident(t.name)} (${columns}) FROM stdin;\n`);
      // Rows in primary-key order would be nicer to read but cost a sort; the restore does not care.
      const stream = client.query(copyTo(`COPY ${ident(t.name)} (${columns}) TO STDOUT`));
      for await (const chunk of stream) await write(chunk.toString("utf8"));
      await write("\\.\n");
      log(`${t.name}: ${t.rows} rows`);
    }
    sink.end();
    await done;
    await client.query("COMMIT");
    fs.renameSync(tmp, file);
    return header;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Reads only the header of a backup file. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(file)) {
    if (!line.startsWith("-- {")) continue;
    const header = JSON.parse(line.slice(3)) as BackupHeader;
    if (header.format !== BACKUP_FORMAT) throw new Error(`${file} is not a Lectern backup (format ${header.format})`);
    return header;
  }
  throw new Error(`${file} is not a Lectern backup: it has no header line`);
}

function lines(file: string) {
  const input = fs.createReadStream(file);
  return readline.createInterface({ input: file.endsWith(".gz") ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
}

/**
 * Loads `file` into the empty database at `url`: the backup's migrations (from this checkout's prisma/migrations,
 * which must hold every one of them unchanged), its data, then this checkout's newer migrations.
 */
export async function restoreDatabase(url: string, file: string, log: (line: string) => void = () => {}): Promise<BackupHeader> {
  const header = await readBackupHeader(file);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    if (rows[0].n > 0) throw new Error("the target database is not empty: restore into a new, empty database (README, \"Backups\")");

    const dir = migrationsOf(header);
    try {
      migrateDeploy(url, { quiet: true, migrationsDir: dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    log(`schema of the backup created (${header.migrations.length} migrations)`);

    await client.query("BEGIN");
    let current: { table: TableInfo; stream: ReturnType<typeof copyFrom>; done: Promise<void> } | undefined;
    for await (const line of lines(file)) {
      if (!current) {
        const m = /^COPY "((?:[^"]|"")+)" \(.*\) FROM stdin;$/.exec(line);
        if (!m) continue;
        const table = header.tables.find((t) => t.name === m[1].replaceAll('""', '"'));
        if (!table) throw new Error(`${file}: table ${m[1]} is not in the header`);
        const stream = client.query(copyFrom(`COPY ${ident(table.name)} (${table.columns.map(ident).join(", ")}) FROM STDIN`));
        current = { table, stream, done: new Promise((resolve, reject) => stream.on("finish", resolve).on("error", reject)) };
      } else if (line === "\\.") {
        current.stream.end();
        await current.done;
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(current.table.name)}`);
        if (rows[0].n !== current.table.rows) throw new Error(`${current.table.name}: ${rows[0].n} rows loaded, the backup holds ${current.table.rows}`);
        log(`${current.table.name}: ${rows[0].n} rows`);
        current = undefined;
      } else if (!current.stream.write(`${line}\n`)) {
        await new Promise((resolve) => current!.stream.once("drain", resolve));
      }
    }
    if (current) {
      const cut = current;
      current = undefined;
      // Abandon the COPY (the server discards its rows), or the connection stays in COPY mode.
      cut.stream.destroy(new Error("incomplete"));
      await cut.done.catch(() => {});
      throw new Error(`${file} ends inside table ${cut.table.name}: the backup is incomplete`);
    }
    await resetSequences(client);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
  migrateDeploy(url, { quiet: true });
  log("newer migrations of this version applied");
  return header;
}

// Serial columns, if a later schema has any, continue after the restored rows.
async function resetSequences(client: pg.ClientBase) {
  const { rows } = await client.query<{ seq: string; tbl: string; col: string }>(`
    SELECT pg_get_serial_sequence(format('%I', c.relname), a.attname) AS seq, c.relname AS tbl, a.attname AS col
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_get_serial_sequence(format('%I', c.relname), a.attname) IS NOT NULL`);
  for (const r of rows) await client.query(`SELECT setval($1, coalesce((SELECT max(${ident(r.col)}) FROM ${ident(r.tbl)}), 0) + 1, false)`, [r.seq]);
}

// The backup's migrations, as a folder Prisma can deploy: this checkout's copies, checked against the checksums
// the backed-up database recorded.
function migrationsOf(header: BackupHeader): string {
  const source = path.resolve("prisma/migrations");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lectern-restore-migrations-"));
  fs.copyFileSync(path.join(source, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
  for (const m of header.migrations) {
    const sql = path.join(source, m.name, "migration.sql");
    if (!fs.existsSync(sql)) throw new Error(`the backup was made by a newer Lectern (migration ${m.name} is not in prisma/migrations): restore it with that version`);
    const text = fs.readFileSync(sql);
    if (createHash("sha256").update(text).digest("hex") !== m.checksum) {
      throw new Error(`prisma/migrations/${m.name} differs from the migration the backed-up database ran: restore with the version that made the backup`);
    }
    fs.mkdirSync(path.join(dir, m.name));
    fs.writeFileSync(path.join(dir, m.name, "migration.sql"), text);
  }
  return dir;
}
