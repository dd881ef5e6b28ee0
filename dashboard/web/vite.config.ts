// Builds the dashboard's front-end (dashboard/web/src) into dist/web, which the server serves at /.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleBudget } from './bundle-budget.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  plugins: [bundleBudget()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Not /assets: the server-rendered status page already answers there.
    assetsDir: 'ui',
    target: 'es2022',
    sourcemap: false,
  },
});
