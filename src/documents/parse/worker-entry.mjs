// Plain-JS entry of the parse worker: registers tsx in this thread (Node 20 does not apply a
// parent's or an execArgv loader to a worker's entry) and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
