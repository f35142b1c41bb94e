import { afterEach, describe, expect, it } from 'vitest';
import type { SpiceClient } from './spice-client';
import { attachSpiceInput } from './spice-input';

/** A client that records the pointer and buttons it is given. */
function recordingClient() {
  const moves: [number, number, number][] = [];
  const presses: [number, boolean, number][] = [];
  const client: SpiceClient = {
    sendKey: () => true,
    movePointer: (x, y, buttons) => moves.push([x, y, buttons]),
    pressButton: (button, down, buttons) => presses.push([button, down, buttons]),
    pasteToGuest: () => false,
    resizeGuest: () => false,
    disconnect: () => undefined,
  };
  return { client, moves, presses };
}

/** A guest canvas of `width`×`height` pixels drawn in a CSS box at (left, top) of `boxWidth`×`boxHeight`. */
function guestCanvas(width: number, height: number, box: { left: number; top: number; width: number; height: number }): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getBoundingClientRect = () => DOMRect.fromRect({ x: box.left, y: box.top, width: box.width, height: box.height });
  return canvas;
}

let detach: (() => void) | undefined;
afterEach(() => detach?.());

function attach(canvas: HTMLCanvasElement, viewOnly = false) {
  const element = document.createElement('div');
  document.body.append(element);
  const recorded = recordingClient();
  detach = attachSpiceInput(element, { client: () => recorded.client, canvas: () => canvas, viewOnly: () => viewOnly });
  const mouse = (type: string, clientX: number, clientY: number, button = 0) =>
    element.dispatchEvent(new MouseEvent(type, { clientX, clientY, button, bubbles: true, cancelable: true }));
  return { ...recorded, mouse };
}

describe('SPICE pointer input', () => {
  it('maps the pointer into guest pixels through the fit scaling, letterbox included', () => {
    // 1024×768 guest in an 800×800 box: scaled by 800/1024, 600 px tall, centred 100 px down.
    const { moves, mouse } = attach(guestCanvas(1024, 768, { left: 10, top: 20, width: 800, height: 800 }));
    mouse('mousemove', 10, 120);
    mouse('mousemove', 410, 420);
    mouse('mousemove', 900, 900);
    expect(moves).toEqual([
      [0, 0, 0],
      [512, 384, 0],
      [1023, 767, 0],
    ]);
  });

  it('sends presses and releases with the buttons held, middle and right included', () => {
    const { presses, moves, mouse } = attach(guestCanvas(640, 480, { left: 0, top: 0, width: 640, height: 480 }));
    mouse('mousedown', 5, 6, 0);
    mouse('mousedown', 5, 6, 2);
    mouse('mouseup', 5, 6, 2);
    mouse('mouseup', 5, 6, 0);
    mouse('mousedown', 5, 6, 1);
    expect(presses).toEqual([
      [1, true, 1],
      [3, true, 5],
      [3, false, 1],
      [1, false, 0],
      [2, true, 2],
    ]);
    expect(moves[0]).toEqual([5, 6, 1]);
  });

  it('sends nothing in view-only mode', () => {
    const { presses, moves, mouse } = attach(guestCanvas(640, 480, { left: 0, top: 0, width: 640, height: 480 }), true);
    mouse('mousemove', 5, 6);
    mouse('mousedown', 5, 6);
    expect([...moves, ...presses]).toEqual([]);
  });
});
