/** Tiny DOM helpers: the page needs no framework. */

type Child = Node | string;

/** An element with attributes and children; text children are inserted as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>>,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class' && value === '') continue;
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

export function clear(element: HTMLElement): void {
  element.replaceChildren();
}

/** 245 -> "4:05"; null -> "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** An ISO timestamp as "2024-03-01 10:15:00 UTC". */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

/** An ISO timestamp as "2024-03-01 10:15" (the list's dates). */
export function formatDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** An ISO timestamp's time of day, "10:15:00". */
export function formatClock(iso: string): string {
  return iso.slice(11, 19);
}
