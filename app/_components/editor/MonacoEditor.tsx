"use client";
// Monaco from the local package (never a CDN), speaking TypeScript with the declarations of the student
// Tensor API: autocomplete, hover docs and type errors before submitting. Loaded only through ./index.tsx
// (dynamic, no SSR), so only the exercise page ships it.
import * as monaco from "monaco-editor";
import Editor, { loader } from "@monaco-editor/react";
import { useEffect, useRef } from "react";

const NP_TYPES_URI = "file:///node_modules/@types/lectern-np/index.d.ts";

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === "typescript" || label === "javascript"
      ? new Worker(new URL("monaco-editor/language/typescript/ts.worker.js", import.meta.url), { type: "module" })
      : new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), { type: "module" });
  },
};
loader.config({ monaco });

let configuredWith: string | null = null;
function configureTypeScript(declarations: string) {
  if (configuredWith === declarations) return;
  configuredWith = declarations;
  const ts = monaco.typescript;
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    lib: ["es2022"],
    strict: true,
    noImplicitAny: false,
    allowNonTsExtensions: true,
  });
  ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  ts.typescriptDefaults.setExtraLibs([{ content: declarations, filePath: NP_TYPES_URI }]);
}

export type EditorProblem = { line: number; message: string };

/** What the page may do to the text: Monaco owns it, the page only observes it (see onChange). */
export type EditorApi = {
  /** Replaces the whole text as one undoable edit (Ctrl+Z brings the old text back). */
  replace: (code: string) => void;
  focus: () => void;
};

export default function MonacoEditor({
  path,
  initialCode,
  declarations,
  onChange,
  onProblems,
  onReady,
  readOnly = false,
  height = 520,
}: {
  /** The model's file name, e.g. "linear-layer.ts" (one model per exercise). */
  path: string;
  /** The text the editor opens on. Later changes come only through onReady's replace(). */
  initialCode: string;
  declarations: string;
  /** Every change of the text, as Monaco has it. */
  onChange?: (code: string) => void;
  onProblems?: (problems: EditorProblem[]) => void;
  onReady?: (api: EditorApi) => void;
  readOnly?: boolean;
  height?: number | string;
}) {
  const problemsRef = useRef(onProblems);
  problemsRef.current = onProblems;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const uri = `file:///exercise/${path}`;
  configureTypeScript(declarations);

  useEffect(() => {
    const report = () => {
      const markers = monaco.editor.getModelMarkers({ resource: monaco.Uri.parse(uri) });
      problemsRef.current?.(
        markers.filter((m) => m.severity === monaco.MarkerSeverity.Error).map((m) => ({ line: m.startLineNumber, message: m.message })),
      );
    };
    const sub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === monaco.Uri.parse(uri).toString())) report();
    });
    return () => sub.dispose();
  }, [uri]);

  // Uncontrolled on purpose: a `value` prop fed back from React state races the renders of fast typing (keys
  // typed between a change and its re-render were replaced by the older text, or landed at its end).
  const mount = (editor: monaco.editor.IStandaloneCodeEditor) => {
    // A model left from an earlier visit in this page's lifetime keeps its text: start from the page's.
    const model = editor.getModel();
    if (model && model.getValue() !== initialCode) model.setValue(initialCode);
    editor.onDidChangeModelContent(() => changeRef.current?.(editor.getValue()));
    onReady?.({
      replace: (code) => {
        const m = editor.getModel();
        if (!m || m.getValue() === code) return;
        editor.pushUndoStop();
        editor.executeEdits("lectern", [{ range: m.getFullModelRange(), text: code }]);
        editor.pushUndoStop();
      },
      focus: () => editor.focus(),
    });
  };

  return (
    <div className="editor-frame" data-testid="code-editor">
      <Editor
        height={height}
        path={uri}
        defaultLanguage="typescript"
        defaultValue={initialCode}
        onMount={mount}
        loading={<div className="editor-loading muted small">Loading the editor…</div>}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 14,
          tabSize: 2,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fixedOverflowWidgets: true,
          renderValidationDecorations: "on",
        }}
      />
    </div>
  );
}
