// One live stream per course for every tab of this browser (app/_components/liveStream.ts): browsers allow
// six HTTP/1.1 connections per host, and a stream holds one for as long as it is open, so an instructor's
// seventh tab (control page, presenter, results…) would otherwise wait forever for a connection. Tabs
// subscribe over their MessagePort; this worker opens the course's EventSource once and relays its events.
// Plain JavaScript in public/: loaded by URL, outside the bundler, and the same file for every page.
"use strict";

/** courseId → { source, ports: Map<port, Set<eventName>>, names: Set<eventName>, retry } */
const courses = new Map();
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

function relay(course, courseId, name, data) {
  for (const [port, names] of course.ports) if (names.has(name)) port.postMessage({ courseId, name, data });
}

function listen(course, courseId, name) {
  if (course.names.has(name)) return;
  course.names.add(name);
  if (course.source) course.source.addEventListener(name, (e) => relay(course, courseId, name, e.data));
}

function connect(courseId, course) {
  const source = new EventSource(`/api/courses/${encodeURIComponent(courseId)}/live`);
  course.source = source;
  const names = [...course.names];
  course.names.clear();
  for (const name of names) listen(course, courseId, name);
  source.addEventListener("open", () => {
    course.failures = 0;
    relay(course, courseId, "open", null);
  });
  source.addEventListener("error", () => {
    // An HTTP refusal (signed out, a role lost) closes an EventSource for good; a dropped connection does
    // not (it retries by itself). Retry the closed one later, with back-off, while a tab still wants it.
    if (source.readyState !== EventSource.CLOSED || course.source !== source) return;
    course.source = null;
    const wait = RETRY_MS[Math.min(course.failures++, RETRY_MS.length - 1)];
    course.retry = setTimeout(() => course.ports.size > 0 && !course.source && connect(courseId, course), wait);
  });
}

function subscribe(port, courseId, names) {
  let course = courses.get(courseId);
  if (!course) courses.set(courseId, (course = { source: null, ports: new Map(), names: new Set(), failures: 0, retry: null }));
  course.ports.set(port, new Set([...names, "open"]));
  for (const name of names) listen(course, courseId, name);
  if (!course.source) connect(courseId, course);
  // Already connected: this tab missed nothing it did not just load, but tell it the stream is live.
  else if (course.source.readyState === EventSource.OPEN) port.postMessage({ courseId, name: "open", data: null });
}

function unsubscribe(port, courseId) {
  const course = courses.get(courseId);
  if (!course || !course.ports.delete(port) || course.ports.size > 0) return;
  clearTimeout(course.retry);
  course.source?.close();
  courses.delete(courseId);
}

self.onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = (e) => {
    const m = e.data || {};
    if (m.type === "subscribe" && typeof m.courseId === "string" && Array.isArray(m.names)) subscribe(port, m.courseId, m.names);
    else if (m.type === "unsubscribe" && typeof m.courseId === "string") unsubscribe(port, m.courseId);
    else if (m.type === "close") for (const courseId of [...courses.keys()]) unsubscribe(port, courseId);
    else if (m.type === "count") port.postMessage({ name: "count", data: [...courses.values()].filter((c) => c.source).length });
  };
  port.start();
};
