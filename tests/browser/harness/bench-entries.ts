/**
 * The entries of the sync benchmarks (bench/workloads/sync.ts and sync-relay.ts): a service's
 * connection settings with a random 24-character token, as a real vault's secrets are. A
 * token of one repeated letter would deflate to nothing and flatter Coffer's compressed
 * checkpoints (docs/crypto.md, version 0x04); plain y-webrtc moves the same Yjs document.
 */
export function syncBenchEntries(start: number, end: number) {
  const entries = [];
  for (let i = start; i < end; i++) {
    const token = new Uint8Array(18);
    crypto.getRandomValues(token);
    entries.push({
      name: `svc_${String(i).padStart(6, '0')}`,
      value: {
        host: `db-${i}.internal.example`,
        port: 5432,
        user: `svc_${i}`,
        token: `t_${btoa(String.fromCharCode(...token))
          .replaceAll('+', '-')
          .replaceAll('/', '_')}`,
      },
    });
  }
  return entries;
}
