/**
 * The composition root: the one place that builds the platform services and mounts the UI.
 */
import { createComponent, render } from 'solid-js/web';
import { App } from '../ui/components/App';
import { createAppUpdates } from '../ui/state/app-updates';
import '../ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

render(() => createComponent(App, { updates: createAppUpdates() }), root);
