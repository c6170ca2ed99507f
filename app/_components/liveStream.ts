"use client";
// A course's live stream, shared by every tab of the browser: public/live-worker.js (a SharedWorker) holds one
// EventSource per course and relays its events to each tab that listens. Browsers keep at most six HTTP/1.1
// connections per host and a stream holds one for good, so a stream per tab would leave an instructor's sixth
// tab waiting forever. Where SharedWorker is missing (some phones: one tab anyway), each tab opens its own.
type Listener = (name: string, data: string | null) => void;
type Course = { listeners: Set<Listener>; names: Set<string>; close?: () => void };

const WORKER_URL = "/live-worker.js";
// The worker's name is part of its identity: a new version of the file must not join a worker of the old one.
const WORKER_NAME = "lectern-live-1";

const courses = new Map<string, Course>();
let port: MessagePort | null | undefined;

function sharedPort(): MessagePort | null {
  if (port !== undefined) return port;
  port = null;
  if (typeof SharedWorker === "undefined") return port;
  try {
    const worker = new SharedWorker(WORKER_URL, { name: WORKER_NAME });
    port = worker.port;
    port.onmessage = (e: MessageEvent<{ courseId: string; name: string; data: string | null }>) => {
      const course = courses.get(e.data.courseId);
      course?.listeners.forEach((l) => l(e.data.name, e.data.data));
    };
    port.start();
    // Leaving the page (or into the back-forward cache) ends this tab's share; coming back renews it.
    addEventListener("pagehide", () => port?.postMessage({ type: "close" }));
    addEventListener("pageshow", (e) => {
      if (e.persisted) for (const [courseId, course] of courses) port?.postMessage({ type: "subscribe", courseId, names: [...course.names] });
    });
  } catch {
    port = null;
  }
  return port;
}

/** A tab's own EventSource, for browsers without SharedWorker. */
function ownStream(courseId: string, course: Course): () => void {
  const source = new EventSource(`/api/courses/${encodeURIComponent(courseId)}/live`);
  const relay = (name: string) => (e: Event) => course.listeners.forEach((l) => l(name, (e as MessageEvent).data ?? null));
  for (const name of [...course.names, "open"]) source.addEventListener(name, relay(name));
  return () => source.close();
}

/** Listens to the course's events `names` (and "open", on every (re)connection); returns the unsubscribe. */
export function listenLive(courseId: string, names: string[], listener: Listener): () => void {
  let course = courses.get(courseId);
  const fresh = !course;
  if (!course) courses.set(courseId, (course = { listeners: new Set(), names: new Set() }));
  course.listeners.add(listener);
  const added = names.filter((n) => !course.names.has(n));
  added.forEach((n) => course.names.add(n));
  const shared = sharedPort();
  if (shared) {
    if (fresh || added.length) shared.postMessage({ type: "subscribe", courseId, names: [...course.names] });
  } else if (fresh || added.length) {
    course.close?.();
    course.close = ownStream(courseId, course);
  }
  return () => {
    course.listeners.delete(listener);
    if (course.listeners.size > 0) return;
    courses.delete(courseId);
    if (shared) shared.postMessage({ type: "unsubscribe", courseId });
    course.close?.();
  };
}
