import Link from "next/link";

export default function NotFound() {
  return (
    <main className="page narrow">
      <div className="card">
        <h1>Not found</h1>
        <p className="muted">This page does not exist, or it is not part of your courses.</p>
        <Link href="/">Back to your courses</Link>
      </div>
    </main>
  );
}
