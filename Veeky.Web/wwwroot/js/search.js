// Search as you type, filters and Enter through server-rendered result fragments (no page load), the address kept in
// step so a search can be shared, and keyboard navigation through the moments. Without script the form still works.
(function () {
    "use strict";

    var Veeky = window.Veeky;

    // Marks set when fresh results are in the page and when the frame showing them is drawn (the first animation frame
    // after the insert); the search benchmark measures from the keydown to the second.
    var ResultsMark = "veeky:search-results";
    var PaintedMark = "veeky:search-painted";

    function isTyping(element) {
        return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
    }

    // "/" anywhere but in a field goes to the search box: this page's, else the one in the top bar.
    function setUpSlashKey() {
        document.addEventListener("keydown", function (event) {
            if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
            if (isTyping(document.activeElement)) return;
            var box = document.querySelector("[data-search-live]") || document.getElementById("top-search");
            if (!box) return;
            event.preventDefault();
            box.focus();
            box.select();
        });
    }

    // ArrowDown from the box into the moments, ArrowDown/ArrowUp between them (Up from the first returns to the box),
    // Enter opens the focused moment (it is a link), Escape returns to the box.
    function setUpKeyboard(input, target) {
        function hits() {
            return Array.prototype.slice.call(target.querySelectorAll("[data-hit]"));
        }

        input.addEventListener("keydown", function (event) {
            if (event.key !== "ArrowDown" || event.altKey) return;
            var list = hits();
            if (list.length === 0) return;
            event.preventDefault();
            list[0].focus();
        });

        target.addEventListener("keydown", function (event) {
            if (event.key === "Escape") {
                event.preventDefault();
                input.focus();
                input.select();
                return;
            }
            if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
            var list = hits();
            var index = list.indexOf(document.activeElement);
            if (index < 0) return;
            event.preventDefault();
            if (event.key === "ArrowDown") {
                if (index + 1 < list.length) list[index + 1].focus();
            } else if (index > 0) {
                list[index - 1].focus();
            } else {
                input.focus();
            }
        });
    }

    function setUpLiveSearch(input, target) {
        var form = input.form;
        if (!form || !window.fetch || !window.AbortController) return;
        var timer = null;
        var pending = null;

        // The form's values that are set, in the form's order (q, categoryId, videoId, from, to): the page's address.
        function currentParams() {
            var params = new URLSearchParams();
            new FormData(form).forEach(function (value, name) {
                var text = String(value).trim();
                if (text) params.set(name, text);
            });
            return params;
        }

        function run(submitted) {
            clearTimeout(timer);
            var params = currentParams();
            if (pending) pending.abort();
            var controller = pending = new AbortController();
            target.setAttribute("aria-busy", "true");
            fetch(input.dataset.searchLive + "?" + params.toString(), { signal: controller.signal, headers: { Accept: "text/html" } })
                .then(function (response) {
                    // A lost session answers with the sign-in page: typing leaves the page as it is, Enter submits
                    // the form the ordinary way (which leads to sign-in and back).
                    if (!response.ok || response.redirected) return null;
                    return response.text();
                })
                .then(function (html) {
                    if (controller !== pending) return;
                    pending = null;
                    target.removeAttribute("aria-busy");
                    if (html === null) {
                        if (submitted) form.submit();
                        return;
                    }
                    target.innerHTML = html;
                    // The top bar's box says what is being searched, as it does after a full page load.
                    var top = document.getElementById("top-search");
                    if (top && top !== input) top.value = params.get("q") || "";
                    var address = "/search" + (params.toString() ? "?" + params.toString() : "");
                    if (submitted) history.pushState(null, "", address);
                    else history.replaceState(null, "", address);
                    if (window.performance && performance.mark) performance.mark(ResultsMark);
                    requestAnimationFrame(function () {
                        if (window.performance && performance.mark) performance.mark(PaintedMark);
                        target.dispatchEvent(new CustomEvent(PaintedMark, { bubbles: true }));
                    });
                })
                .catch(function () {
                    // Aborted by a newer search, or offline: the form still works.
                    if (controller === pending) target.removeAttribute("aria-busy");
                });
        }

        function schedule() {
            clearTimeout(timer);
            // Wait for a pause in typing so each keystroke does not cost a search.
            timer = setTimeout(function () {
                var length = input.value.trim().length;
                if (length >= 2 || length === 0) run(false);
            }, 250);
        }

        input.addEventListener("input", schedule);
        form.addEventListener("change", function (event) {
            if (event.target !== input) schedule();
        });
        // Enter (or the button): search now, through the fragment, as a new history entry.
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            run(true);
        });
        // Back and forward between pushed searches: load the page of that address.
        window.addEventListener("popstate", function () {
            location.reload();
        });
    }

    // Esc in a search box leaves the words alone: a search field's own Esc empties it, which here also emptied the
    // results and the address, losing the search to a key pressed to dismiss something else.
    function setUpEscapeKeepsQuery() {
        document.addEventListener("keydown", function (event) {
            var box = event.target;
            if (event.key !== "Escape" || !box || !box.matches || !box.matches("[data-search-live], #top-search")) return;
            event.preventDefault();
        });
    }

    // Browsers that cannot show a closed disclosure's content by style alone open the filters on wide screens.
    function setUpFilterFold() {
        var fold = document.querySelector("[data-search-fold]");
        if (!fold || fold.open || !window.CSS || !CSS.supports) return;
        if (!CSS.supports("selector(::details-content)") && window.matchMedia("(min-width: 641px)").matches) fold.open = true;
    }

    function setUp() {
        setUpSlashKey();
        setUpEscapeKeepsQuery();
        setUpFilterFold();
        var input = document.querySelector("[data-search-live]");
        var target = document.querySelector("[data-search-results]");
        if (!input || !target) return;
        setUpKeyboard(input, target);
        setUpLiveSearch(input, target);
    }

    Veeky.ready(setUp);

    // A picture dropped or pasted anywhere on the search page goes into the picture form, which is sent at once.
    function setUpPictureDrop() {
        var form = document.querySelector("[data-picture-form]");
        var input = form && form.querySelector("[data-picture-input]");
        if (!input || typeof DataTransfer === "undefined") return;
        function isPicture(file) { return file && /^image\/(jpeg|png|webp)$/.test(file.type); }
        function send(file) {
            var files = new DataTransfer();
            files.items.add(file);
            input.files = files.files;
            form.requestSubmit ? form.requestSubmit() : form.submit();
        }
        document.addEventListener("dragover", function (event) {
            if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
            event.preventDefault();
            form.classList.add("is-dragging");
        });
        document.addEventListener("dragleave", function (event) {
            if (!event.relatedTarget) form.classList.remove("is-dragging");
        });
        document.addEventListener("drop", function (event) {
            form.classList.remove("is-dragging");
            var file = event.dataTransfer && event.dataTransfer.files[0];
            if (!isPicture(file)) return;
            event.preventDefault();
            send(file);
        });
        document.addEventListener("paste", function (event) {
            var items = event.clipboardData ? Array.prototype.slice.call(event.clipboardData.files || []) : [];
            var file = items.filter(isPicture)[0];
            if (!file) return;
            event.preventDefault();
            send(file);
        });
    }

    Veeky.ready(setUpPictureDrop);
})();
