// How many PostgreSQL connections one process may open, by configuration. The budget of a deployment is the
// sum over its processes (README, "Connections"): it must stay below the server's max_connections.
//   web or all: DB_POOL_SIZE (Prisma) + DB_FAST_POOL_SIZE (plain pg, the answer hot path) + 1 (LISTEN)
//   worker:     DB_POOL_SIZE + 1 (LISTEN); the fast pool is never opened
// Pools open connections on demand and close idle ones, so these are ceilings, not what an idle process holds.
export type Role = "web" | "worker" | "all";

const ROLES: readonly Role[] = ["web", "worker", "all"];

/** LECTERN_ROLE: web (HTTP only), worker (grading only, no HTTP) or all (both; the zero-configuration default). */
export function processRole(value = process.env.LECTERN_ROLE): Role {
  if (value === undefined || value === "") return "all";
  if (!ROLES.includes(value as Role)) throw new Error(`LECTERN_ROLE must be one of ${ROLES.join(", ")}; it is "${value}"`);
  return value as Role;
}

function count(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}; it is "${raw}"`);
  return n;
}

/** Prisma's pool: every page, route and the grading queue. */
export const prismaPoolSize = () => count("DB_POOL_SIZE", processRole() === "worker" ? 3 : 6, 1);
/** The plain pg pool of the hot path (answers, course access). */
export const fastPoolSize = () => count("DB_FAST_POOL_SIZE", 10, 1);
/** Submissions graded at once by this process; 0 = none (a web instance beside separate workers). */
export const gradingConcurrency = () => count("GRADING_CONCURRENCY", processRole() === "web" ? 0 : 2, 0);
