// Which families' runs upscale a user's image (`gan upscale`, the Explorer's "Upscale with
// model…"): the extension lists only those runs. Typed by FamilyName, so a new family says.
import type { FamilyName } from '../language/model';

export const UPSCALES_IMAGES: Readonly<Record<FamilyName, boolean>> = {
  gan: false,
  cgan: false,
  vae: false,
  cyclegan: false,
  pixelcnn: false,
  srgan: true,
  progan: false,
  stackgan: false,
  video: false,
};

/** The image files the command offers to upscale (PNG; the others need sharp in the worker). */
export const UPSCALE_INPUT = /\.(png|jpe?g|webp)$/i;

/** Where an upscaled image goes by default: beside the input, `NAME-upscaled.png`. */
export function upscaledPath(input: string): string {
  const dot = input.lastIndexOf('.');
  const slash = Math.max(input.lastIndexOf('/'), input.lastIndexOf('\\'));
  return `${dot > slash ? input.slice(0, dot) : input}-upscaled.png`;
}
