// Prefix suggestions as a person types (progressive enhancement: the search form works without it).
// Fills the input's <datalist> from /api/v1/services/suggestions; the browser announces the options.
(function () {
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q === last || q.length < 1) return;
        last = q;
        fetch(input.dataset.suggest + "&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (body) {
            list.textContent = "";
            body.results.forEach(function (result) {
              var option = document.createElement("option");
              option.value = result.title;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
