/**
 * A small XML writer for GeoReport v2's schemaless documents: objects become child elements in key
 * order, arrays a wrapper holding one element per item (the Spark convention, read backwards),
 * null an empty element. Text is escaped, and characters XML 1.0 cannot carry become U+FFFD.
 */

/** For each list, the name of its items: `services` holds `service`, `service_requests` holds `request`. */
export type ItemNames = Readonly<Record<string, string>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Lone surrogates as well as C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function element(name: string, value: unknown, items: ItemNames, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) {
    out.push(`<${name}/>`);
  } else if (Array.isArray(value)) {
    const item = items[name];
    if (!item) throw new Error(`no item name for the list ${name}`);
    out.push(`<${name}>`);
    for (const v of value) element(item, v, items, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) element(k, v, items, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number in ${name}`);
    out.push(`<${name}>${String(value)}</${name}>`);
  } else if (typeof value === 'boolean') {
    out.push(`<${name}>${value ? 'true' : 'false'}</${name}>`);
  } else {
    out.push(`<${name}>${escapeXmlText(String(value))}</${name}>`);
  }
}

/** A whole document: the XML declaration (UTF-8, as the spec requires) and one root element. */
export function toXml(root: string, value: unknown, items: ItemNames): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  element(root, value, items, out);
  out.push('\n');
  return out.join('');
}
