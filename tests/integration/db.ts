// Per test file: a private database cloned from the migrated template, made the process's DATABASE_URL so
// lib code under test (which calls db()) talks to it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { closePgPool, db } from "@/lib/db";

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: inject("pg").adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function useTestDatabase() {
  const { adminUrl, template } = inject("pg");
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).href;
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    process.env.DATABASE_URL = url;
  });
  afterAll(async () => {
    await db().$disconnect();
    await closePgPool();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return { url, db };
}
