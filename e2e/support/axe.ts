import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core'), 'utf8');

/** What a view is blamed for: the rules it breaks and where, enough to find the element. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
  /** axe's own account of the first element: the colours and ratio for a contrast failure, the missing name for a label. */
  summary: string;
}

/** The impacts the project does not ship with: a user of a screen reader or of low vision is stopped by them. */
const blocking = new Set(['serious', 'critical']);

/**
 * Runs axe-core over the whole page as it is now and returns its serious and
 * critical violations. axe is evaluated through the DevTools protocol rather
 * than added as a script tag: the app's CSP (script-src 'self') refuses inline
 * scripts, as it should, and the test must not loosen it. It is added on first
 * use in each document, so a reload or a new tab needs no extra step.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(axeSource);
    // axe reads colours as painted: mid-way through a theme change it would judge a blend of both themes.
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  }
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe.run(document);
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      targets: nodes.map((node) => node.target.join(' ')),
      summary: nodes[0]?.failureSummary ?? '',
    }));
  });
  return violations
    .filter((violation) => blocking.has(violation.impact ?? ''))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      targets: violation.targets,
      summary: violation.summary,
    }));
}

/** One line per finding, for a failure message a person can act on. */
export function describeFindings(where: string, findings: readonly AxeFinding[]): string {
  return [
    `${where}: ${findings.length} serious or critical axe violation(s)`,
    ...findings.map((f) => `  ${f.impact} ${f.id} (${f.help}): ${f.targets.join(' | ')}\n    ${f.summary.replace(/\s+/g, ' ')}`),
  ].join('\n');
}
