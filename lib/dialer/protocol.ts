import * as v from 'valibot';
import { toE164 } from '../phone/find-numbers';

/**
 * The one module that knows the shapes of Allo's embedded dialer messages
 * (docs/sellsy-and-allo.md, "Allo's embedded dialer"). Documented: the envelope
 * `{ source, type, payload }`, the sources, and the types `ready`, `login`, `outgoing_call` and
 * `dial`. Assumed until Allo activates the extension: the incoming event's name
 * (`incoming_call`), the payload fields that carry a number, and `missed_call` for an incoming
 * call nobody answered (Allo's event table could not be read past the incoming event; the
 * recorded shapes in "Copy diagnostics" will say what it really sends).
 */
export const DIALER_SOURCE = 'allo-dialer';
export const HOST_SOURCE = 'allo-host';

export type DialerEvent =
  | { type: 'ready' }
  | { type: 'login' }
  | { type: 'call'; direction: 'outgoing' | 'incoming'; e164?: string }
  /** An incoming call that rang out unanswered. */
  | { type: 'missed'; e164?: string };

export interface DialCommand {
  source: typeof HOST_SOURCE;
  type: 'dial';
  payload: { phoneNumber: string };
}

const NUMBER_FIELDS = ['phoneNumber', 'phone_number', 'number', 'phone', 'from', 'to'] as const;
const Text = v.pipe(v.string(), v.maxLength(64));
const Envelope = v.object({
  source: v.literal(DIALER_SOURCE),
  type: v.pipe(v.string(), v.maxLength(64)),
  payload: v.optional(v.unknown()),
});
const NumberPayload = v.union([
  Text,
  v.partial(v.object(Object.fromEntries(NUMBER_FIELDS.map((field) => [field, v.unknown()])) as Record<(typeof NUMBER_FIELDS)[number], v.UnknownSchema>)),
]);

/** The first field that holds a valid number; anything else about the payload is ignored. */
function numberIn(payload: unknown): string | undefined {
  const parsed = v.safeParse(NumberPayload, payload);
  if (!parsed.success) return undefined;
  if (typeof parsed.output === 'string') return toE164(parsed.output);
  for (const field of NUMBER_FIELDS) {
    const value = v.safeParse(Text, parsed.output[field]);
    const e164 = value.success ? toE164(value.output) : undefined;
    if (e164) return e164;
  }
  return undefined;
}

/**
 * A message the panel may act on, or undefined: from another origin, another source, of an
 * unknown type, or malformed. A number that is not a valid phone number is left out.
 */
export function parseDialerMessage(event: { origin: string; data: unknown }, dialerOrigin: string): DialerEvent | undefined {
  if (event.origin !== dialerOrigin) return undefined;
  const envelope = v.safeParse(Envelope, event.data);
  if (!envelope.success) return undefined;
  const { type, payload } = envelope.output;
  switch (type) {
    case 'ready':
    case 'login':
      return { type };
    case 'outgoing_call':
    case 'incoming_call': {
      const e164 = numberIn(payload);
      const direction = type === 'outgoing_call' ? 'outgoing' : 'incoming';
      return e164 ? { type: 'call', direction, e164 } : { type: 'call', direction };
    }
    case 'missed_call': {
      const e164 = numberIn(payload);
      return e164 ? { type: 'missed', e164 } : { type: 'missed' };
    }
    default:
      return undefined;
  }
}

/** `dial`: the dialer opens with the number ready; the user still presses Call. */
export function dialCommand(e164: string): DialCommand {
  return { source: HOST_SOURCE, type: 'dial', payload: { phoneNumber: e164 } };
}

/** The origin commands go to (`targetOrigin`), never `*`. */
export function dialerOrigin(dialerUrl: string): string {
  return new URL(dialerUrl).origin;
}
