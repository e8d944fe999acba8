/**
 * The checks every engine operation starts with: a path the remote accepts, a vault that is
 * linked, a link not halfway through a move. Each failure is a ProviderLinkError naming why.
 */
import { ProviderLinkError } from './errors';
import type { ProviderLink } from './link';

/** `team/App Config!` -> `team/app-config-`: lowercase, [a-z0-9-_/] kept, others '-', trimmed. */
export function defaultPath(vaultName: string): string {
  return vaultName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_/-]/g, '-')
    .replace(/\/+/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '');
}

export function normalisePath(vaultId: string, path: string): string {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || /[\p{Cc}]/u.test(trimmed)) {
    throw new ProviderLinkError(
      'bad-path',
      { vaultId },
      'a remote path is not empty and has no control characters',
    );
  }
  return trimmed;
}

export function requireLink(vaultId: string, link: ProviderLink | undefined): ProviderLink {
  if (!link) {
    throw new ProviderLinkError('not-linked', { vaultId }, `vault ${vaultId} is not linked`);
  }
  return link;
}

export function notPending(vaultId: string, link: ProviderLink): void {
  if (link.migration) {
    throw new ProviderLinkError(
      'migration-pending',
      { vaultId, path: link.path },
      `vault ${vaultId}: a move of its remote path was interrupted; resume or undo it first`,
    );
  }
}
