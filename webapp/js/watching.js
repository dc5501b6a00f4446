// "N watching": the number of viewers of a room over every server instance, drawn into the page's one
// <span data-watching> element. The server sends the total when a viewer subscribes and again when it
// changes (a few seconds at most, and only for changes worth showing in a big room).

const format = new Intl.NumberFormat('en');

/** The text shown for n viewers. */
export function watchingText(n) {
  return `${format.format(n)} watching`;
}

/** Shows the room's total in the page's [data-watching] element; returns a function that stops. */
export function showWatching(live, room, el = document.querySelector('[data-watching]')) {
  if (!live || !el) return () => {};
  const sub = live.subscribe(room, {
    onCount: (n) => {
      el.textContent = watchingText(n);
      el.dataset.count = String(n);
      el.hidden = false;
    },
  });
  return () => sub.unsubscribe();
}
