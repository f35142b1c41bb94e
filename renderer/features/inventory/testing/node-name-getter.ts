/**
 * happy-dom's `Node.prototype.nodeName` getter answers '' and each subclass
 * (Element, Text…) overrides it; in browsers the getter on Node.prototype
 * answers every node's name. DOMPurify reads names through that getter (so a
 * clobbered `nodeName` cannot fool it), and under happy-dom it would drop
 * every element as nameless. Importing this module before the first
 * sanitisation makes the getter behave as the browser's, so the tests run
 * the real sanitiser on a DOM that answers like Chromium.
 */
const nodeProto = Node.prototype;

function ownNodeName(node: Node): string {
  for (
    let proto: object | null = Object.getPrototypeOf(node) as object | null;
    proto !== null && proto !== nodeProto;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    const getter = Object.getOwnPropertyDescriptor(proto, 'nodeName')?.get;
    if (getter !== undefined) return getter.call(node) as string;
  }
  return '';
}

Object.defineProperty(nodeProto, 'nodeName', {
  configurable: true,
  get(this: Node) {
    return ownNodeName(this);
  },
});
