// Renders media/icon.svg to the 128x128 media/icon.png the extension manifest shows.
// Run after editing the SVG: node media/render-icon.mjs
import sharp from 'sharp';
import { join } from 'node:path';

const source = join(import.meta.dirname, 'icon.svg');
const target = join(import.meta.dirname, 'icon.png');
await sharp(source, { density: 144 }).resize(128, 128).png({ compressionLevel: 9 }).toFile(target);
