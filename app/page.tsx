import Link from "next/link";
import { currentUser } from "@/lib/auth";
import { myCourses } from "@/lib/courses";
import { ActionForm } from "./_components/ActionForm";
import { createCourseAction, joinCourseAction } from "./courses/actions";

export const dynamic = "force-dynamic";

// ?join=CODE: where the QR code on the lecture's wall leads, the join code filled in (after signing in).
const joinCode = (raw: string | string[] | undefined) => (typeof raw === "string" && /^[A-Za-z0-9]{1,32}$/.test(raw) ? raw.toUpperCase() : "");

export default async function Home({ searchParams }: { searchParams: Promise<{ join?: string | string[] }> }) {
  const user = await currentUser();
  const join = joinCode((await searchParams).join);
  const back = join ? `?callbackUrl=${encodeURIComponent(`/?join=${join}`)}` : "";
  if (!user) {
    return (
      <main className="page">
        <section className="hero">
          <h1>Teach neural networks live.</h1>
          <p className="muted">
            Lectern runs your lecture&apos;s polls on students&apos; phones and grades their forward and backward passes
            in a sandbox against a reference backprop engine — telling each student which gradient is wrong and why.
          </p>
          <p className="actions">
            <Link className="button" href={`/sign-in${back}`}>
              Sign in
            </Link>
            <Link className="button secondary" href={`/sign-up${back}`}>
              Create an account
            </Link>
          </p>
        </section>
      </main>
    );
  }
  const courses = await myCourses(user.id);
  return (
    <main className="page">
      <h1>Your courses</h1>
      {courses.length === 0 && <p className="muted">You are not in any course yet. Join one with the code your instructor shows.</p>}
      <div className="grid" data-testid="course-list">
        {courses.map((c) => (
          <Link key={c.id} href={`/courses/${c.id}`} className="card" style={{ textDecoration: "none", color: "inherit" }}>
            <h2>{c.title}</h2>
            <span className={`badge ${c.role.toLowerCase()}`}>{c.role}</span>{" "}
            <span className="small muted">{c.members} members</span>
          </Link>
        ))}
      </div>
      <div className="grid" style={{ marginTop: "1.5rem" }}>
        <section className="card">
          <h2>Join a course</h2>
          <ActionForm action={joinCourseAction} submitLabel="Join" pendingLabel="Joining…" testId="join-form">
            <label htmlFor="code">Join code</label>
            <input id="code" name="code" type="text" autoComplete="off" autoCapitalize="characters" placeholder="K7PQ2M" maxLength={32} defaultValue={join} />
          </ActionForm>
        </section>
        <section className="card">
          <h2>Create a course</h2>
          <ActionForm action={createCourseAction} submitLabel="Create" pendingLabel="Creating…" testId="create-course-form">
            <label htmlFor="title">Title</label>
            <input id="title" name="title" type="text" placeholder="Neural Networks, Spring term" maxLength={200} />
          </ActionForm>
        </section>
      </div>
    </main>
  );
}
