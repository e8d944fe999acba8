/**
 * A new device's first envelopes, brought by its invitation (docs/sync.md, "First sync"): the
 * device that answers an invitation puts the envelopes it publishes in the vault's room (its
 * checkpoint, and the changes since) in the invitation's room right after its answer, so the
 * new device has the vault's contents as soon as it is let in, without waiting for a second
 * connection, to the vault's room, and opens the vault while they are on their way.
 * `joinWithInvite` keeps them (or the promise of them) here, by vault id, until that vault's
 * sync starts
 * (`EnvelopeExchange.start`) and hands them to its peer like any envelope from the room: they
 * are not trusted, every check applies, and the vault's room brings the same envelopes again.
 *
 * Held in memory only (sealed bytes, nothing readable), for a few vaults at most and for a
 * short while: a join that is never opened leaves nothing behind for long.
 */

/** The invitation room's map of first envelopes: requesting device id -> envelope bytes. */
export const INVITE_ENVELOPES = 'envelopes';

/** At most this many vaults' first envelopes are kept; the oldest go first. */
const maxVaults = 4;
/** ...each for at most this long (ms) before its vault's sync starts. */
const keptForMs = 120_000;

type Brought = readonly Uint8Array[] | Promise<readonly Uint8Array[]>;

const kept = new Map<string, { readonly envelopes: Brought; readonly at: number }>();

/**
 * Keeps what an invitation brought for `vaultId` (replacing anything kept for it before): the
 * envelopes, or the promise of those that follow the answer (settling with none if they do not
 * come).
 */
export function keepFirstEnvelopes(vaultId: string, envelopes: Brought): void {
  kept.delete(vaultId);
  if (Array.isArray(envelopes) && envelopes.length === 0) return;
  const entry = { envelopes, at: Date.now() };
  kept.set(vaultId, entry);
  while (kept.size > maxVaults) kept.delete(kept.keys().next().value as string);
  // Not held past their use: a join whose vault is not opened soon leaves nothing in memory.
  setTimeout(() => {
    if (kept.get(vaultId) === entry) kept.delete(vaultId);
  }, keptForMs);
}

/** Whether an invitation brought something for `vaultId` (or it is on its way) not taken yet. */
export function hasFirstEnvelopes(vaultId: string): boolean {
  const entry = kept.get(vaultId);
  return entry !== undefined && Date.now() - entry.at <= keptForMs;
}

/**
 * Takes (once) what an invitation brought for `vaultId`, if it is recent; for envelopes that
 * follow the answer, once they are here (or are known not to come: then none).
 */
export async function takeFirstEnvelopes(vaultId: string): Promise<readonly Uint8Array[]> {
  const entry = kept.get(vaultId);
  kept.delete(vaultId);
  if (!entry || Date.now() - entry.at > keptForMs) return [];
  return entry.envelopes;
}

/**
 * The envelopes of an invitation room's value: an array of byte strings. Anything else (a
 * value someone else in the room wrote) is skipped here; what is bytes goes to the checks.
 */
export function envelopesIn(value: unknown): Uint8Array[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Uint8Array => item instanceof Uint8Array);
}
