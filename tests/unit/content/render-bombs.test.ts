// Renderer bombs, written the way an attacker (or a careless author) writes them: whatever text reaches a
// renderer, a page view must stay small and quick. Feedback that quotes a student's error message was the
// way in (issue 12: a ```diagram block in an exception message drew N² edges at every view, and again after
// every restart because the result is stored); course content goes through the same bounds.
//
// Each test has a short timeout: the bombs below took 2 s to 26 s (or ran out of heap) before the bounds.

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Feedback } from "@/app/_components/editor/Feedback";
import { MAX_DRAWN_NODES, RENDER_LIMITS, renderDiagram, renderFeedback, renderMarkdown, renderMarkdownChecked } from "@/lib/content";
import { checkView, type SubmissionState } from "@/lib/submissions";

const QUICK = 5000;
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;
const diagramBomb = (n: number) => "```diagram\nlayers: [" + `${n}, ${n}` + "]\nmaxNodesPerLayer: " + n + "\n```";
// KaTeX macros: 4 nested calls of an 8-fold copy are 585 expansions (under maxExpand) and 4,096 copies of the argument.
const macroBomb = "$\\def\\b#1{#1#1#1#1#1#1#1#1}\\b{\\b{\\b{\\b{" + "x".repeat(40) + "}}}}$";

describe("feedback (check messages, titles, diagnoses, poll feedback) is text with math, and bounded", () => {
  it("a ```diagram block in an error message is shown as the words it is, never drawn", { timeout: QUICK }, () => {
    const html = renderFeedback(`Error: boom\n${diagramBomb(100_000)}\n in your forward`);
    expect(html).not.toContain("<svg");
    expect(html).toContain("maxNodesPerLayer: 100000");
    expect(html.length).toBeLessThan(500);
  });

  it("Markdown in feedback is not parsed: no blockquotes, lists, emphasis, links or headings, however deep", { timeout: QUICK }, () => {
    const html = renderFeedback(`${">".repeat(20_000)} x\n# title\n- item\n[a](javascript:alert(1)) *${"*a".repeat(10_000)}`);
    expect(html).not.toMatch(/<(blockquote|ul|li|h1|em|strong|a)\b/);
    expect(html.length).toBeLessThan(6 * RENDER_LIMITS.feedbackChars); // at most the bound, escaped
  });

  it("a 10 MB message is cut to the bound before anything reads it", { timeout: QUICK }, () => {
    const html = renderFeedback(`Error: ${"<script>alert(1)</script>".repeat(400_000)}`);
    expect(html).not.toContain("<script>");
    expect(html.endsWith("…")).toBe(true);
    expect(html.length).toBeLessThan(6 * RENDER_LIMITS.feedbackChars);
  });

  it("KaTeX macro bombs are refused, sizes are capped, nothing trusted is honoured", { timeout: QUICK }, () => {
    const bomb = renderFeedback(macroBomb);
    expect(bomb).toContain('class="katex-error"');
    expect(bomb.length).toBeLessThan(500);
    expect(renderFeedback("$\\def\\a{\\a\\a}\\a$")).toContain('class="katex-error"');
    expect(renderFeedback("$\\gdef\\x{y}\\newcommand\\z{w}$")).toContain('class="katex-error"');
    // maxSize: a 100,000 em rule is drawn at most 20 em wide and tall (the source survives only as MathML's annotation).
    const sizes = [...renderFeedback("$\\rule{100000em}{100000em}$").matchAll(/(?:width|height|border-\w+-width):\s*([\d.]+)em/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
    const links = renderFeedback("$\\href{javascript:alert(1)}{x}\\url{http://x}\\includegraphics{x.png}\\htmlId{a}{b}$");
    expect(links).not.toMatch(/<a |<img |href=|id="a"/);
  });

  it("a text of formulas renders a bounded number of them; the rest stays text", { timeout: QUICK }, () => {
    const html = renderFeedback("$\\sqrt{\\frac{x}{y}}$ ".repeat(2000));
    expect(count(html, /class="katex"/g)).toBe(RENDER_LIMITS.feedbackFormulas);
    expect(html.length).toBeLessThan(1_000_000);
  });

  it("a formula longer than the bound is shown as code, not typeset", { timeout: QUICK }, () => {
    const html = renderFeedback(`$${"\\sqrt{".repeat(300)}x${"}".repeat(300)}$`);
    expect(html).toContain('class="katex-error"');
    expect(html).not.toContain('class="katex"');
  });
});

describe("stored results from before quote and message were kept apart render safely", () => {
  // A GradeResult written by an earlier grader: the student's exception inside the message, no quote.
  const stored = {
    id: "runs",
    title: "Your code runs without errors <img src=x onerror=alert(1)>",
    passed: false,
    points: 0,
    maxPoints: 0,
    message: `Your code threw: Error: <script>alert(1)</script> ${diagramBomb(100_000)} ${macroBomb} in your forward\n  at forward (student.ts:3:9)`,
  };

  it("the check view has no diagram, no script, no markup from the student, and a bounded size", { timeout: QUICK }, () => {
    const view = checkView(stored);
    for (const html of [view.titleHtml, view.messageHtml]) {
      expect(html).not.toMatch(/<svg|<script|<img/);
      expect(html.length).toBeLessThan(2000);
    }
    expect(view.messageHtml).toContain("student.ts:3:9");
  });

  it("the page shows a check's quote as plain preformatted text, never as HTML or math", () => {
    const view = checkView({ ...stored, message: "Your forward threw an error.", quote: "TypeError: <b>bold</b> $x^2$ **x**" });
    const state: SubmissionState = {
      id: "s",
      attempt: 1,
      late: false,
      status: "GRADED",
      createdAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:01.000Z",
      queuePosition: null,
      failureReason: null,
      checks: [view],
      score: 0,
      maxScore: 10,
      diagnosis: [],
      logs: ["<i>printed</i> $y$"],
      logsTruncated: false,
      history: [],
    };
    const page = renderToStaticMarkup(createElement(Feedback, { state }));
    expect(page).toContain('<pre class="quote" data-testid="check-quote">TypeError: &lt;b&gt;bold&lt;/b&gt; $x^2$ **x**</pre>');
    expect(page).toContain("&lt;i&gt;printed&lt;/i&gt; $y$");
    expect(count(page, /class="katex"/g)).toBe(0);
    expect(checkView({ ...stored, quote: "q".repeat(1e6) }).quote!.length).toBeLessThanOrEqual(4001);
  });
});

describe("course content (trusted Markdown) is bounded too", () => {
  it("a diagram spec cannot ask for more drawn nodes than the bound, however large its layers", { timeout: QUICK }, () => {
    const r = renderMarkdownChecked(diagramBomb(100_000));
    expect(r.html).not.toContain("<svg");
    expect(r.errors.join()).toMatch(/maxNodesPerLayer/);
    const widest = renderDiagram({ layers: Array(12).fill(100_000), maxNodesPerLayer: MAX_DRAWN_NODES });
    expect(count(widest, /<line class="edge"/g)).toBeLessThanOrEqual(11 * MAX_DRAWN_NODES ** 2);
    expect(() => renderDiagram({ layers: Array(13).fill(2) })).toThrow(/layers/);
    expect(() => renderDiagram({ layers: [1, 1], labels: { inputs: [{ base: "x".repeat(1000) }] } })).toThrow(/labels\.inputs/);
  });

  it("YAML alias bombs and a flood of diagrams are refused", { timeout: QUICK }, () => {
    const laughs = "```diagram\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nlayers: [1, 1]\n```";
    expect(renderMarkdownChecked(laughs).errors.join()).toMatch(/alias/i);
    const many = renderMarkdownChecked(Array(50).fill("```diagram three-neuron\n```").join("\n\n"));
    expect(count(many.html, /<svg/g)).toBe(RENDER_LIMITS.diagrams);
    expect(many.errors.join()).toMatch(/more than 8 in one document/);
  });

  it("deep nesting and oversized documents are shown as text with an error, never thrown", { timeout: QUICK }, () => {
    const deep = renderMarkdownChecked(">".repeat(20_000) + " x");
    expect(deep.html).toMatch(/^<pre class="render-error">/);
    expect(deep.errors.join()).toMatch(/Markdown: Maximum call stack/);
    const big = renderMarkdownChecked("x ".repeat(RENDER_LIMITS.documentChars));
    expect(big.errors).toEqual([`longer than ${RENDER_LIMITS.documentChars} characters`]);
    expect(() => renderMarkdown(Array.from({ length: 250 }, (_, i) => " ".repeat(i * 2) + "- x").join("\n"))).not.toThrow();
    expect(renderMarkdownChecked(macroBomb).errors.join()).toMatch(/macro definitions are not allowed/);
  });
});
