/**
 * A minimal, strict XML reader for tests of the junit outputs: elements, attributes, text, the five
 * predefined entities, a prolog. Throws on anything not well-formed (mismatched tags, bad
 * attributes, raw `<` or `&` in text), so a test that parses the output checks well-formedness.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  if (/[<]/.test(s)) throw new Error(`raw < in text: ${s.slice(0, 40)}`);
  return s.replace(/&([a-z]+|#\d+|#x[0-9a-f]+);|&/gi, (m, e: string | undefined) => {
    if (!e) throw new Error('raw & in text');
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown entity ${m}`);
    return v;
  });
}

export class XMLParser {
  parse(xml: string): XmlElement {
    const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
    const stack: XmlElement[] = [root];
    let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
    const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
    while (i < xml.length) {
      const lt = xml.indexOf('<', i);
      const text = xml.slice(i, lt === -1 ? xml.length : lt);
      if (text.trim()) stack[stack.length - 1]!.text += decode(text);
      if (lt === -1) break;
      tag.lastIndex = lt;
      const m = tag.exec(xml);
      if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
      const [, close, name, attrs, selfClose] = m;
      if (close) {
        const top = stack.pop();
        if (!top || top.name !== name) throw new Error(`</${name}> closes <${top?.name}>`);
      } else {
        const el: XmlElement = { name: name!, attributes: {}, children: [], text: '' };
        for (const a of attrs!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*"([^"]*)"/g)) {
          if (a[1]! in el.attributes) throw new Error(`duplicate attribute ${a[1]}`);
          el.attributes[a[1]!] = decode(a[2]!);
        }
        stack[stack.length - 1]!.children.push(el);
        if (!selfClose) stack.push(el);
      }
      i = tag.lastIndex;
    }
    if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
    if (root.children.length !== 1) throw new Error('an XML document has exactly one root element');
    return root;
  }
}
