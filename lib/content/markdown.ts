// Markdown + KaTeX for prompts, choices, explanations and feedback.
// Course content is trusted (it comes from git, reviewed), so prompts may hold raw
// HTML; anything a student or grader wrote is rendered untrusted: raw HTML escaped,
// links and images reduced to their text.
import katex from "katex";
import { Marked, type Tokens, type TokenizerAndRendererExtension } from "marked";
import { parse as parseYaml } from "yaml";
import { renderDiagram, renderNamedDiagram, type DiagramSpec } from "./diagrams";

export interface RenderOptions {
  /**
   * Collect every KaTeX error and warning (KaTeX strict: "error") and every unknown
   * placeholder or diagram. The content check renders with this; pages need not.
   */
  strict?: boolean;
  /** false for student- or grader-written text: raw HTML is escaped. Default true. */
  trusted?: boolean;
  /** Values for {{name}} placeholders (a variant's params). */
  params?: Record<string, number | string>;
}

export interface RenderResult {
  html: string;
  /** Problems found while rendering; always empty unless something is wrong. */
  errors: string[];
}

export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function renderTex(tex: string, displayMode: boolean, strict: boolean, errors: string[]): string {
  try {
    return katex.renderToString(tex, strict ? { displayMode, throwOnError: true, strict: "error" } : { displayMode, throwOnError: false, strict: "ignore" });
  } catch (e) {
    errors.push(`KaTeX: ${(e as Error).message} in $${tex}$`);
    return `<code class="katex-error">${escapeHtml(tex)}</code>`;
  }
}

function renderDiagramBlock(info: string, body: string, errors: string[]): string {
  const name = info.replace(/^diagram\b/, "").trim() || body.trim();
  try {
    if (/^[a-z0-9-]+$/.test(name) && !body.includes(":")) return `<figure class="diagram">${renderNamedDiagram(name)}</figure>`;
    return `<figure class="diagram">${renderDiagram(parseYaml(body) as DiagramSpec)}</figure>`;
  } catch (e) {
    errors.push(`diagram: ${(e as Error).message}`);
    return `<pre class="diagram-error">${escapeHtml(body)}</pre>`;
  }
}

/** Where a $ could open math: not after a backslash (then the escape goes first). */
function mathStart(src: string): number | undefined {
  const i = src.search(/\\?\$/);
  return i < 0 ? undefined : i;
}

function createMarked(trusted: boolean, strict: boolean, errors: string[]): Marked {
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
        const display = /^\$\$([\s\S]+?)\$\$/.exec(src);
        if (display) return { type: "inlineMath", raw: display[0], text: display[1].trim(), display: true };
        // Pandoc's rule: no space just inside the dollars, no digit just after, so "$5 and $6" stays text.
        const m = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
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
        if (/^diagram\b/.test(token.lang ?? "")) return renderDiagramBlock(token.lang ?? "", token.text, errors);
        return false;
      },
      ...(trusted
        ? {}
        : {
            html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
            link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link) {
              return this.parser.parseInline(token.tokens);
            },
            image: (token: Tokens.Image) => escapeHtml(token.text),
          }),
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
  const marked = createMarked(opts.trusted ?? true, opts.strict ?? false, errors);
  const source = substitute(md, opts.params, errors);
  const html = (inline ? marked.parseInline(source) : marked.parse(source)) as string;
  return { html, errors };
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

/** Feedback from scoring or grading: inline Markdown and math, raw HTML escaped. */
export function renderFeedback(text: string): string {
  return render(text, { trusted: false }, false).html;
}
