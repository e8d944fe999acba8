import { PassphraseInput } from './PassphraseInput';

/**
 * A backup file to open and the passphrase it was made with (checked by backupFileToOpen).
 * Controlled for the passphrase; the chosen file is handed up as it changes.
 * Ids: `${idPrefix}-file`, `${idPrefix}-passphrase`.
 */
export function BackupFileFields(props: {
  idPrefix: string;
  passphrase: string;
  onPassphrase: (value: string) => void;
  onFile: (file: File | null) => void;
}) {
  return (
    <>
      <div class="field">
        <label for={`${props.idPrefix}-file`}>Backup file</label>
        <input
          id={`${props.idPrefix}-file`}
          type="file"
          accept=".coffer-backup,application/octet-stream"
          onChange={(event) => props.onFile(event.currentTarget.files?.[0] ?? null)}
        />
      </div>
      <PassphraseInput
        id={`${props.idPrefix}-passphrase`}
        label="Backup passphrase"
        value={props.passphrase}
        onInput={props.onPassphrase}
        autocomplete="current-password"
      />
    </>
  );
}
