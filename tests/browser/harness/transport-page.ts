/**
 * A page with only the transport bindings (`window.harness.transport`): the transport tests
 * open one per device, several at a time, and the full harness (main.ts) is several times the
 * code to load for each.
 */
import { transport } from './transport';

window.harness = { transport } as unknown as Window['harness'];
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
