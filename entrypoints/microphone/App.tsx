import { MicrophoneGrant } from '@/components/MicrophoneGrant';

/** The microphone's grant page: a top-level extension page, where Chrome can show its prompt. */
export function App() {
  return <MicrophoneGrant />;
}
