import type { Command } from 'commander';
import { type DataReport, isClean } from '../../tenants/check-data.ts';
import { type CliContext, CliExit } from '../context.ts';

/** One line per finding, for people. */
function findings(report: DataReport): string[] {
  return [
    ...report.orphan_folders.map((o) =>
      o.empty
        ? `orphan folder ${o.name}/: empty, from a creation that did not finish (repair removes it)`
        : `orphan folder ${o.name}/: holds data but has no registry record (left alone: move or delete it by hand)`,
    ),
    ...report.failed_creations.map(
      (k) => `failed creation ${k}: audited as created, but no record was written (repair audits create_failed)`,
    ),
    ...report.missing_audit.map((k) => `missing audit line: ${k} has no create/import line (repair adds it)`),
    ...report.stale_temp_files.map((f) => `stale temp file ${f} (repair removes it)`),
  ];
}

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('check-data')
    .description('report what an old crash left in DATA_DIR (orphan folders, missing audit lines, stale temp files)')
    .option('--repair', 'fix what can be fixed safely (never deletes a folder that holds data)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { repair?: boolean; json?: boolean }) => {
      const c = ctx();
      const { report, repaired } = await c.service.checkData({ repair: opts.repair === true });
      // After a repair, what is still there (only orphan folders that hold data can remain).
      const remaining: DataReport = opts.repair
        ? {
            orphan_folders: report.orphan_folders.filter((o) => !o.empty),
            failed_creations: [],
            missing_audit: [],
            stale_temp_files: [],
          }
        : report;
      if (opts.json) c.printJson({ report, repaired, clean: isClean(remaining) });
      else {
        const where = c.displayPath(c.config.dataDir);
        const lines = findings(report);
        if (lines.length === 0) c.print(`${where}: nothing to repair.`);
        else c.print([`${where}: ${lines.length} finding(s)`, ...lines.map((l) => `  ${l}`)]);
        if (repaired.length) c.print(['Repaired:', ...repaired.map((l) => `  ${l}`)]);
        else if (!opts.repair && lines.length) c.print('Run check-data --repair to fix them.');
      }
      if (!isClean(remaining)) {
        throw new CliExit(1, opts.repair ? 'some findings need a decision (see above)' : 'findings to repair');
      }
    });
}
