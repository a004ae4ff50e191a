import type { Config } from '../config.ts';
import { createClaudeEngine } from './claude/engine.ts';
import { createLocalEngine } from './local/index.ts';
import type { ToolRegistry } from './tools/index.ts';
import type { Engine } from './types.ts';

/** Engine `claude` when ANTHROPIC_API_KEY is set (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL honoured), else `local`. */
export function selectEngine(config: Config, tools: ToolRegistry): Engine {
  if (config.anthropicApiKey) {
    return createClaudeEngine({
      apiKey: config.anthropicApiKey,
      model: config.anthropicModel,
      baseURL: config.anthropicBaseUrl,
      tools,
    });
  }
  return createLocalEngine();
}
