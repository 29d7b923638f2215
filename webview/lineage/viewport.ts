import type { LineageViewport } from '../../src/shared/lineage';

const MIN_SCALE = 0.1;
const MAX_SCALE = 3;
/** Below this the boxes' text cannot be read. */
const READABLE_SCALE = 0.7;

/**
 * Pan (drag the background) and zoom (wheel, around the pointer) of the drawing inside the SVG;
 * each change is reported so the page can save it.
 */
export class Viewport {
  private current: LineageViewport = { x: 0, y: 0, scale: 1 };

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly target: () => SVGGElement | undefined,
    private readonly changed: (v: LineageViewport) => void,
  ) {
    svg.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    svg.addEventListener('pointerdown', (e) => this.drag(e));
  }

  get value(): LineageViewport {
    return this.current;
  }

  set(v: LineageViewport): void {
    this.current = { ...v, scale: Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale)) };
    this.target()?.setAttribute('transform', `translate(${this.current.x},${this.current.y}) scale(${this.current.scale})`);
    this.changed(this.current);
  }

  /** The whole drawing in view, never enlarged past 1:1 (a small graph stays readable, not huge). */
  fit(size: { width: number; height: number }): void {
    const box = this.svg.getBoundingClientRect();
    const scale = Math.min(1, box.width / Math.max(size.width, 1), box.height / Math.max(size.height, 1));
    this.set({ x: (box.width - size.width * scale) / 2, y: Math.max(0, (box.height - size.height * scale) / 2), scale });
  }

  /**
   * The whole drawing when it fits at a readable scale; else that scale, centred on `focus` (the
   * subject) and kept inside the drawing, so a long pipeline opens legible where the user asked.
   */
  frame(size: { width: number; height: number }, focus: { x: number; y: number } | undefined): void {
    const box = this.svg.getBoundingClientRect();
    const fits = Math.min(1, box.width / Math.max(size.width, 1), box.height / Math.max(size.height, 1));
    if (fits >= READABLE_SCALE || !focus) {
      this.fit(size);
      return;
    }
    const scale = Math.max(fits, READABLE_SCALE);
    const clamp = (v: number, room: number, extent: number) =>
      extent * scale <= room ? (room - extent * scale) / 2 : Math.min(0, Math.max(room - extent * scale, v));
    this.set({
      x: clamp(box.width / 2 - focus.x * scale, box.width, size.width),
      y: clamp(box.height / 2 - focus.y * scale, box.height, size.height),
      scale,
    });
  }

  zoomBy(factor: number): void {
    const box = this.svg.getBoundingClientRect();
    this.zoomAt(box.width / 2, box.height / 2, factor);
  }

  private zoomAt(px: number, py: number, factor: number): void {
    const { x, y, scale } = this.current;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    this.set({ x: px - ((px - x) * next) / scale, y: py - ((py - y) * next) / scale, scale: next });
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const box = this.svg.getBoundingClientRect();
    this.zoomAt(e.clientX - box.left, e.clientY - box.top, Math.exp(-e.deltaY / 500));
  }

  private drag(e: PointerEvent): void {
    if (e.button !== 0 || (e.target as Element).closest('.node')) return;
    const start = { px: e.clientX, py: e.clientY, ...this.current };
    this.svg.setPointerCapture(e.pointerId);
    this.svg.classList.add('panning');
    const move = (m: PointerEvent) => this.set({ x: start.x + m.clientX - start.px, y: start.y + m.clientY - start.py, scale: start.scale });
    const end = () => {
      this.svg.classList.remove('panning');
      this.svg.removeEventListener('pointermove', move);
      this.svg.removeEventListener('pointerup', end);
      this.svg.removeEventListener('pointercancel', end);
    };
    this.svg.addEventListener('pointermove', move);
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
  }
}
