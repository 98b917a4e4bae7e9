// A small bounded XML reader for SOAP messages. Written here rather than adding a dependency:
// AXL responses (and the requests the lab reads) are plain documents — elements, attributes,
// text, perhaps CDATA and comments — so ~150 lines cover them, and what a general parser adds
// (DTDs, external or custom entities) is exactly what must be refused: a DOCTYPE is an error, and
// only the five predefined entities and numeric references are expanded. Sizes are bounded
// (characters, depth, element count) so a hostile or broken peer cannot exhaust memory.

export interface XmlElement {
  /** Qualified name as written (`ns:getPhoneResponse`). */
  name: string;
  local: string;
  /** Namespace URI the prefix resolves to ('' when none). */
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (concatenated). */
  text: string;
}

export class XmlReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlReadError';
  }
}

export interface XmlLimits {
  maxChars?: number;
  maxDepth?: number;
  maxElements?: number;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

function decode(s: string, where: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]{0,12});?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new XmlReadError(`unterminated entity reference at ${where}`);
    if (ref in PREDEFINED) return PREDEFINED[ref]!;
    const num = /^#x([0-9a-fA-F]{1,6})$/.exec(ref) ?? /^#([0-9]{1,7})$/.exec(ref);
    if (num) {
      const cp = parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10);
      const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!ok) throw new XmlReadError(`character reference &${ref}; is not an XML character`);
      return String.fromCodePoint(cp);
    }
    throw new XmlReadError(`unknown entity &${ref.slice(0, 12)}; (only the predefined ones are read)`);
  });
}

function parseAttrs(src: string, at: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gy;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new XmlReadError(`malformed attribute at ${at + i}`);
    const key = m[1]!;
    if (!NAME.test(key) && !/^xmlns(:[\w.-]+)?$/.test(key)) throw new XmlReadError(`bad attribute name at ${at + i}`);
    if (key in attrs) throw new XmlReadError(`duplicate attribute ${key} at ${at + i}`);
    attrs[key] = decode(m[2] ?? m[3] ?? '', at + i);
    i = re.lastIndex;
  }
  return attrs;
}

/** The document element of `text`, namespaces resolved. Throws XmlReadError on anything else. */
export function readXml(text: string, limits: XmlLimits = {}): XmlElement {
  const maxChars = limits.maxChars ?? 8 * 1024 * 1024;
  const maxDepth = limits.maxDepth ?? 64;
  const maxElements = limits.maxElements ?? 1_000_000;
  if (text.length > maxChars) throw new XmlReadError(`document larger than ${maxChars} characters`);
  const stack: { el: XmlElement; scope: Map<string, string> }[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    if (chunk !== '') {
      const top = stack[stack.length - 1];
      if (top) top.el.text += decode(chunk, i);
      else if (chunk.trim() !== '') throw new XmlReadError(`text outside the document element at ${i}`);
    }
    if (lt === -1) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) throw new XmlReadError('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      const top = stack[stack.length - 1];
      if (end === -1 || !top) throw new XmlReadError(`misplaced or unterminated CDATA at ${i}`);
      top.el.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) throw new XmlReadError('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      throw new XmlReadError('a DOCTYPE or other declaration is not accepted');
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end === -1) throw new XmlReadError('unterminated end tag');
      const name = text.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.el.name !== name) throw new XmlReadError(`end tag </${name.slice(0, 60)}> does not match at ${i}`);
      i = end + 1;
    } else {
      const end = findTagEnd(text, i);
      const selfClosing = text[end - 1] === '/';
      const inner = text.slice(i + 1, selfClosing ? end - 1 : end);
      const nm = /^[^\s/>]+/.exec(inner)?.[0] ?? '';
      if (!NAME.test(nm)) throw new XmlReadError(`bad element name at ${i}`);
      if (stack.length === 0 && root) throw new XmlReadError(`second document element at ${i}`);
      if (stack.length >= maxDepth) throw new XmlReadError(`nested deeper than ${maxDepth} elements`);
      if (++count > maxElements) throw new XmlReadError(`more than ${maxElements} elements`);
      const attrs = parseAttrs(inner.slice(nm.length), i + 1 + nm.length);
      const parentScope = stack[stack.length - 1]?.scope ?? new Map<string, string>();
      let scope = parentScope;
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(k === 'xmlns' ? '' : k.slice(6), v);
        }
      }
      const colon = nm.indexOf(':');
      const prefix = colon === -1 ? '' : nm.slice(0, colon);
      const ns = scope.get(prefix);
      if (ns === undefined && prefix !== '') throw new XmlReadError(`undeclared namespace prefix ${prefix} at ${i}`);
      const el: XmlElement = { name: nm, local: colon === -1 ? nm : nm.slice(colon + 1), ns: ns ?? '', attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.el.children.push(el);
      else root = el;
      if (!selfClosing) stack.push({ el, scope });
      i = end + 1;
    }
  }
  if (stack.length > 0) throw new XmlReadError(`unclosed element <${stack[stack.length - 1]!.el.name}>`);
  if (!root) throw new XmlReadError('no document element');
  return root;
}

/** The `>` ending the tag that starts at `i`, skipping quoted attribute values. */
function findTagEnd(text: string, i: number): number {
  let quote = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
    else if (c === '<') break;
  }
  throw new XmlReadError(`unterminated tag at ${i}`);
}

export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}
