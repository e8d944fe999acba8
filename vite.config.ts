import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { contentSecurityPolicyMeta } from './src/server/csp.ts';
import { writeEncodings } from './src/server/static-files.ts';

/**
 * The production page carries the same CSP as the server's header, so it stays protected on any
 * static host. Dev mode is left alone: Vite's dev server injects inline styles for hot reload.
 */
function contentSecurityPolicyMetaTag(): Plugin {
  return {
    name: 'coffer:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicyMeta },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Workers are built as single files: the hook Worker's QuickJS loader imported its Emscripten
 * glue and FFI as chunks of their own, requested only once the whole WebAssembly had arrived,
 * so a first hook run paid one more round trip on a network (docs/performance.md, "First hook
 * run"; loopback does not show it).
 */
const workerBuild = {
  format: 'es',
  rolldownOptions: { output: { codeSplitting: false } },
} as const;

/**
 * Writes each built file's gzip and Brotli encodings beside it, so that a server starting on the
 * build does not spend seconds of CPU making them (static-files.ts). It runs after every other
 * plugin has written its files: the service worker is encoded too.
 */
function builtEncodings(): Plugin {
  let outDir = '';
  return {
    name: 'coffer:encodings',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        await writeEncodings(outDir);
      },
    },
  };
}

const themeColor = '#1f3a5f';

export default defineConfig(({ mode }) => {
  // `--mode harness` builds the browser-test harness: a page that exposes core modules to
  // Playwright. It is built to its own directory and never ships with the app.
  if (mode === 'harness') {
    return {
      root: fileURLToPath(new URL('./tests/browser/harness', import.meta.url)),
      // Solid compiles the app's components that the UI benchmark mounts (bench-ui.tsx).
      plugins: [solid(), contentSecurityPolicyMetaTag(), builtEncodings()],
      build: {
        outDir: fileURLToPath(new URL('./dist-harness', import.meta.url)),
        emptyOutDir: true,
        // transport.html: the transport tests' page, with only what they drive.
        rollupOptions: {
          input: {
            main: fileURLToPath(new URL('./tests/browser/harness/index.html', import.meta.url)),
            transport: fileURLToPath(
              new URL('./tests/browser/harness/transport.html', import.meta.url),
            ),
          },
        },
        // A test page that loads everything at once: its size is not a user's download.
        chunkSizeWarningLimit: 8192,
        target: 'es2022',
        sourcemap: true,
      },
      worker: workerBuild,
    };
  }
  return {
    plugins: [
      solid(),
      contentSecurityPolicyMetaTag(),
      VitePWA({
        registerType: 'prompt',
        injectRegister: false,
        includeAssets: ['favicon.svg'],
        manifest: {
          name: 'Coffer',
          short_name: 'Coffer',
          description: 'A local-first vault for secrets and configuration.',
          theme_color: themeColor,
          background_color: '#ffffff',
          display: 'standalone',
          start_url: '/',
          scope: '/',
          icons: [
            { src: 'pwa-192.png', sizes: '192x192', type: 'image/png' },
            { src: 'pwa-512.png', sizes: '512x512', type: 'image/png' },
            { src: 'maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        workbox: {
          // wasm: the hook engine's QuickJS module (src/core/hooks), so hooks run offline.
          globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm}'],
          navigateFallback: '/index.html',
          // The signaling relay is live traffic, never cached.
          navigateFallbackDenylist: [/^\/signal/],
          cleanupOutdatedCaches: true,
          // Take control of the first page at once; updates still wait for the user's "Reload".
          clientsClaim: true,
        },
      }),
      builtEncodings(),
    ],
    build: {
      target: 'es2022',
      sourcemap: true,
      // The one large chunk is zxcvbn-ts's dictionary (1.2 MB), loaded only by the passphrase
      // strength meter; the first screen's own JS is under 100 KB gzip (npm run bench).
      chunkSizeWarningLimit: 1300,
    },
    worker: workerBuild,
    test: {
      environment: 'node',
      // Node-side code (core, server) is tested without the Solid plugin, whose `browser`
      // resolve condition would hand Node packages such as `ws` their browser builds.
      projects: [
        {
          test: {
            name: 'unit',
            include: ['tests/unit/**/*.test.ts'],
            environment: 'node',
            testTimeout: 30_000,
          },
        },
      ],
      // Vitest's default is one worker fewer than the cores: one on a two-core machine, where
      // the unit tests then used 1.1 cores for 4.5 minutes. Two workers took 3 (three: 3.3).
      maxWorkers: Math.max(2, availableParallelism() - 1),
      reporters: process.env.COFFER_TEST_REPORT_DIR ? ['default', 'json'] : ['default'],
      outputFile: { json: `${process.env.COFFER_TEST_REPORT_DIR ?? '.'}/vitest.json` },
    },
  };
});
