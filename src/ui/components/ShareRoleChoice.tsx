import { createUniqueId, For, Show } from 'solid-js';
import type { Role } from '../../core/team';
import { invitableRoles, inviteLimitText, roleLabels, roleSentences } from '../state/team-view';

/** Whom an invitation of a vault with a team is for. */
export type InviteFor = 'own-device' | 'someone-else';

/**
 * "Who is it for?": another of one's own devices, or someone else with a role. Only the roles
 * this member may give are offered (the owner: admin, editor, viewer; an admin: editor,
 * viewer); a member who may give none (an editor, a viewer) sees only its own devices, and why.
 */
export function ShareRoleChoice(props: {
  /** This device's member's role (undefined: not an active member). */
  mine: Role | undefined;
  forWhom: InviteFor;
  onForWhom: (value: InviteFor) => void;
  role: Role | undefined;
  onRole: (role: Role) => void;
  /** Their name, as the team will see it (empty: their device's name). */
  name: string;
  onName: (name: string) => void;
}) {
  const name = createUniqueId();
  const roleId = createUniqueId();
  const nameId = createUniqueId();
  const offered = () => invitableRoles(props.mine);
  return (
    <fieldset class="role-choice field">
      <legend>Who is it for?</legend>
      <label class="checkbox">
        <input
          type="radio"
          name={name}
          value="own-device"
          checked={props.forWhom === 'own-device'}
          onChange={() => props.onForWhom('own-device')}
        />
        Another of my devices
      </label>
      <Show
        when={offered().length > 0}
        fallback={<span class="hint">{inviteLimitText(props.mine)}</span>}
      >
        <label class="checkbox">
          <input
            type="radio"
            name={name}
            value="someone-else"
            checked={props.forWhom === 'someone-else'}
            onChange={() => props.onForWhom('someone-else')}
          />
          Someone else
        </label>
        <Show when={props.forWhom === 'someone-else'}>
          <div class="field">
            <label for={nameId}>Their name</label>
            <input
              id={nameId}
              type="text"
              maxLength={100}
              autocomplete="off"
              placeholder="As your team knows them"
              value={props.name}
              onInput={(event) => props.onName(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for={roleId}>Their role</label>
            <select
              id={roleId}
              value={props.role ?? ''}
              onChange={(event) => props.onRole(event.currentTarget.value as Role)}
            >
              <For each={offered()}>
                {(role) => <option value={role}>{roleLabels[role]}</option>}
              </For>
            </select>
            <ul class="hint role-sentences">
              <For each={offered()}>
                {(role) => (
                  <li>
                    <strong>{roleLabels[role]}</strong>: {roleSentences[role]}
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Show>
      </Show>
    </fieldset>
  );
}
