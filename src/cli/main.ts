/** The operator's admin CLI: `npm run admin -- <command> [options]` (DESIGN.md §5, docs/cli.md). */
import { run } from './program.ts';

process.exitCode = await run(process.argv);
