/** Placeholder: the vault list (sidebar) is built by the vault-browsing work. */
export function VaultSidebar() {
  return <p class="muted">No vaults yet.</p>;
}
