// Drawing → the 28×28 grey image the network expects. MNIST's digits are centred by their centre of mass in a
// 20×20 box of a 28×28 field; a finger's digit is anywhere and any size, so it is cropped, scaled into 20×20
// and moved to that centre, as MNIST's own preprocessing did.
import { DIGIT_PIXELS, DIGIT_SIDE } from "@/lib/nn/digitNetwork";

/** Ink (alpha, 0–1) of a square canvas → 784 grey values in [0, 1]. */
export function canvasToDigit(source: HTMLCanvasElement): Float64Array {
  const ctx = source.getContext("2d", { willReadFrequently: true })!;
  const { width, height } = source;
  const ink = ctx.getImageData(0, 0, width, height).data;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[(y * width + x) * 4 + 3] > 16) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  const out = new Float64Array(DIGIT_PIXELS);
  if (x1 < 0) return out;
  const box = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const small = document.createElement("canvas");
  small.width = small.height = DIGIT_SIDE;
  const sctx = small.getContext("2d", { willReadFrequently: true })!;
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = "high";
  const scale = 20 / box;
  const [w, h] = [(x1 - x0 + 1) * scale, (y1 - y0 + 1) * scale];
  sctx.drawImage(source, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (DIGIT_SIDE - w) / 2, (DIGIT_SIDE - h) / 2, w, h);
  const a = sctx.getImageData(0, 0, DIGIT_SIDE, DIGIT_SIDE).data;
  let [mass, mx, my] = [0, 0, 0];
  for (let i = 0; i < DIGIT_PIXELS; i++) {
    const v = a[i * 4 + 3] / 255;
    mass += v;
    mx += v * (i % DIGIT_SIDE);
    my += v * Math.floor(i / DIGIT_SIDE);
  }
  const dx = Math.round(13.5 - mx / mass);
  const dy = Math.round(13.5 - my / mass);
  for (let r = 0; r < DIGIT_SIDE; r++)
    for (let c = 0; c < DIGIT_SIDE; c++) {
      const [sr, sc] = [r - dy, c - dx];
      if (sr >= 0 && sr < DIGIT_SIDE && sc >= 0 && sc < DIGIT_SIDE) out[r * DIGIT_SIDE + c] = a[(sr * DIGIT_SIDE + sc) * 4 + 3] / 255;
    }
  return out;
}
