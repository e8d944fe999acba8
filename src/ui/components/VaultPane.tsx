/** Placeholder: one vault's entries, built by the vault-browsing work. */
export function VaultPane(props: { name: string }) {
  return <h2>{props.name}</h2>;
}
