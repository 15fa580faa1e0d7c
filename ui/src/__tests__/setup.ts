/**
 * jsdom lays nothing out, so every element measures 0×0 and a virtualized table would draw no
 * rows. This ResizeObserver reports a 1000×600 box, the size of the records list on a laptop.
 */
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const contentRect = { width: 1000, height: 600, top: 0, left: 0, bottom: 600, right: 1000, x: 0, y: 0 }
    this.callback([{ target, contentRect } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver)
  }
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver = SizedResizeObserver as unknown as typeof ResizeObserver
