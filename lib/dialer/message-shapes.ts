import { storage } from '#imports';
import * as v from 'valibot';

/**
 * What Allo's dialer really sends, kept as shapes, never values: Allo publishes the message types
 * but not their fields (docs/sellsy-and-allo.md), so the first real users' "Copy diagnostics"
 * is how we learn them. A shape has the type, each field's name and the type of its value; a
 * value that looks like a phone number shows only its last two digits, and no other text is
 * kept, so no name or e-mail address is ever stored.
 */

export const MAX_SHAPES = 50;
// Bounds on what a hostile frame can make us store: depth, fields per message, name length.
const MAX_DEPTH = 3;
const MAX_FIELDS = 30;
const MAX_NAME = 40;
const PHONE_LIKE = /^\+?[\d\s().-]{6,24}$/;

export interface MessageShape {
  at: number;
  /** The envelope's `type`, cut to 40 characters; `?` when it has none. */
  type: string;
  /** Whether the panel acts on this type (false: recorded and ignored). */
  known: boolean;
  /** `payload.user.name: string`, `payload.phoneNumber: number …89` */
  fields: string[];
}

const ShapeSchema = v.object({ at: v.number(), type: v.string(), known: v.boolean(), fields: v.array(v.string()) });

export const dialerMessageShapes = storage.defineItem<MessageShape[]>('local:dialerMessageShapes', { fallback: [], version: 1 });

/** The recorded shapes, oldest first; a stored value that does not parse counts as none. */
export async function readMessageShapes(): Promise<MessageShape[]> {
  const parsed = v.safeParse(v.array(ShapeSchema), await dialerMessageShapes.getValue());
  return parsed.success ? parsed.output.slice(-MAX_SHAPES) : [];
}

/** Keeps this message's shape, dropping the oldest beyond the last 50. */
export async function recordMessageShape(data: unknown, known: boolean, now = Date.now()): Promise<void> {
  const shape = { at: now, ...shapeOf(data), known };
  await dialerMessageShapes.setValue([...(await readMessageShapes()), shape].slice(-MAX_SHAPES));
}

export function shapeOf(data: unknown): { type: string; fields: string[] } {
  const type = isRecord(data) && typeof data.type === 'string' ? cut(data.type) : '?';
  const fields: string[] = [];
  describe(data, '', 0, fields);
  return { type, fields };
}

function describe(value: unknown, path: string, depth: number, out: string[]): void {
  if (out.length >= MAX_FIELDS) return;
  if (isRecord(value) && !Array.isArray(value)) {
    if (depth >= MAX_DEPTH) {
      out.push(`${path}: object`);
      return;
    }
    for (const key of Object.keys(value)) {
      // The envelope's own type is the shape's type: its value is not repeated as a field.
      if (depth === 0 && key === 'type') continue;
      describe(value[key], path === '' ? cut(key) : `${path}.${cut(key)}`, depth + 1, out);
    }
    return;
  }
  if (path === '') return;
  out.push(`${path}: ${valueType(value)}`);
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

function cut(text: string): string {
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}…` : text;
}
