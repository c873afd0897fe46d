import { useEffect, useState } from 'preact/hooks';

/**
 * Whether the page is on screen: a side panel left open in a minimised window, or behind another
 * window's, is hidden, and what it would ask can wait until it is seen.
 */
export function usePageVisible(doc: Document = document): boolean {
  const [visible, setVisible] = useState(doc.visibilityState !== 'hidden');
  useEffect(() => {
    const changed = () => setVisible(doc.visibilityState !== 'hidden');
    doc.addEventListener('visibilitychange', changed);
    changed();
    return () => doc.removeEventListener('visibilitychange', changed);
  }, [doc]);
  return visible;
}
