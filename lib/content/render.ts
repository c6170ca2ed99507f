// An item rendered for a page: prompt, choices and explanation as HTML for one variant.
import type { PublicVariant, Variant } from "@/lib/questions";
import { renderInlineChecked, renderMarkdownChecked, type RenderOptions } from "./markdown";
import type { Item } from "./load";

export interface RenderedItem {
  slug: string;
  kind: Item["kind"];
  title: string;
  /** Prompt HTML, placeholders filled from the variant. */
  html: string;
  /** For choice kinds, each option's text as inline HTML, in the variant's order. */
  choices?: { id: string; html: string }[];
  /** Show only after the reveal. */
  explanationHtml?: string;
  /** Non-empty only if the content is broken; content:check fails on it. */
  errors: string[];
}

export function renderItem(item: Item, variant: Variant | PublicVariant, opts: Pick<RenderOptions, "strict"> = {}): RenderedItem {
  const o = { strict: opts.strict, params: variant.params };
  const errors: string[] = [];
  const prompt = renderMarkdownChecked(item.prompt, o);
  errors.push(...prompt.errors.map((e) => `prompt: ${e}`));
  let choices: RenderedItem["choices"];
  if ("choices" in variant && variant.choices) {
    choices = variant.choices.map((c) => {
      const r = renderInlineChecked(c.text, o);
      errors.push(...r.errors.map((e) => `choice ${c.id}: ${e}`));
      return { id: c.id, html: r.html };
    });
  }
  let explanationHtml: string | undefined;
  if (item.explanation) {
    const r = renderMarkdownChecked(item.explanation, o);
    errors.push(...r.errors.map((e) => `explanation: ${e}`));
    explanationHtml = r.html;
  }
  return { slug: item.slug, kind: item.kind, title: item.title, html: prompt.html, choices, explanationHtml, errors };
}

/** Just the prompt HTML. */
export function renderPrompt(item: Item, variant: Variant | PublicVariant, opts: Pick<RenderOptions, "strict"> = {}): string {
  return renderItem(item, variant, opts).html;
}
