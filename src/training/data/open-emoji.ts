// emoji: no published test split, so every tenth emoji (in the fixed order) is held out.
import type { ResolvedData } from '../../language/model';
import type { DataSource, OpenDataOptions } from '../contract';
import { EMOJI_CLASS_COUNT, EMOJI_STYLES, emojiCaptions, loadEmoji } from './emoji';
import { backgroundOption, imageLimit, stringOption } from './options';
import { finiteBatches } from './order';
import { createDataSource } from './stream';
import { cyclicBatch, firstImages, splitEveryTenth } from './table';

export async function openEmojiSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const style = stringOption(spec, 'style', EMOJI_STYLES, 'google');
  const images = await loadEmoji(style, spec.shape, backgroundOption(spec));
  const splits = splitEveryTenth({ ...images, captions: await emojiCaptions(style) });
  const table = firstImages(splits[spec.split], imageLimit(spec, opts));
  const other = spec.split === 'train' ? splits.test : splits.train;
  return createDataSource({
    spec,
    classes: EMOJI_CLASS_COUNT,
    captions: table.captions ?? null,
    ...finiteBatches(table, spec, opts.seed, `emoji (${style}) ${spec.split} split`),
    heldOut: async (n) => cyclicBatch(other, n, spec.scale),
    skipped: () => ({ count: 0, examples: [] }),
  });
}
