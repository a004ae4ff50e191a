import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * Everything the routes use, built once at start (config → store → services → plugins → routes)
 * and handed to each route plugin. Each part adds its service here.
 */
export interface Services {
  config: Config;
  clock: Clock;
}
