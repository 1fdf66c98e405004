/**
 * Draws the tray icons (one per presence and alert state) and the app icon as PNGs into assets/.
 * Run `tsx scripts/make-icons.ts` after changing a colour; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { TrayIcon } from '../main/desk/tray.js';

type Rgb = [number, number, number];
const COLOURS: Record<TrayIcon, Rgb> = {
  ready: [34, 160, 84],
  'not-ready': [222, 140, 20],
  'wrap-up': [40, 110, 210],
  'do-not-disturb': [210, 45, 45],
  offline: [128, 128, 128],
  mixed: [130, 80, 190],
  ringing: [34, 160, 84],
  trouble: [210, 45, 45],
  unknown: [150, 150, 150],
};

/** A filled disc (with a ring or a bar for alert states), anti-aliased by 4×4 supersampling. */
function draw(size: number, colour: Rgb, mark: 'none' | 'ring' | 'bar' | 'hollow'): Buffer {
  const png = new PNG({ width: size, height: size });
  const c = size / 2;
  const r = size * 0.42;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const dx = x + (sx + 0.5) / 4 - c;
          const dy = y + (sy + 0.5) / 4 - c;
          const d = Math.hypot(dx, dy);
          if (d > r) continue;
          if (mark === 'hollow' && d < r * 0.62) continue;
          cover++;
          if (mark === 'ring' && d > r * 0.45 && d < r * 0.65) white++;
          if (mark === 'bar' && Math.abs(dy) < r * 0.16 && Math.abs(dx) < r * 0.6) white++;
        }
      }
      const i = (y * size + x) * 4;
      const w = cover ? white / cover : 0;
      png.data[i] = Math.round(colour[0] * (1 - w) + 255 * w);
      png.data[i + 1] = Math.round(colour[1] * (1 - w) + 255 * w);
      png.data[i + 2] = Math.round(colour[2] * (1 - w) + 255 * w);
      png.data[i + 3] = Math.round((cover / 16) * 255);
    }
  }
  return PNG.sync.write(png);
}

const dir = new URL('../assets/tray/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
for (const [name, colour] of Object.entries(COLOURS) as Array<[TrayIcon, Rgb]>) {
  const mark = name === 'ringing' ? 'ring' : name === 'trouble' || name === 'do-not-disturb' ? 'bar' : name === 'offline' || name === 'unknown' ? 'hollow' : 'none';
  writeFileSync(`${dir}${name}.png`, draw(16, colour, mark));
  writeFileSync(`${dir}${name}@2x.png`, draw(32, colour, mark));
}
writeFileSync(new URL('../assets/icon.png', import.meta.url).pathname, draw(512, [34, 120, 180], 'ring'));
process.stdout.write(`icons written to ${dir}\n`);
