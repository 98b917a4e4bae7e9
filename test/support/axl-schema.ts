// Schema validation of AXL requests in tests (issue 21 "Done means"): the SOAP envelope must be
// valid, and its Body must hold exactly one element declared by the published AXLSoap.xsd of the
// version (cisco-axl@1.2.5 schema/<v>/), in that version's namespace, with every enumerated value
// checked against AXLEnums.xsd of that version.
// Two things make this more than `xmllint --schema AXLSoap.xsd`:
// - AXLSoap.xsd declares every enum as a union of its values with plain xsd:string (so any text
//   passes); the strict lists are in AXLEnums.xsd (another namespace). Each enum type is replaced
//   by the AXLEnums.xsd definition of the same name.
// - AXLSoap.xsd is 3.7 MB and xmllint-wasm compiles the schema on every call (~2 s). So the
//   schema is cut to what the operation needs: the transitive closure of `axlapi:` references
//   from its element, cached per version and operation (the schema text per version too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

export type SchemaVersion = '12.5' | '14' | '15';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const api = (v: SchemaVersion): string => (v === '12.5' ? '12.5' : `${v}.0`);

interface Loaded {
  open: string;
  defs: Map<string, string[]>;
  order: Map<string, number>;
  enums: Map<string, string>;
}

const loaded = new Map<SchemaVersion, Loaded>();
const subsets = new Map<string, string>();

function schemaDir(v: SchemaVersion): string {
  const pkg = createRequire(import.meta.url).resolve('cisco-axl/package.json');
  return join(dirname(pkg), 'schema', api(v));
}

/** The top-level children of the schema element: [name, text] in document order. */
function topLevel(text: string): { open: string; items: [string, string][] } {
  const items: [string, string][] = [];
  let depth = 0;
  let start = -1;
  let open = '';
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) {
      i = text.indexOf('-->', lt) + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      i = text.indexOf(']]>', lt) + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      i = text.indexOf('?>', lt) + 2;
      continue;
    }
    const gt = text.indexOf('>', lt);
    const tag = text.slice(lt, gt + 1);
    if (tag.startsWith('</')) {
      depth--;
      if (depth === 1) items.push([/name="([^"]+)"/.exec(text.slice(start, text.indexOf('>', start)))?.[1] ?? '', text.slice(start, gt + 1)]);
    } else {
      const selfClosing = tag.endsWith('/>');
      if (depth === 0) open = tag;
      else if (depth === 1) start = lt;
      if (selfClosing) {
        if (depth === 1) items.push([/name="([^"]+)"/.exec(tag)?.[1] ?? '', tag]);
      } else depth++;
    }
    i = gt + 1;
  }
  return { open, items };
}

function load(v: SchemaVersion): Loaded {
  const hit = loaded.get(v);
  if (hit) return hit;
  const dir = schemaDir(v);
  const soap = topLevel(readFileSync(join(dir, 'AXLSoap.xsd'), 'utf8'));
  const defs = new Map<string, string[]>();
  const order = new Map<string, number>();
  soap.items.forEach(([name, text], i) => {
    if (name === '') return;
    defs.set(name, [...(defs.get(name) ?? []), text]);
    if (!order.has(name)) order.set(name, i);
  });
  const enums = new Map<string, string>();
  for (const [name, text] of topLevel(readFileSync(join(dir, 'AXLEnums.xsd'), 'utf8')).items) if (text.startsWith('<xsd:simpleType')) enums.set(name, text);
  const l = { open: soap.open, defs, order, enums };
  loaded.set(v, l);
  return l;
}

/** The schema for one operation: its element and everything it references, enums made strict. */
export function operationSchema(v: SchemaVersion, operation: string): string | undefined {
  const key = `${v} ${operation}`;
  const hit = subsets.get(key);
  if (hit !== undefined) return hit;
  const l = load(v);
  if (!l.defs.get(operation)?.some((d) => d.startsWith('<xsd:element'))) return undefined;
  const seen = new Set<string>([operation]);
  const queue = [operation];
  while (queue.length > 0) {
    const name = queue.pop()!;
    for (const d of l.defs.get(name) ?? []) {
      for (const m of d.matchAll(/axlapi:([A-Za-z_][\w.-]*)/g)) {
        if (!seen.has(m[1]!) && l.defs.has(m[1]!)) {
          seen.add(m[1]!);
          queue.push(m[1]!);
        }
      }
    }
  }
  const names = [...seen].sort((a, b) => l.order.get(a)! - l.order.get(b)!);
  // returnedTags (types L<Type> of list…, R<Type> of get…) name the fields wanted with empty
  // elements (AXL Developer Guide, "returnedTags"): there an enum element may be empty, and a
  // value it does hold must still be one of AXLEnums.xsd's.
  const tagged = new Set<string>();
  const tagTypes = (n: string, d: string): string =>
    /^[LR][A-Z]/.test(n) && d.startsWith('<xsd:complexType')
      ? d.replace(/type="axlapi:([\w.-]+)"/g, (m, t: string) => (l.enums.has(t) ? (tagged.add(t), `type="axlapi:${t}.tag"`) : m))
      : d;
  const emptyOr = (t: string): string =>
    `<xsd:simpleType name="${t}.tag"><xsd:union memberTypes="axlapi:${t}"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:length value="0"/></xsd:restriction></xsd:simpleType></xsd:union></xsd:simpleType>`;
  const defs = names.flatMap((n) => l.defs.get(n)!.map((d) => (d.startsWith('<xsd:simpleType') && l.enums.has(n) ? l.enums.get(n)! : tagTypes(n, d))));
  const body = [...defs, ...[...tagged].filter((t) => seen.has(t)).map(emptyOr)]
    // Only the operation's own element is global in the cut schema: the Body may hold nothing else.
    .filter((d) => !d.startsWith('<xsd:element') || /name="([^"]+)"/.exec(d)?.[1] === operation)
    .join('\n');
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${l.open}\n${body}\n</xsd:schema>\n`;
  subsets.set(key, text);
  return text;
}

function envelopeSchema(v: SchemaVersion): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="${SOAP_ENV}" elementFormDefault="qualified">
  <xsd:import namespace="http://www.cisco.com/AXL/API/${api(v)}" schemaLocation="axl-operation.xsd"/>
  <xsd:element name="Envelope">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="Header" minOccurs="0">
          <xsd:complexType><xsd:sequence><xsd:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType>
        </xsd:element>
        <xsd:element name="Body">
          <xsd:complexType><xsd:sequence><xsd:any namespace="##other" processContents="strict"/></xsd:sequence></xsd:complexType>
        </xsd:element>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
`;
}

/** Local name of the Body's first element (the operation), as written. */
function operationOf(xml: string): string | undefined {
  return /<(?:[\w.-]+:)?Body(?:\s[^>]*)?>\s*<(?:[\w.-]+:)?([A-Za-z][\w]*)[\s/>]/.exec(xml)?.[1];
}

/** Errors of `xml` (a whole SOAP request) against the published schema of `version`; [] when valid. */
export async function validateAxlRequest(xml: string, version: SchemaVersion): Promise<string[]> {
  const op = operationOf(xml);
  if (op === undefined) return ['no operation element in the SOAP Body'];
  const schema = operationSchema(version, op);
  if (schema === undefined) return [`${op} is not an operation of AXL ${api(version)}`];
  const r = await validateXML({
    xml: [{ fileName: 'request.xml', contents: xml }],
    schema: [{ fileName: 'soap-envelope.xsd', contents: envelopeSchema(version) }],
    preload: [{ fileName: 'axl-operation.xsd', contents: schema }],
  });
  if (r.valid) return [];
  const errors = r.errors.map((e) => e.message).filter((m) => m !== '');
  return errors.length > 0 ? errors : [r.rawOutput.trim() || 'invalid (xmllint gave no message)'];
}
