import { useEffect, useState } from 'preact/hooks';

interface Item<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  watch(callback: (value: T) => void): () => void;
}

/** A stored setting as Preact state: saved at once on change, and kept in step with other pages. */
export function useSetting<T>(item: Item<T>, onSaved: () => void): [T | undefined, (value: T) => void] {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    void item.getValue().then(setValue);
    return item.watch(setValue);
  }, [item]);
  return [
    value,
    (next: T) => {
      setValue(next);
      void item.setValue(next).then(onSaved);
    },
  ];
}
