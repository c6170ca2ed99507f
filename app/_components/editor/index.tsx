"use client";
// The code editor, loaded on demand in the browser only: Monaco and its TypeScript worker (2,587 KB of gzip
// JavaScript with the page, as tests/e2e/exercise.spec.ts measures it) are
// fetched by the exercise page alone, never by the rest of the app.
import dynamic from "next/dynamic";

export type { EditorApi, EditorProblem } from "./MonacoEditor";

export const CodeEditor = dynamic(() => import("./MonacoEditor"), {
  ssr: false,
  loading: () => <div className="editor-frame editor-loading muted small">Loading the editor…</div>,
});
