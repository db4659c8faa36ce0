// A step's text from a stranger's lesson: Markdown formats it, nothing in it becomes markup or runs.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StepText } from '../../src/ui/lessons/LessonPanel.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(StepText, { text }));

describe('lesson step text', () => {
  it('renders Markdown: bold, lists, paragraphs, links that open in a new tab without an opener', () => {
    const out = html('The **Kick** goes on.\n\n- one\n- two\n\nSee [the manual](https://example.org/m).');
    expect(out).toContain('<strong>Kick</strong>');
    expect(out.match(/<li>/g)?.length).toBe(2);
    expect(out).toContain('<a href="https://example.org/m" target="_blank" rel="noopener noreferrer">the manual</a>');
  });

  it('escapes HTML and refuses script links', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) <a href="javascript:x">a</a>');
    expect(out).not.toMatch(/<script|<img|<a href="javascript/i);
    expect(out).toContain('&lt;script&gt;');
    expect(out).not.toContain('href="javascript');
  });
});
