// The one-line widget for other sites:
//   <script src="https://scores.example/js/embed.js" data-game="k7m2qz9pxa" async></script>
// puts the game's live score (/embed/{id}, a page of ours in an iframe) where the tag is. Optional:
// data-height (px, default 200) and data-title (for screen readers).
(function () {
  var script = document.currentScript;
  if (!script) return;
  var game = (script.getAttribute('data-game') || '').trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(game)) {
    if (window.console) console.warn('Tally embed: data-game must name a game id');
    return;
  }
  var frame = document.createElement('iframe');
  frame.src = new URL('../embed/' + game, script.src).href;
  frame.title = script.getAttribute('data-title') || 'Live score';
  frame.width = '100%';
  frame.height = String(parseInt(script.getAttribute('data-height'), 10) || 200);
  frame.setAttribute('frameborder', '0');
  frame.setAttribute('loading', 'lazy');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
