import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { metric, type Workload } from '../types';

/**
 * `bundle_gzip_kb`: gzip size of the JS and CSS that index.html loads before the first screen
 * (its entry script, its module preloads and its stylesheets), each compressed on its own as
 * a server would send it.
 */
export const bundleWorkload: Workload = {
  title: 'first-screen bundle size',
  async run({ distDir }) {
    const html = await readFile(join(distDir, 'index.html'), 'utf8');
    const urls = new Set<string>();
    for (const match of html.matchAll(
      /<(?:script|link)\b[^>]*?(?:src|href)="([^"]+\.(?:js|css))"/g,
    )) {
      urls.add(match[1]!);
    }
    if (urls.size === 0) throw new Error('index.html references no JS or CSS: is dist/ built?');
    let bytes = 0;
    for (const url of urls)
      bytes += gzipSync(await readFile(join(distDir, url)), { level: 9 }).length;
    return {
      bundle_gzip_kb: metric(
        bytes / 1024,
        'KiB',
        undefined,
        `${urls.size} files: ${[...urls].join(', ')}`,
      ),
    };
  },
};
