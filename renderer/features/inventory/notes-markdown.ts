/**
 * A guest's notes (`description`) are Markdown anyone with VM.Config.Options
 * on that guest wrote: untrusted. They are rendered the way the PVE web UI
 * does (Markdown, links clickable) but inertly: markdown-it with raw HTML
 * off, then DOMPurify keeping a few formatting tags, links only to web and
 * mail addresses (opened outside the app), no images (nothing is fetched
 * from the network because a note says so), no style, no event attribute.
 */
import createPurifier from 'dompurify';
import MarkdownIt from 'markdown-it';
import { withoutBidiControls } from '../../../shared/text/bidi-controls';

/** Past this many characters the notes are cut for the Markdown view (the whole text stays readable as plain text). */
export const notesPreviewChars = 10_000;

const allowedTags = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];
const safeLink = /^(?:https?:|mailto:)/i;

// eslint-disable-next-line no-control-regex -- control characters (except tab and line breaks) are what is replaced
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const markdown = new MarkdownIt({ html: false, linkify: true });
markdown.disable('image');
// markdown-it's own check lets relative links and some data: URLs through; a note may only point at the web or a mailbox.
markdown.validateLink = (url) => safeLink.test(url.trim());

let purifier: ReturnType<typeof createPurifier> | undefined;

/** An instance of our own, so its hook touches no other user of DOMPurify; made on first use, when a note is first shown. */
function notesPurifier(): ReturnType<typeof createPurifier> {
  if (purifier !== undefined) return purifier;
  purifier = createPurifier(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    if (safeLink.test(node.getAttribute('href') ?? '')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    } else {
      node.removeAttribute('href');
    }
  });
  return purifier;
}

export interface RenderedNotes {
  /** Sanitised HTML, safe for `v-html`. */
  html: string;
  /** The source was longer than `notesPreviewChars` and only its beginning was rendered. */
  cut: boolean;
}

/** The text as it may be shown at all: without bidi controls, other control characters replaced. */
export function cleanNotes(source: string): string {
  return withoutBidiControls(source).replace(controlCharacters, '\uFFFD');
}

/** The beginning of a long text, cut at the last line break before the limit so a paragraph or table is not split mid-line. */
function preview(text: string): string {
  if (text.length <= notesPreviewChars) return text;
  const lastBreak = text.lastIndexOf('\n', notesPreviewChars);
  return text.slice(0, lastBreak > notesPreviewChars / 2 ? lastBreak : notesPreviewChars);
}

export function renderNotes(source: string): RenderedNotes {
  const text = cleanNotes(source);
  const shown = preview(text);
  const html = notesPurifier().sanitize(markdown.render(shown), {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: ['href', 'title', 'start'],
    ALLOWED_URI_REGEXP: safeLink,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
  return { html, cut: shown.length < text.length };
}
