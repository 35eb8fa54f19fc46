// Reading VS Code's logs in e2e tests (session.readLogs(): every log file under a `=== path` header).

const OWN_CHANNEL = /gan-studio\.gan-studio/;
const EXTENSION_HOST = /remoteexthost\.log/;

function sections(logs: string): { header: string; lines: string[] }[] {
  return logs
    .split(/^(?==== )/m)
    .filter(Boolean)
    .map((section) => {
      const [header, ...lines] = section.split('\n');
      return { header, lines };
    });
}

/** The extension host's own log and the extension's output channels. */
export function extensionHostLogs(logs: string): string {
  return sections(logs)
    .filter(({ header }) => EXTENSION_HOST.test(header) || OWN_CHANNEL.test(header))
    .map(({ header, lines }) => [header, ...lines].join('\n'))
    .join('\n');
}

/**
 * Warnings and errors that GAN Studio caused: every one in its own output channels, and those of
 * the extension host that name the extension or one of its `gan.*` settings (VS Code's warning
 * about reading a window-scoped setting with a resource names the setting).
 */
export function ownWarnings(logs: string): string[] {
  const found: string[] = [];
  for (const { header, lines } of sections(logs)) {
    const own = OWN_CHANNEL.test(header);
    if (!own && !EXTENSION_HOST.test(header)) continue;
    for (const line of lines) {
      if (!/\[(warning|error)\]/.test(line)) continue;
      if (own || /gan-studio|'gan\.|"gan\.|window scoped configuration/.test(line)) found.push(line.trim());
    }
  }
  return found;
}
