// Starts the worker module `./<name>` beside the calling module in a thread. Built code is one bundle
// (app/bundle.ts) with every file side by side, the worker under the name it was bundled as; under tsx
// (tests, benchmarks) Node 20's workers do not inherit tsx's loader, so the .ts source starts through tsx's
// API instead.
import { Worker } from 'node:worker_threads';

// A worker writes to SQLite and keeps little: a small young generation (V8 reserves 16 MB semi-spaces by
// default) saves several megabytes per thread for a few more, cheap, scavenges.
const resourceLimits = { maxYoungGenerationSizeMb: 6 };

export function startSiblingWorker(
  callerUrl: string,
  name: string,
  bundledAs: string,
  workerData: unknown,
): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${bundledAs}.js`, import.meta.url), { workerData, resourceLimits });
  }
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  const code = `import(${tsx}).then((tsx) => tsx.tsImport(${entry}, ${entry}))`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}
