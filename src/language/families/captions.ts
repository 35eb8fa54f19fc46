// Captioned data, shared by the text-conditioned models (stackgan; cgan's `condition text`):
// which sources have captions, and the check that the data does.
import type { FamilyCheck, NetworkFacts } from './family';

/** Captions exist for emoji (names and categories) and for folders (caption files). */
const CAPTIONED: ReadonlySet<string> = new Set(['emoji', 'folder']);

/** E312: the data must have captions; `who` names the model in the message ("A stackgan"). */
export function captionedData(who: string, applies: (facts: NetworkFacts) => boolean): FamilyCheck {
  return (facts) => {
    const { data, sections, at, sink } = facts;
    const main = data[0];
    if (!main || CAPTIONED.has(main.source) || !applies(facts)) return;
    sink.add(
      'E312',
      sections.get('data')?.head.positional[0] ?? sections.get('data')?.head.word ?? at,
      `${who} needs captioned images, but \`${main.source}\` has no captions: use \`emoji\` (captions from the emoji’s names and categories) or \`folder\` with a caption file per image (\`image.txt\`) or a \`captions.txt\`.`,
    );
  };
}
