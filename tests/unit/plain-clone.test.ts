// @vitest-environment node
/**
 * The fault and model tests store their calls through `plainClone` instead of `structuredClone`
 * (tests/support/plain-clone.ts): it must give exactly what a structured clone gives, or refuse
 * exactly what it refuses, so that nothing passes there that IndexedDB would not store.
 */
import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainClone } from '../support/plain-clone';

/** What `structuredClone` does with a value: its copy, or the name of the error it throws. */
function outcome(clone: (value: unknown) => unknown, value: unknown): { copy: unknown } | { error: string } {
  try {
    return { copy: clone(value) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/**
 * Node's deep equality compares dates by their time, and an invalid date's is NaN, so two
 * invalid dates never equal: such values are compared by their full printed form instead.
 */
function sameWithInvalidDates(a: unknown, b: unknown): boolean {
  const print = (value: unknown) => inspect(value, { depth: Infinity, showHidden: true, sorted: false, maxArrayLength: Infinity, maxStringLength: Infinity });
  const printed = print(a);
  return printed.includes('Invalid Date') && printed === print(b);
}

function sameAsStructuredClone(value: unknown): void {
  const real = outcome(structuredClone, value);
  const fast = outcome(plainClone, value);
  if ('error' in real) {
    expect(fast).toEqual(real);
    return;
  }
  expect('copy' in fast).toBe(true);
  const copy = (fast as { copy: unknown }).copy;
  // Strict: -0, NaN, undefined properties, holes, prototypes and key order all count.
  expect(isDeepStrictEqual(copy, real.copy) || sameWithInvalidDates(copy, real.copy)).toBe(true);
  expect(JSON.stringify(Object.keys(copy ?? {}))).toBe(JSON.stringify(Object.keys(real.copy ?? {})));
  if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
}

describe('plainClone', () => {
  it('gives what structuredClone gives for any data, plain or not', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    fc.assert(fc.property(anything, sameAsStructuredClone), { numRuns: 2000 });
  });

  it('copies an invalid date inside a map as structuredClone does', () => {
    sameAsStructuredClone(new Map([['', new Date(Number.NaN)]]));
  });

  it('copies deeply: changing the copy leaves the original as it was', () => {
    const call = { id: 'cll-1', targets: [{ key: 'contact:1', related: [{ type: 'contact', id: 1 }] }], summary: null, gone: undefined };
    const copy = plainClone(call);
    copy.targets[0]!.related.push({ type: 'company', id: 2 });
    copy.targets[0]!.key = 'changed';
    expect(call).toEqual({ id: 'cll-1', targets: [{ key: 'contact:1', related: [{ type: 'contact', id: 1 }] }], summary: null, gone: undefined });
    expect(Object.hasOwn(copy, 'gone')).toBe(true);
  });

  it('keeps shared and circular references as structuredClone does', () => {
    const shared = { id: 1 };
    const value: Record<string, unknown> = { a: shared, b: [shared, shared] };
    value.self = value;
    const copy = plainClone(value) as { a: unknown; b: unknown[]; self: unknown };
    expect(copy.a).toBe(copy.b[0]);
    expect(copy.b[0]).toBe(copy.b[1]);
    expect(copy.a).not.toBe(shared);
    expect(copy.self).toBe(copy);
  });

  it('refuses what structuredClone refuses: functions, symbols, proxies, anywhere in the value', () => {
    for (const value of [() => 1, { deep: [{ f: () => 1 }] }, Symbol('s'), { s: Symbol('s') }, new Proxy({}, {}), { p: new Proxy([], {}) }]) {
      expect(outcome(plainClone, value)).toEqual({ error: 'DataCloneError' });
      expect(outcome(structuredClone, value)).toEqual({ error: 'DataCloneError' });
    }
  });

  it('gives class instances, arrays with holes or extra properties and getters the way structuredClone does', () => {
    class Call {
      constructor(public id: string) {}
      get label() {
        return `call ${this.id}`;
      }
    }
    const holey = [1, 2, 3];
    delete holey[1];
    const decorated = Object.assign([1, 2], { extra: true });
    const withGetter = Object.defineProperty({ a: 1 }, 'b', { get: () => 2, enumerable: true });
    const hidden = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });
    for (const value of [new Call('x'), { call: new Call('y') }, holey, decorated, withGetter, hidden, { [Symbol('k')]: 1, a: 2 }, Object.create(null)]) {
      sameAsStructuredClone(value);
    }
  });
});
