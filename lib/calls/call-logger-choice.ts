/**
 * Who writes the user's Allo calls into Sellsy: this extension, or Allo's own server-side Sellsy
 * integration (which a team connects in Allo's settings). Only the names live here, so the
 * policy's schema and the settings share them without importing each other.
 */
export const CALL_LOGGERS = ['extension', 'allo-integration'] as const;
export type CallLogger = (typeof CALL_LOGGERS)[number];
