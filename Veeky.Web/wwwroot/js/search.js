// Search as you type, through server-rendered result fragments.
(function () {
    "use strict";

    var Veeky = window.Veeky;

    // Search as you type: fetch the server-rendered results for the words so far and keep the address in step.
    function setUpLiveSearch() {
        var input = document.querySelector("[data-search-live]");
        var target = document.querySelector("[data-search-results]");
        if (!input || !target || !window.fetch) return;
        var category = input.form && input.form.querySelector("[name=categoryId]");
        var timer = null;
        var pending = null;

        function run() {
            var params = new URLSearchParams();
            params.set("q", input.value.trim());
            if (category && category.value) params.set("categoryId", category.value);
            if (pending) pending.abort();
            pending = new AbortController();
            fetch(input.dataset.searchLive + "?" + params.toString(), { signal: pending.signal, headers: { Accept: "text/html" } })
                .then(function (response) {
                    // A lost session answers with the sign-in page: leave the page as it is; submitting still works.
                    if (!response.ok || response.redirected) return null;
                    return response.text();
                })
                .then(function (html) {
                    if (html === null) return;
                    target.innerHTML = html;
                    history.replaceState(null, "", "/search?" + params.toString());
                })
                .catch(function () { /* aborted by a newer keystroke, or offline: the form still works */ });
        }

        function schedule() {
            clearTimeout(timer);
            // Wait for a pause in typing so each word does not cost a search.
            timer = setTimeout(function () {
                if (input.value.trim().length >= 2) run();
            }, 250);
        }

        input.addEventListener("input", schedule);
        if (category) category.addEventListener("change", schedule);
    }

    Veeky.ready(setUpLiveSearch);
})();
