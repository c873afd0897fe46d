import { type MessageShape, safeShape } from '../dialer/message-shapes';
import type { ManagedSettings } from '../policy/managed-settings';
import { type ApiFailure, type ApiService, safeFailure } from './api-errors';
import { withoutControls } from './safe-text';

/**
 * "Copy diagnostics": what a first real user pastes to us so we can see what Allo's dialer and
 * the two APIs really did on their machine (docs/sellsy-and-allo.md, "Telling us what Allo
 * sends"). Plain text, in English whatever the UI language, for the people who read it. It holds
 * no key, token, secret, name, e-mail address or phone number: settings are listed by value only
 * where the value is a choice, the administrator's by name only, and numbers are masked. What
 * came from outside (Allo's messages, the APIs' codes) is held to `safe-text`'s rules once more
 * here, whoever stored it, and no line keeps a control character that could forge another.
 */
export interface DiagnosticsInput {
  extensionVersion: string;
  userAgent: string;
  fullVersionList?: BrandVersion[];
  settings: { callTarget: string; callTargetChosen: boolean; defaultCountry: string; createLeads: boolean; backfillDays: number };
  /** Which settings the administrator set: names only, never values (a key or a secret is among them). */
  managed: Array<keyof ManagedSettings>;
  sellsyClient: string;
  connections: { sellsy: string; allo: string };
  microphone: string;
  shapes: MessageShape[];
  apiErrors: Partial<Record<ApiService, ApiFailure>>;
  now: number;
}

export type BrandVersion = { brand: string; version: string };

/**
 * `Chrome 156.0.7390.54`, `Edge 140.0.3485.66`: from the full version list when the browser gives
 * it (the user agent string is reduced to `156.0.0.0`), else from the user agent, else all of it.
 */
export function browserVersion(userAgent: string, fullVersionList: BrandVersion[] = []): string {
  for (const [brand, name] of [
    ['Microsoft Edge', 'Edge'],
    ['Google Chrome', 'Chrome'],
    ['Chromium', 'Chromium'],
  ] as const) {
    const found = fullVersionList.find((entry) => entry.brand === brand);
    if (found) return `${name} ${found.version}`;
  }
  const edge = /\bEdg\/([\d.]+)/.exec(userAgent);
  if (edge) return `Edge ${edge[1]}`;
  const chrome = /\b(?:Chrome|Chromium|HeadlessChrome)\/([\d.]+)/.exec(userAgent);
  return chrome ? `Chrome ${chrome[1]}` : userAgent;
}

export function buildDiagnostics(input: DiagnosticsInput): string {
  const { settings } = input;
  const lines = [
    'Allo for Sellsy — diagnostics',
    `Written: ${new Date(input.now).toISOString()}`,
    `Extension: ${input.extensionVersion}`,
    `Browser: ${browserVersion(input.userAgent, input.fullVersionList)}`,
    '',
    'Settings',
    `  call target: ${settings.callTarget}${settings.callTargetChosen ? ' (chosen)' : ' (default)'}`,
    `  default country: ${settings.defaultCountry}`,
    `  create leads: ${settings.createLeads ? 'yes' : 'no'}`,
    `  back-fill days: ${settings.backfillDays}`,
    `  set by the administrator: ${input.managed.length > 0 ? input.managed.join(', ') : 'nothing'}`,
    `  Sellsy API client: ${input.sellsyClient}`,
    `  Sellsy: ${input.connections.sellsy}; Allo: ${input.connections.allo}`,
    `Microphone: ${input.microphone}`,
    '',
    `Last Sellsy API error: ${failureText(input.apiErrors.sellsy)}`,
    `Last Allo API error: ${failureText(input.apiErrors.allo)}`,
    '',
    `Dialer messages (last ${input.shapes.length}, oldest first)`,
    ...(input.shapes.length === 0 ? ['  none yet'] : input.shapes.map((shape) => `  ${shapeText(safeShape(shape))}`)),
  ];
  return lines.map(withoutControls).join('\n');
}

function shapeText(shape: MessageShape): string {
  const fields = [...shape.fields, ...(shape.others ? [`${shape.others} other field${shape.others === 1 ? '' : 's'}`] : [])];
  return `${isoDate(shape.at)} ${shape.type}${shape.known ? '' : ' (unknown, ignored)'} {${fields.join('; ')}}`;
}

function failureText(given: ApiFailure | undefined): string {
  if (!given) return 'none';
  const failure = safeFailure(given);
  return `${failure.method} ${failure.path} → ${failure.status ?? 'no answer'} ${failure.code} (${isoDate(failure.at)})`;
}

/** A time as an ISO date; one `Date` cannot show (out of range) is said so rather than thrown. */
function isoDate(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? 'unknown time' : date.toISOString();
}
