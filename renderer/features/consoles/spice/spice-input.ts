import type { SpiceButton, SpiceClient } from './spice-client';

/**
 * Keyboard and mouse of the SPICE screen element, sent to the guest. Keys go by physical key (`event.code`), so the
 * guest's own layout applies; the pointer is mapped from the element's CSS pixels to the guest's pixels, whatever the
 * scaling. Keys held when the screen loses the focus are released in the guest, so no modifier stays stuck.
 * Ctrl+Alt+Shift (the tab's release combination) is taken by the tab before it reaches here.
 */
export interface SpiceInputTarget {
  client(): SpiceClient | undefined;
  canvas(): HTMLCanvasElement | undefined;
  viewOnly(): boolean;
}

/** SPICE's button numbers for DOM buttons 0 (left), 1 (middle), 2 (right); its mask bits are 1, 2, 4 in the same order. */
const buttonOfDom: readonly SpiceButton[] = [1, 2, 3];

export function attachSpiceInput(element: HTMLElement, target: SpiceInputTarget): () => void {
  const pressedKeys = new Set<string>();
  let buttons = 0;

  const guestPoint = (event: MouseEvent): { x: number; y: number } | undefined => {
    const canvas = target.canvas();
    if (canvas === undefined) return undefined;
    const box = canvas.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || canvas.width === 0 || canvas.height === 0) return undefined;
    // The canvas is drawn with `object-fit: contain`: scaled by the smaller ratio and centred in its box (at 1:1 the
    // box is the canvas's own size and this is the identity).
    const scale = Math.min(box.width / canvas.width, box.height / canvas.height);
    const left = box.left + (box.width - canvas.width * scale) / 2;
    const top = box.top + (box.height - canvas.height * scale) / 2;
    const x = Math.round((event.clientX - left) / scale);
    const y = Math.round((event.clientY - top) / scale);
    return { x: Math.min(Math.max(x, 0), canvas.width - 1), y: Math.min(Math.max(y, 0), canvas.height - 1) };
  };

  const active = (): SpiceClient | undefined => (target.viewOnly() ? undefined : target.client());

  const onKey = (event: KeyboardEvent): void => {
    const client = active();
    if (client === undefined) return;
    const down = event.type === 'keydown';
    if (!down && !pressedKeys.has(event.code)) return;
    if (!client.sendKey(event.code, down)) return;
    if (down) pressedKeys.add(event.code);
    else pressedKeys.delete(event.code);
    event.preventDefault();
  };

  const releaseAll = (): void => {
    const client = target.client();
    for (const code of pressedKeys) client?.sendKey(code, false);
    pressedKeys.clear();
  };

  const onMove = (event: MouseEvent): void => {
    const point = guestPoint(event);
    if (point !== undefined) active()?.movePointer(point.x, point.y, buttons);
  };

  const onButton = (event: MouseEvent): void => {
    const button = buttonOfDom[event.button];
    const client = active();
    if (button === undefined || client === undefined) return;
    const down = event.type === 'mousedown';
    if (down) element.focus({ preventScroll: true });
    buttons = down ? buttons | (1 << event.button) : buttons & ~(1 << event.button);
    onMove(event);
    client.pressButton(button, down, buttons);
    event.preventDefault();
  };

  const onWheel = (event: WheelEvent): void => {
    const client = active();
    if (client === undefined || event.deltaY === 0) return;
    const button: SpiceButton = event.deltaY < 0 ? 4 : 5;
    client.pressButton(button, true, buttons);
    client.pressButton(button, false, buttons);
    event.preventDefault();
  };

  const onContextMenu = (event: Event): void => {
    if (active() !== undefined) event.preventDefault();
  };

  const listeners: [string, (event: never) => void][] = [
    ['keydown', onKey],
    ['keyup', onKey],
    ['blur', releaseAll],
    ['mousemove', onMove],
    ['mousedown', onButton],
    ['mouseup', onButton],
    ['wheel', onWheel],
    ['contextmenu', onContextMenu],
  ];
  for (const [type, listener] of listeners) element.addEventListener(type, listener as EventListener, { passive: false });
  return () => {
    releaseAll();
    for (const [type, listener] of listeners) element.removeEventListener(type, listener as EventListener);
  };
}
