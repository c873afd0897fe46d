import { storage } from '#imports';
import * as v from 'valibot';
import { isSafeFieldName, OTHER, safeToken } from '../diagnostics/safe-text';
import { oneWriteAtATime } from '../one-write-at-a-time';

/**
 * What Allo's dialer really sends, kept as shapes, never values: Allo publishes the message types
 * but not their fields (docs/sellsy-and-allo.md), so the first real users' "Copy diagnostics"
 * is how we learn them. A shape has the type, each field's name and the type of its value; a
 * value that looks like a phone number shows only its last two digits, and no other text is
 * kept. The frame is hostile, so a type or a field name is kept only when it is a plain
 * identifier that cannot be a number, an e-mail address or a name (see `safe-text`): a field
 * named `+33612345678` or `marie@acme.fr` is only counted.
 */

export const MAX_SHAPES = 50;
// Bounds on what a hostile frame can make us store: depth and fields per message.
const MAX_DEPTH = 3;
const MAX_FIELDS = 30;
const PHONE_LIKE = /^\+?[\d\s().-]{6,24}$/;
// What `valueType` writes after a field's name: nothing else is read back from storage.
const VALUE_TYPE = /^(?:string\(\d{1,9}\)|array\(\d{1,9}\)|number …\d{0,2}|number|boolean|null|object|undefined|bigint|symbol|function)$/;

export interface MessageShape {
  at: number;
  /** The envelope's `type` when it is a plain token (`safeToken`), else `(other)`; `?` when it has none. */
  type: string;
  /** Whether the panel acts on this type (false: recorded and ignored). */
  known: boolean;
  /** `payload.user.name: string(12)`, `payload.phoneNumber: number …89` */
  fields: string[];
  /** Fields whose names may not be shown; absent when none. */
  others?: number;
}

const ShapeSchema = v.object({
  // A time `Date` can show: the report writes it as an ISO date, which throws beyond this range.
  at: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
  type: v.string(),
  known: v.boolean(),
  fields: v.array(v.string()),
  others: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

export const dialerMessageShapes = storage.defineItem<MessageShape[]>('local:dialerMessageShapes', { fallback: [], version: 1 });
const oneWrite = oneWriteAtATime();

/** The recorded shapes, oldest first, held to today's rules; a stored value that does not parse counts as none. */
export async function readMessageShapes(): Promise<MessageShape[]> {
  const parsed = v.safeParse(v.array(ShapeSchema), await dialerMessageShapes.getValue());
  return parsed.success ? parsed.output.slice(-MAX_SHAPES).map(safeShape) : [];
}

/** Keeps this message's shape, dropping the oldest beyond the last 50; calls made together all land. */
export function recordMessageShape(data: unknown, known: boolean, now = Date.now()): Promise<void> {
  const shape = { at: now, ...shapeOf(data), known };
  return oneWrite(async () => {
    await dialerMessageShapes.setValue([...(await readMessageShapes()), shape].slice(-MAX_SHAPES));
  });
}

export function shapeOf(data: unknown): { type: string; fields: string[]; others?: number } {
  const type = isRecord(data) && 'type' in data ? (typeof data.type === 'string' ? safeToken(data.type) : OTHER) : '?';
  const found = { fields: [] as string[], others: 0 };
  describe(data, '', 0, found);
  return found.others > 0 ? { type, fields: found.fields, others: found.others } : { type, fields: found.fields };
}

/**
 * A shape as the report may show it, whoever stored it (an older version, or anyone who could
 * write the item): a type or a field that today's rules would not have written becomes
 * `(other)` or is counted.
 */
export function safeShape(shape: MessageShape): MessageShape {
  const type = shape.type === '?' ? '?' : safeToken(shape.type);
  const fields = shape.fields.filter(isSafeField).slice(0, MAX_FIELDS);
  const others = (shape.others ?? 0) + shape.fields.length - fields.length;
  return { at: shape.at, type, known: shape.known, fields, ...(others > 0 ? { others } : {}) };
}

function isSafeField(field: string): boolean {
  const at = field.indexOf(': ');
  if (at < 0) return false;
  const names = field.slice(0, at).split('.');
  return names.length <= MAX_DEPTH && names.every(isSafeFieldName) && VALUE_TYPE.test(field.slice(at + 2));
}

function describe(value: unknown, path: string, depth: number, out: { fields: string[]; others: number }): void {
  if (out.fields.length >= MAX_FIELDS) return;
  if (isRecord(value) && !Array.isArray(value)) {
    if (depth >= MAX_DEPTH) {
      out.fields.push(`${path}: object`);
      return;
    }
    for (const key of Object.keys(value)) {
      // The envelope's own type is the shape's type: its value is not repeated as a field.
      if (depth === 0 && key === 'type') continue;
      if (!isSafeFieldName(key)) {
        // What lies under a name that may not be shown is counted once, with it.
        out.others++;
        continue;
      }
      describe(value[key], path === '' ? key : `${path}.${key}`, depth + 1, out);
    }
    return;
  }
  if (path === '') return;
  out.fields.push(`${path}: ${valueType(value)}`);
}

function valueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string') return PHONE_LIKE.test(value.trim()) ? `number …${value.replace(/\D/g, '').slice(-2)}` : `string(${value.length})`;
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
