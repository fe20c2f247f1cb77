// The call display, live: server-sent events replace the list of tickets being called and announce the
// newest call in the waiting room's languages (a live region for screen readers; speech where the screen allows).
(function () {
  var root = document.querySelector('[data-events-url]');
  if (!root || !window.EventSource) return;
  var list = document.getElementById('display-calls');
  var announce = document.getElementById('display-announce');
  var waiting = document.getElementById('display-waiting');
  var empty = document.getElementById('display-empty');
  var counterLabel = root.getAttribute('data-counter-word') || '';
  var lastTop = list.firstElementChild ? list.firstElementChild.querySelector('.ticket-label').textContent : '';
  var source = new EventSource(root.getAttribute('data-events-url'));
  source.addEventListener('queue', function (event) {
    var data = JSON.parse(event.data);
    list.textContent = '';
    data.calls.forEach(function (call) {
      var item = document.createElement('li');
      item.className = 'display-call';
      var label = document.createElement('span');
      label.className = 'ticket-label';
      label.dir = 'ltr';
      label.textContent = call.label;
      var counter = document.createElement('span');
      counter.className = 'display-counter';
      counter.textContent = counterLabel + ' ' + call.counter;
      var texts = document.createElement('ul');
      texts.className = 'display-texts';
      call.texts.forEach(function (text) {
        var line = document.createElement('li');
        line.lang = text.lang;
        line.dir = text.dir;
        line.textContent = text.text;
        texts.appendChild(line);
      });
      item.appendChild(label);
      item.appendChild(document.createTextNode(' '));
      item.appendChild(counter);
      item.appendChild(texts);
      list.appendChild(item);
    });
    if (empty) empty.hidden = data.calls.length > 0;
    if (waiting && typeof data.waiting === 'number') waiting.textContent = waiting.textContent.replace(/[\d٠-٩۰-۹]+/, String(data.waiting));
    var top = data.calls.length ? data.calls[0] : null;
    if (top && top.label !== lastTop) {
      announce.textContent = top.texts.map(function (text) { return text.text; }).join(' · ');
      if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
        top.texts.forEach(function (text) {
          var utterance = new SpeechSynthesisUtterance(text.text);
          utterance.lang = text.lang;
          window.speechSynthesis.speak(utterance);
        });
      }
    }
    lastTop = top ? top.label : '';
  });
})();
