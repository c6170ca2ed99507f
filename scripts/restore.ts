// `npm run restore -- FILE [--replace]`: loads a backup made by `npm run backup` into an empty database.
// DATABASE_URL: that database must be empty (create a new one for it). Embedded PostgreSQL: Lectern must be
// stopped; its database is restored in place, and when it already holds data, --replace drops it first.
import pg from "pg";
import { readBackupHeader, restoreDatabase } from "@/lib/db/backup";
import { withDatabase } from "./database";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Usage: npm run restore -- FILE [--replace]   (FILE made by `npm run backup`)");
  process.exit(2);
}
const header = await readBackupHeader(file).catch((e: Error) => {
  console.error(`[restore] ${e.message}`);
  process.exit(1);
});
console.log(`[restore] ${file}: made ${header.createdAt} on ${header.server.split(" on ")[0]}, ${header.tables.reduce((n, t) => n + t.rows, 0)} rows`);

const started = performance.now();
await withDatabase(
  async (url, { adminUrl }) => {
    if (adminUrl && args.includes("--replace")) {
      // Only for the embedded server, which this script started itself: nothing else is connected to it.
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const name = new URL(url).pathname.slice(1);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      console.log(`[restore] emptied the embedded database "${name}" (--replace)`);
    }
    await restoreDatabase(url, file, (line) => console.log(`[restore]   ${line}`));
    console.log(`[restore] done in ${((performance.now() - started) / 1000).toFixed(1)} s; start Lectern as usual.`);
  },
  { exclusive: true },
).catch((e: Error) => {
  console.error(`[restore] ${e.message}`);
  if (/not empty/.test(e.message) && !process.env.DATABASE_URL) console.error("[restore] To overwrite the embedded database, add --replace.");
  process.exit(1);
});
