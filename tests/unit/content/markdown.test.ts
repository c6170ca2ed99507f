import { describe, expect, it } from "vitest";
import { renderFeedback, renderInline, renderMarkdown, renderMarkdownChecked } from "@/lib/content";

describe("Markdown with KaTeX", () => {
  it("renders inline and display math", () => {
    const html = renderMarkdown("Neuron $z = \\sum_i w_i x_i + b$.\n\n$$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$$");
    expect(html).toContain('class="katex"');
    expect(html).toContain("katex-display");
    expect(html).not.toContain("$");
  });

  it("leaves prices and escaped dollars alone", () => {
    const html = renderMarkdown("It costs \\$5 and $6 per hour.");
    expect(html).not.toContain("katex");
    expect(html).toContain("$5");
  });

  it("strict mode lists KaTeX errors; lenient mode does not throw", () => {
    const r = renderMarkdownChecked("bad $\\frac{1}$ and $\\notacommand$", { strict: true });
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatch(/KaTeX/);
    expect(() => renderMarkdown("bad $\\frac{1}$")).not.toThrow();
  });

  it("fills placeholders and reports unknown ones", () => {
    const r = renderMarkdownChecked("${{n}} \\times {{k}}$ and {{missing}}", { params: { n: 784, k: 10 }, strict: true });
    expect(r.html).toContain("784");
    expect(r.errors).toEqual(["unknown placeholder {{missing}}"]);
  });

  it("replaces ```diagram blocks by inline SVG, named or from a spec", () => {
    expect(renderMarkdown("```diagram three-neuron\n```")).toMatch(/<figure class="diagram"><svg/);
    const spec = renderMarkdown("```diagram\nlayers: [{{n}}, 2, 1]\n```", { params: { n: 3 } });
    expect((spec.match(/<circle /g) ?? []).length).toBe(6);
    expect(renderMarkdownChecked("```diagram nope\n```", { strict: true }).errors[0]).toMatch(/unknown diagram/);
  });

  it("feedback is text with math: raw HTML escaped, Markdown links and images left as the words they are", () => {
    const html = renderFeedback('<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![a](http://x/y.png) **not bold** $a_1$\nnext line');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("<strong>");
    expect(html).toContain("&lt;img");
    expect(html).toContain("[click](javascript:alert(1))");
    expect(html).toContain("**not bold**");
    expect(html).toContain("katex");
    expect(html).toContain("<br>next line");
    expect(renderFeedback("It costs \\$5 and $6, and $$x^2$$ is display math.")).toMatch(/^It costs \$5 and \$6, and <span class="katex-display">/);
  });

  it("inline rendering has no paragraph", () => {
    expect(renderInline("$x$")).not.toContain("<p>");
  });
});
