import { useEffect, useState } from 'preact/hooks';
import { type MicrophoneState, watchMicrophoneState } from '@/lib/microphone/microphone-state';

/** The extension's microphone permission, kept live (undefined until first read). */
export function useMicrophoneState(): MicrophoneState | undefined {
  const [state, setState] = useState<MicrophoneState>();
  useEffect(() => watchMicrophoneState(setState), []);
  return state;
}
