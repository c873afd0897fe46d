/**
 * A copy of plain data (objects, arrays, primitives) that gives what `structuredClone` gives,
 * about ten times faster; anything else goes to `structuredClone` itself.
 *
 * fake-indexeddb clones every value it stores and every value it reads with `structuredClone`,
 * and in the fault and model tests that is most of the time spent: the pipeline reads its calls
 * around each call it logs, thousands of times over a thousand calls. Those values are plain
 * data, for which a structured clone is a deep copy: own enumerable string keys in order, `{}`
 * for a null-prototype object, shared and circular references kept. Any value this copy is not
 * sure of (a Date, a Map, a typed array, a class instance, a holey or decorated array, a
 * function, a symbol, a proxy…) is cloned, or refused, by the real `structuredClone`, from its
 * root, so nothing that would fail to be stored in IndexedDB is stored here.
 * `tests/unit/plain-clone.test.ts` holds it to `structuredClone` over generated values.
 */
import { types } from 'node:util';

const NOT_PLAIN = Symbol('not plain data');

function copy(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw NOT_PLAIN;
    return value;
  }
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (types.isProxy(value)) throw NOT_PLAIN;
  const prototype = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) throw NOT_PLAIN;
    const keys = Object.keys(value);
    if (keys.length !== value.length) throw NOT_PLAIN; // holes, or properties besides the items
    const out: unknown[] = new Array(value.length);
    copies.set(value, out);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw NOT_PLAIN;
      out[i] = copy(value[i], copies);
    }
    return out;
  }
  if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], copies);
  return out;
}

/** `structuredClone(value, options)`, computed faster when `value` is plain data. */
export function plainClone<T>(value: T, options?: StructuredSerializeOptions, clone: typeof structuredClone = structuredClone): T {
  if (options !== undefined) return clone(value, options);
  try {
    return copy(value, new Map()) as T;
  } catch (error) {
    if (error === NOT_PLAIN) return clone(value);
    throw error;
  }
}

/** Makes `structuredClone` (which fake-indexeddb calls for every value) take the fast copy. */
export function usePlainClone(): void {
  const real = globalThis.structuredClone;
  if ((real as { plain?: true }).plain) return;
  const fast = <T>(value: T, options?: StructuredSerializeOptions): T => plainClone(value, options, real);
  globalThis.structuredClone = Object.assign(fast, { plain: true as const });
}
