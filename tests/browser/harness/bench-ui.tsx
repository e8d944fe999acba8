/**
 * The UI benchmark (`filter_p95_ms`, bench/workloads/ui-filter.ts): the app's own VaultEntries
 * component, mounted with Solid's `render` over a real vault of N entries (a VaultHandle from
 * IndexedDB wrapped by createOpenVault as the app wraps it, without sync), with the app's stylesheet, and
 * typed into one character at a time.
 * main.ts imports it; it sets `window.benchUi`.
 */
// The app's context types reach app-updates.ts, which imports the PWA plugin's virtual module;
// tsconfig.node.json (which checks tests/) does not load its declarations, so load them here.
/// <reference types="vite-plugin-pwa/solid" />
import { render } from 'solid-js/web';
import { VaultEntries } from '../../../src/ui/components/VaultEntries';
import type { AppState } from '../../../src/ui/state/app-state';
import { AppContext, type AppServices } from '../../../src/ui/state/context';
import { createOpenVault, type OpenVault } from '../../../src/ui/state/open-vault';
import { defaultSettings } from '../../../src/ui/state/settings';
import '../../../src/ui/styles.css';
import { core } from './core';

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/**
 * Only what the benchmark provides; reading anything else throws, so if VaultEntries (or a
 * child) starts to need another service the benchmark fails loudly instead of measuring a
 * component that silently got `undefined`.
 */
function only<T extends object>(what: string, provided: Partial<T>): T {
  return new Proxy(provided, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      throw new Error(`bench-ui: the component read ${what}.${String(key)}, which is not provided`);
    },
  }) as T;
}

// ---------- a vault that looks like one ----------

const services = [
  'GITHUB',
  'GITLAB',
  'AWS',
  'GCP',
  'AZURE',
  'STRIPE',
  'PAYPAL',
  'POSTGRES',
  'MYSQL',
  'REDIS',
  'MONGODB',
  'ELASTIC',
  'KAFKA',
  'RABBITMQ',
  'SLACK',
  'DISCORD',
  'SENTRY',
  'DATADOG',
  'GRAFANA',
  'PAGERDUTY',
  'OPENAI',
  'ANTHROPIC',
  'TWILIO',
  'SENDGRID',
  'MAILGUN',
  'CLOUDFLARE',
  'FASTLY',
  'VERCEL',
  'NETLIFY',
  'HEROKU',
  'DOCKERHUB',
  'NPM',
  'PYPI',
  'JIRA',
  'CONFLUENCE',
  'OKTA',
  'AUTH0',
  'SHOPIFY',
  'SALESFORCE',
  'HUBSPOT',
];
const environments = ['PROD', 'STAGING', 'DEV', 'TEST'];
const purposes = [
  'API_KEY',
  'API_SECRET',
  'TOKEN',
  'ACCESS_TOKEN',
  'REFRESH_TOKEN',
  'CLIENT_ID',
  'CLIENT_SECRET',
  'DB_PASSWORD',
  'DB_USER',
  'DB_HOST',
  'URL',
  'WEBHOOK_SECRET',
  'SIGNING_KEY',
  'PRIVATE_KEY',
  'USERNAME',
  'PASSWORD',
];

/**
 * `n` distinct names such as STRIPE_PROD_API_KEY or POSTGRES_DEV_DB_PASSWORD_3, from a fixed
 * seed so every run filters the same list. Names repeat a few words a lot, as real vaults do,
 * which is what makes "many matches" realistic for a prefix like "stripe".
 */
export function entryNames(n: number): string[] {
  let seed = 0x2f6b_3a1d;
  const random = () => {
    // mulberry32: small, fast and good enough to spread names.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const seen = new Map<string, number>();
  const names: string[] = [];
  while (names.length < n) {
    const base = `${pick(services)}_${pick(environments)}_${pick(purposes)}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    names.push(count === 1 ? base : `${base}_${count}`);
  }
  return names;
}

/**
 * What is typed, lowercase as a person types into a filter (the filter ignores case). Each is
 * typed one character at a time, then deleted one Backspace at a time, so both growing and
 * shrinking queries are measured, and the last Backspace brings back the unfiltered list.
 */
export const queries: readonly string[] = [
  'stripe', // many: about 1 in 40 names, several pages
  'token', // many: three purposes end in TOKEN
  'postgres_prod_db_pass', // few: narrows down to a handful
  'aws_staging_private_key_2', // one or none, depending on N
  'kubernetes', // none: the "No entries match" state
];

// ---------- measuring ----------

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Resolves in a task of its own: after the rendering steps of the frame it was posted in. */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

export interface FilterResult {
  /** Per keystroke: dispatch of `input` until after the frame that shows the result. */
  readonly keystroke: number[];
  /** The synchronous part of it: the event handler, the filter and Solid's DOM updates. */
  readonly script: number[];
  readonly keystrokes: number;
  /** Rows checked against an independent filter of the vault's names, all keystrokes. */
  readonly rowsChecked: number;
  /** Matches per query at full length, for the notes. */
  readonly matches: Record<string, number>;
  readonly mountMs: number;
}

/** The vault the keystrokes filter, opened once and typed into at each page size. */
let opened: { vault: OpenVault; listed: string[]; lowerListed: string[] } | undefined;

export const benchUi = {
  /** Fills a vault with `n` entries and opens it as the app does (createOpenVault). */
  async open({ n }: { n: number }): Promise<{ fillMs: number }> {
    const filled = performance.now();
    core.start({ fast: true });
    must(await core.createProfile('a benchmark passphrase'));
    must(await core.createVault('ui'));
    must(await core.open('ui'));
    const handle = core.vault('ui');
    const names = entryNames(n);
    const batch = 1000;
    for (let start = 0; start < n; start += batch) {
      await handle.setMany(
        names.slice(start, start + batch).map((name, i) => ({
          name,
          value: { url: `https://${name.toLowerCase()}.example`, user: `user${start + i}` },
        })),
      );
    }
    const fillMs = performance.now() - filled;
    const vault = await createOpenVault(handle);
    // The reference list: the names in the order the component receives them.
    const listed = vault.entries().map((entry) => entry.name);
    if (listed.length !== n) throw new Error(`the vault lists ${listed.length} of ${n} entries`);
    opened = { vault, listed, lowerListed: listed.map((name) => name.toLowerCase()) };
    return { fillMs };
  },

  /**
   * Mounts VaultEntries over the opened vault with `pageSize` entries a page, and types every
   * query `rounds` times. Every keystroke is checked: the rows shown must be the first
   * `pageSize` names, in list order, that contain the query (case ignored), and the count must
   * say how many there are.
   */
  async filter({ pageSize, rounds }: { pageSize: number; rounds: number }): Promise<FilterResult> {
    if (!opened) throw new Error('call benchUi.open() first');
    const { vault, listed, lowerListed } = opened;
    const n = listed.length;
    const app = only<AppState>('app', {
      settings: () => ({ ...defaultSettings, pageSize }),
    });
    const host = document.createElement('main');
    host.className = 'bench-ui';
    document.body.append(host);

    const mounted = performance.now();
    const dispose = render(
      () => (
        <AppContext.Provider value={only<AppServices>('services', { app })}>
          <VaultEntries vault={vault} />
        </AppContext.Provider>
      ),
      host,
    );
    await nextFrame();
    await nextTask();
    const mountMs = performance.now() - mounted;

    const input = host.querySelector<HTMLInputElement>('input[type="search"]');
    if (!input) throw new Error('VaultEntries rendered no filter input');

    let rowsChecked = 0;
    const verify = (query: string) => {
      const needle = query.trim().toLowerCase();
      const expected: string[] = [];
      let total = 0;
      for (let i = 0; i < listed.length; i++) {
        if (needle === '' || lowerListed[i]!.includes(needle)) {
          if (expected.length < pageSize) expected.push(listed[i]!);
          total++;
        }
      }
      const shown = Array.from(
        host.querySelectorAll('ul.entry-list > li .entry-name'),
        (row) => row.textContent ?? '',
      );
      const fail = (what: string) => {
        throw new Error(`after typing "${query}": ${what}`);
      };
      if (shown.length !== expected.length || shown.some((name, i) => name !== expected[i])) {
        fail(
          `shows ${shown.length} rows [${shown.slice(0, 3).join(', ')}, ...], expected ${expected.length} [${expected.slice(0, 3).join(', ')}, ...]`,
        );
      }
      const status = host.querySelector('.entry-count, .empty-state')?.textContent ?? '';
      const entries = n === 1 ? 'entry' : 'entries';
      const wanted =
        total === 0
          ? 'No entries match'
          : needle === ''
            ? `${n} ${entries}`
            : `${total} of ${n} ${entries} match`;
      if (!status.includes(wanted)) fail(`the status says "${status}", expected "${wanted}"`);
      // A new query starts again at page 1.
      const pages = host.querySelector('.pagination-status')?.textContent ?? '';
      const pageCount = Math.ceil(total / pageSize);
      if (pageCount > 1 ? pages !== `Page 1 of ${pageCount}` : pages !== '') {
        fail(`the pagination says "${pages}", expected page 1 of ${pageCount}`);
      }
      rowsChecked += shown.length;
      return total;
    };
    verify('');

    const keystroke: number[] = [];
    const script: number[] = [];
    const matches: Record<string, number> = {};
    /**
     * One keystroke, started at the beginning of a frame (in a requestAnimationFrame callback's
     * microtask, before the frame's style, layout and paint) so the interval holds work only,
     * not a random wait for the next vsync. It ends in the first task after that frame's
     * rendering steps, so it covers: the `input` event and Solid's handler, the filter over N
     * names, the DOM updates of the page of rows, then style, layout, paint and the commit to
     * the compositor. Rasterising and showing the pixels happen on other threads, after it.
     */
    const type = async (value: string) => {
      await nextFrame();
      const started = performance.now();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const updated = performance.now();
      await nextTask();
      const done = performance.now();
      keystroke.push(done - started);
      script.push(updated - started);
      return verify(value);
    };

    for (let round = 0; round < rounds; round++) {
      for (const query of queries) {
        for (let length = 1; length <= query.length; length++) {
          const total = await type(query.slice(0, length));
          if (length === query.length) matches[query] = total;
        }
        // Backspace until the filter is empty again.
        for (let length = query.length - 1; length >= 0; length--)
          await type(query.slice(0, length));
      }
    }
    dispose();
    host.remove();
    return {
      keystroke,
      script,
      keystrokes: keystroke.length,
      rowsChecked,
      matches,
      mountMs,
    };
  },
};

declare global {
  interface Window {
    benchUi?: typeof benchUi;
  }
}

window.benchUi = benchUi;
