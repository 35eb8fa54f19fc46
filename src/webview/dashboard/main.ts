// Entry of the dashboard webview bundle (dist/webview/dashboard.js).
import uplotCss from 'uplot/dist/uPlot.min.css';
import { isHostToWebviewMessage } from '../../protocol/webview';
import { connectToHost } from '../vscodeApi';
import { DashboardApp } from './app';
import rowLabelsCss from '../rowLabels.css';
import dashboardCss from './dashboard.css';
import type { DashboardViewState } from './viewState';

function start(): void {
  const style = document.createElement('style');
  style.textContent = `${uplotCss}\n${rowLabelsCss}\n${dashboardCss}`;
  document.head.append(style);
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = connectToHost<DashboardViewState>();
  const app = new DashboardApp(root, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostToWebviewMessage(event.data)) app.handle(event.data);
  });
  host.post({ type: 'ready' });
}

start();
