import '../styles/audit.css';
import { For, Show } from 'solid-js';
import type { AuditAction } from '../../core/audit';
import type { AuditTrail } from '../../core/audit-trail';
import { auditActionLabels, createAuditView } from '../state/audit-view';
import { Dialog } from './Dialog';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Hands `text` to the browser as a file download, through a short-lived Blob URL. */
function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A vault's audit log: a verification summary (every record checked, or what is wrong and
 * where), filters, the records newest first in pages of 50, and export to CSV and JSON.
 * Records hold names only, so nothing here can show a value.
 */
export function AuditLogDialog(props: {
  trail: AuditTrail;
  vaultName: string;
  onClose: () => void;
}) {
  const view = createAuditView(props.trail, { vaultName: props.vaultName });
  const actions = Object.keys(auditActionLabels) as AuditAction[];
  const exportAs = (kind: 'csv' | 'json') => {
    const file = view.exportFile(kind);
    download(file.name, file.type, file.text);
  };
  return (
    <Dialog
      open
      title={`Audit log of ${props.vaultName}`}
      onClose={props.onClose}
      class="audit-dialog"
    >
      <Show when={view.error()}>
        <p class="notice danger" role="alert">
          {view.error()}
        </p>
      </Show>
      <Show
        when={view.summary().intact}
        fallback={
          <div class="notice danger audit-summary" role="alert">
            <p>
              <strong>{view.summary().headline}</strong>
            </p>
            <ul>
              <For each={view.summary().warnings}>{(warning) => <li>{warning}</li>}</For>
            </ul>
          </div>
        }
      >
        <p class="notice audit-summary ok" role="status">
          {view.summary().headline}
        </p>
      </Show>
      <form
        class="audit-filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => e.preventDefault()}
      >
        <div class="field">
          <label for="audit-device">Member or device</label>
          <select
            id="audit-device"
            value={view.filter().device}
            onChange={(e) => view.setFilter({ device: e.currentTarget.value })}
          >
            <option value="">Anyone</option>
            <For each={view.devices()}>{(d) => <option value={d.id}>{d.label}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="audit-action">Action</label>
          <select
            id="audit-action"
            value={view.filter().action}
            onChange={(e) => view.setFilter({ action: e.currentTarget.value as AuditAction | '' })}
          >
            <option value="">Any action</option>
            <For each={actions}>{(a) => <option value={a}>{auditActionLabels[a]}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="audit-entry">Entry name</label>
          <input
            id="audit-entry"
            type="search"
            value={view.filter().entry}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => view.setFilter({ entry: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="audit-from">From</label>
          <input
            id="audit-from"
            type="date"
            value={view.filter().from}
            onChange={(e) => view.setFilter({ from: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="audit-to">To</label>
          <input
            id="audit-to"
            type="date"
            value={view.filter().to}
            onChange={(e) => view.setFilter({ to: e.currentTarget.value })}
          />
        </div>
      </form>
      <div class="audit-table-wrap">
        <table class="audit-table">
          <caption class="visually-hidden">Audit records, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Device</th>
              <th scope="col">Action</th>
              <th scope="col">Entries</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={view.page().records}
              fallback={
                <tr>
                  <td colspan="4" class="muted">
                    No records match.
                  </td>
                </tr>
              }
            >
              {(record) => {
                const marked = () => view.summary().marked.has(record.id);
                return (
                  <tr classList={{ 'audit-marked': marked() }}>
                    <td>
                      <time datetime={new Date(record.time).toISOString()}>
                        {timeFormat.format(record.time)}
                      </time>
                    </td>
                    <td>{view.deviceName(record.device)}</td>
                    <td>
                      {auditActionLabels[record.event.action]}
                      <Show when={marked()}>
                        <span class="badge danger">check</span>
                      </Show>
                    </td>
                    <td class="audit-subject">{view.subject(record)}</td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
      <nav class="audit-pages" aria-label="Audit log pages">
        <button
          type="button"
          class="secondary"
          disabled={view.pageIndex() === 0}
          onClick={() => view.previous()}
        >
          Previous
        </button>
        <span role="status">
          Page {view.pageIndex() + 1} of {view.pageCount()} · {view.page().total} records
        </span>
        <button
          type="button"
          class="secondary"
          disabled={view.pageIndex() + 1 >= view.pageCount()}
          onClick={() => view.next()}
        >
          Next
        </button>
      </nav>
      <div class="dialog-actions">
        <span class="hint">Exports hold the records that match the filters.</span>
        <button type="button" class="secondary" onClick={() => exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" class="secondary" onClick={() => exportAs('json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
