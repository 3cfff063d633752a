/** An entry of the Element Timing API (Chromium's; not in TypeScript's DOM types). */
interface ElementTiming extends PerformanceEntry {
  element: Element | null;
  renderTime: number;
}

/**
 * Resolves with the time the browser reports `element` painted on screen (Element Timing: the
 * frame that shows it was laid out, painted and presented), not when the script put it in the
 * page. Resolves with undefined when the browser has no such API, once the frame that draws the
 * element has been made (though perhaps not yet shown). An element that is never shown (outside
 * the viewport, a hidden tab) is never reported: until `signal` aborts, the promise then waits.
 *
 * The observer is made after that frame (the browser keeps the entry for it): a profile put its
 * making at a tenth of the script time of the first render.
 */
export function painted(element: Element, identifier: string, signal: AbortSignal): Promise<DOMHighResTimeStamp | undefined> {
  element.setAttribute('elementtiming', identifier);
  return new Promise((resolve) => {
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (!PerformanceObserver.supportedEntryTypes?.includes('element')) return resolve(undefined);
        if (signal.aborted) return;
        const observer = new PerformanceObserver((list) => {
          const entry = (list.getEntries() as ElementTiming[]).find((e) => e.element === element);
          if (!entry) return;
          observer.disconnect();
          resolve(entry.renderTime || entry.startTime);
        });
        signal.addEventListener('abort', () => observer.disconnect(), { once: true });
        observer.observe({ type: 'element', buffered: true });
      }),
    );
  });
}
