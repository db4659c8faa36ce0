// A note's text from a stranger's session: Markdown formats it (headings, emphasis, lists, links in a
// new tab), nothing in it becomes markup or runs. Rendered as the canvas renders a note (NoteNode).
import { ReactFlowProvider } from '@xyflow/react';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ServicesContext, type Services } from '../../src/ui/context.ts';
import { NoteNode } from '../../src/ui/canvas/NoteNode.tsx';
import { EditorStore } from '../../src/ui/store.ts';
import { emptySession } from '../../src/model/document.ts';
import type { NoteFlowNode } from '../../src/ui/canvas/annotations.ts';

function html(text: string): string {
  const services = { store: new EditorStore(emptySession()) } as unknown as Services;
  const annotation = { id: 'n', kind: 'note' as const, position: { x: 0, y: 0 }, size: { width: 200, height: 100 }, text };
  const props = { id: '~n', type: 'note', data: { annotation, readOnly: false }, selected: false } as unknown as Parameters<typeof NoteNode>[0] & { data: NoteFlowNode['data'] };
  return renderToStaticMarkup(createElement(ReactFlowProvider, null, createElement(ServicesContext.Provider, { value: services }, createElement(NoteNode, props))));
}

describe('note text', () => {
  it('renders headings, emphasis, lists and links that open in a new tab without an opener', () => {
    const out = html('# Drums\n\n## Bus\n\nThe **kick** and the *snare*.\n\n- one\n- two\n\n1. first\n\nSee [the manual](https://example.org/m).');
    expect(out).toContain('<h1>Drums</h1>');
    expect(out).toContain('<h2>Bus</h2>');
    expect(out).toContain('<strong>kick</strong>');
    expect(out).toContain('<em>snare</em>');
    expect(out.match(/<li>/g)?.length).toBe(3);
    expect(out).toContain('<a href="https://example.org/m" target="_blank" rel="noopener noreferrer">the manual</a>');
    expect(out).toContain('data-testid="note-n"');
  });

  it('keeps <script>, <img onerror> and javascript: links as text', () => {
    const out = html('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) <a href="javascript:x">a</a>\n\n<style>body{display:none}</style>');
    expect(out).not.toMatch(/<script|<img|<style|<a href="javascript|href="data:/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('[click](javascript:alert(1))');
    // Nothing in the note adds an attribute: every event handler is inside escaped text.
    expect(out).not.toMatch(/<[^>]+\son\w+=/i);
  });

  it('shows a hint for an empty note', () => {
    expect(html('  ')).toContain('Double-click to write (Markdown)');
  });
});
