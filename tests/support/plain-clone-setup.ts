// Set up in the fault and model tests (their vitest.config.ts): see plain-clone.ts.
import { usePlainClone } from './plain-clone';

usePlainClone();
