import type { Command } from 'commander';
import { isoDate } from '../../lib/clock.ts';
import { dueFollowups } from '../../tenants/followups.ts';
import type { CliContext } from '../context.ts';
import { banner, rule } from '../format.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('followups')
    .description('check-ins due today (day 3 email, week 1 call, week 2 feedback) and engagement signals')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const now = c.clock.now();
      const due = dueFollowups(await c.service.list(), now);
      if (opts.json) {
        c.printJson({ date: isoDate(now), followups: due });
        return;
      }
      const lines = [...banner(`FOLLOW-UPS DUE ${isoDate(now)}`), ''];
      if (due.length === 0) lines.push('Nothing due today.', '');
      for (const f of due) {
        lines.push(`${f.key}  ${f.name}  <${f.email || 'no email'}>  day ${f.day}`);
        if (f.checkin) lines.push(`  Due:    ${f.checkin.label}: ${f.checkin.suggestion}`);
        for (const s of f.signals) lines.push(`  Signal: ${s.signal} -> ${s.action}`);
        lines.push('');
      }
      lines.push(rule('-', 50), `Total: ${due.length} tenant(s) to follow up`);
      c.print(lines);
    });
}
