// The one Markdown set-up of the editor, for lesson steps and notes on the canvas: text from a
// stranger's file may format itself (headings, emphasis, lists, links), never add markup, scripts or
// styles of its own. markdown-it with html off escapes any HTML, and its validateLink refuses
// javascript:, vbscript:, file: and non-image data: links; links open in a new tab without an opener.
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true });
const renderLink = markdown.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
markdown.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i].attrSet('target', '_blank');
  tokens[i].attrSet('rel', 'noopener noreferrer');
  return renderLink(tokens, i, options, env, self);
};

/** Markdown source as safe HTML (for dangerouslySetInnerHTML: nothing in it is the source's own markup). */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
