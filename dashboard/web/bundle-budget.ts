// A Vite plugin that weighs the JavaScript the browser downloads (every chunk, gzipped as a server would send
// it) and fails the build above the budget, so the dashboard stays quick to load on a phone.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const JS_BUDGET_BYTES = 100_000;

/** Gzipped size of every JavaScript chunk of a bundle, in bytes. */
export function gzippedJsBytes(bundle: Record<string, { type: string; code?: string }>): number {
  let total = 0;
  for (const output of Object.values(bundle)) {
    if (output.type === 'chunk' && output.code !== undefined)
      total += gzipSync(output.code, { level: 9 }).length;
  }
  return total;
}

export function bundleBudget(budgetBytes = JS_BUDGET_BYTES): Plugin {
  return {
    name: 'cobrew-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const bytes = gzippedJsBytes(bundle);
      const line = `JavaScript shipped: ${(bytes / 1000).toFixed(1)} KB gzip (budget ${budgetBytes / 1000} KB)`;
      if (bytes > budgetBytes) {
        this.error(`${line}: over budget; drop a dependency or split what the first page does not need`);
      }
      process.stdout.write(`${line}\n`);
    },
  };
}
