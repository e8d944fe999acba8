/**
 * Plain words for what went wrong with a vault's link that is not the provider's error to
 * explain (provider-errors.ts does those): a refused link operation, a remote secret that is
 * gone or held for deletion, and a remote path the form would refuse.
 */
import {
  ProviderError,
  ProviderLinkError,
  type ProviderLinkProblem,
  type ProviderSettings,
} from '../../core/providers';
import { type DeletedSecretView, VaultMustCloseError } from './vault-provider-types';

/**
 * Plain words for a refused link operation (core's ProviderLinkError), which names vault ids
 * in its message: the dialog shows these instead. Undefined for any other error.
 */
export function linkProblemText(
  error: unknown,
): { readonly title: string; readonly body: readonly string[] } | undefined {
  if (error instanceof VaultMustCloseError) {
    return {
      title: 'This vault has to be closed for that',
      body: [
        'Moving values between memory and this device’s storage needs the vault closed, and this page cannot reopen it by itself. Nothing was changed.',
      ],
    };
  }
  if (!(error instanceof ProviderLinkError)) return undefined;
  const words: Record<ProviderLinkProblem, { title: string; body: string[] }> = {
    'invalid-record': {
      title: 'This vault’s sync details could not be read',
      body: [
        `The stored record is damaged (${error.field ?? 'record'}). Stop syncing and link the vault again; its entries are not affected.`,
      ],
    },
    'not-linked': {
      title: 'This vault is not linked any more',
      body: ['It may have been unlinked in another tab. Close and reopen this dialog.'],
    },
    'already-linked': {
      title: 'This vault is already linked',
      body: ['It may have been linked in another tab. Close and reopen this dialog.'],
    },
    'no-settings': {
      title: 'No provider is set up',
      body: ['Add one in Settings → Providers, or give this vault its own settings above.'],
    },
    disabled: {
      title: 'Sync is paused for this vault',
      body: ['Switch “Sync this vault” on first.'],
    },
    'confirm-mismatch': {
      title: 'The typed path is not this vault’s remote path',
      body: ['Nothing was deleted. Type the remote path exactly as shown.'],
    },
    'remote-gone': {
      title: 'The remote secret is gone',
      body: [
        'It was deleted at the provider. Restore it there, write this vault’s keys there again, or stop syncing.',
      ],
    },
    'migration-pending': {
      title: 'A move to another path is unfinished',
      body: ['Resume or undo it first (below).'],
    },
    'no-migration': {
      title: 'There is no move to resume or undo',
      body: ['It may have finished in another tab.'],
    },
    'migration-mismatch': {
      title: 'The copy at the new path does not match',
      body: [
        'Someone changed one of the two secrets during the move. Nothing was switched: undo the move, then try again.',
      ],
    },
    'bad-path': {
      title: 'That path will not do',
      body: [
        'Give a path that is not empty, has no control characters, and is not the current one.',
      ],
    },
  };
  return words[error.problem];
}

/** Whether a push was refused because the linked secret is gone from the remote. */
export function remoteIsGone(error: unknown): boolean {
  return error instanceof ProviderLinkError && error.problem === 'remote-gone';
}

/**
 * The deleted state after "Delete the remote secret", or when the remote holds the name for
 * deletion: when it goes for good, and what the user can do.
 */
export function describeDeleted(
  deleted: DeletedSecretView,
  now: number,
  provider?: ProviderSettings['kind'],
): string {
  const who = provider === 'aws' ? 'AWS' : provider === 'hashicorp' ? 'Vault' : 'The provider';
  const dayMs = 24 * 60 * 60 * 1000;
  if (deleted.purgeAt !== undefined) {
    const days = Math.max(0, Math.ceil((deleted.purgeAt - now) / dayMs));
    const held = days === 0 ? 'less than a day' : days === 1 ? '1 more day' : `${days} more days`;
    return `The remote secret ${deleted.path} is scheduled for deletion. ${who} holds this name for ${held}; restore it or choose another path.`;
  }
  return deleted.restorable
    ? `The remote secret ${deleted.path} is deleted. It can be restored.`
    : `The remote secret ${deleted.path} is deleted and cannot be restored.`;
}

/**
 * Whether an action failed because the remote holds the name for deletion (AWS's recovery
 * window): the dialog then offers Restore next to the explanation.
 */
export function heldForDeletion(error: unknown): boolean {
  return error instanceof ProviderError && error.reason === 'scheduled-for-deletion';
}

/** Why a remote path will not do, or undefined. Paths are names: the provider checks the rest. */
export function remotePathProblem(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '') return 'Give a remote path.';
  if (trimmed !== path) return 'Remove the spaces at the start or end.';
  if (path.startsWith('/') || path.endsWith('/')) return 'No slash at the start or end.';
  if (path.includes('//')) return 'No empty folder between two slashes.';
  if (path.split('/').some((part) => part === '.' || part === '..')) {
    return 'No “.” or “..” folders.';
  }
  if (/\s/.test(path)) return 'No spaces or line breaks.';
  return undefined;
}
