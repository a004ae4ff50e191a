import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { createTenantService, type TenantService } from '../tenants/service.ts';

/**
 * Everything the routes use, built once at start (config → store → services → plugins → routes)
 * and handed to each route plugin. Each part adds its service here (one field) and builds it in
 * `createServices` below.
 */
export interface Services {
  config: Config;
  clock: Clock;
  tenants: TenantService;
}

export async function createServices(config: Config, clock: Clock): Promise<Services> {
  const tenants = createTenantService({ dataDir: config.dataDir, clock });
  return { config, clock, tenants };
}
