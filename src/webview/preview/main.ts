// Entry of the sample preview webview bundle (dist/webview/preview.js).
import { isHostToPreviewMessage, type PreviewToHostMessage } from '../../protocol/webview';
import { connectToHost } from '../vscodeApi';
import { PreviewApp, type PreviewState } from './app';
import rowLabelsCss from '../rowLabels.css';
import previewCss from './preview.css';

function start(): void {
  const style = document.createElement('style');
  style.textContent = `${rowLabelsCss}\n${previewCss}`;
  document.head.append(style);
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = connectToHost<PreviewState, PreviewToHostMessage>();
  const app = new PreviewApp(root, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostToPreviewMessage(event.data)) app.handle(event.data);
  });
  host.post({ type: 'ready' });
}

start();
