import type { CofferDatabase } from '../../../src/core/storage';

/**
 * Every row of every store, as text: strings as they are, byte arrays as hex, UTF-8 text and
 * base64, so a canary stored in any of those forms shows up.
 */
export async function dumpDatabase(db: CofferDatabase): Promise<string> {
  const out: string[] = [];
  for (const table of db.strict.tables) {
    for (const row of await table.toArray()) {
      out.push(
        JSON.stringify(row, (_key, value: unknown) => {
          if (value instanceof Uint8Array) {
            const buffer = Buffer.from(value);
            return `${buffer.toString('hex')} ${buffer.toString('utf8')} ${buffer.toString('base64')}`;
          }
          return value;
        }),
      );
    }
  }
  return out.join('\n');
}
