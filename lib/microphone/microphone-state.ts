/**
 * The microphone permission of the extension's origin (`chrome-extension://<id>`). Chrome shows no
 * permission prompt in a side panel: a `getUserMedia` there, or in the dialer's frame, is refused
 * silently, as if the user had said no. So the state is read with the Permissions API, which
 * never prompts and never counts as a refusal, and the question is asked once, from a page of
 * its own (`microphone.html`). The grant belongs to the extension's origin; a frame whose
 * `allow` names `microphone` then uses it.
 *
 * `unknown`: this browser cannot say (no Permissions API for the microphone). Nothing is shown
 * then: the dialer asks for itself.
 */
export type MicrophoneState = 'granted' | 'prompt' | 'denied' | 'unknown';

type PermissionsLike = Pick<Permissions, 'query'>;

const MICROPHONE = { name: 'microphone' as PermissionName };

function known(state: string): MicrophoneState {
  return state === 'granted' || state === 'prompt' || state === 'denied' ? state : 'unknown';
}

export async function readMicrophoneState(permissions: PermissionsLike | undefined = globalThis.navigator?.permissions): Promise<MicrophoneState> {
  try {
    return permissions ? known((await permissions.query(MICROPHONE)).state) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Calls `onChange` with the state now and whenever it changes (the user allows it in the grant
 * page, or blocks it in Chrome's settings). Returns a function that stops watching.
 */
export function watchMicrophoneState(
  onChange: (state: MicrophoneState) => void,
  permissions: PermissionsLike | undefined = globalThis.navigator?.permissions,
): () => void {
  let stopped = false;
  let status: PermissionStatus | undefined;
  const changed = () => {
    if (!stopped && status) onChange(known(status.state));
  };
  if (!permissions) {
    onChange('unknown');
    return () => undefined;
  }
  permissions.query(MICROPHONE).then(
    (found) => {
      status = found;
      status.addEventListener('change', changed);
      changed();
    },
    () => !stopped && onChange('unknown'),
  );
  return () => {
    stopped = true;
    status?.removeEventListener('change', changed);
  };
}
