// `npm run backup [-- --out FILE]`: a consistent dump of the whole database (courses, users, answers,
// submissions, grades, drafts — every table) into one file, while Lectern keeps running.
// Database: DATABASE_URL, else the embedded PostgreSQL (the running one, or started for the backup and stopped
// again). Default file: .data/backups/lectern-<UTC time>.sql.gz. Restore with `npm run restore -- FILE`.
import fs from "node:fs";
import path from "node:path";
import { backupDatabase } from "@/lib/db/backup";
import { withDatabase } from "./database";

const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
const file = path.resolve(outAt >= 0 ? args[outAt + 1] : `.data/backups/lectern-${stamp}.sql.gz`);
fs.mkdirSync(path.dirname(file), { recursive: true });

const started = performance.now();
await withDatabase(async (url) => {
  const header = await backupDatabase(url, file, (line) => console.log(`[backup]   ${line}`));
  const rows = header.tables.reduce((n, t) => n + t.rows, 0);
  const size = fs.statSync(file).size;
  console.log(
    `[backup] ${rows} rows of ${header.tables.length} tables, ${header.migrations.length} migrations → ${file.startsWith(process.cwd()) ? path.relative(process.cwd(), file) : file} ` +
      `(${(size / 1024).toFixed(0)} KB, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
});
