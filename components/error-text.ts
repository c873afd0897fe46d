import type { ActionError } from '@/lib/connection/status';
import { t, type MessageKey } from './i18n';

// Each code gets a sentence that says what to do; the English message from the background is
// only the fallback for a code the UI does not know yet.
const KEYS: Partial<Record<ActionError['code'], MessageKey>> = {
  cancelled: 'errCancelled',
  revoked: 'errRevoked',
  unavailable: 'errUnavailable',
  'not-connected': 'sellsyDisconnected',
  network: 'errNetwork',
  server: 'errServer',
  'rate-limited': 'errRateLimited',
  forbidden: 'errForbidden',
  oauth: 'errOAuth',
  'invalid-response': 'errInvalidResponse',
  'storage-open': 'errStorageOpen',
  'unknown-client': 'errUnknownClient',
  'scope-refused': 'errScopeRefused',
  'cancelled-own-client': 'errCancelledOwnClient',
  managed: 'errManaged',
  'bad-client-id': 'errBadClientId',
};

const ALLO_KEYS: Partial<Record<ActionError['code'], MessageKey>> = {
  empty: 'alloErrEmpty',
  invalid: 'alloErrInvalid',
  revoked: 'alloErrRevoked',
  trial: 'alloErrTrial',
  'missing-calls-scope': 'alloErrMissingCallsScope',
  network: 'alloErrNetwork',
  server: 'alloErrServer',
  'rate-limited': 'alloErrRateLimited',
  'invalid-response': 'alloErrInvalidResponse',
  'storage-open': 'errStorageOpen',
  managed: 'alloErrManaged',
};

export function sellsyErrorText(error: ActionError): string {
  const key = KEYS[error.code];
  return key ? t(key) : t('errUnknown', error.message);
}

export function alloErrorText(error: ActionError): string {
  const key = ALLO_KEYS[error.code];
  return key ? t(key) : t('errUnknown', error.message);
}
