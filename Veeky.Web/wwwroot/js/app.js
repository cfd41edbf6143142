// Veeky's few live touches on server-rendered pages. Every page works without these scripts; they only make seeking,
// indexing progress, upload progress and search as you type nicer. No tokens here: the server relays what needs one.
// Each feature lives in its own file (player.js, live.js, upload.js, search.js) and registers itself through
// Veeky.ready; this file holds what they share.
(function () {
    "use strict";

    var Veeky = window.Veeky = window.Veeky || {};

    // Runs a feature's set-up once the document is parsed (scripts are deferred, so usually at once).
    Veeky.ready = function (setUp) {
        if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
        else setUp();
    };

    // Forms that destroy something ask first.
    function setUpConfirmations() {
        document.querySelectorAll("form[data-confirm]").forEach(function (form) {
            form.addEventListener("submit", function (event) {
                if (!window.confirm(form.dataset.confirm)) event.preventDefault();
            });
        });
    }

    Veeky.ready(setUpConfirmations);

    // Esc closes the account menu (a <details>, which has no key of its own to close) and leaves focus on its button.
    function setUpAccountMenu() {
        var menu = document.querySelector("[data-user-menu]");
        if (!menu) return;
        document.addEventListener("keydown", function (event) {
            if (event.key !== "Escape" || !menu.open) return;
            menu.open = false;
            menu.querySelector("summary").focus();
        });
    }

    Veeky.ready(setUpAccountMenu);
})();
