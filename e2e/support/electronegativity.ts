import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** Its Babel-compiled modules replace module.exports with the default export. */
function requireDefault<T>(id: string): T {
  const loaded = require(id) as T | { default: T };
  return typeof loaded === 'function' ? loaded : (loaded as { default: T }).default;
}

interface Finding {
  id: string;
  file: string;
  severity: { name: string };
  confidence: { name: string };
  location: { line: number; column: number };
  description: string;
}

interface ScanResult {
  issues: Finding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}

type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<ScanResult>;

/**
 * Runs Electronegativity through its own runner rather than its CLI: the CLI
 * always exits 0, its CSV writer races its header against the rows (the first
 * finding comes out truncated), and with an output file it stops reporting
 * files it could not parse. The runner gives findings and parse errors as
 * data; we write the CSV report ourselves.
 */
export async function scanWithElectronegativity(input: string, csvReport: string): Promise<ScanResult> {
  const loadCatalogue = requireDefault<() => Promise<void>>('@doyensec/electronegativity/dist/locales/i18n.js');
  const run = requireDefault<Runner>('@doyensec/electronegativity/dist/runner.js');
  await loadCatalogue();
  const result = await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: (require('electron/package.json') as { version: string }).version,
      parserPlugins: [],
    },
    false,
  );
  const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  const rows = result.issues.map((issue) =>
    [issue.id, issue.severity.name, issue.confidence.name, issue.file, `${issue.location.line}:${issue.location.column}`, issue.description]
      .map((cell) => quote(String(cell)))
      .join(','),
  );
  writeFileSync(csvReport, ['issue,severity,confidence,file,location,description', ...rows].join('\n') + '\n');
  return result;
}
