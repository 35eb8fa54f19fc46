// Where an upscaled image goes by default, which files the command offers, and which families'
// runs upscale images.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAMILY_NAMES } from '../../src/language/model';
import { UPSCALE_INPUT, UPSCALES_IMAGES, upscaledPath } from '../../src/protocol/upscale';

test('the upscaled image goes beside the input as NAME-upscaled.png', () => {
  assert.equal(upscaledPath('/a/b/cat.jpg'), '/a/b/cat-upscaled.png');
  assert.equal(upscaledPath('/a/b.c/cat'), '/a/b.c/cat-upscaled.png');
  assert.equal(upscaledPath('C:\\pics\\dog.PNG'), 'C:\\pics\\dog-upscaled.png');
});

test('PNG, JPEG and WebP files are offered, other files are not', () => {
  for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp']) assert.ok(UPSCALE_INPUT.test(name), name);
  for (const name of ['a.gif', 'b.png.txt', 'model.gan']) assert.ok(!UPSCALE_INPUT.test(name), name);
});

test('only super-resolution runs upscale images', () => {
  assert.deepEqual(
    FAMILY_NAMES.filter((f) => UPSCALES_IMAGES[f]),
    ['srgan'],
  );
});
