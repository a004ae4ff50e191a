import type { Engine } from '../types.ts';
import { runLocalTurn } from './engine.ts';

/**
 * The deterministic analyst (DESIGN.md §7): the default without an API key. It reads the metric,
 * period and operation from the question, calls the same tools as the Claude engine and writes a
 * Markdown answer with the figure first, how it was computed, the benchmark and the sources.
 */
export function createLocalEngine(): Engine {
  return { name: 'local', run: runLocalTurn };
}

export { parseQuestion } from './parse-question.ts';
