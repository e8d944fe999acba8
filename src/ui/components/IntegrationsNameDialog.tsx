import { describeIntegrationError } from '../state/integrations';
import { NameDialog } from './NameDialog';

const sameName = (a: string, b: string) =>
  a.trim().normalize('NFC').toLocaleLowerCase('en') ===
  b.trim().normalize('NFC').toLocaleLowerCase('en');

/** What is wrong with an integration's name: empty, too long, or another one's. */
const integrationNameProblem = (
  name: string,
  existing: readonly { readonly id: string; readonly name: string }[],
  currentId?: string,
) => {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the integration a name.';
  if (trimmed.length > 100) return 'A name has at most 100 characters.';
  const clash = existing.find((other) => other.id !== currentId && sameName(other.name, trimmed));
  return clash ? `There is already an integration named ${clash.name}.` : undefined;
};

/**
 * Asks for an integration's name (creating or renaming). A name must not be empty and must not
 * be another integration's (ignoring case); what core still rejects on submit is shown too.
 */
export function IntegrationsNameDialog(props: {
  title: string;
  submitLabel: string;
  /** Names in use (the one being renamed is left out by `current`). */
  existing: readonly { readonly id: string; readonly name: string }[];
  current?: { readonly id: string; readonly name: string };
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  return (
    <NameDialog
      {...props}
      open
      label="Integration name"
      hint="Unique among your integrations (ignoring case)."
      problem={integrationNameProblem}
      describeError={describeIntegrationError}
      onSubmit={(name) => props.onSubmit(name.trim())}
    />
  );
}
