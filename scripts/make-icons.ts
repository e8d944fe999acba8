/**
 * Renders the app icons in public/ from public/favicon.svg with Chromium. Run it after changing
 * the SVG: `tsx scripts/make-icons.ts`. The PNGs are committed, so builds need no image tools.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
try {
  const page = await browser.newPage();
  const targets = [
    { file: 'pwa-192.png', size: 192, padding: 0, background: 'transparent' },
    { file: 'pwa-512.png', size: 512, padding: 0, background: 'transparent' },
    // Maskable icons must keep their content inside the central 80% safe zone.
    { file: 'maskable-512.png', size: 512, padding: 0.12, background: '#1f3a5f' },
  ];
  for (const target of targets) {
    await page.setViewportSize({ width: target.size, height: target.size });
    const inset = Math.round(target.size * target.padding);
    await page.setContent(
      `<body style="margin:0;background:${target.background}"><div style="padding:${inset}px;width:${target.size}px;height:${target.size}px;box-sizing:border-box">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div></body>`,
    );
    const png = await page.screenshot({ omitBackground: target.background === 'transparent' });
    writeFileSync(new URL(`../public/${target.file}`, import.meta.url), png);
    console.log(`wrote public/${target.file}`);
  }
} finally {
  await browser.close();
}
