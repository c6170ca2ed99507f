// Markdown + KaTeX for course content (prompts, choices, explanations), and KaTeX alone for feedback.
// Course content is trusted (it comes from git, reviewed), so prompts may hold raw HTML and ```diagram
// blocks. Feedback (a grader's or a poll's words) is never parsed as Markdown: it is text with $…$ math,
// and anything a student's code printed or threw is not even that (the page shows it as plain text).
// Every renderer here has a size bound, trusted or not: a page view must never be able to take the server down.
import katex from "katex";
import { Marked, type Tokens, type TokenizerAndRendererExtension } from "marked";
import { parse as parseYaml } from "yaml";
import { renderDiagram, renderNamedDiagram } from "./diagrams";

export interface RenderOptions {
  /**
   * Collect every KaTeX error and warning (KaTeX strict: "error") and every unknown
   * placeholder or diagram. The content check renders with this; pages need not.
   */
  strict?: boolean;
  /** Values for {{name}} placeholders (a variant's params). */
  params?: Record<string, number | string>;
}

/** Size bounds of every renderer here. Content over them is shown as text and fails the content check. */
export const RENDER_LIMITS = {
  /** A prompt or an explanation (the largest in exercises/ is 3 KB; marked is quadratic on some inputs). */
  documentChars: 32 * 1024,
  /** One feedback text: a check's message or title, a diagnosis, a poll's feedback. */
  feedbackChars: 4000,
  /** One $…$ formula. */
  texChars: 1000,
  /** Formulas in one feedback text. */
  feedbackFormulas: 32,
  /** ```diagram blocks in one document. */
  diagrams: 8,
} as const;

// trust: no \href, \url, \includegraphics or \html…; maxSize caps \rule and friends (in em); maxExpand stops
// macro loops. Macro definitions are refused outright: with \def a 60-character formula expands to
// megabytes of HTML in fewer than maxExpand steps (26 s for one, measured).
const KATEX_LIMITS = { trust: false, maxSize: 20, maxExpand: 1000 } as const;
const MACRO_DEFINITION = /\\(?:[egx]?def|let|futurelet|global|long|(?:re)?newcommand|providecommand|newenvironment|renewenvironment)(?![A-Za-z])/;

export interface RenderResult {
  html: string;
  /** Problems found while rendering; always empty unless something is wrong. */
  errors: string[];
}

export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function renderTex(tex: string, displayMode: boolean, strict: boolean, errors: string[]): string {
  try {
    if (tex.length > RENDER_LIMITS.texChars) throw new Error(`formula longer than ${RENDER_LIMITS.texChars} characters`);
    if (MACRO_DEFINITION.test(tex)) throw new Error("macro definitions are not allowed");
    return katex.renderToString(
      tex,
      strict ? { ...KATEX_LIMITS, displayMode, throwOnError: true, strict: "error" } : { ...KATEX_LIMITS, displayMode, throwOnError: false, strict: "ignore" },
    );
  } catch (e) {
    errors.push(`KaTeX: ${(e as Error).message} in $${tex}$`);
    return `<code class="katex-error">${escapeHtml(tex)}</code>`;
  }
}

function renderDiagramBlock(info: string, body: string, errors: string[]): string {
  const name = info.replace(/^diagram\b/, "").trim() || body.trim();
  try {
    if (/^[a-z0-9-]+$/.test(name) && !body.includes(":")) return `<figure class="diagram">${renderNamedDiagram(name)}</figure>`;
    return `<figure class="diagram">${renderDiagram(parseYaml(body, { maxAliasCount: 0 }))}</figure>`;
  } catch (e) {
    errors.push(`diagram: ${(e as Error).message}`);
    return `<pre class="diagram-error">${escapeHtml(body)}</pre>`;
  }
}

// $$…$$ anywhere (inline use); $…$ by Pandoc's rule: no space just inside the dollars, no digit just after,
// so "$5 and $6" stays text. Markdown and feedback both use these.
const DISPLAY_MATH = /^\$\$([\s\S]+?)\$\$/;
const INLINE_MATH = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/;

/** Where a $ could open math: not after a backslash (then the escape goes first). */
function mathStart(src: string): number | undefined {
  const i = src.search(/\\?\$/);
  return i < 0 ? undefined : i;
}

function createMarked(strict: boolean, errors: string[]): Marked {
  let diagrams = 0;
  const math: TokenizerAndRendererExtension[] = [
    {
      name: "displayMath",
      level: "block",
      // A block start also ends the paragraph before it, so only a line opening with $$ counts.
      start: (src) => src.match(/^\$\$/m)?.index,
      tokenizer(src) {
        const m = /^\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
        if (m) return { type: "displayMath", raw: m[0], text: m[1].trim() };
      },
      renderer: (t) => `<div class="math-display">${renderTex(t.text, true, strict, errors)}</div>\n`,
    },
    {
      name: "inlineMath",
      level: "inline",
      start: mathStart,
      tokenizer(src) {
        const display = DISPLAY_MATH.exec(src);
        if (display) return { type: "inlineMath", raw: display[0], text: display[1].trim(), display: true };
        const m = INLINE_MATH.exec(src);
        if (m) return { type: "inlineMath", raw: m[0], text: m[1], display: false };
      },
      renderer: (t) => renderTex(t.text, Boolean(t.display), strict, errors),
    },
  ];
  const marked = new Marked({ gfm: true, async: false });
  marked.use({ extensions: math });
  marked.use({
    renderer: {
      code(token: Tokens.Code) {
        if (!/^diagram\b/.test(token.lang ?? "")) return false;
        if (++diagrams > RENDER_LIMITS.diagrams) {
          errors.push(`diagram: more than ${RENDER_LIMITS.diagrams} in one document`);
          return `<pre class="diagram-error">${escapeHtml(token.text)}</pre>`;
        }
        return renderDiagramBlock(token.lang ?? "", token.text, errors);
      },
    },
  });
  return marked;
}

function substitute(md: string, params: Record<string, number | string> | undefined, errors: string[]): string {
  return md.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    const v = params?.[name];
    if (v === undefined) {
      errors.push(`unknown placeholder {{${name}}}`);
      return whole;
    }
    return String(v);
  });
}

function render(md: string, opts: RenderOptions, inline: boolean): RenderResult {
  const errors: string[] = [];
  const source = substitute(md, opts.params, errors);
  const asText = (why: string) => {
    errors.push(why);
    return { html: `<pre class="render-error">${escapeHtml(clipText(source, RENDER_LIMITS.documentChars))}</pre>`, errors };
  };
  if (source.length > RENDER_LIMITS.documentChars) return asText(`longer than ${RENDER_LIMITS.documentChars} characters`);
  try {
    const marked = createMarked(opts.strict ?? false, errors);
    return { html: (inline ? marked.parseInline(source) : marked.parse(source)) as string, errors };
  } catch (e) {
    // Deep nesting exhausts marked's recursion (">" × 20,000): the text is still shown.
    return asText(`Markdown: ${(e as Error).message.split("\n")[0]}`);
  }
}

/** Block Markdown → HTML, with problems listed instead of thrown. */
export function renderMarkdownChecked(md: string, opts: RenderOptions = {}): RenderResult {
  return render(md, opts, false);
}

/** Inline Markdown (a choice, a label) → HTML, with problems listed. */
export function renderInlineChecked(md: string, opts: RenderOptions = {}): RenderResult {
  return render(md, opts, true);
}

/** Block Markdown with $…$, $$…$$ and ```diagram blocks → HTML. Never throws. */
export function renderMarkdown(md: string, opts: RenderOptions = {}): string {
  return render(md, opts, false).html;
}

export function renderInline(md: string, opts: RenderOptions = {}): string {
  return render(md, opts, true).html;
}

/** At most `max` characters of `s`, with an ellipsis when cut. */
export function clipText(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Feedback (a check's message or title, a diagnosis, a poll's feedback) → inline HTML: text with $…$ and
 * $$…$$ rendered by KaTeX, everything else escaped, line breaks kept. Never Markdown, never diagrams, so
 * results stored before messages and quotes were kept apart (their messages hold student text) are safe too.
 */
export function renderFeedback(text: string): string {
  const src = clipText(text, RENDER_LIMITS.feedbackChars);
  const errors: string[] = [];
  const plain = (s: string) => escapeHtml(s).replace(/\n/g, "<br>");
  let html = "";
  let formulas = 0;
  let rest = src;
  for (let at = mathStart(rest); at !== undefined && formulas < RENDER_LIMITS.feedbackFormulas; at = mathStart(rest)) {
    html += plain(rest.slice(0, at));
    rest = rest.slice(at);
    if (rest.startsWith("\\$")) {
      html += "$";
      rest = rest.slice(2);
      continue;
    }
    const display = DISPLAY_MATH.exec(rest);
    const m = display ?? INLINE_MATH.exec(rest);
    if (!m) {
      html += "$";
      rest = rest.slice(1);
      continue;
    }
    html += renderTex(display ? m[1].trim() : m[1], Boolean(display), false, errors);
    rest = rest.slice(m[0].length);
    formulas++;
  }
  return html + plain(rest);
}
