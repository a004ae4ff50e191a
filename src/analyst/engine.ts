import type { Config } from '../config.ts';
import { createLocalEngine } from './local/index.ts';
import type { ToolRegistry } from './tools/index.ts';
import type { Engine } from './types.ts';

/** Engine `claude` when ANTHROPIC_API_KEY is set (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL honoured), else `local`. */
export function selectEngine(config: Config, tools: ToolRegistry): Engine {
  const apiKey = config.anthropicApiKey;
  if (!apiKey) return createLocalEngine();
  // The SDK is loaded on the first turn, not at start: servers on the local engine never pay for it.
  let claude: Promise<Engine> | undefined;
  return {
    name: 'claude',
    model: config.anthropicModel,
    async run(turn) {
      claude ??= import('./claude/engine.ts').then((m) =>
        m.createClaudeEngine({ apiKey, model: config.anthropicModel, baseURL: config.anthropicBaseUrl, tools }),
      );
      return (await claude).run(turn);
    },
  };
}
