/**
 * The draft of one integration in its editor: what is edited (the integration without its id
 * and times), pure edits of it (the request, the query and header pairs), "unsaved changes"
 * measured against what was last loaded or saved, and load / save / discard / rename.
 *
 * The draft state only keeps the draft; what follows a load, a save or an edit (checking it,
 * refreshing the `@{` names) is the editor's (integration-editor.ts), told through the hooks.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import {
  httpMethods,
  type Integration,
  type IntegrationDraft,
  type RequestPair,
  type RequestTemplate,
} from '../../core/integrations';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';
import { sameAuth } from './integration-auth';

/** The methods the editor offers, in core's order. */
export const httpMethodChoices = httpMethods;

/** What the editor edits: the integration without its id and times. */
export function draftOf(integration: Integration): IntegrationDraft {
  return {
    name: integration.name,
    defaultVault: integration.defaultVault,
    request: integration.request,
    beforeHook: integration.beforeHook,
    afterHook: integration.afterHook,
  };
}

const samePairs = (a: readonly RequestPair[], b: readonly RequestPair[]) =>
  a.length === b.length &&
  a.every(
    (pair, i) =>
      pair.name === b[i]?.name && pair.value === b[i]?.value && pair.enabled === b[i]?.enabled,
  );

/** True when two drafts hold the same thing (what "unsaved changes" is measured against). */
export function sameDraft(a: IntegrationDraft, b: IntegrationDraft): boolean {
  return (
    a.name === b.name &&
    a.defaultVault === b.defaultVault &&
    a.beforeHook === b.beforeHook &&
    a.afterHook === b.afterHook &&
    a.request.method === b.request.method &&
    a.request.url === b.request.url &&
    a.request.body.type === b.request.body.type &&
    a.request.body.text === b.request.body.text &&
    sameAuth(a.request.auth, b.request.auth) &&
    samePairs(a.request.query, b.request.query) &&
    samePairs(a.request.headers, b.request.headers)
  );
}

export type PairList = 'query' | 'headers';

/** The draft with some of its request replaced. The draft itself is not modified. */
export function withRequest(
  draft: IntegrationDraft,
  patch: Partial<RequestTemplate>,
): IntegrationDraft {
  return { ...draft, request: { ...draft.request, ...patch } };
}

/** The draft with pair `index` of `list` changed. */
export function withPair(
  draft: IntegrationDraft,
  list: PairList,
  index: number,
  patch: Partial<RequestPair>,
): IntegrationDraft {
  const pairs = draft.request[list].map((pair, i) => (i === index ? { ...pair, ...patch } : pair));
  return withRequest(draft, { [list]: pairs });
}

/** The draft with an empty, enabled pair added at the end of `list`. */
export function withNewPair(draft: IntegrationDraft, list: PairList): IntegrationDraft {
  return withRequest(draft, {
    [list]: [...draft.request[list], { name: '', value: '', enabled: true }],
  });
}

/** The draft without pair `index` of `list`. */
export function withoutPair(
  draft: IntegrationDraft,
  list: PairList,
  index: number,
): IntegrationDraft {
  return withRequest(draft, { [list]: draft.request[list].filter((_, i) => i !== index) });
}

/** What the draft state tells its owner, each right after the change it names. */
export interface DraftHooks {
  /** A load succeeded: the draft is the integration as loaded. */
  readonly loaded?: () => void;
  /** A save succeeded: `integration` is what core kept. */
  readonly saved?: (integration: Integration) => void;
}

/** The draft of one integration and what it was loaded or saved from. */
export interface DraftState {
  /** The integration as last loaded or saved; undefined while loading. */
  readonly saved: Accessor<Integration | undefined>;
  readonly loadError: Accessor<string | undefined>;
  readonly draft: Accessor<IntegrationDraft | undefined>;
  /** True when the draft differs from what is saved. */
  dirty(): boolean;
  load(): Promise<void>;
  /** Replaces the draft with `next` (an edit: a failed save's message goes). */
  edit(next: IntegrationDraft): void;
  /** Drops the unsaved changes; false when nothing is loaded to go back to. */
  discard(): boolean;
  readonly saving: Accessor<boolean>;
  readonly saveError: Accessor<string | undefined>;
  /** Saves the draft; false (and saveError) when it could not be saved. */
  save(): Promise<boolean>;
  /** A rename from the list: the saved name changes, and the draft's if it was not edited. */
  renamed(integration: Integration): void;
  /** Later loads change nothing. */
  dispose(): void;
}

export function createDraftState(
  api: IntegrationsApiSource,
  id: IntegrationId,
  hooks: DraftHooks = {},
): DraftState {
  const need = requireApi(api);
  const [saved, setSaved] = createSignal<Integration | undefined>();
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const [draft, setDraft] = createSignal<IntegrationDraft | undefined>();
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string | undefined>();
  let disposed = false;

  const dirty = () => {
    const current = draft();
    const stored = saved();
    return current !== undefined && stored !== undefined && !sameDraft(current, draftOf(stored));
  };

  async function load(): Promise<void> {
    try {
      const integration = await need().get(id);
      if (disposed) return;
      batch(() => {
        setSaved(integration);
        setDraft(draftOf(integration));
        setLoadError(undefined);
      });
      hooks.loaded?.();
    } catch (error) {
      if (!disposed) setLoadError(describeError(error));
    }
  }

  async function save(): Promise<boolean> {
    const sent = draft();
    if (sent === undefined) return false;
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await need().save(id, sent);
      batch(() => {
        setSaved(result);
        // Edits made while saving stay unsaved; otherwise take what core kept (it may trim).
        if (draft() === sent) setDraft(draftOf(result));
      });
      hooks.saved?.(result);
      return true;
    } catch (error) {
      setSaveError(describeError(error));
      return false;
    } finally {
      setSaving(false);
    }
  }

  return {
    saved,
    loadError,
    draft,
    dirty,
    load,
    edit(next) {
      setDraft(next);
      setSaveError(undefined);
    },
    discard() {
      const stored = saved();
      if (stored === undefined) return false;
      batch(() => {
        setDraft(draftOf(stored));
        setSaveError(undefined);
      });
      return true;
    },
    saving,
    saveError,
    save,
    renamed(integration) {
      const before = saved();
      const current = draft();
      batch(() => {
        setSaved(integration);
        if (current !== undefined && before !== undefined && current.name === before.name)
          setDraft({ ...current, name: integration.name });
      });
    },
    dispose() {
      disposed = true;
    },
  };
}
