import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../src/core/crypto';
import { deviceIdentityFromSecret } from '../../src/core/device';
import {
  asMembershipOperationId,
  openEpochRecord,
  rotateEpoch,
  verifyEpochRecord,
} from '../../src/core/epochs';
import { vaultIdOf } from '../../src/core/ids';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

const memberDevices = 40;

/** A macrotask yield, as the page would pass (a MessageChannel round trip there). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `rotate_ms`: one key rotation of issue 15 for 20 members with 40 devices
 * (`rotateEpoch`: a fresh vault key, sealed to each of the 40 devices by an ephemeral X25519
 * agreement with its Ed25519 key mapped to X25519, HKDF-SHA-256 and XChaCha20-Poly1305, the
 * previous key sealed under the new one, the record signed with Ed25519), in Node (the same V8
 * as Chromium; the code is noble's pure JavaScript and touches no browser API), run in one go,
 * vs the same rotation to one device: a single sealed box and the signature, the least a
 * rotation costs. The notes give the same 40-device rotation sliced (yielding to the event
 * loop before each recipient and before signing, as the app would, so that editing is not held
 * up) with its longest slice, and what a device pays to open and a peer to verify the record.
 */
export const rotateWorkload: Workload = {
  title: 'key rotation to 40 devices (Node), beside one sealed box',
  async run({ repeats }: BenchContext) {
    const devices = Array.from({ length: memberDevices }, (_, i) =>
      deviceIdentityFromSecret(sha256(utf8(`bench device ${i}`))),
    );
    const signer = devices[0]!;
    const vaultId = vaultIdOf(sha256(utf8('bench vault')).slice(0, 16));
    const cause = asMembershipOperationId(sha256(utf8('bench removal')));
    const first = await rotateEpoch({
      vaultId,
      previous: undefined,
      cause,
      devices: devices.map((d) => d.id),
      signer,
    });
    const previous = { epoch: first.epoch, key: first.key };
    const all = devices.map((d) => d.id);
    const rotate = (ids: typeof all) =>
      rotateEpoch({ vaultId, previous, cause, devices: ids, signer });

    const runs = repeats === 1 ? 3 : repeats;
    const warmup = repeats === 1 ? 1 : 5;
    const ours: number[] = [];
    const baseline: number[] = [];
    const sliced: number[] = [];
    const slices: number[] = [];
    const everySlice: number[] = [];
    const opens: number[] = [];
    const verifies: number[] = [];
    let recordBytes = 0;
    for (let i = 0; i < warmup + runs; i++) {
      const a = performance.now();
      const rotated = await rotate(all);
      const b = performance.now();
      await rotate([signer.id]);
      const c = performance.now();
      let last = performance.now();
      let longest = 0;
      await rotateEpoch({
        vaultId,
        previous,
        cause,
        devices: all,
        signer,
        yieldToEventLoop: async () => {
          const slice = performance.now() - last;
          longest = Math.max(longest, slice);
          if (i >= warmup) everySlice.push(slice);
          await yieldToEventLoop();
          last = performance.now();
        },
      });
      const d = performance.now();
      longest = Math.max(longest, d - last);
      const device = devices[i % memberDevices]!;
      await openEpochRecord(rotated.record, { vaultId, device });
      const e = performance.now();
      await verifyEpochRecord(rotated.record, { vaultId });
      const f = performance.now();
      recordBytes = rotated.record.length;
      if (i < warmup) continue;
      ours.push(b - a);
      baseline.push(c - b);
      sliced.push(d - c);
      slices.push(longest);
      opens.push(e - d);
      verifies.push(f - e);
    }

    const ms = (value: number) => value.toFixed(1);
    return {
      rotate_ms: metric(
        median(ours),
        'ms',
        { value: median(baseline), name: 'the same rotation to one device' },
        `${memberDevices} recipients, record ${recordBytes} bytes; median of ${ours.length} after ${warmup} warm-ups, alternating; p95 ${ms(percentile(ours, 95))} ms vs ${ms(percentile(baseline, 95))} ms; per extra recipient ${ms((median(ours) - median(baseline)) / (memberDevices - 1))} ms; sliced (a yield before each recipient and before signing) ${ms(median(sliced))} ms in all, slices ${ms(median(everySlice))} ms at the median, the longest of a run ${ms(median(slices))} ms (p95 ${ms(percentile(slices, 95))} ms); a device opening the record ${ms(median(opens))} ms; a peer verifying it ${ms(median(verifies))} ms; Node ${process.version}`,
      ),
    };
  },
};
