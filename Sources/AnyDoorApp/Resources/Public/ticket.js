// The person's ticket page, kept current without reloading: every 15 seconds its status, position,
// estimate and counter are read again and written into the page's polite live region.
(function () {
  var live = document.getElementById('ticket-live');
  if (!live || !window.fetch) return;
  var url = live.getAttribute('data-status-url');
  function set(id, text) {
    var element = document.getElementById(id);
    if (element && element.textContent !== text) element.textContent = text;
  }
  setInterval(function () {
    fetch(url, { headers: { Accept: 'application/json' } }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) return;
      set('ticket-status', data.status);
      set('ticket-position', data.position);
      set('ticket-estimate', data.estimate || '–');
      set('ticket-counter', data.counter);
    }).catch(function () {});
  }, 15000);
})();
